#!/usr/bin/env python3
# Session 4 (zk3): adds key-neighbourhood signals to a zk3_dump.py pickle. Jira keys number tickets in creation order;
# for a new ticket PROJECT-N, each person's decayed count of the learned tickets with nearby numbers,
# sum of 2^(-|N - n| / h), h in ticket numbers (tickets filed together often go to the same person).
# Usage: zk3_keys.py HISTORY DUMP.pickle OUT.pickle
import bisect, collections, pickle, re, sys
sys.path.insert(0, 'tools/research')
import scoring_model as sm

KEY = re.compile(r'([A-Z][A-Z0-9_]*)-(\d+)$')
HS = (1, 2, 3, 5, 7, 10, 15, 20, 50)

rows = sm.load_history(sys.argv[1])
d = pickle.load(open(sys.argv[2], 'rb'))
by_index = {rec['i']: rec for rec in d['records']}
nums = []   # sorted (number, person)
for i, r in enumerate(rows):
    rec = by_index.get(i)
    if rec is not None:
        m = KEY.match(r['key'])
        vals = {h: collections.defaultdict(float) for h in HS}
        if m:
            n = int(m.group(2))
            lo = bisect.bisect_left(nums, (n - 500, ''))
            hi = bisect.bisect_right(nums, (n + 500, '\uffff'))
            for x, q in nums[lo:hi]:
                for h in HS:
                    vals[h][q] += 0.5 ** (abs(n - x) / h)
        for h in HS:
            top = max((vals[h].get(q, 0.0) for q in rec['feats']), default=0.0) or 1.0
            for q in rec['feats']:
                rec['feats'][q].append(vals[h].get(q, 0.0) / top)
        for h in HS:
            for q in rec['feats']:
                rec['feats'][q].append(min(1.0, vals[h].get(q, 0.0)))
    m = KEY.match(r['key'])
    if m and r.get('assignee'):
        bisect.insort(nums, (int(m.group(2)), r['assignee']))
d['names'] = d['names'] + ['k%d' % h for h in HS] + ['kr%d' % h for h in HS]
pickle.dump(d, open(sys.argv[3], 'wb'))
