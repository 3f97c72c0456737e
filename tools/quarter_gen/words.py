"""The pieces every mail's words are made of (greeting, introduction, signature, address and
URL lines, closing, evidence placement), shared by the writers.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from .addresses import OWN_POOL
from .centre import CENTRE_EN, CENTRE_JA
from .choice import pick, wchoice
from .clock import in_zone
from .logs import apache_lines, iptables_lines, pfw_lines, sshd_lines
from .mime import binary_part, text_part, zip_bytes
from .orgs import sender_address
from .text import (CLOSING_END_EN, CLOSING_END_JA, CLOSING_REQUEST_EN, CLOSING_REQUEST_JA,
                   PHONE_CC)


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
    """What the writers know while writing one mail (its report, sender, date, own server)."""

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


class Words:
    """The shared pieces of the writers' words; a method's draws come from `ctx.rng`."""

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
        cc = PHONE_CC.get(org.tld, "1 " + str(prng.randrange(201, 989)))
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
            req = CLOSING_REQUEST_JA[kind]
            end = pick(rng, CLOSING_END_JA)
            r = pick(rng, req)
            return (r + "\n" + end) if r else end
        req = CLOSING_REQUEST_EN[kind]
        end = pick(rng, CLOSING_END_EN)
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


def strip_re(s):
    while True:
        s2 = re.sub(r"^(?:re|fw|fwd|転送)\s*:\s*", "", s, flags=re.I)
        s2 = re.sub(r"^\[転送\]\s*", "", s2)
        if s2 == s:
            return s
        s = s2
