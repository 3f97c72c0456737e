"""What the model says: its figures per quarter, the self-check against the targets, the
summary and truth files and the run's description.
"""

from __future__ import annotations

import json

from .brands import BRANDS_DOMESTIC
from .coordination import Coordination
from .targets import Q1, Q2, QSPAN, quarter_of, targets


def figures(model, q):
    """The figures of quarter q as the model counts them (plus `_other_tlds`)."""
    reps = [r for r in model.reports if r.quarter == q]
    f = {"messages": sum(len(r.mails) for r in reps), "reports": len(reps)}
    f["incidents"] = sum(len({i.ip for i in r.incidents}) for r in reps)
    bt = {t: 0 for t in ("scan", "forged", "intrusion", "phishing", "other")}
    ports, comp, brand = {}, 0, {"domestic": 0, "foreign": 0, "unknown": 0}
    tld = {}
    for r in reps:
        first = min(r.mails, key=lambda m: m.received)
        tld[first.org.tld] = tld.get(first.org.tld, 0) + 1
        for i in r.incidents:
            bt[r.rtype] += 1
            if r.rtype == "scan":
                if len(set(i.ports)) >= 5:
                    comp += 1
                else:
                    assert len(i.ports) == 1
                    ports[i.ports[0]] = ports.get(i.ports[0], 0) + 1
            if r.rtype == "phishing":
                if r.brand is None:
                    brand["unknown"] += 1
                elif r.brand in BRANDS_DOMESTIC:
                    brand["domestic"] += 1
                else:
                    brand["foreign"] += 1
    f["by_type"] = bt
    named = [e["tld"] for e in targets()[q]["reporter_tld"]]
    f["reporter_tld"] = [{"tld": t, "reports": tld.get(t, 0)} for t in named]
    f["_other_tlds"] = {t: c for t, c in sorted(tld.items()) if t not in named}
    f["scan_ports"] = [{"proto": "tcp", "port": p, "incidents": c}
                       for p, c in sorted(ports.items(), key=lambda kv: (-kv[1], kv[0]))]
    f["comprehensive_scans"] = comp
    f["phishing_brand"] = brand
    f["non_incident"] = sum(1 for m in model.noninc if quarter_of(m.received) == q)
    f["notifications"] = Coordination(model).notices.get(q, 0)
    return f


def check_model(model):
    """The target figures and every invariant the mails rely on; returns a list of problems."""
    problems = []
    for q in (Q1, Q2):
        f = figures(model, q)
        tgt = targets()[q]
        for k, v in tgt.items():
            if f.get(k) != v:
                problems.append(f"{q}: {k}: model {f.get(k)!r} != target {v!r}")
        last = tgt["reporter_tld"][-1]["reports"]
        for t, c in f["_other_tlds"].items():
            if c >= last:
                problems.append(f"{q}: TLD {t} has {c} reports, not fewer than {last}")
    ip_owner = {}
    url_owner = {}
    relay_ips = {ip for o in model.all_orgs() for _, ip in o.relays}
    for r in model.reports:
        qs, qe = QSPAN[r.quarter]
        first = r.mails[0]
        if min(r.mails, key=lambda m: m.received) is not first:
            problems.append(f"report {r.rid}: first mail is not the earliest")
        for m in r.mails:
            if not (qs <= m.received < qe):
                problems.append(f"report {r.rid}: mail {m.serial} outside its quarter")
            if m.kind == "second":
                d = (m.received - first.received).total_seconds() / 86400
                if not (1 <= d <= 5) or m.org.domain == r.org.domain and m.org.kind != "person" or m.org is r.org:
                    problems.append(f"report {r.rid}: bad second reporter mail {m.serial}")
                if not m.incs:
                    problems.append(f"report {r.rid}: second reporter without indicators")
            for i in m.incs:
                if i not in r.incidents:
                    problems.append(f"report {r.rid}: mail {m.serial} names a new address")
        for i in r.incidents:
            if ip_owner.setdefault(i.ip, r.rid) != r.rid:
                problems.append(f"IP {i.ip} in reports {ip_owner[i.ip]} and {r.rid}")
            if i.ip in relay_ips:
                problems.append(f"IP {i.ip} is also a relay address")
            for u in i.urls:
                if url_owner.setdefault(u, r.rid) != r.rid:
                    problems.append(f"URL {u} in two reports")
        if r.rtype == "phishing":
            if (r.sub == "unknown") != (r.brand is None):
                problems.append(f"report {r.rid}: brand/sub mismatch")
    return problems


def model_summary(model):
    """The model's figures per quarter, in the shape of quarters.json (--summary)."""
    out = {}
    for q in (Q2, Q1):
        f = figures(model, q)
        f.pop("_other_tlds")
        out[q] = f
    return out


def describe(model, ren):
    """What a run wrote, in words (printed unless -q)."""
    lines = []
    for q in (Q1, Q2):
        reps = [r for r in model.reports if r.quarter == q]
        kinds = {}
        for r in reps:
            for m in r.mails:
                kinds[m.kind] = kinds.get(m.kind, 0) + 1
        by = {}
        for r in reps:
            by.setdefault(r.rtype, [0, 0, 0])
            by[r.rtype][0] += 1
            by[r.rtype][1] += len(r.incidents)
            by[r.rtype][2] += len(r.mails)
        xarf = sum(1 for r in reps for m in r.mails if (m.org.kind in ("xarfconn", "xarfphish")) and m.kind in ("first", "second"))
        fwd = sum(1 for r in reps if r.first_fwd in ("rfc822", "inline"))
        lure = sum(1 for r in reps if r.first_fwd == "lure")
        ja = sum(1 for r in reps for m in r.mails if m.lang == "ja")
        lines.append(f"{q}: {len(reps)} reports, {sum(len(r.mails) for r in reps)} report mails {kinds}, "
                     f"non-incident {sum(1 for m in model.noninc if quarter_of(m.received) == q)}")
        for t, (a, b, c) in sorted(by.items()):
            lines.append(f"    {t:9s} reports {a:4d}  incidents {b:4d}  mails {c:4d}")
        lines.append(f"    X-ARF mails {xarf}, forwarded first reports {fwd}, forwarded phishing lures {lure}, Japanese mails {ja}")
    lines.append("encodings: " + ", ".join(f"{k}={v}" for k, v in sorted(ren.stats.items())))
    return "\n".join(lines)


def write_truth(model, path):
    """The model's truth per mail as JSON lines (--truth, for debugging triage)."""
    with open(path, "w", encoding="utf-8") as f:
        for m in sorted(model.mails, key=lambda m: m.serial):
            r = m.report
            f.write(json.dumps({
                "msgid": m.msgid.strip("<>"), "kind": m.kind, "quarter": r.quarter if r else None,
                "report": r.rid if r else None, "type": r.rtype if r else None, "sub": r.sub if r else None,
                "ips": [i.ip for i in r.incidents] if r else [],
                "ports": [i.ports for i in r.incidents] if r else [],
                "brand": r.brand if r else None, "evidence": r.evidence if r else None,
                "first_sender_tld": r.org.tld if r and r.org else None}, ensure_ascii=False) + "\n")
