# SPDX-License-Identifier: GPL-2.0
"""Stage 3 of make check: the suites at boot through the kernel's kunit.py,
its JSON counted into the tally, and the suites the build says must have run.
"""

import json
import os
import re
import sys
from typing import Any, Callable, Iterable, Mapping, Optional

from . import cpp
from .common import KUNIT_BUILD, KUNITCONFIG, QEMU_CONFIG, REPO, SRCTREE, Tally, log, quiet, run

# kunit.py's --json output (KernelCI format): a group has a name, sub_groups
# and test_cases, each case a name and a status (PASS, FAIL, SKIP, ERROR).
KunitResults = Mapping[str, Any]


def kunit_py(*args: str, build_dir: Optional[str] = None) -> list[str]:
    return [sys.executable, os.path.join(SRCTREE, 'tools/testing/kunit/kunit.py'), *args,
            '--arch=x86_64', f'--build_dir={build_dir or KUNIT_BUILD}']


def load_results(json_path: str) -> Optional[KunitResults]:
    """kunit.py's --json file, or None where it is missing or unreadable."""
    try:
        with open(json_path) as f:
            results: KunitResults = json.load(f)
            return results
    except (OSError, ValueError):
        return None


def run_kunit(json_path: str, log_path: str) -> tuple[Optional[KunitResults], str]:
    """Boots the test kernel and runs every suite; returns the parsed results.
    kunit.py exec: the kernel was configured and built just before, so
    kunit.py's own configure and build step (run) would redo nothing."""
    # A file left by an earlier run must not stand in for this run's results.
    if os.path.exists(json_path):
        os.unlink(json_path)
    cmd = kunit_py('exec', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}',
                   '--timeout=300', f'--json={json_path}')
    rc, out = run(cmd, log_path=log_path, check=False, cwd=SRCTREE)
    if not os.path.exists(json_path):
        return None, out
    with open(json_path) as f:
        results: KunitResults = json.load(f)
        return results, out


# KUnit cases that may skip, each with the reason. Every device and NUMA node
# the suites need is in the QEMU machine, so none may: a skip anywhere else
# is counted as a failure, or a missing device would pass unnoticed.
ALLOWED_SKIPS: dict[str, str] = {}


def count_kunit(results: KunitResults) -> tuple[int, int, int, list[str]]:
    """Counts leaf test cases of kunit.py's JSON (KernelCI format); a skip
    not in ALLOWED_SKIPS counts as failed."""
    passed = failed = skipped = 0
    names_failed = []

    def walk(group: KunitResults, prefix: str) -> None:
        nonlocal passed, failed, skipped
        for sub in group.get('sub_groups', []):
            walk(sub, prefix + sub['name'] + '.')
        for case in group.get('test_cases', []):
            status = case.get('status')
            if status == 'PASS':
                passed += 1
            elif status == 'SKIP' and prefix + case['name'] in ALLOWED_SKIPS:
                skipped += 1
            else:
                failed += 1
                names_failed.append(prefix + case['name'])

    walk(results, '')
    return passed, failed, skipped, names_failed


def merge_kunit(tally: Tally, results: KunitResults, label: str) -> None:
    """Logs kunit.py's results (label: '' or 'debug ') and adds them to the tally."""
    p, f, s, failed = count_kunit(results)
    log(f'{label}KUnit: {p} passed, {f} failed, {s} skipped')
    for name in failed:
        log(f'FAILED {label}kunit {name} (failed, crashed or skipped)')
    tally.merge(p, f, s)


# A suite declaration: KCPP_KUNIT_SUITE(name, cases...), kunit.h's macro.
SUITE_DECLARATION: re.Pattern[str] = re.compile(r'(?<![\w#])KCPP_KUNIT_SUITE\s*\(\s*([A-Za-z_]\w*)\s*,')


def suite_names(source: str) -> list[str]:
    """The suites one C++ source declares with KCPP_KUNIT_SUITE, in order.
    The macro's own #define and the examples in comments declare nothing."""
    return SUITE_DECLARATION.findall('\n'.join(cpp.without_directives(cpp.code_lines(source))))


def expected_suites(members: Iterable[str], read_source: Callable[[str], Optional[str]]) -> list[str]:
    """The suites a test kernel must run: those declared in the C++ source of
    each object linked into it. members are the objects of kcpp's
    built-in.a (paths as `ar t` prints them, kcpp/tests/core_test.o);
    read_source returns the text of kcpp/tests/core_test.cpp, or None if
    there is no such C++ source (a C object)."""
    names: set[str] = set()
    for member in members:
        if member.endswith('.o'):
            text = read_source(member[:-2] + '.cpp')
            if text is not None:
                names.update(suite_names(text))
    return sorted(names)


def built_suites(build: str = KUNIT_BUILD, repo: str = REPO) -> list[str]:
    """expected_suites of the KUnit kernel in build: kcpp's objects linked
    into vmlinux (a no_run doctest is compiled, never linked, and the suite
    it may show is not expected), their sources generated in the build tree
    (the doctests) or in the repository."""
    # ar prints a thin archive's members joined to the archive's path as
    # given: from the build directory, kcpp/tests/core_test.o.
    members: list[str] = []
    if os.path.isdir(build):
        r = quiet(['ar', 't', os.path.join('kcpp', 'built-in.a')], cwd=build)
        if r.returncode == 0:
            members = [os.path.relpath(m, build) if os.path.isabs(m) else m for m in r.stdout.split()]

    def read_source(path: str) -> Optional[str]:
        rel = path[len('kcpp/'):] if path.startswith('kcpp/') else path
        for candidate in (os.path.join(build, path), os.path.join(repo, rel)):
            if os.path.exists(candidate):
                with open(candidate, errors='replace') as f:
                    return f.read()
        return None

    return expected_suites(members, read_source)


def suite_checks(tally: Tally, results: KunitResults, expected: list[str]) -> None:
    """The doctest suites ran, and every suite the build links ran."""
    suites = {g['name'] for g in results.get('sub_groups', [])}
    doctest_suites = sorted(n for n in suites if n.startswith('kcpp_doctest_'))
    log(f'doctest suites: {len(doctest_suites)}')
    tally.add('doctest suites ran (one per header with examples)', len(doctest_suites) >= 20,
              f'{len(doctest_suites)} suites')
    tally.add(f'the KUnit kernel links {len(expected)} suites to run (kcpp/built-in.a)',
              bool(expected), 'no KCPP_KUNIT_SUITE found in the sources of its objects')
    for suite in expected:
        tally.add(f'KUnit suite {suite} ran', suite in suites)
