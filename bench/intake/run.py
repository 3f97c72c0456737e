#!/usr/bin/python3
"""Intake benchmark: `kizuna ingest` beside the script a CSIRT would write by hand.

    run.py --kizuna PATH_TO_KIZUNA [--messages 100000] [--workdir DIR]
           [--perf-md docs/perf.md] [--runs 1] [--regen] [--keep]

1. Generates the corpus: tools/quarter_gen.py --bench N --out WORKDIR/corpus (mbox files).
   A corpus made earlier in the same WORKDIR by the same generator for the same N is reused.
2. Runs, each on a fresh database:
     kizuna ingest --db WORKDIR/k.db WORKDIR/corpus --json              (all cores)
     taskset -c C kizuna ingest --db WORKDIR/k1.db WORKDIR/corpus --json  (one core)
     /usr/bin/python3 bench/intake/peer_extract.py --db WORKDIR/peer.db WORKDIR/corpus
   and measures each child's wall time, CPU time (user+sys) and peak RSS through os.wait4.
3. Prints a Markdown table; with --perf-md it replaces the section "## Intake (bench/intake)"
   in that file (or appends it), leaving every other section as it was.

Exit status: 0 when all runs finished, 1 when something is missing or a run failed.
Standard library only; run it as /usr/bin/python3 (./dev bench does).
"""

import argparse
import datetime
import hashlib
import json
import mmap
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import perf_md  # noqa: E402  (bench/perf_md.py, shared by the runners)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PY = "/usr/bin/python3"
GENERATOR = ROOT / "tools" / "quarter_gen.py"
PEER = HERE / "peer_extract.py"
SECTION = "## Intake (bench/intake)"
GOAL_RATE = 10_000
GOAL_RATIO = 10.0
GOAL_LINE = ("Goal: at least 10,000 messages/s on one core and 10x the script; on PostgreSQL (its "
             "durability defaults, kizuna on one core and the server on another) at least 5,000.")
GOAL_PG_RATE = 5_000
PG_CLUSTER = ROOT / "tests" / "integration" / "pg_cluster.sh"

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(HERE))
import peer_extract  # noqa: E402  (its mbox splitting counts the corpus's messages)


class BenchError(Exception):
    """Something the user must fix; the message says what and how."""


# --- corpus ---------------------------------------------------------------------------
def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def generator_sha256():
    """Of the launcher and every module of the package: a change to any regenerates the corpus."""
    h = hashlib.sha256()
    for path in [GENERATOR] + sorted((GENERATOR.parent / "quarter_gen").glob("*.py")):
        h.update(path.name.encode() + b"\0" + file_sha256(path).encode())
    return h.hexdigest()


def count_corpus(corpus):
    """(files, bytes, messages) of the corpus, messages split as peer_extract splits them."""
    files = size = messages = 0
    for path in peer_extract.input_files([str(corpus)]):
        files += 1
        st = os.stat(path)
        size += st.st_size
        if st.st_size == 0:
            continue
        if path.lower().endswith(peer_extract.MESSAGE_EXTENSIONS):
            messages += 1
            continue
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            if mm[:5] == b"From ":
                messages += sum(1 for _ in peer_extract.RX_FROM_LINE.finditer(mm))
            else:
                messages += 1
    return files, size, messages


def make_corpus(workdir, n, regen):
    corpus = workdir / "corpus"
    stamp_path = workdir / "corpus.json"
    if not GENERATOR.is_file():
        raise BenchError(f"the corpus generator {GENERATOR} does not exist; it is part of "
                         "the repository (tools/quarter_gen.py), check out a tree that has it")
    stamp = {"messages": n, "generator_sha256": generator_sha256()}
    if not regen and corpus.is_dir() and stamp_path.is_file():
        try:
            if json.loads(stamp_path.read_text()) == stamp:
                log(f"reusing the corpus in {corpus} (--regen makes a new one)")
                return corpus
        except (OSError, ValueError):
            pass
    if corpus.exists():
        shutil.rmtree(corpus)
    stamp_path.unlink(missing_ok=True)
    argv = [PY, str(GENERATOR), "--bench", str(n), "--out", str(corpus)]
    log("generating the corpus: " + " ".join(argv))
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise BenchError(f"the corpus generator failed (exit {proc.returncode}):\n"
                         + perf_md.tail(proc.stderr.decode("utf-8", "replace")))
    if not corpus.is_dir() or not any(corpus.rglob("*")):
        raise BenchError(f"the corpus generator exited 0 but wrote nothing into {corpus}")
    log(f"corpus generated in {time.perf_counter() - t0:.1f} s")
    stamp_path.write_text(json.dumps(stamp))
    return corpus


