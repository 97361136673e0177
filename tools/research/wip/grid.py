import pickle,sys,itertools
from fit import ev
D={z:pickle.load(open(z,'rb')) for z in ['zk_bs.pkl.ltr','np_bs.pkl.ltr']}
def W(names,d):
    return [d.get(n,0.0) for n in names]
def run(d):
    out=[]
    for z,(names,X) in D.items():
        X2=[(c,c[i],M) for c,i,M in X]
        out.append(ev(X2,W(names,d)))
    return out
res=[]
for a in [0.3,0.5,0.7]:            # knn share in similarWork
  for e in [0.3,0.5,0.7]:          # erec share in recentActivity
    for ws,wk,wr in itertools.product([1],[0.2,0.3,0.5],[0.3,0.5,0.7,1]):
        d={'knn90':ws*a,'pbm365':ws*(1-a),'comp365':wk,'erec5':wr*e,'last30':wr*(1-e)}
        r=run(d); res.append((r,a,e,ws,wk,wr))
        print(a,e,ws,wk,wr,r,flush=True)
