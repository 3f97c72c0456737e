#!/usr/bin/python3
"""The nginx configuration of docs/operations.md in front of `kizuna serve`, over TLS on
127.0.0.1 (issue 15):

    server_nginx.py --kizuna PATH --workdir DIR

The server block is taken from the handbook as written; only the address, the certificate paths,
the upstream port and `proxy_bind` (so that the proxy connects from 127.0.0.2, an address of its
own) are filled in. Expectations: an API request over HTTPS with a token is answered through the
proxy; a 33 MiB body is refused by the proxy's client_max_body_size; with 127.0.0.2 as the one
trusted proxy, the access log names the client the proxy saw (127.0.0.1), never the address the
client wrote into X-Forwarded-For.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from pgtest import check, failures, wait_for  # noqa: E402

HANDBOOK = HERE.parent.parent / "docs" / "operations.md"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def handbook_server_block():
    text = HANDBOOK.read_text(encoding="utf-8")
    m = re.search(r"```nginx\n(.*?)```", text, re.S)
    if not m:
        raise RuntimeError("docs/operations.md has no ```nginx block")
    return m.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx_bin).exists():
        print("nginx is not installed (./dev deps installs nginx-light)")
        return 1
    kizuna = os.path.abspath(a.kizuna)
    w = Path(a.workdir)
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    (w / "kizuna.toml").write_text('[gnupg]\nenabled = false\n[server]\ntrusted_proxies = ["127.0.0.2/32"]\n')
    env = dict(os.environ, KIZUNA_CONFIG=str(w / "kizuna.toml"))
    db = str(w / "k.db")

    def k(*args):
        return subprocess.run([kizuna, *args, "--db", db, "--lang", "en"], capture_output=True, text=True, env=env,
                              check=True, timeout=60).stdout
    k("user", "add", "ops", "--role", "admin")
    token = k("user", "token", "ops", "--scope", "read").strip()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(w / "privkey.pem"),
                    "-out", str(w / "fullchain.pem")], check=True, capture_output=True, timeout=60)

    upstream = free_port()
    serve = subprocess.Popen([kizuna, "serve", "--no-worker", "--db", db, "--listen", f"127.0.0.1:{upstream}"],
                             stdout=subprocess.DEVNULL, stderr=open(w / "serve.err", "w"), env=env)
    port = free_port()
    block = handbook_server_block()
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;")
    block = block.replace("/etc/ssl/kizuna/", f"{w}/")
    block = block.replace("proxy_pass http://127.0.0.1:8080;",
                          f"proxy_pass http://127.0.0.1:{upstream};\n        proxy_bind 127.0.0.2;")
    check(f"127.0.0.1:{upstream}" in block and str(w) in block, "the handbook's nginx block is filled in", block)
    temp = w / "nginx"
    temp.mkdir()
    (w / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {temp}/nginx.pid; error_log {temp}/error.log;\nuser root;\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{ access_log off; client_body_temp_path {temp}; proxy_temp_path {temp};\n"
        f" fastcgi_temp_path {temp}; uwsgi_temp_path {temp}; scgi_temp_path {temp};\n{block}\n}}\n")
    nginx = subprocess.Popen([nginx_bin, "-p", str(temp), "-c", str(w / "nginx.conf")], stdout=subprocess.DEVNULL,
                             stderr=open(w / "nginx.err", "w"))
    try:
        def up(p):
            try:
                socket.create_connection(("127.0.0.1", p), timeout=1).close()
                return True
            except OSError:
                return False
        check(wait_for(lambda: up(upstream), 30) and wait_for(lambda: up(port), 30), "kizuna and nginx listen",
              (temp / "error.log").read_text() if (temp / "error.log").exists() else "")
        tls = ssl.create_default_context(cafile=str(w / "fullchain.pem"))

        def get(path, headers=None, body=None, method="GET"):
            c = http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=30)
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            c.close()
            return r.status, data
        status, body = get("/api/v1/me", {"Authorization": f"Bearer {token}", "X-Forwarded-For": "6.6.6.6"})
        check(status == 200 and json.loads(body)["user"] == "ops", "an API request over TLS through nginx",
              f"{status} {body}")
        status, body = get("/healthz")
        check(status == 200, "/healthz through nginx")
        # Only the header is sent: the proxy answers from Content-Length alone.
        c = http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=30)
        c.putrequest("POST", "/api/v1/messages")
        c.putheader("Authorization", f"Bearer {token}")
        c.putheader("Content-Length", str(33 * 1024 * 1024))
        c.endheaders()
        status = c.getresponse().status
        c.close()
        check(status == 413, "a 33 MiB body stops at the proxy (client_max_body_size 32m)", status)
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        peers = [json.loads(line)["peer"] for line in (w / "serve.err").read_text().splitlines()
                 if line.startswith("{")]
        check(peers and all(p == "127.0.0.1" for p in peers),
              "the access log names the client nginx saw, not what it wrote in X-Forwarded-For", peers)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(timeout=30)
        except subprocess.TimeoutExpired:
            nginx.kill()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
