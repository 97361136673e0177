"""Replay and dump raw evidence per test ticket for offline combination."""
import collections, math, pickle, sys, time
from common import *
import re

path, out = sys.argv[1], sys.argv[2]
last = int(sys.argv[3]) if len(sys.argv) > 3 else None
opts = dict(a.split("=") for a in sys.argv[4:])
TITLE_W = float(opts.get("title_w", 1)); DESC_W = float(opts.get("desc_w", 1))
KEYS = opts.get("keys", "0") == "1"; BIG = opts.get("big", "0") == "1"; STEM = opts.get("stem", "0") == "1"; PARTS = opts.get("parts", "1") == "1"; PATHS = opts.get("paths", "1") == "1"
rows, cut = load(path, last)
pool = pools(rows)
HS = [30, 90, 180, 365, 730, 1e9]
K1, B = float(opts.get("k1", 1.2)), float(opts.get("b", 0.75))

SIMPLE = opts.get("tok") == "simple"
CTOK = float(opts.get("ctok", 0))
STOK = re.compile(r"[a-z][a-z0-9_]{1,}")
def terms(r):
    tf = collections.Counter()
    if SIMPLE:
        tf.update(STOK.findall(ISSUE.sub(" ", r["title"] + "\n" + (r.get("description") or "")).lower()))
        for c in r.get("components") or []: tf["comp:" + c] += CTOK
        return tf
    for w in tokens(r["title"], PARTS, PATHS, keys=KEYS, bigrams=BIG, stem=STEM): tf[w] += TITLE_W
    for w in tokens(r.get("description") or "", PARTS, PATHS, keys=KEYS, bigrams=BIG, stem=STEM): tf[w] += DESC_W
    for c in r.get("components") or []: tf["comp:" + c] += CTOK
    return tf

T = [terms(r) for r in rows]
CR = [ts(r["created"]) for r in rows]
RS = [ts(r["resolved"]) for r in rows]

df = collections.Counter(); N = 0; totlen = 0.0
post = collections.defaultdict(list)  # term -> [(j, bm25 tf part)]
cpost = collections.defaultdict(list)  # term -> [(j, log tf)] for cosine with idf at query
dlen = {}
hist = collections.defaultdict(list)  # person -> [resolved ts]
comp = collections.defaultdict(lambda: collections.defaultdict(list))  # comp -> person -> [ts]
cdf = collections.Counter()
ppost = collections.defaultdict(dict)  # term -> person -> [t_last, v per H]
ctot = collections.defaultdict(dict)  # comp -> person -> [t_last, v per H]
ptot = {}  # person -> [t_last, v per H]
ptf = collections.defaultdict(dict); plen = {}
wn = collections.Counter(); ws = collections.defaultdict(collections.Counter)

def bump(d, key, t, x):
    e = d.get(key)
    if e is None:
        d[key] = [t] + [x] * len(HS); return
    a = max(0.0, t - e[0]) / DAY
    for k, H in enumerate(HS): e[k + 1] = e[k + 1] * 2 ** (-a / H) + x
    e[0] = max(e[0], t)

def read(e, now):
    a = max(0.0, now - e[0]) / DAY
    return [v * 2 ** (-a / H) for v, H in zip(e[1:], HS)]

def learn(i):
    global N, totlen
    r = rows[i]; who = r["assignee"]; tf = T[i]
    if not who: return
    N += 1; L = sum(tf.values()); totlen += L; avg = totlen / N
    for w, c in tf.items():
        df[w] += 1
        post[w].append((i, c * (K1 + 1) / (c + K1 * (1 - B + B * L / avg))))
        bump(ppost[w], who, RS[i], c * (K1 + 1) / (c + K1 * (1 - B + B * L / avg)))
    dlen[i] = L
    v = {w: (1 + math.log(c) if c >= 1 else c) * idf(w) for w, c in tf.items()}
    n = math.sqrt(sum(x * x for x in v.values())) or 1
    for w, x in v.items(): cpost[w].append((i, x / n))
    hist[who].append(RS[i])
    for c in set(r.get("components") or []):
        bump(ctot[c], who, RS[i], 1.0); cdf[c] += 1
    bump(ptot, who, RS[i], 1.0)
    for w, c in tf.items(): bump(ptf[w], who, RS[i], c)
    bump(plen, who, RS[i], L)
    S = set(r.get("components") or []) | set("label:" + x for x in r.get("labels") or [])
    for w in tf:
        wn[w] += 1
        for sk in S: ws[w][sk] += 1

