# SPDX-License-Identifier: GPL-2.0
"""kunit.py: counting kunit.py's JSON (fixtures in data/, written by hand in
its KernelCI format), merging it into the tally, and the suites a build
must run, read from the sources of what it links."""

import json
import os
import subprocess
import tempfile
import unittest
from typing import Any, Optional
from unittest import mock

from kcpp_check import kunit
from kcpp_check.tests.helpers import RecordingTally

DATA: str = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def fixture(name: str) -> Any:
    with open(os.path.join(DATA, name)) as f:
        return json.load(f)


class CountKunit(unittest.TestCase):
    def test_a_clean_run_counts_every_case(self) -> None:
        self.assertEqual(kunit.count_kunit(fixture('kunit_clean.json')), (3, 0, 0, []))

    def test_failed_crashed_skipped_and_unreported_cases_fail(self) -> None:
        passed, failed, skipped, names = kunit.count_kunit(fixture('kunit_mixed.json'))
        self.assertEqual((passed, failed, skipped), (3, 6, 0))
        self.assertEqual(names, [
            'kcpp_alloc.grows_by_each_flag.GFP_ATOMIC',   # a parameter of a nested case
            'kcpp_alloc.numa_node_ids_are_validated',     # SKIP, not allowed
            'kcpp_alloc.kvec_bounds',                     # ERROR: crashed
            'kcpp_alloc.no_status_at_all',
            'kcpp_pci.config_space',
            'nova_probe',                                 # a suite that crashed before any case
        ])

    def test_an_allowed_skip_is_skipped_not_failed(self) -> None:
        allowed = {'kcpp_alloc.numa_node_ids_are_validated': 'one NUMA node'}
        with mock.patch.dict(kunit.ALLOWED_SKIPS, allowed):
            passed, failed, skipped, names = kunit.count_kunit(fixture('kunit_mixed.json'))
        self.assertEqual((passed, failed, skipped), (3, 5, 1))
        self.assertNotIn('kcpp_alloc.numa_node_ids_are_validated', names)

    def test_an_allowed_skip_is_named_with_its_suite(self) -> None:
        # A case of another suite with the same name still fails.
        with mock.patch.dict(kunit.ALLOWED_SKIPS, {'numa_node_ids_are_validated': 'x'}):
            self.assertEqual(kunit.count_kunit(fixture('kunit_mixed.json'))[1:3], (6, 0))

    def test_no_results_count_nothing(self) -> None:
        self.assertEqual(kunit.count_kunit({'name': 'KUnit Test Group'}), (0, 0, 0, []))

    def test_merge_adds_the_counts_to_the_tally(self) -> None:
        tally = RecordingTally()
        tally.add('earlier check', True)
        with mock.patch.object(kunit, 'log'):
            kunit.merge_kunit(tally, fixture('kunit_mixed.json'), 'debug ')
        self.assertEqual((tally.passed, tally.failed, tally.skipped), (4, 6, 0))
        self.assertEqual(tally.line(), '4 passed, 6 failed, 0 skipped')


class SuiteNames(unittest.TestCase):
    def test_each_declaration_in_order(self) -> None:
        source = '\n'.join([
            '#include <kcpp/kunit.h>',
            'KCPP_KUNIT_SUITE(nova_gpu, KCPP_KUNIT_CASE(every_chipset_of_the_table_is_identified),',
            '                 KCPP_KUNIT_CASE(boot0_fields));',
            'KCPP_KUNIT_SUITE(nova_fb, KCPP_KUNIT_CASE(layout_matches_the_worked_example));',
            'KCPP_KUNIT_SUITE(',
            '    nova_probe, KCPP_KUNIT_CASE_NAMED((probe_chip<0x162, 2>), "probe_tu102"));',
        ])
        self.assertEqual(kunit.suite_names(source), ['nova_gpu', 'nova_fb', 'nova_probe'])

    def test_the_macro_definition_and_comments_declare_nothing(self) -> None:
        source = '\n'.join([
            '/**',
            ' * KCPP_KUNIT_SUITE(kcpp_example, KCPP_KUNIT_CASE(adds_up));',
            ' */',
            '#define KCPP_KUNIT_SUITE(ident, ...)   \\',
            '  KCPP_KUNIT_SUITE_IMPL(ident, __VA_ARGS__)',
            '// KCPP_KUNIT_SUITE(kcpp_commented_out, KCPP_KUNIT_CASE(x));',
            'static const char* s = "KCPP_KUNIT_SUITE(kcpp_in_a_string, x)";',
            'MY_KCPP_KUNIT_SUITE(not_ours, x);',
        ])
        self.assertEqual(kunit.suite_names(source), [])


