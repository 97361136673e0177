from lib import *
import sys
Z=sys.argv[1]; HS=data(Z)['HS']
def lastage(rec,H=30): return {p:2**(-max(0,min(a))/H) for p,a in rec['act'].items()}
for H in [90,180,365,730,1e9]:
    F=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:compd(r,365,HS,True,False),lambda r:r['pbm'][H],lambda r:lastage(r,30)]
    print(Z,'pbmH',H,'alone',evalf(Z,F[3:4],[1]),'combo',evalf(Z,F,(1,.7,.7,1.5,.5)))
for L in [7,14,30,90]:
    F=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:compd(r,365,HS,True,False),lambda r:r['pbm'][365],lambda r:lastage(r,L)]
    print(Z,'lastH',L,'combo',evalf(Z,F,(1,.7,.7,1.5,.5)))
