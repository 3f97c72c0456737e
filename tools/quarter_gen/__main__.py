"""`python3 -m quarter_gen ...` (from tools/): the same as tools/quarter_gen.py."""

import sys

from .cli import main

sys.exit(main(prog="python3 -m quarter_gen"))
