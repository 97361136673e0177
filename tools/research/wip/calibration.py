# Observed/expected calibration per person (replay test phase only): usage HISTORY HALF_LIFE_TICKETS POWER TOP_K
import json,sys,collections,math
sys.path.insert(0,'tools/research')
import scoring_model as sm
H=float(sys.argv[2]); G=float(sys.argv[3]); K=int(sys.argv[4])
p=dict(sm.DEFAULTS)
rows=sm.load_history(sys.argv[1]); pools=sm.scoring_pools(rows)
cut=int(len(rows)*0.8); m=sm.Model(p)
for i in range(cut): m.learn(rows[i], sm.ticket_terms(rows[i],p), rows[i]['_resolved'])
E=collections.defaultdict(float); A=collections.defaultdict(float)
decay=0.5**(1/H)
ranked_by={}
for i in range(cut,len(rows)):
    r=rows[i]; vis={f:r.get(f) for f in ("key","title","description","components","labels","created")}
    terms=sm.ticket_terms(vis,p)
    rk=m.rank(vis,terms,r['_created'],limit=10**9)
    adj=sorted(((s*((A[q]+1)/(E[q]+1))**G, q) for q,s,_ in rk), key=lambda x:(-x[0],x[1]))
    ranked_by[r['key']]=[q for _,q in adj[:10]]
    for q in E: E[q]*=decay
    for q in A: A[q]*=decay
    for q,_,_ in rk[:K]: E[q]+=1/K
    A[r['assignee']]+=1
    m.learn(r,terms,r['_resolved'])
print(H,G,K,sm.figures(rows,range(cut,len(rows)),ranked_by,pools)['in_pool'])
