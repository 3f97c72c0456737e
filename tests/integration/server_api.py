#!/usr/bin/python3
"""`kizuna serve` over real HTTP on 127.0.0.1 (issue 15), on SQLite or, with --pg-cluster, on
PostgreSQL:

    server_api.py --kizuna PATH --workdir DIR [--pg-cluster URL_FILE]

Expectations come from the issue and docs/security.md, not from the code:
  * /healthz answers without a token; every other route asks for one (401 with
    WWW-Authenticate), refuses a token without the route's scope (403) and a revoked one (401);
  * TLP:RED reports are seen by admins only: a handler's or an analyst's list, count and report
    page never hold the RED canary, and a RED report is a 404 exactly like one that does not
    exist; AMBER is seen inside the centre;
  * errors are JSON with a code and a message; bad parameters 422, unknown paths 404, a wrong
    method 405 with Allow, a body over the limit 413, a header over the limit 431, bytes that are
    not HTTP 400;
  * POST /api/v1/messages takes a raw mail with a messages:submit token: 201 new, 200 again
    (stored once), 202 for bytes that are not a message (kept, quarantined); a read token is
    refused (403) and nothing is stored;
  * keep-alive: several requests on one connection; /metrics counts them by route pattern;
  * the access log is one JSON object per line and never holds a token; behind a trusted proxy
    it names the client the proxy forwarded for;
  * time moves in the running server through the test clock hook (KIZUNA_TEST_CLOCK_FILE, refused
    without KIZUNA_TEST_HOOKS=1): a token made for a day stops working two days later;
  * people log in (docs/security.md "Logins"): an HttpOnly, SameSite=Strict, Secure cookie; a
    change without the session's CSRF token is 403; a second factor asked for and a code taken
    once (codes computed here from RFC 6238); repeated failures pause the account and the
    address (429); logout ends the session; a new centre's setup link makes one admin, once;
  * a handler's actions (bulk, all or nothing), notes, the assignee seeing a RED report, the
    coordination loop (sites, notices: plan, preview, edit, approve, hold), raw downloads as
    attachments, the quarantine, figures; the public form bounded per address and in size;
  * docs/security.md's route table is read here: it must list exactly the server's routes with
    the roles the server enforces, and no GET route shows an analyst the RED canary when asked
    with the numbers of the RED report's own records;
  * SIGTERM with a connection open: the server exits 0 within 5 s;
  * the worker runs inside the server unless --no-worker: its rounds are logged, on SQLite it
    holds the worker lease (a `kizuna worker --once` beside it exits 75), and SIGTERM still ends
    both within 5 s.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import pgtest  # noqa: E402
from openapi_check import Spec  # noqa: E402
from pgtest import check, failures, wait_for  # noqa: E402

SPEC = Spec(HERE.parent.parent / "docs" / "api.yaml")

RED = "CANARY-RED-5f0c2e"
PASSWORD = "a long enough password"
AMBER = "CANARY-AMBER-91ab3d"


def form(subject, tlp, url):
    return json.dumps({"purpose": "incident", "type": "phishing", "subject": subject,
                       "description": subject, "urls": [url],
                       "reporter": {"email": "reporter@example.jp", "disclose": False}, "tlp": tlp})


class Server:
    def __init__(self, kizuna, db, workdir, *extra, name="serve", env=None):
        self.out = open(workdir / f"{name}.out", "w+")
        self.err_path = workdir / f"{name}.err"
        self.proc = subprocess.Popen([kizuna, "serve", "--db", db, "--listen", "127.0.0.1:0", "--lang", "en", *extra],
                                     stdout=self.out, stderr=open(self.err_path, "w"), env=env)
        self.port = None
        self.answered = 0  # requests answered: each is one line of the access log
        self.problems = []  # answers that do not match docs/api.yaml

        def listening():
            self.out.seek(0)
            text = self.out.read()
            if "listening on http://127.0.0.1:" in text:
                self.port = int(text.strip().rsplit(":", 1)[1])
                return True
            return False
        if not wait_for(listening, 30):
            raise RuntimeError("kizuna serve did not start: " + self.err_path.read_text()[-500:])

    def request(self, method, path, token=None, body=None, headers=None, conn=None):
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        self.answered += 1
        self.problems += SPEC.check(method, path.split("?")[0], r.status, r.getheader("Content-Type", ""),
                                    data.decode("utf-8", "replace"))
        if conn is None:
            c.close()
        return r.status, dict(r.getheaders()), data.decode("utf-8", "replace")

    def terminate(self):
        """SIGTERM; the exit code (None if still running after 10 s) and the seconds it took."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = None
        return rc, time.monotonic() - started

    def raw(self, data):
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            got = b""
            while chunk := s.recv(65536):
                got += chunk
        self.answered += got.count(b"HTTP/1.1 ")
        return got.decode("utf-8", "replace")


