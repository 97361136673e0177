from lib import *
import sys, ev
def lastage(rec,H=30): return {p:2**(-max(0,min(a))/H) for p,a in rec['act'].items()}
def presence(rec,m=10,prior=30,mult=1.0):
    v={}
    for p,ages in rec['act'].items():
        a=sorted(max(0,x) for x in ages)
        last=a[0]; recent=a[:m+1]
        gap=(recent[-1]-recent[0])/(len(recent)-1) if len(recent)>1 else prior
        gap=(gap*(len(recent)-1)+prior)/len(recent)  # shrink to prior
        v[p]=2**(-last/(mult*gap+1))
    return v
for Z in sys.argv[1:]:
    ev._cache.clear(); HS=data(Z)['HS']
    F=[lambda r:knn2(r,50,90),lambda r:r['pbm'][365],lambda r:compd(r,365,HS,True,False),lambda r:erec(r,5),lambda r:lastage(r,30)]
    print(Z,'base',evalf(Z,F,[.35,.65,.3,.35,.35]), 'last30 alone',evalf(Z,F[4:],[1]))
    for prior in [30,90]:
      for mult in [1,3]:
        G=F[:4]+[lambda r:presence(r,10,prior,mult)]
        print(Z,'presence',prior,mult,evalf(Z,G,[.35,.65,.3,.35,.35]),'alone',evalf(Z,G[4:],[1]))
