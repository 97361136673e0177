exec(open('t4.py').read().split("for Z in")[0])
from common import load
Z="zk.pkl"; HS=data(Z)['HS']
rows,cut=load('../../../Tests/Fixtures/histories/zookeeper-tickets.jsonl'); R={r['key']:r for r in rows}
fs=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)]; ws=[1,.5,.3]
import random; random.seed(3)
out=[]
for rec in data(Z)['recs']:
    if rec['who'] not in rec['pool']: continue
    c=rec['cands']; s=collections.defaultdict(float); parts={}
    for k,(f,w) in enumerate(zip(fs,ws)):
        nv=mx(f(rec),c); parts[k]=nv
        for p,x in nv.items(): s[p]+=w*x
    rk=sorted(c,key=lambda p:(-s[p],p))
    pos=rk.index(rec['who'])
    if pos>0: out.append((rec,rk,pos,parts))
print(len(out))
for rec,rk,pos,parts in random.sample(out,12):
    r=R[rec['key']]; w=rec['who']
    n365=sum(1 for a in rec['act'][w] if a<365)
    print(f"--- pos {pos} who {w} (n365 {n365}) top {rk[0]} | {r['title'][:90]} | {r['components']}")
    print('   who parts', [round(parts[k][w],2) for k in range(3)], 'top parts', [round(parts[k][rk[0]],2) for k in range(3)])
    print('   nb', [(p[:12],round(s,1),int(a)) for p,s,a in rec['nb'][:6]])
