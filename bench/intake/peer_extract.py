#!/usr/bin/python3
"""The intake script a CSIRT would otherwise write by hand: Kizuna's benchmark peer.

    peer_extract.py --db OUT.sqlite PATH...

PATH is an mbox file, a single message (.eml), or a directory searched recursively for
both. For every message it does what a team's own Python intake script does:

  * parse with email.message_from_bytes(raw, policy=email.policy.default);
  * walk every part: text/* parts through get_content() (charset and transfer encoding
    decoded), attachments named *.txt/*.log/*.csv/..., the text files inside zip
    attachments, and the headers of attached messages (message/rfc822, the ARF
    message/feedback-report block);
  * pull indicators out with compiled regular expressions: IPv4, IPv6 (validated by
    ipaddress), URLs (defanged hxxp:// and [.] too), e-mail addresses, destination ports
    (22 implied by sshd lines, iptables DPT=, 80 implied by Apache log lines);
  * classify the message by keyword lists (Japanese and English) as scan, forged,
    intrusion, phishing or other;
  * skip messages whose raw bytes (SHA-256) were already seen;
  * store everything into SQLite, messages(...) and indicators(...), in ONE transaction,
    with executemany in batches.

It prints one JSON line: {"messages": N, "indicators": M, "seconds": S, ...}. A message
that cannot be processed is counted under "failed" (and named on stderr), never fatal.
Only the Python standard library is used, so it runs as /usr/bin/python3 anywhere.
"""

import argparse
import datetime
import email
import email.policy
import email.utils
import hashlib
import io
import ipaddress
import json
import mmap
import os
import re
import sqlite3
import sys
import time
import zipfile

POLICY = email.policy.default
BATCH = 2000
MAX_ZIP_MEMBER = 20 * 1024 * 1024  # bytes; bigger members (or zip bombs) are skipped
TEXT_EXTENSIONS = (".txt", ".log", ".csv", ".tsv", ".json", ".xml", ".yaml", ".yml",
                   ".eml", ".msg", ".asc", ".htm", ".html")
MESSAGE_EXTENSIONS = (".eml", ".msg")

# --- mbox splitting -------------------------------------------------------------------
# The From_ line as the standard library's mailbox.mbox recognises it ("From " at a line
# start). Writers escape body lines that start with "From " as ">From ".
RX_FROM_LINE = re.compile(rb"^From [^\n]*\n", re.M)

# --- indicators -----------------------------------------------------------------------
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
RX_IPV4 = re.compile(r"(?<![\d.])(?:" + _OCTET + r"\.){3}" + _OCTET + r"(?!\.?\d)")
# Candidates only; ipaddress.IPv6Address decides (times like 07:19:02 fail there).
RX_IPV6 = re.compile(r"(?<![0-9A-Fa-f:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
                     r"(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![0-9A-Fa-f:])")
RX_URL = re.compile(r"\b(?:https?|ftps?)://[^\s<>\"'`{}|\\^\[\]]+", re.I)
URL_TRAILING = ".,;:!?)'\"*>"
RX_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
                      r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b")
# Defanged forms: hxxp://, hXXps://, example[.]com, 192.0.2[.]1, [:]//, [at]/[@].
RX_DEFANG = re.compile(r"h[xX]{2}p|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\[:\]|\[@\]|\[at\]", re.I)
_REFANG = {"[.]": ".", "(.)": ".", "{.}": ".", "[dot]": ".", "[:]": ":", "[@]": "@",
           "[at]": "@"}
# Destination ports implied by log lines.
RX_SSHD = re.compile(r"\bsshd(?:\[\d+\])?:")
RX_DPT = re.compile(r"\bDPT=(\d{1,5})\b")
RX_APACHE = re.compile(
    r"^[\s>]*\S+ \S+ \S+ \[\d{1,2}/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "
    r"\"(?:GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND) "
    r"|\[(?:error|warn|notice|crit)\] \[client \d", re.M)

