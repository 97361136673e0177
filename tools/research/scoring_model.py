#!/usr/bin/env python3
"""SmartTicket candidate-ranking model: research prototype (Python standard library only).

Replays a ticket history by the protocol of docs/evaluation.md and writes one prediction
per test ticket:

    python3 tools/research/scoring_model.py HISTORY.jsonl --predictions OUT.jsonl \
        [--no-learned-skills] [--param name=value ...] [--test-share 0.2] [--quiet]

The model (docs/scoring-model.md describes it for the Swift port) ranks the candidate pool by a
weighted sum of three factors, each in 0..1:

    score = wSimilar * similarWork + wSkill * skillFit + wRecent * recentActivity

  similarWork    = 1/2 kNN vote over BM25-similar past tickets (age-decayed, 90 days; each person's votes divided
                   by their decayed volume of work, in average tickets, to the power 0.25)
                 + 1/2 BM25 of the ticket against each person's decayed vocabulary (365 days)
  skillFit       = (or siblings, when larger) the person's decayed share of the ticket's components/labels (365 days), given
                   ones at full weight, ones predicted by the learned skill detector at their probability
                   (then the factor is scaled by the surest prediction's probability)
  recentActivity = 1/2 burst (decayed count of the person's tickets, half-life 5 team tickets)
                 + 1/2 presence (2^(-days since the person's last resolved ticket / 30)),
                   or siblings when larger (for a key PROJECT-N: sum of 2^(-|N - n| / 5) over the learned tickets
                   numbered n the person resolved in that project, at most 1); siblings count as skillFit
                   too, when larger

Prediction time is the ticket's `created`; a ticket is learned at its `resolved` time. The script
prints the replay figures (same definitions as replay_score.py) as JSON.
"""
import argparse
import bisect
import collections
import datetime
import heapq
import json
import math
import re
import sys
import time

DAY = 86400.0

# Every constant of the model; each can be overridden with --param name=value.
DEFAULTS = {
    # Text similarity (BM25, Robertson/Sparck Jones defaults).
    "k1": 1.2,                       # term-frequency saturation
    "b": 0.75,                       # length normalisation
    "neighbours": 50,                # similar past tickets that vote
    "knn_half_life_days": 90.0,      # a similar ticket resolved a quarter ago counts half
    "profile_half_life_days": 365.0, # a person's vocabulary: a year of work counts half
    # Skills (components, labels).
    "skill_half_life_days": 365.0,   # ownership of a component fades over a year
    # Recent activity.
    "burst_half_life_tickets": 5.0,  # the team's last few tickets: who is working right now
    "presence_half_life_days": 30.0, # a month without a resolved ticket halves presence
    "pool_days": 365.0,              # candidates: resolved something in the last year
    # Factor weights (normalised to sum 1) and the mix inside two factors.
    "w_similar": 0.5,
    "w_skill": 0.2,
    "w_recent": 0.3,
    "mix_knn": 0.5,                  # share of the kNN vote inside similarWork (rest: vocabulary)
    "mix_burst": 0.5,                # share of burst inside recentActivity (rest: presence)
    # Learned skill detector (mirrors Services/Skills LearnedSkills.predict).
    "learned_skills": 1,
    "detector_smoothing": 2.0,       # pseudo-count m pulling P(skill | term) toward P(skill)
    "detector_half_life_tickets": 500.0,
    "detector_min_term_count": 3,
    "detector_max_terms": 64,
    "detector_limit": 5,
    # Tokenisation switches (for ablations).
    "bigrams": 1,
    "stem": 1,
    "parts": 1,
    "paths": 1,
    "max_df_share": 0.2,             # terms in more than a fifth of all tickets are skipped
    "detector_fill_in": 1,           # 1: detected skills only for tickets without given skills; 0: always added
    "hide_skills": 0,                # 1: predictions do not see components/labels (tickets without them)
    # Experiments.
    "mix_comp_burst": 0.0,           # share of the component-burst inside skillFit
    "comp_burst_half_life_tickets": 5.0,
    "title_boost": 2.0,              # title terms count this many times (the Swift model's choice)
    "rank_fusion": 0.0,              # 1: combine per-signal reciprocal ranks instead of normalised values
    "rrf_k": 5.0,
    "mix_share": 0.0,                # share of the team-share prior inside recentActivity (taken from presence)
    "share_half_life_tickets": 50.0,
    "knn_power": 1.0,                # vote = (similarity / best similarity) ^ power
    "replay_clock": 0,               # 1: rank at the replay's clock (last learned resolution) when later than created
    "knn_lift": 0.25,                # kNN votes divided by (person's decayed volume of work in average tickets) ^ knn_lift
    "knn_pool_only": 0,              # 1: the neighbours are chosen among tickets of people in the pool
    "mix_long": 0.0,                 # share of long-term presence inside recentActivity (taken from presence)
    "long_half_life_days": 365.0,
    # Experiments of session 3 (zookeeper top-5), all off by default; docs/scoring-model.md has the figures.
    "shrink": 0.0,                   # pseudo-tickets: factors shrink toward the pool mean by the person's evidence
    "shrink_what": 3,                # which factors shrink: 1 similarWork, 2 skillFit, 3 both
    "renorm": 0.0,                   # 1: similarWork and recentActivity divided by their pool maximum after mixing
    "skill_lift": 0.0,               # skill shares divided by (person's decayed volume in average tickets) ^ skill_lift
    "vocab_lift": 0.0,               # vocabulary BM25 divided likewise
    "mix_new": 0.0,                  # share of novelty (2^(-days since the person's first ticket / 30)) in presence
    "product_eps": 0.0,              # >0: weighted geometric mean of (eps + factor) instead of the weighted mean
    "hedge_after": 0,                # >0: after this many places, each factor's own best not yet ranked (diversity)
    "hedge_order": 0,                # 0: recent, similar, skill; 1: similar, recent, skill; 2: recent only; 3: similar only
    "online_lr": 0.0,                # >0: factor weights learned online (conditional logit, one SGD step per replayed ticket)
    "online_scale": 10.0,            # logit scale of the starting weights
    # Session 4 (zk3). Siblings: tickets whose keys (PROJECT-N) are numbered close to the new one were filed at about
    # the same time; each person's sum of 2^(-|N - n| / h) over the learned tickets they resolved, at most 1, and
    # recentActivity = max(burst/presence mix, siblings). 0 turns it off.
    "sibling_half_life_numbers": 5.0,
    "sibling_skill": 1,              # 1: siblings also count as skillFit (max); 0: recentActivity only
    # Session 4 experiments, all off by default; docs/scoring-model.md has the figures.
    "mix_short": 0.0,                # share of a short burst by days inside recentActivity (taken from burst and presence)
    "short_half_life_days": 3.0,
    "mix_comp_recency": 0.0,         # share of per-component recency (days and component tickets ago) inside skillFit
    "mix_recent_k": 0.0,             # share of BM25 on the person's last K tickets inside similarWork
    "recent_k": 5,
}


