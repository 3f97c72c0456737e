#!/usr/bin/python3
"""The six coordination cases of domain.md (section 1, "Coordinating a takedown") played end to end.

    coord_e2e.py --kizuna PATH --workdir DIR --case NAME

Each case starts its own real servers on 127.0.0.1 and tears them down:
  * an SMTP server (python3-aiosmtpd, tests/integration/coord_servers.py) that spools every mail;
  * an HTTP server whose pages the case turns 200 -> 404 -> 200 through a control file;
  * dnsmasq answering for *.example.test (names can be made to vanish);
  * GnuPG homes made for the run: the centre's (its signing key, the responders' public keys) and
    each responder's (to decrypt and verify what they received, as they would).
Only the clock is faked: every kizuna command runs with --now, moved by minutes, hours and days.

A case asserts the exact sequence of states of its sites, and the mails the SMTP server received:
recipient, tracking tag, language, signature verified and content decrypted by real gpg.
"""

import argparse
import email
import email.policy
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = "/usr/bin/python3"
SERVERS = HERE / "coord_servers.py"
JST = timezone(timedelta(hours=9))

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok     {name}")
    else:
        failed += 1
        print(f"FAILED {name}" + (f"\n       {detail}" if detail else ""))
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds=10.0, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


class Gpg:
    """One GnuPG home; keys without passphrase, made fresh for the run."""

    def __init__(self, root, name):
        # Short paths: gpg-agent's socket path must fit in sun_path.
        self.home = tempfile.mkdtemp(prefix=f"kzg{name[:3]}", dir="/tmp")
        os.chmod(self.home, 0o700)

    def run(self, *args, input=None, check=True):
        env = dict(os.environ, GNUPGHOME=self.home)
        r = subprocess.run(["gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", *args],
                           input=input, capture_output=True, env=env, timeout=60)
        if check and r.returncode != 0:
            raise RuntimeError(f"gpg {' '.join(args)}: {r.stderr.decode(errors='replace')}")
        return r

    def make_key(self, uid):
        self.run("--quick-gen-key", uid, "future-default", "default", "never")
        out = self.run("--with-colons", "--list-secret-keys", uid).stdout.decode()
        return next(l.split(":")[9] for l in out.splitlines() if l.startswith("fpr:"))

    def export(self, uid):
        return self.run("--armor", "--export", uid).stdout

    def import_key(self, armored):
        self.run("--import", input=armored)

    def close(self):
        subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=self.home), capture_output=True)
        shutil.rmtree(self.home, ignore_errors=True)


