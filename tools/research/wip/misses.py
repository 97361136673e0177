# In_pool top-5 hits by the true person's past tickets and days since their last one: usage HISTORY PREDICTIONS.jsonl
import json,sys,collections
sys.path.insert(0,'tools/research')
import scoring_model as sm
rows=sm.load_history(sys.argv[1]); pred={}
for l in open(sys.argv[2]):
    d=json.loads(l); pred[d['key']]=d['ranked']
pools=sm.scoring_pools(rows)
cut=int(len(rows)*0.8)
cnt=collections.Counter(); last={}; first={}
buckets=collections.Counter(); hitsb=collections.Counter()
for i,r in enumerate(rows):
    if i>=cut and r['assignee'] in pools[i]:
        who=r['assignee']; n=cnt[who]; gap=(r['_created']-last.get(who,r['_created']))/86400
        b=('n<=3' if n<=3 else 'n<=10' if n<=10 else 'n>10', 'gap>60' if gap>60 else 'gap<=60')
        buckets[b]+=1
        rk=pred.get(r['key'],[])
        if who in rk[:5]: hitsb[b]+=1
    cnt[r['assignee']]+=1; last[r['assignee']]=r['_resolved']; first.setdefault(r['assignee'],r['_resolved'])
for b in sorted(buckets): print(b, buckets[b], hitsb[b], round(hitsb[b]/buckets[b],3))
