"""Command line: argument parsing, and the two modes (the quarters, --bench N)."""

from __future__ import annotations

import argparse
import json
import sys

from .bench import build_bench, write_bench
from .coordination import Coordination
from .figures import check_model, describe, model_summary, write_truth
from .mbox import write_quarters
from .model import Model
from .targets import Q1, Q2, TargetsError, targets


def parse_args(argv=None, prog=None):
    ap = argparse.ArgumentParser(
        prog=prog,
        description="Generate realistic incident-report mailboxes (two quarters of 2008).")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    ap.add_argument("--bench", type=int, metavar="N",
                    help="write N messages for the intake benchmark instead")
    ap.add_argument("--summary", metavar="FILE",
                    help="write the model's figures per quarter as JSON")
    ap.add_argument("--no-check", action="store_true",
                    help="skip reading every rendered mail back")
    ap.add_argument("--truth", metavar="FILE",
                    help="write the model's truth per mail (JSON lines) for debugging triage; "
                         "Kizuna never reads it")
    ap.add_argument("--coordination", metavar="DIR",
                    help="write the contact directory and the replay rounds that give the "
                         "quarters' notifications")
    ap.add_argument("-q", "--quiet", action="store_true")
    return ap.parse_args(argv)


def run_bench(a):
    model = Model(a.seed)
    build_bench(model, a.bench)
    n, files, problems = write_bench(model, a.out, check=not a.no_check)
    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        return 1
    if not a.quiet:
        print(f"wrote {n} messages into {files} mbox file(s) in {a.out}")
    return 0


def run_quarters(a):
    try:
        targets()
    except TargetsError as e:
        print(f"quarter_gen: {e}", file=sys.stderr)
        return 1
    model = Model(a.seed)
    model.build_quarter(Q1)
    model.build_quarter(Q2)
    problems = check_model(model)
    if problems:
        print("model self-check FAILED:\n  " + "\n  ".join(problems[:100]), file=sys.stderr)
        return 1
    ren, sizes, problems = write_quarters(model, a.out, check=not a.no_check)
    if problems:
        print(f"rendered-mail self-check FAILED ({len(problems)} problems):\n  "
              + "\n  ".join(problems[:100]), file=sys.stderr)
        return 1
    if a.truth:
        write_truth(model, a.truth)
    if a.coordination:
        Coordination(model).write(a.coordination)
    if a.summary:
        with open(a.summary, "w", encoding="utf-8") as f:
            json.dump(model_summary(model), f, ensure_ascii=False, indent=2, sort_keys=False)
            f.write("\n")
    if not a.quiet:
        print(describe(model, ren))
        for p, (n, s) in sizes.items():
            print(f"  {p}: {n} messages, {s} bytes")
        print("self-check passed: the model gives exactly the target figures of both quarters")
    return 0


def main(argv=None, prog=None):
    """Exit status: 0 on success, 1 when the targets cannot be read or a self-check fails."""
    a = parse_args(argv, prog)
    if a.bench:
        return run_bench(a)
    return run_quarters(a)
