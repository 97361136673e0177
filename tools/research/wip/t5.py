exec(open('t4.py').read().split("for Z in")[0])
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    for Hn in [5,10]:
      for w in [.3,.5,.7,1]:
        print(Z,'knn90+erec',Hn,w,evalf(Z,[lambda r:knn2(r,50,90),lambda r:erec(r,Hn)],[1,w],[mx]*2))
    for Hn in [5,10]:
      for w in [(1,.5,.3),(1,.5,.5),(1,.7,.3)]:
        print(Z,'knn90+erec+comp',Hn,w,evalf(Z,[lambda r:knn2(r,50,90),lambda r:erec(r,Hn),lambda r:comp(r,365,'own',HS)],w,[mx]*3))
