"""Time: the centre's zone (JST), the senders' zones with 2008's DST rules, and the date
formats of mail headers, mbox From_ lines, syslog and Apache logs.
"""

from __future__ import annotations

import datetime as dt


JST = dt.timezone(dt.timedelta(hours=9))
UTC = dt.timezone.utc

WD = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


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
