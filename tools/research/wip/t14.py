from lib import *
from common import load
Z="zk.pkl"; HS=data(Z)['HS']
rows,cut=load('../../../Tests/Fixtures/histories/zookeeper-tickets.jsonl'); R={r['key']:r for r in rows}
fs=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)]; ws=[1,.5,.3]
import random; random.seed(5)
out=[]
for rec in data(Z)['recs']:
    if rec['who'] not in rec['pool']: continue
    c=rec['cands']; s=collections.defaultdict(float); parts={}
    for k,(f,w) in enumerate(zip(fs,ws)):
        nv=mx(f(rec),c); parts[k]=nv
        for p,x in nv.items(): s[p]+=w*x
    rk=sorted(c,key=lambda p:(-s[p],p))
    pos=rk.index(rec['who'])
    if pos>0 and min(rec['act'][rec['who']])<7: out.append((rec,rk,pos,parts))
print(len(out))
for rec,rk,pos,parts in random.sample(out,10):
    r=R[rec['key']]; w=rec['who']
    print(f"--- pos {pos} who {w} top {rk[0]} | {r['title'][:90]} | {r['description'][:150]!r} {r['components']}")
    for p in rk[:3]+([w] if pos>=3 else []):
        last=[R2 for R2 in []]
        print('   ',p[:15].ljust(15), [round(parts[k][p],2) for k in range(3)], 'last ages', sorted(round(a,1) for a in rec['act'][p])[:4])
    # who's recent tickets titles
    wt=[x for x in rows[:rows.index(r)] if x['assignee']==w][-2:]
    for x in wt: print('      who prev:',x['title'][:80], x['components'])
