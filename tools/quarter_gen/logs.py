"""Evidence: log lines in the four formats a handler sees (sshd, Apache, iptables, Windows
Firewall).
"""

from __future__ import annotations

import datetime as dt

from .choice import pick, wchoice
from .clock import apache_ts, syslog_ts


SSH_USERS = ["admin", "test", "guest", "oracle", "user", "postgres", "mysql", "webmaster", "info",
             "ftpuser", "tester", "student", "nagios", "backup", "sales", "staff", "office", "www",
             "alex", "michael", "toor", "administrator", "support", "ubuntu", "sshd", "apache"]
APACHE_PROBES = ["/w00tw00t.at.ISC.SANS.DFind:)", "/phpMyAdmin/scripts/setup.php",
                 "/phpmyadmin/main.php", "/pma/scripts/setup.php", "/mysql/main.php",
                 "/admin/index.php", "/cgi-bin/awstats.pl", "/user/soapCaller.bs", "/xmlrpc.php",
                 "/blog/xmlrpc.php", "/webmail/src/login.php", "/horde/README",
                 "/_vti_bin/owssvr.dll", "/MSOffice/cltreq.asp",
                 "/scripts/..%255c../winnt/system32/cmd.exe?/c+dir",
                 "/msadc/..%255c../..%255c../winnt/system32/cmd.exe?/c+dir", "/cgi-bin/php.cgi",
                 "/manager/html", "/zeroboard/bbs/zboard.php", "/tikiwiki/tiki-graph_formula.php",
                 "/mambo/index2.php", "/appserv/main.php", "/db/main.php", "/dbadmin/main.php",
                 "/web/phpMyAdmin/", "/sql/main.php", "/myadmin/scripts/setup.php",
                 "/cgi-bin/formmail.pl", "/cgi-bin/test-cgi", "/phpMyAdmin-2.5.5/index.php",
                 "/mysqladmin/main.php", "/scripts/setup.php", "/admin/phpmyadmin/main.php"]
APACHE_UAS = ["-", "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
              "Toata dragostea mea pentru diavola", "libwww-perl/5.805", "Mozilla/3.0 (compatible; Indy Library)",
              "Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US) Gecko/20080201 Firefox/2.0"]


def sshd_lines(rng, host, incs, t_end, success_user=None):
    rows = []
    for inc in incs:
        t = t_end - dt.timedelta(seconds=rng.randrange(900, 16 * 3600))
        pid = rng.randrange(1200, 31000)
        n = rng.randrange(4, 16)
        for k in range(n):
            t += dt.timedelta(seconds=rng.randrange(1, 7))
            pid += rng.randrange(1, 5)
            sp = rng.randrange(33000, 60999)
            u = pick(rng, SSH_USERS)
            kind = wchoice(rng, ["inv", "invpw", "root", "pam", "noid", "rev"], [25, 35, 20, 10, 5, 5])
            if kind == "inv":
                txt = f"Invalid user {u} from {inc.ip}"
            elif kind == "invpw":
                txt = f"Failed password for invalid user {u} from {inc.ip} port {sp} ssh2"
            elif kind == "root":
                txt = f"Failed password for root from {inc.ip} port {sp} ssh2"
            elif kind == "pam":
                txt = f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={inc.ip}  user=root"
            elif kind == "noid":
                txt = f"Did not receive identification string from {inc.ip}"
            else:
                if ":" in inc.ip:
                    txt = f"Failed password for invalid user {u} from {inc.ip} port {sp} ssh2"
                else:
                    rev = "-".join(reversed(inc.ip.split(".")))
                    txt = (f"reverse mapping checking getaddrinfo for {rev}.dyn.example-isp.net "
                           f"[{inc.ip}] failed - POSSIBLE BREAK-IN ATTEMPT!")
            rows.append((t, f"{syslog_ts(t)} {host} sshd[{pid}]: {txt}"))
        if success_user:
            t += dt.timedelta(seconds=rng.randrange(2, 30))
            pid += 3
            rows.append((t, f"{syslog_ts(t)} {host} sshd[{pid}]: Accepted password for {success_user} from {inc.ip} port {rng.randrange(33000, 60999)} ssh2"))
            rows.append((t, f"{syslog_ts(t)} {host} sshd[{pid}]: pam_unix(sshd:session): session opened for user {success_user} by (uid=0)"))
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


