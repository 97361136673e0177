#!/usr/bin/env python3
# Session 4 (zk3): adds learned working-hours signals to a zk3_dump.py pickle. For each person, a decayed histogram of
# the UTC hours (instants only, the offsets are ignored) at which they resolved tickets, smoothed over neighbouring
# hours; the signal for a new ticket is the person's share of activity at the ticket's created hour, over the
# team's share (how much likelier than the team the person is at work then).
# Usage: zk3_hours.py HISTORY DUMP.pickle OUT.pickle
import collections, math, pickle, sys
sys.path.insert(0, 'tools/research')
import scoring_model as sm

DAY = sm.DAY
PSEUDO = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0


def hour(ts):
    return int((ts % DAY) // 3600)


def main():
    rows = sm.load_history(sys.argv[1])
    d = pickle.load(open(sys.argv[2], 'rb'))
    by_index = {rec['i']: rec for rec in d['records']}
    variants = {
        'h_res': ('_resolved', 365.0, 1),
        'h_res0': ('_resolved', 365.0, 0),
        'h_res2': ('_resolved', 365.0, 2),
        'h_cre': ('_created', 365.0, 1),
        'h_res_inf': ('_resolved', 1e9, 1),
    }
    hist = {v: collections.defaultdict(lambda: [0.0] * 24) for v in variants}
    stamp = {v: {} for v in variants}
    team = {v: [0.0] * 24 for v in variants}
    new_names = list(variants)
    for i, r in enumerate(rows):
        rec = by_index.get(i)
        if rec is not None:
            now = r['_created']
            h = hour(now)
            for v, (field, hl, width) in variants.items():
                t_hist = team[v]
                t_total = sum(t_hist) or 1.0
                vals = {}
                for q in rec['feats']:
                    hq = hist[v].get(q)
                    if hq is None:
                        vals[q] = 0.0
                        continue
                    tot = sum(hq)
                    num = sum(hq[(h + k) % 24] for k in range(-width, width + 1))
                    tnum = sum(t_hist[(h + k) % 24] for k in range(-width, width + 1))
                    # Laplace-smoothed share at this hour over the team's share.
                    tshare = (tnum + 1) / (t_total + 24)
                    share = (num + PSEUDO * tshare) / (tot + PSEUDO)
                    vals[q] = share / tshare
                top = max(vals.values()) or 1.0
                for q in rec['feats']:
                    rec['feats'][q].append(vals[q] / top)
        who = r.get('assignee')
        if who:
            for v, (field, hl, width) in variants.items():
                t = r[field]
                hq = hist[v][who]
                last = stamp[v].get(who, t)
                f = 0.5 ** (max(0.0, t - last) / (hl * DAY))
                for k in range(24):
                    hq[k] *= f
                hq[hour(t)] += 1
                stamp[v][who] = max(last, t)
                team[v][hour(t)] += 1
    d['names'] = d['names'] + new_names
    pickle.dump(d, open(sys.argv[3], 'wb'))


if __name__ == '__main__':
    main()
