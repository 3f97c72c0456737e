#!/usr/bin/python3
"""Looking after a centre's database on both back ends (issue 14 section 2, docs/operations.md):

    pg_admin.py --kizuna PATH --workdir DIR --pg-cluster URL_FILE [--case NAME ...]

On the test run's throw-away PostgreSQL cluster (pg_cluster.sh) and SQLite files. Expectations
come from the issue and the handbook, not from the code:
  * `db copy --to postgresql://...` moves a centre: every table's count equal afterwards, raw
    messages byte-identical, the event log complete; run again it copies nothing twice; killed
    half-way and run again it completes without duplicates; it refuses (exit 75) while a worker
    holds either database;
  * `db backup -o FILE` on SQLite gives a database with the same figures, also while a worker
    runs; an existing FILE is refused; on PostgreSQL it points to pg_dump, and a pg_dump /
    pg_restore round trip gives the same figures;
  * a password in a URL never appears in an error; a server that cannot be reached exits 75;
    a schema newer than the binary is refused naming both versions; a read-only command on an
    empty PostgreSQL database says what creates the schema;
  * a worker waiting on PostgreSQL is woken by new mail (LISTEN/NOTIFY);
  * a message that crashed a run on one machine is set aside by a run on another machine on the
    same PostgreSQL database (the poison verdicts live in the database);
  * the `restart` case (run alone: it restarts the cluster): `kizuna worker` on PostgreSQL
    survives a server restart and goes on with its rounds.
"""

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pgtest
from pgtest import check, failures, wait_for

HERE = Path(__file__).resolve().parent
PY = "/usr/bin/python3"
SRC = HERE.parent.parent
RANGE = ["--from", "2000-01-01", "--to", "2030-12-31"]
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn



class Env:
    def __init__(self, a):
        self.kizuna = os.path.abspath(a.kizuna)
        self.w = Path(a.workdir).resolve()
        self.cluster = os.path.abspath(a.pg_cluster)
        self.w.mkdir(parents=True, exist_ok=True)
        self.config = self.w / "kizuna.toml"
        self.config.write_text(f'[store]\nwork_dir = "{self.w / "var"}"\n[centre]\nlanguage = "en"\n')
        self._corpus = None
        self.one = self.w / "one.eml"  # a single mail that is no incident: no site, nothing to check
        self.one.write_text("From: someone@example.org\nTo: info@kizuna.example\nSubject: question\n"
                            "Message-ID: <one@example.org>\nDate: Mon, 1 Dec 2026 10:00:00 +0900\n\n"
                            "Just a question, no incident.\n")

    def k(self, *args, timeout=300, check_rc=None, config=None, env=None):
        p = subprocess.run([self.kizuna, "--config", str(config or self.config), *args], capture_output=True,
                           text=True, timeout=timeout, env=dict(os.environ, **(env or {})))
        if check_rc is not None and p.returncode != check_rc:
            raise RuntimeError(f"kizuna {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        return p

    def spawn(self, *args, log):
        return subprocess.Popen([self.kizuna, "--config", str(self.config), *args], stdout=open(log, "w"),
                                stderr=open(str(log) + ".err", "w"))

    def figures(self, db):
        return json.loads(self.k("stats", "--db", db, "--json", *RANGE, check_rc=0).stdout)

    def sqlite_db(self, name):
        path = self.w / name
        for suffix in ("", "-wal", "-shm", ".worker.lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return str(path)

    def corpus(self):
        """An SQLite centre holding 2,000 generated reports (made once)."""
        if self._corpus:
            return self._corpus
        mail = self.w / "mail"
        if not mail.exists():
            subprocess.run([PY, str(SRC / "tools" / "quarter_gen.py"), "--bench", "2000", "--out", str(mail), "-q"],
                           check=True, capture_output=True, timeout=300)
        db = self.sqlite_db("corpus.db")
        self.k("ingest", "--db", db, str(mail), "--json", check_rc=0)
        self._corpus = db
        return db

    def small(self, name):
        """An SQLite centre with a single report and no sites: a worker round on it is quick and touches no
        network."""
        db = self.sqlite_db(name)
        self.k("ingest", "--db", db, str(self.one), "--json", check_rc=0)
        return db


# The search index (decision 038) is derived and each back end's own: `db copy` leaves it out and the
# worker fills it again, so it is not compared.
SEARCH_INDEX = "name LIKE 'message_search%'"


def sqlite_counts(path):
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                        f"'sqlite_%' AND name<>'schema_version' AND NOT {SEARCH_INDEX}")]
    out = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    con.close()
    return out


