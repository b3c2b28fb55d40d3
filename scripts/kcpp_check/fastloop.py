# SPDX-License-Identifier: GPL-2.0
"""make test: the edit-to-result loop for one file or a few suites.

`make test SUITES='glob'` rebuilds the KUnit kernel incrementally and boots
it with kunit.py's filter, so that only the suites the glob names run.
`make test FILE=path` picks the suites itself: the doctest suite of that
header (its examples) and the suites of every test source that includes it,
directly or through other headers. kunit.py's own configure and build step
is skipped (`kunit.py exec`): the make before it did that work, and the
configure step only runs when the kunitconfig changed.
"""

import argparse
import glob
import os
import re
import time
from typing import Iterable, Mapping, Optional, Sequence

from .common import CACHE, JOBS, KUNIT_BUILD, KUNITCONFIG, QEMU_CONFIG, REPO, SRCTREE, Failure, log, run
from .deps import ensure_deps
from .kernel import prepare_source
from .kunit import KunitResults, built_suites, count_kunit, kunit_py, load_results, suite_names

# #include "x.h" or #include <kcpp/x.h>
INCLUDE: re.Pattern[str] = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
# The generated doctest sources: a #line naming the header, then its suite.
LINE_OR_SUITE: re.Pattern[str] = re.compile(r'^#line \d+ "([^"]+)"|^KCPP_KUNIT_SUITE\((\w+),', re.M)


def includes(path: str, text: str, repo: str = REPO) -> list[str]:
    """The repository files a C++ source at path (relative to repo) includes:
    quoted names beside it, angle names under include/."""
    found = []
    for kind, name in INCLUDE.findall(text):
        candidates = [os.path.normpath(os.path.join(os.path.dirname(path), name))] if kind == '"' else []
        candidates.append(os.path.join('include', name))
        for c in candidates:
            if os.path.exists(os.path.join(repo, c)):
                found.append(c)
                break
    return found