# --- measuring ------------------------------------------------------------------------
def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def measure(name, argv, workdir, db):
    """Runs argv once on a fresh db; returns wall/CPU/RSS figures and the parsed JSON."""
    remove_db(db)
    out_path = workdir / f"{name}.stdout"
    err_path = workdir / f"{name}.stderr"
    log(f"{name}: " + " ".join(argv))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=workdir)
        except OSError as e:
            raise BenchError(f"cannot start {argv[0]}: {e}") from e
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise BenchError(f"{name} failed (exit {proc.returncode}); its stderr "
                         f"({err_path}) ends with:\n"
                         + perf_md.tail(err_path.read_text("utf-8", "replace")))
    return {
        "name": name,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024.0,  # Linux reports KiB
        "json": last_json(out_path.read_text("utf-8", "replace")),
        "db_bytes": db_size(db),
    }


def postgres_run(args, kizuna, corpus, workdir, nopgp, taskset, notes):
    """kizuna ingest into PostgreSQL 15 on a throw-away cluster with the server's durability
    defaults (fsync and synchronous_commit on), kizuna on one core and the server on another.
    Returns the row, or None with a note when PostgreSQL is not installed."""
    cluster = workdir / "pg-cluster"
    cpus = sorted(os.sched_getaffinity(0))
    env = dict(os.environ, PG_DURABLE="1")
    if taskset and len(cpus) > 1:
        env["PG_CPUS"] = str(cpus[1])
    start = subprocess.run(["bash", str(PG_CLUSTER), "start", str(cluster)], env=env, capture_output=True, text=True)
    if start.returncode == 77:
        notes.append("PostgreSQL 15 is not installed (./dev deps installs it): no PostgreSQL run.")
        return None
    if start.returncode != 0:
        raise BenchError("the PostgreSQL cluster did not start:\n" + start.stdout + start.stderr)
    try:
        admin = (cluster / "url").read_text().strip()
        psql = Path((cluster / "bin").read_text().strip()) / "psql"
        results = []
        for _ in range(args.runs):
            subprocess.run([str(psql), "-X", "-q", admin, "-c", "DROP DATABASE IF EXISTS bench",
                            "-c", "CREATE DATABASE bench"], check=True)
            url = admin.replace("/postgres?", "/bench?", 1)
            pin = [taskset, "-c", str(cpus[0])] if taskset else []
            results.append(measure("kizuna-postgresql", [*pin, str(kizuna), "ingest", "--config", str(nopgp),
                                                         "--db", url, str(corpus), "--json"],
                                   workdir, workdir / "no-such.db"))
        row = min(results, key=lambda r: r["wall"])
        where = f"kizuna on CPU {cpus[0]}, server on CPU {cpus[1]}" if "PG_CPUS" in env else "not pinned"
        row["label"] = f"kizuna ingest into PostgreSQL 15, OpenPGP off ({where})"
        notes.append("PostgreSQL ran with its defaults (fsync, synchronous_commit and full_page_writes on) "
                     "on a Unix socket; the only settings changed are listen_addresses='' and "
                     "max_connections=200 (tests/integration/pg_cluster.sh). CPU s counts kizuna only.")
        return row
    finally:
        subprocess.run(["bash", str(PG_CLUSTER), "stop", str(cluster)], capture_output=True)


