"""MIME: a small serializer under full control (fixed boundaries, exact encodings)."""

from __future__ import annotations

import base64
import io
import quopri
import zipfile

from .choice import wchoice


class Part:
    def __init__(self, headers, body=b"", parts=None, boundary=None):
        self.headers = headers          # list of "Name: value" (ASCII, already folded)
        self.body = body                # bytes (already transfer-encoded) for a leaf
        self.parts = parts              # list of Part for multipart
        self.boundary = boundary

    def serialize(self):
        out = [h.encode("ascii") + b"\n" for h in self.headers]
        out.append(b"\n")
        if self.parts is None:
            out.append(self.body)
            if not self.body.endswith(b"\n"):
                out.append(b"\n")
        else:
            b = self.boundary.encode("ascii")
            out.append(b"This is a multi-part message in MIME format.\n")
            for p in self.parts:
                out.append(b"\n--" + b + b"\n")
                out.append(p.serialize())
            out.append(b"\n--" + b + b"--\n")
        return b"".join(out)


def fold_plain(name, value, width=76):
    """Fold an ASCII header value at spaces."""
    words = value.split(" ")
    lines, cur = [], f"{name}:"
    for w in words:
        if len(cur) + 1 + len(w) > width and cur.strip() != f"{name}:":
            lines.append(cur)
            cur = " " + w
        else:
            cur = cur + " " + w
    lines.append(cur)
    return "\n".join(lines)


def encoded_words(text, charset, enc="B"):
    """RFC 2047 encoded words, each <= 75 characters, split at character boundaries."""
    cs = charset.upper()
    pycs = {"ISO-2022-JP": "iso2022_jp", "SHIFT_JIS": "shift_jis", "UTF-8": "utf-8",
            "ISO-8859-1": "latin-1", "ISO-8859-2": "iso8859_2"}[cs]
    limit = 75 - len(f"=?{cs}?{enc}??=")
    words, chunk = [], ""

    def enc_word(s):
        raw = s.encode(pycs)
        if enc == "B":
            return base64.b64encode(raw).decode("ascii")
        out = []
        for byte in raw:
            c = chr(byte)
            if c == " ":
                out.append("_")
            elif c.isalnum() and byte < 128:
                out.append(c)
            else:
                out.append(f"={byte:02X}")
        return "".join(out)

    for ch in text:
        if chunk and len(enc_word(chunk + ch)) > limit:
            words.append(f"=?{cs}?{enc}?{enc_word(chunk)}?=")
            chunk = ch
        else:
            chunk += ch
    if chunk:
        words.append(f"=?{cs}?{enc}?{enc_word(chunk)}?=")
    return words


def header_text(name, text, charset, prefix=""):
    """A header whose value may need RFC 2047 encoding; `prefix` stays plain (e.g. 'Re: ')."""
    try:
        text.encode("ascii")
        return fold_plain(name, prefix + text)
    except UnicodeEncodeError:
        pass
    try:
        text.encode(PYCS.get(charset.lower(), charset.lower()))
    except (UnicodeEncodeError, LookupError):
        charset = "UTF-8"
    enc = "Q" if charset.upper().startswith("ISO-8859") else "B"
    words = encoded_words(text, charset, enc)
    first = f"{name}: {prefix}{words[0]}"
    return "\n ".join([first] + words[1:])


def addr_header(name, display, addr, charset):
    if not display:
        return f"{name}: {addr}"
    try:
        display.encode("ascii")
        if any(c in display for c in ",.()<>@;:\""):
            return f'{name}: "{display}" <{addr}>'
        return f"{name}: {display} <{addr}>"
    except UnicodeEncodeError:
        try:
            display.encode(PYCS.get(charset.lower(), charset.lower()))
        except (UnicodeEncodeError, LookupError):
            charset = "UTF-8"
        enc = "Q" if charset.upper().startswith("ISO-8859") else "B"
        words = encoded_words(display, charset, enc)
        return f"{name}: " + "\n ".join(words) + f" <{addr}>"


PYCS = {"iso-2022-jp": "iso2022_jp", "shift_jis": "shift_jis", "utf-8": "utf-8",
        "us-ascii": "ascii", "iso-8859-1": "latin-1", "iso-8859-2": "iso8859_2"}