# --- classification -------------------------------------------------------------------
# A dozen-odd keywords per type in English and in Japanese, matched as substrings of the
# lower-cased subject and body text (str.count: no regex needed). The type with the most
# hits wins; ties go to the earlier type in this list; no hit at all is "other".
KEYWORDS = {
    "phishing": [
        "phish", "fake login", "credential harvest", "fraudulent site", "fraudulent web",
        "imitating", "verify your account", "account verification", "login page",
        "safe browsing", "spoofed site", "brand",
        "フィッシング", "偽サイト", "偽のサイト", "詐欺サイト", "なりすましサイト",
        "偽ログイン", "ログインページ", "アカウント確認", "認証情報", "金融機関",
        "ブランド", "偽装サイト"],
    "intrusion": [
        "intrusion", "compromised", "hacked", "defaced", "defacement", "rootkit",
        "backdoor", "webshell", "web shell", "sql injection", "break-in",
        "privilege escalation", "tampered",
        "侵入", "改ざん", "改竄", "乗っ取", "バックドア", "ルートキット",
        "sqlインジェクション", "侵害", "踏み台", "不正プログラム", "管理者権限", "書き換え"],
    "forged": [
        "forged", "forgery", "spoofed sender", "sender spoofing", "spoofed from",
        "mail spoofing", "fake sender", "backscatter", "joe job", "impersonat",
        "not sent by", "spoofed",
        "なりすまし", "成りすまし", "詐称", "偽装", "差出人", "送信元アドレス", "バウンス",
        "身に覚えのない", "エラーメール", "偽造", "送信者", "偽のメール"],
    "scan": [
        "scan", "probe", "probing", "brute force", "brute-force", "failed password",
        "invalid user", "authentication failure", "dpt=", "nmap", "sweep",
        "connection attempt", "login attempt",
        "スキャン", "走査", "探索", "プローブ", "ブルートフォース", "総当たり", "辞書攻撃",
        "ログイン試行", "接続試行", "パスワード試行", "アクセスの試み", "ポート"],
    "other": [
        " dos ", "dos attack", "ddos", "denial of service", "malware", "virus", "trojan",
        "botnet", "spam", "copyright", "infringement", "open resolver", "amplification",
        "サービス妨害", "dos攻撃", "マルウェア", "マルウエア", "ウイルス", "ウィルス",
        "ボット", "スパム", "迷惑メール", "著作権", "感染", "ワーム"],
}


def classify(text):
    low = text.lower()
    best, best_hits = "other", 0
    for name, words in KEYWORDS.items():
        hits = sum(low.count(w) for w in words)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def refang(text):
    return RX_DEFANG.sub(lambda m: "http" if m.group(0)[0] in "hH"
                         else _REFANG.get(m.group(0).lower(), m.group(0)), text)


def extract(text):
    """Returns the set of (kind, value) indicators found in text."""
    found = set()
    if RX_DEFANG.search(text):
        text = refang(text)
    for m in RX_IPV4.findall(text):
        found.add(("ipv4", m))
    if ":" in text:
        for m in RX_IPV6.findall(text):
            if m.count(":") < 2:
                continue
            try:
                ip = ipaddress.IPv6Address(m)
            except ValueError:
                continue
            if not ip.is_unspecified:
                found.add(("ipv6", ip.compressed))
        for m in RX_URL.findall(text):
            url = m.rstrip(URL_TRAILING)
            if len(url) > 10:
                found.add(("url", url))
    if "@" in text:
        for m in RX_EMAIL.findall(text):
            found.add(("email", m.lower()))
    if RX_SSHD.search(text):
        found.add(("port", "22"))
    if "DPT=" in text:
        for m in RX_DPT.findall(text):
            if 0 < int(m) < 65536:
                found.add(("port", str(int(m))))
    if RX_APACHE.search(text):
        found.add(("port", "80"))
    return found