def apache_lines(rng, incs, t_end, paths=None, status=None):
    rows = []
    for inc in incs:
        t = t_end - dt.timedelta(seconds=rng.randrange(900, 16 * 3600))
        ua = pick(rng, APACHE_UAS)
        seq = paths or rng.sample(APACHE_PROBES, k=rng.randrange(3, 12))
        for p in seq:
            t += dt.timedelta(seconds=rng.randrange(0, 3))
            st = status or (400 if p.startswith("/w00t") else 404)
            size = rng.randrange(200, 320) if st != 200 else rng.randrange(1200, 9000)
            req = f"GET {p} HTTP/1.1" if not p.startswith("/w00t") else f"GET {p} HTTP/1.1"
            rows.append((t, f'{inc.ip} - - {apache_ts(t)} "{req}" {st} {size} "-" "{ua}"'))
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


def _mac(rng):
    return ":".join(f"{rng.randrange(256):02x}" for _ in range(14))


def iptables_lines(rng, host, incs, own_ips, t_end):
    prefix = pick(rng, ["", "IPTABLES-DROP: ", "INPUT DROP: ", "[UFW BLOCK] ", "FW-IN: "])
    mac = _mac(rng)
    ifc = pick(rng, ["eth0", "eth1", "ppp0"])
    rows = []
    uptime = rng.randrange(100000, 9000000)
    with_uptime = rng.random() < 0.35
    for inc in incs:
        t = t_end - dt.timedelta(seconds=rng.randrange(900, 16 * 3600))
        dst = pick(rng, own_ips)
        ttl = rng.choice([47, 48, 49, 50, 51, 110, 111, 112, 113, 114, 115, 116, 117, 118])
        for port in inc.ports:
            for _ in range(1 if len(inc.ports) >= 5 else rng.randrange(1, 5)):
                t += dt.timedelta(seconds=rng.randrange(0, 4))
                spt = rng.randrange(1025, 65000)
                ln = (f"{syslog_ts(t)} {host} kernel: [{uptime + int((t - t_end).total_seconds()) + 86400 * 30}.{rng.randrange(1000000):06d}] "
                      if with_uptime else f"{syslog_ts(t)} {host} kernel: ")
                ln += (f"{prefix}IN={ifc} OUT= MAC={mac} SRC={inc.ip} DST={dst} LEN={pick(rng, [48, 52, 60, 64])} "
                       f"TOS=0x00 PREC=0x00 TTL={ttl} ID={rng.randrange(1, 65535)} {'DF ' if rng.random() < 0.6 else ''}"
                       f"PROTO=TCP SPT={spt} DPT={port} WINDOW={pick(rng, [5840, 16384, 65535, 64240])} RES=0x00 SYN URGP=0")
                rows.append((t, ln))
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


PFW_HEADER = ["#Version: 1.5", "#Software: Microsoft Windows Firewall", "#Time Format: Local",
              "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path",
              ""]


def pfw_lines(rng, incs, own_ips, t_end):
    rows = []
    for inc in incs:
        t = t_end - dt.timedelta(seconds=rng.randrange(900, 16 * 3600))
        dst = pick(rng, own_ips)
        for port in inc.ports:
            for _ in range(1 if len(inc.ports) >= 5 else rng.randrange(1, 5)):
                t += dt.timedelta(seconds=rng.randrange(0, 4))
                syn = rng.randrange(100000000, 4000000000) if rng.random() < 0.5 else 0
                rows.append((t, f"{t:%Y-%m-%d %H:%M:%S} DROP TCP {inc.ip} {dst} {rng.randrange(1025, 65000)} {port} "
                                f"{pick(rng, [48, 52, 62])} S {syn} 0 {pick(rng, [0, 65535, 16384])} - - - RECEIVE"))
    rows.sort(key=lambda r: r[0])
    return PFW_HEADER + [r[1] for r in rows]


# the requests of a web intrusion, per method (Apache log, status 200)
INTRUSION_REQUESTS = {
    "sqli": ["/shop/detail.php?id=12%20and%201=1", "/shop/detail.php?id=12%20and%201=2",
             "/shop/detail.php?id=-1%20union%20select%201,concat(login,0x3a,pass),3%20from%20admin--",
             "/admin/login.php", "/admin/upload.php"],
    "analytics": ["/cgi-bin/awstats.pl?configdir=|echo;echo%20YYY;id;echo%20YYY;echo|",
                  "/cgi-bin/awstats.pl?configdir=|echo;echo%20YYY;uname%20-a;echo%20YYY;echo|",
                  "/cgi-bin/awstats.pl?configdir=|echo;cd%20/tmp;chmod%20755%20m;./m;echo|"],
    "cmdinj": ["/cgi-bin/ping.cgi?target=%3Bid", "/cgi-bin/ping.cgi?target=%3Buname%20-a",
               "/cgi-bin/ping.cgi?target=%3Bcd%20/tmp%3Bchmod%20+x%20s%3B./s"],
}
