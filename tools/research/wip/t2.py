from ev import *
import sys
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    for H in [90,180,365,730]:
      for k in [20,50,100]:
        print(Z,'knn',H,k,evaluate(Z,[lambda r:knn(r,k,H)],[1]))
    for H in [7,30]:
      F=[lambda r:knn(r,50,365),lambda r:prof(r,365),lambda r:comp(r,365,'own',HS),lambda r:recent(r,H)]
      for w in [(1,0,0,.3),(1,0,0,.5),(1,0,.3,.5),(1,.3,.3,.5),(1,0,.5,.5),(1,0,.3,1)]:
        print(Z,'rec',H,w, evaluate(Z,F,w))
