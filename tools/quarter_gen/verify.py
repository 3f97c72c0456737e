"""Reading the rendered mails back (Python's email package), as a self-check."""

from __future__ import annotations

import email
import email.header
import email.policy
import io
import ipaddress
import re
import zipfile

from .addresses import TESTNETS
from .brands import BRANDS_DOMESTIC, BRANDS_FOREIGN


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
