import collections, datetime as dt, json, math, re

DAY = 86400.0

def ts(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

def load(path, last=None):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    rows.sort(key=lambda r: (ts(r["resolved"]), r["key"]))
    if last: rows = rows[-last:]
    cut = int(len(rows) * 0.8)
    return rows, cut

def pools(rows):
    out = []; window = collections.deque(); counts = collections.Counter()
    for r in rows:
        t = ts(r["resolved"])
        while window and window[0][0] < t - 365 * DAY:
            _, w = window.popleft(); counts[w] -= 1
            if counts[w] == 0: del counts[w]
        out.append(set(counts)); window.append((t, r["assignee"])); counts[r["assignee"]] += 1
    return out

ISSUE = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b|#\d+")
URL = re.compile(r"https?://\S+")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PATH = re.compile(r"(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+")
CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
HEX = re.compile(r"^[0-9a-f]{7,40}$")

def sstem(w):
    # Harman S-stemmer + light ed/ing
    if len(w) > 4 and w.endswith("ies") and not w.endswith(("eies", "aies")): return w[:-3] + "y"
    if len(w) > 3 and w.endswith("es") and not w.endswith(("aes", "ees", "oes")): return w[:-1]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("us", "ss")): return w[:-1]
    return w

def tokens(text, parts=True, paths=True, urls=True, keys=False, bigrams=False, stem=False):
    if not urls: text = URL.sub(" ", text)
    out = []
    if keys: out.extend("ref:" + k.lower() for k in ISSUE.findall(text))
    text = ISSUE.sub(" ", text)
    if paths:
        for p in PATH.findall(text):
            p = p.strip(".-").lower()
            if len(p) > 2 and "/" in p: out.append("path:" + p)
    prev = None
    for w in IDENT.findall(text):
        lw = w.lower()
        if stem: lw = sstem(lw)
        if bigrams and prev: out.append(prev + " " + lw)
        prev = lw
        if len(lw) < 2 or (HEX.match(lw) and any(ch.isdigit() for ch in lw)): continue
        out.append(lw)
        if parts:
            ps = [x.lower() for seg in w.split("_") for x in CAMEL.findall(seg)]
            ps = [x for x in ps if len(x) >= 2 and not x.isdigit()]
            if len(ps) > 1:
                out.extend(x for x in ps if x != lw)
    return out
