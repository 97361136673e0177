#!/usr/bin/env python3
# Session 4 (zk3): replays a history with the twin's model and dumps, per ranked ticket and pool person, the
# model's five signals plus candidate new ones (short-scale presence, per-component recency, BM25 on the person's
# last K tickets, evidence), so ideas can be scored in seconds by zk3_eval.py.
# Usage: zk3_dump.py HISTORY OUT.pickle [--warm N]  (N: also dump the last N learning tickets, for learning-to-rank)
import bisect, collections, math, pickle, sys
sys.path.insert(0, 'tools/research')
import scoring_model as sm

DAY = sm.DAY


class Extra:
    """State for the candidate signals, learned next to the model."""

    def __init__(self):
        self.times = collections.defaultdict(list)        # person -> resolution times (sorted by learning order)
        self.team_index = {}                              # person -> team ticket number of their last ticket
        self.count = collections.Counter()
        self.first = {}
        self.comp_last = collections.defaultdict(dict)    # skill -> person -> (time, skill ticket number)
        self.comp_n = collections.Counter()
        self.ord = []                                     # doc -> ordinal among its person's tickets
        self.doc_tf = []                                  # doc -> (tf, title tf)
        self.lens = collections.defaultdict(list)         # person -> [(length, title length)] per ticket
        self.n = 0

    def learn(self, r, terms, title_terms, when):
        who = r.get('assignee')
        if not who:
            return
        self.n += 1
        self.times[who].append(when)
        self.team_index[who] = self.n
        self.count[who] += 1
        self.first.setdefault(who, when)
        for s in sm.ticket_skills(r):
            self.comp_n[s] += 1
            self.comp_last[s][who] = (when, self.comp_n[s])
        self.ord.append(self.count[who] - 1)
        self.doc_tf.append((terms, title_terms))
        self.lens[who].append((sum(terms.values()), sum(title_terms.values())))

    def len_last(self, q, K, title):
        return sum(x[1 if title else 0] for x in self.lens[q][-K:])


def bm25_people(query, docs, pool, model, k1=1.2, b=0.75):
    """BM25 of the query terms against one document per person (docs: person -> Counter)."""
    lengths = {q: sum(docs[q].values()) for q in pool if q in docs}
    if not lengths:
        return {}
    avg = sum(lengths.values()) / len(lengths) or 1.0
    out = {}
    for q, L in lengths.items():
        d = docs[q]
        s = 0.0
        for t, w in query:
            f = d.get(t)
            if f:
                s += w * f * (k1 + 1) / (f + k1 * (1 - b + b * L / avg))
        if s > 0:
            out[q] = s
    return out