def pg_counts(env, name):
    tables = pgtest.psql(env.cluster, "SELECT table_name FROM information_schema.tables WHERE table_schema='public' "
                                      "AND table_name<>'schema_version' AND NOT "
                                      + SEARCH_INDEX.replace("name", "table_name"), name).split()
    return {t: int(pgtest.psql(env.cluster, f"SELECT COUNT(*) FROM {t}", name)) for t in tables}




@case
def copy(env):
    source = env.corpus()
    url = pgtest.fresh_database(env.cluster, "admin_copy")
    p = env.k("db", "copy", "--db", source, "--to", url, "--json")
    check(p.returncode == 0, "db copy to an empty PostgreSQL database exits 0", p.stderr)
    if p.returncode != 0:
        return
    report = json.loads(p.stdout)
    counts = sqlite_counts(source)
    check(pg_counts(env, "admin_copy") == counts, "every table holds as many rows as in SQLite")
    check(counts["messages"] == 2000 and report["raw_messages_compared"] == 2000,
          "all 2,000 raw messages compared byte for byte", str(report["raw_messages_compared"]))
    check(all(t["copied"] == counts[t["table"]] for t in report["tables"]), "the report says what was copied")
    con = sqlite3.connect(source)
    events = [r for r in con.execute("SELECT id, at, actor, action, subject FROM events ORDER BY id")]
    con.close()
    pg_events = [tuple(line.split("|")) for line in
                 pgtest.psql(env.cluster, "SELECT id, at, actor, action, subject FROM events ORDER BY id",
                             "admin_copy").splitlines()]
    check([tuple(str(x) for x in e) for e in events] == pg_events, "the event log is complete, ids and order kept")
    check(env.figures(url) == env.figures(source), "the quarter's figures are the same on PostgreSQL")
    again = env.k("db", "copy", "--db", source, "--to", url, "--json")
    check(again.returncode == 0 and all(t["copied"] == 0 for t in json.loads(again.stdout)["tables"]),
          "run again, it copies nothing twice", again.stdout[-300:] + again.stderr)
    # A report ingested on PostgreSQL after the copy gets a new number, not one the copy brought.
    mail = env.w / "after.eml"
    mail.write_text("From: reporter@example.net\nTo: info@kizuna.example\nSubject: phishing site\n"
                    "Message-ID: <after-copy@example.net>\nDate: Mon, 1 Dec 2026 10:00:00 +0900\n\n"
                    "Phishing at http://after-copy.example.com/login\n")
    new = env.k("ingest", "--db", url, str(mail), "--json")
    check(new.returncode == 0, "ingest into the copied database works (its ids continue)", new.stderr)


@case
def copy_interrupted(env):
    source = env.corpus()
    url = pgtest.fresh_database(env.cluster, "admin_interrupted")
    log = env.w / "interrupted.out"
    p = env.spawn("db", "copy", "--db", source, "--to", url, "--json", log=log)

    def some_committed():
        try:
            return int(pgtest.psql(env.cluster, "SELECT COUNT(*) FROM messages", "admin_interrupted") or 0) >= 1000
        except RuntimeError:
            return False
    started = wait_for(some_committed, 120)
    p.send_signal(signal.SIGKILL)
    p.wait()
    partial = pg_counts(env, "admin_interrupted")
    counts = sqlite_counts(source)
    check(started and partial != counts, "the copy was killed half-way",
          f"messages {partial.get('messages')} of {counts['messages']}")
    again = env.k("db", "copy", "--db", source, "--to", url, "--json")
    check(again.returncode == 0, "run again after the kill, it completes", again.stderr)
    check(pg_counts(env, "admin_interrupted") == counts, "... with every table's count equal: no duplicates")


