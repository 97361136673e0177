import collections, math, pickle, sys

_cache = {}
def data(name):
    if name not in _cache: _cache[name] = pickle.load(open(name, "rb"))
    return _cache[name]

def knn(rec, k=50, H=365, field="nb", power=1.0, wfloor=0.0):
    v = collections.defaultdict(float)
    for p, s, a in rec[field][:k]:
        v[p] += (s ** power) * 2 ** (-max(0.0, a) / H)
    return v

def prof(rec, H=365):
    return rec["prof"][H]

def comp(rec, H=365, mode="own", HS=None):
    h = HS.index(H)
    v = collections.defaultdict(float); W = 0.0
    for c, cdf, d in rec["comp"]:
        w = math.log(1 + rec["N"] / (cdf + 1))
        tot = sum(x[h] for x in d.values()) or 1
        W += w
        for p, x in d.items():
            if mode == "own": v[p] += w * x[h] / tot
            else:
                pt = rec["tot"].get(p)
                if pt: v[p] += w * x[h] / (pt[h] or 1)
    return v

def recent(rec, H=30):
    return {p: sum(2 ** (-max(0.0, a) / H) for a in ages) for p, ages in rec["act"].items()}

def norm(v, cands, how="max"):
    vals = {p: v.get(p, 0.0) for p in cands}
    if how == "max":
        m = max(vals.values(), default=0)
        return {p: x / m for p, x in vals.items()} if m > 0 else vals
    if how == "log":
        m = max(vals.values(), default=0)
        return {p: math.log1p(x) / math.log1p(m) for p, x in vals.items()} if m > 0 else vals
    if how == "rank":
        srt = sorted((x for x in vals.values() if x > 0), reverse=True)
        pos = {}
        for i, x in enumerate(srt): pos.setdefault(x, i)
        return {p: (1 / (1 + pos[x]) if x > 0 else 0.0) for p, x in vals.items()}
    if how == "sum":
        s = sum(vals.values())
        return {p: x / s for p, x in vals.items()} if s > 0 else vals

def evaluate(name, feats, weights, how="max", verbose=False, pool_only=True):
    """feats: list of functions rec->dict; weights list."""
    d = data(name); recs = d["recs"]
    hits = collections.Counter(); rr = 0; n = 0
    hitsA = collections.Counter(); rrA = 0
    for rec in recs:
        cands = rec["cands"]
        score = collections.defaultdict(float)
        for f, w in zip(feats, weights):
            if w == 0: continue
            hw = how if isinstance(how, str) else how[feats.index(f)]
            for p, x in norm(f(rec), cands, hw).items(): score[p] += w * x
        ranked = sorted(cands, key=lambda p: (-score[p], p))[:10]
        who = rec["who"]
        pos = ranked.index(who) if who in ranked else None
        inp = who in rec["pool"]
        if pos is not None:
            for k in (1, 3, 5, 10):
                if pos < k:
                    hitsA[k] += 1
                    if inp: hits[k] += 1
            rrA += 1 / (pos + 1)
            if inp: rr += 1 / (pos + 1)
        n += inp
    N = len(recs)
    return dict(t1=round(hits[1] / n, 3), t3=round(hits[3] / n, 3), t5=round(hits[5] / n, 3), t10=round(hits[10] / n, 3), mrr=round(rr / n, 3), n=n,
                a1=round(hitsA[1] / N, 3), a5=round(hitsA[5] / N, 3))
