#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""quarter_gen.py: realistic incident-report mailboxes for a national coordination centre.

Writes the mail a Japanese CSIRT coordination centre received in two quarters of 2008
(2008-01-01..2008-03-31 and 2008-04-01..2008-06-30, Asia/Tokyo), one classic mbox file per
month (DIR/2008-01.mbox .. DIR/2008-06.mbox). The generator's own model decides the truth
(which mails form which report, which addresses are incidents of which type ...) and checks
that its model gives exactly the figures of the two real quarters (TARGETS below); the mails
only say in plain words what happened, as real reporters write them. See tools/README.md.

    /usr/bin/python3 tools/quarter_gen.py --out DIR [--seed N] [--summary FILE]
    /usr/bin/python3 tools/quarter_gen.py --bench N --out DIR [--seed N]

Python 3.11 standard library only. Deterministic: the same seed gives byte-identical files.
Exit status: 0 on success, 1 when the model or the rendered mails fail the self-check.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import email
import email.header
import email.policy
import hashlib
import io
import ipaddress
import json
import os
import quopri
import random
import re
import struct
import sys
import uuid
import zipfile
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------------
# The figures the model must produce (same content as tests/integration/testdata/quarters.json)
# --------------------------------------------------------------------------------------------

Q1 = "2008-01-01..2008-03-31"
Q2 = "2008-04-01..2008-06-30"

TARGETS = {
    Q2: {
        "messages": 768, "reports": 584, "incidents": 734,
        "by_type": {"scan": 350, "forged": 7, "intrusion": 18, "phishing": 138, "other": 221},
        "reporter_tld": [{"tld": "jp", "reports": 169}, {"tld": "com", "reports": 119},
                         {"tld": "net", "reports": 75}, {"tld": "de", "reports": 13},
                         {"tld": "cn", "reports": 11}],
        "scan_ports": [{"proto": "tcp", "port": 80, "incidents": 222},
                       {"proto": "tcp", "port": 22, "incidents": 114},
                       {"proto": "tcp", "port": 5900, "incidents": 5},
                       {"proto": "tcp", "port": 21, "incidents": 4},
                       {"proto": "tcp", "port": 139, "incidents": 4},
                       {"proto": "tcp", "port": 10000, "incidents": 1}],
        "comprehensive_scans": 0,
        "phishing_brand": {"domestic": 7, "foreign": 122, "unknown": 9},
        "non_incident": 19, "notifications": 465,
    },
    Q1: {
        "messages": 712, "reports": 545, "incidents": 684,
        "by_type": {"scan": 300, "forged": 0, "intrusion": 10, "phishing": 188, "other": 186},
        "reporter_tld": [{"tld": "jp", "reports": 228}, {"tld": "org", "reports": 135},
                         {"tld": "com", "reports": 82}, {"tld": "br", "reports": 41},
                         {"tld": "pl", "reports": 19}, {"tld": "edu", "reports": 12}],
        "scan_ports": [{"proto": "tcp", "port": 80, "incidents": 151},
                       {"proto": "tcp", "port": 22, "incidents": 123},
                       {"proto": "tcp", "port": 5900, "incidents": 6},
                       {"proto": "tcp", "port": 10000, "incidents": 4},
                       {"proto": "tcp", "port": 21, "incidents": 3},
                       {"proto": "tcp", "port": 20000, "incidents": 2}],
        "comprehensive_scans": 11,
        "phishing_brand": {"domestic": 31, "foreign": 148, "unknown": 9},
        "non_incident": 85, "notifications": 492,
    },
}

# How the model reaches the figures: groups of (type, sub, incidents, reports); a report's
# incident count comes from partitioning the group's incidents over its reports.
PLAN = {
    Q1: dict(
        groups=[("scan", "p80", 151, 120), ("scan", "p22", 123, 90), ("scan", "p5900", 6, 5),
                ("scan", "p10000", 4, 3), ("scan", "p21", 3, 3), ("scan", "p20000", 2, 2),
                ("scan", "comp", 11, 8),
                ("intrusion", "", 10, 8),
                ("phishing", "domestic", 14, 10), ("phishing", "foreign", 148, 118),
                ("phishing", "unknown", 9, 7),
                ("other", "malware", 80, 72), ("other", "virus", 40, 37),
                ("other", "dos", 30, 25), ("other", "deface", 36, 35)],
        # a domestic bank's campaign: 11 sites at once, the next day 6 more (a new report)
        specials=[("phishing", "domestic", 11, "campaign"), ("phishing", "domestic", 6, "campaign2")],
        followups=100, fwd_followups=12, seconds=55, non_incident=85,
        tld={"jp": 228, "org": 135, "com": 82, "br": 41, "pl": 19, "edu": 12, "net": 8, "de": 5,
             "uk": 4, "kr": 3, "cn": 3, "it": 2, "fr": 2, "au": 1},
        intrusion_methods=["brute", "dict", "cmdinj"],
        intrusion_after=["tamper", "replace", "logdel", "webpage"],
    ),
    Q2: dict(
        groups=[("scan", "p80", 222, 175), ("scan", "p22", 114, 88), ("scan", "p5900", 5, 4),
                ("scan", "p21", 4, 4), ("scan", "p139", 4, 3), ("scan", "p10000", 1, 1),
                ("forged", "", 7, 6),
                ("intrusion", "", 18, 14),
                ("phishing", "domestic", 7, 5), ("phishing", "foreign", 111, 93),
                ("phishing", "unknown", 9, 7),
                ("other", "malware", 88, 68), ("other", "virus", 48, 42),
                ("other", "dos", 48, 36), ("other", "deface", 37, 37)],
        specials=[("phishing", "foreign", 11, "campaign")],
        followups=112, fwd_followups=12, seconds=60, non_incident=19,
        tld={"jp": 169, "com": 119, "net": 75, "de": 13, "cn": 11,
             "org": 10, "uk": 10, "kr": 10, "tw": 10, "edu": 10,
             "us": 9, "fr": 9, "nl": 9, "it": 9, "au": 9, "ca": 9, "br": 9, "pl": 9,
             "ru": 8, "se": 8, "ch": 8, "es": 8, "info": 7, "at": 7, "be": 6, "dk": 5, "fi": 4,
             "hk": 4, "in": 3, "mx": 3, "sg": 2, "nz": 2},
        intrusion_methods=["brute", "dict", "sqli", "sqli", "analytics"],
        intrusion_after=["tamper", "webpage", "logtamper", "mailer", "mailer", "backdoor"],
    ),
}

SCAN_PORTS = {"p80": 80, "p22": 22, "p5900": 5900, "p21": 21, "p139": 139, "p10000": 10000,
              "p20000": 20000}
COMP_PORT_POOL = [21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 1433, 3306, 3389, 5900, 8080]

CENTRE_MX = "mx.centre.example.jp"
INCIDENT_ADDR = "incident@centre.example.jp"
INFO_ADDR = "info@centre.example.jp"
CENTRE_JA = "インシデント調整センター"
CENTRE_EN = "Coordination Centre"

JST = dt.timezone(dt.timedelta(hours=9))
UTC = dt.timezone.utc
QSPAN = {Q1: (dt.datetime(2008, 1, 1, tzinfo=JST), dt.datetime(2008, 4, 1, tzinfo=JST)),
         Q2: (dt.datetime(2008, 4, 1, tzinfo=JST), dt.datetime(2008, 7, 1, tzinfo=JST))}

WD = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def wchoice(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]


# --------------------------------------------------------------------------------------------
# Time zones of the senders (2008 rules, enough for the dates generated)
# --------------------------------------------------------------------------------------------

def _u(y, m, d, h=0):
    return dt.datetime(y, m, d, h, tzinfo=UTC)


def zone_offset(zone, t):
    """(offset minutes, abbreviation) of `zone` at the UTC instant t."""
    t = t.astimezone(UTC)
    eu = _u(2008, 3, 30, 1) <= t < _u(2008, 10, 26, 1)
    if zone == "JST":
        return 540, "JST"
    if zone == "KST":
        return 540, "KST"
    if zone in ("CST8", "HKT", "SGT", "TWT"):
        return 480, {"CST8": "CST", "HKT": "HKT", "SGT": "SGT", "TWT": "CST"}[zone]
    if zone == "IST":
        return 330, "IST"
    if zone == "UTC":
        return 0, "UTC"
    if zone == "GMT":
        return (60, "BST") if eu else (0, "GMT")
    if zone == "CET":
        return (120, "CEST") if eu else (60, "CET")
    if zone == "EET":
        return (180, "EEST") if eu else (120, "EET")
    if zone == "MSK":
        return (240, "MSD") if _u(2008, 3, 29, 23) <= t < _u(2008, 10, 25, 23) else (180, "MSK")
    if zone in ("US_E", "US_C", "US_P"):
        std = {"US_E": -300, "US_C": -360, "US_P": -480}[zone]
        start = _u(2008, 3, 9, 2) - dt.timedelta(minutes=std)
        end = _u(2008, 11, 2, 2) - dt.timedelta(minutes=std + 60)
        names = {"US_E": ("EST", "EDT"), "US_C": ("CST", "CDT"), "US_P": ("PST", "PDT")}[zone]
        return (std + 60, names[1]) if start <= t < end else (std, names[0])
    if zone == "AU_E":
        return (660, "EST") if t < _u(2008, 4, 5, 16) or t >= _u(2008, 10, 4, 16) else (600, "EST")
    if zone == "NZ":
        return (780, "NZDT") if t < _u(2008, 4, 5, 14) or t >= _u(2008, 9, 27, 14) else (720, "NZST")
    if zone == "BR":
        return (-120, "BRST") if t < _u(2008, 2, 17, 2) or t >= _u(2008, 10, 19, 3) else (-180, "BRT")
    if zone == "MX":
        return (-300, "CDT") if _u(2008, 4, 6, 8) <= t < _u(2008, 10, 26, 7) else (-360, "CST")
    raise ValueError(zone)


def in_zone(zone, t):
    off, _ = zone_offset(zone, t)
    return t.astimezone(dt.timezone(dt.timedelta(minutes=off)))


def fmt_off(t):
    off = int(t.utcoffset().total_seconds() // 60)
    sign = "+" if off >= 0 else "-"
    off = abs(off)
    return f"{sign}{off // 60:02d}{off % 60:02d}"


def rfc2822(t, style=0, abbrev=None):
    """RFC 2822 date; style 0 zero-padded day, 1 unpadded, 2 space-padded (Postfix)."""
    day = {0: f"{t.day:02d}", 1: f"{t.day}", 2: f"{t.day:2d}"}[style]
    s = f"{WD[t.weekday()]}, {day} {MON[t.month - 1]} {t.year} {t:%H:%M:%S} {fmt_off(t)}"
    if abbrev:
        s += f" ({abbrev})"
    return s


def asctime_utc(t):
    u = t.astimezone(UTC)
    return f"{WD[u.weekday()]} {MON[u.month - 1]} {u.day:2d} {u:%H:%M:%S} {u.year}"


def syslog_ts(t):
    return f"{MON[t.month - 1]} {t.day:2d} {t:%H:%M:%S}"


def apache_ts(t):
    return f"[{t.day:02d}/{MON[t.month - 1]}/{t.year}:{t:%H:%M:%S} {fmt_off(t)}]"


# --------------------------------------------------------------------------------------------
# Addresses: reported IPs, relay IPs (one allocator, so they never collide), own servers
# --------------------------------------------------------------------------------------------

REGION_OCTETS = {
    "jp": [59, 60, 61, 114, 118, 121, 122, 123, 124, 125, 126, 133, 202, 210, 211, 218, 219,
           220, 221, 222],
    "cn": [58, 59, 60, 61, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123,
           124, 125, 202, 210, 211, 218, 219, 220, 221, 222],
    "kr": [58, 59, 61, 110, 112, 114, 115, 116, 118, 119, 121, 122, 125, 211, 218, 219, 220, 221,
           222],
    "tw": [59, 60, 61, 114, 118, 122, 124, 125, 210, 211, 218, 219, 220],
    "asia": [58, 59, 115, 117, 118, 122, 124, 125, 202, 203, 210],
    "us": [12, 24, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 74, 75, 76, 96, 97, 98, 99, 173, 174,
           204, 205, 206, 207, 208, 209, 216],
    "eu": [62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 193,
           194, 195, 212, 213, 217],
    "ru": [77, 78, 79, 81, 83, 85, 87, 89, 91, 92, 93, 94, 95, 194, 195, 212, 213, 217],
    "latam": [186, 187, 189, 190, 200, 201],
    "au": [58, 59, 60, 110, 114, 115, 121, 124, 125, 202, 203, 210, 211, 220],
    "af": [41, 196, 197],
}

TESTNETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
                                                   "198.18.0.0/15", "192.88.99.0/24", "100.64.0.0/10")]
M24 = (1 << 24) - 1


def perm24(x):
    """A bijection of 24-bit integers (xorshift-multiply), so distinct counters give distinct IPs."""
    x &= M24
    x ^= x >> 12
    x = (x * 0x2C1B3B) & M24
    x ^= x >> 11
    x = (x * 0x297A2D) & M24
    x ^= x >> 12
    return x


class IPAlloc:
    """Hands out unique realistic public IPv4/IPv6 addresses; every address at most once."""

    def __init__(self, seed):
        self.ctr = {}
        self.salt = random.Random(f"ipalloc:{seed}").randrange(1 << 24)
        self.v6ctr = 0

    def v4(self, rng, region):
        o1 = pick(rng, REGION_OCTETS[region])
        while True:
            k = self.ctr.get(o1, 0)
            self.ctr[o1] = k + 1
            x = perm24(k * 7919 + self.salt + o1 * 104729)
            if (x & 0xFF) in (0, 255, 1):
                continue
            ip = ipaddress.IPv4Address((o1 << 24) | x)
            if not ip.is_global or any(ip in n for n in TESTNETS):
                continue
            return str(ip)

    def v6(self, rng):
        self.v6ctr += 1
        k = self.v6ctr
        style = pick(rng, ["hetzner", "apnic", "ripe"])
        if style == "hetzner":
            return f"2a01:4f8:{0x100 + k * 37 % 0xe00:x}:{k * 211 % 0xffff:x}::{k % 9 + 2:x}"
        if style == "apnic":
            return f"2400:{0x8900 + k * 13 % 0x600:x}:{k * 97 % 0xffff:x}::{0x10 + k:x}"
        return f"2a02:{0x2e0 + k * 7 % 0x100:x}:{k * 1231 % 0xffff:x}:{k:x}::1"


OWN_POOL = ([f"192.0.2.{i}" for i in range(2, 254)] + [f"198.51.100.{i}" for i in range(2, 254)] +
            [f"203.0.113.{i}" for i in range(2, 254)])


# --------------------------------------------------------------------------------------------
# Reporter organisations
# --------------------------------------------------------------------------------------------

# kind affinities for report types (weight 0: never)
AFF = {
    "csirt": {"scan": 3, "forged": 0.5, "intrusion": 1.2, "phishing": 3, "other": 3},
    "secsvc": {"scan": 1.5, "forged": 0.2, "intrusion": 0.05, "phishing": 4, "other": 3},
    "bank": {"scan": 0.4, "forged": 0.6, "intrusion": 0, "phishing": 6, "other": 0.3},
    "ecom": {"scan": 2, "forged": 1.5, "intrusion": 0.3, "phishing": 2, "other": 1},
    "isp": {"scan": 3, "forged": 1, "intrusion": 0.5, "phishing": 1, "other": 3},
    "hosting": {"scan": 3, "forged": 0.5, "intrusion": 1, "phishing": 0.6, "other": 2},
    "univ": {"scan": 4, "forged": 0.3, "intrusion": 1.5, "phishing": 0.5, "other": 2},
    "company": {"scan": 3, "forged": 1, "intrusion": 1.5, "phishing": 0.4, "other": 1.5},
    "gov": {"scan": 2, "forged": 0.3, "intrusion": 0.5, "phishing": 0.3, "other": 1},
    "person": {"scan": 2.5, "forged": 0.5, "intrusion": 0.3, "phishing": 2.5, "other": 1.5},
    "autossh": {"scan": 6, "forged": 0, "intrusion": 0, "phishing": 0, "other": 0},
    "xarfconn": {"scan": 4, "forged": 0, "intrusion": 0, "phishing": 0, "other": 0},
    "xarfphish": {"scan": 0, "forged": 0, "intrusion": 0, "phishing": 4, "other": 0},
}

# specialised reporters: their own type affinities instead of their kind's
ORG_AFF = {
    "antiphish-alliance.org": {"phishing": 8},
    "brand-protect.com": {"phishing": 8},
    "markguard.com": {"phishing": 6, "other": 0.5},
    "antiphish-feed.net": {"phishing": 8},
    "phishing-info.info": {"phishing": 6},
    "malware-trackers.org": {"other": 6},
    "zerohour-labs.com": {"other": 5, "phishing": 1.5, "scan": 0.5},
    "mailtrap-net.net": {"forged": 3, "phishing": 2, "other": 1},
    "abusehunters.org": {"phishing": 3, "forged": 2, "other": 1},
    "abusereport.info": {"phishing": 2, "forged": 2, "other": 1},
    "sentinel-mss.com": {"scan": 3, "other": 2, "intrusion": 0.3},
    "probe-watch.org": {"scan": 6, "other": 0.5},
    "honeynet-chapter.org": {"scan": 3, "other": 3},
    "hoshizora-bank.co.jp": {"phishing": 6, "forged": 0.5},
    "chuo-card.co.jp": {"phishing": 6, "forged": 0.5},
}

