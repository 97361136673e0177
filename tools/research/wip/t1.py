from ev import *
import sys
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    def rwin(r,D=30): return {p: sum(1 for a in ages if a<D) for p,ages in r['act'].items()}
    def compraw(r,H=180):
        h=HS.index(H); v=collections.defaultdict(float)
        for c,cdf,d in r['comp']:
            for p,x in d.items(): v[p]+=x[h]
        return v
    F=[lambda r:knn(r,50,360,'cnb'),lambda r:prof(r,180),compraw,rwin]
    print(Z,'blend-like',evaluate(Z,F,(1,.5,.3,.3)))
    for name,f in [('knn bm25 k50 H365',lambda r:knn(r,50,365)),('knn cos k50 H365',lambda r:knn(r,50,365,'cnb')),
      ('knn bm25 k50 Hinf',lambda r:knn(r,50,1e9)),('prof365',lambda r:prof(r,365)),('comp own 365',lambda r:comp(r,365,'own',HS)),
      ('comp spec 365',lambda r:comp(r,365,'spec',HS)),('recent30',lambda r:recent(r,30)),('recent7',lambda r:recent(r,7)),('recent90',lambda r:recent(r,90))]:
        print(Z,name, evaluate(Z,[f],[1]))
