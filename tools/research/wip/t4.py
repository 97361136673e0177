from ev import *
import bisect
exec(open('t3.py').read().split("mx=lambda")[0].split("import sys")[1])
mx=lambda v,c: norm(v,c,'max')
def erec(rec,Hn=10):
    allages=sorted(max(0,a) for ages in rec['act'].values() for a in ages)
    v={}
    for p,ages in rec['act'].items():
        v[p]=sum(2**(-bisect.bisect_left(allages,max(0,a))/Hn) for a in ages)
    return v
for Z in ['zk.pkl','np.pkl']:
    for Hn in [3,5,10,20,40]:
        print(Z,'erec',Hn,evalf(Z,[lambda r:erec(r,Hn)],[1],[mx]))
    for H in [1,3,7,14]:
        print(Z,'rec',H,evalf(Z,[lambda r:recent(r,H)],[1],[mx]))