# (domain, kind, lang, zone, region, weight, name_en, name_ja, dept, locals)
ORG_TABLE = [
    # ---- .jp
    ("kumo-net.ne.jp", "isp", "ja", "JST", "jp", 3, "Kumo Net Inc.", "クモネット株式会社", "セキュリティ対策室", ["security", "abuse"]),
    ("aozora-isp.ne.jp", "isp", "ja", "JST", "jp", 2, "Aozora Internet", "あおぞらインターネット株式会社", "ネットワーク運用部", ["abuse", "noc"]),
    ("nishinihon-net.ne.jp", "isp", "ja", "JST", "jp", 2, "Nishi-Nihon Net Service", "西日本ネットサービス株式会社", "不正利用対策窓口", ["abuse"]),
    ("hokuriku-catv.ne.jp", "isp", "ja", "JST", "jp", 1, "Hokuriku Cable Net", "北陸ケーブルネット株式会社", "技術部", ["noc"]),
    ("tsubasa-hosting.jp", "hosting", "ja", "JST", "jp", 2, "Tsubasa Hosting", "株式会社つばさホスティング", "サポートセンター", ["support", "abuse"]),
    ("yamabuki-dc.co.jp", "hosting", "ja", "JST", "jp", 1, "Yamabuki Data Center", "山吹データセンター株式会社", "運用管理課", ["dc-ops"]),
    ("hoshizora-bank.co.jp", "bank", "ja", "JST", "jp", 1.5, "Hoshizora Bank", "株式会社星空銀行", "システム部 セキュリティ担当", ["sec-info"]),
    ("chuo-card.co.jp", "bank", "ja", "JST", "jp", 1.5, "Chuo Card Service", "中央カードサービス株式会社", "不正利用対策室", ["fraud"]),
    ("kurenai-shinkin.jp", "bank", "ja", "JST", "jp", 0.7, "Kurenai Shinkin Bank", "紅信用金庫", "事務部", ["system"]),
    ("kaimono-mall.jp", "ecom", "ja", "JST", "jp", 1.5, "Kaimono Mall", "株式会社かいものモール", "情報セキュリティ室", ["security"]),
    ("hanabi-auction.jp", "ecom", "ja", "JST", "jp", 1, "Hanabi Auction", "はなびオークション株式会社", "安全対策チーム", ["safety"]),
    ("kitayama-u.ac.jp", "univ", "ja", "JST", "jp", 2, "Kitayama University", "北山大学", "情報基盤センター", ["cert", "security"]),
    ("minami-tech.ac.jp", "univ", "ja", "JST", "jp", 1.5, "Minami Institute of Technology", "南工業大学", "総合情報センター", ["noc"]),
    ("seiryo-u.ac.jp", "univ", "ja", "JST", "jp", 1, "Seiryo University", "清稜大学", "情報メディアセンター", ["sec"]),
    ("fujimi-denki.co.jp", "csirt", "ja", "JST", "jp", 1.5, "Fujimi Electric", "富士見電機株式会社", "FUJIMI-SIRT", ["sirt"]),
    ("asahina-sys.co.jp", "company", "ja", "JST", "jp", 1, "Asahina Systems", "朝比奈システムズ株式会社", "品質保証部", ["security"]),
    ("kagami-security.co.jp", "secsvc", "ja", "JST", "jp", 2.5, "Kagami Security", "株式会社かがみセキュリティ", "セキュリティオペレーションセンター", ["soc"]),
    ("shiden-secure.co.jp", "secsvc", "ja", "JST", "jp", 1.5, "Shiden Secure Service", "紫電セキュアサービス株式会社", "監視センター", ["mss"]),
    ("city-kawabe.lg.jp", "gov", "ja", "JST", "jp", 0.7, "Kawabe City", "川辺市", "情報政策課", ["joho"]),
    ("kokuritsu-joho.go.jp", "gov", "ja", "JST", "jp", 0.7, "National Information Research Organization", "国立情報研究機構", "情報セキュリティ室", ["irt"]),
    ("hinode-shop.co.jp", "company", "ja", "JST", "jp", 0.5, "Hinode Shop", "株式会社日の出商店", "Web担当", ["webmaster"]),
    ("koubou-design.co.jp", "company", "ja", "JST", "jp", 0.5, "Koubou Design", "有限会社工房デザイン", "システム担当", ["info"]),
    ("tanaka-kogyo.co.jp", "company", "ja", "JST", "jp", 0.5, "Tanaka Kogyo", "田中工業株式会社", "総務部", ["soumu"]),
    ("jnet-csirt.or.jp", "csirt", "ja", "JST", "jp", 1.5, "Japan Net Operators CSIRT", "日本ネット事業者協会", "JNO-CSIRT", ["csirt"]),
    ("ginga-net.or.jp", "isp", "ja", "JST", "jp", 0.5, "Ginga Net", "特定非営利活動法人 銀河ネット", "運営事務局", ["admin"]),
    ("global-dc.co.jp", "hosting", "en", "JST", "jp", 0.6, "Global DC Japan K.K.", None, "Abuse Desk", ["abuse"]),
    ("ocn.ne.jp", "person", "ja", "JST", "jp", 1.5, None, None, None, None),
    ("kfa.biglobe.ne.jp", "person", "ja", "JST", "jp", 1.2, None, None, None, None),
    ("ba2.so-net.ne.jp", "person", "ja", "JST", "jp", 1, None, None, None, None),
    ("plala.or.jp", "person", "ja", "JST", "jp", 0.8, None, None, None, None),
    ("ybb.ne.jp", "person", "ja", "JST", "jp", 0.8, None, None, None, None),
    ("dion.ne.jp", "person", "ja", "JST", "jp", 0.6, None, None, None, None),
    # ---- .com
    ("brand-protect.com", "secsvc", "en", "US_E", "us", 4, "BrandProtect Services", None, "Brand Protection Operations", ["takedown"]),
    ("sentinel-mss.com", "secsvc", "en", "US_C", "us", 2, "Sentinel Managed Security", None, "Security Operations Center", ["soc"]),
    ("markguard.com", "secsvc", "en", "GMT", "eu", 2, "MarkGuard Anti-Fraud", None, "Takedown Team", ["takedown"]),
    ("ecart-online.com", "ecom", "en", "US_P", "us", 1, "eCart Online Inc.", None, "Information Security", ["security"]),
    ("finsec-group.com", "bank", "en", "US_E", "us", 1.5, "Financial Sector Security Group", None, "eCrime Unit", ["ecrime"]),
    ("unicard-intl.com", "bank", "en", "US_E", "us", 1, "UniCard International", None, "Card Security", ["cardsecurity"]),
    ("netrange-isp.com", "isp", "en", "US_C", "us", 1.5, "NetRange Communications", None, "Abuse Department", ["abuse"]),
    ("zerohour-labs.com", "secsvc", "en", "US_P", "us", 1.5, "ZeroHour Labs", None, "Incident Response", ["ir"]),
    ("globalhost-inc.com", "hosting", "en", "US_E", "us", 1, "GlobalHost Inc.", None, "Abuse Desk", ["abuse"]),
    ("netguard-monitor.com", "xarfconn", "en", "UTC", "eu", 1.5, "NetGuard Monitoring", None, "Automated Reports", ["abuse-reports"]),
    ("gmail.com", "person", "en", "US_P", "us", 2, None, None, None, None),
    ("hotmail.com", "person", "en", "GMT", "us", 1.2, None, None, None, None),
    ("aol.com", "person", "en", "US_E", "us", 0.6, None, None, None, None),
    ("nifty.com", "person", "ja", "JST", "jp", 1.5, None, None, None, None),
    ("naver.com", "person", "en", "KST", "kr", 0.6, None, None, None, None),
    ("163.com", "person", "en", "CST8", "cn", 0.6, None, None, None, None),
    ("btinternet.com", "person", "en", "GMT", "eu", 0.4, None, None, None, None),
    # ---- .net
    ("backbone-one.net", "isp", "en", "US_E", "us", 2, "BackboneOne", None, "Abuse Team", ["abuse"]),
    ("transpac-net.net", "isp", "en", "US_P", "us", 1.5, "TransPacific Networks", None, "Network Operations", ["noc"]),
    ("cablewave.net", "isp", "en", "US_C", "us", 1, "CableWave Broadband", None, "Security", ["security"]),
    ("antiphish-feed.net", "secsvc", "en", "US_E", "us", 3, "AntiPhish Feed", None, "Reports", ["reports"]),
    ("phishreport.net", "xarfphish", "en", "CET", "eu", 2.5, "PhishReport Network", None, "X-ARF Reporting", ["xarf"]),
    ("hostsquare.net", "hosting", "en", "US_C", "us", 1, "HostSquare", None, "Abuse", ["abuse"]),
    ("mailtrap-net.net", "secsvc", "en", "CET", "eu", 0.8, "MailTrap Network", None, "Reports", ["reports"]),
    ("comcast.net", "person", "en", "US_E", "us", 0.8, None, None, None, None),
    ("earthlink.net", "person", "en", "US_P", "us", 0.5, None, None, None, None),
    ("hanmail.net", "person", "en", "KST", "kr", 0.5, None, None, None, None),
    # ---- .de
    ("rechenzentrum-nord.de", "univ", "en", "CET", "eu", 1, "Rechenzentrum Nord", None, "Abuse", ["abuse"]),
    ("uni-heidelfeld.de", "univ", "en", "CET", "eu", 1, "Universitaet Heidelfeld", None, "CERT", ["cert"]),
    ("hosting-bayern.de", "hosting", "en", "CET", "eu", 1, "Hosting Bayern GmbH", None, "Abuse Department", ["abuse"]),
    ("wissnet-cert.de", "csirt", "en", "CET", "eu", 1.5, "WissNet-CERT", None, "CERT", ["cert"]),
    ("gmx.de", "person", "en", "CET", "eu", 0.6, None, None, None, None),
    ("web.de", "person", "en", "CET", "eu", 0.5, None, None, None, None),
    # ---- .cn
    ("huaxia-idc.com.cn", "hosting", "en", "CST8", "cn", 1, "Huaxia IDC", None, "Security Dept.", ["abuse"]),
    ("sd-edunet.edu.cn", "univ", "en", "CST8", "cn", 1, "Shandong Education Network", None, "Network Center", ["security"]),
    ("ccirt.org.cn", "csirt", "en", "CST8", "cn", 1.5, "China Cooperative IRT", None, "Incident Response", ["ir"]),
    ("sina.com.cn", "person", "en", "CST8", "cn", 0.4, None, None, None, None),
    # ---- .org
    ("ssh-blocklist.org", "autossh", "en", "UTC", "eu", 4, "SSH-Blocklist Project", None, "Automated Reports", ["reports"]),
    ("antiphish-alliance.org", "secsvc", "en", "US_E", "us", 4, "Anti-Phishing Alliance", None, "Phishing Reports", ["report-phishing"]),
    ("abusehunters.org", "secsvc", "en", "US_C", "us", 1, "Volunteer Abuse Hunters", None, "Reports", ["reports"]),
    ("research-net.org", "csirt", "en", "US_E", "us", 1.5, "ResearchNet CERT", None, "CERT", ["cert"]),
    ("openwatch-sensors.org", "xarfconn", "en", "CET", "eu", 2, "OpenWatch Sensor Network", None, "X-ARF reports", ["xarf"]),
    ("malware-trackers.org", "secsvc", "en", "CET", "eu", 2, "MalwareTrackers", None, "Submissions", ["submit"]),
    ("probe-watch.org", "secsvc", "en", "US_E", "us", 2, "ProbeWatch Community", None, "Reports", ["reports"]),
    ("honeynet-chapter.org", "secsvc", "en", "CET", "eu", 1.5, "Honeynet Chapter Europe", None, "Research", ["ir"]),
    ("community-wireless.org", "isp", "en", "US_P", "us", 1, "Community Wireless Network", None, "NOC", ["noc"]),
    ("freesoftware-mirror.org", "company", "en", "US_P", "us", 0.5, "Free Software Mirror Network", None, "Admins", ["admin"]),
    # ---- small TLDs
    ("londonhost.co.uk", "hosting", "en", "GMT", "eu", 1, "LondonHost Ltd", None, "Abuse", ["abuse"]),
    ("univ-marlow.ac.uk", "univ", "en", "GMT", "eu", 1, "University of Marlow", None, "CSIRT", ["csirt"]),
    ("highstreet-bank.co.uk", "bank", "en", "GMT", "eu", 1, "Highstreet Banking Group", None, "eCrime", ["ecrime"]),
    ("sigma-secure.co.uk", "secsvc", "en", "GMT", "eu", 1, "Sigma Secure", None, "SOC", ["soc"]),
    ("krnet-isp.co.kr", "isp", "en", "KST", "kr", 1, "KRNet", None, "CERT", ["cert"]),
    ("hanbit-hosting.co.kr", "hosting", "en", "KST", "kr", 1, "Hanbit Hosting", None, "Abuse", ["abuse"]),
    ("krcirt.or.kr", "csirt", "en", "KST", "kr", 1.5, "KR Cooperative IRT", None, "Incident Response", ["ir"]),
    ("formosa-net.com.tw", "isp", "en", "TWT", "tw", 1, "Formosa Net", None, "Abuse", ["abuse"]),
    ("ntcu-net.edu.tw", "univ", "en", "TWT", "tw", 1, "National Taichung Campus Network", None, "Security", ["security"]),
    ("twcirt.org.tw", "csirt", "en", "TWT", "tw", 1, "TW Cooperative IRT", None, "IR", ["ir"]),
    ("lakeview.k12.mi.us", "gov", "en", "US_E", "us", 1, "Lakeview Public Schools", None, "Network Administration", ["netadmin"]),
    ("countylib.lib.ca.us", "gov", "en", "US_P", "us", 1, "County Library System", None, "IT", ["it-security"]),
    ("state-it.oh.us", "csirt", "en", "US_E", "us", 1, "State IT Security Office", None, "CSIRT", ["csirt"]),
    ("reseau-ouest.fr", "isp", "en", "CET", "eu", 1, "Reseau Ouest", None, "Abuse", ["abuse"]),
    ("univ-lorraine-sud.fr", "univ", "en", "CET", "eu", 1, "Universite Lorraine Sud", None, "CERT", ["cert"]),
    ("free.fr", "person", "en", "CET", "eu", 0.6, None, None, None, None),
    ("dutchhost.nl", "hosting", "en", "CET", "eu", 1, "DutchHost B.V.", None, "Abuse", ["abuse"]),
    ("universiteit-oost.nl", "univ", "en", "CET", "eu", 1, "Universiteit Oost", None, "CERT", ["cert"]),
    ("xs-net.nl", "isp", "en", "CET", "eu", 1, "XS Net", None, "Abuse", ["abuse"]),
    ("retelibera.it", "isp", "en", "CET", "eu", 1, "Rete Libera", None, "Abuse", ["abuse"]),
    ("univ-padania.it", "univ", "en", "CET", "eu", 1, "Universita della Padania", None, "CERT", ["cert"]),
    ("libero.it", "person", "en", "CET", "eu", 0.6, None, None, None, None),
    ("southerncross-isp.com.au", "isp", "en", "AU_E", "au", 1, "Southern Cross ISP", None, "Abuse", ["abuse"]),
    ("univ-eastcoast.edu.au", "univ", "en", "AU_E", "au", 1, "East Coast University", None, "IT Security", ["itsecurity"]),
    ("aucirt.org.au", "csirt", "en", "AU_E", "au", 1, "AU Cooperative IRT", None, "IR", ["ir"]),
    ("maplenet.ca", "isp", "en", "US_E", "us", 1, "MapleNet", None, "Abuse", ["abuse"]),
    ("univ-lakeshore.ca", "univ", "en", "US_E", "us", 1, "University of Lakeshore", None, "Security", ["security"]),
    ("provedor-sul.com.br", "isp", "en", "BR", "latam", 1, "Provedor Sul", None, "Seguranca", ["seguranca"]),
    ("telenet-brasil.com.br", "isp", "en", "BR", "latam", 1, "Telenet Brasil", None, "Abuse", ["abuse"]),
    ("univ-federal-sul.edu.br", "univ", "en", "BR", "latam", 1, "Universidade Federal do Sul", None, "CSIRT", ["csirt"]),
    ("cert-rede.org.br", "csirt", "en", "BR", "latam", 3, "CERT-Rede", None, "Incident Handling", ["cert"]),
    ("banco-serra.com.br", "bank", "en", "BR", "latam", 1.5, "Banco Serra", None, "Seguranca da Informacao", ["seguranca"]),
    ("terra.com.br", "person", "en", "BR", "latam", 0.6, None, None, None, None),
    ("uol.com.br", "person", "en", "BR", "latam", 0.5, None, None, None, None),
    ("netpolska.pl", "isp", "en", "CET", "eu", 1, "NetPolska", None, "Abuse", ["abuse"]),
    ("hosting-krakow.pl", "hosting", "en", "CET", "eu", 1, "Hosting Krakow", None, "Abuse", ["abuse"]),
    ("cert-polnet.pl", "csirt", "en", "CET", "eu", 2, "CERT PolNet", None, "CERT", ["cert"]),
    ("wp.pl", "person", "en", "CET", "eu", 0.5, None, None, None, None),
    ("sibtelecom-net.ru", "isp", "en", "MSK", "ru", 1, "SibTelecom", None, "Abuse", ["abuse"]),
    ("mail.ru", "person", "en", "MSK", "ru", 0.6, None, None, None, None),
    ("nordnet-host.se", "hosting", "en", "CET", "eu", 1, "Nordnet Hosting", None, "Abuse", ["abuse"]),
    ("univ-norrland.se", "univ", "en", "CET", "eu", 1, "Norrland University", None, "IRT", ["irt"]),
    ("alpen-hosting.ch", "hosting", "en", "CET", "eu", 1, "Alpen Hosting AG", None, "Abuse", ["abuse"]),
    ("hochschule-ost.ch", "univ", "en", "CET", "eu", 1, "Hochschule Ost", None, "CERT", ["cert"]),
    ("red-iberica.es", "isp", "en", "CET", "eu", 1, "Red Iberica", None, "Abuse", ["abuse"]),
    ("universidad-central.es", "univ", "en", "CET", "eu", 1, "Universidad Central", None, "CERT", ["cert"]),
    ("stateuniv.edu", "univ", "en", "US_C", "us", 1.5, "State University", None, "Information Security Office", ["security"]),
    ("lakeside.edu", "univ", "en", "US_E", "us", 1, "Lakeside College", None, "IT Security", ["iso"]),
    ("techcollege.edu", "univ", "en", "US_P", "us", 1, "Pacific Tech College", None, "Network Security", ["abuse"]),
    ("midwest-univ.edu", "univ", "en", "US_C", "us", 1, "Midwest University", None, "SOC", ["soc"]),
    ("phishing-info.info", "secsvc", "en", "CET", "eu", 1, "Phishing-Info", None, "Reports", ["report"]),
    ("serveradmins.info", "company", "en", "US_C", "us", 1, "ServerAdmins Community", None, "Admins", ["admins"]),
    ("abusereport.info", "secsvc", "en", "US_E", "us", 0.6, "AbuseReport", None, "Reports", ["abuse"]),
    ("netz-austria.at", "isp", "en", "CET", "eu", 1, "Netz Austria", None, "Abuse", ["abuse"]),
    ("wienhost.at", "hosting", "en", "CET", "eu", 1, "WienHost", None, "Abuse", ["abuse"]),
    ("brusselshost.be", "hosting", "en", "CET", "eu", 1, "BrusselsHost", None, "Abuse", ["abuse"]),
    ("univ-flandria.be", "univ", "en", "CET", "eu", 1, "Universiteit Flandria", None, "CERT", ["cert"]),
    ("nordhost.dk", "hosting", "en", "CET", "eu", 1, "NordHost ApS", None, "Abuse", ["abuse"]),
    ("suominet.fi", "isp", "en", "EET", "eu", 1, "SuomiNet", None, "CERT", ["cert"]),
    ("victoria-hosting.com.hk", "hosting", "en", "HKT", "asia", 1, "Victoria Hosting", None, "Abuse", ["abuse"]),
    ("mumbai-net.co.in", "isp", "en", "IST", "asia", 1, "Mumbai Net", None, "Abuse", ["abuse"]),
    ("redmexico.com.mx", "isp", "en", "MX", "latam", 1, "Red Mexico", None, "Abuse", ["abuse"]),
    ("lionnet.com.sg", "isp", "en", "SGT", "asia", 1, "LionNet", None, "Abuse", ["abuse"]),
    ("kiwinet.co.nz", "isp", "en", "NZ", "au", 1, "KiwiNet", None, "Abuse", ["abuse"]),
]

JA_FAMILY = [("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"),
             ("渡辺", "watanabe"), ("伊藤", "ito"), ("山本", "yamamoto"), ("中村", "nakamura"),
             ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"), ("山田", "yamada"),
             ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"), ("井上", "inoue"),
             ("木村", "kimura"), ("林", "hayashi"), ("清水", "shimizu"), ("山崎", "yamazaki"),
             ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"), ("阿部", "abe"),
             ("石川", "ishikawa"), ("前田", "maeda"), ("藤田", "fujita"), ("小川", "ogawa"),
             ("岡田", "okada"), ("長谷川", "hasegawa")]
JA_GIVEN = [("健一", "kenichi"), ("直樹", "naoki"), ("大輔", "daisuke"), ("誠", "makoto"),
            ("浩二", "koji"), ("裕子", "yuko"), ("美穂", "miho"), ("智子", "tomoko"),
            ("拓也", "takuya"), ("翔太", "shota"), ("博", "hiroshi"), ("聡", "satoshi"),
            ("由美", "yumi"), ("恵", "megumi"), ("和也", "kazuya"), ("隆", "takashi"),
            ("亮", "ryo"), ("真一", "shinichi")]
