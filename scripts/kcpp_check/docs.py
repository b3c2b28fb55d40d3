# SPDX-License-Identifier: GPL-2.0
"""make docs (also part of make check): the API documentation with Doxygen."""

import argparse
import os
import shutil

from .common import REPO, log, quiet
from .deps import ensure_deps


def build_docs() -> tuple[bool, list[str]]:
    """make docs: Doxygen over include/kcpp (and the README as main page),
    warnings are errors. Returns (ok, warning lines)."""
    out_dir = os.path.join(REPO, 'docs', 'html-build')
    shutil.rmtree(out_dir, ignore_errors=True)
    r = quiet(['doxygen', os.path.join('docs', 'Doxyfile')], cwd=REPO)
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    ok = r.returncode == 0 and not lines and os.path.exists(os.path.join(out_dir, 'index.html'))
    return ok, lines


def cmd_docs(args: argparse.Namespace) -> int:
    ensure_deps()
    ok, lines = build_docs()
    print('\n'.join(lines))
    if ok:
        log('API documentation: ' + os.path.join(REPO, 'docs', 'html-build', 'index.html'))
    return 0 if ok else 1
