# SPDX-License-Identifier: GPL-2.0
"""clang-format over kcpp's C++: `make format` rewrites every tracked C++
file in place, and make check fails on any file that is not formatted.

The files are the tracked *.h and *.cpp minus the headers compiled as C
(checkpatch.C_HEADERS, which follow the kernel's style instead). The layout
is .clang-format's; the version is pinned (clang-format-19), because two
versions may lay the same code out differently.
"""

import argparse
import fnmatch
import os
import subprocess

from .checkpatch import C_HEADERS
from .common import REPO, Tally, quiet

CLANG_FORMAT: str = 'clang-format-19'


def cxx_files(tracked: list[str]) -> list[str]:
    """The C++ sources among tracked paths: *.h and *.cpp, without the
    headers that C compiles."""
    return sorted(p for p in tracked
                  if p.endswith(('.h', '.cpp'))
                  and not any(fnmatch.fnmatch(p, pattern) for pattern in C_HEADERS))


def tracked_files(repo: str = REPO) -> list[str]:
    """Every tracked file of the working tree, relative to repo."""
    r = subprocess.run(['git', '-C', repo, 'ls-files', '-z'], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'git ls-files failed: {r.stderr.strip()}')
    return [p for p in r.stdout.split('\0') if p and os.path.isfile(os.path.join(repo, p))]


def unformatted(files: list[str], repo: str = REPO, tool: str = CLANG_FORMAT) -> list[str]:
    """The files clang-format would change (it reports each change as a
    -Wclang-format-violations error in --dry-run mode)."""
    bad = []
    for path in files:
        r = quiet([tool, '--dry-run', '-Werror', path], cwd=repo)
        if r.returncode != 0:
            bad.append(path)
    return bad


def format_checks(tally: Tally, repo: str = REPO) -> None:
    """One check: every C++ file is laid out as .clang-format says."""
    try:
        bad = unformatted(cxx_files(tracked_files(repo)), repo)
        detail = f'{len(bad)} files to format (make format): ' + ' '.join(bad) if bad else ''
    except (OSError, RuntimeError) as e:
        bad, detail = ['?'], str(e)
    tally.add(f'format: every C++ file is {CLANG_FORMAT} clean (.clang-format)', not bad, detail)


def cmd_format(args: argparse.Namespace) -> int:
    """make format: rewrites the C++ files in place."""
    files = cxx_files(tracked_files(REPO))
    r = subprocess.run([CLANG_FORMAT, '-i', *files], cwd=REPO)
    return r.returncode