def best_of(runs, name, argv, workdir, db):
    results = [measure(name, argv, workdir, db) for _ in range(runs)]
    return min(results, key=lambda r: r["wall"])


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    try:
        return json.loads(text)
    except ValueError:
        return None


def stored_messages(summary):
    """The message count a run reports in its JSON summary, if it names one."""
    if not isinstance(summary, dict):
        return None
    for key in ("messages", "stored", "ingested", "new", "accepted"):
        value = summary.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, dict):
            for sub in ("stored", "new", "total", "count"):
                if isinstance(value.get(sub), int):
                    return value[sub]
    return None


def db_size(db):
    return sum(Path(str(db) + s).stat().st_size
               for s in ("", "-wal") if Path(str(db) + s).exists())


# --- machine --------------------------------------------------------------------------



# --- report ---------------------------------------------------------------------------
def table(rows, messages, corpus_bytes, peer):
    lines = ["| run | wall s | CPU s | peak RSS MiB | messages/s | MB/s | vs script |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        rate = messages / r["wall"]
        ratio = "1.0x" if r is peer else f"{rate / (messages / peer['wall']):.1f}x"
        lines.append(f"| {r['label']} | {r['wall']:.2f} | {r['cpu']:.2f} | "
                     f"{r['rss_mib']:.0f} | {rate:,.0f} | {corpus_bytes / 1e6 / r['wall']:.1f} | "
                     f"{ratio} |")
    return "\n".join(lines)


def verdict(one_core, peer, messages, pinned):
    rate = messages / one_core["wall"]
    ratio = peer["wall"] / one_core["wall"]
    where = "on one core" if pinned else "on all cores (taskset missing: no one-core run)"
    return (f"Result: Kizuna {where} {rate:,.0f} messages/s "
            f"(goal 10,000: {'met' if rate >= GOAL_RATE else 'NOT met'}), "
            f"{ratio:.1f}x the script (goal 10x: {'met' if ratio >= GOAL_RATIO else 'NOT met'}).")


def section(args, info, tbl, result, notes):
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        SECTION,
        "",
        GOAL_LINE,
        "",
        f"Measured {when} with `bench/intake/run.py` (`./dev bench`; what is measured and how: "
        "`bench/intake/README.md`).",
        "",
        f"- Machine: {info['machine']}",
        f"- Software: Python {platform.python_version()} (the script), "
        f"SQLite {sqlite3.sqlite_version} (Python's)",
        f"- Corpus: {info['messages']:,} messages in {info['files']:,} "
        f"file{'s' if info['files'] != 1 else ''}, "
        f"{info['bytes'] / 1e6:,.1f} MB (`tools/quarter_gen.py --bench {args.messages}`)",
        f"- Each figure is the fastest of {args.runs} run(s), each on a fresh database; "
        "MB = 10^6 bytes of corpus per wall-clock second; vs script = messages/s over the "
        "script's.",
        "",
        tbl,
        "",
        result,
    ]
    body += [""] + [f"Note: {n}" for n in notes] if notes else []
    return "\n".join(body) + "\n"


