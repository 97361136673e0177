#!/usr/bin/env python3
# Session 4 (zk3): adds a writing-style signal to a zk3_dump.py pickle: binary traits of the ticket's text that words do
# not capture (empty description, a "(#123)" reference in the title, a trailing period, a lower-case first letter, a
# "WORD:" prefix), each person's smoothed rate of each trait (pseudo-count toward the team's rate), and the product of
# likelihood ratios P(trait value | person) / P(trait value | team) as the signal (divided by the pool maximum).
# Usage: zk3_style.py HISTORY DUMP.pickle OUT.pickle [PSEUDO]
import collections, pickle, re, sys
sys.path.insert(0, 'tools/research')
import scoring_model as sm

PSEUDO = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0


def traits(r):
    title = (r.get('title') or '').strip()
    desc = (r.get('description') or '').strip()
    return (not desc, bool(re.search(r'\(#\d+\)', title)), title.endswith('.'), title[:1].islower(),
            bool(re.match(r'[A-Za-z]+:', title)))


rows = sm.load_history(sys.argv[1])
d = pickle.load(open(sys.argv[2], 'rb'))
by_index = {rec['i']: rec for rec in d['records']}
person = collections.defaultdict(lambda: [0.0] * 6)   # counts of each trait true, then total at [5]
team = [0.0] * 6
for i, r in enumerate(rows):
    rec = by_index.get(i)
    tr = traits(r)
    if rec is not None:
        vals = {}
        for q in rec['feats']:
            c = person[q]
            lr = 1.0
            for k, v in enumerate(tr):
                tp = (team[k] + 1) / (team[5] + 2)
                pq = (c[k] + PSEUDO * tp) / (c[5] + PSEUDO)
                lr *= pq / tp if v else (1 - pq) / (1 - tp)
            vals[q] = lr
        top = max(vals.values()) or 1.0
        for q in rec['feats']:
            rec['feats'][q].append(vals[q] / top)
    who = r.get('assignee')
    if who:
        for k, v in enumerate(tr):
            person[who][k] += v
            team[k] += v
        person[who][5] += 1
        team[5] += 1
d['names'] = d['names'] + ['style']
pickle.dump(d, open(sys.argv[3], 'wb'))
