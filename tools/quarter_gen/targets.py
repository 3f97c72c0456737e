"""The two quarters: their names, their spans in JST and the figures the model must give.

The figures are read from the committed figures file, tests/integration/testdata/quarters.json,
the one copy the generator and the figures test share. Only its quarter entries are read; keys
that start with "_" are notes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os

from .clock import JST

Q1 = "2008-01-01..2008-03-31"
Q2 = "2008-04-01..2008-06-30"

QSPAN = {Q1: (dt.datetime(2008, 1, 1, tzinfo=JST), dt.datetime(2008, 4, 1, tzinfo=JST)),
         Q2: (dt.datetime(2008, 4, 1, tzinfo=JST), dt.datetime(2008, 7, 1, tzinfo=JST))}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIGURES_FILE = os.path.join(ROOT, "tests", "integration", "testdata", "quarters.json")

# every figure a quarter must give (the self-check compares each key the file has)
FIGURE_KEYS = ("messages", "reports", "incidents", "by_type", "reporter_tld", "scan_ports",
               "comprehensive_scans", "phishing_brand", "non_incident", "notifications")


class TargetsError(Exception):
    """The figures file is missing, unreadable or lacks a quarter or a figure."""


def load_targets(path=FIGURES_FILE):
    """{quarter: {figure: value}} for Q2 and Q1, as the figures file gives them."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise TargetsError(f"cannot read the target figures: {e}") from None
    except ValueError as e:
        raise TargetsError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise TargetsError(f"{path}: not a JSON object")
    out = {}
    for q in (Q2, Q1):
        figures = data.get(q)
        if not isinstance(figures, dict):
            raise TargetsError(f"{path}: no figures for the quarter {q}")
        missing = [k for k in FIGURE_KEYS if k not in figures]
        if missing:
            raise TargetsError(f"{path}: {q} lacks {', '.join(missing)}")
        out[q] = figures
    return out


@functools.cache
def targets():
    """The target figures of both quarters (read once; callers must not change them)."""
    return load_targets()


def quarter_of(t):
    for q, (s, e) in QSPAN.items():
        if s <= t < e:
            return q
    return None