# --- MIME walking ---------------------------------------------------------------------
def _decode_bytes(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932", errors="replace")


def _text_of(part):
    try:
        return part.get_content()
    except (LookupError, ValueError, AssertionError, KeyError, TypeError):
        data = part.get_payload(decode=True) or b""
        return data.decode("utf-8", errors="replace")


def _zip_texts(data, out):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.is_dir() or info.file_size > MAX_ZIP_MEMBER:
                continue
            member = zf.read(info)
            if info.filename.lower().endswith(TEXT_EXTENSIONS) or b"\0" not in member[:4096]:
                out.append(_decode_bytes(member))


def _clean(text):
    """Header values keep undecodable bytes as lone surrogates, which SQLite refuses."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")


def _headers_text(msg):
    return _clean("\n".join(f"{k}: {v}" for k, v in msg.items()))


def message_texts(msg):
    """The texts of msg worth searching: (subject and decoded parts, attached headers).

    Attached headers (the reported mail's Received lines, the ARF feedback-report fields)
    are searched for indicators but not used to classify: every forwarded mail carries
    words like "X-Virus-Scanned"."""
    out = [_clean(str(msg.get("subject", "") or ""))]
    headers = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if part.is_multipart():
            if ctype.startswith("message/"):
                for sub in part.get_payload():
                    headers.append(_headers_text(sub))
            continue
        if ctype.startswith("text/"):
            out.append(_text_of(part))
            continue
        filename = (part.get_filename() or "").lower()
        if ctype in ("application/zip", "application/x-zip-compressed") \
                or filename.endswith(".zip"):
            data = part.get_payload(decode=True)
            if data:
                try:
                    _zip_texts(data, out)
                except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError,
                        RuntimeError, EOFError, OSError, ValueError):
                    pass  # a broken archive is skipped, the rest of the mail still counts
        elif filename.endswith(TEXT_EXTENSIONS):
            data = part.get_payload(decode=True)
            if data:
                out.append(_decode_bytes(data))
    return out, headers


def _to_utc_iso(dt):
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def received_time(msg):
    try:
        date = msg.get("date")
        if date is not None and getattr(date, "datetime", None) is not None:
            return _to_utc_iso(date.datetime)
    except (ValueError, TypeError, IndexError, OverflowError):
        pass
    received = msg.get("received")
    if received and ";" in str(received):
        try:
            return _to_utc_iso(email.utils.parsedate_to_datetime(
                str(received).rsplit(";", 1)[1].strip()))
        except (ValueError, TypeError, IndexError, OverflowError):
            pass
    return None


def sender_of(msg):
    header = msg.get("from")
    if header is None:
        return None
    try:
        addresses = header.addresses
        if addresses and addresses[0].addr_spec:
            return _clean(addresses[0].addr_spec.lower())
    except (AttributeError, ValueError, IndexError, TypeError):
        pass
    return _clean(str(header))


def process(raw):
    """Parses one raw message: (sender, subject, received, type, indicator set)."""
    msg = email.message_from_bytes(raw, policy=POLICY)
    texts, headers = message_texts(msg)
    body = "\n".join(texts)
    found = extract(body + "\n" + "\n".join(headers)) if headers else extract(body)
    return (sender_of(msg), texts[0], received_time(msg), classify(body), found)


# --- input ----------------------------------------------------------------------------
def mbox_messages(path):
    """Yields the raw bytes of each message in an mbox file, From_ line excluded."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            start = None
            for m in RX_FROM_LINE.finditer(mm):
                if start is not None:
                    yield _trim(mm[start:m.start()])
                start = m.end()
            if start is None:  # no From_ line at all: one bare message
                yield mm[:]
            else:
                yield _trim(mm[start:])


def _trim(raw):
    # The blank line before the next From_ line belongs to the mbox, not the message.
    if raw.endswith(b"\r\n\r\n"):
        return raw[:-2]
    if raw.endswith(b"\n\n"):
        return raw[:-1]
    return raw


def input_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def file_messages(path):
    if path.lower().endswith(MESSAGE_EXTENSIONS):
        with open(path, "rb") as f:
            yield f.read()
        return
    with open(path, "rb") as f:
        head = f.read(5)
    if head == b"From ":
        yield from mbox_messages(path)
    else:
        with open(path, "rb") as f:
            yield f.read()


# --- store ----------------------------------------------------------------------------
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages(
  sha256 TEXT PRIMARY KEY, sender TEXT, subject TEXT, received TEXT, type TEXT, raw BLOB);
CREATE TABLE IF NOT EXISTS indicators(message_sha256 TEXT, kind TEXT, value TEXT);
"""


def run(db_path, paths):
    t0 = time.perf_counter()
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("BEGIN")
    for statement in SCHEMA.strip().split(";"):
        if statement.strip():
            con.execute(statement)
    seen = {row[0] for row in con.execute("SELECT sha256 FROM messages")}
    stats = {"messages": 0, "indicators": 0, "duplicates": 0, "failed": 0, "files": 0,
             "unreadable_files": 0, "bytes": 0}
    message_rows, indicator_rows = [], []

    def flush():
        con.executemany("INSERT INTO messages VALUES (?,?,?,?,?,?)", message_rows)
        con.executemany("INSERT INTO indicators VALUES (?,?,?)", indicator_rows)
        message_rows.clear()
        indicator_rows.clear()

    for path in input_files(paths):
        stats["files"] += 1
        try:
            for index, raw in enumerate(file_messages(path)):
                stats["bytes"] += len(raw)
                digest = hashlib.sha256(raw).hexdigest()
                if digest in seen:
                    stats["duplicates"] += 1
                    continue
                try:
                    sender, subject, received, kind, found = process(raw)
                except Exception as e:  # noqa: BLE001 - one bad message must not stop intake
                    stats["failed"] += 1
                    print(f"peer_extract: {path} message {index + 1}: "
                          f"{type(e).__name__}: {e}", file=sys.stderr)
                    continue
                seen.add(digest)
                message_rows.append((digest, sender, subject, received, kind, raw))
                indicator_rows.extend((digest, k, v) for k, v in found)
                stats["messages"] += 1
                stats["indicators"] += len(found)
                if len(message_rows) >= BATCH:
                    flush()
        except OSError as e:
            stats["unreadable_files"] += 1
            print(f"peer_extract: cannot read {path}: {e}", file=sys.stderr)
    flush()
    con.execute("COMMIT")
    con.close()
    seconds = time.perf_counter() - t0
    stats["seconds"] = round(seconds, 3)
    stats["messages_per_second"] = round(stats["messages"] / seconds, 1) if seconds else None
    return stats


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Hand-written-style CSIRT intake script (benchmark peer of kizuna ingest).")
    ap.add_argument("--db", required=True, help="SQLite file to create or add to")
    ap.add_argument("paths", nargs="+", metavar="PATH",
                    help="mbox file, .eml file, or directory of them")
    args = ap.parse_args(argv)
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        print(f"peer_extract: no such file or directory: {', '.join(missing)}",
              file=sys.stderr)
        return 1
    try:
        stats = run(args.db, args.paths)
    except sqlite3.Error as e:
        print(f"peer_extract: database {args.db}: {e}", file=sys.stderr)
        return 1
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
