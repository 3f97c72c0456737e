#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Checks that Kizuna, reading two quarters of generated report mail, gives the real figures.

    /usr/bin/python3 tests/integration/quarter_figures.py --kizuna build/src/cli/kizuna --workdir DIR

1. runs tools/quarter_gen.py into DIR/mail (its model's own figures, --summary, must equal
   testdata/quarters.json: the generator and the expectation cannot drift apart);
2. `kizuna ingest --db DIR/k.db DIR/mail --json` must take every mail as new
   (JSON keys: new, duplicate, quarantined, problems);
3. `kizuna stats --db DIR/k.db --from A --to B --json` for each quarter must give every figure
   of testdata/quarters.json: the scalar keys and the keys of by_type and phishing_brand exactly;
   reporter_tld: each named TLD exactly, and every other TLD fewer reports than the last named;
   scan_ports: each (proto, port) exactly, no other port with incidents, listed by incidents
   descending then port ascending;
4. ingests the same folder again: `duplicate` must equal the number of mails, `new` 0, and
   every quarter's figures must be unchanged.

Prints one line per mismatch, then exactly one line `N passed, M failed` (the compared figures).
Exit status 0 when nothing failed. Standard library only.
"""

import argparse
import json
import mailbox
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXPECTED = os.path.join(HERE, "testdata", "quarters.json")
GENERATOR = os.path.join(ROOT, "tools", "quarter_gen.py")


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, expected, actual, ok=None):
        ok = (expected == actual) if ok is None else ok
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name}: expected {expected!r}, got {actual!r}")
        return ok

    def error(self, name, message):
        self.failed += 1
        print(f"FAIL {name}: {message}")


def run(cmd, timeout):
    """(exit status, stdout, stderr); status None on a timeout or when the program is missing."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or "", f"timed out after {timeout} s"
    except OSError as e:
        return None, "", str(e)