@case
def copy_refused_while_worker(env):
    db = env.small("worker_held.db")
    worker = env.spawn("worker", "--db", db, "--interval", "3600", "--json", log=env.w / "held_worker.out")
    try:
        held = wait_for(lambda: (env.w / "held_worker.out").read_text().strip() != "", 30)
        check(held, "a worker runs on the SQLite database")
        url = pgtest.fresh_database(env.cluster, "admin_refused")
        p = env.k("db", "copy", "--db", db, "--to", url)
        check(p.returncode == 75 and "worker" in p.stderr, "db copy refuses while a worker holds the source (75)",
              f"exit {p.returncode}: {p.stderr.strip()}")
        second = env.k("worker", "--once", "--db", db)
        check(second.returncode == 75 and "worker" in second.stderr,
              "a second worker --once says another worker runs (75)", second.stderr.strip())
        b = env.w / "while_worker.db"
        b.unlink(missing_ok=True)
        p = env.k("db", "backup", "--db", db, "-o", str(b))
        check(p.returncode == 0 and b.exists(), "db backup works while the worker runs", p.stderr)
        check(env.figures(str(b)) == env.figures(db), "the backup opens with the same figures (restore: use it)")
        p = env.k("db", "backup", "--db", db, "-o", str(b))
        check(p.returncode == 1 and "exists" in p.stderr, "an existing backup file is never overwritten", p.stderr)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    url = pgtest.fresh_database(env.cluster, "admin_target_held")
    env.k("ingest", "--db", url, str(env.one), check_rc=0)  # a centre of its own, with its worker
    target_worker = env.spawn("worker", "--db", url, "--interval", "3600", "--json",
                              log=env.w / "target_worker.out")
    try:
        check(wait_for(lambda: (env.w / "target_worker.out").read_text().strip() != "", 30),
              "a worker runs on the PostgreSQL database")
        p = env.k("db", "copy", "--db", db, "--to", url)
        check(p.returncode == 75 and "target" in p.stderr, "db copy refuses while a worker holds the target (75)",
              p.stderr.strip())
    finally:
        target_worker.send_signal(signal.SIGTERM)
        target_worker.wait(timeout=30)


@case
def backup_and_restore(env):
    source = env.corpus()
    b = env.w / "corpus-backup.db"
    b.unlink(missing_ok=True)
    p = env.k("db", "backup", "--db", source, "-o", str(b), "--json")
    check(p.returncode == 0 and json.loads(p.stdout)["backup"] == str(b), "db backup of SQLite exits 0", p.stderr)
    check(sqlite_counts(str(b)) == sqlite_counts(source), "the SQLite backup holds every row")
    # PostgreSQL: kizuna points to pg_dump; the round trip the handbook gives restores the figures.
    url = pgtest.fresh_database(env.cluster, "admin_dumped")
    env.k("db", "copy", "--db", source, "--to", url, check_rc=0)
    p = env.k("db", "backup", "--db", url, "-o", str(env.w / "pg.db"))
    check(p.returncode == 1 and "pg_dump" in p.stderr, "db backup on PostgreSQL says to use pg_dump", p.stderr)
    bin_dir = Path(open(Path(env.cluster).parent / "bin").read().strip())
    dump = env.w / "kizuna.dump"
    subprocess.run([str(bin_dir / "pg_dump"), "-Fc", "-f", str(dump), url], check=True, timeout=300)
    restored = pgtest.fresh_database(env.cluster, "admin_restored")
    subprocess.run([str(bin_dir / "pg_restore"), "--no-owner", "-d", restored, str(dump)], check=True, timeout=300)
    check(pg_counts(env, "admin_restored") == sqlite_counts(source), "pg_restore gives every row back")
    check(env.figures(restored) == env.figures(source), "... and the same figures")


@case
def connection_errors(env):
    secret = "s3cret-Pa55"
    for url in (f"postgresql://kizuna:{secret}@127.0.0.1:1/nothing?connect_timeout=3",
                f"postgresql:///nothing?host=/nonexistent-dir&password={secret}"):
        p = env.k("reports", "list", "--db", url)
        check(p.returncode == 75, f"an unreachable server exits 75 ({url.split('?')[0][:30]}...)",
              f"exit {p.returncode}: {p.stderr.strip()}")
        check(secret not in p.stderr + p.stdout and "***" in p.stderr, "the password is redacted in the error",
              p.stderr.strip())
    empty = pgtest.fresh_database(env.cluster, "admin_empty")
    p = env.k("reports", "list", "--db", empty)
    check(p.returncode == 1 and "kizuna ingest" in p.stderr,
          "a read-only command on an empty database says what creates the schema", p.stderr.strip())
    # A database written by a newer Kizuna.
    newer = pgtest.fresh_database(env.cluster, "admin_newer")
    env.k("ingest", "--db", newer, str(env.one), check_rc=0)
    known = int(pgtest.psql(env.cluster, "SELECT MAX(version) FROM schema_version", "admin_newer"))
    pgtest.psql(env.cluster, f"INSERT INTO schema_version(version) VALUES({known + 7})", "admin_newer")
    p = env.k("reports", "list", "--db", newer)
    check(p.returncode != 0 and str(known + 7) in p.stderr and str(known) in p.stderr,
          "a newer schema is refused, naming both versions", p.stderr.strip())


