"""The model: reports, their incidents and mails, built so that each quarter gives exactly its
target figures (quarter mode) or freely over 2008 (bench mode).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .addresses import IPAlloc
from .brands import DOMESTIC_WEIGHTS, FOREIGN_BY_TLD, FOREIGN_WEIGHTS, brand_names
from .centre import INCIDENT_ADDR, INFO_ADDR
from .choice import pick, wchoice
from .clock import UTC, in_zone
from .hosts import MALWARE_FILES, Names, phish_path
from .orgs import AFF, ORG_AFF, Catalog, Org
from .plan import (CAMPAIGN, CAMPAIGN_DAYS, COMP_PORT_POOL, NONINC_START, PINS, PLAN,
                   REPORTED_REGIONS, SCAN_PORTS)
from .targets import Q2, QSPAN


@dataclass
class Incident:
    ip: str
    ports: list = field(default_factory=list)   # scan destination ports (1, or >=5: comprehensive)
    urls: list = field(default_factory=list)    # phishing/malware/defaced site URLs on this IP


@dataclass
class Report:
    rid: int
    quarter: str
    rtype: str
    sub: str
    size: int
    special: str = ""
    org: Org | None = None
    brand: str | None = None          # brand key
    incidents: list = field(default_factory=list)
    evidence: str = ""                # scan: sshd/apache/iptables/pfw/xarf/auto; others: style
    mails: list = field(default_factory=list)
    pin: str = ""                     # "start"/"end": placed at a quarter edge
    method: str = ""
    after: list = field(default_factory=list)
    defang: bool = False
    first_fwd: str = ""               # "" or "rfc822"/"inline"/"lure": the first mail is a forward


@dataclass
class Mail:
    serial: int
    kind: str                         # first/followup/fwdthread/second/noninc
    report: Report | None
    org: Org
    person: tuple
    received: dt.datetime             # JST
    msgid: str = ""
    parent: "Mail | None" = None
    incs: list = field(default_factory=list)   # incidents mentioned
    urls: list = field(default_factory=list)   # URLs mentioned (subset of incs' URLs)
    evidence: str = ""
    lang: str = "ja"
    topic: int = 0
    to: str = INCIDENT_ADDR
    date_delta: int = 0               # seconds between Date: and the centre's Received:


def partition(rng, n_inc, n_rep, cap=9):
    sizes = [1] * n_rep
    extra = n_inc - n_rep
    assert extra >= 0, (n_inc, n_rep)
    while extra > 0:
        i = wchoice(rng, list(range(n_rep)), [(s ** 1.3 if s < cap else 0.0) for s in sizes])
        sizes[i] += 1
        extra -= 1
    rng.shuffle(sizes)
    return sizes


def compat(org, rep):
    """How likely org sends this report (0: never)."""
    k = org.kind
    w = ORG_AFF.get(org.domain, AFF[k]).get(rep.rtype, 0)
    if w == 0:
        return 0.0
    if k == "autossh" and rep.sub != "p22":
        return 0.0
    if k == "xarfconn" and not (rep.size == 1 and rep.sub in ("p22", "comp")):
        return 0.0
    if k == "xarfphish" and not (rep.size == 1 and rep.sub != "domestic"):
        return 0.0
    if rep.rtype == "phishing" and rep.sub == "domestic":
        w *= 4.0 if org.tld == "jp" or org.provider in ("nifty.com",) else 0.15
    if rep.rtype == "intrusion" and org.kind in ("secsvc",):
        w *= 0.5
    return w * org.weight


class Model:
    """The truth of a run: organisations, reports with their incidents, and every mail."""

    def __init__(self, seed):
        self.seed = seed
        self.alloc = IPAlloc(seed)
        self.cat = Catalog(seed, self.alloc)
        self.names = Names()
        self.reports = []
        self.mails = []
        self.noninc = []
        self.msgids = set()
        self.serial = 0
        self.forced = []

    # ---- building blocks shared by quarter and bench modes
    def new_mail(self, kind, report, org, person, received, **kw):
        self.serial += 1
        m = Mail(self.serial, kind, report, org, person, received, **kw)
        m.lang = org.lang
        m.msgid = self.make_msgid(m)
        m.date_delta = random.Random(f"dd:{self.seed}:{m.serial}").randrange(35, 540)
        self.mails.append(m)
        return m

    def make_msgid(self, m):
        rng = random.Random(f"mid:{self.seed}:{m.serial}")
        t = m.received.astimezone(UTC)
        dom = m.org.relays[0][0].split(".", 1)[1] if m.org.kind == "person" else m.org.domain
        style = rng.randrange(4)
        if style == 0:
            mid = f"<{t:%Y%m%d%H%M%S}.{rng.getrandbits(40):010X}@{dom}>"
        elif style == 1:
            mid = f"<{rng.getrandbits(32):08X}.{rng.randrange(1000000, 9999999)}@{dom}>"
        elif style == 2:
            mid = f"<000{rng.getrandbits(20):05x}01c8{rng.getrandbits(16):04x}${rng.getrandbits(32):08x}${rng.getrandbits(32):08x}@{m.org.relays[0][0].split('.')[0]}>"
        else:
            mid = f"<{t:%Y%m%d%H%M%S}-{m.serial}.{rng.getrandbits(24):06x}@{dom}>"
        assert mid not in self.msgids
        self.msgids.add(mid)
        return mid

    def pick_person(self, org, rng):
        return pick(rng, org.persons)

    def choose_org(self, rng, rep, tld=None, exclude=()):
        by = self.cat.by_tld()
        cands = by[tld] if tld else self.cat.orgs + self.cat.providers
        ws = [compat(o, rep) if o.domain not in exclude else 0.0 for o in cands]
        if sum(ws) == 0:
            self.forced.append((tld, rep.rtype, rep.sub))
            ws = [o.weight if (o.domain not in exclude and o.kind not in ("autossh", "xarfconn", "xarfphish")
                               and o.domain not in ORG_AFF) else 0.0 for o in cands]
        o = wchoice(rng, cands, ws)
        if o.kind == "person":
            o = self.cat.individual(o, rng)
        return o

    def fill_report(self, rng, rep):
        """Brand, evidence style and incidents (IPs, ports, URLs) of a report whose org is set."""
        org = rep.org
        if rep.rtype == "phishing" and rep.brand is None:
            if rep.sub == "domestic":
                keys = list(DOMESTIC_WEIGHTS)
                rep.brand = wchoice(rng, keys, [DOMESTIC_WEIGHTS[k] for k in keys])
            elif rep.sub == "foreign":
                pool = FOREIGN_BY_TLD.get(org.tld)
                if pool and rng.random() < 0.85:
                    rep.brand = pick(rng, pool)
                else:
                    keys = list(FOREIGN_WEIGHTS)
                    rep.brand = wchoice(rng, keys, [FOREIGN_WEIGHTS[k] for k in keys])
        if rep.rtype == "phishing":
            rep.defang = rng.random() < 0.22
        if rep.rtype == "scan":
            rep.evidence = self.scan_evidence(rng, rep, org)
        elif rep.rtype == "intrusion":
            plan = PLAN.get(rep.quarter) or PLAN[Q2]
            rep.method = pick(rng, plan["intrusion_methods"])
            rep.after = rng.sample(plan["intrusion_after"], k=rng.choice([1, 2, 2]))
            rep.after = list(dict.fromkeys(rep.after))
        elif rep.rtype == "other" and rep.sub == "malware":
            rep.defang = rng.random() < 0.3
        region_w = REPORTED_REGIONS[rep.rtype]
        v6_ok = ((rep.rtype == "scan" and rep.evidence in ("sshd", "apache") and rep.size == 1) or
                 (rep.rtype == "phishing" and rep.size == 1 and org.kind != "xarfphish"))
        for i in range(rep.size):
            if v6_ok and rng.random() < 0.035:
                ip = self.alloc.v6(rng)
            else:
                ip = self.alloc.v4(rng, wchoice(rng, *region_w))
            inc = Incident(ip)
            if rep.rtype == "scan":
                if rep.sub == "comp":
                    inc.ports = sorted(rng.sample(COMP_PORT_POOL, k=rng.randrange(5, 12)))
                else:
                    inc.ports = [SCAN_PORTS[rep.sub]]
            elif rep.rtype == "phishing":
                token = brand_names(rep.brand)[2] if rep.brand else None
                n_urls = 1 if (org.kind == "xarfphish" or rep.size > 3) else wchoice(rng, [1, 2, 3], [80, 15, 5])
                hosts = []
                for j in range(n_urls):
                    if j == 0 or rng.random() < 0.5:
                        if rng.random() < 0.12 and ":" not in ip:
                            hosts.append(ip)
                        elif token and rng.random() < 0.2:
                            hosts.append(self.names.lookalike(rng, token))
                        else:
                            hosts.append(self.names.host(rng))
                    else:
                        hosts.append(hosts[-1])
                seen = set()
                for h in hosts:
                    while True:
                        u = f"http://{h}{phish_path(rng, token if rng.random() < 0.85 else None)}"
                        if u not in seen:
                            seen.add(u)
                            break
                    inc.urls.append(u)
            elif rep.rtype == "other" and rep.sub == "malware":
                h = ip if (rng.random() < 0.15 and ":" not in ip) else self.names.host(rng)
                d = pick(rng, ["", "/images", "/data", "/up", "/files", "/bbs/data", "/js", "/~temp"])
                inc.urls.append(f"http://{h}{d}/{pick(rng, MALWARE_FILES)}")
            elif rep.rtype == "other" and rep.sub == "deface":
                h = self.names.host(rng)
                inc.urls.append(f"http://{h}/" + pick(rng, ["", "index.html", "index.php", "top.html", "news/index.html"]))
            rep.incidents.append(inc)

    def scan_evidence(self, rng, rep, org):
        if org.kind == "xarfconn":
            return "xarf"
        if org.kind == "autossh":
            return "auto"
        return self.scan_evidence_for_port(rng, rep.sub)

    @staticmethod
    def scan_evidence_for_port(rng, sub):
        if sub == "p22":
            return wchoice(rng, ["sshd", "iptables", "pfw"], [75, 20, 5])
        if sub == "p80":
            return wchoice(rng, ["apache", "iptables", "pfw"], [82, 13, 5])
        if sub == "comp":
            return wchoice(rng, ["iptables", "pfw"], [60, 40])
        return wchoice(rng, ["iptables", "pfw"], [60, 40])

    # ---- quarter mode
    def build_quarter(self, q):
        """The reports and mails of quarter q, so that it gives exactly its target figures."""
        rng = random.Random(f"quarter:{self.seed}:{q}")
        plan = PLAN[q]
        reps = self.plan_reports(rng, q, plan)
        self.assign_reporters(rng, q, plan, reps)
        self.fill_reports(rng, q, reps)
        self.add_first_mails(rng, q, reps)
        if q in CAMPAIGN_DAYS:
            self.date_campaign(q, reps)
        # --- extra messages: second reporters, follow-ups, forwards within a thread
        self.add_seconds(rng, q, reps, plan["seconds"])
        self.add_followups(rng, q, reps, plan["followups"], "followup")
        self.add_followups(rng, q, reps, plan["fwd_followups"], "fwdthread")
        self.add_noninc(rng, q, plan["non_incident"])

    @staticmethod
    def plan_reports(rng, q, plan):
        """The quarter's reports (type, sub-kind, size) from the plan's groups and specials."""
        reps = []
        for rtype, sub, n_inc, n_rep in plan["groups"]:
            for size in partition(rng, n_inc, n_rep):
                reps.append(Report(0, q, rtype, sub, size))
        for rtype, sub, size, special in plan["specials"]:
            reps.append(Report(0, q, rtype, sub, size, special=special))
        rng.shuffle(reps)
        return reps

    def assign_reporters(self, rng, q, plan, reps):
        """Reporters: exact TLD counts, organisations that fit the report."""
        slots = dict(plan["tld"])
        assert sum(slots.values()) == len(reps), (q, sum(slots.values()), len(reps))
        by = self.cat.by_tld()
        for r in reps:
            if r.special:
                r.org = next(o for o in self.cat.orgs if o.domain == CAMPAIGN[q][0])
                slots[r.org.tld] -= 1
        order = sorted([r for r in reps if not r.special],
                       key=lambda r: {"forged": 0, "intrusion": 1, "phishing": 2, "other": 3, "scan": 4}[r.rtype])
        for r in order:
            tlds = [t for t in slots if slots[t] > 0]
            ws = []
            for t in tlds:
                cw = sum(compat(o, r) for o in by[t])
                ws.append(cw * slots[t] / (1 + sum(o.weight for o in by[t])))
            if sum(ws) == 0:
                ws = [slots[t] for t in tlds]
            t = wchoice(rng, tlds, ws)
            slots[t] -= 1
            r.org = self.choose_org(rng, r, tld=t)
        assert all(v == 0 for v in slots.values())

    def fill_reports(self, rng, q, reps):
        """Brand, evidence and incidents of every report; the campaigns have their own."""
        for r in reps:
            if r.special:
                r.brand = CAMPAIGN[q][1]
            self.fill_report(rng, r)
            if r.special:
                r.evidence = "campaign"

    def add_first_mails(self, rng, q, reps):
        """One first mail per report, numbered in order; a few pinned at the quarter edges."""
        qs, qe = QSPAN[q]
        edges = PINS[q]
        free = [r for r in reps if not r.special]
        pinned = rng.sample(free, k=len(edges))
        for r in reps:
            r.rid = len(self.reports) + 1
            self.reports.append(r)
            person = self.pick_person(r.org, rng)
            if r in pinned:
                pin, t, dd = edges[pinned.index(r)]
                r.pin = pin
            else:
                t = self.sample_time(rng, r.org, qs, qe - dt.timedelta(hours=2))
                dd = 0
            m = self.new_mail("first", r, r.org, person, t)
            if dd:
                m.date_delta = dd
            m.incs = list(r.incidents)
            m.urls = [u for i in r.incidents for u in i.urls]
            m.evidence = r.evidence
            r.mails.append(m)
            if r.rtype in ("scan", "phishing", "other", "intrusion") and not r.special and \
                    r.org.kind not in ("autossh", "xarfconn", "xarfphish") and rng.random() < 0.07:
                r.first_fwd = pick(rng, ["rfc822", "inline"])
            if r.rtype == "phishing" and r.brand and r.org.kind == "person" and not r.first_fwd and rng.random() < 0.35:
                r.first_fwd = "lure"

    @staticmethod
    def date_campaign(q, reps):
        """The campaign's second report is the next day, same reporter."""
        c1 = next(r for r in reps if r.special == "campaign")
        c2 = next(r for r in reps if r.special == "campaign2")
        c1.mails[0].received, c2.mails[0].received = CAMPAIGN_DAYS[q]
        c2.mails[0].person = c1.mails[0].person

    def add_noninc(self, rng, q, n):
        """The quarter's non-incident mails (questions, consultations, information)."""
        qs, qe = QSPAN[q]
        for k in range(n):
            org = self.noninc_org(rng)
            if k == 0:
                t = NONINC_START[q]
            else:
                t = self.sample_time(rng, org, qs, qe - dt.timedelta(hours=1))
            m = self.new_mail("noninc", None, org, self.pick_person(org, rng), t)
            m.topic = rng.randrange(1000)
            m.to = INFO_ADDR if rng.random() < 0.55 else INCIDENT_ADDR
            self.noninc.append(m)

    def noninc_org(self, rng):
        cands = self.cat.orgs + self.cat.providers
        ws = [(o.weight * (3 if o.tld == "jp" else 1) if o.kind not in ("autossh", "xarfconn", "xarfphish") else 0) for o in cands]
        o = wchoice(rng, cands, ws)
        if o.kind == "person":
            o = self.cat.individual(o, rng)
        return o

    def sample_time(self, rng, org, start, end):
        """A received time in [start, end): senders write in their office hours mostly."""
        span = int((end - start).total_seconds())
        auto = org.kind in ("autossh", "xarfconn", "xarfphish")
        for _ in range(200):
            t = start + dt.timedelta(seconds=rng.randrange(span))
            if auto:
                return t
            lt = in_zone(org.zone, t)
            w = 1.0 if 9 <= lt.hour < 19 else (0.35 if 7 <= lt.hour < 23 else 0.08)
            if lt.weekday() >= 5:
                w *= 0.3
            if org.lang == "ja" and (lt.month, lt.day) in ((1, 1), (1, 2), (1, 3), (4, 29), (5, 3), (5, 4), (5, 5), (5, 6), (2, 11), (3, 20), (1, 14)):
                w *= 0.3
            if rng.random() < w:
                return t
        return t

    def add_seconds(self, rng, q, reps, n):
        qs, qe = QSPAN[q]
        elig = [r for r in reps if not r.pin and not r.special and
                ((r.rtype == "phishing") or (r.rtype == "other" and r.sub == "malware") or
                 (r.rtype == "scan" and r.sub != "comp"))
                and r.mails[0].received < qe - dt.timedelta(days=6)]
        weights = [{"phishing": 5, "other": 3, "scan": 1.2}[r.rtype] for r in elig]
        done = 0
        count = {}
        while done < n:
            r = wchoice(rng, elig, weights)
            if count.get(r.rid, 0) >= 2:
                continue
            count[r.rid] = count.get(r.rid, 0) + 1
            first = r.mails[0]
            used = {m.org.domain for m in r.mails} | ({m.org.provider for m in r.mails} - {None})
            probe = Report(0, q, r.rtype, r.sub, 1)
            org = self.choose_org(rng, probe, exclude=used)
            if org.kind == "person" and org.domain in used:
                continue
            t = first.received + dt.timedelta(seconds=rng.randrange(26 * 3600, 118 * 3600))
            if t >= qe - dt.timedelta(hours=1):
                continue
            m = self.new_mail("second", r, org, self.pick_person(org, rng), t)
            k = rng.choice([1, 1, 1, 2]) if len(r.incidents) > 1 else 1
            m.incs = rng.sample(r.incidents, k=min(k, len(r.incidents)))
            m.incs.sort(key=r.incidents.index)
            m.urls = [u for i in m.incs for u in (i.urls if rng.random() < 0.7 else i.urls[:1])]
            if r.rtype == "scan":
                m.evidence = "xarf" if (org.kind == "xarfconn" and r.sub == "p22") else \
                    ("auto" if org.kind == "autossh" else self.scan_evidence_for_port(rng, r.sub))
                if org.kind == "xarfconn" and r.sub != "p22":
                    m.evidence = self.scan_evidence_for_port(rng, r.sub)
                if any(":" in i.ip for i in m.incs) and m.evidence not in ("sshd", "apache", "auto", "xarf"):
                    m.evidence = "sshd" if r.sub == "p22" else "apache"
            r.mails.append(m)
            done += 1

    def add_followups(self, rng, q, reps, n, kind):
        qs, qe = QSPAN[q]
        elig = [r for r in reps if r.pin != "end" and r.mails[0].received < qe - dt.timedelta(days=3)
                and r.org.kind not in ("xarfconn", "xarfphish")]
        weights = [{"phishing": 3, "other": 2, "scan": 1, "intrusion": 4, "forged": 3}[r.rtype] for r in elig]
        done = 0
        while done < n:
            r = wchoice(rng, elig, weights)
            own = [m for m in r.mails if m.org is r.org]
            if len(own) >= 4:
                continue
            parent = max(own, key=lambda m: m.received)
            t = parent.received + dt.timedelta(seconds=rng.randrange(2 * 3600, 6 * 86400))
            if t >= qe - dt.timedelta(hours=1):
                continue
            m = self.new_mail(kind, r, r.org, r.mails[0].person, t, parent=parent)
            # which incidents it repeats (never new ones)
            if r.rtype in ("scan", "phishing", "intrusion", "other", "forged") and rng.random() < 0.72:
                k = rng.randrange(1, len(r.incidents) + 1)
                m.incs = sorted(rng.sample(r.incidents, k=k), key=r.incidents.index)
                m.urls = [u for i in m.incs for u in i.urls]
            m.evidence = r.evidence
            r.mails.append(m)
            done += 1

    def all_orgs(self):
        """Every organisation, individuals included."""
        out = list(self.cat.orgs) + list(self.cat.providers)
        for v in self.cat.person_pool.values():
            out.extend(v)
        return out