EN_NAMES = {
    "us": (["John", "Michael", "David", "James", "Robert", "Mark", "Jennifer", "Sarah", "Kevin",
            "Brian", "Laura", "Steven", "Emily", "Chris"],
           ["Smith", "Johnson", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore",
            "Clark", "Lewis", "Walker", "Hall", "Young", "King"]),
    "eu": (["Klaus", "Jürgen", "Stefan", "Andreas", "Nicolas", "Jérôme", "Pieter", "Jan", "Marco",
            "Giulia", "Erik", "Björn", "José", "Anna", "Sophie", "Thomas", "Peter"],
           ["Becker", "Schäfer", "Wagner", "Müller", "Martin", "Lefèvre", "de Vries", "Bakker",
            "Rossi", "Bianchi", "Johansson", "Lindqvist", "García", "Novak", "Dubois", "Jensen"]),
    "pl": (["Paweł", "Tomasz", "Łukasz", "Piotr", "Katarzyna", "Marcin"],
           ["Kowalski", "Nowak", "Wiśniewski", "Zieliński", "Lewandowski", "Kamiński"]),
    "latam": (["João", "Luís", "Ana", "Carlos", "Fernanda", "Rafael", "Marcelo"],
              ["Silva", "Souza", "Pereira", "Oliveira", "Costa", "Rodrigues", "Almeida"]),
    "ru": (["Dmitry", "Sergey", "Alexey", "Olga", "Ivan"],
           ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Volkova"]),
    "cn": (["Wei", "Li", "Jun", "Hui", "Ming", "Xiaoling"], ["Zhang", "Wang", "Liu", "Chen", "Yang", "Zhao"]),
    "kr": (["Min-jun", "Ji-hoon", "Seo-yeon", "Hyun-woo", "Eun-ji"], ["Kim", "Lee", "Park", "Choi", "Jung"]),
    "tw": (["Yi-ting", "Chih-hao", "Mei-ling", "Chia-wei"], ["Chen", "Lin", "Huang", "Chang"]),
    "asia": (["Rahul", "Priya", "Wei Ming", "Siti", "Arjun"], ["Sharma", "Tan", "Lim", "Patel", "Wong"]),
    "au": (["Jack", "Olivia", "Liam", "Chloe", "Matt"], ["Brown", "Wilson", "Thompson", "White", "Ryan"]),
    "af": (["Thabo", "Amina"], ["Nkosi", "Okafor"]),
}

MAILERS_JA = ["Microsoft Outlook Express 6.00.2900.3138", "Becky! ver. 2.41.01",
              "Thunderbird 2.0.0.12 (Windows/20080213)", "Sylpheed 2.4.8 (GTK+ 2.12.0; i686-pc-linux-gnu)",
              "Microsoft Office Outlook 12.0", "Datula version 1.51.09 for Windows", "Winbiff [Version 2.51 PL1]",
              "Microsoft Outlook Express 6.00.2900.5512", "Shuriken Pro4 4.0.1"]
MAILERS_EN = ["Microsoft Office Outlook 11", "Microsoft Office Outlook 12.0", "Mutt/1.5.17 (2007-11-01)",
              "Thunderbird 2.0.0.14 (X11/20080421)", "Apple Mail (2.919.2)", "Evolution 2.12.3",
              "Lotus Notes Release 7.0.2 September 26, 2006", "alpine 1.00", None, None]


@dataclass
class Org:
    oid: int
    domain: str
    kind: str
    lang: str
    zone: str
    region: str
    weight: float
    name_en: str | None
    name_ja: str | None
    dept: str | None
    locals: list
    persons: list = field(default_factory=list)     # (display_ja or None, display_en, local)
    own: list = field(default_factory=list)         # [(host, ip)]
    relays: list = field(default_factory=list)      # [(host, ip)]
    inner: list = field(default_factory=list)       # internal client addresses
    mailer: str | None = None
    provider: str | None = None                     # for individuals: the freemail provider

    @property
    def tld(self):
        return self.domain.rsplit(".", 1)[1]


class Catalog:
    """All reporter organisations; individuals on freemail are created on demand."""

    def __init__(self, seed, alloc):
        self.rng = random.Random(f"orgs:{seed}")
        self.alloc = alloc
        self.orgs = []
        self.providers = []
        self.own_i = 0
        self.person_pool = {}
        for row in ORG_TABLE:
            domain, kind, lang, zone, region, w, name_en, name_ja, dept, locs = row
            o = Org(len(self.orgs), domain, kind, lang, zone, region, w, name_en, name_ja, dept, locs or [])
            if kind == "person":
                self.providers.append(o)
                self._relays(o, n=2, provider=True)
                continue
            self._fill(o)
            self.orgs.append(o)

    def _next_own(self):
        ip = OWN_POOL[self.own_i % len(OWN_POOL)]
        self.own_i += 1
        return ip

    def _relays(self, o, n=2, provider=False):
        rng = self.rng
        base = o.domain
        names = (["mail-out", "smtp", "mx-out", "relay"] if provider else ["mail", "mx1", "smtp", "gw", "mail2"])
        for i in range(n):
            host = f"{pick(rng, names)}{rng.randrange(1, 30) if provider else ''}.{base}"
            if any(h == host for h, _ in o.relays):
                host = f"{names[0]}{i + 2}.{base}"
            o.relays.append((host, self.alloc.v4(rng, o.region)))

    def _fill(self, o):
        rng = self.rng
        self._relays(o, n=rng.choice([1, 2]))
        for _ in range(rng.choice([1, 2, 2, 3])):
            if o.lang == "ja":
                fam, giv = pick(rng, JA_FAMILY), pick(rng, JA_GIVEN)
                o.persons.append((f"{fam[0]} {giv[0]}", f"{giv[1].capitalize()} {fam[1].capitalize()}",
                                  f"{giv[1][0]}-{fam[1]}"))
            else:
                first, last = EN_NAMES.get("pl" if o.tld == "pl" else o.region, EN_NAMES["us"])
                f, l = pick(rng, first), pick(rng, last)
                o.persons.append((None, f"{f} {l}", None))
        hosts = ["www", "mail", "ns1", "web01", "srv1", "gw", "fw01", "db1", "ftp", "vpn"]
        rng.shuffle(hosts)
        for i in range(rng.choice([1, 2, 2, 3])):
            o.own.append((hosts[i], self._next_own()))
        o.inner = [f"192.168.{rng.randrange(0, 20)}.{rng.randrange(2, 250)}", f"10.{rng.randrange(0, 40)}.{rng.randrange(0, 255)}.{rng.randrange(2, 250)}"]
        o.mailer = pick(rng, MAILERS_JA if o.lang == "ja" else MAILERS_EN)

    def individual(self, provider, rng):
        """A person on a freemail provider (reused now and then: people report twice)."""
        pool = self.person_pool.setdefault(provider.domain, [])
        if pool and rng.random() < 0.25:
            return pick(rng, pool)
        o = Org(1000 + len(self.orgs) + sum(len(v) for v in self.person_pool.values()), provider.domain,
                "person", provider.lang, provider.zone, provider.region, provider.weight,
                None, None, None, [])
        o.provider = provider.domain
        o.relays = list(provider.relays)
        if provider.lang == "ja":
            fam, giv = pick(rng, JA_FAMILY), pick(rng, JA_GIVEN)
            local = pick(rng, [f"{giv[1]}.{fam[1]}", f"{fam[1]}{rng.randrange(10, 99)}",
                               f"{giv[1][0]}{fam[1]}{rng.randrange(1960, 1990)}",
                               f"{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(3))}{rng.randrange(10000, 99999)}"])
            o.persons = [(f"{fam[0]} {giv[0]}", f"{giv[1].capitalize()} {fam[1].capitalize()}", local)]
        else:
            first, last = EN_NAMES.get("pl" if provider.tld == "pl" else provider.region, EN_NAMES["us"])
            f, l = pick(rng, first), pick(rng, last)
            asc = ascii_fold(f"{f}.{l}").lower().replace(" ", "")
            local = pick(rng, [asc, f"{asc}{rng.randrange(1, 99)}", f"{asc[0]}{ascii_fold(l).lower().replace(' ', '')}{rng.randrange(60, 90)}"])
            o.persons = [(None, f"{f} {l}", local)]
        o.own = [(pick(rng, ["home", "myserver", "pc", "srv"]), self._next_own())]
        o.inner = [f"192.168.{rng.choice([0, 1, 11])}.{rng.randrange(2, 250)}"]
        o.mailer = pick(rng, MAILERS_JA if o.lang == "ja" else MAILERS_EN)
        pool.append(o)
        return o

    def by_tld(self):
        d = {}
        for o in self.orgs + self.providers:
            d.setdefault(o.tld, []).append(o)
        return d


def ascii_fold(s):
    table = str.maketrans("üäöéèêçãáíóôõúñøåßłśńżźęąćÜÄÖÉŁŚ", "uaoeeecaaioooonoaslsnzzeacUAOELS")
    return s.translate(table).replace("ß", "ss")


def sender_address(org, person):
    """(display_ja, display_en, address) of a person in an organisation."""
    disp_ja, disp_en, local = person
    if org.kind == "person":
        return disp_ja, disp_en, f"{local}@{org.domain}"
    return disp_ja, disp_en, f"{org.locals[0]}@{org.domain}"


# --------------------------------------------------------------------------------------------
# Brands
# --------------------------------------------------------------------------------------------

# key: (Japanese text name, English text name, URL token)
BRANDS_DOMESTIC = {
    "SMBC": ("三井住友銀行", "Sumitomo Mitsui Banking Corporation (SMBC)", "smbc"),
    "Mizuho": ("みずほ銀行", "Mizuho Bank", "mizuho"),
    "MUFG": ("三菱東京UFJ銀行", "Bank of Tokyo-Mitsubishi UFJ", "mufg"),
    "JapanPostBank": ("ゆうちょ銀行", "Japan Post Bank", "jp-bank"),
    "JapanNetBank": ("ジャパンネット銀行", "Japan Net Bank", "japannetbank"),
    "Rakuten": ("楽天", "Rakuten", "rakuten"),
    "YahooJapan": ("Yahoo! JAPAN", "Yahoo! JAPAN", "yahoo"),
    "Shinsei": ("新生銀行", "Shinsei Bank", "shinseibank"),
    "Resona": ("りそな銀行", "Resona Bank", "resona"),
    "eBANK": ("イーバンク銀行", "eBANK Corporation", "ebank"),
}
BRANDS_FOREIGN = {
    "PayPal": ("PayPal", "PayPal", "paypal"),
    "eBay": ("eBay", "eBay", "ebay"),
    "BankOfAmerica": ("Bank of America", "Bank of America", "bankofamerica"),
    "Chase": ("Chase", "Chase", "chase"),
    "WellsFargo": ("Wells Fargo", "Wells Fargo", "wellsfargo"),
    "HSBC": ("HSBC", "HSBC", "hsbc"),
    "Barclays": ("Barclays", "Barclays", "barclays"),
    "LloydsTSB": ("Lloyds TSB", "Lloyds TSB", "lloydstsb"),
    "Citibank": ("Citibank", "Citibank", "citibank"),
    "WaMu": ("Washington Mutual", "Washington Mutual", "wamu"),
    "Halifax": ("Halifax", "Halifax", "halifax"),
    "NatWest": ("NatWest", "NatWest", "natwest"),
    "CapitalOne": ("Capital One", "Capital One", "capitalone"),
    "Amazon": ("Amazon", "Amazon", "amazon"),
    "PosteItaliane": ("Poste Italiane", "Poste Italiane", "poste"),
    "BancoDoBrasil": ("Banco do Brasil", "Banco do Brasil", "bb"),
    "Bradesco": ("Bradesco", "Bradesco", "bradesco"),
    "WesternUnion": ("Western Union", "Western Union", "westernunion"),
    "Visa": ("Visa", "Visa", "visa"),
}
FOREIGN_WEIGHTS = {"PayPal": 25, "eBay": 14, "BankOfAmerica": 10, "Chase": 6, "WellsFargo": 6,
                   "HSBC": 4, "Barclays": 3, "LloydsTSB": 3, "Citibank": 4, "WaMu": 4, "Halifax": 3,
                   "NatWest": 2, "CapitalOne": 3, "Amazon": 3, "PosteItaliane": 2,
                   "BancoDoBrasil": 2, "Bradesco": 2, "WesternUnion": 2, "Visa": 2}
# brands a reporter of a given TLD usually reports
FOREIGN_BY_TLD = {"br": ["BancoDoBrasil", "Bradesco"], "it": ["PosteItaliane"],
                  "uk": ["Barclays", "LloydsTSB", "HSBC", "Halifax", "NatWest"]}
DOMESTIC_WEIGHTS = {"SMBC": 3, "Mizuho": 2, "MUFG": 2, "JapanPostBank": 2, "JapanNetBank": 1,
                    "Rakuten": 2, "YahooJapan": 2, "Shinsei": 1, "Resona": 1, "eBANK": 1}


def brand_names(key):
    return BRANDS_DOMESTIC.get(key) or BRANDS_FOREIGN[key]


# --------------------------------------------------------------------------------------------
# Host names and URLs
# --------------------------------------------------------------------------------------------

WORDS = ["sakura", "green", "garden", "auto", "travel", "photo", "kids", "dental", "hotel",
         "studio", "taxi", "farm", "print", "clinic", "music", "cafe", "design", "tour", "pet",
         "flower", "golf", "house", "wine", "book", "art", "sun", "river", "lake", "hill",
         "star", "moon", "ocean", "forest", "yama", "umi", "hana", "kaze", "tsuki", "midori",
         "aoba", "hikari", "nagomi", "kobo", "shop", "net", "web", "info", "media", "soft",
         "tech", "data", "home", "family", "life", "smile", "happy", "blue", "red", "silver",
         "gold", "north", "south", "east", "west", "alpha", "delta", "nova", "metro", "city",
         "land", "park", "field", "stone", "wood", "craft", "fine", "pure", "true", "prime",
         "global", "local", "daily", "fresh", "clean", "quick", "best", "top", "mega", "micro"]
HOST_TLDS = [("co.jp", 8), ("jp", 5), ("ne.jp", 1), ("or.jp", 1), ("com", 8), ("net", 4),
             ("org", 2), ("info", 3), ("biz", 1), ("de", 1), ("com.br", 1), ("ru", 1), ("cn", 1),
             ("kr", 1), ("com.tw", 1), ("pl", 1), ("us", 1), ("co.uk", 1)]


class Names:
    """Unique host names and URLs (a URL is never reused except by intended merges)."""

    def __init__(self):
        self.hosts = set()

    def lookalike(self, rng, token):
        """e.g. paypal.com.secure-login7.info: the brand token in front of someone else's domain."""
        while True:
            w1, w2 = pick(rng, WORDS), pick(rng, WORDS)
            t = pick(rng, ["info", "com", "net", "biz", "ru", "cn", "us"])
            h = f"{token}.{pick(rng, ['com', 'co.jp', 'jp', 'net'])}.{w1}-{w2}{rng.randrange(1, 99)}.{t}"
            if w1 != w2 and h not in self.hosts:
                self.hosts.add(h)
                return h

    def host(self, rng, tld=None):
        while True:
            w1, w2 = pick(rng, WORDS), pick(rng, WORDS)
            if w1 == w2:
                continue
            t = tld or wchoice(rng, [t for t, _ in HOST_TLDS], [w for _, w in HOST_TLDS])
            core = pick(rng, [f"{w1}-{w2}", f"{w1}{w2}", f"{w1}{w2}{rng.randrange(1, 99)}", f"{w1}-{w2}{rng.randrange(2, 9)}"])
            prefix = pick(rng, ["www.", "www.", "", "shop.", "blog.", "web."])
            h = f"{prefix}{core}.{t}"
            if h not in self.hosts:
                self.hosts.add(h)
                return h


def phish_path(rng, token):
    if token is None:
        return pick(rng, ["/images/.x/login/verify.php", "/includes/secure/signin.htm",
                          "/~user/.login/index.php", "/tmp/.acc/update.html",
                          "/wp-content/uploads/.verify/login.php", "/css/account/confirm.htm",
                          "/cgi-bin/.sec/auth.cgi", "/admin/images/webmail/login.php",
                          "/.well/account-update/index.html", "/data/.s/session/login.htm"])
    return pick(rng, [f"/images/.{token}/login.php", f"/{token}/webscr.php?cmd=_login-run",
                      f"/~web/{token}/signin/index.htm", f"/js/{token}/ib/login.html",
                      f"/.secure/{token}/update/index.php", f"/cgi-bin/{token}/account/verify.html",
                      f"/img/{token}/logon.htm", f"/{token}.com/secure/login.php",
                      f"/www.{token}.com/confirm/index.html", f"/{token}/online/auth.php"])


MALWARE_FILES = ["update.exe", "flashplayer.exe", "codec_install.exe", "photo.scr", "video.exe",
                 "setup.exe", "win32.exe", "install.exe", "x.js", "ms08.exe", "svchost.exe",
                 "readme.pif", "loader.exe", "ie.exe", "counter.js"]
MALWARE_NAMES = ["Trojan-Downloader.Win32.Agent", "TROJ_AGENT.AFVH", "W32/Allaple.worm",
                 "W32.Netsky.P@mm", "Mal/Iframe-E", "JS/Wonka", "Trojan.Zlob", "TSPY_ONLINEG.CEH",
                 "PWS-Gamania", "W32/Sdbot.worm", "Trojan-PSW.Win32.OnLineGames", "W32/Mytob.gen@MM",
                 "Trojan.Fakealert", "JS_IFRAME.AE"]
WORM_NAMES = ["W32/Allaple.worm", "W32.Netsky.P@mm", "W32/Mytob.gen@MM", "W32/Sdbot.worm",
              "W32.Rinbot", "W32/Bagle.gen@MM"]


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------

@dataclass
class Incident:
    ip: str
    ports: list = field(default_factory=list)   # scan destination ports (1, or >=5: comprehensive)
    urls: list = field(default_factory=list)    # phishing/malware/defaced site URLs on this IP


@dataclass
class Report:
    rid: int
    quarter: str
    rtype: str
    sub: str
    size: int
    special: str = ""
    org: Org | None = None
    brand: str | None = None          # brand key
    incidents: list = field(default_factory=list)
    evidence: str = ""                # scan: sshd/apache/iptables/pfw/xarf/auto; others: style
    mails: list = field(default_factory=list)
    pin: str = ""                     # "start"/"end": placed at a quarter edge
    method: str = ""
    after: list = field(default_factory=list)
    defang: bool = False
    first_fwd: str = ""               # "" or "rfc822"/"inline"/"lure": the first mail is a forward


@dataclass
class Mail:
    serial: int
    kind: str                         # first/followup/fwdthread/second/noninc
    report: Report | None
    org: Org
    person: tuple
    received: dt.datetime             # JST
    msgid: str = ""
    parent: "Mail | None" = None
    incs: list = field(default_factory=list)   # incidents mentioned
    urls: list = field(default_factory=list)   # URLs mentioned (subset of incs' URLs)
    evidence: str = ""
    lang: str = "ja"
    topic: int = 0
    to: str = INCIDENT_ADDR
    date_delta: int = 0               # seconds between Date: and the centre's Received:


def partition(rng, n_inc, n_rep, cap=9):
    sizes = [1] * n_rep
    extra = n_inc - n_rep
    assert extra >= 0, (n_inc, n_rep)
    while extra > 0:
        i = wchoice(rng, list(range(n_rep)), [(s ** 1.3 if s < cap else 0.0) for s in sizes])
        sizes[i] += 1
        extra -= 1
    rng.shuffle(sizes)
    return sizes


def compat(org, rep):
    """How likely org sends this report (0: never)."""
    k = org.kind
    w = ORG_AFF.get(org.domain, AFF[k]).get(rep.rtype, 0)
    if w == 0:
        return 0.0
    if k == "autossh" and rep.sub != "p22":
        return 0.0
    if k == "xarfconn" and not (rep.size == 1 and rep.sub in ("p22", "comp")):
        return 0.0
    if k == "xarfphish" and not (rep.size == 1 and rep.sub != "domestic"):
        return 0.0
    if rep.rtype == "phishing" and rep.sub == "domestic":
        w *= 4.0 if org.tld == "jp" or org.provider in ("nifty.com",) else 0.15
    if rep.rtype == "intrusion" and org.kind in ("secsvc",):
        w *= 0.5
    return w * org.weight


class Model:
    def __init__(self, seed):
        self.seed = seed
        self.alloc = IPAlloc(seed)
        self.cat = Catalog(seed, self.alloc)
        self.names = Names()
        self.reports = []
        self.mails = []
        self.noninc = []
        self.msgids = set()
        self.serial = 0
        self.forced = []

    # ---- building blocks shared by quarter and bench modes
    def new_mail(self, kind, report, org, person, received, **kw):
        self.serial += 1
        m = Mail(self.serial, kind, report, org, person, received, **kw)
        m.lang = org.lang
        m.msgid = self.make_msgid(m)
        m.date_delta = random.Random(f"dd:{self.seed}:{m.serial}").randrange(35, 540)
        self.mails.append(m)
        return m

    def make_msgid(self, m):
        rng = random.Random(f"mid:{self.seed}:{m.serial}")
        t = m.received.astimezone(UTC)
        dom = m.org.relays[0][0].split(".", 1)[1] if m.org.kind == "person" else m.org.domain
        style = rng.randrange(4)
        if style == 0:
            mid = f"<{t:%Y%m%d%H%M%S}.{rng.getrandbits(40):010X}@{dom}>"
        elif style == 1:
            mid = f"<{rng.getrandbits(32):08X}.{rng.randrange(1000000, 9999999)}@{dom}>"
        elif style == 2:
            mid = f"<000{rng.getrandbits(20):05x}01c8{rng.getrandbits(16):04x}${rng.getrandbits(32):08x}${rng.getrandbits(32):08x}@{m.org.relays[0][0].split('.')[0]}>"
        else:
            mid = f"<{t:%Y%m%d%H%M%S}-{m.serial}.{rng.getrandbits(24):06x}@{dom}>"
        assert mid not in self.msgids
        self.msgids.add(mid)
        return mid

    def pick_person(self, org, rng):
        return pick(rng, org.persons)

    def choose_org(self, rng, rep, tld=None, exclude=()):
        by = self.cat.by_tld()
        cands = by[tld] if tld else self.cat.orgs + self.cat.providers
        ws = [compat(o, rep) if o.domain not in exclude else 0.0 for o in cands]
        if sum(ws) == 0:
            self.forced.append((tld, rep.rtype, rep.sub))
            ws = [o.weight if (o.domain not in exclude and o.kind not in ("autossh", "xarfconn", "xarfphish")
                               and o.domain not in ORG_AFF) else 0.0 for o in cands]
        o = wchoice(rng, cands, ws)
        if o.kind == "person":
            o = self.cat.individual(o, rng)
        return o

    def fill_report(self, rng, rep):
        """Brand, evidence style and incidents (IPs, ports, URLs) of a report whose org is set."""
        org = rep.org
        if rep.rtype == "phishing" and rep.brand is None:
            if rep.sub == "domestic":
                keys = list(DOMESTIC_WEIGHTS)
                rep.brand = wchoice(rng, keys, [DOMESTIC_WEIGHTS[k] for k in keys])
            elif rep.sub == "foreign":
                pool = FOREIGN_BY_TLD.get(org.tld)
                if pool and rng.random() < 0.85:
                    rep.brand = pick(rng, pool)
                else:
                    keys = list(FOREIGN_WEIGHTS)
                    rep.brand = wchoice(rng, keys, [FOREIGN_WEIGHTS[k] for k in keys])
        if rep.rtype == "phishing":
            rep.defang = rng.random() < 0.22
        if rep.rtype == "scan":
            rep.evidence = self.scan_evidence(rng, rep, org)
        elif rep.rtype == "intrusion":
            plan = PLAN.get(rep.quarter) or PLAN[Q2]
            rep.method = pick(rng, plan["intrusion_methods"])
            rep.after = rng.sample(plan["intrusion_after"], k=rng.choice([1, 2, 2]))
            rep.after = list(dict.fromkeys(rep.after))
        elif rep.rtype == "other" and rep.sub == "malware":
            rep.defang = rng.random() < 0.3
        region_w = {
            "scan": (["cn", "us", "kr", "eu", "jp", "latam", "tw", "asia", "ru"], [30, 14, 11, 16, 9, 5, 5, 6, 4]),
            "forged": (["us", "eu", "asia", "latam", "cn", "kr", "ru"], [20, 25, 15, 15, 10, 10, 5]),
            "intrusion": (["cn", "eu", "us", "kr", "ru", "latam", "jp"], [25, 20, 15, 10, 10, 10, 10]),
            "phishing": (["jp", "us", "eu", "kr", "cn", "asia", "ru", "latam"], [55, 14, 10, 5, 5, 4, 4, 3]),
            "other": (["jp", "cn", "us", "eu", "ru", "kr", "latam"], [35, 18, 14, 14, 9, 5, 5]),
        }[rep.rtype]
        v6_ok = ((rep.rtype == "scan" and rep.evidence in ("sshd", "apache") and rep.size == 1) or
                 (rep.rtype == "phishing" and rep.size == 1 and org.kind != "xarfphish"))
        for i in range(rep.size):
            if v6_ok and rng.random() < 0.035:
                ip = self.alloc.v6(rng)
            else:
                ip = self.alloc.v4(rng, wchoice(rng, *region_w))
            inc = Incident(ip)
            if rep.rtype == "scan":
                if rep.sub == "comp":
                    inc.ports = sorted(rng.sample(COMP_PORT_POOL, k=rng.randrange(5, 12)))
                else:
                    inc.ports = [SCAN_PORTS[rep.sub]]
            elif rep.rtype == "phishing":
                token = brand_names(rep.brand)[2] if rep.brand else None
                n_urls = 1 if (org.kind == "xarfphish" or rep.size > 3) else wchoice(rng, [1, 2, 3], [80, 15, 5])
                hosts = []
                for j in range(n_urls):
                    if j == 0 or rng.random() < 0.5:
                        if rng.random() < 0.12 and ":" not in ip:
                            hosts.append(ip)
                        elif token and rng.random() < 0.2:
                            hosts.append(self.names.lookalike(rng, token))
                        else:
                            hosts.append(self.names.host(rng))
                    else:
                        hosts.append(hosts[-1])
                seen = set()
                for h in hosts:
                    while True:
                        u = f"http://{h}{phish_path(rng, token if rng.random() < 0.85 else None)}"
                        if u not in seen:
                            seen.add(u)
                            break
                    inc.urls.append(u)
            elif rep.rtype == "other" and rep.sub == "malware":
                h = ip if (rng.random() < 0.15 and ":" not in ip) else self.names.host(rng)
                d = pick(rng, ["", "/images", "/data", "/up", "/files", "/bbs/data", "/js", "/~temp"])
                inc.urls.append(f"http://{h}{d}/{pick(rng, MALWARE_FILES)}")
            elif rep.rtype == "other" and rep.sub == "deface":
                h = self.names.host(rng)
                inc.urls.append(f"http://{h}/" + pick(rng, ["", "index.html", "index.php", "top.html", "news/index.html"]))
            rep.incidents.append(inc)

    def scan_evidence(self, rng, rep, org):
        if org.kind == "xarfconn":
            return "xarf"
        if org.kind == "autossh":
            return "auto"
        return self.scan_evidence_for_port(rng, rep.sub)

    @staticmethod
    def scan_evidence_for_port(rng, sub):
        if sub == "p22":
            return wchoice(rng, ["sshd", "iptables", "pfw"], [75, 20, 5])
        if sub == "p80":
            return wchoice(rng, ["apache", "iptables", "pfw"], [82, 13, 5])
        if sub == "comp":
            return wchoice(rng, ["iptables", "pfw"], [60, 40])
        return wchoice(rng, ["iptables", "pfw"], [60, 40])

    # ---- quarter mode
    def build_quarter(self, q):
        rng = random.Random(f"quarter:{self.seed}:{q}")
        plan = PLAN[q]
        qs, qe = QSPAN[q]
        reps = []
        for rtype, sub, n_inc, n_rep in plan["groups"]:
            for size in partition(rng, n_inc, n_rep):
                reps.append(Report(0, q, rtype, sub, size))
        for rtype, sub, size, special in plan["specials"]:
            reps.append(Report(0, q, rtype, sub, size, special=special))
        rng.shuffle(reps)
        # --- reporters: exact TLD counts, organisations that fit the report
        slots = dict(plan["tld"])
        assert sum(slots.values()) == len(reps), (q, sum(slots.values()), len(reps))
        by = self.cat.by_tld()
        camp_org = None
        for r in reps:
            if r.special:
                if q == Q1:
                    camp_org = camp_org or next(o for o in self.cat.orgs if o.domain == "kagami-security.co.jp")
                    r.org = camp_org
                else:
                    r.org = next(o for o in self.cat.orgs if o.domain == "highstreet-bank.co.uk")
                slots[r.org.tld] -= 1
        order = sorted([r for r in reps if not r.special],
                       key=lambda r: {"forged": 0, "intrusion": 1, "phishing": 2, "other": 3, "scan": 4}[r.rtype])
        for r in order:
            tlds = [t for t in slots if slots[t] > 0]
            ws = []
            for t in tlds:
                cw = sum(compat(o, r) for o in by[t])
                ws.append(cw * slots[t] / (1 + sum(o.weight for o in by[t])))
            if sum(ws) == 0:
                ws = [slots[t] for t in tlds]
            t = wchoice(rng, tlds, ws)
            slots[t] -= 1
            r.org = self.choose_org(rng, r, tld=t)
        assert all(v == 0 for v in slots.values())
        for r in reps:
            if r.special:
                r.brand = "Mizuho" if q == Q1 else "LloydsTSB"
            self.fill_report(rng, r)
            if r.special:
                r.evidence = "campaign"
        # --- first-mail times; a few pinned at the quarter edges
        edges = {Q1: [("start", dt.datetime(2008, 1, 1, 0, 7, 12, tzinfo=JST), 0),
                      ("start", dt.datetime(2008, 1, 1, 3, 41, 55, tzinfo=JST), 0),
                      ("end", dt.datetime(2008, 3, 31, 23, 12, 40, tzinfo=JST), 0),
                      ("end", dt.datetime(2008, 3, 31, 23, 59, 10, tzinfo=JST), 200)],
                 Q2: [("start", dt.datetime(2008, 4, 1, 0, 1, 30, tzinfo=JST), 200),
                      ("start", dt.datetime(2008, 4, 1, 0, 20, 11, tzinfo=JST), 0),
                      ("start", dt.datetime(2008, 4, 1, 6, 44, 2, tzinfo=JST), 0),
                      ("end", dt.datetime(2008, 6, 30, 23, 31, 27, tzinfo=JST), 0),
                      ("end", dt.datetime(2008, 6, 30, 23, 58, 44, tzinfo=JST), 0)]}[q]
        free = [r for r in reps if not r.special]
        pinned = rng.sample(free, k=len(edges))
        first_mails = []
        for r in reps:
            r.rid = len(self.reports) + 1
            self.reports.append(r)
            person = self.pick_person(r.org, rng)
            if r in pinned:
                pin, t, dd = edges[pinned.index(r)]
                r.pin = pin
            else:
                t = self.sample_time(rng, r.org, qs, qe - dt.timedelta(hours=2))
                dd = 0
            m = self.new_mail("first", r, r.org, person, t)
            if dd:
                m.date_delta = dd
            m.incs = list(r.incidents)
            m.urls = [u for i in r.incidents for u in i.urls]
            m.evidence = r.evidence
            r.mails.append(m)
            first_mails.append(m)
            if r.rtype in ("scan", "phishing", "other", "intrusion") and not r.special and \
                    r.org.kind not in ("autossh", "xarfconn", "xarfphish") and rng.random() < 0.07:
                r.first_fwd = pick(rng, ["rfc822", "inline"])
            if r.rtype == "phishing" and r.brand and r.org.kind == "person" and not r.first_fwd and rng.random() < 0.35:
                r.first_fwd = "lure"
        # the campaign's second report is the next day, same reporter
        if q == Q1:
            c1 = next(r for r in reps if r.special == "campaign")
            c2 = next(r for r in reps if r.special == "campaign2")
            c1.mails[0].received = dt.datetime(2008, 2, 4, 10, 12, 5, tzinfo=JST)
            c2.mails[0].received = dt.datetime(2008, 2, 5, 9, 47, 31, tzinfo=JST)
            c2.mails[0].person = c1.mails[0].person
        # --- extra messages: second reporters, follow-ups, forwards within a thread
        self.add_seconds(rng, q, reps, plan["seconds"])
        self.add_followups(rng, q, reps, plan["followups"], "followup")
        self.add_followups(rng, q, reps, plan["fwd_followups"], "fwdthread")
        # --- non-incident messages
        nstart = {Q1: dt.datetime(2008, 1, 1, 8, 15, 3, tzinfo=JST), Q2: dt.datetime(2008, 4, 1, 2, 10, 44, tzinfo=JST)}[q]
        for k in range(plan["non_incident"]):
            org = self.noninc_org(rng)
            t = nstart if k == 0 else self.sample_time(rng, org, qs, qe - dt.timedelta(hours=1))
            m = self.new_mail("noninc", None, org, self.pick_person(org, rng), t)
            m.topic = rng.randrange(1000)
            m.to = INFO_ADDR if rng.random() < 0.55 else INCIDENT_ADDR
            self.noninc.append(m)

    def noninc_org(self, rng):
        cands = self.cat.orgs + self.cat.providers
        ws = [(o.weight * (3 if o.tld == "jp" else 1) if o.kind not in ("autossh", "xarfconn", "xarfphish") else 0) for o in cands]
        o = wchoice(rng, cands, ws)
        if o.kind == "person":
            o = self.cat.individual(o, rng)
        return o

    def sample_time(self, rng, org, start, end):
        """A received time in [start, end): senders write in their office hours mostly."""
        span = int((end - start).total_seconds())
        auto = org.kind in ("autossh", "xarfconn", "xarfphish")
        for _ in range(200):
            t = start + dt.timedelta(seconds=rng.randrange(span))
            if auto:
                return t
            lt = in_zone(org.zone, t)
            w = 1.0 if 9 <= lt.hour < 19 else (0.35 if 7 <= lt.hour < 23 else 0.08)
            if lt.weekday() >= 5:
                w *= 0.3
            if org.lang == "ja" and (lt.month, lt.day) in ((1, 1), (1, 2), (1, 3), (4, 29), (5, 3), (5, 4), (5, 5), (5, 6), (2, 11), (3, 20), (1, 14)):
                w *= 0.3
            if rng.random() < w:
                return t
        return t

    def add_seconds(self, rng, q, reps, n):
        qs, qe = QSPAN[q]
        elig = [r for r in reps if not r.pin and not r.special and
                ((r.rtype == "phishing") or (r.rtype == "other" and r.sub == "malware") or
                 (r.rtype == "scan" and r.sub != "comp"))
                and r.mails[0].received < qe - dt.timedelta(days=6)]
        weights = [{"phishing": 5, "other": 3, "scan": 1.2}[r.rtype] for r in elig]
        done = 0
        count = {}
        while done < n:
            r = wchoice(rng, elig, weights)
            if count.get(r.rid, 0) >= 2:
                continue
            count[r.rid] = count.get(r.rid, 0) + 1
            first = r.mails[0]
            used = {m.org.domain for m in r.mails} | ({m.org.provider for m in r.mails} - {None})
            probe = Report(0, q, r.rtype, r.sub, 1)
            org = self.choose_org(rng, probe, exclude=used)
            if org.kind == "person" and org.domain in used:
                continue
            t = first.received + dt.timedelta(seconds=rng.randrange(26 * 3600, 118 * 3600))
            if t >= qe - dt.timedelta(hours=1):
                continue
            m = self.new_mail("second", r, org, self.pick_person(org, rng), t)
            k = rng.choice([1, 1, 1, 2]) if len(r.incidents) > 1 else 1
            m.incs = rng.sample(r.incidents, k=min(k, len(r.incidents)))
            m.incs.sort(key=r.incidents.index)
            m.urls = [u for i in m.incs for u in (i.urls if rng.random() < 0.7 else i.urls[:1])]
            if r.rtype == "scan":
                m.evidence = "xarf" if (org.kind == "xarfconn" and r.sub == "p22") else \
                    ("auto" if org.kind == "autossh" else self.scan_evidence_for_port(rng, r.sub))
                if org.kind == "xarfconn" and r.sub != "p22":
                    m.evidence = self.scan_evidence_for_port(rng, r.sub)
                if any(":" in i.ip for i in m.incs) and m.evidence not in ("sshd", "apache", "auto", "xarf"):
                    m.evidence = "sshd" if r.sub == "p22" else "apache"
            r.mails.append(m)
            done += 1

    def add_followups(self, rng, q, reps, n, kind):
        qs, qe = QSPAN[q]
        elig = [r for r in reps if r.pin != "end" and r.mails[0].received < qe - dt.timedelta(days=3)
                and r.org.kind not in ("xarfconn", "xarfphish")]
        weights = [{"phishing": 3, "other": 2, "scan": 1, "intrusion": 4, "forged": 3}[r.rtype] for r in elig]
        done = 0
        while done < n:
            r = wchoice(rng, elig, weights)
            own = [m for m in r.mails if m.org is r.org]
            if len(own) >= 4:
                continue
            parent = max(own, key=lambda m: m.received)
            t = parent.received + dt.timedelta(seconds=rng.randrange(2 * 3600, 6 * 86400))
            if t >= qe - dt.timedelta(hours=1):
                continue
            m = self.new_mail(kind, r, r.org, r.mails[0].person, t, parent=parent)
            # which incidents it repeats (never new ones)
            if r.rtype in ("scan", "phishing", "intrusion", "other", "forged") and rng.random() < 0.72:
                k = rng.randrange(1, len(r.incidents) + 1)
                m.incs = sorted(rng.sample(r.incidents, k=k), key=r.incidents.index)
                m.urls = [u for i in m.incs for u in i.urls]
            m.evidence = r.evidence
            r.mails.append(m)
            done += 1

    # ---- the figures of the model
    def figures(self, q):
        reps = [r for r in self.reports if r.quarter == q]
        f = {"messages": sum(len(r.mails) for r in reps), "reports": len(reps)}
        f["incidents"] = sum(len({i.ip for i in r.incidents}) for r in reps)
        bt = {t: 0 for t in ("scan", "forged", "intrusion", "phishing", "other")}
        ports, comp, brand = {}, 0, {"domestic": 0, "foreign": 0, "unknown": 0}
        tld = {}
        for r in reps:
            first = min(r.mails, key=lambda m: m.received)
            tld[first.org.tld] = tld.get(first.org.tld, 0) + 1
            for i in r.incidents:
                bt[r.rtype] += 1
                if r.rtype == "scan":
                    if len(set(i.ports)) >= 5:
                        comp += 1
                    else:
                        assert len(i.ports) == 1
                        ports[i.ports[0]] = ports.get(i.ports[0], 0) + 1
                if r.rtype == "phishing":
                    if r.brand is None:
                        brand["unknown"] += 1
                    elif r.brand in BRANDS_DOMESTIC:
                        brand["domestic"] += 1
                    else:
                        brand["foreign"] += 1
        f["by_type"] = bt
        named = [e["tld"] for e in TARGETS[q]["reporter_tld"]]
        f["reporter_tld"] = [{"tld": t, "reports": tld.get(t, 0)} for t in named]
        f["_other_tlds"] = {t: c for t, c in sorted(tld.items()) if t not in named}
        f["scan_ports"] = [{"proto": "tcp", "port": p, "incidents": c}
                           for p, c in sorted(ports.items(), key=lambda kv: (-kv[1], kv[0]))]
        f["comprehensive_scans"] = comp
        f["phishing_brand"] = brand
        f["non_incident"] = sum(1 for m in self.noninc if quarter_of(m.received) == q)
        f["notifications"] = Coordination(self).notices.get(q, 0)
        return f

    def check_model(self):
        """Every invariant the mails rely on; returns a list of problems."""
        problems = []
        for q in (Q1, Q2):
            f = self.figures(q)
            tgt = TARGETS[q]
            for k, v in tgt.items():
                if f.get(k) != v:
                    problems.append(f"{q}: {k}: model {f.get(k)!r} != target {v!r}")
            last = tgt["reporter_tld"][-1]["reports"]
            for t, c in f["_other_tlds"].items():
                if c >= last:
                    problems.append(f"{q}: TLD {t} has {c} reports, not fewer than {last}")
        ip_owner = {}
        url_owner = {}
        relay_ips = {ip for o in self.all_orgs() for _, ip in o.relays}
        for r in self.reports:
            qs, qe = QSPAN[r.quarter]
            first = r.mails[0]
            if min(r.mails, key=lambda m: m.received) is not first:
                problems.append(f"report {r.rid}: first mail is not the earliest")
            for m in r.mails:
                if not (qs <= m.received < qe):
                    problems.append(f"report {r.rid}: mail {m.serial} outside its quarter")
                if m.kind == "second":
                    d = (m.received - first.received).total_seconds() / 86400
                    if not (1 <= d <= 5) or m.org.domain == r.org.domain and m.org.kind != "person" or m.org is r.org:
                        problems.append(f"report {r.rid}: bad second reporter mail {m.serial}")
                    if not m.incs:
                        problems.append(f"report {r.rid}: second reporter without indicators")
                for i in m.incs:
                    if i not in r.incidents:
                        problems.append(f"report {r.rid}: mail {m.serial} names a new address")
            for i in r.incidents:
                if ip_owner.setdefault(i.ip, r.rid) != r.rid:
                    problems.append(f"IP {i.ip} in reports {ip_owner[i.ip]} and {r.rid}")
                if i.ip in relay_ips:
                    problems.append(f"IP {i.ip} is also a relay address")
                for u in i.urls:
                    if url_owner.setdefault(u, r.rid) != r.rid:
                        problems.append(f"URL {u} in two reports")
            if r.rtype == "phishing":
                if (r.sub == "unknown") != (r.brand is None):
                    problems.append(f"report {r.rid}: brand/sub mismatch")
        return problems

    def all_orgs(self):
        out = list(self.cat.orgs) + list(self.cat.providers)
        for v in self.cat.person_pool.values():
            out.extend(v)
        return out


# Coordination of the quarters (issue 4)
# --------------------------------------------------------------------------------------------
#
# Kizuna's worker plans one notice per responder per round, listing every new site of that
# responder. Replayed with one round at the end of each day (23:59 JST), a quarter's notices are
# therefore the sum over its days of the distinct administrators of the sites first reported that
# day. Who administers which address is the centre's contact directory: this writes one, giving
# each day's addresses exactly as many administrators as make the quarter's published count
# (465 notifications for 2008-04..06, 492 for 2008-01..03). An address keeps one administrator
# across days. Sites: one per reported URL (created by the first mail naming it), or the address
# itself for an incident reported without a URL (created by the first mail naming the address).

class Coordination:
    ROUND = dt.time(23, 59)

    def __init__(self, model):
        self.model = model
        self.org_of = {}      # ip -> org index
        self.notices = {}     # quarter -> notices the replay must send
        self.days = []        # every JST date with a round
        self._plan()

    def round_of(self, t):
        """The date of the first round at or after `t` (a mail at 23:59:30 waits for tomorrow's)."""
        local = t.astimezone(JST)
        return local.date() + dt.timedelta(days=1 if local.time() > self.ROUND else 0)

    def site_days(self):
        """{round date: set of ips with a site first reported since the round before}."""
        days = {}
        for r in self.model.reports:
            mails = sorted(r.mails, key=lambda m: (m.received, m.serial))
            for inc in r.incidents:
                naming = [m for m in mails if inc in m.incs]
                if not naming:
                    continue
                if inc.urls:
                    for u in inc.urls:
                        with_url = [m for m in naming if u in m.urls]
                        if with_url:
                            days.setdefault(self.round_of(with_url[0].received), set()).add(inc.ip)
                else:
                    days.setdefault(self.round_of(naming[0].received), set()).add(inc.ip)
        return days

    def _plan(self):
        rng = random.Random(20081)
        days = self.site_days()
        by_q = {}
        for d in sorted(days):
            by_q.setdefault(quarter_of(dt.datetime.combine(d, self.ROUND, JST)), []).append(d)
        next_org = 0
        for q in (Q1, Q2):
            qdays = by_q.get(q, [])
            target = TARGETS[q]["notifications"]
            # k[d] distinct administrators on day d: at least 1, at most its addresses.
            cap = {d: len(days[d]) for d in qdays}
            k = {d: 1 for d in qdays}
            extra = target - len(qdays)
            assert 0 <= extra <= sum(cap.values()) - len(qdays), (q, target, len(qdays), sum(cap.values()))
            order = list(qdays)
            while extra > 0:
                rng.shuffle(order)
                for d in order:
                    if extra and k[d] < cap[d]:
                        k[d] += 1
                        extra -= 1
            sent = 0
            carry = 0
            for d in qdays:
                ips = sorted(days[d])
                want = max(1, min(len(ips), k[d] + carry))
                fixed = sorted({self.org_of[ip] for ip in ips if ip in self.org_of})
                free = [ip for ip in ips if ip not in self.org_of]
                rng.shuffle(free)
                new_needed = max(0, want - len(fixed))
                new_needed = min(new_needed, len(free))
                fresh = list(range(next_org, next_org + new_needed))
                next_org += new_needed
                for i, ip in enumerate(free):
                    if i < len(fresh):
                        self.org_of[ip] = fresh[i]
                    elif fixed or fresh:
                        self.org_of[ip] = (fixed + fresh)[i % len(fixed + fresh)]
                    else:
                        self.org_of[ip] = next_org
                        next_org += 1
                got = len({self.org_of[ip] for ip in ips})
                carry = k[d] + carry - got
                sent += got
            self.notices[q] = sent
        self.days = sorted(days)

    def rounds(self):
        """Every day of both quarters, each round at 23:59 JST (ISO 8601)."""
        first = dt.date(2008, 1, 1)
        return [(first + dt.timedelta(days=i)).isoformat() + "T23:59:00+09:00" for i in range(182)]

    def contacts_toml(self):
        orgs = {}
        for ip, o in self.org_of.items():
            orgs.setdefault(o, []).append(ip)
        out = []
        for o in sorted(orgs):
            blocks = ", ".join(f'"{ip}/{128 if ":" in ip else 32}"' for ip in sorted(orgs[o]))
            out.append(f'[[organisation]]\nname = "Responder {o:03d}"\nkind = "isp"\ncountry = "JP"\nlanguage = "ja"\n'
                       f'netblocks = [{blocks}]\nabuse = ["abuse@responder{o:03d}.example.jp"]\n')
        return "\n".join(out)

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "contacts.toml"), "w", encoding="utf-8") as f:
            f.write(self.contacts_toml())
        with open(os.path.join(out, "replay.json"), "w", encoding="utf-8") as f:
            json.dump({"rounds": self.rounds(), "notifications": self.notices}, f, indent=1)
            f.write("\n")


