#!/usr/bin/env python3
"""The strongest simple baseline we know, on the replay protocol of docs/evaluation.md:
a blend of four signals, each normalised to 0..1 over the candidate pool, weights 1/0.5/0.3/0.3:
  - kNN: TF-IDF cosine over the 50 most similar past tickets, each vote decayed by age
    (half-life 180 days, square-rooted);
  - profile: each person's vocabulary, the TF-IDF vectors of their resolved tickets summed
    with the same age decay, dotted with the ticket;
  - components: age-decayed count of each person's tickets in the ticket's components;
  - recent activity: tickets the person resolved in the last 30 days.
  python3 tools/research/blend.py HISTORY.jsonl [--weights 1,0.5,0.3,0.3]
"""
import argparse, collections, datetime as dt, json, math, re

ap = argparse.ArgumentParser(); ap.add_argument("history"); ap.add_argument("--weights", default="1,0.5,0.3,0.3")
a = ap.parse_args(); W = [float(x) for x in a.weights.split(",")]
def ts(s): return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
rows = [json.loads(l) for l in open(a.history)]
rows.sort(key=lambda r: (ts(r["resolved"]), r["key"]))
cut = int(len(rows) * 0.8); YEAR = 365 * 86400; HALF = 180 * 86400
TOK = re.compile(r"[a-z][a-z0-9_]{1,}"); ISSUE = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b|#\d+")
def toks(r): return TOK.findall(ISSUE.sub(" ", r["title"] + "\n" + (r.get("description") or "")).lower())
df = collections.Counter()
for r in rows[:cut]: df.update(set(toks(r)))
idf = {w: math.log((cut + 1) / (c + 1)) + 1 for w, c in df.items()}
def vec(r):
    tf = collections.Counter(toks(r))
    v = {w: (1 + math.log(c)) * idf[w] for w, c in tf.items() if w in idf}
    n = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / n for w, x in v.items()}
pools = []; window = collections.deque(); counts = collections.Counter()
for r in rows:
    t = ts(r["resolved"])
    while window and window[0][0] < t - YEAR:
        _, w = window.popleft(); counts[w] -= 1
        if counts[w] == 0: del counts[w]
    pools.append(set(counts)); window.append((t, r["assignee"])); counts[r["assignee"]] += 1
inv = collections.defaultdict(list)
prof = collections.defaultdict(lambda: collections.defaultdict(float))
comp = collections.defaultdict(lambda: collections.defaultdict(float))
recent = collections.defaultdict(list)
T0 = ts(rows[0]["resolved"])
def learn(i):
    r = rows[i]; t = ts(r["resolved"]); g = 2 ** ((t - T0) / HALF)  # growth == decay of everything older
    for w, x in vec(r).items(): inv[w].append((i, x)); prof[r["assignee"]][w] += x * g
    for c in r.get("components", []): comp[c][r["assignee"]] += g
    recent[r["assignee"]].append(t)
def norm(d):
    m = max(d.values()) if d else 0
    return {k: v / m for k, v in d.items()} if m > 0 else {}
for i in range(cut): learn(i)
hits = collections.Counter(); n = 0; rr = 0.0
for i in range(cut, len(rows)):
    r = rows[i]; pool = pools[i]; t = ts(r["resolved"]); v = vec(r)
    sims = collections.Counter()
    for w, x in v.items():
        for j, y in inv.get(w, ()): sims[j] += x * y
    knn = collections.Counter()
    for j, s in sims.most_common(50): knn[rows[j]["assignee"]] += s * 0.5 ** ((t - ts(rows[j]["resolved"])) / HALF / 2)
    pr = {p: sum(x * prof[p].get(w, 0.0) for w, x in v.items()) for p in pool}
    cs = collections.Counter()
    for c in r.get("components", []):
        for p, x in comp[c].items(): cs[p] += x
    rec = {p: sum(1 for tt in recent[p][-50:] if tt > t - 30 * 86400) for p in pool}
    feats = [norm({p: x for p, x in knn.items() if p in pool}), norm(pr), norm({p: x for p, x in cs.items() if p in pool}), norm(rec)]
    score = collections.Counter()
    for wgt, f in zip(W, feats):
        for p, x in f.items(): score[p] += wgt * x
    ranked = [p for p, _ in score.most_common(10)]
    if r["assignee"] in pool:
        n += 1
        if r["assignee"] in ranked:
            pos = ranked.index(r["assignee"]); rr += 1 / (pos + 1)
            for k in (1, 3, 5, 10):
                if pos < k: hits[k] += 1
    learn(i)
print(json.dumps({"history": a.history.rsplit("/", 1)[-1], "blend in_pool": {**{f"top{k}": round(hits[k] / n, 3) for k in (1, 3, 5, 10)}, "mrr": round(rr / n, 3), "n": n}}))
