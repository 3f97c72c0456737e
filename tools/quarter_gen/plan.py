"""How the model reaches the figures of each quarter: report groups, reporter TLDs, extra
mails, the campaigns, the mails pinned at the quarter edges and where reported addresses are.
"""

from __future__ import annotations

import datetime as dt

from .clock import JST
from .targets import Q1, Q2


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

# the specials' reporter and brand: a phishing campaign of 11 sites in each quarter (and, in
# 2008-01..03, 6 more sites the next day)
CAMPAIGN = {Q1: ("kagami-security.co.jp", "Mizuho"), Q2: ("highstreet-bank.co.uk", "LloydsTSB")}
# 2008-01..03: the campaign's first report, and the next day its second (same reporter)
CAMPAIGN_DAYS = {Q1: (dt.datetime(2008, 2, 4, 10, 12, 5, tzinfo=JST),
                      dt.datetime(2008, 2, 5, 9, 47, 31, tzinfo=JST))}

# first mails pinned at the quarter edges: (pin, received, seconds from Date: to received;
# 0 keeps the drawn delay)
PINS = {Q1: [("start", dt.datetime(2008, 1, 1, 0, 7, 12, tzinfo=JST), 0),
             ("start", dt.datetime(2008, 1, 1, 3, 41, 55, tzinfo=JST), 0),
             ("end", dt.datetime(2008, 3, 31, 23, 12, 40, tzinfo=JST), 0),
             ("end", dt.datetime(2008, 3, 31, 23, 59, 10, tzinfo=JST), 200)],
        Q2: [("start", dt.datetime(2008, 4, 1, 0, 1, 30, tzinfo=JST), 200),
             ("start", dt.datetime(2008, 4, 1, 0, 20, 11, tzinfo=JST), 0),
             ("start", dt.datetime(2008, 4, 1, 6, 44, 2, tzinfo=JST), 0),
             ("end", dt.datetime(2008, 6, 30, 23, 31, 27, tzinfo=JST), 0),
             ("end", dt.datetime(2008, 6, 30, 23, 58, 44, tzinfo=JST), 0)]}

# the received time of each quarter's first non-incident mail
NONINC_START = {Q1: dt.datetime(2008, 1, 1, 8, 15, 3, tzinfo=JST),
                Q2: dt.datetime(2008, 4, 1, 2, 10, 44, tzinfo=JST)}

# where the reported addresses are, per report type: (regions, weights)
REPORTED_REGIONS = {
    "scan": (["cn", "us", "kr", "eu", "jp", "latam", "tw", "asia", "ru"],
             [30, 14, 11, 16, 9, 5, 5, 6, 4]),
    "forged": (["us", "eu", "asia", "latam", "cn", "kr", "ru"], [20, 25, 15, 15, 10, 10, 5]),
    "intrusion": (["cn", "eu", "us", "kr", "ru", "latam", "jp"], [25, 20, 15, 10, 10, 10, 10]),
    "phishing": (["jp", "us", "eu", "kr", "cn", "asia", "ru", "latam"],
                 [55, 14, 10, 5, 5, 4, 4, 3]),
    "other": (["jp", "cn", "us", "eu", "ru", "kr", "latam"], [35, 18, 14, 14, 9, 5, 5]),
}
