exec(open('t4.py').read().split("for Z in")[0])
import sys
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    for H in [14,30,60,90]:
      for k in [25,50,100,200]:
        print(Z,H,k,'knn',evalf(Z,[lambda r:knn2(r,k,H)],[1],[mx]),'+erec5+comp',evalf(Z,[lambda r:knn2(r,k,H),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],[1,.5,.3],[mx]*3))