# --- helpers --------------------------------------------------------------------------
def log(msg):
    print(f"bench/intake: {msg}", file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kizuna", required=True, help="the kizuna binary (build/src/cli/kizuna)")
    ap.add_argument("--messages", type=int, default=100_000,
                    help="messages in the generated corpus (default 100000)")
    ap.add_argument("--workdir", default=str(ROOT / "build" / "bench-intake"),
                    help="where the corpus and databases go (default build/bench-intake)")
    ap.add_argument("--perf-md", help="Markdown file whose intake section is replaced")
    ap.add_argument("--runs", type=int, default=1,
                    help="runs per program; the fastest counts (default 1)")
    ap.add_argument("--regen", action="store_true", help="regenerate the corpus")
    ap.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = ap.parse_args(argv)
    if args.messages < 1 or args.runs < 1:
        ap.error("--messages and --runs must be at least 1")
    try:
        return bench(args)
    except BenchError as e:
        print(f"bench/intake: error: {e}", file=sys.stderr)
        return 1


def bench(args):
    kizuna = Path(args.kizuna).resolve()
    if not kizuna.is_file() or not os.access(kizuna, os.X_OK):
        raise BenchError(f"no executable kizuna at {args.kizuna}; build it with ./dev build "
                         "(./dev bench builds it and passes --kizuna build/src/cli/kizuna)")
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(workdir, args.messages, args.regen)
    files, corpus_bytes, messages = count_corpus(corpus)
    if messages == 0:
        raise BenchError(f"the corpus {corpus} holds no messages")
    notes = []
    if messages != args.messages:
        notes.append(f"the generator was asked for {args.messages:,} messages and the corpus "
                     f"splits into {messages:,}; rates use {messages:,}.")
    log(f"corpus: {messages:,} messages, {files:,} files, {corpus_bytes / 1e6:,.1f} MB")

    rows = []
    dbs = []
    k_db = workdir / "k.db"
    dbs.append(k_db)
    k_all = best_of(args.runs, "kizuna",
                    [str(kizuna), "ingest", "--db", str(k_db), str(corpus), "--json"],
                    workdir, k_db)
    k_all["label"] = "kizuna ingest, signatures verified (default configuration)"
    rows.append(k_all)

    # The script checks no OpenPGP signature; Kizuna verifies every signed message through
    # gpgme, which starts a gpg process each time. The like-for-like rows turn that off.
    nopgp = workdir / "no-openpgp.toml"
    nopgp.write_text("[gnupg]\nenabled = false\n")
    taskset = shutil.which("taskset")
    k_one = None
    if taskset:
        core = min(os.sched_getaffinity(0))
        k1_db = workdir / "k1.db"
        dbs.append(k1_db)
        k_one = best_of(args.runs, "kizuna-1core",
                        [taskset, "-c", str(core), str(kizuna), "ingest", "--config", str(nopgp),
                         "--db", str(k1_db), str(corpus), "--json"], workdir, k1_db)
        k_one["label"] = f"kizuna ingest, OpenPGP off like the script (one core, taskset -c {core})"
        rows.append(k_one)
    else:
        notes.append("taskset is not installed (util-linux), so there is no one-core run; "
                     "the verdict uses the all-cores run.")

    pg_row = postgres_run(args, kizuna, corpus, workdir, nopgp, taskset, notes)
    if pg_row:
        rows.append(pg_row)

    peer_db = workdir / "peer.db"
    dbs.append(peer_db)
    peer = best_of(args.runs, "peer", [PY, str(PEER), "--db", str(peer_db), str(corpus)],
                   workdir, peer_db)
    peer["label"] = "peer_extract.py (the script)"
    rows.append(peer)

    for r in rows:
        stored = stored_messages(r["json"])
        if stored is None:
            notes.append(f"{r['label']} printed no message count in its JSON summary.")
        elif stored < messages:
            notes.append(f"{r['label']} stored {stored:,} of {messages:,} messages "
                         f"(duplicates or failures: see {r['name']}.stdout).")
    if isinstance(peer["json"], dict) and peer["json"].get("failed"):
        notes.append(f"the script could not process {peer['json']['failed']:,} messages.")

    tbl = table(rows, messages, corpus_bytes, peer)
    result = verdict(k_one or k_all, peer, messages, k_one is not None)
    if pg_row:
        rate = messages / pg_row["wall"]
        result += (f" PostgreSQL: {rate:,.0f} messages/s (goal 5,000: "
                   f"{'met' if rate >= GOAL_PG_RATE else 'NOT met'}).")
    info = {"machine": perf_md.machine(), "messages": messages, "files": files, "bytes": corpus_bytes}
    text = section(args, info, tbl, result, notes)
    print(text)
    if args.perf_md:
        perf_md.update_section(args.perf_md, SECTION, text)
        log(f"updated the section '{SECTION}' in {args.perf_md}")
    if not args.keep:
        for db in dbs:
            remove_db(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