# --------------------------------------------------------------------------------------------
# Tokenisation

ISSUE_REF = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b|#\d+")
PATH = re.compile(r"(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
HEX_ID = re.compile(r"[0-9a-f]{7,40}")


def s_stem(word):
    """Harman's S-stemmer: plural to singular, nothing else."""
    if len(word) > 4 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def field_terms(text, p):
    """Terms of one text field (title or description), in order, with repeats."""
    text = ISSUE_REF.sub(" ", text)
    out = []
    if p["paths"]:
        for path in PATH.findall(text):
            path = path.strip(".-").lower()
            if len(path) > 2 and "/" in path:
                out.append("path:" + path)
    previous = None
    for word in IDENT.findall(text):
        lower = word.lower()
        if len(lower) < 2 or (HEX_ID.fullmatch(lower) and any(c.isdigit() for c in lower)):
            continue
        whole = s_stem(lower) if p["stem"] else lower
        out.append(whole)
        if p["bigrams"] and previous is not None:
            out.append(previous + " " + whole)
        previous = whole
        if p["parts"]:
            parts = [x.lower() for piece in word.split("_") for x in CAMEL.findall(piece)]
            parts = [x for x in parts if len(x) >= 2 and not x.isdigit()]
            if len(parts) > 1:
                for part in parts:
                    part = s_stem(part) if p["stem"] else part
                    if part != whole:
                        out.append(part)
    return out


def ticket_terms(ticket, p):
    tf = collections.Counter()
    for t in field_terms(ticket.get("title") or "", p):
        tf[t] += p["title_boost"]
    tf.update(field_terms(ticket.get("description") or "", p))
    return tf


def ticket_skills(ticket):
    skills = ["component:" + c for c in ticket.get("components") or [] if c]
    skills += ["label:" + x for x in ticket.get("labels") or [] if x]
    return list(dict.fromkeys(skills))


# --------------------------------------------------------------------------------------------
# Lazily decayed accumulators: (value, time of last update); value at `now` = value * 2^(-age/h).

def decayed(entry, now, half_life):
    value, stamp = entry
    return value * 0.5 ** (max(0.0, now - stamp) / half_life)


def bump(table, key, amount, now, half_life):
    entry = table.get(key)
    if entry is None:
        table[key] = [amount, now]
    else:
        entry[0] = entry[0] * 0.5 ** (max(0.0, now - entry[1]) / half_life) + amount
        entry[1] = max(entry[1], now)


# --------------------------------------------------------------------------------------------
# The learned skill detector (per tenant): which terms predict which components and labels.

class SkillDetector:
    """P(skill | term) counted one ticket at a time, recency-weighted by ticket count.

    predict: per known term t (seen in >= min_term_count tickets) P(s|t) = (n(t,s) + m P(s)) / (n(t) + m);
    the ticket's score for s is the mean of P(s|t) over its terms, each weighted by the total variation
    distance between P(.|t) and P(.), using the `max_terms` most informative terms.
    """

    def __init__(self, p):
        self.m = p["detector_smoothing"]
        self.growth = 2 ** (1 / p["detector_half_life_tickets"])
        self.min_count = p["detector_min_term_count"]
        self.max_terms = int(p["detector_max_terms"])
        self.limit = int(p["detector_limit"])
        self.scale = 1.0
        self.total = 0.0
        self.term_count = collections.Counter()
        self.term_weight = collections.defaultdict(float)
        self.pair = collections.defaultdict(dict)      # term -> skill -> weight
        self.skill_weight = collections.defaultdict(float)

    def learn(self, terms, skills):
        w = self.scale
        self.total += w
        for s in skills:
            self.skill_weight[s] += w
        for t in terms:
            self.term_count[t] += 1
            self.term_weight[t] += w
            row = self.pair[t]
            for s in skills:
                row[s] = row.get(s, 0.0) + w
        self.scale *= self.growth
        if self.scale > 1e100:
            f = 1 / self.scale
            self.scale, self.total = 1.0, self.total * f
            for s in self.skill_weight: self.skill_weight[s] *= f
            for t in self.term_weight: self.term_weight[t] *= f
            for row in self.pair.values():
                for s in row: row[s] *= f

    def predict(self, terms):
        if self.total <= 0 or not self.skill_weight:
            return []
        m = self.m * self.scale
        skill_mass = sum(self.skill_weight.values()) / self.total
        known = []
        for t in terms:
            if self.term_count.get(t, 0) < self.min_count:
                continue
            n = self.term_weight[t]
            distance, paired_prior = 0.0, 0.0
            for s, x in self.pair[t].items():
                prior = self.skill_weight[s] / self.total
                distance += abs((x + m * prior) / (n + m) - prior)
                paired_prior += prior
            distance += (1 - m / (n + m)) * max(0.0, skill_mass - paired_prior)
            if distance > 0:
                known.append((distance, t))
        if not known:
            return []
        known.sort(key=lambda x: (-x[0], x[1]))
        known = known[: self.max_terms]
        weight_sum = sum(d for d, _ in known)
        prior_mass = sum(d * m / (self.term_weight[t] + m) for d, t in known)
        mass = collections.defaultdict(float)
        for d, t in known:
            f = d / (self.term_weight[t] + m)
            for s, x in self.pair[t].items():
                mass[s] += f * x
        scored = [(s, (mass.get(s, 0.0) + (w / self.total) * prior_mass) / weight_sum)
                  for s, w in self.skill_weight.items() if w > 0]
        scored.sort(key=lambda x: (-x[1], x[0]))
        return [(s, min(1.0, x)) for s, x in scored[: self.limit]]


# --------------------------------------------------------------------------------------------
# The model

class Model:
    def __init__(self, params):
        self.p = params
        self.k1, self.b = params["k1"], params["b"]
        # Ticket index (BM25 documents).
        self.n_docs = 0
        self.total_len = 0.0
        self.df = collections.Counter()
        self.postings = collections.defaultdict(list)   # term -> [(doc, tf part)]
        self.doc_person, self.doc_time = [], []
        # People.
        self.vocab = collections.defaultdict(dict)      # term -> person -> [decayed tf, stamp]
        self.vocab_len = {}                             # person -> [decayed length, stamp]
        self.last_resolved = {}                         # person -> time
        self.first_resolved = {}                        # person -> time of the first learned ticket
        self.numbered = collections.defaultdict(list)   # project -> sorted [(key number, person)]
        self.times = collections.defaultdict(list)      # person -> resolution times, in learning order
        self.comp_last = collections.defaultdict(dict)  # skill -> person -> (time, skill ticket number)
        self.recent_docs = collections.defaultdict(list)  # person -> [terms] of their tickets, in learning order
        self.burst = {}                                 # person -> [value, ticket counter at update]
        self.tickets_learned = 0
        self.share = {}
        # Skills.
        self.owner = collections.defaultdict(dict)      # skill -> person -> [decayed count, stamp]
        self.skill_total = {}                           # skill -> [decayed count, stamp]
        self.skill_df = collections.Counter()
        self.comp_burst = collections.defaultdict(dict)  # skill -> person -> [value, skill counter]
        self.comp_count = collections.Counter()
        self.detector = SkillDetector(params)

    # ---- learning ------------------------------------------------------------------------

    def learn(self, ticket, terms, when):
        """Learns a resolved ticket (`terms` from ticket_terms) at time `when` (its `resolved`)."""
        person = ticket.get("assignee")
        skills = ticket_skills(ticket)
        self.detector.learn(set(terms), skills)
        if not person:
            return
        p = self.p
        doc = self.n_docs
        length = sum(terms.values())
        self.n_docs += 1
        self.total_len += length
        avg_len = self.total_len / self.n_docs
        norm = self.k1 * (1 - self.b + self.b * length / avg_len)
        for t, f in terms.items():
            self.df[t] += 1
            self.postings[t].append((doc, f * (self.k1 + 1) / (f + norm)))
            bump(self.vocab[t], person, f, when, p["profile_half_life_days"] * DAY)
        bump(self.vocab_len, person, length, when, p["profile_half_life_days"] * DAY)
        self.doc_person.append(person)
        self.doc_time.append(when)
        self.first_resolved.setdefault(person, when)
        self.last_resolved[person] = max(when, self.last_resolved.get(person, when))
        # Burst: decay by team tickets learned since the person's last update, then add this one.
        self.tickets_learned += 1
        number = key_number(ticket.get("key"))
        if number is not None:
            bisect.insort(self.numbered[number[0]], (number[1], person))
        self.times[person].append(when)
        self.recent_docs[person].append(terms)
        value, stamp = self.burst.get(person, (0.0, self.tickets_learned))
        self.burst[person] = (value * 0.5 ** ((self.tickets_learned - stamp) / p["burst_half_life_tickets"]) + 1.0,
                              self.tickets_learned)
        value, stamp = self.share.get(person, (0.0, self.tickets_learned))
        self.share[person] = (value * 0.5 ** ((self.tickets_learned - stamp) / p["share_half_life_tickets"]) + 1.0,
                              self.tickets_learned)
        for s in skills:
            self.skill_df[s] += 1
            bump(self.owner[s], person, 1.0, when, p["skill_half_life_days"] * DAY)
            bump(self.skill_total, s, 1.0, when, p["skill_half_life_days"] * DAY)
            self.comp_count[s] += 1
            n = self.comp_count[s]
            self.comp_last[s][person] = (when, n)
            v, st = self.comp_burst[s].get(person, (0.0, n))
            self.comp_burst[s][person] = (v * 0.5 ** ((n - st) / p["comp_burst_half_life_tickets"]) + 1.0, n)

    # ---- ranking -------------------------------------------------------------------------

    def idf(self, term):
        d = self.df.get(term, 0)
        return math.log(1 + (self.n_docs - d + 0.5) / (d + 0.5))

    def candidates(self, now):
        horizon = now - self.p["pool_days"] * DAY
        return [person for person, t in self.last_resolved.items() if t >= horizon]

    def rank(self, ticket, terms, now, limit=10):
        """Ranks the candidate pool for `ticket` at time `now` (its `created`).

        Returns [(person, score, {factor: value})] best first, at most `limit`.
        """
        p = self.p
        pool = self.candidates(now)
        if not pool:
            return []
        in_pool = set(pool)
        k1 = self.k1
        max_df = p["max_df_share"] * self.n_docs
        query = [(t, self.idf(t) * f * (k1 + 1) / (f + k1)) for t, f in terms.items() if 0 < self.df.get(t, 0) <= max_df]

        # similarWork (a): kNN over past tickets by BM25, votes decayed by age.
        scores = collections.defaultdict(float)
        for t, w in query:
            for doc, x in self.postings[t]:
                scores[doc] += w * x
        knn = collections.defaultdict(float)
        items = scores.items()
        if p["knn_pool_only"]:
            items = [(d, s) for d, s in items if self.doc_person[d] in in_pool]
        top = heapq.nlargest(int(p["neighbours"]), items, key=lambda x: (x[1], -x[0]))
        if top:
            best = top[0][1]
            h = p["knn_half_life_days"] * DAY
            for doc, s in top:
                person = self.doc_person[doc]
                if person in in_pool:
                    knn[person] += (s / best) ** p["knn_power"] * 0.5 ** (max(0.0, now - self.doc_time[doc]) / h)

        if p["knn_lift"] > 0:
            hl = p["skill_half_life_days"] * DAY
            for q in knn:
                n = decayed(self.vocab_len[q], now, p["profile_half_life_days"] * DAY) / max(1.0, self.total_len / max(1, self.n_docs))
                knn[q] /= max(1.0, n) ** p["knn_lift"]

        # similarWork (b): BM25 of the ticket against each person's decayed vocabulary.
        h = p["profile_half_life_days"] * DAY
        lengths = {person: decayed(self.vocab_len[person], now, h) for person in pool}
        avg = sum(lengths.values()) / len(lengths) or 1.0
        vocab = collections.defaultdict(float)
        for t, w in query:
            for person, entry in self.vocab[t].items():
                if person in in_pool:
                    f = decayed(entry, now, h)
                    vocab[person] += w * f * (k1 + 1) / (f + k1 * (1 - self.b + self.b * lengths[person] / avg))

        # skillFit: decayed share of each of the ticket's skills, weighted by confidence x idf.
        skills = {s: 1.0 for s in ticket_skills(ticket)}
        if p["learned_skills"] and not (skills and p["detector_fill_in"]):
            for s, conf in self.detector.predict(set(terms)):
                skills.setdefault(s, conf)
        h = p["skill_half_life_days"] * DAY
        skill = collections.defaultdict(float)
        weight_sum = 0.0
        for s, conf in skills.items():
            if s not in self.skill_total:
                continue
            w = conf * math.log(1 + self.n_docs / (self.skill_df[s] + 1))
            total = decayed(self.skill_total[s], now, h)
            if w <= 0 or total <= 0:
                continue
            weight_sum += w
            for person, entry in self.owner[s].items():
                if person in in_pool:
                    skill[person] += w * decayed(entry, now, h) / total
        cburst = collections.defaultdict(float)
        hc = p["comp_burst_half_life_tickets"]
        for s, conf in skills.items():
            if s not in self.skill_total:
                continue
            w = conf * math.log(1 + self.n_docs / (self.skill_df[s] + 1))
            n = self.comp_count[s]
            vals = {q: v * 0.5 ** ((n - st) / hc) for q, (v, st) in self.comp_burst[s].items()}
            tot = sum(vals.values())
            if tot <= 0: continue
            for q, v in vals.items():
                if q in in_pool:
                    cburst[q] += w * v / tot
        if weight_sum > 0:
            for person in skill:
                skill[person] /= weight_sum
            for person in cburst:
                cburst[person] /= weight_sum
        if p["skill_lift"] > 0 or p["vocab_lift"] > 0:
            avg_len = max(1.0, self.total_len / max(1, self.n_docs))
            hv = p["profile_half_life_days"] * DAY
            for q in pool:
                v = max(1.0, decayed(self.vocab_len[q], now, hv) / avg_len)
                if q in skill: skill[q] /= v ** p["skill_lift"]
                if q in vocab: vocab[q] /= v ** p["vocab_lift"]
        mc = p["mix_comp_burst"]
        if mc > 0:
            for person in set(skill) | set(cburst):
                skill[person] = (1 - mc) * skill.get(person, 0.0) + mc * cburst.get(person, 0.0)

        # recentActivity: burst (team-ticket decay) and presence (days since last resolved).
        hb = p["burst_half_life_tickets"]
        burst = {}
        for person in pool:
            value, stamp = self.burst[person]
            burst[person] = value * 0.5 ** ((self.tickets_learned - stamp) / hb)
        share = {}
        for person in pool:
            value, stamp = self.share[person]
            share[person] = value * 0.5 ** ((self.tickets_learned - stamp) / p["share_half_life_tickets"])
        share = max_normalised(share, pool)
        hp = p["presence_half_life_days"] * DAY
        presence = {person: 0.5 ** (max(0.0, now - self.last_resolved[person]) / hp) for person in pool}
        if p["mix_new"] > 0:
            presence = {q: (1 - p["mix_new"]) * presence[q] + p["mix_new"] * 0.5 ** (max(0.0, now - self.first_resolved[q]) / hp) for q in pool}
        if p["mix_long"] > 0:
            hl = p["long_half_life_days"] * DAY
            vl = {q: decayed(self.vocab_len[q], now, hl) for q in pool}
            vl = max_normalised(vl, pool)
            presence = {q: (1 - p["mix_long"]) * presence[q] + p["mix_long"] * vl[q] for q in pool}

        # Session 4: siblings (key numbers near the ticket's), and the experiments.
        siblings = self.sibling_votes(ticket, in_pool)
        if p["mix_short"] > 0:
            hs = p["short_half_life_days"] * DAY
            short = {q: sum(0.5 ** (max(0.0, now - t) / hs) for t in self.times[q][-50:]) for q in pool}
            short = max_normalised(short, pool)
        if p["mix_comp_recency"] > 0:
            crec = collections.defaultdict(float)
            cw = 0.0
            for s, conf in skills.items():
                if s not in self.skill_total:
                    continue
                w = conf * math.log(1 + self.n_docs / (self.skill_df[s] + 1))
                cw += w
                n = self.comp_count[s]
                for q, (t, k) in self.comp_last[s].items():
                    if q in in_pool:
                        crec[q] += w * 0.5 ** (max(0.0, now - t) / (30 * DAY)) * 0.5 ** ((n - k) / 5)
            crec = max_normalised(crec, pool)
            skill = {q: (1 - p["mix_comp_recency"]) * skill.get(q, 0.0) for q in pool}
            skill_extra = crec
        if p["mix_recent_k"] > 0:
            kk = int(p["recent_k"])
            docs = {q: collections.Counter() for q in pool}
            for q in pool:
                for tf in self.recent_docs[q][-kk:]:
                    docs[q].update(tf)
            lens = {q: sum(docs[q].values()) for q in pool}
            avg_k = sum(lens.values()) / len(pool) or 1.0
            rk = {}
            for q in pool:
                sc = 0.0
                for t, w in query:
                    f = docs[q].get(t)
                    if f:
                        sc += w * f * (k1 + 1) / (f + k1 * (1 - self.b + self.b * lens[q] / avg_k))
                rk[q] = sc
            rk = max_normalised(rk, pool)

        # Normalise each signal to 0..1 over the pool (divide by the pool's maximum) and combine.
        if p["rank_fusion"]:
            knn, vocab, skill, burst, presence = (rank_scores(x, pool, p["rrf_k"]) for x in (knn, vocab, skill, burst, presence))
        else:
            knn, vocab, skill, burst = (max_normalised(x, pool) for x in (knn, vocab, skill, burst))
        # Detected skills are guesses: skillFit's range shrinks to the confidence of the surest one.
        certainty = max(skills.values(), default=0.0)
        if certainty < 1:
            skill = {q: v * certainty for q, v in skill.items()}
        total_w = p["w_similar"] + p["w_skill"] + p["w_recent"]
        if p["renorm"]:
            mixed = {q: p["mix_knn"] * knn[q] + (1 - p["mix_knn"]) * vocab[q] for q in pool}
            top = max(mixed.values()) or 1.0
            knn = {q: knn[q] / top for q in pool}
            vocab = {q: vocab[q] / top for q in pool}
            mixed = {q: p["mix_burst"] * burst[q] + (1 - p["mix_burst"]) * presence[q] for q in pool}
            top = max(mixed.values()) or 1.0
            burst = {q: burst[q] / top for q in pool}
            presence = {q: presence[q] / top for q in pool}
        alpha = p["shrink"]
        evidence = {}
        if alpha > 0:
            avg_len = max(1.0, self.total_len / max(1, self.n_docs))
            hv = p["profile_half_life_days"] * DAY
            evidence = {q: decayed(self.vocab_len[q], now, hv) / avg_len for q in pool}
            sim = {q: p["mix_knn"] * knn[q] + (1 - p["mix_knn"]) * vocab[q] for q in pool}
            mean_sim = sum(sim.values()) / len(pool)
            mean_skill = sum(skill[q] for q in pool) / len(pool)
        if p["mix_comp_recency"] > 0:
            skill = {q: skill[q] + p["mix_comp_recency"] * skill_extra[q] for q in pool}
        ranked = []
        for person in pool:
            factors = {
                "similarWork": p["mix_knn"] * knn[person] + (1 - p["mix_knn"]) * vocab[person],
                "skillFit": skill[person],
                "recentActivity": p["mix_burst"] * burst[person] + (1 - p["mix_burst"] - p["mix_share"]) * presence[person]
                                  + p["mix_share"] * share[person],
            }
            if p["mix_short"] > 0:
                factors["recentActivity"] = (1 - p["mix_short"]) * factors["recentActivity"] + p["mix_short"] * short[person]
            if p["mix_recent_k"] > 0:
                factors["similarWork"] = (1 - p["mix_recent_k"]) * factors["similarWork"] + p["mix_recent_k"] * rk[person]
            if siblings:
                factors["recentActivity"] = max(factors["recentActivity"], siblings.get(person, 0.0))
                if p["sibling_skill"]:
                    factors["skillFit"] = max(factors["skillFit"], siblings.get(person, 0.0))
            if alpha > 0:
                v = evidence[person]
                if int(p["shrink_what"]) & 1: factors["similarWork"] = (v * factors["similarWork"] + alpha * mean_sim) / (v + alpha)
                if int(p["shrink_what"]) & 2: factors["skillFit"] = (v * factors["skillFit"] + alpha * mean_skill) / (v + alpha)
            score = (p["w_similar"] * factors["similarWork"] + p["w_skill"] * factors["skillFit"]
                     + p["w_recent"] * factors["recentActivity"]) / total_w
            if p["product_eps"] > 0:
                e = p["product_eps"]
                score = (p["w_similar"] * math.log(e + factors["similarWork"]) + p["w_skill"] * math.log(e + factors["skillFit"])
                         + p["w_recent"] * math.log(e + factors["recentActivity"])) / total_w
            ranked.append((person, score, factors))
        ranked.sort(key=lambda x: (-x[1], x[0]))
        h = int(p["hedge_after"])
        if h > 0:
            order = [["recentActivity", "similarWork", "skillFit"], ["similarWork", "recentActivity", "skillFit"],
                     ["recentActivity"], ["similarWork"]][int(p["hedge_order"])]
            out = ranked[:h]
            chosen = {x[0] for x in out}
            for f in order:
                best = max((x for x in ranked if x[0] not in chosen), key=lambda x: (x[2][f], x[1]), default=None)
                if best is not None:
                    out.append(best); chosen.add(best[0])
            out += [x for x in ranked if x[0] not in chosen]
            ranked = out
        return ranked[:limit]


    def sibling_votes(self, ticket, in_pool):
        """Each pool person's sum of 2^(-|N - n| / h) over the learned tickets numbered n they resolved in the ticket's
        project (key PROJECT-N), at most 1; empty when the key has no number or the switch is off."""
        h = self.p["sibling_half_life_numbers"]
        number = key_number(ticket.get("key"))
        if h <= 0 or number is None:
            return {}
        project, n = number
        rows = self.numbered.get(project, [])
        votes = collections.defaultdict(float)
        reach = 20 * h     # beyond this a sibling counts less than 2^-20
        lo = bisect.bisect_left(rows, (n - reach, ""))
        for x, q in rows[lo:]:
            if x > n + reach:
                break
            if q in in_pool:
                votes[q] += 0.5 ** (abs(n - x) / h)
        return {q: min(1.0, v) for q, v in votes.items()}


KEY_NUMBER = re.compile(r"([A-Za-z][A-Za-z0-9_]*)-([0-9]+)")


def key_number(key):
    """(project, number) of a Jira-style key PROJECT-123; None for other keys (such as hashes)."""
    m = KEY_NUMBER.fullmatch(key or "")
    return (m.group(1).upper(), int(m.group(2))) if m else None


def rank_scores(values, pool, k):
    """(k+1)/(k+rank) by value over the pool (ties share the better rank); 0 for people without a value."""
    ordered = sorted((values.get(q, 0.0) for q in pool), reverse=True)
    first = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i + 1)
    return {q: ((k + 1) / (k + first[values.get(q, 0.0)]) if values.get(q, 0.0) > 0 else 0.0) for q in pool}


