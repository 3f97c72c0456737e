"""Phrase tables the mail writers draw from: port names, malware and worm names, the
non-incident topics, closing requests, telephone codes and the words of intrusions.

Phrases that embed a mail's own values (addresses, brands, dates) stay inline in the writers.
"""

from __future__ import annotations


PORT_JA = {22: "SSH (22/tcp)", 80: "HTTP (80/tcp)", 5900: "VNC (5900/tcp)", 21: "FTP (21/tcp)",
           139: "NetBIOS (139/tcp)", 10000: "10000/tcp", 20000: "20000/tcp"}
PORT_EN = {22: "SSH (22/tcp)", 80: "HTTP (80/tcp)", 5900: "VNC (5900/tcp)", 21: "FTP (21/tcp)",
           139: "NetBIOS (139/tcp)", 10000: "port 10000/tcp", 20000: "port 20000/tcp"}


MALWARE_NAMES = ["Trojan-Downloader.Win32.Agent", "TROJ_AGENT.AFVH", "W32/Allaple.worm",
                 "W32.Netsky.P@mm", "Mal/Iframe-E", "JS/Wonka", "Trojan.Zlob", "TSPY_ONLINEG.CEH",
                 "PWS-Gamania", "W32/Sdbot.worm", "Trojan-PSW.Win32.OnLineGames", "W32/Mytob.gen@MM",
                 "Trojan.Fakealert", "JS_IFRAME.AE"]
WORM_NAMES = ["W32/Allaple.worm", "W32.Netsky.P@mm", "W32/Mytob.gen@MM", "W32/Sdbot.worm",
              "W32.Rinbot", "W32/Bagle.gen@MM"]


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

# requests that close a mail, by kind of mail ("": none), and the closing line
CLOSING_REQUEST_JA = {
    "scan": ["送信元の管理者への連絡をお願いできますでしょうか。",
             "アクセス元への対応依頼をお願いいたします。",
             "関係先への連絡をお願いできれば幸いです。", ""],
    "site": ["サイトの停止に向けて、関係先への連絡をお願いいたします。",
             "閉鎖に向けたご対応をお願いできますでしょうか。",
             "サイト管理者への連絡をお願いいたします。"],
    "general": ["お手数ですが、ご対応のほどよろしくお願いいたします。",
                "関係先への連絡をお願いできれば幸いです。"],
}
CLOSING_END_JA = ["よろしくお願いいたします。", "以上、よろしくお願いいたします。",
                  "何卒よろしくお願い申し上げます。"]
CLOSING_REQUEST_EN = {
    "scan": ["Please contact the responsible party and ask them to stop this activity.",
             "We would appreciate it if you could forward this to the owner of the host.",
             "Could you please notify the administrator of this host?", ""],
    "site": ["Could you please help us to have the site taken down?",
             "Please contact the hosting provider and have the site removed.",
             "We would appreciate your assistance in getting this site shut down."],
    "general": ["Please take appropriate action.", "Thank you for your assistance."],
}
CLOSING_END_EN = ["Thank you.", "Best regards,", "Kind regards,", "Regards,", "Thanks in advance,"]

# telephone country and area codes of reporters' signatures (default: the US)
PHONE_CC = {"uk": "44 20", "de": "49 30", "fr": "33 1", "nl": "31 20", "br": "55 11", "pl": "48 22",
            "kr": "82 2", "cn": "86 10", "tw": "886 2", "it": "39 02", "au": "61 2", "ru": "7 495",
            "se": "46 8", "ch": "41 44", "es": "34 91", "at": "43 1", "be": "32 2", "dk": "45",
            "fi": "358 9", "hk": "852", "in": "91 22", "mx": "52 55", "sg": "65", "nz": "64 9",
            "jp": "81 3"}

# intrusion reports: how the attacker got in (per method), what was done after (per act)
INTRUSION_HOW_JA = {
    "brute": "SSHに対する総当り攻撃により、脆弱なパスワードが設定されていたアカウントのパスワードが破られ、侵入されました。",
    "dict": "SSHへの辞書攻撃により、推測しやすいパスワードのアカウントが破られ、侵入されました。",
    "sqli": "Webアプリケーションの脆弱性を突いたSQLインジェクション攻撃により侵入されました。",
    "analytics": "Webのアクセス解析ツールの脆弱性を悪用されて侵入されました。",
    "cmdinj": "CGIプログラムのコマンドインジェクションの脆弱性を悪用されて侵入されました。",
}
INTRUSION_ACTS_JA = {
    "tamper": "システム上のファイルが改ざんされていました",
    "replace": "システムのファイルが置き換えられていました",
    "logdel": "ログが消去されていました",
    "logtamper": "ログが改ざんされていました",
    "webpage": "Webページが改ざんされていました",
    "mailer": "メール送信ツールが設置され、大量のメールが送信されていました",
    "backdoor": "バックドアが設置されていました",
}
INTRUSION_HOW_EN = {
    "brute": "The attacker gained access through a brute force password attack on SSH (a weak "
             "password was guessed).",
    "dict": "The attacker got in with a dictionary password attack against SSH.",
    "sqli": "The attacker got in via SQL injection in our web application.",
    "analytics": "The intrusion used a vulnerability in a web analytics (access statistics) tool.",
    "cmdinj": "The intrusion used a command injection vulnerability in a CGI script.",
}
INTRUSION_ACTS_EN = {
    "tamper": "tampered with system files",
    "replace": "replaced system binaries",
    "logdel": "erased the logs",
    "logtamper": "tampered with the logs",
    "webpage": "modified our web pages",
    "mailer": "installed a mail sending tool which was used to send bulk mail",
    "backdoor": "installed a backdoor",
}
