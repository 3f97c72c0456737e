#!/usr/bin/python3
"""HTTP benchmark: `kizuna serve` under wrk beside nginx serving a static file of the same size.

    run.py --kizuna PATH [--messages 100000] [--workdir DIR] [--seconds 10] [--perf-md docs/perf.md]

1. A store holding the bench corpus (tools/quarter_gen.py --bench N, the corpus bench/intake
   uses; reused when already made in WORKDIR), ingested once.
2. `kizuna serve --no-worker` on 127.0.0.1 with a handler's token, and nginx (Debian's
   nginx-light) serving a static file as large as a report's answer: the ceiling of this machine.
3. wrk, 64 connections, for each: GET /api/v1/reports/{id} with ids drawn at random over all
   reports; the queue page (GET /api/v1/reports?status=open&type=phishing&limit=50); a search
   through the trigram index (q=login) and one too short for it (q=詐欺, a scan of the newest
   [server] search_scan_messages); nginx's static file. Requests/s and latency percentiles as
   wrk reports them. The search index is brought up to date first (kizuna search --update-index).
4. A Markdown table; with --perf-md it replaces the section "## HTTP (bench/http)".

Goals (issue 15): p99 under 10 ms for the report and the queue page, under 50 ms for a search,
and at least 30% of nginx's static rate. Standard library only; run it as /usr/bin/python3.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import perf_md  # noqa: E402

SECTION = "## HTTP (bench/http)"
CONNECTIONS = 64


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def wrk(url, seconds, script=None, threads=2):
    """Requests/s and the latency percentiles (ms) wrk prints with --latency."""
    cmd = ["wrk", "-t", str(threads), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout

    def ms(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return None
        v = float(m.group(1))
        return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rate": float(rate.group(1)) if rate else 0.0, "p50": ms("50"), "p99": ms("99"),
            "errors": int(non2xx.group(1)) if non2xx else 0, "raw": out}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--workdir", default=str(ROOT / "build" / "bench-http"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--perf-md")
    a = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"{tool} is not installed (./dev deps installs it)", file=sys.stderr)
            return 1
    kizuna = os.path.abspath(a.kizuna)
    w = Path(a.workdir)
    w.mkdir(parents=True, exist_ok=True)
    corpus = w / "corpus"
    if not corpus.exists():
        subprocess.run(["/usr/bin/python3", str(ROOT / "tools" / "quarter_gen.py"), "--bench", str(a.messages),
                        "--out", str(corpus), "-q"], check=True)
    db = w / "k.db"
    conf = w / "kizuna.toml"
    conf.write_text('[gnupg]\nenabled = false\n')
    env = dict(os.environ, KIZUNA_CONFIG=str(conf))

    def k(*args):
        return subprocess.run([kizuna, *args, "--db", str(db), "--lang", "en"], capture_output=True, text=True,
                              env=env, check=True).stdout
    if not db.exists():
        k("ingest", str(corpus), "--json")
        k("user", "add", "bench", "--role", "handler")
    k("search", "--update-index")  # what the worker would do over its rounds
    token = k("user", "token", "bench", "--scope", "read", "--days", "1").strip()
    port = free_port()
    serve = subprocess.Popen([kizuna, "serve", "--no-worker", "--db", str(db), "--listen", f"127.0.0.1:{port}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    nginx_dir = Path(tempfile.mkdtemp(prefix="kz-nginx-"))
    nginx = None
    try:
        if not wait_port(port):
            raise SystemExit("kizuna serve did not start")
        def get(path):
            return urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})).read()
        total = json.loads(get("/api/v1/reports?limit=1&count=1"))["remaining"]
        sample = get("/api/v1/reports/1")
        (nginx_dir / "report.json").write_bytes(sample)
        nport = free_port()
        (nginx_dir / "nginx.conf").write_text(
            f"daemon off; worker_processes 1; pid {nginx_dir}/nginx.pid; error_log {nginx_dir}/error.log;\n"
            f"user root;\nevents {{ worker_connections 1024; }}\n"
            f"http {{ access_log off; client_body_temp_path {nginx_dir}; proxy_temp_path {nginx_dir};\n"
            f" fastcgi_temp_path {nginx_dir}; uwsgi_temp_path {nginx_dir}; scgi_temp_path {nginx_dir};\n"
            f" server {{ listen 127.0.0.1:{nport}; root {nginx_dir};\n"
            f"  location / {{ default_type application/json; }} }} }}\n")
        nginx = subprocess.Popen(["nginx", "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_port(nport):
            raise SystemExit("nginx did not start: " + (nginx_dir / "error.log").read_text()[-500:])
        script = nginx_dir / "report.lua"
        script.write_text(
            f'math.randomseed(os.time())\n'
            f'request = function()\n'
            f'  return wrk.format("GET", "/api/v1/reports/" .. math.random(1, {max(total, 1)}), '
            f'{{["Authorization"] = "Bearer {token}"}})\nend\n')
        queue = nginx_dir / "queue.lua"
        queue.write_text(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
        rows = [
            ("GET /api/v1/reports/{id}, random over all reports", wrk(f"http://127.0.0.1:{port}/", a.seconds, script)),
            ("GET /api/v1/reports?status=open&type=phishing&limit=50 (the queue page)",
             wrk(f"http://127.0.0.1:{port}/api/v1/reports?status=open&type=phishing&limit=50", a.seconds, queue)),
            ("GET /api/v1/search?q=login (the trigram index)",
             wrk(f"http://127.0.0.1:{port}/api/v1/search?q=login", a.seconds, queue)),
            ("GET /api/v1/search?q=詐欺 (2 characters: the newest 20,000 messages scanned)",
             wrk(f"http://127.0.0.1:{port}/api/v1/search?q=%E8%A9%90%E6%AC%BA", a.seconds, queue)),
            (f"nginx, a static file of {len(sample)} bytes", wrk(f"http://127.0.0.1:{nport}/report.json", a.seconds)),
        ]
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        if nginx:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
        shutil.rmtree(nginx_dir, ignore_errors=True)

    ceiling = rows[-1][1]["rate"] or 1.0
    today = datetime.date.today().isoformat()
    lines = [SECTION, "",
             f"{today}, {perf_md.machine()}. {total:,} reports (the bench corpus of {a.messages:,} messages) on "
             f"SQLite; `kizuna serve --no-worker`, a handler's token; wrk with {CONNECTIONS} connections and 2 "
             f"threads for {a.seconds} s each, on the same machine.", "",
             "| request | requests/s | p50 ms | p99 ms | non-2xx | of nginx's rate |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        p50 = f"{r['p50']:.2f}" if r["p50"] is not None else "?"
        p99 = f"{r['p99']:.2f}" if r["p99"] is not None else "?"
        lines.append(f"| {label} | {r['rate']:,.0f} | {p50} | {p99} | {r['errors']} | {r['rate'] / ceiling:.0%} |")
    lines += ["", "Goals (issue 15): p99 under 10 ms for a report and the queue page, under 50 ms for a search, "
              "and at least 30% of nginx's static rate."]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.perf_md:
        perf_md.update_section(a.perf_md, SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
