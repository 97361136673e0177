exec(open('t4.py').read().split("for Z in")[0])
import itertools,sys
Z=sys.argv[1]; HS=data(Z)['HS']
names=['knn90','knn365','erec5','rec7','comp365','prof365','comp90','rec30','erec20']
fs=[lambda r:knn2(r,50,90),lambda r:knn2(r,50,365),lambda r:erec(r,5),lambda r:recent(r,7),lambda r:comp(r,365,'own',HS),lambda r:prof(r,365),lambda r:comp(r,90,'own',HS),lambda r:recent(r,30),lambda r:erec(r,20)]
# precompute normalized features
recs=[r for r in data(Z)['recs'] if r['who'] in r['pool']]
X=[]
for r in recs:
    c=r['cands']; F=[mx(f(r),c) for f in fs]
    X.append((c,r['who'],[[F[k][p] for k in range(len(fs))] for p in c]))
pickle.dump((names,X),open(Z+'.feat','wb'))
