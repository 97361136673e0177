#!/usr/bin/env python3
# Session 4 (zk3): conditional-logit learning-to-rank over the dumped signals (numpy; research only).
# Usage: zk3_ltr.py DUMP.pickle MODE [features...]
#   MODE cheat: fit on the test tickets themselves (an upper bound of what the features can give, not a result)
#   MODE warm:  fit on the dumped learning tickets before the test split only, then score the test tickets
#   MODE online: refit every 50 test tickets on everything before the current one (a sliding window)
import math, pickle, sys
import numpy as np

BASE_W = {'knn': 0.25, 'vocab': 0.25, 'skill': 0.2, 'burst': 0.15, 'presence': 0.15}


def transform(name, col):
    if name in ('count', 'volume'):
        return np.log1p(col)
    if name in ('first_days', 'last_days'):
        return np.log1p(np.maximum(col, 0)) / 5
    return col


def matrices(names, records, feats):
    idx = [names.index(f.split(':')[0]) for f in feats]
    out = []
    for rec in records:
        people = list(rec['feats'])
        X = np.array([[rec['feats'][q][i] for i in idx] for q in people], dtype=float)
        for j, f in enumerate(feats):
            X[:, j] = transform(f, X[:, j])
        y = people.index(rec['who']) if rec['who'] in rec['feats'] else -1
        out.append((X, y, rec))
    return out


def fit(data, w0, scale=10.0, l2=1.0, steps=300, lr=0.05):
    """Softmax over the pool (conditional logit), L2 pulled toward the prior w0, Adam."""
    w = w0 * scale
    prior = w.copy()
    m = np.zeros_like(w); v = np.zeros_like(w)
    train = [(X, y) for X, y, _ in data if y >= 0]
    for step in range(1, steps + 1):
        g = np.zeros_like(w)
        for X, y in train:
            s = X @ w
            s -= s.max()
            p = np.exp(s); p /= p.sum()
            g += X[y] - p @ X
        g = g / len(train) - l2 * (w - prior) / len(train)
        m = 0.9 * m + 0.1 * g; v = 0.999 * v + 0.001 * g * g
        w += lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w


def score(data, w):
    h1 = h5 = 0; rr = 0.0; n = 0
    for X, y, rec in data:
        if not rec['in_pool'] or y < 0:
            continue
        n += 1
        s = X @ w
        rank = int((s > s[y]).sum())
        h1 += rank < 1; h5 += rank < 5
        if rank < 10:
            rr += 1 / (rank + 1)
    return round(h1 / n, 3), round(h5 / n, 3), round(rr / n, 3), h5, n


if __name__ == '__main__':
    d = pickle.load(open(sys.argv[1], 'rb'))
    mode = sys.argv[2]
    feats = sys.argv[3:] or list(BASE_W)
    names, records = d['names'], d['records']
    data = matrices(names, records, feats)
    w0 = np.array([BASE_W.get(f, 0.0) for f in feats])
    test = [x for x in data if x[2]['test']]
    warm = [x for x in data if not x[2]['test']]
    print('prior', score(test, w0))
    if mode == 'cheat':
        w = fit(test, w0)
        print('cheat', score(test, w), dict(zip(feats, np.round(w, 2))))
    elif mode == 'warm':
        w = fit(warm, w0)
        print('warm', score(test, w), dict(zip(feats, np.round(w, 2))))
    elif mode == 'online':
        every = 50
        hist = list(warm)
        scored = []
        w = fit(hist[-1000:], w0) if hist else w0 * 10
        for k in range(0, len(test), every):
            chunk = test[k:k + every]
            scored += [(X, y, rec, w) for X, y, rec in chunk]
            hist += chunk
            w = fit(hist[-1000:], w0, steps=150)
        h1 = h5 = 0; rr = 0.0; n = 0
        for X, y, rec, wk in scored:
            if not rec['in_pool'] or y < 0:
                continue
            n += 1
            s = X @ wk
            rank = int((s > s[y]).sum())
            h1 += rank < 1; h5 += rank < 5
            rr += 1 / (rank + 1) if rank < 10 else 0
        print('online', (round(h1 / n, 3), round(h5 / n, 3), round(rr / n, 3), h5, n), dict(zip(feats, np.round(w, 2))))
