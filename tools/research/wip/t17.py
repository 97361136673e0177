from lib import *
import sys
for Z in sys.argv[1:]:
    HS=data(Z)['HS']
    d=data(Z)['recs']
    # detection quality: how often top detected == a given component
    hit=sum(1 for r in d if r['det'] and r['det'][0][0] in r['comps'])/len(d); print(Z,'det top1 in given',round(hit,3))
    base=[lambda r:knn2(r,50,90),lambda r:erec(r,5)]
    for name,f in [('given',lambda r:compd(r,365,HS,True,False)),('det only',lambda r:compd(r,365,HS,False,True)),('given+det',lambda r:compd(r,365,HS,True,True)),
                   ('given+det thr.2',lambda r:compd(r,365,HS,True,True,.2)),('given+det noidf',lambda r:compd(r,365,HS,True,True,idfw=False)),('given noidf',lambda r:compd(r,365,HS,True,False,idfw=False))]:
        print(Z,name,'alone',evalf(Z,[f],[1]),'combo',evalf(Z,base+[f],[1,.5,.3]),evalf(Z,base+[f],[1,.5,.5]))
