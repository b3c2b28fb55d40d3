# SPDX-License-Identifier: GPL-2.0
"""python3 -m kcpp_check (from scripts/), the same as scripts/kcpp-check."""

import sys

from .cli import main

# Without prog, argparse would call the command __main__.py.
sys.exit(main(prog='python3 -m kcpp_check'))
