#!/usr/bin/python3
"""Site checks shared by several `kizuna worker` processes on one PostgreSQL database.

    workers.py --kizuna build/src/cli/kizuna [--sites 2000] [--perf-md docs/perf.md]

For 1, 2 and 3 workers in turn: a throw-away PostgreSQL 15 cluster with its durability defaults
(tests/integration/pg_cluster.sh, PG_DURABLE=1), a fresh database holding SITES sites due for
checking (the fixture of tests/integration/pg_workers.py), the bulk HTTP server of
coord_servers.py answering every page. The workers start together; the run ends when no site is
due. Reported: checks/s, the CPU seconds the workers and the server used, and, counted at the HTTP
server, sites fetched twice or never (both must be 0). Goal: 2 workers at least 1.5x one.
"""
import argparse
import collections
import datetime
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(ROOT / "tests" / "integration"))
import perf_md  # noqa: E402
import pg_workers  # noqa: E402  (the centre fixture and the servers)

SECTION = "## Verification with several workers (bench/verify/workers.py)"
CLUSTER_SCRIPT = ROOT / "tests" / "integration" / "pg_cluster.sh"


def cluster_cpu_seconds(pgdir):
    """CPU seconds used so far by the server's processes (the postmaster and its children)."""
    tick = os.sysconf("SC_CLK_TCK")
    pid = int((Path(pgdir) / "data" / "postmaster.pid").read_text().split()[0])
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        if int(proc.name) == pid or ppid == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def one_run(args, cluster, n):
    a = argparse.Namespace(kizuna=args.kizuna, workdir=str(Path(args.workdir) / f"w{n}"),
                           pg_cluster=str(cluster / "url"), sites=args.sites, notices=0)
    r = pg_workers.Run(a, name=f"bench_workers_{n}")
    try:
        pg_workers.make_centre(r)
        pgdir = (cluster / "pgdir").read_text().strip()
        server_cpu0 = cluster_cpu_seconds(pgdir)
        t0 = time.monotonic()
        workers = [r.worker(f"worker{i}")[0] for i in range(n)]

        def done():
            return r.sql(f"SELECT COUNT(*) FROM sites WHERE next_check_at<={pg_workers.NOW_EPOCH}") == "0\n"
        if not pg_workers.wait_for(done, 600, 0.05):
            raise SystemExit(f"{n} worker(s): the sites were not all checked within 10 minutes")
        wall = time.monotonic() - t0
        server_cpu = cluster_cpu_seconds(pgdir) - server_cpu0
        worker_cpu = 0.0
        for p in workers:
            p.send_signal(signal.SIGTERM)
            _, _, usage = os.wait4(p.pid, 0)
            worker_cpu += usage.ru_utime + usage.ru_stime
        r.procs = [p for p in r.procs if p not in workers]
        hits = collections.Counter()
        for line in r.hits.read_text().splitlines():
            m = re.search(r"/site/(\d+)", line)
            if m:
                hits[int(m.group(1))] += 1
        twice = sum(1 for c in hits.values() if c > 1)
        missed = sum(1 for i in range(1, args.sites + 1) if hits[i] == 0)
        return {"n": n, "wall": wall, "worker_cpu": worker_cpu, "server_cpu": server_cpu, "twice": twice,
                "missed": missed}
    finally:
        r.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--sites", type=int, default=2000)
    ap.add_argument("--workdir", default=str(ROOT / "build" / "bench-workers"))
    ap.add_argument("--perf-md")
    args = ap.parse_args()
    cluster = Path(args.workdir) / "pg-cluster"
    env = dict(os.environ, PG_DURABLE="1")
    start = subprocess.run(["bash", str(CLUSTER_SCRIPT), "start", str(cluster)], env=env, capture_output=True,
                           text=True)
    if start.returncode == 77:
        print("PostgreSQL 15 is not installed: no run", file=sys.stderr)
        return 0
    if start.returncode != 0:
        raise SystemExit("the PostgreSQL cluster did not start:\n" + start.stdout + start.stderr)
    try:
        runs = [one_run(args, cluster, n) for n in (1, 2, 3)]
    finally:
        subprocess.run(["bash", str(CLUSTER_SCRIPT), "stop", str(cluster)], capture_output=True)
    one = args.sites / runs[0]["wall"]
    lines = ["| workers | wall s | checks/s | vs one | worker CPU s | server CPU s | fetched twice | never fetched |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for x in runs:
        rate = args.sites / x["wall"]
        lines.append(f"| {x['n']} | {x['wall']:.2f} | {rate:,.0f} | {rate / one:.2f}x | {x['worker_cpu']:.2f} | "
                     f"{x['server_cpu']:.2f} | {x['twice']} | {x['missed']} |")
    two = args.sites / runs[1]["wall"] / one
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        SECTION, "",
        "Goal: 2 workers check at least 1.5x as many sites per second as one, on URLs that answer; no URL "
        "checked twice or missed (counted at the HTTP server).", "",
        f"Measured {when} with `bench/verify/workers.py` (`./dev bench`).", "",
        f"- Machine: {perf_md.machine()}",
        f"- {args.sites:,} sites due, every page answering (coord_servers.py bulk-http on 127.0.0.1); "
        "PostgreSQL 15 with its durability defaults on a Unix socket, not pinned; each worker claims 20 "
        "sites at a time (`[worker] claim_batch`), lease 5 s; the clock fixed so each site is due once.",
        "", *lines, "",
        f"Result: 2 workers {two:.2f}x one (goal 1.5x: {'met' if two >= 1.5 else 'NOT met'}).", ""])
    print(text)
    if args.perf_md:
        perf_md.update_section(args.perf_md, SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