def signals(model, extra, ticket, terms, title_terms, now):
    p = model.p
    pool = model.candidates(now)
    if not pool:
        return None
    in_pool = set(pool)
    k1 = model.k1
    max_df = p['max_df_share'] * model.n_docs
    query = [(t, model.idf(t) * f * (k1 + 1) / (f + k1)) for t, f in terms.items() if 0 < model.df.get(t, 0) <= max_df]
    tquery = [(t, model.idf(t) * f * (k1 + 1) / (f + k1)) for t, f in title_terms.items() if 0 < model.df.get(t, 0) <= max_df]
    # kNN (as the model).
    scores = collections.defaultdict(float)
    for t, w in query:
        for doc, x in model.postings[t]:
            scores[doc] += w * x
    knn = collections.defaultdict(float)
    knn_max = collections.defaultdict(float)   # best single neighbour similarity per person (top 50)
    top = sm.heapq.nlargest(int(p['neighbours']), scores.items(), key=lambda x: (x[1], -x[0]))
    if top:
        best = top[0][1]
        h = p['knn_half_life_days'] * DAY
        for doc, s in top:
            q = model.doc_person[doc]
            if q in in_pool:
                knn[q] += s / best * 0.5 ** (max(0.0, now - model.doc_time[doc]) / h)
                knn_max[q] = max(knn_max[q], s / best)
    avg_len_all = max(1.0, model.total_len / max(1, model.n_docs))
    hv = p['profile_half_life_days'] * DAY
    volume = {q: sm.decayed(model.vocab_len[q], now, hv) / avg_len_all for q in pool}
    for q in knn:
        knn[q] /= max(1.0, volume[q]) ** p['knn_lift']
    # Vocabulary.
    h = hv
    lengths = {q: sm.decayed(model.vocab_len[q], now, h) for q in pool}
    avg = sum(lengths.values()) / len(lengths) or 1.0
    vocab = collections.defaultdict(float)
    for t, w in query:
        for q, entry in model.vocab[t].items():
            if q in in_pool:
                f = sm.decayed(entry, now, h)
                vocab[q] += w * f * (k1 + 1) / (f + k1 * (1 - model.b + model.b * lengths[q] / avg))
    # Skills.
    skills = {s: 1.0 for s in sm.ticket_skills(ticket)}
    if p['learned_skills'] and not skills:
        for s, conf in model.detector.predict(set(terms)):
            skills.setdefault(s, conf)
    hs = p['skill_half_life_days'] * DAY
    skill = collections.defaultdict(float)
    crec = {name: collections.defaultdict(float) for name in ('c_t30', 'c_t90', 'c_n3', 'c_n10', 'c_t30n10', 'c_last')}
    weight_sum = 0.0
    for s, conf in skills.items():
        if s not in model.skill_total:
            continue
        w = conf * math.log(1 + model.n_docs / (model.skill_df[s] + 1))
        total = sm.decayed(model.skill_total[s], now, hs)
        if w <= 0 or total <= 0:
            continue
        weight_sum += w
        for q, entry in model.owner[s].items():
            if q in in_pool:
                skill[q] += w * sm.decayed(entry, now, hs) / total
        n_s = extra.comp_n[s]
        # Rank of each person among the skill's last resolvers (1 = the most recent).
        order = sorted(extra.comp_last[s].items(), key=lambda x: -x[1][1])
        for rank_i, (q, (t, k)) in enumerate(order, 1):
            if q not in in_pool:
                continue
            days = max(0.0, now - t) / DAY
            ago = n_s - k
            crec['c_t30'][q] += w * 0.5 ** (days / 30)
            crec['c_t90'][q] += w * 0.5 ** (days / 90)
            crec['c_n3'][q] += w * 0.5 ** (ago / 3)
            crec['c_n10'][q] += w * 0.5 ** (ago / 10)
            crec['c_t30n10'][q] += w * 0.5 ** (days / 30) * 0.5 ** (ago / 10)
            crec['c_last'][q] += w / rank_i
    # Burst, presence.
    hb = p['burst_half_life_tickets']
    burst = {}
    for q in pool:
        value, stamp = model.burst[q]
        burst[q] = value * 0.5 ** ((model.tickets_learned - stamp) / hb)
    hp = p['presence_half_life_days'] * DAY
    presence = {q: 0.5 ** (max(0.0, now - model.last_resolved[q]) / hp) for q in pool}
    # Short time scale: decayed count of tickets by days (several half-lives), and tickets-ago of last ticket.
    short = {}
    for H in (1, 3, 7, 14):
        d = {}
        for q in pool:
            ts = extra.times[q]
            s = 0.0
            for t in reversed(ts[-60:]):
                a = max(0.0, now - t) / DAY
                if a > 12 * H:
                    break
                s += 0.5 ** (a / H)
            d[q] = s
        short['s_d%d' % H] = d
    for H in (3, 7):
        short['p_d%d' % H] = {q: 0.5 ** (max(0.0, now - model.last_resolved[q]) / (H * DAY)) for q in pool}
    short['ago'] = {q: 0.5 ** ((extra.n - extra.team_index[q]) / 20) for q in pool}
    # Recent tickets BM25 (the person's last K tickets as one document), all terms and title only, from the postings.
    recent = {}
    tf_k = {(K, kind): collections.defaultdict(lambda: collections.defaultdict(float)) for K in (5, 10, 20) for kind in ('r', 'rt')}
    tset = {t for t, _ in tquery}
    for t, w in query:
        for doc, _ in model.postings[t]:
            q = model.doc_person[doc]
            if q not in in_pool:
                continue
            ago = extra.count[q] - 1 - extra.ord[doc]
            if ago >= 20:
                continue
            f = extra.doc_tf[doc][0].get(t, 0.0)
            ft = extra.doc_tf[doc][1].get(t, 0.0)
            for K in (5, 10, 20):
                if ago < K:
                    tf_k[(K, 'r')][q][t] += f
                    if ft and t in tset:
                        tf_k[(K, 'rt')][q][t] += ft
    for K in (5, 10, 20):
        for kind, qq in (('r', query), ('rt', tquery)):
            lengths = {q: extra.len_last(q, K, kind == 'rt') for q in pool}
            avg = sum(lengths.values()) / len(lengths) or 1.0
            d = {}
            for q, tfs in tf_k[(K, kind)].items():
                L = lengths[q]
                s = 0.0
                for t, w in qq:
                    f = tfs.get(t)
                    if f:
                        s += w * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * L / avg))
                d[q] = s
            recent['%s%d' % (kind, K)] = d
    mx = sm.max_normalised
    knn, vocab, skill, burst = (mx(x, pool) for x in (knn, vocab, skill, burst))
    certainty = max(skills.values(), default=0.0)
    if certainty < 1:
        skill = {q: v * certainty for q, v in skill.items()}
    feats = {'knn': knn, 'vocab': vocab, 'skill': skill, 'burst': burst, 'presence': presence,
             'knnmax': dict(knn_max)}
    for name, d in crec.items():
        if weight_sum > 0:
            d = {q: v / weight_sum for q, v in d.items()}
        feats[name] = mx(d, pool)
    for name, d in short.items():
        feats[name] = mx(d, pool) if name.startswith('s_') else d
    for name, d in recent.items():
        feats[name] = mx(d, pool)
    feats['count'] = {q: extra.count[q] for q in pool}
    feats['volume'] = volume
    feats['first_days'] = {q: (now - extra.first[q]) / DAY for q in pool}
    feats['last_days'] = {q: max(0.0, now - model.last_resolved[q]) / DAY for q in pool}
    names = sorted(feats)
    rows = {q: [feats[n].get(q, 0.0) for n in names] for q in pool}
    return names, rows


