from lib import *
import sys
Z=sys.argv[1]; HS=data(Z)['HS']
def lastage(rec,H=30): return {p:2**(-max(0,min(a))/H) for p,a in rec['act'].items()}
def tot(rec,H): return {p:rec['tot'][p][HS.index(H)] for p in rec['cands']}
feats={'knn90':lambda r:knn2(r,50,90),'knn365':lambda r:knn2(r,50,365),'pmax365':lambda r:pmax(r,365),
 'erec3':lambda r:erec(r,3),'erec5':lambda r:erec(r,5),'erec10':lambda r:erec(r,10),'erec30':lambda r:erec(r,30),'rec7':lambda r:recent(r,7),'rec30':lambda r:recent(r,30),
 'tot365':lambda r:tot(r,365),'totinf':lambda r:tot(r,1e9),'last30':lastage,'last7':lambda r:lastage(r,7),
 'comp365':lambda r:compd(r,365,HS,True,False),'comp90':lambda r:compd(r,90,HS,True,False),'compdet':lambda r:compd(r,365,HS,False,True),
 'pbm365':lambda r:r['pbm'][365],'prof365':lambda r:prof(r,365)}
names=list(feats)
X=[]
for r in data(Z)['recs']:
    if r['who'] not in r['pool']: continue
    c=r['cands']; F=[mx(feats[n](r),c) for n in names]
    X.append((c,c.index(r['who']),[[F[k][p] for k in range(len(names))] for p in c]))
pickle.dump((names,X),open(Z+'.ltr','wb'))
