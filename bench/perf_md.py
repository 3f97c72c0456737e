"""Shared by the benchmark runners: the machine's description, the tail of a failed run's output,
and replacing one section of docs/perf.md (from its `## ` heading to the next heading) while
keeping every other section."""
import os
import platform
from pathlib import Path


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Hardware", "Model", "cpu model"):
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine():
    u = os.uname()
    return f"{u.sysname} {u.release} {u.machine}, {cpu_model()}, {os.cpu_count()} cores"


def update_section(path, heading, text):
    path = Path(path)
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
    else:
        lines = ["# Performance", ""]
    start = next((i for i, l in enumerate(lines) if l.rstrip() == heading), None)
    new = text.rstrip("\n").splitlines()
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += [""] + new
    else:
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].startswith("## ") or lines[i].startswith("# ")), len(lines))
        tail_lines = lines[end:]
        lines = lines[:start] + new + ([""] if tail_lines else []) + tail_lines
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def tail(text, n=20):
    return "\n".join(text.rstrip().splitlines()[-n:]) or "(nothing on stderr)"