class Centre:
    """A centre with its servers, configuration, database and clock."""

    def __init__(self, kizuna, workdir, *, auto_approve=(), smtp_extra=(), start_smtp=True, allow_loopback=True,
                 tls_auth=False, db=None):
        self.kizuna = kizuna
        self.w = Path(workdir)
        shutil.rmtree(self.w, ignore_errors=True)
        self.w.mkdir(parents=True)
        self.procs = []
        self.gpgs = []
        self.now = datetime(2008, 4, 15, 10, 0, tzinfo=JST)
        self.spool = self.w / "spool"
        self.spool.mkdir()
        # GnuPG: the centre signs; Sakura's key is known (notices to it are encrypted).
        self.centre_gpg = Gpg(self.w, "centre")
        self.gpgs.append(self.centre_gpg)
        self.centre_fpr = self.centre_gpg.make_key("Kizuna Test Centre <centre@kizuna.test>")
        self.sakura_gpg = Gpg(self.w, "sakura")
        self.gpgs.append(self.sakura_gpg)
        self.sakura_gpg.make_key("Sakura Abuse <abuse@sakura.example.jp>")
        self.centre_gpg.import_key(self.sakura_gpg.export("abuse@sakura.example.jp"))
        self.sakura_gpg.import_key(self.centre_gpg.export("centre@kizuna.test"))
        # Everyone else verifies with the centre's public key only.
        self.world_gpg = Gpg(self.w, "world")
        self.gpgs.append(self.world_gpg)
        self.world_gpg.import_key(self.centre_gpg.export("centre@kizuna.test"))
        # DNS: *.example.test on 127.0.0.1 (only the names listed; others NXDOMAIN).
        self.dns_port = free_port()
        self.hosts = self.w / "hosts"
        self.names = set()
        self.hosts.write_text("")
        dnsmasq = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
        self.dnsmasq = self.spawn([dnsmasq, "--keep-in-foreground", "--no-resolv", "--no-hosts",
                                   "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={self.dns_port}",
                                   f"--addn-hosts={self.hosts}", "--local=/example.test/", "--user=root",
                                   "--pid-file", f"--log-facility={self.w / 'dnsmasq.log'}"])
        wait_for(lambda: f":{self.dns_port:04X} " in Path("/proc/net/udp").read_text(), what="dnsmasq")
        # HTTP with pages under the case's control.
        self.http_control = self.w / "http.json"
        self.pages = {}
        self.write_pages()
        ready = self.w / "http.ready"
        self.spawn([PY, str(SERVERS), "http", "--port", "0", "--control", str(self.http_control), "--ready", str(ready),
                    "--lifetime", "900"])
        wait_for(ready.exists, what="HTTP server")
        self.http_port = int(ready.read_text())
        # SMTP (with tls_auth: STARTTLS required and AUTH, as a real relay would want).
        self.smtp_port = free_port()
        self.smtp_extra = list(smtp_extra)
        smtp_security = 'starttls = "off"'
        if tls_auth:
            subprocess.run([PY, str(SERVERS), "gencert", "--dir", str(self.w / "tls")], check=True, capture_output=True)
            self.smtp_extra += ["--tls-cert", str(self.w / "tls" / "cert.pem"), "--tls-key", str(self.w / "tls" / "key.pem"),
                                "--auth", "kizuna:s3cret"]
            smtp_security = (f'starttls = "required"\nusername = "kizuna"\npassword = "s3cret"\n'
                             f'ca_file = "{self.w / "tls" / "cert.pem"}"')
        self.smtp = None
        if start_smtp:
            self.start_smtp()
        # Network data: who administers what.
        contacts = self.w / "contacts.toml"
        contacts.write_text(
            '[[organisation]]\nname = "Sakura Hosting"\nkind = "hosting"\ncountry = "JP"\nlanguage = "ja"\n'
            'netblocks = ["203.0.113.0/25"]\nabuse = ["abuse@sakura.example.jp"]\n\n'
            '[[organisation]]\nname = "Hosting Alpha GmbH"\nkind = "hosting"\ncountry = "DE"\nlanguage = "en"\n'
            'netblocks = ["198.51.100.0/26"]\nabuse = ["abuse@alpha.example.de"]\nformat = "xarf"\n\n'
            '[[organisation]]\nname = "Beta Networks"\nkind = "isp"\ncountry = "US"\nlanguage = "en"\n'
            'netblocks = ["198.51.100.64/26"]\nabuse = ["abuse@beta.example.com"]\n\n'
            '[[organisation]]\nname = "Gamma Telecom"\nkind = "isp"\ncountry = "BR"\nlanguage = "en"\n'
            'netblocks = ["198.51.100.128/26"]\nabuse = ["abuse@gamma.example.br"]\n\n'
            '[[organisation]]\nname = "Delta Cloud"\nkind = "hosting"\ncountry = "KR"\nlanguage = "en"\n'
            'netblocks = ["198.51.100.192/26"]\nabuse = ["abuse@delta.example.kr"]\n')
        csirts = self.w / "csirts.toml"
        csirts.write_text('[[csirt]]\ncountry = "DE"\nname = "CERT-Test-DE"\nemail = "cert@cert.example.de"\n\n'
                          '[[csirt]]\ncountry = "JP"\nname = "JPCERT-Test"\nemail = "info@jpcert.example.jp"\n')
        allowed = '["127.0.0.1/32"]' if allow_loopback else "[]"
        approve = ", ".join(f'"{t}"' for t in auto_approve)
        self.config = self.w / "kizuna.toml"
        self.config.write_text(f"""[store]
work_dir = "{self.w / 'var'}"
[centre]
name = "Kizuna Test CSIRT"
home_country = "JP"
[gnupg]
home = "{self.centre_gpg.home}"
[notify]
from = "centre@kizuna.test"
signing_key = "{self.centre_fpr}"
auto_approve = [{approve}]
[smtp]
url = "smtp://localhost:{self.smtp_port}"
{smtp_security}
connect_timeout_ms = 2000
timeout_ms = 10000
[checker]
dns_servers = "127.0.0.1:{self.dns_port}"
allowed_networks = {allowed}
connect_timeout_ms = 1000
timeout_ms = 3000
[server]
public_url = "https://csirt.example.jp/"
[coordination]
check_interval_seconds = 3600
confirm_interval_seconds = 600
""")
        self.db = db or (self.w / "k.db")
        self.k("data", "load", "contacts", str(contacts), json_out=False)
        self.k("data", "load", "csirts", str(csirts), json_out=False)

    # --- servers ---------------------------------------------------------------------------
    def spawn(self, argv):
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(self.w / f"proc{len(self.procs)}.err", "wb"))
        self.procs.append(p)
        return p

    def start_smtp(self):
        ready = self.w / f"smtp{len(self.procs)}.ready"
        self.smtp = self.spawn([PY, str(SERVERS), "smtp", "--port", str(self.smtp_port), "--spool", str(self.spool),
                                "--ready", str(ready), "--lifetime", "900", *self.smtp_extra])
        wait_for(ready.exists, what="SMTP server")

    def stop_smtp(self):
        if self.smtp:
            self.smtp.terminate()
            self.smtp.wait(timeout=10)
            self.smtp = None

    def name(self, host, present=True):
        """Makes `host` resolve to 127.0.0.1 (or vanish) through dnsmasq."""
        if present:
            self.names.add(host)
        else:
            self.names.discard(host)
        self.hosts.write_text("".join(f"127.0.0.1 {n}\n" for n in sorted(self.names)))
        self.dnsmasq.send_signal(signal.SIGHUP)  # dnsmasq rereads --addn-hosts
        time.sleep(0.2)

    def page(self, path, status=200, body=None, host=None):
        self.pages[(host, path)] = {"status": status, "body": body if body is not None else "Not Found"}
        self.write_pages()

    def write_pages(self):
        control = {"paths": {}, "default": {"status": 404, "body": "Not Found"}, "by_host": {}}
        for (host, path), spec in self.pages.items():
            if host:
                control["by_host"].setdefault(host, {"paths": {}, "default": {"status": 404, "body": "Not Found"}})
                control["by_host"][host]["paths"][path] = spec
            else:
                control["paths"][path] = spec
        tmp = self.http_control.with_suffix(".tmp")
        tmp.write_text(json.dumps(control))
        os.replace(tmp, self.http_control)

    def url(self, host, path):
        return f"http://{host}:{self.http_port}{path}"

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        for g in self.gpgs:
            g.close()

    # --- kizuna ----------------------------------------------------------------------------
    def at(self, **delta):
        self.now += timedelta(**delta)
        return self.now

    def k(self, *args, json_out=True, expect=0, env=None):
        argv = [self.kizuna, "--config", str(self.config), "--db", str(self.db), "--now", self.now.isoformat(), *args]
        if json_out:
            argv.insert(1, "--json")
        r = subprocess.run(argv, capture_output=True, timeout=120, env=dict(os.environ, **(env or {})))
        if expect is not None and r.returncode != expect:
            raise RuntimeError(f"kizuna {' '.join(args)} exited {r.returncode}: {r.stderr.decode(errors='replace')}")
        out = r.stdout.decode()
        if json_out and out.strip() and r.returncode == 0:
            return json.loads(out)
        return out if r.returncode == 0 else r

    def ingest(self, raw, name):
        path = self.w / f"{name}.eml"
        path.write_bytes(raw.encode() if isinstance(raw, str) else raw)
        return self.k("ingest", str(path))

    def worker(self, env=None, expect=0):
        return self.k("worker", "--once", env=env, expect=expect)

    def report(self, rid):
        return self.k("reports", "show", str(rid))

    def sites(self, rid):
        return self.k("sites", "--report", str(rid))

    def states(self, rid):
        """The states each site of the report went through, from the event log."""
        out = {}
        for e in self.report(rid)["events"]:
            if e["subject"].startswith("site:") and e["action"].startswith("site.") and "to" in (e["detail"] or {}):
                sid = int(e["subject"][5:])
                out.setdefault(sid, ["new"]).append(e["detail"]["to"])
        return out

    def stats(self, frm="2008-04-01", to="2008-06-30"):
        return self.k("stats", "--from", frm, "--to", to)

    # --- what the SMTP server received ------------------------------------------------------
    def mails(self):
        out = []
        for meta_path in sorted(self.spool.glob("*.json")):
            raw = meta_path.with_suffix(".eml").read_bytes()
            out.append(Mail(json.loads(meta_path.read_text()), raw, self))
        return out