def security_routes(path):
    """The route table of docs/security.md ("Routes today"): {(method, pattern): roles}, roles
    empty for a route every role (or anyone) may call, else the set the roles column names."""
    rows = {}
    section = path.read_text().split("## Routes today", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        method, pattern = cells[0].strip("`").split(" ", 1)
        named = cells[2].split(";")[0].split("(")[0].split(":")[0]
        roles = set(re.findall(r"\b(admin|handler|analyst)\b", named))
        if named.startswith(("every role", "anyone")):
            roles = set()
        rows[(method, pattern)] = roles
    return rows


def security_tlp_table(path):
    """The role x TLP table of docs/security.md: {marking: {role: "sees" | text}}."""
    section = path.read_text().split("## Role × TLP inside the centre", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] != "marking of the report" and not cells[0].startswith("-"):
            rows[cells[0]] = dict(zip(("admin", "handler", "analyst"), cells[1:]))
    return rows


def totp_now(uri, at=None):
    """The current code of an otpauth:// URI, computed here from RFC 6238 (not by Kizuna)."""
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def session_cookie(headers):
    """The session cookie's value and attributes from a Set-Cookie header."""
    parts = [p.strip() for p in headers.get("Set-Cookie", "").split(";")]
    name, _, value = parts[0].partition("=")
    return value if name == "kizuna_session" else None, {p.split("=")[0].lower() for p in parts[1:]}


def error_of(body):
    try:
        e = json.loads(body)["error"]
        return e["code"] if e.get("message") else None
    except (ValueError, KeyError, TypeError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--pg-cluster")
    a = ap.parse_args()
    kizuna = os.path.abspath(a.kizuna)
    w = Path(a.workdir)
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    # The worker inside the server must touch nothing but loopback: no site fetched, no mail sent.
    (w / "kizuna.toml").write_text(f'[store]\nwork_dir = "{w / "var"}"\n[gnupg]\nenabled = false\n'
                                   '[checker]\nenabled = false\n[notify]\nacknowledge = false\n'
                                   '[smtp]\nurl = "smtp://127.0.0.1:9"\n'
                                   '[server]\ntrusted_proxies = ["127.0.0.1/32"]\n')
    env = dict(os.environ, KIZUNA_CONFIG=str(w / "kizuna.toml"))
    db = pgtest.fresh_database(a.pg_cluster, "server_api") if a.pg_cluster else str(w / "k.db")

    def k(*args, stdin=None):
        p = subprocess.run([kizuna, *args, "--db", db, "--lang", "en"], input=stdin, capture_output=True, text=True,
                           env=env, timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"kizuna {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        return p.stdout

    inbox = w / "inbox"
    inbox.mkdir()
    (inbox / "1-amber.json").write_text(form(AMBER, "TLP:AMBER", "http://198.51.100.7/amber/login"))
    (inbox / "2-red.json").write_text(form(RED, "TLP:RED", "http://198.51.100.8/red/login"))
    (inbox / "3-unmarked.json").write_text(form("no marking", "", "http://198.51.100.9/plain/login"))
    # Another site on the RED report's address: an AMBER report linked to it as "same host".
    (inbox / "4-same-host.json").write_text(form("same host as red", "AMBER", "http://198.51.100.8/other/login"))
    # Who administers the reported addresses: notices can be planned for them.
    # One organisation per address: a notice goes to one responder.
    (w / "contacts.toml").write_text("".join(
        f'[[organisation]]\nname = "Hosting {n}"\nkind = "hosting"\ncountry = "DE"\nlanguage = "en"\n'
        f'netblocks = ["198.51.100.{n}/32"]\nabuse = ["abuse@h{n}.example.de"]\n\n' for n in (7, 8, 9)))
    k("data", "load", "contacts", str(w / "contacts.toml"))
    summary = json.loads(k("ingest", str(inbox), "--json"))
    check(summary["reports_created"] == 4, "four reports to serve", summary)
    k("user", "add", "boss", "--role", "admin")
    k("user", "add", "hana", "--role", "handler")
    k("user", "add", "ana", "--role", "analyst")
    tok = {name: k("user", "token", name, "--scope", "read").strip() for name in ("boss", "hana", "ana")}
    submit_only = k("user", "token", "ana", "--scope", "messages:submit").strip()
    writer = {name: k("user", "token", name, "--scope", "read", "--scope", "write").strip()
              for name in ("boss", "ana")}
    for name in ("hana", "ana", "boss"):
        k("user", "passwd", name, stdin=PASSWORD + "\n")
    totp_uri = json.loads(k("user", "totp", "boss", "--json"))["uri"]
    revoked = json.loads(k("user", "token", "hana", "--scope", "read", "--json"))
    k("user", "revoke", "hana", str(revoked["token_id"]))
    for_a_day = k("user", "token", "hana", "--scope", "read", "--days", "1").strip()
    # The server's clock, moved by the test (the hook). It starts at the real time.
    clock_file = w / "clock"
    clock_file.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ\n", time.gmtime()))
    hooked = dict(env, KIZUNA_TEST_CLOCK_FILE=str(clock_file))
    refused = subprocess.run([kizuna, "serve", "--db", db, "--listen", "127.0.0.1:0"], capture_output=True,
                             text=True, env=hooked, timeout=60)
    check(refused.returncode == 1 and "KIZUNA_TEST_HOOKS=1" in refused.stderr,
          "the clock hook is refused without KIZUNA_TEST_HOOKS=1", refused.stderr.strip())
    hooked["KIZUNA_TEST_HOOKS"] = "1"

    os.environ["KIZUNA_CONFIG"] = env["KIZUNA_CONFIG"]
    srv = Server(kizuna, db, w, "--no-worker", env=hooked)
    try:
        check(srv.request("GET", "/api/v1/me", token=for_a_day)[0] == 200, "a token made for a day works today")
        clock_file.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ\n", time.gmtime(time.time() + 2 * 86400)))
        check(srv.request("GET", "/api/v1/me", token=for_a_day)[0] == 401, "... and not two days later")
        check(srv.request("GET", "/api/v1/me", token=tok["hana"])[0] == 200, "a token without expiry still works")
        clock_file.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ\n", time.gmtime()))
        status, _, body = srv.request("GET", "/healthz")
        check(status == 200 and json.loads(body) == {"status": "ok"}, "/healthz answers without a token", body)

        status, headers, body = srv.request("GET", "/api/v1/reports")
        check(status == 401 and error_of(body) == "unauthenticated" and "Bearer" in headers.get("WWW-Authenticate", ""),
              "no token: 401 with WWW-Authenticate", f"{status} {body}")
        status, _, _ = srv.request("GET", "/api/v1/reports", token="kzt_" + "0" * 64)
        check(status == 401, "an unknown token: 401")
        status, _, _ = srv.request("GET", "/api/v1/reports", token=revoked["token"])
        check(status == 401, "a revoked token: 401")
        status, _, body = srv.request("GET", "/api/v1/reports", token=submit_only)
        check(status == 403 and error_of(body) == "forbidden", "a token without the read scope: 403", body)

        lists = {}
        for name in ("boss", "hana", "ana"):
            status, _, body = srv.request("GET", "/api/v1/reports", token=tok[name])
            check(status == 200, f"{name} lists reports", body[:300])
            lists[name] = body
        check(RED in lists["boss"] and AMBER in lists["boss"], "the admin sees RED and AMBER")
        for name in ("hana", "ana"):
            check(RED not in lists[name], f"{name}'s list never holds the RED canary")
            check(AMBER in lists[name], f"{name} sees AMBER inside the centre")
        boss = json.loads(lists["boss"])
        counts = {name: json.loads(srv.request("GET", "/api/v1/reports?count=1", token=tok[name])[2])["remaining"]
                  for name in ("boss", "hana")}
        check(counts == {"boss": 4, "hana": 3} and "remaining" not in boss, "counts (count=1) leave RED out too",
              counts)
        red_id = next(r["id"] for r in boss["reports"] if r["summary"] == RED)
        status, _, body = srv.request("GET", f"/api/v1/reports/{red_id}", token=tok["boss"])
        check(status == 200 and RED in body and json.loads(body)["id"] == red_id, "the admin opens the RED report")
        status, _, red_body = srv.request("GET", f"/api/v1/reports/{red_id}", token=tok["hana"])
        status_none, _, none_body = srv.request("GET", "/api/v1/reports/999999", token=tok["hana"])
        check(status == 404 and RED not in red_body, "a handler gets 404 for the RED report", red_body)
        check(status_none == 404 and error_of(red_body) == error_of(none_body),
              "... exactly as for a report that does not exist", f"{red_body} / {none_body}")
        linked = next(r for r in boss["reports"] if r["summary"] == "same host as red")
        check(linked["linked_report"] == red_id, "the admin sees the AMBER report linked to the RED one", linked)
        for name in ("hana", "ana"):
            mine = next(r for r in json.loads(lists[name])["reports"] if r["summary"] == "same host as red")
            page = srv.request("GET", f"/api/v1/reports/{linked['id']}", token=tok[name])[2]
            detail = json.loads(page)
            events = json.dumps(detail["events"])
            check(mine["linked_report"] is None and detail["linked_report"] is None and
                  "same_host_as" not in events,
                  f"{name} never learns the RED report's number through a link", page[:400])

        page = json.loads(srv.request("GET", "/api/v1/reports?limit=1", token=tok["boss"])[2])
        check(len(page["reports"]) == 1 and page["next_after"] == page["reports"][0]["id"],
              "paging: one report and where the next page starts", page)
        nxt = json.loads(srv.request("GET", f'/api/v1/reports?limit=1&after={page["next_after"]}',
                                     token=tok["boss"])[2])
        check(nxt["reports"][0]["id"] > page["reports"][0]["id"], "the next page goes on")
        for bad in ("limit=0", "limit=abc", "limit=501", "after=-1"):
            status, _, body = srv.request("GET", f"/api/v1/reports?{bad}", token=tok["boss"])
            check(status == 422 and error_of(body) == "invalid", f"{bad}: 422 with a message", body)
        status, _, body = srv.request("GET", "/api/v1/reports/abc", token=tok["boss"])
        check(status == 404 and error_of(body) == "not_found", "a path that names no report: 404")
        status, headers, body = srv.request("DELETE", "/api/v1/reports/1", token=tok["boss"])
        check(status == 405 and headers.get("Allow") == "GET", "a method the route lacks: 405 with Allow", body)
        status, _, body = srv.request("GET", "/api/v1/me", token=tok["ana"])
        check(status == 200 and json.loads(body) == {"user": "ana", "role": "analyst", "scopes": ["read"]},
              "/api/v1/me says who the token acts for", body)

        mail = (b"From: reporter@example.org\r\nTo: abuse@kizuna.example\r\nSubject: phishing at 203.0.113.77\r\n"
                b"Message-ID: <api-1@example.org>\r\nDate: Mon, 7 Dec 2026 10:00:00 +0900\r\n\r\n"
                b"A phishing site: http://203.0.113.77/bank/login\r\n")
        status, _, body = srv.request("POST", "/api/v1/messages", token=tok["ana"], body=mail,
                                      headers={"Content-Type": "message/rfc822"})
        check(status == 403, "a read token cannot hand in mail", f"{status} {body}")
        status, _, body = srv.request("POST", "/api/v1/messages", token=submit_only, body=mail,
                                      headers={"Content-Type": "message/rfc822"})
        check(status == 201 and json.loads(body)["new"] == 1 and json.loads(body)["reports_created"] == 1,
              "a submit token hands in a mail: 201, a new report", f"{status} {body}")
        status, _, body = srv.request("POST", "/api/v1/messages", token=submit_only, body=mail)
        check(status == 200 and json.loads(body)["duplicate"] == 1, "the same mail again: 200, stored once",
              f"{status} {body}")
        status, _, body = srv.request("POST", "/api/v1/messages", token=submit_only, body=b"\x00\x01 not mail")
        check(status == 202 and json.loads(body)["quarantined"] == 1,
              "bytes that are not a message: 202, kept and quarantined", f"{status} {body}")
        status, _, body = srv.request("POST", "/api/v1/messages", token=submit_only, body=b"")
        check(status == 422 and error_of(body) == "invalid", "an empty body: 422", f"{status} {body}")
        check(srv.request("POST", "/api/v1/messages", body=mail)[0] == 401, "no token: 401")
        listed = json.loads(srv.request("GET", "/api/v1/reports?count=1", token=tok["boss"])[2])
        check(listed["remaining"] == 5, "the handed-in mail is a report in the list", listed["remaining"])

        # --- logins: a person in a browser ----------------------------------------------------
        def login(user, password=PASSWORD, totp=None, peer=None):
            body = {"user": user, "password": password}
            if totp:
                body["totp"] = totp
            return srv.request("POST", "/api/v1/session", body=json.dumps(body),
                               headers={"Content-Type": "application/json",
                                        **({"X-Forwarded-For": peer} if peer else {})})

        status, _, body = login("hana", "not the password")
        check(status == 401 and error_of(body) == "login_failed", "a wrong password: 401", body)
        status, _, body_unknown = login("nobody-at-all")
        check(status == 401 and json.loads(body_unknown)["error"]["message"] == json.loads(body)["error"]["message"],
              "an unknown user reads exactly like a wrong password", body_unknown)
        status, headers, body = login("hana")
        cookie, attrs = session_cookie(headers)
        check(status == 200 and cookie and {"httponly", "samesite", "secure", "path", "max-age"} <= attrs,
              "a login sets an HttpOnly, SameSite, Secure session cookie", headers.get("Set-Cookie"))
        check("Strict" in headers.get("Set-Cookie", "") and cookie not in body, "SameSite=Strict; the body has no cookie")
        csrf = json.loads(body)["csrf_token"]
        as_hana = {"Cookie": f"kizuna_session={cookie}"}
        status, _, body = srv.request("GET", "/api/v1/session", headers=as_hana)
        check(status == 200 and json.loads(body) == {"user": "hana", "role": "handler", "csrf_token": csrf,
                                                     "via": "session"}, "the session says who it is", body)
        status, _, body = srv.request("GET", "/api/v1/reports", headers=as_hana)
        check(status == 200 and AMBER in body and RED not in body, "a handler's session lists AMBER, never RED")
        amber_id = next(r["id"] for r in boss["reports"] if r["summary"] == AMBER)
        plain_id = next(r["id"] for r in boss["reports"] if r["summary"] == "no marking")
        close = json.dumps({"action": "close", "reports": [amber_id], "reason": "handled"})
        status, _, body = srv.request("POST", "/api/v1/reports/actions", body=close, headers=as_hana)
        check(status == 403 and error_of(body) == "csrf", "a change without the CSRF token: 403 csrf", body)
        status, _, body = srv.request("POST", "/api/v1/reports/actions", body=close,
                                      headers={**as_hana, "X-CSRF-Token": "0" * 64})
        check(status == 403 and error_of(body) == "csrf", "a wrong CSRF token: 403 csrf", body)
        check(json.loads(srv.request("GET", f"/api/v1/reports/{amber_id}", token=tok["boss"])[2])["status"] == "open",
              "... and nothing changed")

        # --- a handler's work: bulk actions, assignment and RED, notes -----------------------
        with_csrf = {**as_hana, "X-CSRF-Token": csrf, "Content-Type": "application/json"}
        def act(action, ids, headers=with_csrf, token=None, **fields):
            return srv.request("POST", "/api/v1/reports/actions", token=token, headers=headers,
                               body=json.dumps({"action": action, "reports": ids, **fields}))
        status, _, body = act("close", [amber_id, plain_id], reason="duplicate of an earlier report")
        check(status == 200 and json.loads(body) == {"action": "close", "reports": [amber_id, plain_id]},
              "a bulk close over the session: 200", body)
        closed = json.loads(srv.request("GET", "/api/v1/reports?status=closed", token=tok["boss"])[2])
        check({r["id"] for r in closed["reports"]} == {amber_id, plain_id}, "both reports are closed", closed)
        status, _, body = act("reopen", [amber_id, red_id], reason="again")
        check(status == 404 and RED not in body, "a bulk action naming a RED report: 404 as if it did not exist",
              body)
        check(json.loads(srv.request("GET", f"/api/v1/reports/{amber_id}", token=tok["boss"])[2])["status"] == "closed",
              "... and nothing changed (all or nothing)")
        status, _, body = act("close", [amber_id], headers={}, token=writer["ana"], reason="x")
        check(status == 403 and error_of(body) == "forbidden", "an analyst's write token: 403 (the role reads only)",
              body)
        check(act("close", [amber_id], headers={}, reason="x")[0] == 401, "no caller: 401")
        status, _, body = act("tlp", [amber_id], tlp="PINK")
        check(status == 422 and error_of(body) == "invalid", "an unknown TLP: 422", body)
        status, _, body = act("fly", [amber_id])
        check(status == 422 and "assign" in body, "an unknown action: 422 naming the actions", body)
        status, _, body = act("assign", [red_id], headers={}, token=writer["boss"], to="hana")
        check(status == 200, "the admin assigns the RED report to hana", body)
        status, _, body = srv.request("GET", f"/api/v1/reports/{red_id}", headers=as_hana)
        check(status == 200 and RED in body and json.loads(body)["assignee"] == "hana",
              "the assigned handler sees the RED report", body[:200])
        mine = json.loads(srv.request("GET", "/api/v1/reports?assignee=me", headers=as_hana)[2])
        check([r["id"] for r in mine["reports"]] == [red_id], "assignee=me lists it", mine)
        check(RED not in srv.request("GET", "/api/v1/reports", token=tok["ana"])[2], "the analyst still does not")
        status, _, body = srv.request("POST", f"/api/v1/reports/{red_id}/notes", headers=with_csrf,
                                      body=json.dumps({"text": "電話で確認: " + RED}))
        check(status == 201 and json.loads(body)["author"] == "user:hana", "hana notes the RED report: 201", body)
        status, _, body = srv.request("GET", f"/api/v1/reports/{red_id}/notes", headers=as_hana)
        check(status == 200 and "電話で確認" in body, "... and reads the note back", body)
        status, _, body = srv.request("GET", f"/api/v1/reports/{red_id}/notes", token=tok["ana"])
        check(status == 404 and RED not in body, "the analyst's notes of the RED report: 404", body)
        status, _, body = srv.request("POST", f"/api/v1/reports/{amber_id}/notes", token=writer["ana"],
                                      body=json.dumps({"text": "x"}))
        check(status == 403, "an analyst cannot write a note", body)
        status, _, body = srv.request("GET", f"/api/v1/reports/{amber_id}/notes", token=tok["ana"])
        check(status == 200 and json.loads(body) == {"notes": []}, "an analyst reads the notes of what they see")
        check(srv.request("GET", f"/api/v1/reports/{amber_id}/notes")[0] == 401, "notes need a caller")
        check(srv.request("POST", f"/api/v1/reports/{amber_id}/notes", body="{}")[0] == 401,
              "adding a note needs a caller")
        timeline = json.loads(srv.request("GET", f"/api/v1/reports/{red_id}", token=tok["boss"])[2])
        check({"report.assigned", "report.noted"} <= {e["action"] for e in timeline["events"]}
              and any(e["actor"] == "user:hana" for e in timeline["events"]),
              "the timeline names who assigned and who noted", timeline["events"][-3:])

        # --- the coordination loop: sites, notices ------------------------------------------
        bw = writer["boss"]
        def post(path, body, token=bw, headers=None):
            return srv.request("POST", path, token=token, body=json.dumps(body),
                               headers=headers or {"Content-Type": "application/json"})
        status, _, body = post("/api/v1/notices/plan", {})
        plan = json.loads(body)
        by_report = {n["report"]: n for n in plan.get("waiting", [])}
        check(status == 200 and red_id in by_report and amber_id in by_report,
              "the admin plans notices, the RED report's among them", body[:300])
        red_notice, amber_notice = by_report[red_id]["id"], by_report[amber_id]["id"]
        listed = json.loads(srv.request("GET", "/api/v1/notices", token=tok["ana"])[2])["notices"]
        check(listed and all(n["report"] != red_id for n in listed) and "body" not in listed[0],
              "the analyst's outbox leaves the RED report's notice out (and lists no texts)", listed)
        status, _, red_page = srv.request("GET", f"/api/v1/notices/{red_notice}", token=tok["ana"])
        none_page = srv.request("GET", "/api/v1/notices/999999", token=tok["ana"])[2]
        check(status == 404 and error_of(red_page) == error_of(none_page) and RED not in red_page,
              "... and its page is a 404 like a notice that does not exist", red_page)
        status, _, body = srv.request("GET", f"/api/v1/notices/{red_notice}", headers=as_hana)
        check(status == 200 and json.loads(body)["body"], "the assigned handler previews it", body[:200])
        tag = by_report[amber_id]["tag"]
        status, _, body = post(f"/api/v1/notices/{amber_notice}/edit", {"subject": "no tag here"})
        check(status == 422 and tag in body, "an edit that drops the tracking tag: 422 naming it", body)
        status, _, body = post(f"/api/v1/notices/{amber_notice}/edit",
                               {"subject": f"{tag} Phishing site on your network", "body": "Dear abuse team,\n..."})
        check(status == 200 and json.loads(body)["subject"] == f"{tag} Phishing site on your network"
              and json.loads(body)["body"] == "Dear abuse team,\n...", "a planned notice is edited", body[:300])
        status, _, body = post("/api/v1/notices/approve", {"notices": [amber_notice]}, token=None, headers=with_csrf)
        approved = json.loads(body).get("approved", [])
        check(status == 200 and approved and approved[0]["id"] == amber_notice and approved[0]["message_id"],
              "hana approves it over her session", body)
        status, _, body = post(f"/api/v1/notices/{amber_notice}/edit", {"subject": f"{tag} late"})
        check(status == 422, "an approved notice is not edited", body)
        status, _, body = post(f"/api/v1/notices/{red_notice}/cancel", {"reason": "the reporter asked us to wait"})
        check(status == 200 and json.loads(body)["status"] == "cancelled", "the admin holds the RED notice", body[:200])
        status, _, body = post("/api/v1/notices/approve", {"notices": [red_notice]}, token=writer["ana"])
        check(status == 403, "an analyst approves nothing", body)
        status, _, body = srv.request("GET", f"/api/v1/reports/{amber_id}/sites", token=tok["ana"])
        sites = json.loads(body).get("sites", [])
        check(status == 200 and sites and sites[0]["url"] == "http://198.51.100.7/amber/login"
              and "verify-down" in sites[0]["possible"], "a report's sites with their possible actions", body)
        site = sites[0]["id"]
        status, _, body = post(f"/api/v1/sites/{site}/actions", {"action": "escalate", "reason": "x"})
        check(status == 422 and "possible" in body, "an action the state does not allow: 422 naming the possible", body)
        status, _, body = post(f"/api/v1/sites/{site}/actions", {"action": "verify-down", "reason": "gone when looked at"})
        check(status == 200 and json.loads(body)["to"] == "down_verified", "a handler's action on a site", body)
        status, _, body = srv.request("GET", f"/api/v1/sites/{site}/checks", token=tok["ana"])
        check(status == 200 and json.loads(body) == {"checks": []}, "a site's checks (none yet)", body)
        red_site = json.loads(srv.request("GET", f"/api/v1/reports/{red_id}/sites", token=tok["boss"])[2])["sites"][0]["id"]
        for path in (f"/api/v1/reports/{red_id}/sites", f"/api/v1/sites/{red_site}/checks"):
            status, _, body = srv.request("GET", path, token=tok["ana"])
            check(status == 404 and RED not in body, f"{path}: a 404 for the analyst", body)
        status, _, body = post(f"/api/v1/sites/{red_site}/actions", {"action": "verify-down"}, token=writer["ana"])
        check(status in (403, 404), "the analyst acts on no site", body)
        for method, path in (("GET", "/api/v1/notices"), ("GET", f"/api/v1/notices/{amber_notice}"),
                             ("POST", "/api/v1/notices/plan"), ("POST", "/api/v1/notices/approve"),
                             ("POST", f"/api/v1/notices/{amber_notice}/edit"),
                             ("POST", f"/api/v1/notices/{amber_notice}/cancel"),
                             ("GET", f"/api/v1/reports/{amber_id}/sites"), ("GET", f"/api/v1/sites/{site}/checks"),
                             ("POST", f"/api/v1/sites/{site}/actions")):
            check(srv.request(method, path, body="{}" if method == "POST" else None)[0] == 401,
                  f"{method} {path} without a caller: 401")

        # --- a handler's own mail to a party of a report -------------------------------------
        def mail(report_id, token=bw, **fields):
            status, _, body = post(f"/api/v1/reports/{report_id}/mail", {"subject": "a question", "body": "Hello,\n",
                                                                        **fields}, token=token)
            return status, body
        status, body = mail(amber_id, to=["responders"])
        written = json.loads(body) if status == 201 else {}
        check(status == 201 and written["kind"] == "message" and written["audience"] == "responder"
              and written["to"] == ["abuse@h7.example.de"] and written["status"] == "approved"
              and written["subject"] == f"[Kizuna#N{written['id']}] a question",
              "a mail to the responder notified: approved, with its own tracking tag", body)
        status, body = mail(amber_id, to=["abuse@registrar.example"], approve=False)
        check(status == 201 and json.loads(body)["status"] == "planned", "approve=false leaves it planned", body)
        status, body = mail(red_id, to=["abuse@registrar.example"])
        check(status == 422 and "RED" in body, "a TLP:RED report is written about to no responder", body)
        status, body = mail(red_id, to=["reporter"])
        check(status == 201 and json.loads(body)["audience"] == "reporter", "... but to its reporter", body)
        status, body = mail(amber_id, to=["reporter", "abuse@registrar.example"])
        check(status == 422 and "reporter" in body, "the reporter never in a mail with others", body)
        status, body = mail(amber_id, to=["not an address"])
        check(status == 422, "a bad address: 422", body)
        status, body = mail(amber_id, to=["reporter"], token=writer["ana"])
        check(status == 403, "an analyst writes no mail", body)
        status, body = mail(red_id, to=["reporter"], token=None)
        check(status == 401, "a mail needs a caller", body)

        # --- the event log as a feed: what each caller may see, page after page ---------------
        def feed(after=0, limit=500, **caller):
            status, _, body = srv.request("GET", f"/api/v1/events?after={after}&limit={limit}", **caller)
            return status, (json.loads(body) if status == 200 else body)
        status, boss_feed = feed(token=tok["boss"])
        check(status == 200 and any(e["report"] == red_id for e in boss_feed["events"])
              and any(e["report"] is None for e in boss_feed["events"]),
              "the admin's feed holds the RED report's events and those about no report", status)
        status, ana_feed = feed(token=tok["ana"])
        check(status == 200 and ana_feed["events"] and all(e["report"] not in (None, red_id) for e in ana_feed["events"])
              and RED not in json.dumps(ana_feed), "the analyst's feed leaves out the RED report and events about no report",
              [e for e in ana_feed["events"] if e["report"] in (None, red_id)][:3] if status == 200 else ana_feed)
        ids = [e["id"] for e in boss_feed["events"]]
        status, first = feed(limit=3, token=tok["boss"])
        status, rest = feed(after=first["next_after"], limit=500, token=tok["boss"])
        check(ids == sorted(ids) and [e["id"] for e in first["events"] + rest["events"]] == ids[:3 + len(rest["events"])]
              and first["next_after"] == ids[2], "the feed pages in the log's order", (first["next_after"], ids[:4]))
        status, tail = feed(after=ids[-1], token=tok["boss"])
        check(status == 200 and tail["events"] == [] and tail["next_after"] == ids[-1],
              "past the end: nothing, and the same place to ask from again", tail)
        check(srv.request("GET", "/api/v1/events")[0] == 401, "the feed needs a caller")

        # --- who to tell: whois, the contact directory, the national CSIRTs --------------------
        status, _, body = srv.request("GET", "/api/v1/whois?ip=198.51.100.7", token=tok["ana"])
        who = json.loads(body) if status == 200 else {}
        check(status == 200 and who["org"] == "Hosting 7" and who["abuse"] == ["abuse@h7.example.de"]
              and who["route"]["to"] == ["abuse@h7.example.de"] and who["sources"].get("org") == "directory",
              "whois names the administrator from the contact directory, with the field's source", body)
        for bad in ("ip=not-an-address", "ip=example.com", ""):
            status, _, body = srv.request("GET", f"/api/v1/whois?{bad}", token=tok["ana"])
            check(status == 422, f"whois {bad!r}: 422 (no host names: the server asks no DNS)", body)
        status, _, body = srv.request("GET", "/api/v1/contacts", token=tok["ana"])
        orgs = {o["name"]: o for o in json.loads(body).get("organisations", [])} if status == 200 else {}
        check(set(orgs) == {"Hosting 7", "Hosting 8", "Hosting 9"} and orgs["Hosting 8"]["netblocks"] == ["198.51.100.8/32"]
              and orgs["Hosting 8"]["language"] == "en", "the contact directory as loaded", body[:300])
        csirts = json.loads(srv.request("GET", "/api/v1/directory", token=tok["ana"])[2])["csirts"]
        unverified = next(c for c in csirts if not c["verified"])
        check(len(csirts) > 5, "the national CSIRTs (the starter list)", len(csirts))
        status, _, body = post("/api/v1/directory/verify", {"name": unverified["name"]}, token=writer["ana"])
        check(status == 403, "an analyst verifies no CSIRT", body)
        status, _, body = post("/api/v1/directory/verify", {"name": unverified["name"]})
        again = {c["name"]: c for c in json.loads(srv.request("GET", "/api/v1/directory", token=tok["ana"])[2])["csirts"]}
        check(status == 200 and again[unverified["name"]]["verified"], "the admin verifies a CSIRT's address", body)
        status, _, body = post("/api/v1/directory/verify", {"name": "No Such CERT"})
        check(status == 422, "an unknown CSIRT: 422", body)
        for method, path in (("GET", "/api/v1/whois?ip=192.0.2.1"), ("GET", "/api/v1/contacts"),
                             ("GET", "/api/v1/directory"), ("POST", "/api/v1/directory/verify")):
            check(srv.request(method, path, body="{}" if method == "POST" else None)[0] == 401,
                  f"{method} {path} without a caller: 401")

        # --- users and tokens, for admins ------------------------------------------------------
        status, _, body = srv.request("GET", "/api/v1/users", token=tok["boss"])
        users = {u["name"]: u for u in json.loads(body).get("users", [])}
        check(status == 200 and users["boss"]["totp"] and users["hana"]["password"] and "hash" not in body
              and "$argon2" not in body, "the admin lists users: no hash, no secret", body[:300])
        check(srv.request("GET", "/api/v1/users", token=tok["hana"])[0] == 403, "a handler does not list users")
        status, _, body = post("/api/v1/users", {"name": "kenji", "role": "analyst", "password": PASSWORD})
        check(status == 201 and json.loads(body)["role"] == "analyst", "the admin adds a user", body)
        kenji = json.loads(body)["user"]
        check(post("/api/v1/users", {"name": "kenji"})[0] == 422, "a name taken: 422")
        check(post("/api/v1/users", {"name": "x", "role": "root"})[0] == 422, "an unknown role: 422")
        status, _, body = post(f"/api/v1/users/{kenji}/tokens", {"scopes": ["read"], "label": "dashboard", "days": 30})
        made = json.loads(body)
        check(status == 201 and made["token"].startswith("kzt_"), "the admin makes kenji a token", body)
        check(srv.request("GET", "/api/v1/me", token=made["token"])[0] == 200, "... which works")
        check(post(f"/api/v1/users/{kenji}/tokens", {"scopes": ["root"]})[0] == 422, "an unknown scope: 422")
        status, _, body = post(f"/api/v1/users/{kenji}/tokens/{made['token_id']}/revoke", {})
        check(status == 200 and srv.request("GET", "/api/v1/me", token=made["token"])[0] == 401,
              "... revoked, it stops", body)
        second = json.loads(post(f"/api/v1/users/{kenji}/tokens", {"scopes": ["read"]})[2])["token"]
        status, _, body = post(f"/api/v1/users/{kenji}/disable", {})
        check(status == 200 and srv.request("GET", "/api/v1/me", token=second)[0] == 401,
              "a disabled user's tokens stop", body)
        check(post("/api/v1/users/999999/disable", {})[0] == 404, "an unknown user: 404")
        boss_id = users["boss"]["user"]
        check(post(f"/api/v1/users/{boss_id}/disable", {})[0] == 422, "an admin does not disable themselves")
        for method, path in (("GET", "/api/v1/users"), ("POST", "/api/v1/users"),
                             ("POST", f"/api/v1/users/{kenji}/disable"), ("POST", f"/api/v1/users/{kenji}/tokens"),
                             ("POST", f"/api/v1/users/{kenji}/tokens/1/revoke")):
            check(srv.request(method, path, body="{}" if method == "POST" else None)[0] == 401,
                  f"{method} {path} without a caller: 401")

        # --- incidents ------------------------------------------------------------------------
        status, _, body = srv.request("GET", "/api/v1/incidents", token=tok["ana"])
        check(status == 200 and all(i["report"] != red_id for i in json.loads(body)["incidents"])
              and "/red/login" not in body and "198.51.100.7" in body,
              "the analyst's incidents leave out the RED report's", body[:300])
        everything = json.loads(srv.request("GET", "/api/v1/incidents", token=tok["boss"])[2])["incidents"]
        check(any(i["report"] == red_id for i in everything), "the admin's include it")
        page = json.loads(srv.request("GET", "/api/v1/incidents?limit=1", token=tok["boss"])[2])
        check(len(page["incidents"]) == 1 and page["next_after"] == page["incidents"][0]["id"],
              "incidents are paged like reports", page)
        status, _, body = srv.request("GET", f"/api/v1/incidents?report={red_id}", headers=as_hana)
        check(status == 200 and "/red/login" in body, "the RED report's assignee sees its incidents", body[:200])
        check(srv.request("GET", "/api/v1/incidents?limit=0", token=tok["ana"])[0] == 422, "limit=0: 422")
        check(srv.request("GET", "/api/v1/incidents")[0] == 401, "incidents need a caller")

        # --- records: raw messages, the quarantine, figures, scorecard ------------------------
        red_message = json.loads(srv.request("GET", f"/api/v1/reports/{red_id}", token=tok["boss"])[2])["message_list"][0]["id"]
        status, headers, body = srv.request("GET", f"/api/v1/messages/{red_message}/raw", token=tok["boss"])
        check(status == 200 and RED in body and headers.get("Content-Type") == "application/octet-stream"
              and headers.get("Content-Disposition", "").startswith("attachment")
              and headers.get("X-Content-Type-Options") == "nosniff",
              "the admin downloads the RED report's raw message, as an attachment", headers)
        status, _, body = srv.request("GET", f"/api/v1/messages/{red_message}/raw", token=tok["ana"])
        check(status == 404 and RED not in body, "the analyst gets a 404 for it", body)
        status, _, body = srv.request("GET", f"/api/v1/messages/{red_message}/raw", headers=as_hana)
        check(status == 200 and RED in body, "the assigned handler downloads it")
        quarantined = json.loads(srv.request("GET", "/api/v1/quarantine", token=tok["boss"])[2])["messages"]
        check(len(quarantined) == 1 and quarantined[0]["reason"], "the quarantine lists the bytes that were not a message",
              quarantined)
        status, _, body = srv.request("GET", f"/api/v1/messages/{quarantined[0]['id']}/raw", token=tok["ana"])
        check(status == 200 and "not mail" in body, "a quarantined message's bytes, kept as received", body[:80])
        check(srv.request("GET", "/api/v1/quarantine", token=tok["ana"])[0] == 403, "the analyst: 403 for the quarantine")
        status, _, body = post("/api/v1/quarantine/retry", {"messages": [quarantined[0]["id"]]})
        retried = json.loads(body).get("retried", [])
        check(status == 200 and retried and retried[0]["status"] == "quarantined",
              "a retry through the current code: still unreadable, still kept", body)
        check(post("/api/v1/quarantine/retry", {"messages": [999999]})[0] == 404, "retrying an unknown message: 404")
        today = time.strftime("%Y-%m-%d", time.gmtime())
        status, _, body = srv.request("GET", f"/api/v1/stats?from=2000-01-01&to={today}", token=tok["ana"])
        check(status == 200 and json.loads(body)["from"] == "2000-01-01", "the figures of a period", body[:200])
        status, _, body = srv.request("GET", "/api/v1/stats?from=2026-13-01&to=2026-12-31", token=tok["ana"])
        check(status == 422 and "YYYY-MM-DD" in body, "a date that is not one: 422", body)
        status, _, body = srv.request("GET", "/api/v1/responders", token=tok["ana"])
        check(status == 200 and "responders" in json.loads(body), "the responder scorecard", body[:200])
        for method, path in (("GET", f"/api/v1/messages/{red_message}/raw"), ("GET", "/api/v1/quarantine"),
                             ("POST", "/api/v1/quarantine/retry"), ("GET", "/api/v1/stats"),
                             ("GET", "/api/v1/responders")):
            check(srv.request(method, path, body="{}" if method == "POST" else None)[0] == 401,
                  f"{method} {path} without a caller: 401")

        # --- the second factor, and logging out ---------------------------------------------
        status, _, body = login("boss")
        check(status == 401 and error_of(body) == "totp_required", "boss has a second factor: the code is asked for",
              body)
        status, headers, body = login("boss", totp=totp_now(totp_uri))
        check(status == 200 and session_cookie(headers)[0], "... and the code of the app lets boss in", body)
        status, _, body = login("boss", totp=totp_now(totp_uri))
        check(status == 401, "the same code twice: refused", body)
        status, headers, body = srv.request("DELETE", "/api/v1/session", headers=with_csrf)
        check(status == 200 and session_cookie(headers)[0] == "" and "max-age" in session_cookie(headers)[1],
              "logging out clears the cookie", headers.get("Set-Cookie"))
        check(srv.request("GET", "/api/v1/session", headers=as_hana)[0] == 401, "the ended session gets nowhere")
        check(srv.request("DELETE", "/api/v1/session")[0] == 401, "logging out needs a session")
        status, _, body = srv.request("DELETE", "/api/v1/session", token=tok["ana"])
        check(status == 422, "a token is revoked, not logged out: 422", body)
        status, _, body = srv.request("GET", "/api/v1/session", token=tok["ana"])
        check(status == 200 and json.loads(body)["via"] == "token" and json.loads(body)["csrf_token"] is None,
              "GET /api/v1/session with a token", body)

        # --- failed logins pause the account, and the address ---------------------------------
        for _ in range(5):
            login("ana", "wrong password!")
        status, headers, body = login("ana")
        check(status == 429 and error_of(body) == "too_many" and int(headers.get("Retry-After", "0")) > 60,
              "five failures pause the account: 429 with Retry-After, even for the right password",
              f"{status} {headers.get('Retry-After')} {body}")
        for i in range(20):
            login(f"guess{i}", "wrong password!", peer="203.0.113.50")
        status, _, body = login("hana", peer="203.0.113.50")
        check(status == 429, "twenty failures from one address pause that address", body)
        status, _, body = login("hana", peer="203.0.113.51")
        check(status == 200, "... not another one", body)

        # --- the public report form: anonymous, bounded ---------------------------------------
        def submit(body, content_type="application/json", peer="198.51.100.60"):
            return srv.request("POST", "/api/v1/submissions", body=body,
                               headers={"Content-Type": content_type, "X-Forwarded-For": peer})
        doc = form("form canary FORM-7a1", "AMBER", "http://192.0.2.77/form/login")
        status, _, body = submit(doc)
        check(status == 201 and json.loads(body)["status"] == "new" and json.loads(body)["tracking"],
              "an anonymous form: 201 with its tracking number", body)
        tracking = json.loads(body)["tracking"]
        shown = json.loads(srv.request("GET", f"/api/v1/reports/{tracking}", token=tok["boss"])[2])
        check(shown["summary"] == "form canary FORM-7a1" and shown["tlp"] == "AMBER",
              "the tracking number is the report's", shown.get("summary"))
        status_token = json.loads(body).get("status_token", "")
        check(status_token.startswith("kzr_"), "... and the reporter's private status link, once", body)
        status, _, body = submit(doc)
        check(status == 200 and json.loads(body) == {"received": True, "status": "duplicate", "tracking": tracking},
              "the same form again: 200, stored once, the same number, no second link", body)
        status, _, body = srv.request("GET", f"/api/v1/status?token={status_token}")
        view = json.loads(body)
        check(status == 200 and view["tracking"] == tracking and view["status"] == "received"
              and view["status_label"] == {"ja": "受付済み", "en": "Received"} and view["sites"] == 1,
              "the status link shows the reporter their report: received, in Japanese and English", body)
        check(set(view) == {"tracking", "received_at", "type", "status", "status_label", "sites", "sites_down",
                            "notified", "closed_at"} and "192.0.2.77" not in body and "FORM-7a1" not in body,
              "... and nothing else: no address, no text, no responder", body)
        closed = act("close", [tracking], headers={}, token=writer["boss"], reason="handled by the host")
        check(closed[0] == 200, "the admin closes the reported form", closed)
        view = json.loads(srv.request("GET", f"/api/v1/status?token={status_token}")[2])
        check(view["status"] == "closed" and view["status_label"]["ja"] == "対応終了" and view["closed_at"],
              "closed by the centre: the reporter sees it closed", view)
        for bad in ("kzr_" + "0" * 64, "", status_token[:-1]):
            status, _, body = srv.request("GET", f"/api/v1/status?token={bad}")
            check(status == 404 and error_of(body) == "not_found", f"a status token that is not one: 404 ({bad[:8]})",
                  body)
        boundary = "----KizunaTestBoundary"
        log_line = "Dec  7 10:00:00 web sshd[311]: Failed password for root from 192.0.2.99 port 4022 ssh2"
        multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"document\"\r\n"
                     "Content-Type: application/json\r\n\r\n"
                     + json.dumps({"purpose": "incident", "type": "ssh", "subject": "brute force",
                                   "description": "attacks on our server",
                                   "reporter": {"email": "admin@example.co.jp"}})
                     + f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"logs\"; filename=\"auth.log\"\r\n"
                     "Content-Type: text/plain\r\n\r\n" + log_line + f"\r\n--{boundary}--\r\n")
        status, _, body = submit(multipart.encode(), f"multipart/form-data; boundary={boundary}")
        check(status == 201 and json.loads(body)["tracking"], "a form with a log file: 201", body)
        shown = json.loads(srv.request("GET", f"/api/v1/reports/{json.loads(body)['tracking']}", token=tok["boss"])[2])
        check(any(i["ip"] == "192.0.2.99" for i in shown["incident_list"]),
              "the log file's source address is an incident", shown["incident_list"])
        binary = multipart.replace(log_line, "\x00\x01pcap").encode()
        status, _, body = submit(binary, f"multipart/form-data; boundary={boundary}")
        check(status == 422 and "text" in body, "a log file that is not text: 422", body)
        status, _, body = submit(multipart.encode(), "multipart/form-data; boundary=wrong")
        check(status == 422, "a body without its boundary: 422", body)
        status, _, body = submit(json.dumps({"xarf_version": "0.2", "Report": {}, "reporter": "x"}))
        check(status == 422 and "POST /api/v1/messages" in body, "X-ARF through the form: 422", body)
        status, _, body = submit(b"\xff not json")
        check(status == 422 and error_of(body) == "invalid", "bytes that are not JSON: 422", body)
        status, _, body = submit(json.dumps({"purpose": "incident", "description": "x" * (5 * 1024 * 1024)}))
        check(status == 413 and error_of(body) == "too_large", "a form over [server] max_submission_bytes: 413", body)
        answers = [submit(form(f"flood {i}", "", f"http://192.0.2.{i}/x"), peer="203.0.113.77")[0]
                   for i in range(21)]
        check(answers[:20] == [201] * 20 and answers[20] == 429,
              "[server] submissions_per_hour: the 21st form of an address in an hour is 429", answers)
        check(submit(form("another place", "", "http://192.0.2.200/x"), peer="203.0.113.78")[0] == 201,
              "... another address is not held back")

        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        results = [srv.request("GET", "/api/v1/me", token=tok["boss"], conn=conn)[0] for _ in range(5)]
        conn.close()
        check(results == [200] * 5, "keep-alive: five requests on one connection", results)

        # The answer comes as soon as the header announces too much, before any body is sent.
        answer = srv.raw(f"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tok['boss']}\r\n"
                         f"Content-Length: {33 * 1024 * 1024}\r\n\r\n".encode())
        check(answer.startswith("HTTP/1.1 413") and '"too_large"' in answer, "a body over 32 MiB: 413", answer[:200])
        status, _, body = srv.request("GET", "/healthz", headers={"X-Filler": "y" * 20000})
        check(status == 431, "a header over 16 KiB: 431", f"{status} {body[:200]}")
        answer = srv.raw(b"GARBAGE\r\n\r\n")
        check(answer.startswith("HTTP/1.1 400") and '"bad_request"' in answer, "bytes that are not HTTP: 400",
              answer[:200])
        check(srv.raw(b"GET /healthz HTTP/1.1\r\nHost: x") == "", "a request cut short: no answer, no crash")

        for path in ("/api/v1/me", f"/api/v1/reports/{red_id}"):
            check(srv.request("GET", path)[0] == 401, f"{path} asks for a token")
        # Behind the trusted proxy (127.0.0.1 here), the client is the address it forwards for.
        srv.request("GET", "/healthz", headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.23"})
        status, _, metrics = srv.request("GET", "/metrics", token=tok["boss"])
        check(status == 200 and 'kizuna_http_requests_total{route="/api/v1/reports",method="GET",status="200"}'
              in metrics and "kizuna_http_request_duration_seconds_bucket" in metrics,
              "/metrics counts requests by route pattern", metrics[:500])
        check('route="/api/v1/reports/999999"' not in metrics, "raw paths never become labels")
        check(srv.request("GET", "/metrics")[0] == 401, "/metrics asks for a token")

        # --- docs/security.md's role x TLP table, read here: one canary report per marking -----
        # Each role lists reports; a marking the table says a role "sees" must be in its list and
        # on its report page, any other must be in neither. (The canaries are unassigned: a
        # handler's "sees those assigned" reads as not seeing them.)
        matrix = security_tlp_table(HERE.parent.parent / "docs" / "security.md")
        check(len(matrix) == 6, "the role x TLP table has its six markings", sorted(matrix))
        callers = {"admin": {"token": tok["boss"]}, "handler": {"token": tok["hana"]},
                   "analyst": {"token": tok["ana"]}}
        canaries = {}
        for n, marking in enumerate(matrix):
            canary = f"TLP-CANARY-{n}-{marking.replace('+', 'PLUS')}"
            tlp = "" if marking == "none" else marking
            status, _, body = submit(form(canary, tlp, f"http://192.0.2.{150 + n}/tlp"), peer=f"203.0.113.{150 + n}")
            canaries[marking] = (canary, json.loads(body).get("tracking"))
            check(status == 201, f"a {marking} canary report", body)
        for role, caller in callers.items():
            listed = srv.request("GET", "/api/v1/reports?limit=500", **caller)[2]
            for marking, (canary, number) in canaries.items():
                sees = matrix[marking][role] == "sees"
                page = srv.request("GET", f"/api/v1/reports/{number}", **caller)
                found = srv.request("GET", f"/api/v1/search?q={canary}", **caller)
                check((canary in listed) == sees and (page[0] == 200) == sees and (canary in page[2]) == sees
                      and found[0] == 200 and (canary in found[2]) == sees,
                      f"security.md: {role} {'sees' if sees else 'does not see'} a {marking} report",
                      f"listed {canary in listed}, page {page[0]}, search {found[0]} {canary in found[2]}")

        # --- search over messages: a substring, any case, Japanese too; what may be seen only ----
        def search(q, **caller):
            status, _, body = srv.request("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": q}), **caller)
            return status, json.loads(body)
        status, found = search(RED.lower()[3:], token=tok["boss"])
        check(status == 200 and len(found["messages"]) == 1 and found["messages"][0]["report"] == red_id
              and RED in found["messages"][0]["subject"],
              "the admin finds the RED report's message by part of its text, in another case", found)
        status, found = search(RED.lower()[3:], token=tok["ana"])
        check(status == 200 and found["messages"] == [], "the analyst's search leaves it out", found)
        status, found = search("ｃａｎａｒｙ－ａｍｂｅｒ", token=tok["ana"])
        check(status == 200 and [m["subject"] for m in found["messages"]] == [AMBER],
              "full-width letters find the ASCII text", found)
        status, _, body = submit(form("銀行を装う詐欺の届出", "AMBER", "http://192.0.2.99/bank/login"),
                                 peer="203.0.113.99")
        check(status == 201, "a report in Japanese", body)
        status, found = search("詐欺", token=tok["hana"])
        check(status == 200 and [m["subject"] for m in found["messages"]] == ["銀行を装う詐欺の届出"]
              and found["scanned_above"] is None,
              "a two-character Japanese search finds it (a small centre: every message read)", found)
        everything = [m["message"] for m in search("CANARY", token=tok["boss"])[1]["messages"]]
        first = json.loads(srv.request("GET", "/api/v1/search?q=canary&limit=2", token=tok["boss"])[2])
        rest = json.loads(srv.request("GET", f"/api/v1/search?q=canary&limit=200&before={first['next_before']}",
                                      token=tok["boss"])[2])
        check(len(everything) > 2 and everything == sorted(everything, reverse=True)
              and [m["message"] for m in first["messages"] + rest["messages"]] == everything
              and rest["next_before"] is None,
              "search pages go from the newest down and join up", (everything, first, rest))
        for bad in ("", "   ", "x" * 201, "a\x01b"):
            status, _, body = srv.request("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": bad}),
                                          token=tok["ana"])
            check(status == 422 and error_of(body), f"a search for {bad[:10]!r} is refused", body)
        check(srv.request("GET", "/api/v1/search?q=canary")[0] == 401, "search needs a caller")

        # --- merge and split: a handler's "one matter", "another matter" -----------------------
        made = {}
        for n, (name, url) in enumerate((("merge-p", "http://192.0.2.201/p"), ("merge-q", "http://192.0.2.202/q"),
                                         ("merge-q again", "http://192.0.2.202/q"))):
            status, _, body = submit(form(name, "AMBER", url), peer=f"203.0.113.{201 + n}")
            check(status == 201, f"a report to merge: {name}", body)
            made[name] = json.loads(body)["tracking"]
        p_id, q_id = made["merge-p"], made["merge-q"]
        check(made["merge-q again"] == q_id, "the same URL again joins its report")
        def page(report_id, **caller):
            return json.loads(srv.request("GET", f"/api/v1/reports/{report_id}", **(caller or {"token": tok["boss"]}))[2])
        q_messages = [m["id"] for m in page(q_id)["message_list"]]
        status, _, body = srv.request("POST", f"/api/v1/reports/{p_id}/merge", token=writer["boss"],
                                      body=json.dumps({"from": [q_id], "reason": "one campaign"}))
        check(status == 200 and json.loads(body)["messages"] == 2 and json.loads(body)["incidents_moved"] == 1,
              "the admin merges a report into another", body)
        merged, kept = page(q_id), page(p_id)
        check(merged["status"] == "closed" and merged["merged_into"] == p_id and kept["merged_into"] is None
              and sorted(m["id"] for m in kept["message_list"]) == sorted(q_messages + [kept["message_list"][0]["id"]])
              and any(e["action"] == "report.merged_from" for e in kept["events"]),
              "the merged report names the one it joined, which holds its messages", (merged, kept["message_list"]))
        status, _, body = srv.request("POST", f"/api/v1/reports/{p_id}/merge", token=writer["boss"],
                                      body=json.dumps({"from": [q_id], "reason": "again"}))
        check(status == 422 and "merged" in body, "a merged report is not merged twice", body)
        status, _, body = srv.request("POST", f"/api/v1/reports/{p_id}/merge", token=writer["ana"],
                                      body=json.dumps({"from": [q_id], "reason": "x"}))
        check(status == 403, "an analyst merges nothing", body)
        status, _, body = srv.request("POST", f"/api/v1/reports/{p_id}/split", token=writer["boss"],
                                      body=json.dumps({"messages": q_messages, "reason": "another matter after all"}))
        check(status == 201, "... and splits the messages off again", body)
        fresh = json.loads(body)["report"]
        again = page(fresh)
        check(again["status"] == "open" and again["linked_report"] == p_id
              and sorted(m["id"] for m in again["message_list"]) == sorted(q_messages),
              "the new report holds the messages split off, linked to the report", again)
        status, _, body = srv.request("POST", f"/api/v1/reports/{fresh}/split", token=writer["boss"],
                                      body=json.dumps({"messages": q_messages, "reason": "all of them"}))
        check(status == 422, "a split that would leave the report empty: 422", body)
        for action in ("merge", "split"):
            check(srv.request("POST", f"/api/v1/reports/{p_id}/{action}", body="{}")[0] == 401,
                  f"{action} needs a caller")

        # --- docs/security.md's table, read here, against the server's route table -----------
        # Every route is in the table and the table names no route the server lacks; its roles
        # column is what the server enforces; and no GET route shows an analyst the RED canary,
        # asked with the numbers of the RED report's own records.
        table = security_routes(HERE.parent.parent / "docs" / "security.md")
        served = {(r["method"], r["pattern"]): r for r in json.loads(k("serve", "--routes"))}
        check(set(table) == set(served), "docs/security.md's route table and the server's agree",
              sorted(set(table) ^ set(served)))
        for key, roles in table.items():
            if key in served:
                check(set(served[key]["roles"]) == roles, f"{key[0]} {key[1]}: the roles security.md gives",
                      f"{served[key]['roles']} vs {sorted(roles)}")
        red_records = {"reports": red_id, "sites": red_site, "notices": red_notice, "messages": red_message}
        for (method, pattern), r in sorted(served.items()):
            if method != "GET":
                continue
            family = pattern.split("/")[3] if pattern.startswith("/api/v1/") and "{id}" in pattern else None
            if "{id}" in pattern and family not in red_records:
                check(False, f"GET {pattern}: the access sweep has no RED case for it")
                continue
            path = pattern.replace("{id}", str(red_records[family])) if family else pattern
            if path == "/api/v1/stats":
                path += f"?from=2000-01-01&to={today}"
            if path == "/api/v1/search":
                path += "?q=" + RED.lower()
            if path == "/api/v1/whois":
                path += "?ip=198.51.100.8"  # the RED report's address
            status, _, body = srv.request("GET", path, token=tok["ana"])
            check(RED not in body, f"GET {path}: no RED canary for the analyst ({status})", body[:200])

        idle = socket.create_connection(("127.0.0.1", srv.port), timeout=30)  # an idle keep-alive client
        rc, took = srv.terminate()
        idle.close()
        check(rc == 0 and took < 5, f"SIGTERM with a connection open: exit 0 within 5 s (exit {rc}, {took:.1f} s)")

        log = srv.err_path.read_text().splitlines()
        entries = []
        for line in log:
            if line.startswith("{"):
                entries.append(json.loads(line))
        check(len(entries) == srv.answered and all({"at", "peer", "method", "route", "status", "ms", "user"} <= set(e)
                                                   for e in entries),
              "the access log: one JSON object per request answered, refused ones too",
              f"{len(entries)} entries, {srv.answered} answers")
        text = srv.err_path.read_text()
        check(not any(t in text for t in list(tok.values()) + [submit_only]), "no token in the access log")
        peers = {e["peer"] for e in entries}
        check("198.51.100.23" in peers and "6.6.6.6" not in peers,
              "[server] trusted_proxies: the log names the client the proxy forwarded for, not what it claimed",
              sorted(peers))
        check(not srv.problems, "every answer matches its schema in docs/api.yaml", "\n         ".join(srv.problems[:10]))

        # Every route of the server's table is documented and was called here, answered and refused.
        routes = json.loads(k("serve", "--routes"))
        check(len(routes) >= 5, "the route table lists the routes", routes)
        for r in routes:
            method, pattern = r["method"], r["pattern"]
            documented = pattern in SPEC.doc["paths"] and method.lower() in SPEC.doc["paths"][pattern]
            check(documented, f"{method} {pattern} is in docs/api.yaml")
            if pattern == "/api/v1/setup":
                continue  # answered only while a centre has no users: checked on its own below
            seen = {e["status"] for e in entries if e["route"] == pattern and e["method"] == method}
            check(any(200 <= st < 300 for st in seen), f"{method} {pattern} was answered 2xx here", seen)
            if r["access"] != "public":
                check(401 in seen, f"{method} {pattern} refused a caller without a token here", seen)
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()
    check(not any('"worker_round"' in line for line in srv.err_path.read_text().splitlines()),
          "--no-worker: no worker round")

    # The worker inside the server.
    srv = Server(kizuna, db, w, "--interval", "1", name="serve-worker")
    try:
        rounds = lambda: sum('"worker_round"' in line for line in srv.err_path.read_text().splitlines())
        check(wait_for(lambda: rounds() >= 2, 30), "the worker inside the server runs its rounds",
              srv.err_path.read_text()[-500:])
        if not a.pg_cluster:
            beside = subprocess.run([kizuna, "worker", "--once", "--db", db, "--lang", "en"], capture_output=True,
                                    text=True, env=env, timeout=60)
            check(beside.returncode == 75, "SQLite: a second worker beside the server's exits 75",
                  f"exit {beside.returncode}: {beside.stderr.strip()[-200:]}")
        status, _, _ = srv.request("GET", "/healthz")
        check(status == 200, "the server answers while its worker runs")
        rc, took = srv.terminate()
        check(rc == 0 and took < 5, f"SIGTERM stops the server and its worker within 5 s (exit {rc}, {took:.1f} s)")
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()
    # A new centre: no users yet, so the server prints a one-time setup link for the first admin.
    empty = pgtest.fresh_database(a.pg_cluster, "server_setup") if a.pg_cluster else str(w / "empty.db")
    srv = Server(kizuna, empty, w, "--no-worker", name="serve-setup", env=env)
    try:
        srv.out.seek(0)
        printed = srv.out.read()
        link = next((line for line in printed.splitlines() if "/setup#" in line), "")
        token = link.split("/setup#", 1)[1].split()[0] if link else ""
        check(token.startswith("kzsetup_"), "a server without users prints a setup link", printed)
        setup = lambda tok, user="chief": srv.request(
            "POST", "/api/v1/setup", headers={"Content-Type": "application/json"},
            body=json.dumps({"token": tok, "user": user, "password": PASSWORD}))
        check(setup("kzsetup_" + "0" * 64)[0] == 403, "a wrong setup token: 403")
        status, _, body = setup(token, "bad name")
        check(status == 422, "a bad user name: 422, and the link still works", body)
        status, headers, body = setup(token)
        check(status == 201 and json.loads(body)["role"] == "admin" and session_cookie(headers)[0],
              "the link makes the first admin, logged in: 201", body)
        status, _, body = setup(token, "second")
        check(status == 403, "the link works once", body)
        check(srv.request("GET", "/api/v1/session", headers={"Cookie": f"kizuna_session={session_cookie(headers)[0]}"})[0]
              == 200, "the first admin's session works")
        check(not srv.problems, "every setup answer matches docs/api.yaml", srv.problems[:5])
        srv.terminate()
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