class ExpectedSuites(unittest.TestCase):
    SOURCES = {
        'kcpp/tests/core_test.cpp': 'KCPP_KUNIT_SUITE(kcpp_core, KCPP_KUNIT_CASE(a));',
        'kcpp/tests/nova_test.cpp': ('KCPP_KUNIT_SUITE(nova_gpu, KCPP_KUNIT_CASE(a));\n'
                                     'KCPP_KUNIT_SUITE(nova_vbios, KCPP_KUNIT_CASE(b));'),
        'kcpp/doctests/kcpp_doctests_generated.cpp': (
            'KCPP_KUNIT_SUITE(kcpp_doctest_core_error, KCPP_KUNIT_CASE_NAMED(x::f, "f"));'),
        # Compiled, never linked: not a member, so its suite is not expected.
        'kcpp/doctests/norun_kcpp_doctest_kunit_1.cpp': 'KCPP_KUNIT_SUITE(kcpp_example, x);',
    }

    def read(self, path: str) -> Optional[str]:
        return self.SOURCES.get(path)

    def test_the_suites_of_the_linked_objects(self) -> None:
        members = ['kcpp/include/kcpp/bindings/shim/alloc.o', 'kcpp/tests/core_test.o',
                   'kcpp/tests/bindings_c_values.o', 'kcpp/tests/nova_test.o',
                   'kcpp/doctests/kcpp_doctests_generated.o']
        self.assertEqual(kunit.expected_suites(members, self.read),
                         ['kcpp_core', 'kcpp_doctest_core_error', 'nova_gpu', 'nova_vbios'])

    def test_nothing_linked_nothing_expected(self) -> None:
        self.assertEqual(kunit.expected_suites([], self.read), [])

    def test_built_suites_reads_the_thin_archive(self) -> None:
        # A build tree as Kbuild leaves it: kcpp/built-in.a a thin archive,
        # one source generated in the build tree, the other in the repository.
        with tempfile.TemporaryDirectory() as build, tempfile.TemporaryDirectory() as repo:
            os.makedirs(os.path.join(build, 'kcpp', 'doctests'))
            os.makedirs(os.path.join(build, 'kcpp', 'tests'))
            os.makedirs(os.path.join(repo, 'tests'))
            for obj in ('doctests/kcpp_doctests_generated.o', 'tests/core_test.o', 'tests/c_helpers.o'):
                open(os.path.join(build, 'kcpp', obj), 'w').close()
            with open(os.path.join(build, 'kcpp', 'doctests', 'kcpp_doctests_generated.cpp'), 'w') as f:
                f.write('KCPP_KUNIT_SUITE(kcpp_doctest_x, KCPP_KUNIT_CASE(a));\n')
            with open(os.path.join(repo, 'tests', 'core_test.cpp'), 'w') as f:
                f.write('KCPP_KUNIT_SUITE(kcpp_core, KCPP_KUNIT_CASE(a));\n')
            with open(os.path.join(repo, 'tests', 'c_helpers.c'), 'w') as f:
                f.write('/* C: no suite of ours */\n')
            subprocess.run(['ar', 'rcT', 'kcpp/built-in.a', 'kcpp/doctests/kcpp_doctests_generated.o',
                            'kcpp/tests/core_test.o', 'kcpp/tests/c_helpers.o'], cwd=build, check=True)
            self.assertEqual(kunit.built_suites(build, repo), ['kcpp_core', 'kcpp_doctest_x'])

    def test_no_build_no_suites(self) -> None:
        self.assertEqual(kunit.built_suites('/nonexistent/build'), [])


class SuiteChecks(unittest.TestCase):
    def test_every_expected_suite_is_a_check(self) -> None:
        tally = RecordingTally()
        with mock.patch.object(kunit, 'log'):
            kunit.suite_checks(tally, fixture('kunit_clean.json'),
                               ['kcpp_core', 'kcpp_doctest_core_error', 'nova_gpu'])
        self.assertEqual(tally.checks, {
            'doctest suites ran (one per header with examples)': False,   # 1, not 20
            'the KUnit kernel links 3 suites to run (kcpp/built-in.a)': True,
            'KUnit suite kcpp_core ran': True,
            'KUnit suite kcpp_doctest_core_error ran': True,
            'KUnit suite nova_gpu ran': False,
        })

    def test_no_expected_suite_fails(self) -> None:
        tally = RecordingTally()
        with mock.patch.object(kunit, 'log'):
            kunit.suite_checks(tally, fixture('kunit_clean.json'), [])
        self.assertFalse(tally.checks['the KUnit kernel links 0 suites to run (kcpp/built-in.a)'])


if __name__ == '__main__':
    unittest.main()
