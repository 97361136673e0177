from lib import *
Z='zk_bs.pkl'; HS=data(Z)['HS']
fs=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:compd(r,365,HS,True,False)]; ws=[1,.5,.3]
miss=collections.Counter(); pred=collections.Counter(); tot=collections.Counter(); conf=collections.Counter()
for rec in data(Z)['recs']:
    if rec['who'] not in rec['pool']: continue
    c=rec['cands']; s=collections.defaultdict(float)
    for f,w in zip(fs,ws):
        for p,x in mx(f(rec),c).items(): s[p]+=w*x
    top=min(c,key=lambda p:(-s[p],p)); tot[rec['who']]+=1
    if top!=rec['who']: miss[rec['who']]+=1; pred[top]+=1; conf[(rec['who'],top)]+=1
    else: pred['__hit_'+top]+=1
print('assignee: total, missed'); print([(p,tot[p],miss[p]) for p,_ in tot.most_common(15)])
print('wrong predictions by person',pred.most_common(15))
print(conf.most_common(10))