@case
def worker_woken(env):
    """A worker waiting out a long interval on PostgreSQL starts a round as soon as new mail is stored."""
    url = pgtest.fresh_database(env.cluster, "admin_woken")
    env.k("ingest", "--db", url, str(env.one), check_rc=0)
    log = env.w / "woken_worker.out"
    worker = env.spawn("worker", "--db", url, "--interval", "3600", "--json", log=log)
    try:
        rounds = lambda: len(log.read_text().splitlines())
        check(wait_for(lambda: rounds() >= 1, 30), "the worker ran its first round")
        time.sleep(1)
        check(rounds() == 1, "... and then waits (interval 3600 s)")
        mail = env.w / "wake.eml"
        mail.write_text("From: someone@example.org\nTo: info@kizuna.example\nSubject: another\n"
                        "Message-ID: <wake@example.org>\nDate: Mon, 1 Dec 2026 10:00:00 +0900\n\nA second mail.\n")
        env.k("ingest", "--db", url, str(mail), check_rc=0)
        check(wait_for(lambda: rounds() >= 2, 15), "new mail wakes it: a round starts within seconds, not an hour")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


@case
def poison_on_every_machine(env):
    """A message that killed an ingest on machine A is set aside unread by machine B (its own work_dir) on
    the same PostgreSQL database, once a later run on A has taken A's crash marks."""
    url = pgtest.fresh_database(env.cluster, "admin_poison")
    machine_b = env.w / "machine-b.toml"
    machine_b.write_text(f'[store]\nwork_dir = "{env.w / "var-b"}"\n[centre]\nlanguage = "en"\n')
    poison = env.w / "poison.eml"
    poison.write_text("From: reporter@example.org\nTo: abuse@kizuna.example\nSubject: phishing\n"
                      "Message-ID: <poison@example.org>\nDate: Mon, 1 Dec 2026 10:00:00 +0900\n\n"
                      "POISON-7f3a phishing at http://203.0.113.99/login\n")
    crash = {"KIZUNA_CRASH_ON_TEXT": "POISON-7f3a"}  # the test hook: parsing this text dies of SIGSEGV
    first = env.k("ingest", "--db", url, str(poison), "--json", env=crash)
    check(first.returncode == -signal.SIGSEGV, f"machine A's run dies on the message (exit {first.returncode})")
    env.k("ingest", "--db", url, str(env.one), "--json", check_rc=0)  # A's next run takes the marks
    on_b = env.k("ingest", "--db", url, str(poison), "--json", config=machine_b, env=crash)
    check(on_b.returncode == 0, f"machine B does not die on it (exit {on_b.returncode})", on_b.stderr[-300:])
    if on_b.returncode == 0:
        summary = json.loads(on_b.stdout)
        reasons = [p.get("reason", "") for p in summary.get("problems", [])]
        check(summary.get("quarantined") == 1 and any("earlier run" in r for r in reasons),
              "machine B quarantines it as having stopped an earlier run", on_b.stdout[-500:])


@case
def restart(env):
    """Run alone (CTest RUN_SERIAL): it restarts the cluster every other test uses."""
    url = pgtest.fresh_database(env.cluster, "admin_restart")
    env.k("ingest", "--db", url, str(env.one), check_rc=0)
    log = env.w / "restart_worker.out"
    worker = env.spawn("worker", "--db", url, "--interval", "1", "--json", log=log)
    try:
        rounds = lambda: len(log.read_text().splitlines())
        check(wait_for(lambda: rounds() >= 2, 30), "the worker runs rounds on PostgreSQL")
        subprocess.run(["bash", str(HERE / "pg_cluster.sh"), "restart", str(Path(env.cluster).parent)], check=True,
                       timeout=120)
        before = rounds()
        check(wait_for(lambda: rounds() >= before + 3, 90), "after the server restarted, rounds go on",
              Path(str(log) + ".err").read_text()[-500:])
        check(worker.poll() is None, "the worker process was never lost")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--pg-cluster", required=True, help="the URL file of the run's cluster (pg_cluster.sh)")
    ap.add_argument("--case", action="append", choices=sorted(CASES), help="run these cases (default: all but restart)")
    a = ap.parse_args()
    env = Env(a)
    for name in a.case or [n for n in CASES if n != "restart"]:
        print(f"# {name}", flush=True)
        try:
            CASES[name](env)
        except Exception as e:  # a crash of the script is a failure, with what happened
            check(False, f"{name} ran to the end", repr(e))
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