class Mail:
    def __init__(self, meta, raw, centre):
        self.meta = meta
        self.raw = raw
        self.rcpt = meta["rcpt_tos"]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.msg = msg
        self.subject = str(msg["Subject"])
        self.message_id = str(msg["Message-ID"]).strip("<>")
        self.language = str(msg["Content-Language"] or "")
        m = re.search(r"\[Kizuna#(N?\d+)\]", self.subject)
        self.tag = m.group(0) if m else ""
        self.encrypted = msg.get_content_type() == "multipart/encrypted"
        self.signed = msg.get_content_type() == "multipart/signed"
        self.signature_ok = False
        self.text = ""
        self.attachments = []
        self.centre = centre
        if self.encrypted:
            self._decrypt()
        elif self.signed:
            self._verify()
        else:
            self._read(msg)

    def _read(self, part):
        for p in part.walk():
            if p.get_content_type() == "text/plain" and not p.get_filename():
                self.text += p.get_content()
            elif p.get_filename():
                content = p.get_content()
                self.attachments.append((p.get_filename(), content.decode() if isinstance(content, bytes) else content))

    def _verify(self):
        # The signed part is verified on the bytes exactly as sent (RFC 3156: canonical CRLF).
        boundary = self.msg.get_boundary().encode()
        body = self.raw.split(b"\r\n\r\n", 1)[1]
        pieces = body.split(b"--" + boundary)
        signed_part = pieces[1][2:-2]  # without the CRLF after the boundary and before the next
        sig = email.message_from_bytes(pieces[2][2:], policy=email.policy.default).get_content()
        d = Path(tempfile.mkdtemp(dir="/tmp"))
        (d / "data").write_bytes(signed_part)
        (d / "sig").write_text(sig if isinstance(sig, str) else sig.decode())
        r = self.centre.world_gpg.run("--status-fd", "1", "--verify", str(d / "sig"), str(d / "data"), check=False)
        self.signature_ok = b"[GNUPG:] GOODSIG" in r.stdout and self.centre.centre_fpr.encode() in r.stdout
        shutil.rmtree(d, ignore_errors=True)
        self._read(email.message_from_bytes(signed_part, policy=email.policy.default))

    def _decrypt(self):
        parts = list(self.msg.iter_parts())
        armored = parts[1].get_content()
        armored = armored.encode() if isinstance(armored, str) else armored
        r = self.centre.sakura_gpg.run("--status-fd", "2", "--decrypt", input=armored, check=False)
        status = r.stderr
        self.decrypted = b"DECRYPTION_OKAY" in status
        self.signature_ok = b"GOODSIG" in status and self.centre.centre_fpr.encode() in status
        if self.decrypted:
            self._read(email.message_from_bytes(r.stdout.replace(b"\r\n", b"\n"), policy=email.policy.default))


# --- the cases -----------------------------------------------------------------------------

def report_mail(subject, body, sender="Alice Tanaka <alice@bank.example.co.jp>", msgid="r1@bank.example.co.jp",
                date="Tue, 15 Apr 2008 10:00:00 +0900", extra_headers=""):
    return (f"From: {sender}\nTo: info@kizuna.test\nSubject: {subject}\nDate: {date}\nMessage-ID: <{msgid}>\n"
            f"{extra_headers}MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n{body}")


