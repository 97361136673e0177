#!/usr/bin/env python3
# Session 4 (zk3): scores combinations of the signals dumped by zk3_dump.py (in_pool top-1 / top-5 / MRR of the
# test tickets). Usage: zk3_eval.py DUMP.pickle ['EXPR' ...]; EXPR is a Python expression over the signal names,
# e.g. "0.5*(0.5*knn+0.5*vocab)+0.2*skill+0.3*(0.5*burst+0.5*presence)" (the model as it is).
import math, pickle, sys

RRF_K = 5.0
BASE = "0.5*(0.5*knn+0.5*vocab)+0.2*skill+0.3*(0.5*burst+0.5*presence)"


def load(path):
    d = pickle.load(open(path, 'rb'))
    return d['names'], d['records']


def evaluate(names, records, expr, test_only=True):
    code = compile(expr, '<expr>', 'eval')
    hits1 = hits5 = 0
    rr = 0.0
    n = 0
    for rec in records:
        if test_only and not rec['test']:
            continue
        if not rec['in_pool']:
            continue
        n += 1
        scored = []
        ranks = {}
        for j, name in enumerate(names):
            if 'rk_' + name in expr:
                order = sorted(rec['feats'], key=lambda q: -rec['feats'][q][j])
                ranks[name] = {q: i + 1 for i, q in enumerate(order)}
        for q, row in rec['feats'].items():
            env = dict(zip(names, row))
            for name, r in ranks.items():
                env['rk_' + name] = 1.0 / (RRF_K + r[q])
            env['log'] = math.log
            env['max'] = max
            env['min'] = min
            scored.append((-eval(code, {}, env), q))
        scored.sort()
        ranked = [q for _, q in scored[:10]]
        who = rec['who']
        if who in ranked:
            pos = ranked.index(who)
            rr += 1 / (pos + 1)
            hits1 += pos < 1
            hits5 += pos < 5
    return round(hits1 / n, 3), round(hits5 / n, 3), round(rr / n, 3), hits5, n


if __name__ == '__main__':
    names, records = load(sys.argv[1])
    for expr in sys.argv[2:] or [BASE]:
        print(evaluate(names, records, expr), expr)
