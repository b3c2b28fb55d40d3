# SPDX-License-Identifier: GPL-2.0
"""The doc-comment examples: what the KUnit kernel's build did with them
(compile_fail, no_run, coverage), and the selftest of the doctest machinery."""

import glob
import os
import re
import sys

from .common import CACHE, JOBS, KUNIT_BUILD, REPO, SRCTREE, Tally, quiet
from .qemu import boot, make_initramfs


# The build directories of the doctests: kcpp's own, and nova-core's (the
# first driver that uses scripts/kcpp-doctest.mk).
DOCTEST_DIRS: tuple[str, ...] = ('doctests', os.path.join('drivers', 'nova', 'doctests'))


def build_checks(tally: Tally) -> None:
    """Build-time doctests: each compile_fail example failed as it must
    (its stamp exists only then), each no_run example compiled (in kcpp's
    and nova-core's doctests), and every public type of kcpp is named in a
    runnable example."""
    for d in DOCTEST_DIRS:
        dt = os.path.join(KUNIT_BUILD, 'kcpp', d)
        tally.add(f'doctests of {d}/ were generated',
                  os.path.exists(os.path.join(dt, 'kcpp_doctests_generated.cpp')))
        for src in sorted(glob.glob(os.path.join(dt, 'fail_*.cpp'))):
            stamp = src[:-4] + '.failed'
            tally.add(f'doctest {os.path.basename(src)[:-4]} does not compile, as its example says',
                      os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(src))
        for src in sorted(glob.glob(os.path.join(dt, 'norun_*.cpp'))):
            tally.add(f'doctest {os.path.basename(src)[:-4]} compiles',
                      os.path.exists(src[:-4] + '.o'))
    dt = os.path.join(KUNIT_BUILD, 'kcpp', DOCTEST_DIRS[0])
    cov = os.path.join(dt, 'coverage.txt')
    missing = open(cov).read().split('\n') if os.path.exists(cov) else ['(no coverage.txt)']
    missing = [m for m in missing if m]
    tally.add('doctest coverage: every public type has a runnable example', not missing,
              ', '.join(missing[:20]))


def doctest_selftests(tally: Tally, logdir: str) -> None:
    """The doctest machinery itself: fixtures whose build must fail, and say
    why, built as external modules against the KUnit kernel."""
    base = os.path.join(REPO, 'doctests', 'selftest')
    cases = {
        'ill_formed': (r'fixture\.h:10:\d+: error: .undeclared_name. was not declared',
                       'an ill-formed example fails the build with an error at its header line'),
        'compiles': (r'this compile_fail example compiles',
                     'a compile_fail example that compiles fails the build'),
        'wrong_diagnostic': (r'fails to compile, but not with: first wording\|second wording',
                             'a compile_fail example that fails with neither wording it names '
                             'fails the build'),
    }
    for name, (pattern, what) in cases.items():
        d = os.path.join(base, name)
        quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])
        # The expected failure stays in its log, out of the terminal.
        r = quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', f'-j{JOBS}'])
        rc, out = r.returncode, r.stdout
        with open(os.path.join(logdir, f'doctest-selftest-{name}.log'), 'w') as f:
            f.write(out)
        tally.add(f'doctest selftest: {what}', rc != 0 and re.search(pattern, out) is not None)
        quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])

    # A failing example: the module builds; loaded in the test kernel its
    # suite fails, and kunit.py's parse of the console names the line.
    d = os.path.join(base, 'fails')
    quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])
    r = quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', f'-j{JOBS}'])
    ko = os.path.join(d, 'kcpp_doctest_selftest.ko')
    found = False
    if r.returncode == 0 and os.path.exists(ko):
        initrd = os.path.join(CACHE, 'selftest-initramfs.cpio')
        make_initramfs([ko], initrd, os.path.join(CACHE, 'initramfs-selftest'))
        console = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
                       os.path.join(logdir, 'doctest-selftest-fails-boot.log'),
                       append='kunit.enable=1 kunit.filter_glob=kcpp_doctest_fixture')
        module_ktap = console[console.find('KCPP-INIT up'):]
        parsed = quiet([sys.executable, os.path.join(SRCTREE, 'tools/testing/kunit/kunit.py'),
                        'parse'], input=module_ktap).stdout
        with open(os.path.join(logdir, 'doctest-selftest-fails-kunit.log'), 'w') as f:
            f.write(parsed)
        found = (re.search(r'EXPECTATION FAILED at fixture\.h:10', parsed) is not None and
                 'six * seven == 42' in parsed)
    tally.add('doctest selftest: a failing example is reported at its header line by kunit.py', found)
    quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])
