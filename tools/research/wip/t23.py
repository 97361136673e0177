from lib import *
import sys, ev
def lastage(rec,H=30): return {p:2**(-max(0,min(a))/H) for p,a in rec['act'].items()}
for Z in sys.argv[1:]:
    ev._cache.clear(); HS=data(Z)['HS']
    F=[lambda r:knn2(r,50,90),lambda r:r['pbm'][365],lambda r:compd(r,365,HS,True,False),lambda r:erec(r,5),lambda r:lastage(r,30)]
    print(Z,'knn',evalf(Z,F[:1],[1]),'pbm',evalf(Z,F[1:2],[1]),'combo',evalf(Z,F,[.35,.65,.3,.35,.35]))
