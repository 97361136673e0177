#!/usr/bin/env python3
# Session 4 (zk3): an activity prior learned from the replay's own past. Each pool person at each ticket falls in a
# bucket (tickets resolved so far x days since the last one, both on a log2 scale); the prior of a bucket is how
# often a person in that bucket was the one who resolved the next ticket (smoothed counts, updated after each
# ticket, before the test split too). Adds 'ret' (the prior, divided by the pool maximum) to a zk3_dump.py pickle.
# Usage: zk3_return.py DUMP.pickle OUT.pickle [PSEUDO]
import collections, math, pickle, sys

PSEUDO = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0


def bucket(count, days):
    return (min(int(math.log2(max(1, count))), 6), min(int(math.log2(1 + max(0.0, days))), 9))


d = pickle.load(open(sys.argv[1], 'rb'))
names = d['names']
ci, li = names.index('count'), names.index('last_days')
exposure, hits = collections.Counter(), collections.Counter()
for rec in d['records']:
    feats = rec['feats']
    bs = {q: bucket(f[ci], f[li]) for q, f in feats.items()}
    base = sum(hits.values()) / max(1.0, sum(exposure.values()))
    vals = {q: (hits[b] + PSEUDO * base) / (exposure[b] + PSEUDO) for q, b in bs.items()}
    top = max(vals.values()) or 1.0
    for q in feats:
        feats[q].append(vals[q] / top)
    for q, b in bs.items():
        exposure[b] += 1
        hits[b] += q == rec['who']
d['names'] = names + ['ret']
pickle.dump(d, open(sys.argv[2], 'wb'))
for b in sorted(exposure):
    print(b, exposure[b], hits[b], round(hits[b] / exposure[b], 3))