def text_part(text, charset, cte, name=None, disposition=None, ctype="text/plain", ja_name_cs=None):
    raw = text.encode(PYCS[charset])
    if cte == "7bit" or cte == "8bit":
        body = raw
    elif cte == "base64":
        body = base64.encodebytes(raw)
    elif cte == "quoted-printable":
        body = quopri.encodestring(raw)
    else:
        raise ValueError(cte)
    cs_label = {"iso-2022-jp": "ISO-2022-JP", "shift_jis": "Shift_JIS", "utf-8": pick_label(text, "UTF-8", "utf-8"),
                "us-ascii": "us-ascii", "iso-8859-1": "ISO-8859-1", "iso-8859-2": "ISO-8859-2"}[charset]
    ct = f"Content-Type: {ctype}; charset={cs_label}" if charset != "iso-2022-jp" else f'Content-Type: {ctype}; charset="{cs_label}"'
    hs = []
    if name:
        hs.append(ct + ";\n " + name_param("name", name, ja_name_cs))
        hs.append(f"Content-Transfer-Encoding: {cte}")
        hs.append(f"Content-Disposition: {disposition or 'attachment'};\n " + name_param("filename", name, ja_name_cs))
    else:
        if ctype == "text/plain" and charset != "iso-2022-jp" and len(text) % 3 == 0 and \
                not any(ln.endswith(" ") and ln != "-- " for ln in text.split("\n")):
            ct += "; format=flowed"
        hs.append(ct)
        hs.append(f"Content-Transfer-Encoding: {cte}")
    return Part(hs, body)


def pick_label(text, a, b):
    return a if len(text) % 2 else b


def name_param(param, name, cs):
    try:
        name.encode("ascii")
        return f'{param}="{name}"'
    except UnicodeEncodeError:
        # what Japanese mailers of the time did: an encoded word inside the quotes
        return f'{param}="{"".join(encoded_words(name, cs or "ISO-2022-JP"))}"'


def binary_part(data, ctype, name):
    hs = [f'Content-Type: {ctype};\n name="{name}"', "Content-Transfer-Encoding: base64",
          f'Content-Disposition: attachment;\n filename="{name}"']
    return Part(hs, base64.encodebytes(data))


def zip_bytes(files, when):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files:
            zi = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            z.writestr(zi, text.encode("ascii"))
    return buf.getvalue()


def boundary(rng):
    style = rng.randrange(4)
    if style == 0:
        return f"----=_NextPart_000_{rng.getrandbits(16):04X}_01C8{rng.getrandbits(16):04X}.{rng.getrandbits(32):08X}"
    if style == 1:
        return "------------" + "".join(str(rng.randrange(10)) for _ in range(24))
    if style == 2:
        return f"=_{rng.getrandbits(64):016x}_{rng.getrandbits(32):08x}"
    return f"Boundary_({rng.getrandbits(32):08X}.{rng.getrandbits(32):08X})"


def choose_encoding(rng, lang, text):
    if lang == "ja":
        try:
            text.encode("iso2022_jp")
            ok_jis = True
        except UnicodeEncodeError:
            ok_jis = False
        opts = [("iso-2022-jp", "7bit", 70), ("shift_jis", "base64", 14), ("utf-8", "base64", 8),
                ("utf-8", "quoted-printable", 5), ("utf-8", "8bit", 3)]
        if not ok_jis:
            opts = [o for o in opts if o[0] == "utf-8"]
        cs, cte, _ = wchoice(rng, opts, [o[2] for o in opts])
        return cs, cte
    try:
        text.encode("ascii")
        opts = [("us-ascii", "7bit", 68), ("utf-8", "quoted-printable", 12), ("utf-8", "base64", 8),
                ("iso-8859-1", "quoted-printable", 7), ("utf-8", "7bit", 5)]
    except UnicodeEncodeError:
        opts = [("utf-8", "quoted-printable", 30), ("utf-8", "base64", 20), ("utf-8", "8bit", 10)]
        for cs in ("iso-8859-1", "iso-8859-2"):
            try:
                text.encode(PYCS[cs])
                opts.append((cs, "quoted-printable", 50))
                break
            except UnicodeEncodeError:
                pass
    cs, cte, _ = wchoice(rng, opts, [o[2] for o in opts])
    return cs, cte


def html_of(text):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head><body>\n" +
            "<br>\n".join(esc.split("\n")) + "\n</body></html>\n")
