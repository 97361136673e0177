from lib import *
import sys, ev
def lastage(rec,H=30): return {p:2**(-max(0,min(a))/H) for p,a in rec['act'].items()}
def knnpool(rec,k=50,H=90):
    cs=set(rec['cands']); nb=[x for x in rec['nb'] if x[0] in cs][:k]
    if not nb: return {}
    top=nb[0][1]; v=collections.defaultdict(float)
    for p,s,a in nb: v[p]+=s/top*2**(-max(0,a)/H)
    return v
for Z in sys.argv[1:]:
    ev._cache.clear(); HS=data(Z)['HS']
    F=[lambda r:knn2(r,50,90),lambda r:r['pbm'][365],lambda r:compd(r,365,HS,True,False),lambda r:erec(r,5),lambda r:lastage(r,30)]
    print(Z,'base',evalf(Z,F,[.35,.65,.3,.35,.35]))
    for k in [20,50]:
      for H in [90,365]:
        G=[lambda r:knnpool(r,k,H)]+F[1:]
        print(Z,'knnpool',k,H,evalf(Z,G,[.35,.65,.3,.35,.35]),'alone',evalf(Z,G[:1],[1]))
