"""The words of incident reports (first mails and second reporters), per type."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid

from .brands import brand_names
from .choice import pick, wchoice
from .clock import UTC, rfc2822
from .hosts import static_host
from .logs import INTRUSION_REQUESTS, apache_lines, iptables_lines, sshd_lines
from .mime import text_part
from .text import (INTRUSION_ACTS_EN, INTRUSION_ACTS_JA, INTRUSION_HOW_EN, INTRUSION_HOW_JA,
                   MALWARE_NAMES, PORT_EN, PORT_JA, WORM_NAMES)
from .words import Content, Words


class ReportWords(Words):
    """The words of first mails and second reporters, per report type."""

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
        quote += [f">         by {pick(rng, ['mx', 'mail', 'smtp'])}{rng.randrange(1, 9)}."
                  f"{static_host(rng)} with SMTP;"
                  f" {rfc2822(ctx.date - dt.timedelta(hours=rng.randrange(2, 30)))}",
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
            paths = INTRUSION_REQUESTS[method]
            lines = apache_lines(rng, incs, t_end, paths=paths, status=200)
            fname = "access_log.txt"
        if ctx.lang == "ja":
            lead = pick(rng, [f"{own}が不正侵入の被害を受けましたので報告いたします。",
                              f"{own}に侵入されたことが判明しました。",
                              f"{own}への不正侵入が発生しました。"])
            how = INTRUSION_HOW_JA[method]
            aft = "侵入後の操作として、" + "、また".join(INTRUSION_ACTS_JA[a] for a in after) + "。"
            ipl = "\n".join(self.ip_lines(ctx, incs, label=pick(rng, ["侵入元IPアドレス", "攻撃元", "侵入元"])))
            tail = pick(rng, ["サーバはネットワークから切り離し、現在調査中です。", "現在、サーバを停止して調査を進めております。"])
            head = pick(rng, ["該当するログ:", "ログ (抜粋):"])
            subj = pick(rng, ["サーバへの不正侵入について", "【至急】不正侵入の報告", "Webサーバへの侵入被害の報告"])
        else:
            lead = pick(rng, [f"We would like to report an intrusion: {own} has been compromised.",
                              f"{own[0].upper() + own[1:]} was compromised.",
                              f"We found that {own} was broken into (system compromise)."])
            how = INTRUSION_HOW_EN[method]
            aft = ("After the intrusion, the attacker "
                   + " and ".join(INTRUSION_ACTS_EN[a] for a in after) + ".")
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