def parse_json(text):
    """The JSON object a command printed (the whole output, else its last line that parses)."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


def count(v):
    """A count given either as a number or as a list of items."""
    if isinstance(v, list):
        return len(v)
    return v


def compare_quarter(t, q, exp, act):
    if not isinstance(act, dict):
        t.error(q, f"no figures (stats printed {act!r})")
        return
    for key, ev in exp.items():
        name = f"{q} {key}"
        if key.startswith("_"):
            continue
        if key not in act:
            t.error(name, "missing from kizuna's output")
            continue
        av = act[key]
        if key == "reporter_tld":
            compare_tlds(t, name, ev, av)
        elif key == "scan_ports":
            compare_ports(t, name, ev, av)
        elif isinstance(ev, dict):
            if not isinstance(av, dict):
                t.error(name, f"expected an object, got {av!r}")
                continue
            for k2, v2 in ev.items():
                t.check(f"{name}.{k2}", v2, av.get(k2))
        else:
            t.check(name, ev, av)


def compare_tlds(t, name, ev, av):
    try:
        got = {str(e["tld"]).lower().lstrip("."): int(e["reports"]) for e in av}
    except (TypeError, KeyError, ValueError):
        t.error(name, f"not a list of {{tld, reports}}: {av!r}")
        return
    named = [e["tld"] for e in ev]
    for e in ev:
        t.check(f"{name}.{e['tld']}", e["reports"], got.get(e["tld"], 0))
    last = ev[-1]["reports"]
    over = {k: v for k, v in got.items() if k not in named and v >= last}
    t.check(f"{name}.others(<{last} each)", {}, over)


def compare_ports(t, name, ev, av):
    try:
        got = [(str(e["proto"]).lower(), int(e["port"]), int(e["incidents"])) for e in av]
    except (TypeError, KeyError, ValueError):
        t.error(name, f"not a list of {{proto, port, incidents}}: {av!r}")
        return
    gmap = {(p, n): c for p, n, c in got}
    for e in ev:
        key = (e["proto"], e["port"])
        t.check(f"{name}.{e['proto']}/{e['port']}", e["incidents"], gmap.get(key, 0))
    named = {(e["proto"], e["port"]) for e in ev}
    extra = {f"{p}/{n}": c for (p, n), c in gmap.items() if (p, n) not in named and c}
    t.check(f"{name}.other_ports", {}, extra)
    nonzero = [g for g in got if g[2]]
    t.check(f"{name}.order", sorted(nonzero, key=lambda g: (-g[2], g[1])), nonzero)


def stats(t, kizuna, db, q, timeout):
    start, end = q.split("..")
    st, out, err = run([kizuna, "stats", "--db", db, "--from", start, "--to", end, "--json"], timeout)
    if st != 0:
        t.error(f"{q} stats", f"exit status {st}: {err.strip()[:2000]}")
        return None
    js = parse_json(out)
    if js is None:
        t.error(f"{q} stats", f"output is not JSON: {out[:500]!r}")
    return js


def replay(t, kizuna, db, work, coordination, timeout):
    """Loads the generator's contact directory and runs the worker once at the end of every day of
    both quarters (checks and reminders off, every notice approved automatically) against a real
    SMTP server on 127.0.0.1: the notices it sends are the quarters' `notifications`."""
    st, out, err = run([kizuna, "data", "load", "contacts", os.path.join(coordination, "contacts.toml"), "--db", db], timeout)
    if st != 0:
        t.error("coordination contacts", f"exit status {st}: {err.strip()[:2000]}")
        return
    st, out, err = run([kizuna, "enrich", "--all", "--db", db], timeout)  # new data: route every incident again
    if st != 0:
        t.error("coordination enrich", f"exit status {st}: {err.strip()[:2000]}")
        return
    with open(os.path.join(coordination, "replay.json"), encoding="utf-8") as f:
        plan = json.load(f)
    spool = os.path.join(work, "spool")
    shutil.rmtree(spool, ignore_errors=True)
    os.makedirs(spool)
    ready = os.path.join(work, "smtp.ready")
    if os.path.exists(ready):
        os.remove(ready)
    smtp = subprocess.Popen([sys.executable, os.path.join(HERE, "coord_servers.py"), "smtp", "--port", "0", "--spool", spool,
                             "--ready", ready, "--lifetime", "1800"])
    try:
        for _ in range(200):
            if os.path.exists(ready) and open(ready).read().strip():
                break
            time.sleep(0.05)
        port = int(open(ready).read())
        config = os.path.join(work, "replay.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write("[gnupg]\nenabled = false\n[notify]\nfrom = \"centre@kizuna.test\"\nauto_approve = [\"all\"]\n"
                    "acknowledge = false\ntell_reporters = false\n"
                    f"[smtp]\nurl = \"smtp://127.0.0.1:{port}\"\nstarttls = \"off\"\n"
                    "[checker]\nenabled = false\n"
                    "[coordination]\nremind_after_business_days = 0\nescalate_after_business_days = 0\n")
        sent = 0
        for when in plan["rounds"]:
            st, out, err = run([kizuna, "--config", config, "--db", db, "--now", when, "worker", "--once", "--json"], timeout)
            if st != 0:
                t.error(f"worker {when}", f"exit status {st}: {err.strip()[:2000]}")
                return
            sent += (parse_json(out) or {}).get("sent", 0)
        delivered = len([n for n in os.listdir(spool) if n.endswith(".json")])
        t.check("replay: every notice sent reached the SMTP server", sent, delivered)
        print(f"replayed {len(plan['rounds'])} daily rounds: {sent} notices sent")
    finally:
        smtp.terminate()
        smtp.wait(timeout=10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kizuna", required=True, help="path to the kizuna binary")
    ap.add_argument("--workdir", required=True, help="scratch directory (its mail/ and k.db are replaced)")
    ap.add_argument("--seed", type=int, default=2008, help="generator seed (default 2008)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds allowed per kizuna command (default 900)")
    ap.add_argument("--pg-cluster", help="run on PostgreSQL: the URL file of the run's cluster (pg_cluster.sh)")
    a = ap.parse_args()

    t = Tally()
    with open(EXPECTED, encoding="utf-8") as f:
        expected = json.load(f)
    quarters = [k for k in expected if not k.startswith("_")]
    kizuna = os.path.abspath(a.kizuna)
    work = os.path.abspath(a.workdir)
    mail = os.path.join(work, "mail")
    db = os.path.join(work, "k.db")
    os.makedirs(work, exist_ok=True)
    shutil.rmtree(mail, ignore_errors=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if a.pg_cluster:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import pgtest
        db = pgtest.fresh_database(a.pg_cluster, "quarter_figures")

    try:
        # 1. the mail, and the generator's own figures
        summary = os.path.join(work, "model.json")
        coordination = os.path.join(work, "coordination")
        st, out, err = run([sys.executable, GENERATOR, "--out", mail, "--seed", str(a.seed),
                            "--summary", summary, "--coordination", coordination, "--quiet"], 600)
        if st != 0:
            t.error("generator", f"exit status {st}: {(err or out).strip()[:3000]}")
            return finish(t)
        with open(summary, encoding="utf-8") as f:
            model = json.load(f)
        for q in quarters:
            compare_quarter(t, f"model {q}", expected[q], model.get(q))
        files = sorted(os.path.join(mail, n) for n in os.listdir(mail) if n.endswith(".mbox"))
        total = sum(len(mailbox.mbox(p, create=False)) for p in files)
        print(f"generated {total} mails in {len(files)} mbox files under {mail}")

        # 2. first ingest
        st, out, err = run([kizuna, "ingest", "--db", db, mail, "--json"], a.timeout)
        if st != 0:
            t.error("ingest", f"exit status {st}: {err.strip()[:3000]}")
            return finish(t)
        first = parse_json(out)
        if not isinstance(first, dict):
            t.error("ingest", f"output is not a JSON object: {out[:500]!r}")
            return finish(t)
        t.check("ingest new", total, first.get("new"))
        t.check("ingest duplicate", 0, first.get("duplicate"))
        t.check("ingest quarantined", 0, count(first.get("quarantined")))
        if first.get("problems"):
            print(f"note: ingest reported problems: {json.dumps(first.get('problems'), ensure_ascii=False)[:2000]}")

        # 2b. the coordination of both quarters, replayed day by day (notifications)
        replay(t, kizuna, db, work, coordination, a.timeout)

        # 3. the figures of each quarter
        before = {}
        for q in quarters:
            before[q] = stats(t, kizuna, db, q, a.timeout)
            compare_quarter(t, q, expected[q], before[q])

        # 4. the same folder again changes nothing
        st, out, err = run([kizuna, "ingest", "--db", db, mail, "--json"], a.timeout)
        if st != 0:
            t.error("re-ingest", f"exit status {st}: {err.strip()[:3000]}")
            return finish(t)
        again = parse_json(out)
        if not isinstance(again, dict):
            t.error("re-ingest", f"output is not a JSON object: {out[:500]!r}")
            return finish(t)
        t.check("re-ingest duplicate", total, again.get("duplicate"))
        t.check("re-ingest new", 0, again.get("new"))
        for q in quarters:
            after = stats(t, kizuna, db, q, a.timeout)
            if before[q] is not None and after is not None:
                t.check(f"{q} unchanged after re-ingest", True, after == before[q])
    except OSError as e:
        t.error("test", str(e))
    return finish(t)


def finish(t):
    print(f"{t.passed} passed, {t.failed} failed")
    return 0 if t.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
