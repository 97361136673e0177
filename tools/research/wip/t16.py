from lib import *
import ev
import sys
for Z in sys.argv[1:]:
    ev._cache.clear(); HS=data(Z)['HS']
    for H in [90,365,730]:
        print(Z,'pbm',H,evalf(Z,[lambda r:r['pbm'][H]],[1]), '+erec+comp',evalf(Z,[lambda r:r['pbm'][H],lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3]),
              'knn+pbm+..',evalf(Z,[lambda r:knn2(r,50,90),lambda r:r['pbm'][H],lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.5,.3]))
    print(Z,'base',evalf(Z,[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3]))
