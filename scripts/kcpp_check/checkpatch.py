# SPDX-License-Identifier: GPL-2.0
"""checkpatch.pl --strict over kcpp's C: every tracked *.c (the shim, the C
helpers of the tests, the C halves of the benchmarks, the simulator's DMA
side) and the headers compiled as C.

checkpatch.pl comes from the extracted kernel source (kernel.prepare_source),
so this runs right after it. It runs from the repository root, where it
reads .checkpatch.conf: the types that do not apply to this code, each with
its reason. One run per file, so that what checkpatch remembers across files
(a CamelCase word is reported once per run) does not hide a finding.
"""

import os
import re
import subprocess

from .common import REPO, SRCTREE, Tally, quiet

CHECKPATCH: str = os.path.join(SRCTREE, 'scripts', 'checkpatch.pl')
CONFIG: str = '.checkpatch.conf'
# Besides every *.c: the headers C compiles (bindings.h and the tests'
# helper headers are C++ too, behind #ifdef __cplusplus), and the uapi
# headers user space compiles.
C_HEADERS: tuple[str, ...] = (
    'include/kcpp/bindings/bindings.h', 'include/kcpp/bindings/lists.h',
    'include/kcpp/bindings/shim/*.h',
    'benchmarks/nova_c.h', 'tests/*_c_*.h', 'include/uapi/*/*.h')
# --strict --terse --show-types: one line per finding, FILE:LINE: LEVEL:TYPE: message.
FINDING: re.Pattern[str] = re.compile(r'^\S+:\d+: (?:ERROR|WARNING|CHECK):[A-Z0-9_]+: ')
# The closing line of a file with findings (--terse prints nothing for a clean
# one); a clean file's, were it printed, would count all three as 0.
CLEAN_TOTAL: re.Pattern[str] = re.compile(
    r'^total: 0 errors, 0 warnings, 0 checks, \d+ lines checked$')
COMMAND: tuple[str, ...] = ('--strict', '--no-tree', '--terse', '--show-types', '-f')


def problems(path: str, output: str, returncode: int) -> list[str]:
    """What checkpatch's output for path says is wrong: its findings, or,
    when it shows none but did not end cleanly (an error of its own, a
    non-zero exit, a count above zero), one line saying so. An empty output
    or a `total: 0 errors, 0 warnings, 0 checks` line alone is clean."""
    lines = [l for l in output.splitlines() if l.strip()]
    found = [l for l in lines if FINDING.match(l)]
    if found:
        return found
    other = [l for l in lines if not CLEAN_TOTAL.match(l)]
    if returncode != 0 or other:
        said = '; '.join(other[:3]) or 'nothing'
        return [f'{path}: checkpatch.pl exited with {returncode} and said {said}']
    return []


def c_files(repo: str = REPO) -> list[str]:
    """The tracked C files, relative to repo (of the working tree: a file
    deleted but not yet staged is left out)."""
    r = subprocess.run(['git', '-C', repo, 'ls-files', '-z', '--', '*.c', *C_HEADERS],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'git ls-files failed: {r.stderr.strip()}')
    return sorted(p for p in r.stdout.split('\0') if p and os.path.isfile(os.path.join(repo, p)))


def checkpatch_file(path: str, repo: str = REPO, script: str = CHECKPATCH) -> list[str]:
    """checkpatch.pl on path (relative to repo), run from repo so that its
    .checkpatch.conf applies; returns the problems, empty when clean."""
    r = quiet(['perl', script, *COMMAND, path], cwd=repo)
    return problems(path, r.stdout, r.returncode)


def checkpatch_checks(tally: Tally, repo: str = REPO, script: str = CHECKPATCH) -> None:
    """One check: checkpatch.pl --strict finds nothing in any C file; the
    findings are listed above it, as checkpatch wrote them."""
    try:
        if not os.path.isfile(script):
            raise RuntimeError(f'{script} is missing (the kernel source is not extracted)')
        if not os.path.isfile(os.path.join(repo, CONFIG)):
            # Without it checkpatch would read ~/.checkpatch.conf instead.
            raise RuntimeError(f'{CONFIG} is missing at the repository root')
        files = c_files(repo)
        if not files:
            raise RuntimeError('git ls-files found no C file')
        found = [p for path in files for p in checkpatch_file(path, repo, script)]
        detail = f'{len(found)} findings in {len(files)} files (listed above)'
    except (OSError, RuntimeError) as e:
        found, detail = ['(not checked)'], str(e)
    for line in found:
        print(line)
    tally.add('checkpatch --strict: every C file is clean', not found, detail)
