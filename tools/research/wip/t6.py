exec(open('t4.py').read().split("for Z in")[0])
import sys
for Z in sys.argv[1:]:
    HS=data(Z)['HS']
    print(Z,'knn90 bm25',evalf(Z,[lambda r:knn2(r,50,90)],[1],[mx]), 'knn90 cos',evalf(Z,[lambda r:knn2(r,50,90,'cnb')],[1],[mx]),
      '+erec5',evalf(Z,[lambda r:knn2(r,50,90),lambda r:erec(r,5)],[1,.5],[mx]*2),
      '+erec5+comp',evalf(Z,[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3],[mx]*3))