def quarter_of(t):
    for q, (s, e) in QSPAN.items():
        if s <= t < e:
            return q
    return None


# --------------------------------------------------------------------------------------------
# MIME: a small serializer under full control (fixed boundaries, exact encodings)
# --------------------------------------------------------------------------------------------

class Part:
    def __init__(self, headers, body=b"", parts=None, boundary=None):
        self.headers = headers          # list of "Name: value" (ASCII, already folded)
        self.body = body                # bytes (already transfer-encoded) for a leaf
        self.parts = parts              # list of Part for multipart
        self.boundary = boundary

    def serialize(self):
        out = [h.encode("ascii") + b"\n" for h in self.headers]
        out.append(b"\n")
        if self.parts is None:
            out.append(self.body)
            if not self.body.endswith(b"\n"):
                out.append(b"\n")
        else:
            b = self.boundary.encode("ascii")
            out.append(b"This is a multi-part message in MIME format.\n")
            for p in self.parts:
                out.append(b"\n--" + b + b"\n")
                out.append(p.serialize())
            out.append(b"\n--" + b + b"--\n")
        return b"".join(out)


def fold_plain(name, value, width=76):
    """Fold an ASCII header value at spaces."""
    words = value.split(" ")
    lines, cur = [], f"{name}:"
    for w in words:
        if len(cur) + 1 + len(w) > width and cur.strip() != f"{name}:":
            lines.append(cur)
            cur = " " + w
        else:
            cur = cur + " " + w
    lines.append(cur)
    return "\n".join(lines)


def encoded_words(text, charset, enc="B"):
    """RFC 2047 encoded words, each <= 75 characters, split at character boundaries."""
    cs = charset.upper()
    pycs = {"ISO-2022-JP": "iso2022_jp", "SHIFT_JIS": "shift_jis", "UTF-8": "utf-8",
            "ISO-8859-1": "latin-1", "ISO-8859-2": "iso8859_2"}[cs]
    limit = 75 - len(f"=?{cs}?{enc}??=")
    words, chunk = [], ""

    def enc_word(s):
        raw = s.encode(pycs)
        if enc == "B":
            return base64.b64encode(raw).decode("ascii")
        out = []
        for byte in raw:
            c = chr(byte)
            if c == " ":
                out.append("_")
            elif c.isalnum() and byte < 128:
                out.append(c)
            else:
                out.append(f"={byte:02X}")
        return "".join(out)

    for ch in text:
        if chunk and len(enc_word(chunk + ch)) > limit:
            words.append(f"=?{cs}?{enc}?{enc_word(chunk)}?=")
            chunk = ch
        else:
            chunk += ch
    if chunk:
        words.append(f"=?{cs}?{enc}?{enc_word(chunk)}?=")
    return words


def header_text(name, text, charset, prefix=""):
    """A header whose value may need RFC 2047 encoding; `prefix` stays plain (e.g. 'Re: ')."""
    try:
        text.encode("ascii")
        return fold_plain(name, prefix + text)
    except UnicodeEncodeError:
        pass
    try:
        text.encode(PYCS.get(charset.lower(), charset.lower()))
    except (UnicodeEncodeError, LookupError):
        charset = "UTF-8"
    enc = "Q" if charset.upper().startswith("ISO-8859") else "B"
    words = encoded_words(text, charset, enc)
    first = f"{name}: {prefix}{words[0]}"
    return "\n ".join([first] + words[1:])


def addr_header(name, display, addr, charset):
    if not display:
        return f"{name}: {addr}"
    try:
        display.encode("ascii")
        if any(c in display for c in ",.()<>@;:\""):
            return f'{name}: "{display}" <{addr}>'
        return f"{name}: {display} <{addr}>"
    except UnicodeEncodeError:
        try:
            display.encode(PYCS.get(charset.lower(), charset.lower()))
        except (UnicodeEncodeError, LookupError):
            charset = "UTF-8"
        enc = "Q" if charset.upper().startswith("ISO-8859") else "B"
        words = encoded_words(display, charset, enc)
        return f"{name}: " + "\n ".join(words) + f" <{addr}>"


PYCS = {"iso-2022-jp": "iso2022_jp", "shift_jis": "shift_jis", "utf-8": "utf-8",
        "us-ascii": "ascii", "iso-8859-1": "latin-1", "iso-8859-2": "iso8859_2"}


def text_part(text, charset, cte, name=None, disposition=None, ctype="text/plain", ja_name_cs=None):
    raw = text.encode(PYCS[charset])
    if cte == "7bit" or cte == "8bit":
        body = raw
    elif cte == "base64":
        body = base64.encodebytes(raw)
    elif cte == "quoted-printable":
        body = quopri.encodestring(raw)
    else:
        raise ValueError(cte)
    cs_label = {"iso-2022-jp": "ISO-2022-JP", "shift_jis": "Shift_JIS", "utf-8": pick_label(text, "UTF-8", "utf-8"),
                "us-ascii": "us-ascii", "iso-8859-1": "ISO-8859-1", "iso-8859-2": "ISO-8859-2"}[charset]
    ct = f"Content-Type: {ctype}; charset={cs_label}" if charset != "iso-2022-jp" else f'Content-Type: {ctype}; charset="{cs_label}"'
    hs = []
    if name:
        hs.append(ct + ";\n " + name_param("name", name, ja_name_cs))
        hs.append(f"Content-Transfer-Encoding: {cte}")
        hs.append(f"Content-Disposition: {disposition or 'attachment'};\n " + name_param("filename", name, ja_name_cs))
    else:
        if ctype == "text/plain" and charset != "iso-2022-jp" and len(text) % 3 == 0 and \
                not any(ln.endswith(" ") and ln != "-- " for ln in text.split("\n")):
            ct += "; format=flowed"
        hs.append(ct)
        hs.append(f"Content-Transfer-Encoding: {cte}")
    return Part(hs, body)


def pick_label(text, a, b):
    return a if len(text) % 2 else b


def name_param(param, name, cs):
    try:
        name.encode("ascii")
        return f'{param}="{name}"'
    except UnicodeEncodeError:
        # what Japanese mailers of the time did: an encoded word inside the quotes
        return f'{param}="{"".join(encoded_words(name, cs or "ISO-2022-JP"))}"'


def binary_part(data, ctype, name):
    hs = [f'Content-Type: {ctype};\n name="{name}"', "Content-Transfer-Encoding: base64",
          f'Content-Disposition: attachment;\n filename="{name}"']
    return Part(hs, base64.encodebytes(data))


def zip_bytes(files, when):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files:
            zi = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            z.writestr(zi, text.encode("ascii"))
    return buf.getvalue()


# ---- OpenPGP clear signature with a well-formed packet (key not in anyone's keyring)