def closure(start: str, read: Mapping[str, list[str]]) -> set[str]:
    """Every file start includes, directly or not (read: file -> its includes)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        f = todo.pop()
        for inc in read.get(f, []):
            if inc not in seen:
                seen.add(inc)
                todo.append(inc)
    return seen


def include_graph(repo: str = REPO) -> dict[str, list[str]]:
    """file -> the repository files it includes, for every C++ file."""
    graph: dict[str, list[str]] = {}
    for pattern in ('include/**/*.h', 'tests/*.cpp', 'tests/*.h', 'drivers/**/*.h', 'drivers/**/*.cpp'):
        for p in glob.glob(os.path.join(repo, pattern), recursive=True):
            rel = os.path.relpath(p, repo)
            with open(p, errors='replace') as f:
                graph[rel] = includes(rel, f.read(), repo)
    return graph


def doctest_suites(generated_sources: Iterable[str]) -> dict[str, str]:
    """suite -> the header whose examples it runs, from the generated
    doctest sources (each suite follows the #line of its header)."""
    owner: dict[str, str] = {}
    for text in generated_sources:
        header = None
        for m in LINE_OR_SUITE.finditer(text):
            if m.group(1) and m.group(1).endswith('.h'):
                header = m.group(1)
            elif m.group(2) and header:
                owner[m.group(2)] = header
    return owner


def covering_suites(target: str, graph: Mapping[str, list[str]], test_suites: Mapping[str, list[str]],
                    doctests: Mapping[str, str]) -> list[str]:
    """The suites that cover target (relative to the repository): its own
    (a test source's), its doctest suite (a header's), and those of each test
    source that includes it, directly or not."""
    suites = set(test_suites.get(target, []))
    # A driver's doctests may name their headers from below a directory
    # (kcpp-doctest-strip: nova's are core/gsp.h, from drivers/nova/).
    suites.update(s for s, header in doctests.items() if target == header or target.endswith('/' + header))
    for source, names in test_suites.items():
        if target in closure(source, graph):
            suites.update(names)
    return sorted(suites)


# A boot costs about 2 s; a suite run that was not asked for, a few
# milliseconds (the slow ones are few): a glob may take in that many extra
# suites for each wanted one it saves a boot for.
EXTRA_PER_BOOT: int = 10
# Past this many boots, one boot of every suite is cheaper.
MAX_BOOTS: int = 3


def globs_for(wanted: Sequence[str], every: Sequence[str]) -> list[str]:
    """Few kunit.py filter globs that together select every wanted suite.
    The kernel takes one glob per boot, so names are grouped under a shared
    '*part*' where that saves boots for the suites it takes in besides; past
    MAX_BOOTS globs, [''] (no filter: every suite, one boot)."""
    left = sorted(set(wanted))
    out: list[str] = []
    while left:
        first = left[0]
        # The name itself wins ties with any part of it.
        best, best_cover, best_score, best_len = first, [first], 0.0, len(first) + 1
        parts = {first[i:j] for i in range(len(first)) for j in range(i + 3, len(first) + 1)}
        for part in parts:
            cover = [w for w in left if part in w]
            extra = sum(1 for e in every if part in e and e not in wanted)
            score = (len(cover) - 1) - extra / EXTRA_PER_BOOT
            # Ties: more wanted suites, then the longer (more readable) part.
            if (score, len(cover), len(part)) > (best_score, len(best_cover), best_len):
                best, best_cover, best_score, best_len = f'*{part}*', cover, score, len(part)
        out.append(best)
        left = [w for w in left if w not in best_cover]
    return out if len(out) <= MAX_BOOTS else ['']


def all_test_suites(repo: str = REPO) -> dict[str, list[str]]:
    """test source -> the suites it declares, for every C++ test source."""
    found: dict[str, list[str]] = {}
    for p in glob.glob(os.path.join(repo, 'tests', '*.cpp')):
        with open(p, errors='replace') as f:
            names = suite_names(f.read())
        if names:
            found[os.path.relpath(p, repo)] = names
    return found


def generated_doctests(build: str = KUNIT_BUILD) -> list[str]:
    texts = []
    for p in glob.glob(os.path.join(build, 'kcpp', '**', 'kcpp_doctests_generated.cpp'), recursive=True):
        with open(p, errors='replace') as f:
            texts.append(f.read())
    return texts


def suites_for_file(path: str) -> list[str]:
    target = os.path.relpath(os.path.abspath(path), REPO)
    if not os.path.exists(os.path.join(REPO, target)):
        raise Failure(f'{path}: no such file in the repository')
    return covering_suites(target, include_graph(), all_test_suites(), doctest_suites(generated_doctests()))


def incremental_build(log_path: str) -> None:
    """make of the KUnit kernel's image, configured only when the
    kunitconfig is newer than its .config (a no-op build takes a few
    seconds). Only what the boot needs: the bzImage, without the modules
    (examples, benchmarks) and the build-time doctests (compile_fail,
    no_run: KCPP_DOCTEST_CHECKS=0), which make check builds and checks."""
    config = os.path.join(KUNIT_BUILD, '.config')
    if not os.path.exists(config) or os.path.getmtime(config) < os.path.getmtime(KUNITCONFIG):
        run(kunit_py('config', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}'), cwd=SRCTREE)
    rc, _ = run(['make', '-C', SRCTREE, 'ARCH=x86_64', f'O={KUNIT_BUILD}', f'-j{JOBS}', '-s',
                 'KCPP_DOCTEST_CHECKS=0', 'bzImage'],
                log_path=log_path, check=False, echo=False)
    if rc != 0:
        raise Failure(f'the kernel did not build (log: {log_path})')


def exec_kunit(filter_glob: Optional[str], json_path: str, log_path: str,
               echo: bool = True) -> Optional[KunitResults]:
    """kunit.py exec (no configure, no build) with an optional filter glob."""
    if os.path.exists(json_path):
        os.unlink(json_path)
    cmd = kunit_py('exec', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}', '--timeout=300',
                   f'--json={json_path}')
    if filter_glob:
        cmd.append(filter_glob)
    run(cmd, log_path=log_path, check=False, cwd=SRCTREE, echo=echo)
    return load_results(json_path)


def wired_here() -> bool:
    """Whether the cached source's kcpp link points at this checkout."""
    link = os.path.join(SRCTREE, 'kcpp')
    return os.path.islink(link) and os.path.realpath(link) == os.path.realpath(REPO)


def cmd_test(args: argparse.Namespace) -> int:
    """make test: build incrementally, run the chosen suites, print kunit.py's summary."""
    if not os.path.isdir(KUNIT_BUILD) or not wired_here():
        ensure_deps()
        prepare_source()
    logdir = os.path.join(CACHE, 'logs')
    os.makedirs(logdir, exist_ok=True)
    t0 = time.time()
    incremental_build(os.path.join(logdir, 'test-build.log'))
    if args.file:
        suites = suites_for_file(args.file)
        if not suites:
            raise Failure(f'{args.file}: no suite covers it (no doctest, no test source includes it)')
        globs = globs_for(suites, built_suites())
        log(f'{args.file}: suites {" ".join(suites)}; boots: {" ".join(globs)}')
    else:
        globs = [args.suites] if args.suites else ['']
    t1 = time.time()
    passed = failed = 0
    for i, g in enumerate(globs):
        results = exec_kunit(g or None, os.path.join(logdir, f'test-{i}.json'),
                             os.path.join(logdir, f'test-{i}.log'))
        if results is None:
            raise Failure('kunit.py left no results (log: %s)' % os.path.join(logdir, f'test-{i}.log'))
        p, f, _, names = count_kunit(results)
        passed += p
        failed += f
        for n in names:
            log(f'FAILED {n}')
    t2 = time.time()
    print(f'make test: build {t1 - t0:.1f} s, {len(globs)} boot(s) {t2 - t1:.1f} s; '
          f'{passed} passed, {failed} failed')
    return 0 if failed == 0 and passed > 0 else 1
