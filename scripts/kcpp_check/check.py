# SPDX-License-Identifier: GPL-2.0
"""make check: every stage in order, counted in one tally whose closing
line is `N passed, N failed[, N skipped]`."""

import argparse
import glob
import os
import time

from .checkpatch import checkpatch_checks
from .clang import clang_checks
from .common import CACHE, KUNIT_BUILD, Failure, Tally, log
from .debug import debug_checks
from .deps import ensure_deps
from .docs import build_docs
from .doctests import build_checks, doctest_selftests
from .examples import example_checks
from .kernel import build_kernel, check_c_only_flags, comdat_free, prepare_source
from .kunit import built_suites, merge_kunit, run_kunit, suite_checks
from .logs import log_filter_checks, warnings_in
from .pycheck import mypy_check, unit_test_checks
from .fmt import format_checks
from .safety import safety_checks
from .shim import shim_part_checks
from .stock import stock_checks
from .tidy import tidy_checks


def cmd_check(args: argparse.Namespace) -> int:
    tally = Tally()
    logdir = os.path.join(CACHE, 'logs')
    started = time.time()
    try:
        ensure_deps()
        # The checks that need no kernel come first: they take seconds.
        mypy_check(tally)
        unit_test_checks(tally)
        safety_checks(tally)
        format_checks(tally)
        prepare_source()
        # checkpatch.pl comes with the source: the first check after it.
        checkpatch_checks(tally)
        os.makedirs(logdir, exist_ok=True)
        check_c_only_flags(tally)
        log_filter_checks(tally)
        build_log = os.path.join(logdir, 'kunit-build.log')
        ok, out = build_kernel(build_log)
        tally.add('kunit kernel builds with kcpp built in', ok)
        if not ok:
            raise Failure('the KUnit kernel did not build; the compiler output is above')
        bad = warnings_in(out)
        tally.add('kunit kernel build log has no warning (orphan section, objtool, BTF, '
                  'compiler)', not bad, '\n'.join(bad[:10]))
        tally.add('built-in C++ objects hold no COMDAT group, symbol-named section or unique symbol',
                  *comdat_free(glob.glob(os.path.join(KUNIT_BUILD, 'kcpp', 'tests', '*_test.o'))))
        build_checks(tally)
        doctest_selftests(tally, logdir)
        tidy_checks(tally, logdir)
        for ko in ('kcpp/examples/hello/kcpp_hello.ko',):
            tally.add(f'in-tree module {ko} built', os.path.exists(os.path.join(KUNIT_BUILD, ko)))
        shim_part_checks(tally)

        results, out = run_kunit(os.path.join(logdir, 'kunit.json'),
                                 os.path.join(logdir, 'kunit-run.log'))
        if results is None:
            tally.add('kunit.py produced results', False)
        else:
            merge_kunit(tally, results, '')
            suite_checks(tally, results, built_suites())
        example_checks(tally, logdir)
        ok_docs, doc_lines = build_docs()
        tally.add('make docs renders the API documentation with zero Doxygen warnings', ok_docs,
                  '\n'.join(doc_lines[:10]))
        if not args.no_stock:
            stock_checks(tally, logdir)
        if not args.no_clang:
            try:
                clang_checks(tally, logdir)
            except Failure as e:  # the sanitizer stage still runs
                log(f'error: {e}')
                tally.add('clang: stage ran to the end', False, str(e))
        if not args.no_debug:
            debug_checks(tally, logdir)
    except Failure as e:
        log(f'error: {e}')
        tally.add('check ran to the end', False, str(e))
    log(f'logs in {logdir}; took {time.time() - started:.0f} s')
    for name in tally.failures:
        log(f'failed: {name}')
    print(tally.line())
    return 0 if tally.failed == 0 else 1
