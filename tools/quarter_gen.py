#!/usr/bin/python3
"""Launcher of the quarter_gen package (tools/quarter_gen/): realistic incident-report mailboxes.

    /usr/bin/python3 tools/quarter_gen.py --out DIR [--seed N] [--summary FILE]
    /usr/bin/python3 tools/quarter_gen.py --bench N --out DIR [--seed N]

See tools/README.md.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from quarter_gen.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