def main():
    path, out = sys.argv[1], sys.argv[2]
    warm = int(sys.argv[sys.argv.index('--warm') + 1]) if '--warm' in sys.argv else 0
    params = dict(sm.DEFAULTS)
    rows = sm.load_history(path)
    cut = int(len(rows) * 0.8)
    pools = sm.scoring_pools(rows)
    model, extra = sm.Model(params), Extra()
    records, names = [], None
    for i, r in enumerate(rows):
        visible = {f: r.get(f) for f in ('key', 'project', 'title', 'description', 'components', 'labels',
                                         'priority', 'storyPoints', 'created')}
        terms = sm.ticket_terms(visible, params)
        tt = collections.Counter()
        for t in sm.field_terms(visible.get('title') or '', params):
            tt[t] += 1
        if i >= cut - warm and model.n_docs > 0:
            got = signals(model, extra, visible, terms, tt, r['_created'])
            if got:
                names, feats = got
                records.append({'i': i, 'test': i >= cut, 'key': r['key'], 'who': r['assignee'],
                                'in_pool': r['assignee'] in pools[i], 'created': r['created'], 'feats': feats})
        model.learn(r, terms, r['_resolved'])
        extra.learn(r, terms, tt, r['_resolved'])
    pickle.dump({'names': names, 'records': records}, open(out, 'wb'))
    print(len(records), 'records', names)


if __name__ == '__main__':
    main()