def idf(w):
    d = df.get(w, 0)
    return math.log(1 + (N - d + 0.5) / (d + 0.5))

START = int(cut * float(opts.get("from", 1)))
for i in range(START): learn(i)
recs = []
t0 = time.time()
for i in range(START, len(rows)):
    r = rows[i]; now = CR[i]; tf = T[i]
    cands = [p for p, h in hist.items() if h[-1] >= now - 365 * DAY]
    # bm25 sims
    sims = collections.defaultdict(float); cs = collections.defaultdict(float)
    qn = 0.0
    for w, c in tf.items():
        if w not in df: continue
        iw = idf(w); qw = c * (K1 + 1) / (c + K1)
        for j, x in post[w]: sims[j] += iw * qw * x
        qx = (1 + math.log(c) if c >= 1 else c) * iw; qn += qx * qx
        for j, x in cpost[w]: cs[j] += qx * x
    top = sorted(sims.items(), key=lambda x: -x[1])[:300]
    nb = [(rows[j]["assignee"], s, (now - RS[j]) / DAY) for j, s in top]
    # cosine: need doc norms with current idf -> approximate with norms computed lazily
    ctop = sorted(cs.items(), key=lambda x: -x[1])[:300]
    qn = math.sqrt(qn) or 1
    cnb = [(rows[j]["assignee"], s / qn, (now - RS[j]) / DAY) for j, s in ctop]
    # person profile (bm25-weighted term sums, decayed per H)
    prof = {H: collections.defaultdict(float) for H in HS}
    for w, c in tf.items():
        if w not in df: continue
        iw = idf(w); qw = c * (K1 + 1) / (c + K1)
        for p, e in ppost[w].items():
            for H, v in zip(HS, read(e, now)): prof[H][p] += iw * qw * v
    # person-as-document bm25
    pl = {p: read(plen[p], now) for p in cands}
    avgp = [sum(x[h] for x in pl.values()) / max(1, len(pl)) for h in range(len(HS))]
    pbm = {H: collections.defaultdict(float) for H in HS}
    for w, c in tf.items():
        if w not in df: continue
        iw = idf(w); qw = c * (K1 + 1) / (c + K1)
        for p, e in ptf[w].items():
            if p not in pl: continue
            for h, (H, v) in enumerate(zip(HS, read(e, now))):
                if v > 0: pbm[H][p] += iw * qw * v * (K1 + 1) / (v + K1 * (1 - B + B * pl[p][h] / (avgp[h] or 1)))
    # learned skill detection: idf-weighted average of P(skill | word)
    det = collections.defaultdict(float); Wsum = 0.0
    for w in tf:
        if w not in df: continue
        iw = idf(w); Wsum += iw
        for sk, n in ws[w].items(): det[sk] += iw * n / (wn[w] + 1)
    det = sorted(((sk, x / Wsum) for sk, x in det.items()), key=lambda x: -x[1])[:10] if Wsum else []
    # components
    cinfo = []
    for c in set(r.get("components") or []) | set(sk for sk, _ in det):
        d = {}
        for p, e in ctot[c].items(): d[p] = read(e, now)
        cinfo.append((c, cdf[c], d))
    act = {p: [(now - t) / DAY for t in hist[p][-400:]] for p in cands}
    tot = {p: read(ptot[p], now) for p in cands}
    recs.append(dict(learning=i < cut, key=r["key"], who=r["assignee"], pool=pool[i], cands=cands, nb=nb, cnb=cnb,
                     prof={H: dict(v) for H, v in prof.items()}, pbm={H: dict(v) for H, v in pbm.items()}, comp=cinfo, act=act, tot=tot, N=N,
                     comps=r.get("components") or [], det=det, words=dict(tf)))
    learn(i)
print("query time", time.time() - t0, file=sys.stderr)
pickle.dump(dict(recs=recs, HS=HS), open(out, "wb"))
