#!/usr/bin/python3
"""The peer: what a CSIRT writes by hand to re-check reported URLs and to sign its notices.

    peer_verify.py check --base URL --count N [--timeout 5] [--workers 256]
    peer_verify.py sign --count N --key FPR      (GNUPGHOME from the environment)

check: urllib in a ThreadPoolExecutor, one GET per URL with a timeout, 404/410 or an error as
down, anything else live. sign: one `gpg --clearsign` per notice text (what python-gnupg does).
Prints one JSON line like verify_bench. Standard library only.
"""
import argparse
import concurrent.futures
import json
import subprocess
import time
import urllib.error
import urllib.request


def fetch(url, timeout):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read(256 * 1024)
            return "live"
    except urllib.error.HTTPError as e:
        return "down" if e.code in (404, 410) else "unknown"
    except Exception:  # timeouts, refused connections: what the script's author would do
        return "unknown"


def check(a):
    urls = [f"{a.base}/site/{i}" for i in range(1, a.count + 1)]
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.workers) as pool:
        verdicts = list(pool.map(lambda u: fetch(u, a.timeout), urls))
    secs = time.monotonic() - t0
    print(json.dumps({"urls": a.count, "seconds": round(secs, 3), "live": verdicts.count("live"),
                      "down": verdicts.count("down"), "unknown": verdicts.count("unknown")}))


def sign(a):
    text = ("Dear colleagues,\n\nWe received reports about the following phishing site on your network:\n"
            "  URL: http://phish.example.test/login.html\n  IP address: 203.0.113.10\n\nPlease take it down.\n")
    t0 = time.monotonic()
    for i in range(a.count):
        subprocess.run(["gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", "--local-user",
                        a.key, "--clearsign"], input=(text + f"[Kizuna#N{i}]\n").encode(), capture_output=True, check=True)
    secs = time.monotonic() - t0
    print(json.dumps({"notices": a.count, "seconds": round(secs, 3), "per_second": round(a.count / secs, 1)}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("check")
    c.add_argument("--base", required=True)
    c.add_argument("--count", type=int, required=True)
    c.add_argument("--timeout", type=float, default=5)
    c.add_argument("--workers", type=int, default=256)
    s = sub.add_parser("sign")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--key", required=True)
    a = ap.parse_args()
    check(a) if a.mode == "check" else sign(a)


if __name__ == "__main__":
    main()
