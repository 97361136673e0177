from lib import *
def conf_knn(r,k=50,H=90,g=1):
    v=knn2(r,k,H); c=r['cands']; m=max((v.get(p,0) for p in c),default=0)
    q=(r['cnb'][0][1] if r['cnb'] else 0)**g
    return {p:q*v.get(p,0)/m for p in c} if m>0 else {}
ident=lambda v,c:{p:v.get(p,0) for p in c}
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    tops=sorted(r['cnb'][0][1] for r in data(Z)['recs'] if r['cnb']); n=len(tops)
    print(Z,'cos top quantiles',[round(tops[int(q*(n-1))],2) for q in (.1,.25,.5,.75,.9)])
    for g in [0.5,1]:
      for w in [(1,.3,.2),(1,.5,.3),(1,.3,.3),(1,.2,.2)]:
        print(Z,g,w,evalf(Z,[lambda r:conf_knn(r,50,90,g),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)],w,[ident,mx,mx]))
