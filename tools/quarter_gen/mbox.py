"""Classic mbox files (mboxo escaping, From_ lines in UTC) and the quarters' monthly mailboxes."""

from __future__ import annotations

import os

from .clock import JST, asctime_utc
from .orgs import sender_address
from .render import Renderer
from .verify import verify_mail


def mbox_escape(raw):
    out = []
    for line in raw.split(b"\n"):
        if line.startswith(b">From "):
            raise ValueError("a body line starts with '>From ' (ambiguous in mbox)")
        out.append(b">" + line if line.startswith(b"From ") else line)
    return b"\n".join(out)


def mbox_entry(m, raw):
    addr = sender_address(m.org, m.person)[2]
    return f"From {addr} {asctime_utc(m.received)}\n".encode("ascii") + mbox_escape(raw).rstrip(b"\n") + b"\n\n"


def write_quarters(model, out, check=True, verbose=True):
    ren = Renderer(model)
    mails = sorted(model.mails, key=lambda m: (m.received, m.serial))
    files = {}
    problems = []
    for m in mails:
        raw = ren.render(m)
        if check:
            problems += verify_mail(model, m, raw, ren.writer.content(m))
        key = m.received.astimezone(JST).strftime("%Y-%m")
        files.setdefault(key, []).append(mbox_entry(m, raw))
    os.makedirs(out, exist_ok=True)
    sizes = {}
    for key in sorted(files):
        path = os.path.join(out, f"{key}.mbox")
        data = b"".join(files[key])
        with open(path, "wb") as f:
            f.write(data)
        sizes[path] = (len(files[key]), len(data))
    return ren, sizes, problems
