from lib import *
import sys
Z=sys.argv[1]; HS=data(Z)['HS']
def lastage(rec,H=30): return {p:2**(-max(0,min(a))/H) for p,a in rec['act'].items()}
F=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:compd(r,365,HS,True,False),lambda r:r['pbm'][365],lambda r:lastage(r,30)]
for w in [(1,.5,.3,0,0),(1,.5,.3,.5,0),(1,.5,.3,1,0),(1,.5,.5,1,0),(.5,.5,.5,1,0),(1,.5,.3,1,.3),(1,.5,.5,1,.5),(1,.3,.5,1,.5),(1,.5,.5,1.5,.5),(1,.7,.7,1.5,.5)]:
    print(Z,w,evalf(Z,F,w))
