from lib import *
import random,sys
Z=sys.argv[1]; HS=data(Z)['HS']
def lastage(rec): return {p:2**(-max(0,min(a))/30) for p,a in rec['act'].items()}
def cnt(rec): return {p:math.log1p(rec['tot'][p][HS.index(1e9)]) for p in rec['cands']}
feats={'knn90':lambda r:knn2(r,50,90),'knn365':lambda r:knn2(r,50,365),'pmax365':lambda r:pmax(r,365),'ptop3':lambda r:ptop(r,365),
 'erec3':lambda r:erec(r,3),'erec10':lambda r:erec(r,10),'rec1':lambda r:recent(r,1),'rec7':lambda r:recent(r,7),'rec30':lambda r:recent(r,30),
 'comp365':lambda r:comp(r,365,'own',HS),'comp90':lambda r:comp(r,90,'own',HS),'prof365':lambda r:prof(r,365),'prof90':lambda r:prof(r,90),
 'last30':lastage,'cnt':cnt,'cknn':lambda r:knn2(r,50,90,'cnb')}
names=list(feats)
X=[]
for r in data(Z)['recs']:
    if r['who'] not in r['pool']: continue
    c=r['cands']; F=[mx(feats[n](r),c) for n in names]
    X.append((c,c.index(r['who']),[[F[k][p] for k in range(len(names))] for p in c]))
pickle.dump((names,X),open(Z+'.ltr','wb'))
