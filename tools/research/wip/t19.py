from lib import *
import sys, ev
for Z in sys.argv[1:]:
    ev._cache.clear(); HS=data(Z)['HS']
    print(Z,'knn',evalf(Z,[lambda r:knn2(r,50,90)],[1]),'base',evalf(Z,[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:compd(r,365,HS,True,False)],[1,.5,.3]))
