"""Bench mode (--bench N): N mails over the whole of 2008 from the same generators, no figure
targets, in files bench-0001.mbox .. of at most 10,000 mails each.
"""

from __future__ import annotations

import datetime as dt
import os
import random

from .centre import INCIDENT_ADDR, INFO_ADDR
from .choice import pick, wchoice
from .clock import JST
from .mbox import mbox_entry
from .model import Report
from .render import Renderer
from .verify import verify_mail

CHUNK = 10000    # mails per mbox file


def build_bench(model, n):
    """N mails: reports with second reporters and follow-ups, and some non-incident mails."""
    rng = random.Random(f"bench:{model.seed}")
    start = dt.datetime(2008, 1, 1, tzinfo=JST)
    end = dt.datetime(2009, 1, 1, tzinfo=JST)
    types = [("scan", "p80", 27), ("scan", "p22", 18), ("scan", "p5900", 1), ("scan", "p21", 1),
             ("scan", "p139", 1), ("scan", "p10000", 0.5), ("scan", "comp", 1), ("forged", "", 0.6),
             ("intrusion", "", 2), ("phishing", "domestic", 2), ("phishing", "foreign", 16),
             ("phishing", "unknown", 1), ("other", "malware", 12), ("other", "virus", 6),
             ("other", "dos", 6), ("other", "deface", 6)]
    total = 0
    reps = []
    while total < n:
        if rng.random() < 0.03:
            org = model.noninc_org(rng)
            m = model.new_mail("noninc", None, org, model.pick_person(org, rng), model.sample_time(rng, org, start, end))
            m.topic = rng.randrange(1000)
            m.to = INFO_ADDR if rng.random() < 0.5 else INCIDENT_ADDR
            model.noninc.append(m)
            total += 1
            continue
        rtype, sub, _ = wchoice(rng, types, [t[2] for t in types])
        size = wchoice(rng, [1, 2, 3, 4, 5, 6, 8, 11], [80, 10, 4, 2, 1.5, 1, 1, 0.5])
        r = Report(len(model.reports) + 1, "bench", rtype, sub, size)
        r.org = model.choose_org(rng, r)
        model.fill_report(rng, r)
        model.reports.append(r)
        reps.append(r)
        t = model.sample_time(rng, r.org, start, end - dt.timedelta(days=7))
        m = model.new_mail("first", r, r.org, model.pick_person(r.org, rng), t)
        m.incs = list(r.incidents)
        m.urls = [u for i in r.incidents for u in i.urls]
        m.evidence = r.evidence
        r.mails.append(m)
        total += 1
        if r.org.kind not in ("autossh", "xarfconn", "xarfphish") and rng.random() < 0.05:
            r.first_fwd = pick(rng, ["rfc822", "inline"])
        elif rtype == "phishing" and r.brand and r.org.kind == "person" and rng.random() < 0.3:
            r.first_fwd = "lure"
        # extras
        if total < n and rtype in ("phishing", "scan") or (rtype == "other" and sub == "malware"):
            if total < n and rng.random() < 0.08 and sub != "comp":
                probe = Report(0, "bench", rtype, sub, 1)
                org = model.choose_org(rng, probe, exclude={r.org.domain})
                if org is not r.org and org.domain != r.org.domain:
                    t2 = t + dt.timedelta(seconds=rng.randrange(26 * 3600, 118 * 3600))
                    m2 = model.new_mail("second", r, org, model.pick_person(org, rng), t2)
                    m2.incs = [r.incidents[0]]
                    m2.urls = list(r.incidents[0].urls)
                    m2.evidence = (model.scan_evidence_for_port(rng, sub) if rtype == "scan" else "")
                    if rtype == "scan" and ":" in r.incidents[0].ip:
                        m2.evidence = "sshd" if sub == "p22" else "apache"
                    r.mails.append(m2)
                    total += 1
        if total < n and r.org.kind not in ("xarfconn", "xarfphish") and rng.random() < 0.15:
            kind = "fwdthread" if rng.random() < 0.1 else "followup"
            t3 = t + dt.timedelta(seconds=rng.randrange(2 * 3600, 6 * 86400))
            m3 = model.new_mail(kind, r, r.org, m.person, t3, parent=m)
            if rng.random() < 0.7:
                m3.incs = list(r.incidents)
                m3.urls = [u for i in r.incidents for u in i.urls]
            m3.evidence = r.evidence
            r.mails.append(m3)
            total += 1
    return reps


def write_bench(model, out, check=True):
    """Renders the model's mails into bench-NNNN.mbox files; (mails, files, problems).

    With `check`, every 97th mail (by serial) is read back.
    """
    ren = Renderer(model)
    mails = sorted(model.mails, key=lambda m: (m.received, m.serial))
    os.makedirs(out, exist_ok=True)
    problems = []
    for k in range(0, len(mails), CHUNK):
        path = os.path.join(out, f"bench-{k // CHUNK + 1:04d}.mbox")
        with open(path, "wb") as f:
            for m in mails[k:k + CHUNK]:
                raw = ren.render(m)
                if check and (m.serial % 97 == 0):
                    problems += verify_mail(model, m, raw, ren.writer.content(m))
                f.write(mbox_entry(m, raw))
    return len(mails), (len(mails) + CHUNK - 1) // CHUNK, problems
