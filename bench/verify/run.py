#!/usr/bin/python3
"""Verification benchmark: the URL checker and notice signing beside the script a CSIRT would write.

    run.py --bench-binary build/bench/verify/verify_bench [--urls 10000] [--perf-md docs/perf.md]

1. Starts tests/integration/coord_servers.py bulk-http on 127.0.0.1: /site/1..N, every 100th
   page hanging 30 s (longer than the 5 s timeout).
2. verify_bench check (kz::coord::Checker, libcurl multi, 256 at once), then peer_verify.py check
   (urllib, 256 threads) on the same server. Goal: all N checked within 15 s on 2 cores.
3. A throw-away GnuPG home; verify_bench notices: notices planned, composed and signed (and,
   in a second run, encrypted) per second; peer_verify.py sign: one `gpg --clearsign` each.
4. Prints a Markdown section; with --perf-md it replaces "## Verification (bench/verify)".
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import perf_md  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PY = "/usr/bin/python3"
SECTION = "## Verification (bench/verify)"
sys.dont_write_bytecode = True


def run_json(argv, env=None):
    t0 = time.monotonic()
    r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{perf_md.tail(r.stderr)}")
    d = json.loads(r.stdout.strip().splitlines()[-1])
    d["wall"] = time.monotonic() - t0
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-binary", required=True)
    ap.add_argument("--urls", type=int, default=10000)
    ap.add_argument("--notices", type=int, default=300)
    ap.add_argument("--perf-md")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kzverify"))
    gnupg = tempfile.mkdtemp(prefix="kzgv", dir="/tmp")
    server = None
    try:
        ready = work / "ready"
        server = subprocess.Popen([PY, str(ROOT / "tests/integration/coord_servers.py"), "bulk-http", "--port", "0",
                                   "--count", str(a.urls), "--hang-every", "100", "--hang", "30", "--ready", str(ready),
                                   "--lifetime", "600"])
        for _ in range(100):
            if ready.exists():
                break
            time.sleep(0.1)
        base = f"http://127.0.0.1:{int(ready.read_text())}"
        ours = run_json([a.bench_binary, "check", "--base", base, "--count", str(a.urls), "--timeout-ms", "5000"])
        peer = run_json([PY, str(HERE / "peer_verify.py"), "check", "--base", base, "--count", str(a.urls), "--timeout", "5"])

        env = dict(os.environ, GNUPGHOME=gnupg)
        gpg = ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""]
        subprocess.run(gpg + ["--quick-gen-key", "Bench Centre <centre@bench.example>", "future-default", "default", "never"],
                       env=env, check=True, capture_output=True)
        subprocess.run(gpg + ["--quick-gen-key", "Responder <abuse@resp.example>", "future-default", "default", "never"],
                       env=env, check=True, capture_output=True)
        out = subprocess.run(["gpg", "--with-colons", "--list-secret-keys", "centre@bench.example"], env=env,
                             capture_output=True, text=True).stdout
        fpr = next(l.split(":")[9] for l in out.splitlines() if l.startswith("fpr:"))
        plain = run_json([a.bench_binary, "notices", "--count", str(a.notices * 10)], env=env)
        signed = run_json([a.bench_binary, "notices", "--count", str(a.notices), "--sign", fpr], env=env)
        sealed = run_json([a.bench_binary, "notices", "--count", str(a.notices // 2), "--sign", fpr, "--encrypt-to",
                           "abuse@resp.example"], env=env)
        peer_sign = run_json([PY, str(HERE / "peer_verify.py"), "sign", "--count", str(a.notices), "--key", fpr], env=env)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=gnupg), capture_output=True)
        shutil.rmtree(gnupg, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    met = "met" if ours["seconds"] <= 15 and ours["live"] + ours["unknown"] == a.urls else "NOT met"
    lines = [SECTION, "",
             f"Goal: {a.urls:,} URLs on local servers, 1% of them hanging until the timeout, all checked within 15 s "
             "with a 5 s timeout on 2 cores; notices rendered and signed per second.", "",
             f"Measured {now} with `bench/verify/run.py` (`./dev bench`).", "",
             f"- Machine: {perf_md.machine()}",
             f"- Server: `tests/integration/coord_servers.py bulk-http` on 127.0.0.1 (Python asyncio), every 100th page "
             "hanging 30 s; the checker and the server share the 2 cores", "",
             "| run | URLs | seconds | live | unknown (timed out) | URLs/s |", "|---|---:|---:|---:|---:|---:|",
             f"| kizuna Checker (libcurl multi, 256 at once) | {ours['urls']:,} | {ours['seconds']:.2f} | {ours['live']:,} | "
             f"{ours['unknown']} | {ours['urls'] / ours['seconds']:,.0f} |",
             f"| peer_verify.py (urllib, 256 threads) | {peer['urls']:,} | {peer['seconds']:.2f} | {peer['live']:,} | "
             f"{peer['unknown']} | {peer['urls'] / peer['seconds']:,.0f} |", "",
             f"Result: {a.urls:,} URLs checked in {ours['seconds']:.1f} s (goal 15 s: {met}), "
             f"{peer['seconds'] / ours['seconds']:.1f}x faster than the script.", "",
             "| notices | count | per second |", "|---|---:|---:|",
             f"| planned and composed as MIME, unsigned | {plain['notices']:,} | {plain['per_second']:,.0f} |",
             f"| planned, composed and signed (gpgme, one context per thread) | {signed['notices']} | {signed['per_second']:.1f} |",
             f"| planned, composed, signed and encrypted | {sealed['notices']} | {sealed['per_second']:.1f} |",
             f"| peer: one `gpg --clearsign` per notice | {peer_sign['notices']} | {peer_sign['per_second']:.1f} |", "",
             "Signing costs one gpg process per mail (GnuPG's engine model, for gpgme as for the script): "
             "tens of notices a second, against a quarter's 465 notices.", ""]
    text = "\n".join(lines)
    print(text)
    if a.perf_md:
        perf_md.update_section(a.perf_md, SECTION, text)


if __name__ == "__main__":
    main()
