exec(open('t4.py').read().split("for Z in")[0])
import sys
def knn3(rec,k=50,H=90,field='nb',rel=True):
    nb=[(p,s*2**(-max(0,a)/H)) for p,s,a in rec[field]]
    nb.sort(key=lambda x:-x[1]); nb=nb[:k]
    if not nb: return {}
    top=nb[0][1] if rel else 1
    v=collections.defaultdict(float)
    for p,s in nb: v[p]+=s/top
    return v
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    for H in [90,180,365]:
      for k in [10,25,50]:
        print(Z,H,k,'knn3',evalf(Z,[lambda r:knn3(r,k,H)],[1],[mx]),'+erec5+comp',evalf(Z,[lambda r:knn3(r,k,H),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3],[mx]*3))