def max_normalised(values, pool):
    top = max((values.get(person, 0.0) for person in pool), default=0.0)
    if top <= 0:
        return {person: 0.0 for person in pool}
    return {person: values.get(person, 0.0) / top for person in pool}


# --------------------------------------------------------------------------------------------
# Replay protocol (docs/evaluation.md) and its figures (same definitions as replay_score.py)

def timestamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def load_history(path):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                row["_created"] = timestamp(row["created"])
                row["_resolved"] = timestamp(row["resolved"])
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                print(f"line {number}: skipped ({error})", file=sys.stderr)
                continue
            rows.append(row)
    rows.sort(key=lambda r: (r["_resolved"], r["key"]))
    return rows


def scoring_pools(rows, days=365):
    """The evaluation's pool: assignees of tickets resolved in the `days` before each ticket."""
    pools, window, counts = [], collections.deque(), collections.Counter()
    for r in rows:
        t = r["_resolved"]
        while window and window[0][0] < t - days * DAY:
            _, who = window.popleft()
            counts[who] -= 1
            if counts[who] == 0:
                del counts[who]
        pools.append(set(counts))
        window.append((t, r["assignee"]))
        counts[r["assignee"]] += 1
    return pools


def figures(rows, test, ranked_by_key, pools):
    out = {}
    in_pool = [i for i in test if rows[i]["assignee"] in pools[i]]
    for name, idxs in (("all", list(test)), ("in_pool", in_pool)):
        hits, rr = collections.Counter(), 0.0
        for i in idxs:
            ranked = ranked_by_key.get(rows[i]["key"], [])[:10]
            who = rows[i]["assignee"]
            if who in ranked:
                pos = ranked.index(who)
                rr += 1 / (pos + 1)
                for k in (1, 3, 5, 10):
                    hits[k] += pos < k
        n = max(1, len(idxs))
        out[name] = {**{f"top{k}": round(hits[k] / n, 3) for k in (1, 3, 5, 10)}, "mrr": round(rr / n, 3), "n": len(idxs)}
    return out


