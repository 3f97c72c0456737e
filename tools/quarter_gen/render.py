"""The Renderer: a mail as the centre received it (headers, MIME structure, encodings)."""

from __future__ import annotations

import datetime as dt
import random
import re

from .centre import CENTRE_EN, CENTRE_JA, CENTRE_MX
from .choice import pick
from .clock import JST, in_zone, rfc2822, zone_offset
from .mime import Part, addr_header, boundary, choose_encoding, header_text, html_of, text_part
from .orgs import sender_address
from .pgp import clearsign
from .writer import Writer


class Renderer:
    """Renders the model's mails as the centre received them; counts the encodings used.

    Every draw for a mail comes from one generator seeded with the mail's serial, in a fixed
    order: signing, body encoding, MIME structure, transport headers, message headers.
    """

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
        text, signed = self.sign(m, c.text, rng)
        cs, cte = ("us-ascii", "7bit") if signed else choose_encoding(rng, m.lang, text)
        hcs = {"iso-2022-jp": "ISO-2022-JP", "shift_jis": pick(rng, ["ISO-2022-JP", "SHIFT_JIS"]), "utf-8": "UTF-8",
               "us-ascii": "UTF-8", "iso-8859-1": "ISO-8859-1", "iso-8859-2": "ISO-8859-2"}[cs]
        top = self.mime_body(m, c, text, cs, cte, signed, rng)
        hs = self.transport_headers(m, rng)
        top.headers = hs + self.message_headers(m, c, hcs, rng) + top.headers
        self.count(f"body:{cs}/{cte}")
        if signed:
            self.count("pgp_clearsigned")
        return top.serialize()

    @staticmethod
    def sign(m, text, rng):
        """(text, signed): some English CSIRT and security-service mails are PGP clear-signed."""
        org = m.org
        if m.lang == "en" and org.kind in ("csirt", "secsvc") and rng.random() < 0.18:
            try:
                text.encode("ascii")
                when = in_zone(org.zone, m.received - dt.timedelta(seconds=m.date_delta))
                keyid = random.Random(f"pgpkey:{org.domain}").getrandbits(64).to_bytes(8, "big")
                prng = random.Random(f"pgp:{org.domain}:{m.serial}")
                return clearsign(text, prng, when, keyid), True
            except UnicodeEncodeError:
                pass
        return text, False

    def mime_body(self, m, c, text, cs, cte, signed, rng):
        """The body Part: the text, maybe with an HTML copy, then the attachments."""
        org = m.org
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
        return top

    @staticmethod
    def transport_headers(m, rng):
        """Return-Path, delivery and Received: headers (the centre's gives the received time)."""
        org = m.org
        addr = sender_address(org, m.person)[2]
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
        return hs

    def message_headers(self, m, c, hcs, rng):
        """The sender's headers: Message-ID, Date, From, To, Subject, threading, mailer."""
        org = m.org
        disp_ja, disp_en, addr = sender_address(org, m.person)
        to = m.to
        date = in_zone(org.zone, m.received - dt.timedelta(seconds=m.date_delta))
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
        return body_hs

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
