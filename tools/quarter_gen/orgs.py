"""Reporter organisations: the catalogue of organisations and freemail providers, their kinds,
languages, zones, people, mailers, relays and own servers; individuals are made on demand.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .addresses import OWN_POOL
from .choice import pick


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
