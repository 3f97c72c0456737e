#!/usr/bin/python3
"""Unattended operation: the worker against a relay that refuses or never answers,
mails to reporters that must not go out (an archive replayed, a forged sender flooding, machines),
and `notify approve --all` with nothing to approve.

    unattended.py --kizuna PATH --workdir DIR [--case NAME ...]

Real programs on 127.0.0.1 only: a port nothing listens on (the refusing relay), a socket that
accepts and never answers (the tarpit), and the SMTP sink of coord_servers.py (aiosmtpd). Only
the clock is faked (--now). Expectations come from the issue's text, not from the code:
  * breaker_failures (default 5) refusals in a row stop the round's sending; the next round
    tries one mail first; a tarpit costs one timeout, not one per mail;
  * reporter mails only for messages dated within 7 days of the clock; at most 20 a day to one
    address; none to automatic senders;
  * `notify approve --all` with nothing planned: exit 0, and it says so.
"""

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = "/usr/bin/python3"
JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=JST)  # the worker's clock
CASES = []
failures = []


def case(fn):
    CASES.append(fn)
    return fn


def check(ok, what):
    print(("ok     " if ok else "FAILED ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rfc2822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S %z")


def report_mail(i, sender, date, extra_headers=""):
    """A small valid phishing report with its own URL on a documentation address."""
    return (f"From: Reporter {i} <{sender}>\n"
            f"To: abuse@csirt.example.jp\n"
            f"Subject: phishing site {i}\n"
            f"Date: {rfc2822(date)}\n"
            f"Message-ID: <r{i}.{abs(hash(sender)) % 10**8}@reporter.example>\n"
            f"{extra_headers}"
            "\n"
            f"A phishing page imitating our bank: http://203.0.113.{1 + i % 250}/login{i}.html\n")


def mbox(path, mails, delivered=NOW - timedelta(hours=1)):
    """An mbox, every message delivered at `delivered` (the "From " line's date is UTC)."""
    sep = "From reporter@example.org " + delivered.astimezone(timezone.utc).strftime("%a %b %d %H:%M:%S %Y") + "\n"
    with open(path, "w") as f:
        for m in mails:
            f.write(sep)
            f.write(m.replace("\nFrom ", "\n>From "))
            f.write("\n")


class Tarpit:
    """Accepts every connection and never says a word (a relay that hangs)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(2000)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.conns = []
        self.stop = False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                c, _ = self.sock.accept()
                self.accepted += 1
                self.conns.append(c)
            except OSError:
                pass

    def close(self):
        self.stop = True
        for c in self.conns:
            c.close()
        self.sock.close()


class Case:
    def __init__(self, args, name, smtp_port, timeout_ms=2000):
        self.args = args
        self.w = Path(args.workdir) / name
        shutil.rmtree(self.w, ignore_errors=True)
        self.w.mkdir(parents=True)
        self.db = self.w / "k.db"
        self.config = self.w / "kizuna.toml"
        self.config.write_text(f"""[notify]
from = "centre@csirt.example.jp"
[smtp]
url = "smtp://127.0.0.1:{smtp_port}"
starttls = "off"
connect_timeout_ms = 1000
timeout_ms = {timeout_ms}
[checker]
enabled = false
""")
        self.procs = []

    def k(self, *argv, now=NOW, json_out=True, check_rc=True, timeout=120):
        cmd = [self.args.kizuna, *argv, "--db", str(self.db), "--config", str(self.config),
               "--now", now.isoformat(), "--lang", "en"]
        if json_out:
            cmd.append("--json")
        t0 = time.monotonic()
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
        r.secs = time.monotonic() - t0
        if check_rc and r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()[-300:]}")
        return r

    def ingest(self, mails):
        path = self.w / "in.mbox"
        mbox(path, mails)
        return json.loads(self.k("ingest", str(path)).stdout)

    def sql(self, q, *params):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(q, params).fetchall()
        finally:
            con.close()

    def start_sink(self, port):
        spool = self.w / "spool"
        spool.mkdir(exist_ok=True)
        ready = self.w / "smtp.ready"
        p = subprocess.Popen([PY, str(HERE / "coord_servers.py"), "smtp", "--port", str(port), "--spool", str(spool),
                              "--ready", str(ready), "--lifetime", "300"],
                             stdout=subprocess.DEVNULL, stderr=open(self.w / "smtp.err", "wb"))
        self.procs.append(p)
        deadline = time.monotonic() + 15
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return spool

    def close(self):
        for p in self.procs:
            p.terminate()
            p.wait(timeout=10)


def thousand_reporters(n=1000):
    """n reports from n reporters of n domains (no rate limit applies), dated an hour ago."""
    return [report_mail(i, f"soc{i}@r{i}.example.org", NOW - timedelta(hours=1)) for i in range(n)]


def attempted(c):
    return c.sql("SELECT COUNT(*), COALESCE(SUM(attempts), 0) FROM notices WHERE attempts > 0")[0]


@case
def breaker_refusing_relay(args):
    """A relay that refuses: 5 attempts, then the round stops sending; the next round tries one; the relay back, all go."""
    port = free_port()  # nothing listens here
    c = Case(args, "breaker_refusing_relay", port)
    try:
        c.ingest(thousand_reporters())
        queued = c.sql("SELECT COUNT(*) FROM notices WHERE kind='ack'")
        r = c.k("worker", "--once", json_out=False)
        acks = c.sql("SELECT COUNT(*) FROM notices WHERE kind='ack' AND status='approved'")[0][0]
        check(acks == 1000, f"1,000 acknowledgements queued ({acks}; before the round {queued[0][0]})")
        n, tries = attempted(c)
        check(n == 5 and tries == 5, f"5 mails tried against the refusing relay, then none ({n} mails, {tries} attempts)")
        check("sending paused" in r.stdout and "5 relay failures in a row" in r.stdout,
              f"the human output says sending paused and why: {r.stdout.strip()[:300]!r}")
        check("attempt 1 of 10" in r.stdout and "next attempt" in r.stdout,
              "the human output gives each mail's attempts and next attempt")
        show = c.k("notify", "show", str(c.sql("SELECT id FROM notices WHERE attempts > 0 LIMIT 1")[0][0]),
                   json_out=False).stdout
        check("Attempts: 1" in show and "Last error:" in show and "Next attempt:" in show,
              f"notify show (human) gives attempts, last error, next attempt: {show[-300:]!r}")
        # The next round: one trial mail, refused: no more.
        c.k("worker", "--once", now=NOW + timedelta(minutes=2), json_out=False)
        n2, tries2 = attempted(c)
        check(tries2 == 6, f"the next round tries exactly one mail first ({tries2 - tries} attempts)")
        # The relay comes back: the trial goes through and the round sends everything due.
        spool = c.start_sink(port)
        r = c.k("worker", "--once", now=NOW + timedelta(minutes=30))
        summary = json.loads(r.stdout)
        check(summary["sent"] == 1000 and summary["sending_paused"] == "",
              f"with the relay back every mail is sent in one round ({summary['sent']}, paused {summary['sending_paused']!r})")
        check(len(list(spool.glob("*.eml"))) == 1000, "the sink received them")
    finally:
        c.close()


@case
def breaker_tarpit_relay(args):
    """A relay that accepts and never answers costs one timeout per round, not one per mail."""
    tarpit = Tarpit()
    c = Case(args, "breaker_tarpit_relay", tarpit.port, timeout_ms=2000)
    try:
        c.ingest(thousand_reporters())
        r = c.k("worker", "--once", json_out=False)
        n, tries = attempted(c)
        check(tries == 1, f"one mail tried against the tarpit ({tries})")
        check(r.secs < 2.0 * 3 + 10, f"the round ends within a few timeouts ({r.secs:.1f} s, timeout 2 s)")
        check("did not answer in time" in r.stdout, f"the human output says the relay hung: {r.stdout.strip()[:300]!r}")
        r = c.k("worker", "--once", now=NOW + timedelta(minutes=2), json_out=False)
        n, tries = attempted(c)
        check(tries == 2 and r.secs < 2.0 * 3 + 10, f"the next round: one more timeout ({tries} attempts, {r.secs:.1f} s)")
    finally:
        tarpit.close()
        c.close()


@case
def archive_replay_mails_no_reporter(args):
    """A quarter of 2008 replayed with the clock in 2026: no acknowledgement, each report withheld with the reason."""
    c = Case(args, "archive_replay_mails_no_reporter", free_port())
    corpus = c.w / "corpus"
    subprocess.run([PY, str(HERE.parent.parent / "tools" / "quarter_gen.py"), "--bench", "600", "--out", str(corpus), "-q"],
                   check=True, capture_output=True)
    c.k("ingest", str(corpus))
    reports = c.sql("SELECT COUNT(*) FROM reports r JOIN reporters p ON p.id = r.reporter WHERE p.address <> ''")[0][0]
    s = json.loads(c.k("worker", "--once").stdout)
    mails = c.sql("SELECT COUNT(*) FROM notices WHERE audience = 'reporter'")[0][0]
    reasons = [r[0] for r in c.sql("SELECT json_extract(detail, '$.reason') FROM events "
                                   "WHERE action = 'report.reporter_mail_withheld'")]
    old = sum("days before now" in r for r in reasons)
    machine = sum(r.startswith("automatic message") for r in reasons)
    check(reports > 100, f"the replay made reports with reporters ({reports})")
    check(mails == 0 and s["acknowledged"] == 0, f"no mail to any reporter ({mails})")
    check(len(reasons) == reports and s["reporter_mails_withheld"] == reports and old + machine == reports and old > machine,
          f"every report withheld: too old or automatic ({old} + {machine} of {reports}; summary {s['reporter_mails_withheld']})")
    c.close()


@case
def forged_sender_flood(args):
    """1,000 forged reports naming one victim address: at most 20 mails to it in a day."""
    c = Case(args, "forged_sender_flood", free_port())
    victim = "victim@target.example"
    mails = [report_mail(i, victim, NOW - timedelta(minutes=30)) for i in range(1000)]
    c.ingest(mails)
    c.k("worker", "--once")
    to_victim = c.sql("SELECT COUNT(*) FROM notices WHERE audience='reporter' AND recipients LIKE ?", f"%{victim}%")[0][0]
    limited = c.sql("SELECT COUNT(*) FROM events WHERE action='report.reporter_mail_withheld' AND detail LIKE '%rate limit%'")[0][0]
    check(to_victim == 20, f"20 acknowledgements to the victim, the limit ({to_victim})")
    check(limited == 980, f"the other 980 withheld by the rate limit ({limited})")
    # The next day (a new window), still capped.
    c.k("worker", "--once", now=NOW + timedelta(days=1))
    again = c.sql("SELECT COUNT(*) FROM notices WHERE audience='reporter'")[0][0]
    check(again == 20, f"withheld reports are not mailed later ({again})")
    c.close()


@case
def automatic_senders_get_nothing(args):
    """Auto-Submitted, bulk and list mail, bounces and X-ARF senders get no acknowledgement; a person does."""
    c = Case(args, "automatic_senders_get_nothing", free_port())
    t = NOW - timedelta(hours=2)
    mails = [
        report_mail(1, "robot@a.example", t, "Auto-Submitted: auto-generated\n"),
        report_mail(2, "news@b.example", t, "Precedence: bulk\n"),
        report_mail(3, "list@c.example", t, "List-Id: <abuse.lists.c.example>\n"),
        report_mail(4, "x@d.example", t, "Return-Path: <>\n"),
        report_mail(5, "mailer-daemon@e.example", t),
        report_mail(6, "arf@f.example", t, "X-ARF: yes\n"),
        report_mail(7, "person@g.example", t),
    ]
    c.ingest(mails)
    c.k("worker", "--once")
    to = [r[0] for r in c.sql("SELECT recipients FROM notices WHERE audience='reporter'")]
    check(len(to) == 1 and "person@g.example" in to[0], f"only the person is acknowledged ({to})")
    why = sorted(r[0] for r in c.sql("SELECT json_extract(detail, '$.reason') FROM events "
                                    "WHERE action='report.reporter_mail_withheld'"))
    check(len(why) == 6 and all(w.startswith("automatic message") for w in why), f"six withheld as automatic: {why}")
    c.close()


@case
def approve_all_with_nothing_planned(args):
    """`notify approve --all` with nothing to approve: exit 0 and says so (a cron job must not fail)."""
    c = Case(args, "approve_all_with_nothing_planned", free_port())
    c.ingest([report_mail(1, "robot@a.example", NOW, "Auto-Submitted: auto-generated\n")])  # a database
    r = c.k("notify", "approve", "--all", json_out=False, check_rc=False)
    check(r.returncode == 0 and "nothing to approve" in r.stdout,
          f"exit {r.returncode}, said {r.stdout.strip()!r} {r.stderr.strip()!r}")
    r = c.k("notify", "approve", "--all", check_rc=False)
    check(r.returncode == 0 and json.loads(r.stdout) == [], f"--json: exit {r.returncode}, {r.stdout.strip()!r}")
    r = c.k("notify", "approve", json_out=False, check_rc=False)
    check(r.returncode == 1, f"no notice named and no --all is still a mistake (exit {r.returncode})")
    c.close()


class RecordingHttp:
    """A loopback web server that answers 200 to everything and records each request's Host."""

    def __init__(self):
        import http.server

        hosts = self.hosts = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hosts.append(self.headers.get("Host", ""))
                body = b"<html><title>demo</title>a demo page</html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class RecordingDns:
    """A UDP socket on 127.0.0.1 that counts every datagram (a DNS query) and never answers."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.queries = 0
        self.stop = False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while not self.stop:
            try:
                self.sock.recvfrom(4096)
                self.queries += 1
            except OSError:
                pass

    def close(self):
        self.stop = True


@case
def demo_refuses_an_outside_relay(args):
    """A demo database with a relay that is not on this machine: the worker refuses, with the reason, and nothing is tried."""
    c = Case(args, "demo_refuses_an_outside_relay", free_port())
    c.config.write_text(c.config.read_text().replace('url = "smtp://127.0.0.1', 'url = "smtp://mail.example.com:25#'))
    c.ingest(thousand_reporters(3))
    c.k("demo", "enable", json_out=False)
    r = c.k("worker", "--once", json_out=False, check_rc=False)
    check(r.returncode == 1 and "demo database" in r.stderr and "mail.example.com" in r.stderr,
          f"exit {r.returncode}: {r.stderr.strip()[:200]!r}")
    n, tries = attempted(c)
    check(tries == 0, f"no mail tried ({tries})")
    c.close()


@case
def demo_touches_nothing_outside(args):
    """A demo database: every site is fetched from the loopback test server (Host kept), no DNS query is made, mail goes to the sink."""
    web, dns = RecordingHttp(), RecordingDns()
    port = free_port()
    c = Case(args, "demo_touches_nothing_outside", port)
    c.config.write_text(c.config.read_text().replace("[checker]\nenabled = false\n", "")
                        + f'[checker]\ndns_servers = "127.0.0.1:{dns.port}"\n'
                        + f'[resolver]\nenabled = true\nservers = "127.0.0.1:{dns.port}"\n'
                        + f'[demo]\nweb_server = "127.0.0.1:{web.port}"\n')
    t = NOW - timedelta(hours=1)
    mail = (f"From: soc@bank.example.jp\nTo: abuse@csirt.example.jp\nSubject: phishing\nDate: {rfc2822(t)}\n"
            "Message-ID: <demo1@bank.example.jp>\n\n"
            "Fake login pages: http://login-smbc.example.com/signin.php and http://203.0.113.77/smbc/\n")
    c.k("demo", "enable", json_out=False)  # before anything goes in: ingest is confined too
    c.ingest([mail])
    try:
        spool = c.start_sink(port)
        r = c.k("worker", "--once", json_out=False)
        check(sorted(set(web.hosts)) == ["203.0.113.77", "login-smbc.example.com"],
              f"both sites fetched from the test server, by their own Host ({sorted(set(web.hosts))})")
        check(dns.queries == 0, f"no DNS query ({dns.queries})")
        check("demo database: mail goes only to smtp://127.0.0.1" in r.stderr, f"the worker says where mail goes: {r.stderr.strip()[:200]!r}")
        wh = c.k("whois", "login-smbc.example.com", json_out=False, check_rc=False)
        check(wh.returncode == 1 and "demo database" in wh.stderr and dns.queries == 0,
              f"whois of a host name refused without a query: {wh.stderr.strip()!r}")
        got = list(spool.glob("*.eml"))
        check(len(got) == 1, f"the acknowledgement went to the loopback sink ({len(got)}; {r.stdout.strip()[:300]!r})")
    finally:
        web.close()
        dns.close()
        c.close()


@case
def starter_csirt_never_mailed_until_verified(args):
    """The shipped CSIRT list is not mailed until a handler verifies an entry (kizuna directory verify)."""
    c = Case(args, "starter_csirt_never_mailed_until_verified", free_port())
    delegated = c.w / "delegated.txt"
    delegated.write_text("apnic|JP|ipv4|203.0.112.0|4096|20000101|allocated\n")
    c.k("data", "load", "delegated", str(delegated), json_out=False)
    t = NOW - timedelta(hours=1)
    c.ingest([report_mail(5, "soc@bank.example.jp", t)])  # a site on 203.0.113.6: JP, no contact known
    c.k("enrich", "--all", json_out=False)
    plan = json.loads(c.k("notify", "plan").stdout)
    listed = json.loads(c.k("directory", "list").stdout)
    jp = [e for e in listed if e["country"] == "JP"]
    check(jp and jp[0]["name"] == "JPCERT/CC" and jp[0]["verified"] is False, f"the starter list's JPCERT/CC is not verified ({jp})")
    check(not any("jpcert" in ",".join(n["to"]) for n in plan), f"no notice to the starter list's JPCERT/CC ({[n['to'] for n in plan]})")
    why = c.sql("SELECT json_extract(route, '$.reason') FROM incidents")
    check(any("not verified" in (w[0] or "") for w in why), f"the route says why: {why}")
    c.k("directory", "verify", "JPCERT/CC", json_out=False)
    c.k("enrich", "--all", json_out=False)
    plan = json.loads(c.k("notify", "plan").stdout)
    check(any("info@jpcert.or.jp" in n["to"] for n in plan), f"verified: the notice goes to it ({[n['to'] for n in plan]})")
    bad = c.k("directory", "verify", "No Such CERT", json_out=False, check_rc=False)
    check(bad.returncode == 1, f"an unknown name is refused (exit {bad.returncode})")
    c.close()


@case
def disclose_reporter_named_only_with_consent(args):
    """A reporter who consented (the form's reporter.disclose) is named to the responder; one who did not never is."""
    for disclose in (True, False):
        c = Case(args, f"disclose_reporter_{str(disclose).lower()}", free_port())
        contacts = c.w / "contacts.toml"
        contacts.write_text('[[organisation]]\nname = "Example Hosting KK"\nkind = "hosting"\ncountry = "JP"\n'
                            'language = "en"\nnetblocks = ["203.0.113.0/24"]\nabuse = ["abuse@hosting.example.jp"]\n')
        c.k("data", "load", "contacts", str(contacts), json_out=False)
        form = c.w / "form.json"
        form.write_text(json.dumps({
            "purpose": "incident", "type": "phishing", "subject": "Fake bank login",
            "urls": ["http://203.0.113.9/bank/login.php"],
            "reporter": {"email": "taro@reporter.example.jp", "name": "Taro Yamada", "disclose": disclose},
            "submitted_at": (NOW - timedelta(hours=1)).isoformat()}))
        c.k("submit", str(form), json_out=False)
        c.k("enrich", "--all", json_out=False)
        plan = json.loads(c.k("notify", "plan").stdout)
        bodies = [c.k("notify", "show", str(n["id"])).stdout for n in plan]
        named = any("taro@reporter.example.jp" in b for b in bodies)
        check(len(plan) == 1 and named == disclose,
              f"disclose={disclose}: {len(plan)} notice(s), the reporter {'named' if named else 'not named'}")
        shown = json.loads(c.k("reports", "show", "1").stdout)
        check(shown.get("disclose_reporter") is disclose, f"reports show gives disclose_reporter = {shown.get('disclose_reporter')}")
        c.close()


@case
def tracking_tag_from_a_stranger(args):
    """A follow-up carrying only a report's tag files under it from the reporter, never from a stranger (a new report instead)."""
    c = Case(args, "tracking_tag_from_a_stranger", free_port())
    t = NOW - timedelta(hours=3)
    c.ingest([report_mail(1, "soc@bank.example.jp", t)])
    tag = "[Kizuna#1]"

    def follow_up(sender, n):
        return (f"From: {sender}\nTo: abuse@csirt.example.jp\nSubject: Re: {tag} phishing site\n"
                f"Date: {rfc2822(t + timedelta(hours=n))}\nMessage-ID: <f{n}@x.example>\n\n"
                f"One more page: http://198.51.100.{10 + n}/login.html\n")

    c.ingest([follow_up("mallory@evil.example", 1)])
    reports = c.sql("SELECT COUNT(*) FROM reports")[0][0]
    followups = c.sql("SELECT COUNT(*) FROM report_messages WHERE report = 1 AND role = 'followup'")[0][0]
    noted = c.sql("SELECT COUNT(*) FROM events WHERE action = 'report.tag_from_stranger' AND subject = 'report:1'")[0][0]
    check(reports == 2 and followups == 0, f"a stranger's mail with the tag opens a new report ({reports} reports, {followups} follow-ups on #1)")
    check(noted == 1, f"report #1 notes the stranger for a handler ({noted})")
    c.ingest([follow_up("soc@bank.example.jp", 2)])
    followups = c.sql("SELECT COUNT(*) FROM report_messages WHERE report = 1 AND role = 'followup'")[0][0]
    check(followups == 1, f"the reporter's own follow-up files under #1 ({followups})")
    c.close()


@case
def responders_scorecard_does_not_follow_the_clock(args):
    """`responders` without --to scores the same data the same, whenever it is run."""
    port = free_port()
    c = Case(args, "responders_scorecard_does_not_follow_the_clock", port)
    contacts = c.w / "contacts.toml"
    contacts.write_text('[[organisation]]\nname = "Example Hosting KK"\nkind = "hosting"\ncountry = "JP"\n'
                        'language = "ja"\nnetblocks = ["203.0.113.0/24"]\nabuse = ["abuse@hosting.example.jp"]\n')
    c.k("data", "load", "contacts", str(contacts), json_out=False)
    c.ingest([report_mail(3, "soc@bank.example.jp", NOW - timedelta(hours=2))])
    c.k("enrich", "--all", json_out=False)
    c.k("notify", "plan", json_out=False)
    c.k("notify", "approve", "--all", json_out=False)
    c.start_sink(port)
    c.k("worker", "--once", json_out=False)
    scores = [json.loads(c.k("responders", now=NOW + timedelta(days=d)).stdout) for d in (1, 400)]
    check(scores[0] and scores[0][0]["notifications"] == 1, f"the responder was notified once ({scores[0]})")
    check(scores[0] == scores[1], f"the same scores a day and 400 days later ({scores[0]} / {scores[1]})")
    c.close()


@case
def checker_says_when_dns_is_the_problem(args):
    """A DNS server that refuses: the check's reason says the DNS server refused, not a bare 'timeout' (newcomer #7)."""
    c = Case(args, "checker_says_when_dns_is_the_problem", free_port())
    closed = free_port()  # nothing listens here: the DNS query is refused
    c.config.write_text(c.config.read_text().replace("[checker]\nenabled = false\n",
                                                     f'[checker]\ndns_servers = "127.0.0.1:{closed}"\n'))
    t = NOW - timedelta(hours=1)
    mail = (f"From: soc@bank.example.jp\nTo: abuse@csirt.example.jp\nSubject: phishing\nDate: {rfc2822(t)}\n"
            "Message-ID: <dns1@bank.example.jp>\n\nFake login page: http://login-bank.example.com/signin.php\n")
    c.ingest([mail])
    c.k("worker", "--once", json_out=False)
    checks = json.loads(c.k("checks", "--site", "1").stdout)
    check(len(checks) == 1 and checks[0]["verdict"] == "unknown" and "DNS server" in checks[0]["reason"]
          and "timeout" not in checks[0]["reason"], f"the reason names DNS: {checks}")
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--case", action="append", default=[])
    args = ap.parse_args()
    args.kizuna = os.path.abspath(args.kizuna)
    chosen = [f for f in CASES if not args.case or f.__name__ in args.case]
    for f in chosen:
        print(f"--- {f.__name__}: {f.__doc__}", flush=True)
        t0 = time.monotonic()
        try:
            f(args)
        except Exception as e:  # a failed command or a bug here: the case fails
            check(False, f"{f.__name__}: {type(e).__name__}: {e}")
        print(f"    ({time.monotonic() - t0:.1f} s)", flush=True)
    print(f"unattended: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