def parse_params(pairs):
    params = dict(DEFAULTS)
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in DEFAULTS:
            raise SystemExit(f"unknown parameter {name!r}; known: {', '.join(DEFAULTS)}")
        params[name] = type(DEFAULTS[name])(float(value)) if isinstance(DEFAULTS[name], int) else float(value)
    return params


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("history")
    ap.add_argument("--predictions", help="write {key, ranked} lines here")
    ap.add_argument("--no-learned-skills", action="store_true", help="skillFit from given components/labels only")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--test-share", type=float, default=0.2)
    ap.add_argument("--last", type=int, help="replay only the last N tickets (for quick iterations)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    params = parse_params(a.param)
    if a.no_learned_skills:
        params["learned_skills"] = 0

    started = time.time()
    rows = load_history(a.history)
    if a.last:
        rows = rows[-a.last:]
    cut = int(len(rows) * (1 - a.test_share))
    model = Model(params)
    for i in range(cut):
        model.learn(rows[i], ticket_terms(rows[i], params), rows[i]["_resolved"])
    learned = time.time()
    ranked_by_key = {}
    out = open(a.predictions, "w", encoding="utf-8") if a.predictions else None
    for i in range(cut, len(rows)):
        r = rows[i]
        # Only what is known when the ticket is created.
        visible = {f: r.get(f) for f in ("key", "project", "title", "description", "components", "labels",
                                         "priority", "storyPoints", "created")}
        if params["hide_skills"]:
            visible["components"], visible["labels"] = [], []
        terms = ticket_terms(visible, params)
        now = max(r["_created"], rows[i - 1]["_resolved"]) if params["replay_clock"] else r["_created"]
        if params["online_lr"] > 0:
            full = model.rank(visible, terms, now, limit=10 ** 9)
            ranked = [person for person, _, _ in full[:10]]
            who = r.get("assignee")
            if who and any(x[0] == who for x in full):
                names = ("similarWork", "skillFit", "recentActivity")
                keys = ("w_similar", "w_skill", "w_recent")
                theta = [params[k] * params["online_scale"] for k in keys]
                logits = [sum(t * f[n] for t, n in zip(theta, names)) for _, _, f in full]
                top = max(logits)
                e = [math.exp(x - top) for x in logits]
                z = sum(e)
                true = next(f for q, _, f in full if q == who)
                for j, (k, n) in enumerate(zip(keys, names)):
                    grad = true[n] - sum(ei / z * f[n] for ei, (_, _, f) in zip(e, full))
                    params[k] = max(0.0, (theta[j] + params["online_lr"] * grad) / params["online_scale"])
        else:
            ranked = [person for person, _, _ in model.rank(visible, terms, now)]
        ranked_by_key[r["key"]] = ranked
        if out:
            out.write(json.dumps({"key": r["key"], "ranked": ranked}, ensure_ascii=False) + "\n")
        model.learn(r, terms, r["_resolved"])
    if out:
        out.close()
    finished = time.time()
    result = {
        "history": a.history.rsplit("/", 1)[-1], "tickets": len(rows), "test": len(rows) - cut,
        "learned_skills": bool(params["learned_skills"]),
        "params": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in params.items() if v != DEFAULTS[k]},
        "seconds": {"learn": round(learned - started, 1), "replay": round(finished - learned, 1)},
        "system": figures(rows, range(cut, len(rows)), ranked_by_key, scoring_pools(rows)),
    }
    print(json.dumps(result) if a.quiet else json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
