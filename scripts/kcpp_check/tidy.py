# SPDX-License-Identifier: GPL-2.0
"""make tidy (also part of make check): compile_commands.json from the test
kernel's build, and clang-tidy-19 on every C++ translation unit."""

import argparse
import glob
import json
import os
import re
import shlex
import subprocess
from typing import Any

from .common import JOBS, KUNIT_BUILD, REPO, SRCTREE, Tally
from .kernel import prepared_kernel

# The g++ flags that mean the same to clang; the rest (GCC-only warnings,
# code generation and instrumentation flags) are left out of the database.
CLANG_KEEP: re.Pattern[str] = re.compile(
    r'^(-I|-D|-U|-std=|-nostdinc|-m64$|-mno-red-zone$|-mcmodel=|-fno-exceptions$|'
    r'-fno-rtti$|-fshort-wchar$|-funsigned-char$|-fno-common$|-O2$)')


def write_compile_db(build: str = KUNIT_BUILD) -> list[dict[str, Any]]:
    """compile_commands.json (repository root, for clang-tidy and clangd):
    every C++ translation unit of the kcpp test kernel, from Kbuild's .cmd
    files, with repository paths and clang-compatible flags."""
    alias = os.path.join(SRCTREE, 'kcpp')
    entries = []
    for cmd in sorted(glob.glob(os.path.join(build, 'kcpp', '**', '.*.o.cmd'), recursive=True)):
        m = re.search(r'^savedcmd_\S+ := (g\+\+(-\d+)? [^;]*);', open(cmd).read(), re.M)
        if not m:
            continue
        args = shlex.split(m.group(1))
        src = args[-1]
        if not os.path.isabs(src):
            src = os.path.join(build, src)
        flags = []
        for a in args[1:-1]:
            if not CLANG_KEEP.match(a):
                continue
            if a.startswith('-I') and not a.startswith('-I/'):
                a = '-I' + os.path.join(build, a[2:])
            flags.append(a.replace(alias, REPO))
        src = src.replace(alias, REPO)
        obj = os.path.join(os.path.dirname(cmd), os.path.basename(cmd)[1:-4])
        if not os.path.exists(src) or not os.path.exists(obj):
            continue  # a stale command file: its object is gone
        entries.append({'directory': build, 'file': src,
                        'arguments': ['clang++', '--target=x86_64-linux-gnu', *flags, '-c', src]})
    with open(os.path.join(REPO, 'compile_commands.json'), 'w') as f:
        json.dump(entries, f, indent=1)
    return entries


# The doc examples show moved-from and copied states, forged ERR_PTR values,
# sign extension and argument names chosen for the reader (as tests/.clang-tidy
# allows the tests), and the generated file includes every header before the
# example's own includes.
DOCTEST_TIDY_EXCLUDED: str = ','.join('-' + c for c in (
    'bugprone-use-after-move', 'performance-unnecessary-copy-initialization',
    'performance-move-const-arg', 'performance-no-int-to-ptr', 'bugprone-signed-char-misuse',
    'readability-suspicious-call-argument', 'readability-duplicate-include'))


def tidy_checks(tally: Tally, logdir: str) -> None:
    """clang-tidy (.clang-tidy at the root, tests/.clang-tidy) on every C++
    translation unit of the test kernel, doctests included; any finding fails."""
    entries = write_compile_db()
    files = sorted({e['file'] for e in entries})
    findings: list[str] = []
    crashed: list[str] = []
    with open(os.path.join(logdir, 'tidy.log'), 'w') as logf:
        def collect(f: str, proc: 'subprocess.Popen[str]') -> None:
            out = proc.communicate()[0]
            logf.write(out)
            findings.extend(l for l in out.splitlines() if re.search(r': (warning|error): ', l))
            if proc.returncode not in (0, 1) or 'Error while processing' in out:
                crashed.append(f)
        running = []
        for f in files:
            # Generated doctest files live in the build tree: the root config, less
            # what the examples do on purpose (DOCTEST_TIDY_EXCLUDED).
            config = [] if f.startswith(REPO + '/') else [
                f'--config-file={REPO}/.clang-tidy', '--checks=' + DOCTEST_TIDY_EXCLUDED]
            running.append((f, subprocess.Popen(['clang-tidy-19', '-p', REPO, '--quiet', *config, f],
                                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                                text=True, errors='replace')))
            if len(running) >= int(JOBS):
                collect(*running.pop(0))
        for job in running:
            collect(*job)
    findings = sorted(set(findings))
    for l in findings[:40]:
        print(l)
    tally.add(f'tidy: clang-tidy-19 parses all {len(files)} C++ translation units', not crashed,
              ' '.join(crashed[:5]))
    tally.add(f'tidy: no clang-tidy finding in {len(files)} translation units', not findings,
              f'{len(findings)} findings, see {logdir}/tidy.log')


def cmd_tidy(args: argparse.Namespace) -> int:
    """make tidy: clang-tidy on every C++ file of the test kernel."""
    logdir = prepared_kernel('kunit-build.log')
    tally = Tally()
    tidy_checks(tally, logdir)
    print(tally.line())
    return 0 if tally.failed == 0 else 1