def _crc24(data):
    crc = 0xB704CE
    for b in data:
        crc ^= b << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def clearsign(text, rng, when, keyid):
    lines = [ln.rstrip(" \t") for ln in text.rstrip("\n").split("\n")]
    data = "\r\n".join(lines).encode("ascii")
    created = int(when.timestamp())
    hashed_sub = bytes([5, 2]) + struct.pack(">I", created)
    hashed = bytes([4, 0x01, 17, 2]) + struct.pack(">H", len(hashed_sub)) + hashed_sub
    unhashed = bytes([9, 16]) + keyid
    digest = hashlib.sha1(data + hashed + b"\x04\xff" + struct.pack(">I", len(hashed))).digest()

    def mpi(bits):
        v = rng.getrandbits(bits) | (1 << (bits - 1))
        return struct.pack(">H", bits) + v.to_bytes(bits // 8, "big")

    body = hashed + struct.pack(">H", len(unhashed)) + unhashed + digest[:2] + mpi(160) + mpi(160)
    packet = bytes([0x88, len(body)]) + body
    b64 = base64.b64encode(packet).decode("ascii")
    crc = base64.b64encode(_crc24(packet).to_bytes(3, "big")).decode("ascii")
    escaped = [("- " + ln) if ln.startswith("-") else ln for ln in lines]
    out = ["-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA1", ""] + escaped
    out += ["-----BEGIN PGP SIGNATURE-----", "Version: GnuPG v1.4.7 (GNU/Linux)", ""]
    out += [b64[i:i + 64] for i in range(0, len(b64), 64)]
    out += ["=" + crc, "-----END PGP SIGNATURE-----", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Evidence: log lines in the four formats a handler sees (plus X-ARF)
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------

PORT_JA = {22: "SSH (22/tcp)", 80: "HTTP (80/tcp)", 5900: "VNC (5900/tcp)", 21: "FTP (21/tcp)",
           139: "NetBIOS (139/tcp)", 10000: "10000/tcp", 20000: "20000/tcp"}
PORT_EN = {22: "SSH (22/tcp)", 80: "HTTP (80/tcp)", 5900: "VNC (5900/tcp)", 21: "FTP (21/tcp)",
           139: "NetBIOS (139/tcp)", 10000: "port 10000/tcp", 20000: "port 20000/tcp"}


def defang_url(u):
    scheme, rest = u.split("://", 1)
    host, _, path = rest.partition("/")
    return f"{scheme.replace('http', 'hxxp')}://{host.replace('.', '[.]')}/{path}"


@dataclass
class Content:
    subject: str
    text: str
    attachments: list = field(default_factory=list)   # Part
    pre_parts: list = field(default_factory=list)
    signed: bool = False
    html: bool = False


class Ctx:
    def __init__(self, model, m, rng):
        self.model, self.m, self.rng = model, m, rng
        self.r = m.report
        self.org = m.org
        self.lang = m.lang
        self.person = m.person
        self.date = in_zone(m.org.zone, m.received - dt.timedelta(seconds=m.date_delta))
        own = m.org.own or [("www", OWN_POOL[m.serial % len(OWN_POOL)])]
        self.own_host, self.own_ip = own[m.serial % len(own)]
        self.own_ips = [ip for _, ip in own]
        self.defang = bool(self.r and self.r.defang and rng.random() < 0.9)
        self.addressee = None


class Writer:
    """Builds the words of every mail; deterministic per mail serial."""

    def __init__(self, model):
        self.model = model
        self.cache = {}

    def rng(self, m, tag=""):
        return random.Random(f"text:{self.model.seed}:{m.serial}:{tag}")

    def content(self, m):
        if m.serial in self.cache:
            return self.cache[m.serial]
        rng = self.rng(m)
        ctx = Ctx(self.model, m, rng)
        if m.kind == "noninc":
            c = self.noninc(ctx)
        elif m.kind in ("first", "second"):
            c = self.report_mail(ctx)
        elif m.kind == "followup":
            c = self.followup(ctx)
        else:
            c = self.fwdthread(ctx)
        if len(self.cache) > 5000:
            self.cache.clear()
        self.cache[m.serial] = c
        return c

    # ---- pieces
    def greet(self, ctx):
        rng = ctx.rng
        if getattr(ctx, "addressee", None) is not None:
            o = ctx.addressee
            if ctx.lang == "ja":
                return f"{o.name_ja or o.name_en or o.domain} ご担当者様" if o.kind != "person" else f"{sender_address(o, o.persons[0])[0] or ''}様"
            return f"Dear {o.name_en} team," if (o.kind != "person" and o.name_en) else "Hello,"
        if ctx.lang == "ja":
            return pick(rng, [f"{CENTRE_JA}\nご担当者様", f"{CENTRE_JA} ご担当者様", "ご担当者様",
                              f"{CENTRE_JA}\nインシデント報告窓口 ご担当者様", f"{CENTRE_JA} 御中"])
        return pick(rng, ["Dear colleagues,", "Hello,", "Dear Sir or Madam,", f"Dear {CENTRE_EN},",
                          "Dear CSIRT team,", "Hi,", "To whom it may concern,"])

    def intro(self, ctx):
        rng, org, p = ctx.rng, ctx.org, ctx.person
        if ctx.lang == "ja":
            fam = p[0].split(" ")[0] if p[0] else "担当"
            if org.kind == "person":
                return pick(rng, [f"突然のご連絡失礼いたします。{fam}と申します。",
                                  f"個人でサーバを運用している{fam}と申します。",
                                  f"はじめてご連絡いたします。{fam}と申します。"])
            return pick(rng, [f"お世話になっております。{org.name_ja} {org.dept}の{fam}です。",
                              f"{org.name_ja}の{fam}と申します。",
                              f"いつもお世話になっております。\n{org.name_ja} {org.dept}の{fam}です。"])
        if org.kind == "person":
            return pick(rng, ["", "I am a private person running a small server at home.",
                              "I am writing to you as an individual user."])
        if org.kind in ("autossh", "xarfconn", "xarfphish"):
            return ""
        return pick(rng, [f"This is {p[1]} of {org.name_en} ({org.dept}).",
                          f"I am writing on behalf of {org.name_en}.",
                          f"{org.name_en} ({org.dept}) would like to report the following.", ""])

    def signature(self, ctx):
        rng, org, p = ctx.rng, ctx.org, ctx.person
        disp_ja, disp_en, addr = sender_address(org, p)
        if ctx.lang == "ja":
            if org.kind == "person":
                return pick(rng, [f"--\n{disp_ja}\n{addr}", f"{disp_ja.split(' ')[0]}", f"------------------------------\n{disp_ja}\nE-mail: {addr}\n------------------------------"])
            prng = random.Random(f"tel:{addr}:{disp_ja}")
            tel = f"{pick(prng, ['03', '06', '052', '092', '011', '045'])}-{prng.randrange(1000, 9999)}-{prng.randrange(1000, 9999)}"
            sep = pick(rng, ["--", "----------------------------------------", "=" * 40, "━━━━━━━━━━━━━━━━━━━━"])
            return f"{sep}\n{org.name_ja} {org.dept}\n{disp_ja} ({disp_en})\nE-mail: {addr}\nTEL: {tel}\n{sep if sep != '--' else ''}".rstrip()
        if org.kind == "person":
            return pick(rng, [f"-- \n{disp_en}", disp_en.split(" ")[0], f"Regards,\n{disp_en}"])
        if org.kind in ("autossh", "xarfconn", "xarfphish"):
            return f"-- \n{org.name_en} - {org.dept}\nThis message was generated automatically."
        prng = random.Random(f"tel:{addr}:{disp_en}")
        cc = {"uk": "44 20", "de": "49 30", "fr": "33 1", "nl": "31 20", "br": "55 11", "pl": "48 22", "kr": "82 2",
              "cn": "86 10", "tw": "886 2", "it": "39 02", "au": "61 2", "ru": "7 495", "se": "46 8", "ch": "41 44",
              "es": "34 91", "at": "43 1", "be": "32 2", "dk": "45", "fi": "358 9", "hk": "852", "in": "91 22",
              "mx": "52 55", "sg": "65", "nz": "64 9", "jp": "81 3"}.get(org.tld, "1 " + str(prng.randrange(201, 989)))
        phone = f"+{cc} {prng.randrange(100, 999)} {prng.randrange(1000, 9999)}"
        key = f"\nPGP key ID: 0x{prng.getrandbits(32):08X}" if org.kind == "csirt" else ""
        return f"-- \n{disp_en}\n{org.dept}, {org.name_en}\nPhone: {phone}{key}"

    def own_phrase(self, ctx, web=False):
        rng = ctx.rng
        if ctx.lang == "ja":
            if ctx.org.kind == "person":
                return pick(rng, [f"自宅のサーバ ({ctx.own_ip})", f"私が管理しているサーバ ({ctx.own_ip})"])
            w = "Web" if web else ""
            we = {"univ": ["本学の", "当組織の"], "gov": ["当組織の", "当方の"]}.get(ctx.org.kind, ["当社の", "弊社", "当組織の"])
            return pick(rng, [f"{pick(rng, we)}{w}サーバ ({ctx.own_ip})", f"{pick(rng, we)}{w}サーバ ({ctx.own_host}, {ctx.own_ip})",
                              f"当方で管理している{w}サーバ（{ctx.own_ip}）"])
        if ctx.org.kind == "person":
            return pick(rng, [f"my home server ({ctx.own_ip})", f"my server {ctx.own_ip}"])
        return pick(rng, [f"our server {ctx.own_ip}", f"our {'web ' if web else ''}server at {ctx.own_ip}",
                          f"one of our servers ({ctx.own_ip})", f"our host {ctx.own_host} ({ctx.own_ip})"])

    def url_line(self, ctx, url, ip, style):
        u = defang_url(url) if ctx.defang else url
        ipt = ip.replace(".", "[.]") if (ctx.defang and ctx.rng.random() < 0.15) else ip
        if ctx.lang == "ja":
            return [f"URL: {u} (IPアドレス: {ipt})", f"  {u}  ({ipt})", f"{u} （{ipt}）",
                    f"・{u}  IP: {ipt}", f"{u} -> {ipt}"][style % 5]
        return [f"URL: {u}  IP: {ipt}", f"  {u} ({ipt})", f"{u} [{ipt}]", f"- {u} resolves to {ipt}",
                f"{u} hosted on {ipt}", f"{ipt}  {u}"][style % 6]

    def url_block(self, ctx, incs, urls):
        style = ctx.rng.randrange(6)
        out = []
        for inc in incs:
            for u in inc.urls:
                if u in urls:
                    out.append(self.url_line(ctx, u, inc.ip, style))
        return out

    def ip_lines(self, ctx, incs, label=None, port=False):
        rng = ctx.rng
        if ctx.lang == "ja":
            label = label or pick(rng, ["送信元IPアドレス", "攻撃元", "アクセス元IPアドレス", "送信元"])
        else:
            label = label or pick(rng, ["Source IP", "Attacker", "Offending IP", "Source"])
        out = []
        for inc in incs:
            s = f"{label}: {inc.ip}"
            if port and inc.ports and len(inc.ports) < 5:
                s += (f"  宛先ポート: {inc.ports[0]}/tcp" if ctx.lang == "ja" else f"  Destination port: {inc.ports[0]}/tcp")
            out.append(s)
        return out

    def closing(self, ctx, kind="general"):
        rng = ctx.rng
        if ctx.lang == "ja":
            req = {
                "scan": ["送信元の管理者への連絡をお願いできますでしょうか。", "アクセス元への対応依頼をお願いいたします。",
                         "関係先への連絡をお願いできれば幸いです。", ""],
                "site": ["サイトの停止に向けて、関係先への連絡をお願いいたします。", "閉鎖に向けたご対応をお願いできますでしょうか。",
                         "サイト管理者への連絡をお願いいたします。"],
                "general": ["お手数ですが、ご対応のほどよろしくお願いいたします。", "関係先への連絡をお願いできれば幸いです。"],
            }[kind]
            end = pick(rng, ["よろしくお願いいたします。", "以上、よろしくお願いいたします。", "何卒よろしくお願い申し上げます。"])
            r = pick(rng, req)
            return (r + "\n" + end) if r else end
        req = {
            "scan": ["Please contact the responsible party and ask them to stop this activity.",
                     "We would appreciate it if you could forward this to the owner of the host.",
                     "Could you please notify the administrator of this host?", ""],
            "site": ["Could you please help us to have the site taken down?",
                     "Please contact the hosting provider and have the site removed.",
                     "We would appreciate your assistance in getting this site shut down."],
            "general": ["Please take appropriate action.", "Thank you for your assistance."],
        }[kind]
        end = pick(rng, ["Thank you.", "Best regards,", "Kind regards,", "Regards,", "Thanks in advance,"])
        r = pick(rng, req)
        return (r + "\n\n" + end) if r else end

    def compose(self, ctx, lead, middle, close_kind):
        parts = [self.greet(ctx)]
        intro = self.intro(ctx)
        if intro:
            parts.append(intro)
        parts.append(lead)
        parts += [x for x in middle if x]
        parts.append(self.closing(ctx, close_kind))
        parts.append(self.signature(ctx))
        return "\n\n".join(parts) + "\n"

    # ---- evidence placement
    def evidence(self, ctx, incs, kind, success_user=None):
        """(inline text or '', attachments) showing the scans of `incs`."""
        rng = ctx.rng
        t_end = ctx.date - dt.timedelta(seconds=rng.randrange(300, 3 * 3600))
        if kind in ("sshd", "auto"):
            lines, fname = sshd_lines(rng, ctx.own_host, incs, t_end, success_user), pick(rng, ["auth.log", "secure.txt", "sshd_log.txt", "secure.log"])
        elif kind == "apache":
            lines, fname = apache_lines(rng, incs, t_end), pick(rng, ["access_log.txt", "access.log", "httpd-access.txt"])
        elif kind == "iptables":
            lines, fname = iptables_lines(rng, ctx.own_host, incs, ctx.own_ips, t_end), pick(rng, ["messages.txt", "kern.log", "fw_log.txt", "iptables.log"])
        elif kind == "pfw":
            lines, fname = pfw_lines(rng, incs, ctx.own_ips, t_end), "pfirewall.log"
        else:
            raise ValueError(kind)
        text = "\n".join(lines) + "\n"
        placement = wchoice(rng, ["inline", "attach", "zip", "both"], [50, 25, 12, 13])
        if len(lines) > 40 and placement == "inline":
            placement = "attach"
        atts = []
        inline = ""
        if placement in ("inline", "both"):
            shown = lines if placement == "inline" else (lines[:4] if kind != "pfw" else lines[:8])
            if ctx.lang == "ja":
                head = pick(rng, ["ログ (抜粋):", "【ログ】", "以下、ログの一部です。", "---- ログ ----"])
            else:
                head = pick(rng, ["Log excerpt:", "Logs:", "Relevant log lines:", "----- log -----"])
            inline = head + "\n" + "\n".join(shown)
        if placement in ("attach", "both"):
            ja_name = ctx.lang == "ja" and rng.random() < 0.12
            name = pick(rng, ["アクセスログ.txt", "ログ.txt", "不正アクセスログ.txt"]) if ja_name else fname
            cte = wchoice(rng, ["7bit", "base64"], [55, 45])
            atts.append(text_part(text, "us-ascii", cte, name=name, ja_name_cs="ISO-2022-JP"))
        if placement == "zip":
            data = zip_bytes([(fname, text)], ctx.date)
            ctype = wchoice(rng, ["application/octet-stream", "application/zip", "application/x-zip-compressed"], [70, 15, 15])
            atts.append(binary_part(data, ctype, pick(rng, ["logs.zip", "log.zip", fname.split(".")[0] + ".zip"])))
        if placement in ("attach", "zip", "both") and not inline:
            inline = ("ログを添付いたしますので、ご確認ください。" if ctx.lang == "ja" else "Please find the logs attached.")
        elif placement == "both":
            inline += "\n" + ("(全体は添付ファイルをご参照ください)" if ctx.lang == "ja" else "(full log attached)")
        return inline, atts, lines

    # ---- report mails (first mails and second reporters)
    def report_mail(self, ctx):
        r, m = ctx.r, ctx.m
        if m.kind == "first" and r.first_fwd in ("rfc822", "inline"):
            return self.forwarded_first(ctx)
        if m.kind == "first" and r.first_fwd == "lure":
            return self.lure_report(ctx)
        return self.body_for(ctx, r.rtype)

    def body_for(self, ctx, rtype):
        fn = {"scan": self.scan, "forged": self.forged, "intrusion": self.intrusion,
              "phishing": self.phishing, "other": self.other}[rtype]
        return fn(ctx)

    # scan ------------------------------------------------------------------
    def scan(self, ctx):
        r, m, rng = ctx.r, ctx.m, ctx.rng
        ev = m.evidence if m.kind == "second" else r.evidence
        incs = m.incs
        if ev == "xarf":
            return self.xarf_conn(ctx, incs)
        if ev == "auto":
            return self.auto_ssh(ctx, incs)
        inline, atts, _ = self.evidence(ctx, incs, ev)
        ports = sorted({p for i in incs for p in i.ports})
        comp = any(len(i.ports) >= 5 for i in incs)
        pdesc_ja = PORT_JA.get(ports[0], f"{ports[0]}/tcp") if not comp else ""
        pdesc_en = PORT_EN.get(ports[0], f"{ports[0]}/tcp") if not comp else ""
        own = self.own_phrase(ctx, web=(ev == "apache"))
        if ctx.lang == "ja":
            if comp:
                lead = pick(rng, [f"{own}に対して、同一の送信元から複数のポートに対するポートスキャンを受けました。",
                                  f"ファイアウォールのログに、{own}の多数のポートを順に調べるポートスキャンが記録されていました。"])
            elif ev == "sshd":
                lead = pick(rng, [f"{own}のSSHサービスに対して、ブルートフォース攻撃 (ログイン試行) を受けましたので報告いたします。",
                                  f"{own}に対するSSHへの不正アクセスの試みを検知しました。短時間に多数のログイン試行が記録されています。",
                                  f"{own}に対して、外部からSSHのログイン試行が繰り返し行われました。"])
            elif ev == "apache":
                lead = pick(rng, [f"{own}に対して、脆弱性を探索する不審なアクセスがありました。",
                                  f"{own}のアクセスログに、以下のIPアドレスからの不正アクセスの試みと思われる記録がありました。",
                                  f"{own}に対するスキャンと思われるアクセスを確認しました。"])
            else:
                lead = pick(rng, [f"ファイアウォールのログに、{own}の{pdesc_ja}に対するポートスキャンと思われるアクセスが記録されていました。",
                                  f"{own}に対するポートスキャン ({pdesc_ja}) を検知しましたので報告いたします。",
                                  f"{own}の{pdesc_ja}への不審なアクセス (スキャン) が続いております。"])
            detail = "\n".join(self.ip_lines(ctx, incs, port=(not comp and rng.random() < 0.5)))
            if comp:
                detail += "\n宛先ポート: " + ", ".join(str(p) for p in incs[0].ports) + " など"
            tail = pick(rng, ["いずれもファイアウォールで遮断しており、被害は確認されておりません。",
                              "ログイン試行はすべて失敗しており、実害はありません。" if ev == "sshd" else "現時点で被害は確認されていません。",
                              "現時点で被害は確認されていませんが、念のため報告いたします。"])
            if ev == "apache" and rng.random() < 0.5:
                tail = "該当するファイルは存在せず、被害はありません。"
            subj = pick(rng, ["不正アクセスの報告", "ポートスキャンの報告" if ev != "sshd" else "SSHへのブルートフォース攻撃について",
                              f"【報告】不正アクセスの試み ({ctx.date:%Y/%m/%d})", "不審なアクセスについてのご報告",
                              f"[報告] {incs[0].ip} からのスキャン"])
        else:
            if comp:
                lead = pick(rng, [f"The host below performed a scan of many ports on {own}.",
                                  f"Our IDS detected a multi-port scan (probe of several services) against {own} from the address below."])
            elif ev == "sshd":
                lead = pick(rng, [f"We have detected SSH brute force login attempts against {own} from the address(es) below.",
                                  f"{own[0].upper() + own[1:]} was the target of repeated password guessing (brute force login attempts) over SSH.",
                                  f"The following host has been running a brute force attack against the SSH service (22/tcp) of {own}."])
            elif ev == "apache":
                lead = pick(rng, [f"{own[0].upper() + own[1:]} was probed for vulnerable scripts by the host(s) listed below.",
                                  f"We are seeing scanning activity against {own} from the following address(es).",
                                  f"The host(s) below sent a series of suspicious requests to {own} (vulnerability probe)."])
            else:
                lead = pick(rng, [f"Our firewall logged a port scan against {own} ({pdesc_en}) from the following source(s).",
                                  f"We observed probes against {pdesc_en} on {own} from the host(s) below.",
                                  f"Please find below firewall logs showing scan activity against {pdesc_en} of {own}."])
            detail = "\n".join(self.ip_lines(ctx, incs, port=(not comp and rng.random() < 0.5)))
            if comp:
                detail += "\nPorts probed: " + ", ".join(str(p) for p in incs[0].ports)
            tail = pick(rng, ["All attempts failed; no damage was done.", "The traffic was blocked by our firewall.",
                              "No harm was done, but we would like this activity to stop.",
                              "From what we can see, all attempts failed and no harm was done."])
            subj = pick(rng, [f"SSH brute force attack from {incs[0].ip}" if ev == "sshd" else f"Scan from {incs[0].ip}",
                              "Port scan report" if ev != "sshd" else "Brute force login attempts",
                              f"Abuse report: scanning from {incs[0].ip}",
                              f"[{ctx.org.domain.split('.')[0].upper()}#{rng.randrange(10000, 99999)}] Scan activity from your constituency",
                              f"Probe from {incs[0].ip}"])
        middle = [detail, inline, tail]
        if rng.random() < 0.3:
            middle = [inline, detail, tail]
        return Content(subj, self.compose(ctx, lead, middle, "scan"), atts)

    def auto_ssh(self, ctx, incs):
        rng = ctx.rng
        lines = sshd_lines(rng, pick(rng, ["srv", "node", "host", "mx"]) + str(rng.randrange(1, 99)), incs,
                           ctx.date - dt.timedelta(minutes=rng.randrange(20, 600)))
        n = len(lines)
        head = ["Hello,", "", "this is an automated report from the SSH-Blocklist Project.", ""]
        if len(incs) == 1:
            head.append(f"The host {incs[0].ip} ran a brute force attack (SSH login attempts) against one of")
            head.append(f"our members' servers (port 22/tcp). {n} failed logins were recorded.")
        else:
            head.append(f"The hosts listed below ran brute force attacks (SSH login attempts) against")
            head.append("servers of our members (port 22/tcp).")
        head.append("")
        for i in incs:
            head.append(f"Source IP: {i.ip}")
        head += ["Destination port: 22/tcp", "", "Log excerpt (time zone of the reporting server):"] + lines
        head += ["", "Please investigate the host(s) and stop the attack. Replies to this address",
                 "reach a human.", "", self.signature(ctx)]
        subj = f"[SSH-Blocklist] brute force attack from {incs[0].ip}" if len(incs) == 1 else f"[SSH-Blocklist] brute force attacks from {len(incs)} hosts"
        return Content(subj, "\n".join(head) + "\n")

    def xarf_conn(self, ctx, incs):
        rng, org = ctx.rng, ctx.org
        inc = incs[0]
        comp = len(inc.ports) >= 5
        t_end = ctx.date - dt.timedelta(minutes=rng.randrange(5, 300))
        if comp:
            lines = iptables_lines(rng, "sensor" + str(rng.randrange(1, 40)), [inc], ctx.own_ips, t_end)
        else:
            lines = sshd_lines(rng, "honeypot" + str(rng.randrange(1, 40)), [inc], t_end)
        payload = "\n".join(lines) + "\n"
        rep = {
            "xarf_version": "4.0.0",
            "report_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "timestamp": ctx.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reporter": {"org": org.name_en, "contact": f"{org.locals[0]}@{org.domain}", "domain": org.domain},
            "sender": {"org": org.name_en, "contact": f"{org.locals[0]}@{org.domain}", "domain": org.domain},
            "source_identifier": inc.ip,
            "source_port": rng.randrange(1025, 65000),
            "category": "connection",
            "type": "port_scan" if comp else "login_attack",
            "evidence_source": pick(rng, ["honeypot", "ids_detection", "firewall_logs"]),
            "destination_ip": ctx.own_ip,
            "protocol": "tcp",
        }
        if comp:
            rep.update({"scan_type": "syn_scan", "ports_scanned": inc.ports, "packets_sent": len(lines)})
        else:
            rep.update({"destination_port": 22, "service": "ssh", "attempt_count": len(lines),
                        "successful_logins": 0, "attack_pattern": "brute_force"})
        rep["first_seen"] = (t_end - dt.timedelta(hours=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rep["evidence"] = [{"content_type": "text/plain",
                            "description": "Firewall log entries" if comp else "SSH authentication failure logs",
                            "payload": base64.b64encode(payload.encode()).decode(),
                            "hash": "sha256:" + hashlib.sha256(payload.encode()).hexdigest()}]
        rep["tags"] = ["pattern:systematic", "scan_type:syn"] if comp else ["attack:brute_force", "service:ssh"]
        js = json.dumps(rep, indent=2) + "\n"
        if comp:
            what = f"a port scan of {len(inc.ports)} ports (probe of several services)"
            detail = f"Source IP: {inc.ip}\nPorts scanned: {', '.join(map(str, inc.ports))} (tcp)"
            subj = f"X-ARF abuse report: port scan from {inc.ip}"
        else:
            what = "brute force login attempts against SSH"
            detail = f"Source IP: {inc.ip}\nDestination port: 22/tcp\nAttempts: {len(lines)}"
            subj = f"X-ARF abuse report: login attack from {inc.ip}"
        text = (f"Dear abuse team,\n\nthis is an automatically generated abuse report in X-ARF (version 4) format.\n\n"
                f"Our sensors recorded {what} from the address below.\n\n{detail}\n\n"
                f"The machine-readable report is attached (xarf.json). Please take the\nappropriate action.\n\n{self.signature(ctx)}\n")
        cte = wchoice(rng, ["7bit", "base64"], [60, 40]) if max(len(x) for x in js.split("\n")) < 900 else "base64"
        att = text_part(js, "utf-8", cte, name="xarf.json", ctype="application/json")
        return Content(subj, text, [att])

    # forged ----------------------------------------------------------------
    def forged(self, ctx):
        rng, incs, org = ctx.rng, ctx.m.incs, ctx.org
        dom = org.domain
        spam_subj = pick(rng, ["cheap meds online", "Best replica watches", "Discount software here",
                               "Re: your order", "Hot stock alert", "Meet singles tonight"])
        local = pick(rng, ["info", "sales", "support", "k.tanaka", "admin", "news"])
        quote = [f"> Received: from unknown (HELO {pick(rng, ['user', 'pc', 'localhost', 'home'])}{rng.randrange(1, 999)}) ([{i.ip}])" for i in incs]
        quote += [f">         by {pick(rng, ['mx', 'mail', 'smtp'])}{rng.randrange(1, 9)}.{self.model.names_host_static(rng)} with SMTP; {rfc2822(ctx.date - dt.timedelta(hours=rng.randrange(2, 30)))}",
                  f"> From: \"{pick(rng, ['Sales', 'Info', 'Service'])}\" <{local}@{dom}>",
                  f"> Subject: {spam_subj}"]
        if ctx.lang == "ja":
            lead = pick(rng, [f"当社ドメイン ({dom}) の送信元アドレスを詐称したメールが大量に送信されているようです。宛先不明で戻ってきたエラーメールが当社のメールサーバに大量に届いています。",
                              "差出人アドレスを詐称した迷惑メールについて報告いたします。当社の実在しないアドレスが差出人として使われ、エラーメール (バウンスメール) が大量に返送されてきています。",
                              f"送信元アドレスを詐称したメールが、当社のドメイン {dom} を騙って不特定多数に送られています。"])
            ipl = []
            for i in incs:
                ipl.append(pick(rng, [f"送信元IPアドレス: {i.ip}", f"エラーメールに含まれていた元のメールのヘッダを確認したところ、送信元IPアドレスは {i.ip} でした。"]))
            mid = ["\n".join(ipl), "エラーメールに含まれていたヘッダの一部:\n" + "\n".join(quote)]
            subj = pick(rng, ["送信元アドレスを詐称したメールについて", "差出人詐称メールの報告", "【報告】当社ドメインを詐称した迷惑メール"])
        else:
            lead = pick(rng, [f"Our domain {dom} is being used as the From: address of spam (spoofed sender). We are receiving thousands of bounces (backscatter).",
                              f"We are receiving a large number of bounce messages for mail we never sent; the sender addresses in our domain {dom} were forged.",
                              f"Someone is sending spam with forged headers using addresses of {dom}."])
            ipl = [pick(rng, [f"The spam was sent from {i.ip}.", f"Originating IP: {i.ip}", f"Sent from {i.ip}"]) for i in incs]
            mid = ["\n".join(ipl), "Header excerpt of one of the returned messages:\n" + "\n".join(quote)]
            subj = pick(rng, ["Spoofed sender / backscatter", f"Forged mail using {dom}", "Report: spam with forged From: addresses"])
        return Content(subj, self.compose(ctx, lead, mid, "general"))

    # intrusion -------------------------------------------------------------
    def intrusion(self, ctx):
        rng, r, incs = ctx.rng, ctx.r, ctx.m.incs
        method, after = r.method, r.after
        user = pick(rng, ["test", "guest", "oracle", "user1", "webadmin"])
        own = self.own_phrase(ctx, web=method in ("sqli", "analytics", "cmdinj"))
        if method in ("brute", "dict"):
            lines = sshd_lines(rng, ctx.own_host, incs, ctx.date - dt.timedelta(hours=rng.randrange(3, 48)), success_user=user)
            fname = "secure.log"
        else:
            t_end = ctx.date - dt.timedelta(hours=rng.randrange(3, 48))
            paths = {"sqli": ["/shop/detail.php?id=12%20and%201=1", "/shop/detail.php?id=12%20and%201=2",
                              "/shop/detail.php?id=-1%20union%20select%201,concat(login,0x3a,pass),3%20from%20admin--",
                              "/admin/login.php", "/admin/upload.php"],
                     "analytics": ["/cgi-bin/awstats.pl?configdir=|echo;echo%20YYY;id;echo%20YYY;echo|",
                                   "/cgi-bin/awstats.pl?configdir=|echo;echo%20YYY;uname%20-a;echo%20YYY;echo|",
                                   "/cgi-bin/awstats.pl?configdir=|echo;cd%20/tmp;chmod%20755%20m;./m;echo|"],
                     "cmdinj": ["/cgi-bin/ping.cgi?target=%3Bid", "/cgi-bin/ping.cgi?target=%3Buname%20-a",
                                "/cgi-bin/ping.cgi?target=%3Bcd%20/tmp%3Bchmod%20+x%20s%3B./s"]}[method]
            lines = apache_lines(rng, incs, t_end, paths=paths, status=200)
            fname = "access_log.txt"
        if ctx.lang == "ja":
            lead = pick(rng, [f"{own}が不正侵入の被害を受けましたので報告いたします。",
                              f"{own}に侵入されたことが判明しました。",
                              f"{own}への不正侵入が発生しました。"])
            how = {"brute": "SSHに対する総当り攻撃により、脆弱なパスワードが設定されていたアカウントのパスワードが破られ、侵入されました。",
                   "dict": "SSHへの辞書攻撃により、推測しやすいパスワードのアカウントが破られ、侵入されました。",
                   "sqli": "Webアプリケーションの脆弱性を突いたSQLインジェクション攻撃により侵入されました。",
                   "analytics": "Webのアクセス解析ツールの脆弱性を悪用されて侵入されました。",
                   "cmdinj": "CGIプログラムのコマンドインジェクションの脆弱性を悪用されて侵入されました。"}[method]
            acts = {"tamper": "システム上のファイルが改ざんされていました", "replace": "システムのファイルが置き換えられていました",
                    "logdel": "ログが消去されていました", "logtamper": "ログが改ざんされていました",
                    "webpage": "Webページが改ざんされていました", "mailer": "メール送信ツールが設置され、大量のメールが送信されていました",
                    "backdoor": "バックドアが設置されていました"}
            aft = "侵入後の操作として、" + "、また".join(acts[a] for a in after) + "。"
            ipl = "\n".join(self.ip_lines(ctx, incs, label=pick(rng, ["侵入元IPアドレス", "攻撃元", "侵入元"])))
            tail = pick(rng, ["サーバはネットワークから切り離し、現在調査中です。", "現在、サーバを停止して調査を進めております。"])
            head = pick(rng, ["該当するログ:", "ログ (抜粋):"])
            subj = pick(rng, ["サーバへの不正侵入について", "【至急】不正侵入の報告", "Webサーバへの侵入被害の報告"])
        else:
            lead = pick(rng, [f"We would like to report an intrusion: {own} has been compromised.",
                              f"{own[0].upper() + own[1:]} was compromised.",
                              f"We found that {own} was broken into (system compromise)."])
            how = {"brute": "The attacker gained access through a brute force password attack on SSH (a weak password was guessed).",
                   "dict": "The attacker got in with a dictionary password attack against SSH.",
                   "sqli": "The attacker got in via SQL injection in our web application.",
                   "analytics": "The intrusion used a vulnerability in a web analytics (access statistics) tool.",
                   "cmdinj": "The intrusion used a command injection vulnerability in a CGI script."}[method]
            acts = {"tamper": "tampered with system files", "replace": "replaced system binaries",
                    "logdel": "erased the logs", "logtamper": "tampered with the logs", "webpage": "modified our web pages",
                    "mailer": "installed a mail sending tool which was used to send bulk mail",
                    "backdoor": "installed a backdoor"}
            aft = "After the intrusion, the attacker " + " and ".join(acts[a] for a in after) + "."
            ipl = "\n".join(self.ip_lines(ctx, incs, label=pick(rng, ["Attacker IP", "Intruder", "Source of the intrusion"])))
            tail = pick(rng, ["The server has been taken offline for forensics.", "We are still investigating."])
            head = pick(rng, ["Relevant logs:", "Log excerpt:"])
            subj = pick(rng, ["Intrusion report", "Compromised server - intrusion from " + incs[0].ip, "Server compromise"])
        atts = []
        if len(lines) > 25 or rng.random() < 0.3:
            atts.append(text_part("\n".join(lines) + "\n", "us-ascii", pick(rng, ["7bit", "base64"]), name=fname))
            logtxt = head + "\n" + "\n".join(lines[-4:])
        else:
            logtxt = head + "\n" + "\n".join(lines)
        return Content(subj, self.compose(ctx, lead, [how + "\n" + aft, ipl, logtxt, tail], "general"), atts)

    # phishing --------------------------------------------------------------
    def brand_text(self, ctx):
        b = ctx.r.brand
        if b is None:
            return None
        ja, en, _ = brand_names(b)
        return ja if ctx.lang == "ja" else en

    def phishing(self, ctx):
        rng, r, m = ctx.rng, ctx.r, ctx.m
        if ctx.org.kind == "xarfphish":
            return self.xarf_phish(ctx)
        brand = self.brand_text(ctx)
        block = self.url_block(ctx, m.incs, m.urls)
        n = len(block)
        if ctx.lang == "ja":
            if brand:
                lead = pick(rng, [f"{brand}を装ったフィッシングサイトを発見しましたので報告いたします。",
                                  f"{brand}を騙るフィッシングメールが届きました。誘導先のフィッシングサイトは以下の通りです。",
                                  f"以下のURLに、{brand}のログイン画面を模倣したフィッシングサイトが設置されています。",
                                  f"{brand}のフィッシングサイトが稼働しています。"])
            else:
                lead = pick(rng, ["フィッシングサイトと思われるページを発見しました。どのサイトを装っているかは不明です。",
                                  "IDとパスワードの入力を求めるフィッシングページが設置されています。装っているサイトは特定できませんでした。"])
            if n > 1:
                lead += f"\n以下の{n}件のURLを確認しています。"
            if r.special:
                lead = (f"{brand}を装ったフィッシングサイトが多数設置されています。本日確認したサイトは以下の{n}件です。"
                        if r.special == "campaign" else
                        f"昨日ご報告した{brand}のフィッシングサイトとは別に、新たに以下の{n}件のフィッシングサイトを確認しました。")
            tail = pick(rng, ["現在もアクセス可能な状態です。", "本日時点でサイトが稼働していることを確認しています。", ""])
            subj = pick(rng, ["フィッシングサイトの報告", f"{brand}を装ったフィッシングサイトについて" if brand else "フィッシングサイトと思われるページについて",
                              "【報告】フィッシングサイト", f"フィッシングサイト ({n}件) のご報告"])
        else:
            if brand:
                lead = pick(rng, [f"We have identified a phishing site targeting {brand} customers.",
                                  f"Phishing site impersonating {brand}:",
                                  f"The following URL(s) host a {brand} phishing page.",
                                  f"A {brand} phishing kit was found at the location(s) below."])
            else:
                lead = pick(rng, ["We found a credential phishing page; the brand is unclear (a generic login form).",
                                  "The page below collects login credentials as a phishing page; we could not determine which brand it imitates."])
            if n > 1:
                lead += f" We found {n} URLs:"
            if r.special:
                lead = f"We are seeing a wave of {brand} phishing sites. The {n} sites below were reported to us today."
            tail = pick(rng, ["The site was live at the time of writing.", "The site is still active.", ""])
            subj = pick(rng, [f"Phishing site: {brand}" if brand else "Phishing site (brand unknown)",
                              f"[{ctx.org.domain.split('.')[0].upper()}-{rng.randrange(100000, 999999)}] Phishing site hosted in Japan",
                              "Phishing report", f"{brand} phishing" if brand else "Credential phishing page"])
        return Content(subj, self.compose(ctx, lead, ["\n".join(block), tail], "site"))

    def xarf_phish(self, ctx):
        rng, org, inc = ctx.rng, ctx.org, ctx.m.incs[0]
        brand = self.brand_text(ctx)
        url = ctx.m.urls[0]
        rep = {
            "xarf_version": "4.0.0",
            "report_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "timestamp": ctx.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reporter": {"org": org.name_en, "contact": f"{org.locals[0]}@{org.domain}", "domain": org.domain},
            "sender": {"org": org.name_en, "contact": f"{org.locals[0]}@{org.domain}", "domain": org.domain},
            "source_identifier": inc.ip,
            "category": "content",
            "type": "phishing",
            "evidence_source": "automated_scan",
            "url": url,
            "target_brand": brand,
            "evidence": [],
            "tags": ["technique:credential_harvesting"],
        }
        html = f"<html><head><title>{brand} - Log In</title></head><body><form method=post action=login.php></form></body></html>"
        rep["evidence"].append({"content_type": "text/html", "description": "Source code of phishing page",
                                "payload": base64.b64encode(html.encode()).decode(),
                                "hash": "sha256:" + hashlib.sha256(html.encode()).hexdigest()})
        js = json.dumps(rep, indent=2, ensure_ascii=False) + "\n"
        text = (f"Dear abuse team,\n\nthis is an automatically generated abuse report in X-ARF (version 4) format.\n\n"
                f"Phishing site impersonating {brand}:\n  {url} ({inc.ip})\n\n"
                f"The machine-readable report is attached (xarf.json). Please have the site\ntaken down.\n\n{self.signature(ctx)}\n")
        cte = wchoice(rng, ["7bit", "base64"], [50, 50]) if max(len(x) for x in js.encode().split(b"\n")) < 900 else "base64"
        att = text_part(js, "utf-8", cte, name="xarf.json", ctype="application/json")
        return Content(f"X-ARF abuse report: phishing ({brand}) at {inc.ip}", text, [att])

    # other -----------------------------------------------------------------
    def other(self, ctx):
        sub = ctx.r.sub
        return {"dos": self.dos, "malware": self.malware, "virus": self.virus, "deface": self.deface}[sub](ctx)

    def dos(self, ctx):
        rng, incs = ctx.rng, ctx.m.incs
        own = self.own_phrase(ctx, web=True)
        rows = [f"{i.ip}  {pick(rng, ['約', ''])}{rng.randrange(200, 9000)} pps" if ctx.lang == "ja" else f"{i.ip}  ~{rng.randrange(200, 9000)} pps" for i in incs]
        if ctx.lang == "ja":
            lead = pick(rng, [f"{own}がDoS攻撃を受けています。",
                              f"{own}に対して SYN flood によるサービス運用妨害 (DoS攻撃) が発生しています。",
                              f"{own}に対して大量のパケットが送りつけられ、サービスに支障が出ています (DDoS攻撃)。"])
            mid = ["主な送信元IPアドレスは以下の通りです。\n" + "\n".join(rows),
                   f"攻撃は{ctx.date:%m月%d日} {rng.randrange(0, 23)}時頃から継続しています。"]
            subj = pick(rng, ["DoS攻撃の報告", "SYN flood 攻撃について", "【至急】DDoS攻撃を受けています"])
        else:
            lead = pick(rng, [f"We are under a DoS attack (SYN flood) against {own}.",
                              f"{own[0].upper() + own[1:]} is receiving a UDP flood (denial of service) from the hosts below.",
                              f"DDoS attack against {own}; main sources below."])
            mid = ["Sources:\n" + "\n".join(rows), "The attack started a few hours ago and is ongoing."]
            subj = pick(rng, ["DoS attack report", "SYN flood from your network", "DDoS against our server"])
        return Content(subj, self.compose(ctx, lead, mid, "general"))

    def malware(self, ctx):
        rng, m = ctx.rng, ctx.m
        block = self.url_block(ctx, m.incs, m.urls)
        mal = pick(rng, MALWARE_NAMES)
        if ctx.lang == "ja":
            lead = pick(rng, ["ウイルス (マルウェア) が置かれたサイトを発見しました。",
                              "以下のURLから不正プログラム (マルウェア) がダウンロードされるようになっています。",
                              "マルウェア配布サイトについて報告いたします。"])
            mid = ["\n".join(block), f"ウイルス対策ソフトでは {mal} として検出されます。"]
            subj = pick(rng, ["マルウェア配布サイトの報告", "ウイルスが置かれたサイトについて", "不正プログラムの配布サイト"])
        else:
            lead = pick(rng, ["The following URL is distributing malware (a trojan downloader).",
                              "Malware download site:", "We found a malicious executable (malware) hosted at the location below."])
            mid = ["\n".join(block), f"Detected as {mal} by our anti-virus engine."]
            subj = pick(rng, ["Malware site report", "Malware distribution URL", f"Malware hosted at {m.incs[0].ip}"])
        return Content(subj, self.compose(ctx, lead, mid, "site"))

    def virus(self, ctx):
        rng, incs = ctx.rng, ctx.m.incs
        worm = pick(rng, WORM_NAMES)
        ips = "\n".join(i.ip for i in incs)
        if ctx.lang == "ja":
            lead = pick(rng, [f"ウイルスに感染していると思われるホストから、ワーム ({worm}) の感染活動と思われる通信が届いています。",
                              f"以下のホストがウイルス ({worm}) に感染しているようです。ウイルス付きのメールが大量に届いています。",
                              f"{self.own_phrase(ctx)}に対して、ワームに感染したホストからの通信が続いています。"])
            mid = ["感染が疑われるホスト:\n" + ips, "ホストの管理者に駆除をお願いしたく、ご連絡いたします。"]
            subj = pick(rng, ["ウイルス感染ホストについて", "ワーム感染と思われるホストの報告", f"{worm} に感染したホスト"])
        else:
            lead = pick(rng, [f"The host(s) below appear to be infected with a worm ({worm}) and are trying to spread.",
                              f"Virus-infected host(s) sending {worm} copies to our users:",
                              f"{self.own_phrase(ctx)[0].upper() + self.own_phrase(ctx)[1:]} keeps receiving worm traffic ({worm}) from infected hosts."])
            mid = ["Infected host(s):\n" + ips, "Please have the machine(s) cleaned."]
            subj = pick(rng, ["Infected host report", f"{worm} infected host", "Worm activity from your network"])
        return Content(subj, self.compose(ctx, lead, mid, "general"))

    def deface(self, ctx):
        rng, m = ctx.rng, ctx.m
        block = self.url_block(ctx, m.incs, m.urls)
        if ctx.lang == "ja":
            lead = pick(rng, ["以下のサイトのWebページが改ざんされ、不審なスクリプト (iframe) が埋め込まれています。",
                              "閲覧したサイトが改ざんされているようです。ページの末尾に不正なスクリプトが挿入されていました。",
                              "Webサイトの改ざんを発見しました。トップページの内容が書き換えられています。"])
            mid = ["対象サイト:\n" + "\n".join(block), "閲覧者が有害なサイトへ誘導されるおそれがあります。"]
            subj = pick(rng, ["Webサイト改ざんの報告", "改ざんされたサイトについて", "不正なスクリプトが埋め込まれたサイト"])
        else:
            lead = pick(rng, ["The web site below has been defaced; a hidden iframe was inserted into the page.",
                              "Website defacement: the pages below were modified and now load a malicious script.",
                              "We noticed that the following site has been defaced."])
            mid = ["Site:\n" + "\n".join(block), "Visitors may be redirected to harmful content."]
            subj = pick(rng, ["Defaced web site", "Website defacement report", "Defacement with malicious iframe"])
        return Content(subj, self.compose(ctx, lead, mid, "site"))

    # forwarded first mails ------------------------------------------------
    def inner_author(self, ctx, lang):
        rng = ctx.rng
        provs = [p for p in self.model.cat.providers if p.lang == lang] or self.model.cat.providers
        prov = pick(rng, provs)
        o = Org(-1, prov.domain, "person", lang, prov.zone, prov.region, 1, None, None, None, [])
        o.relays = prov.relays
        o.own = [("home", OWN_POOL[(ctx.m.serial * 7 + 3) % len(OWN_POOL)])]
        if lang == "ja":
            fam, giv = pick(rng, JA_FAMILY), pick(rng, JA_GIVEN)
            o.persons = [(f"{fam[0]} {giv[0]}", f"{giv[1].capitalize()} {fam[1].capitalize()}", f"{giv[1]}.{fam[1]}")]
        else:
            first, last = EN_NAMES.get(prov.region, EN_NAMES["us"])
            f, l = pick(rng, first), pick(rng, last)
            o.persons = [(None, f"{f} {l}", ascii_fold(f"{f}.{l}").lower().replace(" ", ""))]
        return o

    def inner_message(self, ctx, inner_ctx, c, to_addr):
        """The forwarded message as a Part (message/rfc822 body) and as inline text."""
        rng = ctx.rng
        disp_ja, disp_en, addr = sender_address(inner_ctx.org, inner_ctx.person)
        when = inner_ctx.date
        cs = "iso-2022-jp" if inner_ctx.lang == "ja" else "us-ascii"
        try:
            c.text.encode(PYCS[cs])
        except UnicodeEncodeError:
            cs = "utf-8"
        relay_host, relay_ip = inner_ctx.org.relays[0]
        hs = [f"Received: from {relay_host} ({relay_host} [{relay_ip}])\n\tby mail.{ctx.org.domain} with ESMTP id {rng.getrandbits(40):010X}\n\tfor <{to_addr}>; {rfc2822(when + dt.timedelta(seconds=40))}",
              f"Message-ID: <{rng.getrandbits(48):012x}.{rng.randrange(1000, 9999)}@{inner_ctx.org.domain}>",
              f"Date: {rfc2822(in_zone(inner_ctx.org.zone, when), 1)}",
              addr_header("From", disp_ja if inner_ctx.lang == "ja" else disp_en, addr, cs.upper() if cs != "us-ascii" else "UTF-8"),
              f"To: {to_addr}",
              header_text("Subject", c.subject, "ISO-2022-JP" if cs == "iso-2022-jp" else "UTF-8"),
              "MIME-Version: 1.0"]
        leaf = text_part(c.text, cs, "7bit" if cs != "utf-8" else "base64")
        inner = Part(hs + leaf.headers, leaf.body)
        rfc = Part(["Content-Type: message/rfc822", "Content-Disposition: attachment"], inner.serialize())
        disp = disp_ja if (inner_ctx.lang == "ja" and disp_ja) else disp_en
        inline_hdr = [f"Subject: {c.subject}", f"Date: {rfc2822(in_zone(inner_ctx.org.zone, when), 1)}",
                      f"From: {disp} <{addr}>", f"To: {to_addr}"]
        return rfc, inline_hdr, c.text

    def forwarded_first(self, ctx):
        rng, r = ctx.rng, ctx.r
        inner_lang = ctx.lang if rng.random() < 0.7 else ("en" if ctx.lang == "ja" else "ja")
        inner_org = self.inner_author(ctx, inner_lang)
        m2 = Mail(ctx.m.serial, ctx.m.kind, r, inner_org, inner_org.persons[0],
                  ctx.m.received - dt.timedelta(minutes=rng.randrange(70, 40 * 60)),
                  incs=ctx.m.incs, urls=ctx.m.urls, evidence=ctx.m.evidence, lang=inner_lang)
        m2.date_delta = ctx.m.date_delta
        ictx = Ctx(self.model, m2, random.Random(f"inner:{self.model.seed}:{ctx.m.serial}"))
        ictx.defang = False
        ictx.addressee = ctx.org
        c = self.body_for(ictx, r.rtype)
        to_addr = f"{ctx.org.locals[0]}@{ctx.org.domain}" if ctx.org.kind != "person" else sender_address(ctx.org, ctx.person)[2]
        rfc, ihdr, itext = self.inner_message(ctx, ictx, c, to_addr)
        if ctx.lang == "ja":
            who = pick(rng, ["お客様", "当社サービスの利用者", "提携先の担当者", "グループ会社の担当者"])
            lead = f"{who}から以下の報告を受けましたので転送いたします。\n内容をご確認のうえ、ご対応をお願いいたします。"
            fwd_mark = pick(rng, ["-------- Forwarded Message --------", "-------- 転送メッセージ --------", "-----Original Message-----"])
            subj_prefix = pick(rng, ["Fw: ", "Fwd: ", "[転送] "])
        else:
            lead = pick(rng, ["We received the report below concerning host(s) in Japan. Forwarding it for your handling.",
                              "Please see the forwarded report below; it concerns your constituency."])
            fwd_mark = pick(rng, ["-------- Forwarded Message --------", "-----Original Message-----", "---------- Forwarded message ----------"])
            subj_prefix = pick(rng, ["Fwd: ", "FW: "])
        subj = subj_prefix + c.subject
        if r.first_fwd == "rfc822":
            note = "（転送メールを添付します）" if ctx.lang == "ja" else "(original message attached)"
            text = "\n\n".join([self.greet(ctx), self.intro(ctx), lead, note, self.closing(ctx, "general"), self.signature(ctx)]).replace("\n\n\n", "\n\n") + "\n"
            return Content(subj, text, [rfc] + c.attachments)
        quoted = fwd_mark + "\n" + "\n".join(ihdr) + "\n\n" + itext
        text = "\n\n".join(x for x in [self.greet(ctx), self.intro(ctx), lead, self.signature(ctx)] if x) + "\n\n" + quoted
        return Content(subj, text, c.attachments)

    def lure_report(self, ctx):
        rng, r, m = ctx.rng, ctx.r, ctx.m
        brand = self.brand_text(ctx)
        url = m.urls[0]
        ja_b, en_b, tok = brand_names(r.brand)
        block = self.url_block(ctx, m.incs, m.urls)
        when = ctx.date - dt.timedelta(hours=rng.randrange(1, 20))
        spoof = f"{pick(rng, ['service', 'info', 'security', 'support'])}@{tok}-{pick(rng, ['online', 'secure', 'notice'])}.{pick(rng, ['com', 'net', 'info'])}"
        if ctx.lang == "ja":
            if r.brand in BRANDS_DOMESTIC:
                lure = (f"{ja_b}をご利用いただき、誠にありがとうございます。\nお客様のアカウント情報の確認が必要となりました。\n"
                        f"下記URLよりログインし、登録情報をご確認ください。\n\n{url}\n\n"
                        f"24時間以内にご確認いただけない場合、口座のご利用を制限させていただきます。\n\n{ja_b}")
                lsubj = f"【{ja_b}】お客様情報の確認のお願い"
            else:
                lure = (f"Dear {en_b} Customer,\n\nWe recently noticed one or more attempts to log in to your {en_b} account from a foreign country.\n"
                        f"Please confirm your identity by following the link below:\n\n{url}\n\nThank you,\n{en_b} Account Review Department")
                lsubj = f"{en_b} Account Review"
            lead = pick(rng, [f"{brand}を名乗る以下のメールが届きました。リンク先はフィッシングサイトのようです。",
                              f"{brand}からのお知らせを装ったメールが届きました。フィッシング詐欺ではないかと思い報告いたします。"])
            mid = ["リンク先:\n" + "\n".join(block)]
            subj = pick(rng, ["フィッシングメールが届きました", f"{brand}を装ったメールについて", "不審なメールの報告"])
            mark = pick(rng, ["-------- Forwarded Message --------", "-------- 転送メッセージ --------"])
        else:
            lure = (f"Dear {en_b} Member,\n\nWe recently noticed one or more attempts to log in to your {en_b} account from a foreign country.\n"
                    f"If you recently accessed your account while traveling, the unusual log in attempts may have been initiated by you.\n"
                    f"Please confirm your identity by following the link below:\n\n{url}\n\n"
                    f"If we do not receive the appropriate account verification within 48 hours, your account will be suspended.\n\n{en_b}")
            lsubj = f"Your {en_b} account has been limited"
            lead = pick(rng, [f"I received the following {brand} phishing e-mail. The link points to a phishing site.",
                              f"Forwarding a phishing mail pretending to come from {brand}."])
            mid = ["Phishing site:\n" + "\n".join(block)]
            subj = pick(rng, [f"Fwd: {lsubj}", f"{brand} phishing e-mail", "Phishing mail received"])
            mark = "-------- Forwarded Message --------"
        text = self.compose(ctx, lead, mid, "site")
        text += "\n" + mark + f"\nSubject: {lsubj}\nDate: {rfc2822(when, 1)}\nFrom: {en_b} <{spoof}>\nTo: {sender_address(ctx.org, ctx.person)[2]}\n\n" + lure + "\n"
        return Content(subj, text)

    # ---- follow-ups -------------------------------------------------------
    def quote(self, ctx, parent, pc):
        rng = ctx.rng
        lines = pc.text.rstrip("\n").split("\n")
        pd = in_zone(parent.org.zone, parent.received - dt.timedelta(seconds=parent.date_delta))
        name = parent.person[0] if (ctx.lang == "ja" and parent.person[0]) else parent.person[1]
        addr = sender_address(parent.org, parent.person)[2]
        style = rng.randrange(3)
        if style == 0:
            hd = (f"{pd:%Y/%m/%d %H:%M}、{name} さんは書きました:" if ctx.lang == "ja" else f"On {rfc2822(pd, 1)}, {name} wrote:")
            return hd + "\n" + "\n".join(("> " + ln) if ln else ">" for ln in lines)
        if style == 1:
            hd = (f"On {pd:%Y/%m/%d} {name} wrote:" if ctx.lang == "en" else f"{name} wrote:")
            return hd + "\n" + "\n".join(("> " + ln) if ln else ">" for ln in lines[:20])
        subj = self.content(parent).subject
        return ("-----Original Message-----\n" f"From: {name} [mailto:{addr}]\nSent: {rfc2822(pd, 1)}\nTo: {INCIDENT_ADDR}\nSubject: {subj}\n\n" + "\n".join(lines))

    def followup(self, ctx):
        rng, r, m = ctx.rng, ctx.r, ctx.m
        parent = m.parent
        pc = self.content(parent)
        atts = []
        incs = m.incs
        if ctx.org.kind == "autossh":
            lines = sshd_lines(rng, "srv" + str(rng.randrange(1, 99)), incs or r.incidents[:1],
                               ctx.date - dt.timedelta(minutes=rng.randrange(20, 600)))
            text = ("Hello,\n\nthis is an update of our earlier automated report: further SSH login attempts\n"
                    "from the same source were recorded.\n\n" + "\n".join(f"Source IP: {i.ip}" for i in (incs or r.incidents[:1])) +
                    "\nDestination port: 22/tcp\n\n" + "\n".join(lines) + "\n\n" + self.signature(ctx) + "\n")
            m.incs = incs or r.incidents[:1]
            return Content(strip_re(pc.subject), text)
        if ctx.lang == "ja":
            if incs:
                if r.rtype == "scan":
                    ev = r.evidence if r.evidence not in ("xarf", "auto", "campaign") else "iptables"
                    inline, atts, _ = self.evidence(ctx, incs, ev)
                    body = ["先日ご報告した件の続報です。その後も同じ送信元からのアクセスが続いているため、追加のログをお送りします。",
                            "\n".join(self.ip_lines(ctx, incs)), inline]
                elif r.rtype in ("phishing",) or (r.rtype == "other" and r.sub in ("malware", "deface")):
                    body = [pick(rng, ["先日報告したサイトですが、本日時点でもまだアクセス可能な状態です。",
                                       "一度閉鎖されたサイトが、再び表示されるようになっています。",
                                       "先日ご報告したサイトについて、引き続き稼働していることを確認しました。"]),
                            "\n".join(self.url_block(ctx, incs, m.urls))]
                elif r.rtype == "intrusion":
                    body = ["調査を進めたところ、侵入元について以下のとおり確認できましたので、あらためてお送りします。",
                            "\n".join(self.ip_lines(ctx, incs, label="侵入元IPアドレス"))]
                elif r.rtype == "forged":
                    body = ["その後もエラーメールが届き続けています。", "\n".join(f"送信元IPアドレス: {i.ip}" for i in incs)]
                else:
                    body = ["攻撃 (通信) は現在も継続しています。", "\n".join(i.ip for i in incs)]
            else:
                body = [pick(rng, ["先日ご報告した件について、その後の状況を教えていただけますでしょうか。",
                                   "ご対応ありがとうございました。こちらでも状況が収まったことを確認しました。",
                                   "ご連絡ありがとうございます。承知いたしました。引き続きよろしくお願いいたします。",
                                   "補足です。先日の報告の時刻は日本時間です。"])]
            fam = ctx.person[0].split(" ")[0] if ctx.person[0] else ""
            head = pick(rng, [f"{self.greet(ctx)}\n\n{ctx.org.name_ja or ''}の{fam}です。" if ctx.org.kind != "person" else f"{self.greet(ctx)}\n\n{fam}です。",
                              "お世話になっております。" + (f"{fam}です。" if fam else "")])
            end = "よろしくお願いいたします。"
        else:
            if incs:
                if r.rtype == "scan":
                    ev = r.evidence if r.evidence not in ("xarf", "auto", "campaign") else "iptables"
                    inline, atts, _ = self.evidence(ctx, incs, ev)
                    body = [pick(rng, ["The activity continues; additional logs for the same source(s) below.",
                                       "From our logs, the activity continues. Additional lines for the same source(s):"]),
                            "\n".join(self.ip_lines(ctx, incs)), inline]
                elif r.rtype == "phishing" or (r.rtype == "other" and r.sub in ("malware", "deface")):
                    body = [pick(rng, ["The site is still up as of today:", "The site came back online after being removed:",
                                       "Just a reminder that this site is still reachable:"]),
                            "\n".join(self.url_block(ctx, incs, m.urls))]
                elif r.rtype == "intrusion":
                    body = ["Our investigation confirmed the source of the intrusion:", "\n".join(self.ip_lines(ctx, incs, label="Attacker IP"))]
                elif r.rtype == "forged":
                    body = ["We are still receiving the bounces.", "\n".join(f"Sent from {i.ip}" for i in incs)]
                else:
                    body = ["The traffic is still ongoing from:", "\n".join(i.ip for i in incs)]
            else:
                body = [pick(rng, ["Any update on this?", "Thank you for your help, we confirm the issue is resolved on our side.",
                                   "Thanks for the quick reply.", "Just to add: we have kept the full logs in case you need them."])]
            head = pick(rng, ["Hello,", "Hi,", "Dear colleagues,"])
            end = pick(rng, ["Regards,", "Best regards,", "Thanks,"])
        text = "\n\n".join([head] + [b for b in body if b] + [end, self.signature(ctx)]) + "\n\n" + self.quote(ctx, parent, pc) + "\n"
        return Content(pick(rng, ["Re: ", "RE: ", "Re: "]) + strip_re(pc.subject), text, atts)

    def fwdthread(self, ctx):
        rng, r, m = ctx.rng, ctx.r, ctx.m
        parent = m.parent
        pc = self.content(parent)
        inner_lang = ctx.lang
        inner_org = self.inner_author(ctx, inner_lang)
        iperson = inner_org.persons[0]
        irng = random.Random(f"fwdinner:{self.model.seed}:{m.serial}")
        m2 = Mail(m.serial, "followup", r, inner_org, iperson, m.received - dt.timedelta(minutes=rng.randrange(40, 600)),
                  incs=m.incs, urls=m.urls, lang=inner_lang)
        ictx = Ctx(self.model, m2, irng)
        ictx.defang = False
        ictx.addressee = ctx.org
        if inner_lang == "ja":
            if m.incs and r.rtype == "scan":
                body = "こちらのサーバでも、同じ送信元から同様のアクセスを確認しています。\n" + "\n".join(f"送信元: {i.ip}" for i in m.incs)
            elif m.incs and m.urls:
                body = "次のページがまだ表示されます。\n" + "\n".join(self.url_block(ictx, m.incs, m.urls))
            elif m.incs:
                body = "関連する送信元は以下のとおりです。\n" + "\n".join(i.ip for i in m.incs)
            else:
                body = "本件について、その後の対応状況を確認させてください。"
            ic = Content(pick(rng, ["Re: ", ""]) + strip_re(pc.subject), f"{iperson[0].split(' ')[0]}です。\n\n{body}\n\nよろしくお願いします。\n")
            lead = pick(rng, ["先日の件に関連して、お客様から届いたメールを転送します。", "本件について関係者から届いたメールを転送いたします。ご参考までにお送りします。"])
            prefix = pick(rng, ["Fwd: ", "Fw: ", "転送: "])
        else:
            if m.incs and r.rtype == "scan":
                body = "We are seeing the same activity from:\n" + "\n".join(f"Source: {i.ip}" for i in m.incs)
            elif m.incs and m.urls:
                body = "The following page is still reachable:\n" + "\n".join(self.url_block(ictx, m.incs, m.urls))
            elif m.incs:
                body = "Related source(s):\n" + "\n".join(i.ip for i in m.incs)
            else:
                body = "Could you tell me the status of this case?"
            ic = Content(strip_re(pc.subject), f"Hi,\n\n{body}\n\nThanks,\n{iperson[1]}\n")
            lead = pick(rng, ["Forwarding a related message we received from one of our customers.",
                              "Forwarding, for reference, a related message about this case from a colleague."])
            prefix = pick(rng, ["Fwd: ", "FW: "])
        to_addr = sender_address(ctx.org, ctx.person)[2]
        rfc, ihdr, itext = self.inner_message(ctx, ictx, ic, to_addr)
        if rng.random() < 0.5:
            text = "\n\n".join([self.greet(ctx), lead, self.signature(ctx)]) + "\n"
            return Content(prefix + strip_re(pc.subject), text, [rfc])
        mark = "-------- Forwarded Message --------" if ctx.lang == "en" else pick(rng, ["-------- Forwarded Message --------", "-------- 転送メッセージ --------"])
        text = "\n\n".join([self.greet(ctx), lead, self.signature(ctx)]) + "\n\n" + mark + "\n" + "\n".join(ihdr) + "\n\n" + itext
        return Content(prefix + strip_re(pc.subject), text)

    # ---- non-incident mails ----------------------------------------------
    NONINC_JA = [
        ("ログの送付方法についての質問", "インシデント報告の際に添付するログの形式について質問があります。\nファイアウォールのログはそのまま添付してもよいでしょうか。\nまた、どの程度の期間分を送付すればよいか教えてください。"),
        ("PGP公開鍵についての問い合わせ", "貴センターのPGP公開鍵のフィンガープリントを確認させていただきたく、問い合わせいたします。\n暗号化して報告を送付する場合の手順もあわせて教えていただけますでしょうか。"),
        ("CSIRT構築についてのご相談", "社内にCSIRTを構築することを検討しております。\n体制づくりや他組織との連携について、ご相談させていただけないでしょうか。"),
        ("フィッシングサイトの報告方法について", "フィッシングサイトを見つけた場合、どのような情報を添えて報告すればよいか教えてください。\n当社では具体的な事例はまだありませんが、手順を整えておきたいと考えています。"),
        ("海外のインシデント事例に関する情報提供", "海外で発生したインシデント事例について情報提供いたします。\n先週、欧州の複数の大学でSSHの認証情報が盗まれる事案があったと、現地の関係者から聞きました。\n国内の組織に関係する情報は今のところありません。"),
        ("APCERT事務局宛の報告について", "APCERT事務局窓口宛にインシデント報告が届いておりましたので、ご参考までにお知らせします。\n内容は海外の組織間の事案で、国内の組織は関係していないとのことです。"),
        ("セミナー開催予定の問い合わせ", "貴センターが主催するセミナーの今後の開催予定について問い合わせいたします。\n当社の担当者を参加させたいと考えております。"),
        ("情報を盗み取るマルウェアについてのご相談", "情報を盗み取るマルウェアについて、最近の動向を教えていただけますでしょうか。\n社内で注意喚起を行う予定があり、ご相談させていただきたく存じます。"),
        ("不審なメールに関する相談", "当社サービスの利用者から、不審なメールを受け取ったとの相談が増えています。\n利用者向けの注意喚起の予定があれば教えてください。"),
        ("ウイルス対策ソフトの誤検知について", "ウイルス対策ソフトの誤検知と思われる事象について相談させていただきたく、ご連絡いたしました。\n報告の対象になるものかどうか、ご教示いただけますでしょうか。"),
        ("インシデント対応の手順についての質問", "サーバへの不審なアクセスがあった場合の社内の対応手順を見直しております。\n参考になる資料があれば教えていただけますでしょうか。"),
        ("早期警戒情報の受信について", "重要インフラ事業者向けの早期警戒情報の受信を希望しております。\n手続きについて問い合わせいたします。"),
        ("脆弱性情報の取り扱いについて", "自社製品の脆弱性について連絡を受けた場合の対応について、相談させていただけないでしょうか。"),
        ("講演依頼について", "来月開催する社内勉強会で、情報セキュリティの最新動向についてご講演をお願いできないかと考え、問い合わせいたしました。"),
    ]
    NONINC_EN = [
        ("Question about reporting procedure", "Do you accept incident reports in English, and is there a preferred format?\nWe would also like to know whether you prefer encrypted reports."),
        ("For your information: SQL injection wave", "For your information: we are seeing a large wave of SQL injection attacks against web sites in our country.\nNo hosts in Japan are involved so far; we will let you know if that changes."),
        ("Point of contact between our teams", "We would like to consult you about setting up a point of contact between our teams\nfor the exchange of incident information."),
        ("Inquiry: abuse contact for Japanese networks", "Could you tell us the correct way to reach the abuse desks of Japanese networks?\nWe have had trouble finding the right contacts in the past."),
        ("FYI: report sent to the APCERT secretariat", "FYI, the APCERT secretariat mailbox received a report that was meant for another team.\nNo action is needed from your side."),
        ("Request for information about your training", "We are interested in the CSIRT training you offer to teams in the region.\nCould you send us information about the schedule?"),
        ("Question about your PGP key", "The PGP key on your web site seems to have expired. Could you confirm the current fingerprint?"),
        ("For your information: new phishing trend", "For your information: we are tracking a new phishing trend that uses instant messages\ninstead of e-mail. We have not seen Japanese targets yet."),
    ]

    def noninc(self, ctx):
        rng, m = ctx.rng, ctx.m
        if ctx.lang == "ja":
            subj, body = self.NONINC_JA[m.topic % len(self.NONINC_JA)]
            text = "\n\n".join(x for x in [self.greet(ctx), self.intro(ctx), body, pick(rng, ["よろしくお願いいたします。", "お手数ですが、よろしくお願いいたします。"]), self.signature(ctx)] if x) + "\n"
        else:
            subj, body = self.NONINC_EN[m.topic % len(self.NONINC_EN)]
            text = "\n\n".join(x for x in [self.greet(ctx), self.intro(ctx), body, pick(rng, ["Best regards,", "Thank you,"]), self.signature(ctx)] if x) + "\n"
        return Content(subj, text)


def strip_re(s):
    while True:
        s2 = re.sub(r"^(?:re|fw|fwd|転送)\s*:\s*", "", s, flags=re.I)
        s2 = re.sub(r"^\[転送\]\s*", "", s2)
        if s2 == s:
            return s
        s = s2


def static_host(rng):
    return f"{pick(rng, WORDS)}{pick(rng, WORDS)}.{pick(rng, ['com', 'net', 'de', 'fr', 'com.br', 'ru', 'it', 'org'])}"


Model.names_host_static = staticmethod(static_host)


# --------------------------------------------------------------------------------------------
# Whole messages
# --------------------------------------------------------------------------------------------

def boundary(rng):
    style = rng.randrange(4)
    if style == 0:
        return f"----=_NextPart_000_{rng.getrandbits(16):04X}_01C8{rng.getrandbits(16):04X}.{rng.getrandbits(32):08X}"
    if style == 1:
        return "------------" + "".join(str(rng.randrange(10)) for _ in range(24))
    if style == 2:
        return f"=_{rng.getrandbits(64):016x}_{rng.getrandbits(32):08x}"
    return f"Boundary_({rng.getrandbits(32):08X}.{rng.getrandbits(32):08X})"


def choose_encoding(rng, lang, text):
    if lang == "ja":
        try:
            text.encode("iso2022_jp")
            ok_jis = True
        except UnicodeEncodeError:
            ok_jis = False
        opts = [("iso-2022-jp", "7bit", 70), ("shift_jis", "base64", 14), ("utf-8", "base64", 8),
                ("utf-8", "quoted-printable", 5), ("utf-8", "8bit", 3)]
        if not ok_jis:
            opts = [o for o in opts if o[0] == "utf-8"]
        cs, cte, _ = wchoice(rng, opts, [o[2] for o in opts])
        return cs, cte
    try:
        text.encode("ascii")
        opts = [("us-ascii", "7bit", 68), ("utf-8", "quoted-printable", 12), ("utf-8", "base64", 8),
                ("iso-8859-1", "quoted-printable", 7), ("utf-8", "7bit", 5)]
    except UnicodeEncodeError:
        opts = [("utf-8", "quoted-printable", 30), ("utf-8", "base64", 20), ("utf-8", "8bit", 10)]
        for cs in ("iso-8859-1", "iso-8859-2"):
            try:
                text.encode(PYCS[cs])
                opts.append((cs, "quoted-printable", 50))
                break
            except UnicodeEncodeError:
                pass
    cs, cte, _ = wchoice(rng, opts, [o[2] for o in opts])
    return cs, cte


def html_of(text):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head><body>\n" +
            "<br>\n".join(esc.split("\n")) + "\n</body></html>\n")


class Renderer:
    def __init__(self, model):
        self.model = model
        self.writer = Writer(model)
        self.stats = {}

    def count(self, key):
        self.stats[key] = self.stats.get(key, 0) + 1

    def render(self, m):
        """The message as received by the centre (bytes, LF line ends, without the mbox From_ line)."""
        c = self.writer.content(m)
        rng = random.Random(f"mime:{self.model.seed}:{m.serial}")
        org = m.org
        disp_ja, disp_en, addr = sender_address(org, m.person)
        text = c.text
        signed = False
        if m.lang == "en" and org.kind in ("csirt", "secsvc") and rng.random() < 0.18:
            try:
                text.encode("ascii")
                when = in_zone(org.zone, m.received - dt.timedelta(seconds=m.date_delta))
                keyid = random.Random(f"pgpkey:{org.domain}").getrandbits(64).to_bytes(8, "big")
                text = clearsign(text, random.Random(f"pgp:{org.domain}:{m.serial}"), when, keyid)
                signed = True
            except UnicodeEncodeError:
                pass
        cs, cte = ("us-ascii", "7bit") if signed else choose_encoding(rng, m.lang, text)
        hcs = {"iso-2022-jp": "ISO-2022-JP", "shift_jis": pick(rng, ["ISO-2022-JP", "SHIFT_JIS"]), "utf-8": "UTF-8",
               "us-ascii": "UTF-8", "iso-8859-1": "ISO-8859-1", "iso-8859-2": "ISO-8859-2"}[cs]
        body = text_part(text, cs, cte)
        use_html = (not signed and org.kind not in ("autossh", "xarfconn", "xarfphish") and
                    org.mailer and "Outlook 1" in org.mailer and rng.random() < 0.5)
        if use_html:
            alt = Part(["Content-Type: multipart/alternative;\n\tboundary=\"%s\"" % (b := boundary(rng))],
                       parts=[body, text_part(html_of(text), cs if cs != "us-ascii" else "utf-8",
                                              "quoted-printable" if cs != "iso-2022-jp" else "7bit", ctype="text/html")],
                       boundary=b)
            body = alt
            self.count("html_alternative")
        if c.attachments:
            b = boundary(rng)
            top = Part([f"Content-Type: multipart/mixed;\n\tboundary=\"{b}\""], parts=[body] + c.attachments, boundary=b)
        else:
            top = body
        # ---- headers
        to = m.to
        relay_host, relay_ip = org.relays[m.serial % len(org.relays)]
        recv = m.received
        mx_id = "".join(rng.choice("0123456789ABCDEF") for _ in range(10))
        hs = [f"Return-Path: <{addr}>", f"X-Original-To: {to}", f"Delivered-To: {to}",
              f"Received: from {relay_host} ({relay_host} [{relay_ip}])\n\tby {CENTRE_MX} (Postfix) with ESMTP id {mx_id}\n\tfor <{to}>; {rfc2822(recv.astimezone(JST), 2, 'JST')}"]
        t_rel = in_zone(org.zone, recv - dt.timedelta(seconds=rng.randrange(2, 40)))
        if len(org.relays) > 1 and rng.random() < 0.5:
            h2, ip2 = org.relays[(m.serial + 1) % len(org.relays)]
            client = f"{h2} ({h2} [{ip2}])"
        elif org.kind == "person":
            cip = pick(rng, org.inner) if org.inner else "127.0.0.1"
            client = f"[{cip}] (unknown [{cip}])"
        else:
            inner = pick(rng, org.inner) if org.inner else "127.0.0.1"
            client = f"pc{rng.randrange(10, 400)}.{org.domain} ([{inner}])"
        mta = pick(rng, ["(Postfix)", "(8.13.8/8.13.8)", "(Sendmail 8.14.1)", "(qmail 1.03)", "(Exim 4.69)"])
        hs.append(f"Received: from {client}\n\tby {relay_host} {mta} with ESMTP id {rng.getrandbits(48):012X}\n\tfor <{to}>; {rfc2822(t_rel, 1)}")
        if rng.random() < 0.3:
            t3 = in_zone(org.zone, recv - dt.timedelta(seconds=rng.randrange(41, 90)))
            hs.append(f"Received: from localhost (localhost [127.0.0.1])\n\tby {relay_host} (Postfix) with ESMTP id {rng.getrandbits(40):010X};\n\t{rfc2822(t3, 1)}")
        date = in_zone(org.zone, recv - dt.timedelta(seconds=m.date_delta))
        mailer = org.mailer or ""
        dstyle = 1 if "Outlook" in mailer or "Mutt" in mailer else (0 if rng.random() < 0.7 else 1)
        abbrev = zone_offset(org.zone, date)[1] if ("Becky" in mailer or rng.random() < 0.1) else None
        subj_h = self.subject_header(rng, c.subject, hcs)
        from_h = addr_header("From", disp_ja if (m.lang == "ja" and disp_ja) else disp_en if org.kind == "person" or rng.random() < 0.6 else (org.name_en if m.lang == "en" else None), addr,
                             hcs if hcs != "UTF-8" or m.lang == "en" else "UTF-8")
        mid_h = f"Message-ID: <{m.msgid[1:-1]}>" if rng.random() < 0.7 else f"Message-Id: {m.msgid}"
        to_disp = to if rng.random() < 0.7 else (f"{CENTRE_EN} <{to}>" if m.lang == "en" else header_text("To", CENTRE_JA, "ISO-2022-JP")[4:] + f" <{to}>")
        body_hs = [mid_h, f"Date: {rfc2822(date, dstyle, abbrev)}", from_h]
        if org.kind in ("autossh", "xarfconn", "xarfphish"):
            body_hs.append("Auto-Submitted: auto-generated")
        if "Outlook" in mailer or "Becky" in mailer or "Datula" in mailer or "Winbiff" in mailer or "Shuriken" in mailer:
            body_hs.append(f"X-Mailer: {mailer}")
        elif mailer:
            body_hs.append(f"User-Agent: {mailer}")
        body_hs += ["MIME-Version: 1.0", f"To: {to_disp}"]
        if org.kind not in ("person", "autossh", "xarfconn", "xarfphish") and rng.random() < 0.2:
            body_hs.append(f"Cc: {org.locals[-1]}@{org.domain}")
        body_hs.append(subj_h)
        if m.parent is not None:
            refs = self.references(m.parent)
            body_hs.append(f"In-Reply-To: {m.parent.msgid}")
            body_hs.append("References: " + "\n\t".join(refs + [m.parent.msgid]))
        if org.kind not in ("person",) and org.name_en and rng.random() < 0.25:
            body_hs.append(f"Organization: {org.name_en}")
        if rng.random() < 0.08:
            body_hs.append("X-Priority: 1 (Highest)" if "Outlook" in mailer else "Importance: High")
        top.headers = hs + body_hs + top.headers
        self.count(f"body:{cs}/{cte}")
        if signed:
            self.count("pgp_clearsigned")
        return top.serialize()

    def references(self, m):
        out = []
        while m.parent is not None:
            m = m.parent
            out.insert(0, m.msgid)
        return out

    @staticmethod
    def subject_header(rng, subject, hcs):
        mt = re.match(r"^((?:(?:Re|RE|Fwd|FW|Fw|転送): )+)(.*)$", subject)
        prefix, rest = (mt.group(1), mt.group(2)) if mt else ("", subject)
        try:
            prefix.encode("ascii")
        except UnicodeEncodeError:
            prefix, rest = "", subject
        if prefix and rng.random() < 0.3:
            prefix, rest = "", subject
        cs = hcs if hcs in ("ISO-2022-JP", "SHIFT_JIS", "UTF-8", "ISO-8859-1", "ISO-8859-2") else "UTF-8"
        try:
            return header_text("Subject", rest, cs, prefix=prefix)
        except UnicodeEncodeError:
            return header_text("Subject", rest, "UTF-8", prefix=prefix)


def mbox_escape(raw):
    out = []
    for line in raw.split(b"\n"):
        if line.startswith(b">From "):
            raise ValueError("a body line starts with '>From ' (ambiguous in mbox)")
        out.append(b">" + line if line.startswith(b"From ") else line)
    return b"\n".join(out)


def mbox_entry(m, raw):
    addr = sender_address(m.org, m.person)[2]
    return f"From {addr} {asctime_utc(m.received)}\n".encode("ascii") + mbox_escape(raw).rstrip(b"\n") + b"\n\n"


# --------------------------------------------------------------------------------------------
# Reading the rendered mails back (Python's email package), as a self-check
# --------------------------------------------------------------------------------------------

IPV4_RE = re.compile(r"(?<![\d.])((?:\d{1,3}\.){3}\d{1,3})(?!\.?\d)")
IPV6_RE = re.compile(r"(?<![0-9a-fA-F:])((?:2400|2a01|2a02|2001):[0-9a-fA-F:]*[0-9a-fA-F])")
URL_RE = re.compile(r"https?://[^\s()（）<>\"\[\]]+")


def refang(s):
    return s.replace("hxxp://", "http://").replace("hxxps://", "https://").replace("[.]", ".")


def public_ips(text):
    out = []
    for ip in IPV4_RE.findall(text):
        try:
            a = ipaddress.IPv4Address(ip)
        except ValueError:
            continue
        if a.is_global and not any(a in n for n in TESTNETS):
            out.append(ip)
    out += [ip for ip in IPV6_RE.findall(text) if not ip.lower().startswith("2001:db8")]
    return out


def body_texts(msg):
    """Decoded texts of every leaf part (zip members and nested messages included)."""
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        if ctype.startswith("text/") or ctype == "application/json":
            cs = part.get_content_charset() or "us-ascii"
            cs = {"shift_jis": "shift_jis", "iso-2022-jp": "iso2022_jp"}.get(cs.lower(), cs)
            out.append((ctype, payload.decode(cs)))
        elif ctype in ("application/octet-stream", "application/zip", "application/x-zip-compressed"):
            with zipfile.ZipFile(io.BytesIO(payload)) as z:
                for n in z.namelist():
                    out.append(("zip:" + n, z.read(n).decode("ascii")))
    return out


def brand_aliases():
    out = {}
    for k, (ja, en, _) in list(BRANDS_DOMESTIC.items()) + list(BRANDS_FOREIGN.items()):
        al = {ja, en}
        if k == "SMBC":
            al |= {"SMBC", "Sumitomo Mitsui"}
        if k == "YahooJapan":
            al |= {"Yahoo"}
        out[k] = al
    return out


BRAND_ALIASES = brand_aliases()


def brands_in(text):
    found = set()
    for k, al in BRAND_ALIASES.items():
        for a in al:
            if a.isascii():
                if re.search(r"(?<![A-Za-z])" + re.escape(a) + r"(?![A-Za-z])", text, flags=re.I):
                    found.add(k)
            elif a in text:
                found.add(k)
    return found


def verify_mail(model, m, raw, content):
    """Problems found when a careful reader (Python's email package) reads the mail back."""
    probs = []
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    texts = body_texts(msg)
    main = next((t for ct, t in texts if ct == "text/plain"), None)
    if main is None:
        return [f"mail {m.serial}: no text/plain part"]
    if "-----BEGIN PGP SIGNED MESSAGE-----" not in main and main != content.text:
        probs.append(f"mail {m.serial}: body does not round-trip")
    subj = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    if subj.replace("\n", "") != content.subject:
        probs.append(f"mail {m.serial}: subject does not round-trip: {subj!r} != {content.subject!r}")
    alltext = refang("\n".join(t for ct, t in texts if ct != "application/json" or True))
    ips = set(public_ips(alltext))
    urls = set(URL_RE.findall(alltext))
    r = m.report
    if r is None:
        if ips or urls:
            probs.append(f"mail {m.serial}: non-incident mail names {sorted(ips)} {sorted(urls)}")
        if brands_in(alltext):
            probs.append(f"mail {m.serial}: non-incident mail names a brand")
        return probs
    rips = {i.ip for i in r.incidents}
    rurls = {u for i in r.incidents for u in i.urls}
    if not ips <= rips:
        probs.append(f"mail {m.serial} ({r.rtype}/{m.kind}): names addresses outside its report: {sorted(ips - rips)}")
    if m.kind == "first" and ips != rips:
        probs.append(f"mail {m.serial}: first mail lacks {sorted(rips - ips)}")
    if m.kind == "second" and not ips:
        probs.append(f"mail {m.serial}: second reporter names no address")
    if not urls <= rurls:
        probs.append(f"mail {m.serial}: URLs outside its report: {sorted(urls - rurls)}")
    if m.kind == "first" and urls != rurls:
        probs.append(f"mail {m.serial}: first mail lacks URLs {sorted(rurls - urls)}")
    ip_of = {u: i.ip for i in r.incidents for u in i.urls}
    lines = alltext.split("\n")
    for u in urls:
        if not any(u in ln and ip_of[u] in ln for ln in lines):
            probs.append(f"mail {m.serial}: URL {u} never on a line with its IP {ip_of[u]}")
    b = brands_in(alltext)
    if r.rtype == "phishing" and r.brand:
        if (b != {r.brand}) if m.kind in ("first", "second") else not (b <= {r.brand}):
            probs.append(f"mail {m.serial}: brands {sorted(b)} != {{{r.brand}}}")
    elif b:
        probs.append(f"mail {m.serial}: {r.rtype} mail names brands {sorted(b)}")
    return probs


# --------------------------------------------------------------------------------------------
# Bench mode: N mails over 2008, the same generators, no figure constraints
# --------------------------------------------------------------------------------------------

def build_bench(model, n):
    rng = random.Random(f"bench:{model.seed}")
    start = dt.datetime(2008, 1, 1, tzinfo=JST)
    end = dt.datetime(2009, 1, 1, tzinfo=JST)
    types = [("scan", "p80", 27), ("scan", "p22", 18), ("scan", "p5900", 1), ("scan", "p21", 1),
             ("scan", "p139", 1), ("scan", "p10000", 0.5), ("scan", "comp", 1), ("forged", "", 0.6),
             ("intrusion", "", 2), ("phishing", "domestic", 2), ("phishing", "foreign", 16),
             ("phishing", "unknown", 1), ("other", "malware", 12), ("other", "virus", 6),
             ("other", "dos", 6), ("other", "deface", 6)]
    total = 0
    reps = []
    while total < n:
        if rng.random() < 0.03:
            org = model.noninc_org(rng)
            m = model.new_mail("noninc", None, org, model.pick_person(org, rng), model.sample_time(rng, org, start, end))
            m.topic = rng.randrange(1000)
            m.to = INFO_ADDR if rng.random() < 0.5 else INCIDENT_ADDR
            model.noninc.append(m)
            total += 1
            continue
        rtype, sub, _ = wchoice(rng, types, [t[2] for t in types])
        size = wchoice(rng, [1, 2, 3, 4, 5, 6, 8, 11], [80, 10, 4, 2, 1.5, 1, 1, 0.5])
        r = Report(len(model.reports) + 1, "bench", rtype, sub, size)
        r.org = model.choose_org(rng, r)
        model.fill_report(rng, r)
        model.reports.append(r)
        reps.append(r)
        t = model.sample_time(rng, r.org, start, end - dt.timedelta(days=7))
        m = model.new_mail("first", r, r.org, model.pick_person(r.org, rng), t)
        m.incs = list(r.incidents)
        m.urls = [u for i in r.incidents for u in i.urls]
        m.evidence = r.evidence
        r.mails.append(m)
        total += 1
        if r.org.kind not in ("autossh", "xarfconn", "xarfphish") and rng.random() < 0.05:
            r.first_fwd = pick(rng, ["rfc822", "inline"])
        elif rtype == "phishing" and r.brand and r.org.kind == "person" and rng.random() < 0.3:
            r.first_fwd = "lure"
        # extras
        if total < n and rtype in ("phishing", "scan") or (rtype == "other" and sub == "malware"):
            if total < n and rng.random() < 0.08 and sub != "comp":
                probe = Report(0, "bench", rtype, sub, 1)
                org = model.choose_org(rng, probe, exclude={r.org.domain})
                if org is not r.org and org.domain != r.org.domain:
                    t2 = t + dt.timedelta(seconds=rng.randrange(26 * 3600, 118 * 3600))
                    m2 = model.new_mail("second", r, org, model.pick_person(org, rng), t2)
                    m2.incs = [r.incidents[0]]
                    m2.urls = list(r.incidents[0].urls)
                    m2.evidence = (model.scan_evidence_for_port(rng, sub) if rtype == "scan" else "")
                    if rtype == "scan" and ":" in r.incidents[0].ip:
                        m2.evidence = "sshd" if sub == "p22" else "apache"
                    r.mails.append(m2)
                    total += 1
        if total < n and r.org.kind not in ("xarfconn", "xarfphish") and rng.random() < 0.15:
            kind = "fwdthread" if rng.random() < 0.1 else "followup"
            t3 = t + dt.timedelta(seconds=rng.randrange(2 * 3600, 6 * 86400))
            m3 = model.new_mail(kind, r, r.org, m.person, t3, parent=m)
            if rng.random() < 0.7:
                m3.incs = list(r.incidents)
                m3.urls = [u for i in r.incidents for u in i.urls]
            m3.evidence = r.evidence
            r.mails.append(m3)
            total += 1
    return reps


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def write_quarters(model, out, check=True, verbose=True):
    ren = Renderer(model)
    mails = sorted(model.mails, key=lambda m: (m.received, m.serial))
    files = {}
    problems = []
    for m in mails:
        raw = ren.render(m)
        if check:
            problems += verify_mail(model, m, raw, ren.writer.content(m))
        key = m.received.astimezone(JST).strftime("%Y-%m")
        files.setdefault(key, []).append(mbox_entry(m, raw))
    os.makedirs(out, exist_ok=True)
    sizes = {}
    for key in sorted(files):
        path = os.path.join(out, f"{key}.mbox")
        data = b"".join(files[key])
        with open(path, "wb") as f:
            f.write(data)
        sizes[path] = (len(files[key]), len(data))
    return ren, sizes, problems


def model_summary(model):
    out = {}
    for q in (Q2, Q1):
        f = model.figures(q)
        f.pop("_other_tlds")
        out[q] = f
    return out


def describe(model, ren):
    lines = []
    for q in (Q1, Q2):
        reps = [r for r in model.reports if r.quarter == q]
        kinds = {}
        for r in reps:
            for m in r.mails:
                kinds[m.kind] = kinds.get(m.kind, 0) + 1
        by = {}
        for r in reps:
            by.setdefault(r.rtype, [0, 0, 0])
            by[r.rtype][0] += 1
            by[r.rtype][1] += len(r.incidents)
            by[r.rtype][2] += len(r.mails)
        xarf = sum(1 for r in reps for m in r.mails if (m.org.kind in ("xarfconn", "xarfphish")) and m.kind in ("first", "second"))
        fwd = sum(1 for r in reps if r.first_fwd in ("rfc822", "inline"))
        lure = sum(1 for r in reps if r.first_fwd == "lure")
        ja = sum(1 for r in reps for m in r.mails if m.lang == "ja")
        lines.append(f"{q}: {len(reps)} reports, {sum(len(r.mails) for r in reps)} report mails {kinds}, "
                     f"non-incident {sum(1 for m in model.noninc if quarter_of(m.received) == q)}")
        for t, (a, b, c) in sorted(by.items()):
            lines.append(f"    {t:9s} reports {a:4d}  incidents {b:4d}  mails {c:4d}")
        lines.append(f"    X-ARF mails {xarf}, forwarded first reports {fwd}, forwarded phishing lures {lure}, Japanese mails {ja}")
    lines.append("encodings: " + ", ".join(f"{k}={v}" for k, v in sorted(ren.stats.items())))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate realistic incident-report mailboxes (two quarters of 2008).")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    ap.add_argument("--bench", type=int, metavar="N", help="write N messages for the intake benchmark instead")
    ap.add_argument("--summary", metavar="FILE", help="write the model's figures per quarter as JSON")
    ap.add_argument("--no-check", action="store_true", help="skip reading every rendered mail back")
    ap.add_argument("--truth", metavar="FILE",
                    help="write the model's truth per mail (JSON lines) for debugging triage; Kizuna never reads it")
    ap.add_argument("--coordination", metavar="DIR",
                    help="write the contact directory and the replay rounds that give the quarters' notifications")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    model = Model(a.seed)
    if a.bench:
        build_bench(model, a.bench)
        ren = Renderer(model)
        mails = sorted(model.mails, key=lambda m: (m.received, m.serial))
        os.makedirs(a.out, exist_ok=True)
        chunk = 10000
        problems = []
        for k in range(0, len(mails), chunk):
            path = os.path.join(a.out, f"bench-{k // chunk + 1:04d}.mbox")
            with open(path, "wb") as f:
                for j, m in enumerate(mails[k:k + chunk]):
                    raw = ren.render(m)
                    if not a.no_check and (m.serial % 97 == 0):
                        problems += verify_mail(model, m, raw, ren.writer.content(m))
                    f.write(mbox_entry(m, raw))
        if problems:
            print("\n".join(problems[:50]), file=sys.stderr)
            return 1
        if not a.quiet:
            print(f"wrote {len(mails)} messages into {(len(mails) + chunk - 1) // chunk} mbox file(s) in {a.out}")
        return 0
    model.build_quarter(Q1)
    model.build_quarter(Q2)
    problems = model.check_model()
    if problems:
        print("model self-check FAILED:\n  " + "\n  ".join(problems[:100]), file=sys.stderr)
        return 1
    ren, sizes, problems = write_quarters(model, a.out, check=not a.no_check)
    if problems:
        print(f"rendered-mail self-check FAILED ({len(problems)} problems):\n  " + "\n  ".join(problems[:100]), file=sys.stderr)
        return 1
    if a.truth:
        with open(a.truth, "w", encoding="utf-8") as f:
            for m in sorted(model.mails, key=lambda m: m.serial):
                r = m.report
                f.write(json.dumps({
                    "msgid": m.msgid.strip("<>"), "kind": m.kind, "quarter": r.quarter if r else None,
                    "report": r.rid if r else None, "type": r.rtype if r else None, "sub": r.sub if r else None,
                    "ips": [i.ip for i in r.incidents] if r else [],
                    "ports": [i.ports for i in r.incidents] if r else [],
                    "brand": r.brand if r else None, "evidence": r.evidence if r else None,
                    "first_sender_tld": r.org.tld if r and r.org else None}, ensure_ascii=False) + "\n")
    if a.coordination:
        Coordination(model).write(a.coordination)
    if a.summary:
        with open(a.summary, "w", encoding="utf-8") as f:
            json.dump(model_summary(model), f, ensure_ascii=False, indent=2, sort_keys=False)
            f.write("\n")
    if not a.quiet:
        print(describe(model, ren))
        for p, (n, s) in sizes.items():
            print(f"  {p}: {n} messages, {s} bytes")
        print("self-check passed: the model gives exactly the target figures of both quarters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