def reply_mail(notice, body, sender="abuse@sakura.example.jp", date="Tue, 15 Apr 2008 13:00:00 +0900"):
    return (f"From: {sender}\nTo: centre@kizuna.test\nSubject: Re: {notice.subject}\nDate: {date}\n"
            f"Message-ID: <reply-{notice.message_id}>\nIn-Reply-To: <{notice.message_id}>\nReferences: <{notice.message_id}>\n"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n{body}")


PHISH_PAGE = ("<html><head><title>Example Bank ログイン</title></head><body><h1>Example Bank オンラインバンキング</h1>"
              "<form>お客様のIDとパスワードを入力してください。本人確認が必要です。Please enter your ID and password "
              "to verify your account today.</form></body></html>")


def phishing_report(c, host, ip, msgid="r1@bank.example.co.jp", sender="Alice Tanaka <alice@bank.example.co.jp>",
                    date="Tue, 15 Apr 2008 10:00:00 +0900"):
    return report_mail("フィッシングサイトの報告",
                       f"お世話になっております。当行を装ったフィッシングサイトを確認しました。\n"
                       f"URL: {c.url(host, '/login.html')}\nIP アドレス: {ip}\n対応をお願いいたします。\n",
                       sender=sender, msgid=msgid, date=date)


def mails_to(c, address, kind=None):
    return [m for m in c.mails() if address in m.rcpt and (kind is None or kind in m.subject or kind == m.tag[:9])]


def case1_typical(c):
    """Report -> notice to the address administrator the same day -> "closed" -> 404 verified -> reporter told."""
    host = "bank-login.example.test"
    c.name(host)
    c.page("/login.html", 200, PHISH_PAGE)
    r = c.ingest(phishing_report(c, host, "203.0.113.10"), "report")
    check("the report is stored as a new report", r["new"] == 1 and r["reports_created"] == 1, r)
    c.at(minutes=5)
    w = c.worker()
    check("first round: the reporter is acknowledged, the site checked live, one notice planned (waiting for approval)",
          w["acknowledged"] == 1 and w["checked"] == 1 and w["planned"] == 1 and w["sent"] == 1, w)
    plan = c.k("notify", "plan")
    check("notify plan shows the notice to Sakura, in Japanese, and why",
          len(plan) == 1 and plan[0]["to"] == ["abuse@sakura.example.jp"] and plan[0]["language"] == "ja"
          and "Sakura Hosting" in plan[0]["reason"] and plan[0]["status"] == "planned", plan)
    c.k("notify", "approve", "--all", "--actor", "handler:sato")
    c.at(minutes=5)
    w = c.worker()
    check("the approved notice is sent by the worker", w["sent"] == 1, w)
    ack = mails_to(c, "alice@bank.example.co.jp")
    check("the reporter got an acknowledgement in Japanese with the tracking number [Kizuna#1], signed",
          len(ack) == 1 and ack[0].tag == "[Kizuna#1]" and ack[0].language == "ja" and ack[0].signature_ok
          and "受付番号" in ack[0].text, [(m.subject, m.signature_ok) for m in ack])
    check("... carrying the reporter's private status link ([server] public_url)",
          len(ack) == 1 and re.search(r"状況確認: https://csirt\.example\.jp/api/v1/status\?token=kzr_[0-9a-f]{64}\n",
                                      ack[0].text) is not None, ack[0].text if ack else None)
    notice = mails_to(c, "abuse@sakura.example.jp")
    check("Sakura got one notice: tracking tag, Japanese, encrypted to its key and signed by the centre",
          len(notice) == 1 and notice[0].tag.startswith("[Kizuna#N") and notice[0].language == "ja"
          and notice[0].encrypted and notice[0].decrypted and notice[0].signature_ok,
          [(m.subject, m.encrypted, getattr(m, "decrypted", None), m.signature_ok) for m in notice])
    n = notice[0]
    check("the notice names the URL, the address and the first-seen time in UTC and JST, not the reporter",
          c.url(host, "/login.html") in n.text and "203.0.113.10" in n.text and "(UTC)" in n.text and "+0900" in n.text
          and "alice" not in n.text.lower(), n.text)
    # A handler's own mail to the responder already notified (kizuna reports mail).
    written = c.k("reports", "mail", "1", "--to", "responders", "--subject", "追加のご確認のお願い",
                  "--text", "同じサーバ上の別のパスもご確認ください。\n", "--actor", "handler:sato")
    c.at(minutes=1)
    w = c.worker()
    own = [m for m in mails_to(c, "abuse@sakura.example.jp") if m.message_id != n.message_id]
    check("a handler's own mail goes to the responder notified, with a tag of its own, signed and encrypted",
          written["approved"] and w["sent"] == 1 and len(own) == 1
          and own[0].tag == f"[Kizuna#N{written['notice']}]" and "追加のご確認のお願い" in own[0].subject
          and "別のパス" in own[0].text and own[0].signature_ok and own[0].encrypted,
          [(m.subject, m.signature_ok, m.encrypted) for m in own])
    refused = c.k("reports", "mail", "1", "--to", "reporter", "--to", "abuse@sakura.example.jp", "--subject", "x",
                  "--text", "y", expect=1, json_out=False)
    check("the reporter is never written to in the same mail as a responder",
          "reporter" in refused.stderr.decode(errors="replace"), refused)
    # The administrator answers: the site is closed.
    c.at(hours=3)
    r = c.ingest(reply_mail(n, "お世話になっております。該当のコンテンツを削除しました。\n"), "reply")
    check("the reply joins the report as a reply, not a new report", r["reports_created"] == 0, r)
    detail = c.report(1)
    check("the report's timeline has the reply and a takedown proposal",
          any(e["action"] == "report.reply" for e in detail["events"])
          and any(e["action"] == "site.takedown_proposed" for e in detail["events"]), [e["action"] for e in detail["events"]])
    sid = c.sites(1)[0]["id"]
    c.k("site", str(sid), "takedown-reported", "--actor", "handler:sato", "--reason", "the administrator says removed")
    c.page("/login.html", 404)
    c.at(minutes=5)
    w = c.worker()
    check("first check after the takedown: down once, not yet verified", w["verified_down"] == 0, w)
    log = [json.loads(l) for l in Path(str(c.http_control) + ".log").read_text().splitlines()]
    gone = [e for e in log if e["path"] == "/login.html" and e["status"] == 404]
    check("a page that looks gone is fetched again as another visitor (user agent and language vary)",
          len({e["user_agent"] for e in gone}) == 2 and {e["accept_language"][:2] for e in gone} == {"ja", "en"},
          [(e["user_agent"][:30], e["accept_language"]) for e in gone])
    c.at(minutes=15)
    w = c.worker()
    check("second consecutive down check verifies the takedown and the reporter is told",
          w["verified_down"] == 1 and w["reporters_told"] == 1, w)
    states = c.states(1)[sid]
    check("states: new, notified, replied, takedown_reported, down_verified, closed",
          states == ["new", "notified", "replied", "takedown_reported", "down_verified", "closed"], states)
    check("the report is closed", c.report(1)["status"] == "closed")
    closure = [m for m in mails_to(c, "alice@bank.example.co.jp") if m.message_id != ack[0].message_id]
    check("the reporter got a closure mail in Japanese with the same tracking number",
          len(closure) == 1 and closure[0].tag == "[Kizuna#1]" and "停止" in closure[0].text, [m.subject for m in closure])
    f = c.stats()
    check("stats: 1 notification, 2 reporter mails, and the reply is not a reporter's message",
          f["notifications"] == 1 and f["reporter_mails"] == 2 and f["messages"] == 1, f)
    score = c.k("responders", "--from", "2008-04-01", "--to", "2008-06-30")
    check("scorecard: Sakura replied, one takedown within a day",
          len(score) == 1 and score[0]["org"] == "Sakura Hosting" and score[0]["reply_class"] == "yes"
          and score[0]["takedowns"] == 1 and 0 < score[0]["mean_hours"] < 24, score)


def case2_revival(c):
    """Closed, 404 verified, reachable again the next day -> notified again -> down again -> reporter told."""
    host = "bank-revive.example.test"
    c.name(host)
    c.page("/login.html", 200, PHISH_PAGE)
    c.ingest(phishing_report(c, host, "203.0.113.20"), "report")
    c.at(minutes=5)
    c.worker()  # ack, check, plan (auto-approved), send
    c.page("/login.html", 404)
    c.at(hours=1)
    c.worker()
    c.at(minutes=15)
    w = c.worker()
    check("verified down after two checks", w["verified_down"] == 1 and w["reporters_told"] == 1, w)
    sid = c.sites(1)[0]["id"]
    # The next day the page is back: the watch schedule's +1 h check passes, the +1 d one finds it.
    c.at(hours=1)
    w = c.worker()
    check("+1 h watch check: still down", w["revived"] == 0 and w["checked"] == 1, w)
    c.page("/login.html", 200, PHISH_PAGE.replace("today", "now"))
    c.at(hours=24)
    w = c.worker()
    check("+1 d watch check: served again -> revived and the same responder re-notified at once",
          w["revived"] == 1 and w["sent"] == 1, w)
    notices = mails_to(c, "abuse@sakura.example.jp")
    check("Sakura got two notices; the second says the site came back",
          len(notices) == 2 and "再び" in notices[1].text, [m.text[-400:] for m in notices[1:]])
    check("the report was reopened", any(e["action"] == "report.reopened" for e in c.report(1)["events"]))
    c.page("/login.html", 404)
    c.at(hours=2)
    c.worker()
    c.at(minutes=15)
    w = c.worker()
    check("down again, verified, and the reporter told again", w["verified_down"] == 1 and w["reporters_told"] == 1, w)
    states = c.states(1)[sid]
    check("states: new, notified, down_verified, closed, revived, notified, down_verified, closed",
          states == ["new", "notified", "down_verified", "closed", "revived", "notified", "down_verified", "closed"], states)
    f = c.stats()
    check("stats: 2 notifications (the re-notice counts), 3 reporter mails", f["notifications"] == 2 and f["reporter_mails"] == 3, f)
    score = c.k("responders")
    check("scorecard counts the revival", score[0]["revivals"] == 1, score)


def taken_down_once(c, host, ip):
    """A phishing site reported, notified (auto-approved), gone and verified down: report 1 closes."""
    c.name(host)
    c.page("/login.html", 200, PHISH_PAGE, host=host)
    c.ingest(phishing_report(c, host, ip), "report1")
    c.at(minutes=5)
    c.worker()
    c.page("/login.html", 404, host=host)
    c.at(hours=1)
    c.worker()
    c.at(minutes=15)
    c.worker()


def case3_same_ip_new_site(c):
    """Days after closure another reporter reports a different site on the same address: same administrator again."""
    taken_down_once(c, "shop-a.example.test", "203.0.113.30")
    check("the first report is closed", c.report(1)["status"] == "closed")
    c.at(days=3)
    c.name("shop-b.example.test")
    c.page("/login.html", 200, PHISH_PAGE, host="shop-b.example.test")
    r = c.ingest(phishing_report(c, "shop-b.example.test", "203.0.113.30", msgid="r2@card.example.com",
                                 sender="Bob <bob@card.example.com>", date="Fri, 18 Apr 2008 10:25:00 +0900"), "report2")
    check("a new report, linked to the first as the same host", r["reports_created"] == 1 and c.report(2).get("linked_report") == 1,
          c.report(2).get("linked_report"))
    c.at(minutes=5)
    w = c.worker()
    notices = mails_to(c, "abuse@sakura.example.jp")
    check("the same administrator is notified again, and the notice says the address was reported before",
          len(notices) == 2 and "以前にもご連絡" in notices[1].text and "report #1" in notices[1].text, notices[-1].text[-600:])
    states = c.states(2)
    check("the new site: new, notified", list(states.values())[0] == ["new", "notified"], states)


def case4_reinstalled(c):
    """Two months later a new phishing site on the same server."""
    taken_down_once(c, "old.example.test", "203.0.113.40")
    # The watch runs its course (+1 h .. +30 d), always down.
    for hours in (1, 24, 72, 168, 720):
        c.now = datetime(2008, 4, 15, 11, 20, tzinfo=JST) + timedelta(hours=hours, minutes=1)
        c.worker()
    sid = c.sites(1)[0]["id"]
    check("after the +30 d check the watch is over", c.sites(1)[0]["next_check_at"] is None, c.sites(1))
    c.now = datetime(2008, 6, 16, 9, 0, tzinfo=JST)
    c.name("new.example.test")
    c.page("/secure/index.html", 200, PHISH_PAGE, host="new.example.test")
    c.ingest(report_mail("Phishing again on 203.0.113.40",
                         f"Another phishing site: {c.url('new.example.test', '/secure/index.html')} on 203.0.113.40\n",
                         sender="CSIRT Desk <desk@csirt.example.com>", msgid="r3@csirt.example.com",
                         date="Mon, 16 Jun 2008 09:00:00 +0900"), "report2")
    c.at(minutes=5)
    c.worker()
    notices = mails_to(c, "abuse@sakura.example.jp")
    check("the administrator of the same server is notified again, saying so",
          len(notices) == 2 and "以前にもご連絡" in notices[1].text, [m.subject for m in notices])
    check("the first site stays closed", c.states(1)[sid][-1] == "closed", c.states(1))
    check("the reporter (English, .com) was acknowledged in English",
          any(m.language == "en" and m.tag == "[Kizuna#2]" for m in mails_to(c, "desk@csirt.example.com")))


def case5_campaign(c):
    """11 bank phishing sites at once (5 live, 6 down), administrators in four countries; 6 more the next day;
    re-checked over days until all are down; then the reporter is told."""
    nets = ["198.51.100.10", "198.51.100.70", "198.51.100.130", "198.51.100.200"]  # DE, US, BR, KR
    sites = []
    for i in range(17):
        host = f"bank{i:02d}.example.test"
        c.name(host)
        sites.append((host, nets[i % 4]))
    live_first = {0, 1, 2, 3, 4}
    for i in range(11):
        host, _ = sites[i]
        c.page("/login.html", 200 if i in live_first else 404, PHISH_PAGE, host=host)
    lines = "\n".join(f"{c.url(h, '/login.html')} ({ip})" for h, ip in sites[:11])
    c.ingest(report_mail("Phishing campaign against Example Bank: 11 sites",
                         f"Please take these phishing sites down:\n{lines}\n", sender="Soc <soc@bank.example.com>",
                         msgid="camp1@bank.example.com"), "campaign1")
    c.at(minutes=5)
    w = c.worker()
    live = [s for s in c.sites(1)]
    check("11 sites in one report", len(live) == 11, len(live))
    check("first check round: 11 checked", w["checked"] == 11, w)
    rounds = [e["detail"] for e in c.report(1)["events"] if e["action"] == "report.checked"]
    check("the campaign's round is recorded: 11 checked, 5 live, 6 down",
          rounds and rounds[0]["checked"] == 11 and rounds[0]["live"] == 5 and rounds[0]["down"] == 6, rounds)
    notices = [m for m in c.mails() if "Kizuna#N" in m.subject]
    check("only the 5 live sites are notified, one notice per administrator (4 countries)",
          len(notices) == 4 and sum(len(re.findall(r"URL: \S+/login\.html", m.text)) for m in notices) == 5,
          [(m.rcpt, re.findall(r"URL: \S+", m.text)) for m in notices])
    de = [m for m in notices if "abuse@alpha.example.de" in m.rcpt]
    check("the German host wants X-ARF: the notice carries X-ARF v4 JSON",
          len(de) == 1 and de[0].attachments and '"Version": "4"' in de[0].attachments[0][1], [a[0] for a in de[0].attachments] if de else None)
    c.at(minutes=15)
    w = c.worker()
    check("the 6 sites down at the first check are verified down at the second", w["verified_down"] == 6, w)
    # The next day: 6 more reported in a follow-up to the same thread; 3 of all 17 still live.
    c.at(days=1)
    for i in range(11, 17):
        c.page("/login.html", 200 if i in (11,) else 404, PHISH_PAGE, host=sites[i][0])
    for i in (1, 2, 3):
        c.page("/login.html", 404, host=sites[i][0])
    lines = "\n".join(f"{c.url(h, '/login.html')} ({ip})" for h, ip in sites[11:])
    c.ingest(report_mail("Re: Phishing campaign against Example Bank: 11 sites", f"6 more:\n{lines}\n",
                         sender="Soc <soc@bank.example.com>", msgid="camp2@bank.example.com",
                         date="Wed, 16 Apr 2008 10:00:00 +0900",
                         extra_headers="In-Reply-To: <camp1@bank.example.com>\n"), "campaign2")
    check("the follow-up adds its sites to the same report (17)", len(c.sites(1)) == 17, len(c.sites(1)))
    c.at(minutes=5)
    c.worker()
    c.at(minutes=15)
    c.worker()
    states = {s["url"]: s["state"] for s in c.sites(1)}
    live_now = [u for u, s in states.items() if s not in ("down_verified", "closed")]
    check("17 sites: 3 still live (0, 4, 11), 14 down", len(live_now) == 3, live_now)
    last = [e["detail"] for e in c.report(1)["events"] if e["action"] == "report.checked"][-1]
    check("the latest round says 17 sites, 14 verified down", last["sites"] == 17 and last["verified_down"] == 14, last)
    # Re-checked over days; one at a time they go.
    for i in (0, 4):
        c.page("/login.html", 404, host=sites[i][0])
    c.at(hours=1)
    c.worker()
    c.at(minutes=15)
    c.worker()
    states = {s["url"]: s["state"] for s in c.sites(1)}
    check("one site still live", sum(1 for s in states.values() if s not in ("down_verified", "closed")) == 1, states)
    told = [m for m in mails_to(c, "soc@bank.example.com") if "Kizuna#1]" in m.subject and m.tag == "[Kizuna#1]"]
    check("the reporter has not been told yet (one site is live)", len(told) == 1, [m.subject for m in told])
    c.page("/login.html", 404, host=sites[11][0])
    c.at(days=1)
    c.worker()
    c.at(minutes=15)
    w = c.worker()
    check("all 17 down: the report closes and the reporter is told", c.report(1)["status"] == "closed" and w["reporters_told"] == 1, w)


def case6_malware_abroad(c):
    """A malware site abroad: notify the administrator abroad (national CSIRT in copy), confirm the file removed."""
    c.name("files.example.test")
    c.page("/dl/invoice.exe", 200, "MZ" + "\x90" * 64 + "This program cannot be run in DOS mode. malware payload sample",
           host="files.example.test")
    c.ingest(report_mail("Malware distribution site",
                         f"A malware download site: {c.url('files.example.test', '/dl/invoice.exe')} hosted at 198.51.100.11\n"
                         "It serves a trojan dropper (malware).\n",
                         sender="Analyst <analyst@av.example.co.jp>", msgid="m1@av.example.co.jp"), "malware")
    c.at(minutes=5)
    c.worker()
    notices = [m for m in c.mails() if "Kizuna#N" in m.subject]
    check("one notice, in English, to the German administrator with the national CSIRT in copy",
          len(notices) == 1 and "abuse@alpha.example.de" in notices[0].rcpt and "cert@cert.example.de" in notices[0].rcpt
          and notices[0].language == "en", [(m.rcpt, m.language) for m in notices])
    check("the malware template is used and the notice is signed (no key known: not encrypted)",
          "malware" in notices[0].text.lower() and notices[0].signed and notices[0].signature_ok and not notices[0].encrypted,
          notices[0].subject)
    # The CSIRT's address bounces (a delivery status notification comes back into intake).
    n = notices[0]
    dsn = (f"From: Mail Delivery System <MAILER-DAEMON@mx.example.de>\nTo: centre@kizuna.test\n"
           f"Subject: Undelivered Mail Returned to Sender\nDate: Tue, 15 Apr 2008 10:10:00 +0900\n"
           f"Message-ID: <dsn1@mx.example.de>\nMIME-Version: 1.0\n"
           f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
           f"--b1\nContent-Type: text/plain\n\nThis is the mail system. Your message could not be delivered.\n\n"
           f"--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.de\n\n"
           f"Final-Recipient: rfc822; cert@cert.example.de\nAction: failed\nStatus: 5.1.1\n"
           f"Diagnostic-Code: smtp; 550 5.1.1 <cert@cert.example.de>: Recipient address rejected\n\n"
           f"--b1\nContent-Type: message/rfc822-headers\n\nMessage-ID: <{n.message_id}>\nSubject: {n.subject}\n\n--b1--\n")
    r = c.ingest(dsn, "dsn")
    check("a bounce coming back is not a new report", r["reports_created"] == 0, r)
    shown = c.k("notify", "show", str([x for x in c.k("notify", "list") if x["message_id"] == n.message_id][0]["id"]))
    check("the notice is marked bounced and the bounce recorded against the failed address only",
          shown["status"] == "bounced" and shown["bounces"] == {"abuse@alpha.example.de": 0, "cert@cert.example.de": 1}
          and "550 5.1.1" in shown["last_error"], shown)
    c.page("/dl/invoice.exe", 410, "Gone", host="files.example.test")
    c.at(hours=5)
    c.worker()
    c.at(minutes=15)
    w = c.worker()
    check("the file is gone (410): verified down", w["verified_down"] == 1, w)
    sid = c.sites(1)[0]["id"]
    check("states: new, notified, down_verified, closed", c.states(1)[sid] == ["new", "notified", "down_verified", "closed"],
          c.states(1))


def simple_report(c, host="crash.example.test", ip="203.0.113.50"):
    c.name(host)
    c.page("/login.html", 200, PHISH_PAGE)
    c.ingest(phishing_report(c, host, ip), "report")
    c.at(minutes=5)


def crash_before_send(c):
    """The worker is SIGKILLed just before its first SMTP transaction: nothing is lost, nothing doubled."""
    simple_report(c)
    r = c.worker(env={"KIZUNA_CRASH_AT": "before-send"}, expect=None)
    check("the worker died at the injected point (SIGKILL)", r.returncode == -signal.SIGKILL, r.returncode)
    check("nothing reached the SMTP server", len(c.mails()) == 0)
    c.at(minutes=1)
    w = c.worker()
    mails = c.mails()
    ids = [m.message_id for m in mails]
    check("after the restart both mails (acknowledgement, notice) arrive once each", len(mails) == 2 and len(set(ids)) == 2,
          [(m.subject, m.message_id) for m in mails])
    check("every notice in the outbox is sent", all(n["status"] == "sent" for n in c.k("notify", "list")), c.k("notify", "list"))


def crash_after_accept(c):
    """Killed after the relay accepted a mail but before the commit: sent twice, with the same Message-ID."""
    simple_report(c)
    r = c.worker(env={"KIZUNA_CRASH_AT": "after-accept"}, expect=None)
    check("the worker died at the injected point (SIGKILL)", r.returncode == -signal.SIGKILL, r.returncode)
    first = c.mails()
    check("the relay had accepted one mail", len(first) == 1, len(first))
    c.at(minutes=1)
    c.worker()
    mails = c.mails()
    ids = [m.message_id for m in mails]
    check("after the restart: three deliveries, the first mail twice with the same Message-ID, none lost",
          len(mails) == 3 and ids.count(first[0].message_id) == 2 and len(set(ids)) == 2, ids)
    check("every notice in the outbox is sent", all(n["status"] == "sent" for n in c.k("notify", "list")))


def smtp_down(c):
    """The relay is down for a while: notices wait in the outbox, retried with backoff, and arrive later."""
    simple_report(c)
    w = c.worker()
    check("relay down: nothing sent, both mails set to retry", w["sent"] == 0 and w["retried"] == 2, w)
    outbox = c.k("notify", "list")
    check("the outbox keeps them approved with the error", all(n["status"] == "approved" and n["last_error"] for n in outbox), outbox)
    c.at(seconds=30)
    w = c.worker()
    check("before the backoff has passed nothing is tried", w["retried"] == 0 and w["sent"] == 0, w)
    c.start_smtp()
    c.at(minutes=2)
    w = c.worker()
    check("the relay is back: both mails are sent", w["sent"] == 2, w)
    check("the SMTP server has them", len(c.mails()) == 2)
    check("the attempts are counted", all(n["attempts"] == 2 for n in c.k("notify", "list")), c.k("notify", "list"))


def smtp_bounce(c):
    """The relay refuses the responder's address for good (550): the notice is bounced, recorded against the contact."""
    simple_report(c)
    w = c.worker()
    check("the acknowledgement is sent, the notice bounces", w["sent"] == 1 and w["bounced"] == 1, w)
    bounced = c.k("notify", "list", "--status", "bounced")
    check("the bounced notice keeps the SMTP error", len(bounced) == 1 and "550" in bounced[0]["last_error"], bounced)
    c.at(hours=1)
    w = c.worker()
    check("a bounced notice is not retried, nor its sites planned again", w["sent"] == 0 and w["bounced"] == 0 and w["planned"] == 0, w)
    # The handler fixes the contact data and dismisses the bounced notice: the site is planned again.
    c.k("notify", "cancel", str(bounced[0]["id"]), "--reason", "contact corrected")
    c.at(minutes=5)
    w = c.worker()
    check("after the handler dismissed the bounce, a new notice is planned (and bounces again here)",
          w["planned"] == 1 and w["bounced"] == 1, w)


def ssrf(c):
    """The checker never fetches private, loopback or link-local addresses unless configured."""
    c.name("inside.example.test")  # resolves to 127.0.0.1
    c.page("/x", 200, PHISH_PAGE)
    urls = [f"http://127.0.0.1:{c.http_port}/x", "http://169.254.169.254/latest/meta-data/",
            c.url("inside.example.test", "/x")]
    body = "Phishing:\n" + "\n".join(f"{u} (203.0.113.60)" for u in urls) + "\n"
    c.ingest(report_mail("Phishing sites", body, sender="Eve <eve@example.com>", msgid="s1@example.com"), "ssrf")
    c.at(minutes=5)
    c.worker()
    log = Path(str(c.http_control) + ".log")
    check("no request reached the local server", not log.exists() or log.read_text().strip() == "",
          log.read_text() if log.exists() else "")
    refused = [e for e in c.report(1)["events"] if e["action"] == "site.check_refused"]
    check("each refusal is recorded in the report's timeline", len(refused) == 3, [e["detail"] for e in refused])
    checks = [ch for s in c.sites(1) for ch in c.k("checks", "--site", str(s["id"]))]
    check("the checks say blocked, not down", checks and all(ch["verdict"] == "blocked" for ch in checks),
          [(ch["verdict"], ch["reason"]) for ch in checks])
    check("no site was counted down", all(s["down_streak"] == 0 for s in c.sites(1)))
    # A site the centre may reach (127.0.0.1 allowed) that redirects to the metadata address.
    text = c.config.read_text().replace("allowed_networks = []", 'allowed_networks = ["127.0.0.1/32"]')
    c.config.write_text(text)
    c.page("/redir", 302, "")
    c.pages[(None, "/redir")]["location"] = "http://169.254.169.254/latest/meta-data/iam/"
    c.write_pages()
    c.name("redirector.example.test")
    c.ingest(report_mail("Another one", f"Phishing: {c.url('redirector.example.test', '/redir')} (203.0.113.61)\n",
                         sender="Eve <eve@example.com>", msgid="s2@example.com"), "ssrf2")
    c.at(minutes=5)
    c.worker()
    site = [s for s in c.sites(2)][0]
    checks = c.k("checks", "--site", str(site["id"]))
    check("a redirect to 169.254.169.254 is refused at the hop and recorded",
          checks and checks[0]["verdict"] == "blocked" and "169.254.169.254" in checks[0]["reason"],
          [(ch["verdict"], ch["reason"]) for ch in checks])


def reminder_escalation(c):
    """No answer: a reminder after 3 business days, then the national CSIRT after 3 more (Golden Week counted)."""
    simple_report(c, host="silent.example.test", ip="203.0.113.70")
    c.worker()  # Tue 2008-04-15: notice sent
    c.now = datetime(2008, 4, 17, 11, 0, tzinfo=JST)  # Thu: 2 business days
    w = c.worker()
    check("after 2 business days no reminder yet", w["planned"] == 0, w)
    c.now = datetime(2008, 4, 18, 11, 0, tzinfo=JST)  # Fri: 3 business days
    w = c.worker()
    reminders = [m for m in mails_to(c, "abuse@sakura.example.jp") if "【再送】" in m.subject]
    check("after 3 business days the same responder gets a reminder, in Japanese, saying so",
          w["sent"] == 1 and len(reminders) == 1 and "再度ご連絡" in reminders[0].text,
          [m.subject for m in mails_to(c, "abuse@sakura.example.jp")])
    c.now = datetime(2008, 4, 22, 12, 0, tzinfo=JST)  # Tue: 2 business days after the reminder
    w = c.worker()
    check("2 business days after the reminder: no escalation yet", w["sent"] == 0, w)
    c.now = datetime(2008, 4, 23, 12, 0, tzinfo=JST)  # Wed: 3
    w = c.worker()
    esc = mails_to(c, "info@jpcert.example.jp")
    check("then the national CSIRT is asked for help, in English", w["sent"] == 1 and len(esc) == 1 and esc[0].language == "en"
          and "no response" in esc[0].text, [m.subject for m in c.mails()])
    sid = c.sites(1)[0]["id"]
    check("states: new, notified, reminded, escalated", c.states(1)[sid] == ["new", "notified", "reminded", "escalated"],
          c.states(1))
    check("reminder and escalation count as notifications", c.stats()["notifications"] == 3, c.stats())


def smtp_starttls_auth(c):
    """The relay requires STARTTLS and AUTH: mails go out encrypted in transit and authenticated."""
    simple_report(c, host="tls.example.test", ip="203.0.113.80")
    w = c.worker()
    metas = [m.meta for m in c.mails()]
    check("both mails accepted over TLS after AUTH", w["sent"] == 2 and len(metas) == 2
          and all(m["tls"] and m["auth_user"] == "kizuna" for m in metas), metas)


CASES = {
    "coord_case1_typical": (case1_typical, {}),
    "coord_case2_revival": (case2_revival, {"auto_approve": ["phishing"]}),
    "coord_case3_same_ip_new_site": (case3_same_ip_new_site, {"auto_approve": ["phishing"]}),
    "coord_case4_reinstalled": (case4_reinstalled, {"auto_approve": ["phishing"]}),
    "coord_case5_campaign": (case5_campaign, {"auto_approve": ["phishing"]}),
    "coord_case6_malware_abroad": (case6_malware_abroad, {"auto_approve": ["all"]}),
    "coord_crash_before_send": (crash_before_send, {"auto_approve": ["all"]}),
    "coord_crash_after_accept": (crash_after_accept, {"auto_approve": ["all"]}),
    "coord_smtp_down": (smtp_down, {"auto_approve": ["all"], "start_smtp": False}),
    "coord_smtp_bounce": (smtp_bounce, {"auto_approve": ["all"], "smtp_extra": ["--reject-rcpt", "abuse@sakura.example.jp"]}),
    "coord_ssrf": (ssrf, {"auto_approve": ["all"], "allow_loopback": False}),
    "coord_reminder_escalation": (reminder_escalation, {"auto_approve": ["all"]}),
    "coord_smtp_starttls_auth": (smtp_starttls_auth, {"auto_approve": ["all"], "tls_auth": True}),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kizuna", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--pg-cluster", help="run on PostgreSQL: the URL file of the run's cluster (pg_cluster.sh)")
    a = ap.parse_args()
    fn, opts = CASES[a.case]
    db = None
    if a.pg_cluster:
        import pgtest
        db = pgtest.fresh_database(a.pg_cluster, a.case)
    c = Centre(a.kizuna, Path(a.workdir) / (a.case + ("_pg" if db else "")), db=db, **opts)
    try:
        fn(c)
    except Exception as e:  # a crash of the script is a failure, with what happened
        check(f"{a.case} ran to the end", False, repr(e))
    finally:
        c.close()
    print(f"{a.case}: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
