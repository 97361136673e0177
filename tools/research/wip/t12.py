exec(open('t4.py').read().split("for Z in")[0])
import sys
def pmax(rec,H=90,field='nb'):
    v={}
    for p,s,a in rec[field]:
        x=s*2**(-max(0,a)/H)
        if x>v.get(p,0): v[p]=x
    return v
def ptop(rec,H=90,m=3,field='nb'):
    d=collections.defaultdict(list)
    for p,s,a in rec[field]: d[p].append(s*2**(-max(0,a)/H))
    return {p:sum(sorted(l,reverse=True)[:m]) for p,l in d.items()}
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    for H in [90,365]:
        print(Z,H,'pmax',evalf(Z,[lambda r:pmax(r,H)],[1],[mx]),'+erec5+comp',evalf(Z,[lambda r:pmax(r,H),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3],[mx]*3))
        print(Z,H,'ptop3',evalf(Z,[lambda r:ptop(r,H)],[1],[mx]),'+erec5+comp',evalf(Z,[lambda r:ptop(r,H),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3],[mx]*3))
        print(Z,H,'knn+pmax',evalf(Z,[lambda r:knn2(r,50,90),lambda r:pmax(r,H),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.5,.3],[mx]*4))
