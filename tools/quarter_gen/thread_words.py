"""The words of forwards, follow-ups and non-incident mails."""

from __future__ import annotations

import datetime as dt
import random

from .addresses import OWN_POOL
from .brands import BRANDS_DOMESTIC, brand_names
from .centre import INCIDENT_ADDR
from .choice import pick
from .clock import in_zone, rfc2822
from .logs import sshd_lines
from .mime import PYCS, Part, addr_header, header_text, text_part
from .model import Mail
from .orgs import EN_NAMES, JA_FAMILY, JA_GIVEN, Org, ascii_fold, sender_address
from .text import NONINC_EN, NONINC_JA
from .words import Content, Ctx, Words, strip_re


class ThreadWords(Words):
    """Forwarded first reports and lures, follow-ups, forwards within a thread and
    non-incident mails. Uses `content` (Writer) and `body_for`, `brand_text` (ReportWords).
    """

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
    def noninc(self, ctx):
        rng, m = ctx.rng, ctx.m
        if ctx.lang == "ja":
            subj, body = NONINC_JA[m.topic % len(NONINC_JA)]
            text = "\n\n".join(x for x in [self.greet(ctx), self.intro(ctx), body, pick(rng, ["よろしくお願いいたします。", "お手数ですが、よろしくお願いいたします。"]), self.signature(ctx)] if x) + "\n"
        else:
            subj, body = NONINC_EN[m.topic % len(NONINC_EN)]
            text = "\n\n".join(x for x in [self.greet(ctx), self.intro(ctx), body, pick(rng, ["Best regards,", "Thank you,"]), self.signature(ctx)] if x) + "\n"
        return Content(subj, text)
