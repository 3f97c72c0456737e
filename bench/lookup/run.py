#!/usr/bin/python3
"""Lookup benchmark: kz::enrich::PrefixTable beside libmaxminddb on an Internet-sized table.

    run.py --bench-binary PATH [--workdir DIR] [--perf-md docs/perf.md] [--reps 3] [--regen]

1. Generates the data once into WORKDIR/data with bench/lookup/gen_prefixes.py: a prefix2as
   file of about 1,000,000 IPv4 and 200,000 IPv6 prefixes, 10M random and 10M clustered IPv4
   queries, 1M IPv6 queries. Data made earlier by the same generator is reused.
2. Writes the same table as a GeoLite2-ASN-like MMDB with bench/lookup/make_mmdb.pl (perl,
   MaxMind::DB::Writer), again reused when the table and the script are unchanged.
3. Runs `taskset -c 0 lookup_bench ...` (one core) and measures its wall time and peak RSS.
4. Prints the Markdown section; with --perf-md it replaces the section
   "## Lookup (bench/lookup)" in that file (or appends it), leaving every other section as it
   was.

Exit status: 0 when the run finished and both sides agreed on every checked query, 1 when
something is missing, a step failed, or lookup_bench found a mismatch.
Standard library only; run it as /usr/bin/python3.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import perf_md  # noqa: E402  (bench/perf_md.py, shared by the runners)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PY = "/usr/bin/python3"
PERL = "/usr/bin/perl"
GENERATOR = HERE / "gen_prefixes.py"
MAKE_MMDB = HERE / "make_mmdb.pl"
SECTION = "## Lookup (bench/lookup)"
GOAL_RATE = 50_000_000
GOAL_RATIO = 10.0
GOAL_LINE = ("Goal: at least 50 million IPv4 lookups/s on one core and at least 10x "
             "libmaxminddb.")
DATA_FILES = ("prefix2as.txt", "random_v4.bin", "clustered_v4.bin", "v6_queries.bin",
              "manifest.json")

sys.dont_write_bytecode = True  # no __pycache__ in the source tree


class BenchError(Exception):
    """Something the user must fix; the message says what and how."""


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_step(what, argv, cwd):
    log(f"{what}: " + " ".join(str(a) for a in argv))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([str(a) for a in argv], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    except OSError as e:
        raise BenchError(f"cannot start {argv[0]}: {e}") from e
    if proc.returncode != 0:
        raise BenchError(f"{what} failed (exit {proc.returncode}):\n"
                         + perf_md.tail(proc.stderr.decode("utf-8", "replace")))
    for line in proc.stderr.decode("utf-8", "replace").splitlines():
        log(f"  {line}")
    seconds = time.perf_counter() - t0
    log(f"{what} took {seconds:.1f} s")
    return seconds


# --- data -----------------------------------------------------------------------------
def make_data(workdir, regen):
    data = workdir / "data"
    stamp_path = workdir / "data.json"
    stamp = {"generator_sha256": file_sha256(GENERATOR)}
    if (not regen and stamp_path.is_file()
            and all((data / f).is_file() for f in DATA_FILES)):
        try:
            if json.loads(stamp_path.read_text()) == stamp:
                log(f"reusing the table and queries in {data} (--regen makes new ones)")
                return data, None
        except (OSError, ValueError):
            pass
    stamp_path.unlink(missing_ok=True)
    if data.exists():
        shutil.rmtree(data)
    seconds = run_step("generating the table and queries",
                       [PY, GENERATOR, "--out", data], ROOT)
    stamp_path.write_text(json.dumps(stamp))
    return data, seconds


def make_mmdb(workdir, data, regen):
    mmdb = workdir / "asn.mmdb"
    stamp_path = workdir / "mmdb.json"
    stamp = {"prefix2as_sha256": file_sha256(data / "prefix2as.txt"),
             "script_sha256": file_sha256(MAKE_MMDB)}
    if not regen and mmdb.is_file() and stamp_path.is_file():
        try:
            if json.loads(stamp_path.read_text()) == stamp:
                log(f"reusing {mmdb}")
                return mmdb, None
        except (OSError, ValueError):
            pass
    check = subprocess.run([PERL, "-MMaxMind::DB::Writer::Tree", "-e", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if check.returncode != 0:
        raise BenchError("perl cannot load MaxMind::DB::Writer::Tree; install it with "
                         "`apt-get install libmaxmind-db-writer-perl` (./dev deps does)")
    stamp_path.unlink(missing_ok=True)
    seconds = run_step("writing the MMDB", [PERL, MAKE_MMDB, data / "prefix2as.txt", mmdb],
                       workdir)
    stamp_path.write_text(json.dumps(stamp))
    return mmdb, seconds


# --- the run --------------------------------------------------------------------------
def pick_core():
    allowed = os.sched_getaffinity(0)
    return 0 if 0 in allowed else min(allowed)


def run_bench(binary, data, mmdb, workdir, reps):
    taskset = shutil.which("taskset")
    core = pick_core()
    result_path = workdir / "result.json"
    result_path.unlink(missing_ok=True)
    argv = [str(binary), str(data / "prefix2as.txt"), str(mmdb), str(data / "random_v4.bin"),
            str(data / "clustered_v4.bin"), str(data / "v6_queries.bin"),
            "--reps", str(reps), "--json", str(result_path)]
    if taskset:
        argv = [taskset, "-c", str(core)] + argv
    out_path = workdir / "lookup_bench.stdout"
    err_path = workdir / "lookup_bench.stderr"
    log("lookup_bench: " + " ".join(argv))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=workdir)
        except OSError as e:
            raise BenchError(f"cannot start {argv[0]}: {e}") from e
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    result = None
    if result_path.is_file():
        try:
            result = json.loads(result_path.read_text())
        except ValueError:
            result = None
    if result is None:
        raise BenchError(f"lookup_bench failed (exit {code}); its stderr ({err_path}) ends "
                         "with:\n" + perf_md.tail(err_path.read_text("utf-8", "replace")))
    log(f"lookup_bench took {wall:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB, exit {code}")
    return {"result": result, "exit": code, "wall": wall,
            "rss_mib": usage.ru_maxrss / 1024.0, "pinned": core if taskset else None}


# --- machine --------------------------------------------------------------------------



def libmaxminddb_version():
    try:
        proc = subprocess.run(["pkg-config", "--modversion", "libmaxminddb"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip()
    except OSError:
        pass
    return "unknown version"


# --- report ---------------------------------------------------------------------------
def run_by_key(result, key):
    return next((r for r in result["runs"] if r["key"] == key), None)


def verdict(result, pinned):
    rates = []
    ratios = []
    for key in ("table_random_v4", "table_clustered_v4"):
        r = run_by_key(result, key)
        base = run_by_key(result, r["baseline"]) if r else None
        if r is None or base is None:
            return "Result: lookup_bench reported no IPv4 runs."
        rates.append(r["lookups_per_second"])
        ratios.append(r["lookups_per_second"] / base["lookups_per_second"])
    rate, ratio = min(rates), min(ratios)
    where = "on one core" if pinned is not None else "unpinned (taskset missing)"
    text = (f"Result: PrefixTable {where}, the slower of the two IPv4 query sets: "
            f"{rate / 1e6:,.1f} million lookups/s (goal 50 million: "
            f"{'met' if rate >= GOAL_RATE else 'NOT met'}), {ratio:.1f}x libmaxminddb "
            f"(goal 10x: {'met' if ratio >= GOAL_RATIO else 'NOT met'}).")
    if not result.get("ok"):
        text += (f" The answers DIFFER: {result.get('mismatches')} of {result.get('verified')} "
                 "sampled queries mismatched or the full-run checksums differ, so these "
                 "figures do not count.")
    return text


def section(info, run, steps, notes):
    result = run["result"]
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    manifest = info["manifest"]
    pinned = run["pinned"]
    mib = 1024 * 1024
    body = [
        SECTION,
        "",
        GOAL_LINE,
        "",
        f"Measured {when} with `bench/lookup/run.py` (what is measured and how: "
        "`bench/lookup/README.md`).",
        "",
        f"- Machine: {info['machine']}",
        f"- Software: libmaxminddb {info['libmaxminddb']}; lookup_bench built with the "
        "project's compiler at -O3",
        f"- Table: {manifest['v4_prefixes']:,} IPv4 and {manifest['v6_prefixes']:,} IPv6 "
        f"prefixes (synthetic, `gen_prefixes.py --seed {manifest['seed']}`); PrefixTable "
        f"holds {result['prefixes']:,}; the MMDB is {result['mmdb_bytes'] / 1e6:,.1f} MB, "
        f"{result['mmdb_node_count']:,} nodes",
        f"- PrefixTable build: {result['load_seconds']:.2f} s reading the file and "
        f"`Builder::add`, {result['build_seconds']:.2f} s in `build()`; `memory_bytes()` "
        f"{result['memory_bytes'] / mib:,.1f} MiB; RSS after building "
        f"{result['rss_after_bytes'] / mib:,.1f} MiB (peak {result['peak_rss_bytes'] / mib:,.1f} "
        "MiB while building)",
        "- Run: " + (f"`taskset -c {pinned}`, one thread" if pinned is not None
                      else "not pinned (taskset missing)")
        + f"; each figure the fastest of {result['reps']} passes; the whole run "
        f"{run['wall']:.0f} s, peak RSS {run['rss_mib']:.0f} MiB (queries included)",
        f"- Correctness: {result['verified']:,} sampled queries answered by both, "
        f"{result['mismatches']:,} mismatches; full-run checksums "
        f"{'agree' if result['checksums_agree'] else 'DIFFER'}",
    ]
    if steps:
        body.append("- Preparation this time: " + ", ".join(steps))
    body += ["", table_only(result["markdown"]), "", verdict(result, pinned)]
    body += [""] + [f"Note: {n}" for n in notes] if notes else []
    return "\n".join(body) + "\n"


def table_only(markdown):
    return "\n".join(l for l in markdown.splitlines() if l.startswith("|"))


# --- helpers --------------------------------------------------------------------------
def log(msg):
    print(f"bench/lookup: {msg}", file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench-binary", required=True,
                    help="the lookup_bench binary (build/bench/lookup/lookup_bench)")
    ap.add_argument("--workdir", default=str(ROOT / "build" / "bench-lookup"),
                    help="where the data, the MMDB and the run's output go "
                         "(default build/bench-lookup)")
    ap.add_argument("--perf-md", help="Markdown file whose lookup section is replaced")
    ap.add_argument("--reps", type=int, default=3,
                    help="passes over each query file; the fastest counts (default 3)")
    ap.add_argument("--regen", action="store_true",
                    help="regenerate the data and the MMDB even if present")
    args = ap.parse_args(argv)
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    try:
        return bench(args)
    except BenchError as e:
        print(f"bench/lookup: error: {e}", file=sys.stderr)
        return 1


def bench(args):
    binary = Path(args.bench_binary).resolve()
    if not binary.is_file() or not os.access(binary, os.X_OK):
        raise BenchError(f"no executable lookup_bench at {args.bench_binary}; build it with "
                         "./dev build (target lookup_bench, in build/bench/lookup/)")
    if not Path(PERL).is_file():
        raise BenchError(f"{PERL} is missing; install perl and libmaxmind-db-writer-perl")
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)

    steps = []
    data, gen_s = make_data(workdir, args.regen)
    if gen_s is not None:
        steps.append(f"data generated in {gen_s:.0f} s")
    mmdb, mmdb_s = make_mmdb(workdir, data, args.regen or gen_s is not None)
    if mmdb_s is not None:
        steps.append(f"MMDB written by make_mmdb.pl in {mmdb_s:.0f} s")
    manifest = json.loads((data / "manifest.json").read_text())

    run = run_bench(binary, data, mmdb, workdir, args.reps)
    notes = []
    if run["pinned"] is None:
        notes.append("taskset is not installed (util-linux), so the run was not pinned to "
                     "one core; the program uses one thread either way.")
    info = {"machine": perf_md.machine(), "libmaxminddb": libmaxminddb_version(), "manifest": manifest}
    text = section(info, run, steps, notes)
    print(text)
    if args.perf_md:
        perf_md.update_section(args.perf_md, SECTION, text)
        log(f"updated the section '{SECTION}' in {args.perf_md}")
    if run["exit"] != 0 or not run["result"].get("ok"):
        log(f"lookup_bench reported a mismatch or failed (exit {run['exit']}); see "
            f"{workdir / 'lookup_bench.stdout'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
