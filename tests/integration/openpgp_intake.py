#!/usr/bin/python3
"""OpenPGP intake end to end: real gpg with a throw-away GNUPGHOME makes PGP/MIME signed,
PGP/MIME encrypted (and signed), inline clear-signed, unknown-key and undecryptable reports;
kizuna must verify, decrypt, triage and keep every one of them.

Usage: openpgp_intake.py KIZUNA WORKDIR"""
import json
import os
import shutil
import subprocess
import sys

KIZUNA, WORK = sys.argv[1], sys.argv[2]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
CENTRE_HOME = os.path.join(WORK, "centre-gnupg")
STRANGER_HOME = os.path.join(WORK, "stranger-gnupg")
failures = []


def gpg(home, *args, data=None):
    env = dict(os.environ, GNUPGHOME=home)
    r = subprocess.run(["gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", *args],
                       input=data, capture_output=True, env=env, timeout=120)
    if r.returncode != 0:
        sys.exit("gpg %s failed: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout


def check(name, ok, detail=""):
    print(("ok     " if ok else "FAILED ") + name + ("" if ok else ": " + detail))
    if not ok:
        failures.append(name)


for home in (CENTRE_HOME, STRANGER_HOME):
    os.makedirs(home, mode=0o700)
gpg(CENTRE_HOME, "--quick-gen-key", "Kizuna Centre <incident@centre.example.jp>", "default", "default", "never")
gpg(CENTRE_HOME, "--quick-gen-key", "Reporter SOC <soc@reporter.example.jp>", "default", "default", "never")
gpg(STRANGER_HOME, "--quick-gen-key", "Stranger <x@stranger.example.org>", "default", "default", "never")
# The stranger knows the centre's public key only through a key it cannot decrypt for us:
# an encryption to the stranger's own key stands for "encrypted to a key the centre lacks".

HEAD = ("Received: from mx.reporter.example.jp (mx.reporter.example.jp [203.0.113.200]) by mx.centre.example.jp;"
        " Tue, 15 Apr 2008 10:{minute:02d}:00 +0900\r\nFrom: soc@reporter.example.jp\r\nTo: incident@centre.example.jp\r\n"
        "Subject: {subject}\r\nMessage-ID: <{mid}@reporter.example.jp>\r\nDate: Tue, 15 Apr 2008 10:00:00 +0900\r\n"
        "MIME-Version: 1.0\r\n")


def body(ip, kind="ポートスキャン"):
    text = "当社のサーバ (192.0.2.10) に対して %s から%sがありました。\r\n" % (ip, kind)
    return ("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text).encode()


def signed(home, uid, ip, minute, mid):
    part = body(ip)
    sig = gpg(home, "--detach-sign", "--armor", "--digest-algo", "SHA256", "-u", uid, data=part)
    b = "SIGNED-BOUNDARY"
    msg = HEAD.format(minute=minute, subject="Port scan report (signed)", mid=mid).encode()
    msg += ('Content-Type: multipart/signed; boundary="%s"; protocol="application/pgp-signature"; micalg=pgp-sha256\r\n\r\n' % b).encode()
    msg += b"--" + b.encode() + b"\r\n" + part + b"\r\n--" + b.encode() + b"\r\n"
    msg += b"Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n" + sig + b"\r\n--" + b.encode() + b"--\r\n"
    return msg


def encrypted(home, recipient, ip, minute, mid, sign_uid=None):
    args = ["--encrypt", "--armor", "--trust-model", "always", "-r", recipient]
    if sign_uid:
        args += ["--sign", "-u", sign_uid]
    cipher = gpg(home, *args, data=body(ip))
    b = "ENC-BOUNDARY"
    msg = HEAD.format(minute=minute, subject="Report (encrypted)", mid=mid).encode()
    msg += ('Content-Type: multipart/encrypted; boundary="%s"; protocol="application/pgp-encrypted"\r\n\r\n' % b).encode()
    msg += ("--%s\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--%s\r\n"
            "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n" % (b, b)).encode()
    msg += cipher + ("\r\n--%s--\r\n" % b).encode()
    return msg


def clearsigned(home, uid, ip, minute, mid):
    text = ("Scan report: %s has been scanning our server 192.0.2.10 on port 22.\n" % ip).encode()
    signed_text = gpg(home, "--clearsign", "-u", uid, data=text)
    msg = HEAD.format(minute=minute, subject="Scan report (inline signed)", mid=mid).encode()
    msg += b"Content-Type: text/plain; charset=us-ascii\r\n\r\n" + signed_text
    return msg


mail = os.path.join(WORK, "mail")
os.makedirs(mail)
cases = {
    "1-signed.eml": signed(CENTRE_HOME, "soc@reporter.example.jp", "198.51.100.61", 1, "s1"),
    "2-encrypted.eml": encrypted(CENTRE_HOME, "incident@centre.example.jp", "198.51.100.62", 2, "e1", "soc@reporter.example.jp"),
    "3-inline.eml": clearsigned(CENTRE_HOME, "soc@reporter.example.jp", "198.51.100.63", 3, "i1"),
    "4-unknown-signer.eml": signed(STRANGER_HOME, "x@stranger.example.org", "198.51.100.64", 4, "u1"),
    "5-undecryptable.eml": encrypted(STRANGER_HOME, "x@stranger.example.org", "198.51.100.65", 5, "x1"),
}
for name, data in cases.items():
    with open(os.path.join(mail, name), "wb") as f:
        f.write(data)

config = os.path.join(WORK, "kizuna.toml")
with open(config, "w") as f:
    f.write('[gnupg]\nhome = "%s"\n' % CENTRE_HOME)
db = os.path.join(WORK, "k.db")
r = subprocess.run([KIZUNA, "ingest", mail, "--db", db, "--config", config, "--json"], capture_output=True, timeout=120)
check("ingest exits 0", r.returncode == 0, r.stderr.decode())
summary = json.loads(r.stdout or b"{}")
check("all five stored", summary.get("new") == 5, str(summary))
problems = {os.path.basename(p["source"]): p for p in summary.get("problems", [])}
check("undecryptable message flagged", "5-undecryptable.eml" in problems and "decrypt" in problems["5-undecryptable.eml"]["reason"],
      str(problems))

reports = json.loads(subprocess.run([KIZUNA, "reports", "list", "--db", db, "--json"], capture_output=True, timeout=60).stdout)
by_ip = {}
for rep in reports:
    show = json.loads(subprocess.run([KIZUNA, "reports", "show", str(rep["id"]), "--db", db, "--json"],
                                     capture_output=True, timeout=60).stdout)
    for inc in show["incident_list"]:
        by_ip[inc["ip"]] = show
expect = {"198.51.100.61": "valid", "198.51.100.62": "valid", "198.51.100.63": "valid", "198.51.100.64": "unknown-key"}
for ip, sig in expect.items():
    show = by_ip.get(ip)
    check("report for %s" % ip, show is not None, "reported addresses: %s" % sorted(by_ip))
    if show:
        got = show["message_list"][0]["signature"]
        check("signature of %s is %s" % (ip, sig), got == sig, got)
        victims = [i["ip"] for i in show["incident_list"]]
        check("own server of %s not an incident" % ip, "192.0.2.10" not in victims, str(victims))
check("undecryptable content never triaged", "198.51.100.65" not in by_ip)
stats = json.loads(subprocess.run([KIZUNA, "stats", "--from", "2008-04-01", "--to", "2008-04-30", "--db", db, "--json"],
                                  capture_output=True, timeout=60).stdout)
check("four incident messages, the undecryptable one counted nowhere",
      stats["messages"] == 4 and stats["non_incident"] == 0, str(stats))

subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=dict(os.environ, GNUPGHOME=CENTRE_HOME))
subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=dict(os.environ, GNUPGHOME=STRANGER_HOME))
print("openpgp: %d failed" % len(failures))
sys.exit(1 if failures else 0)
