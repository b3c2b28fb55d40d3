# SPDX-License-Identifier: GPL-2.0
"""make test's choice of suites: the include graph, the doctest suites of a
header, the suites covering a file, and the filter globs (one per boot)."""

import os
import tempfile
import unittest

from kcpp_check import fastloop


class Includes(unittest.TestCase):
    def test_quoted_beside_angle_under_include_others_dropped(self) -> None:
        with tempfile.TemporaryDirectory() as repo:
            for f in ('include/kcpp/a.h', 'include/kcpp/b.h', 'tests/helpers.h'):
                os.makedirs(os.path.join(repo, os.path.dirname(f)), exist_ok=True)
                open(os.path.join(repo, f), 'w').close()
            text = ('#include <kcpp/a.h>\n#include "helpers.h"\n#include <linux/types.h>\n'
                    '  #  include "../include/kcpp/b.h"\n// #include <kcpp/b.h> in a comment\n')
            self.assertEqual(fastloop.includes('tests/x.cpp', text, repo),
                             ['include/kcpp/a.h', 'tests/helpers.h', 'include/kcpp/b.h'])

    def test_closure_follows_chains_and_cycles(self) -> None:
        graph: dict[str, list[str]] = {'t.cpp': ['a.h'], 'a.h': ['b.h'], 'b.h': ['a.h', 'c.h'], 'c.h': []}
        self.assertEqual(fastloop.closure('t.cpp', graph), {'a.h', 'b.h', 'c.h'})
        self.assertEqual(fastloop.closure('c.h', graph), set())


class Suites(unittest.TestCase):
    GENERATED = ('#line 1 "kcpp_doctests_generated.cpp"\n#line 16 "include/kcpp/a.h"\n'
                 '#line 1 "kcpp_doctests_generated.cpp"\nKCPP_KUNIT_SUITE(kcpp_doctest_a, X);\n'
                 '#line 3 "include/kcpp/b.h"\n#line 1 "kcpp_doctests_generated.cpp"\n'
                 'KCPP_KUNIT_SUITE(kcpp_doctest_b, X);\n')

    def test_each_doctest_suite_belongs_to_the_header_before_it(self) -> None:
        self.assertEqual(fastloop.doctest_suites([self.GENERATED]),
                         {'kcpp_doctest_a': 'include/kcpp/a.h', 'kcpp_doctest_b': 'include/kcpp/b.h'})

    def test_a_header_is_covered_by_its_doctests_and_every_includer(self) -> None:
        graph: dict[str, list[str]] = {'tests/t1.cpp': ['include/kcpp/b.h'], 'tests/t2.cpp': ['include/kcpp/c.h'],
                 'include/kcpp/b.h': ['include/kcpp/a.h'], 'include/kcpp/c.h': []}
        tests = {'tests/t1.cpp': ['kcpp_t1'], 'tests/t2.cpp': ['kcpp_t2']}
        doctests = fastloop.doctest_suites([self.GENERATED])
        self.assertEqual(fastloop.covering_suites('include/kcpp/a.h', graph, tests, doctests),
                         ['kcpp_doctest_a', 'kcpp_t1'])
        self.assertEqual(fastloop.covering_suites('include/kcpp/c.h', graph, tests, doctests), ['kcpp_t2'])
        self.assertEqual(fastloop.covering_suites('tests/t2.cpp', graph, tests, doctests), ['kcpp_t2'])
        self.assertEqual(fastloop.covering_suites('README.md', graph, tests, doctests), [])
        # A driver's doctests name the header from below a directory (kcpp-doctest-strip).
        self.assertEqual(fastloop.covering_suites('drivers/nova/core/gsp.h', {}, {},
                                                  {'kcpp_doctest_nova_core_gsp': 'nova/core/gsp.h'}),
                         ['kcpp_doctest_nova_core_gsp'])


class Globs(unittest.TestCase):
    EVERY = ['kcpp_drm', 'nova_drm', 'kcpp_doctest_drm', 'kcpp_core', 'kcpp_alloc', 'kcpp_doctest_core',
             'nova_gpu', 'nova_gsp', 'nova_probe'] + [f'kcpp_doctest_x{i}' for i in range(30)]

    def selected(self, globs: list[str]) -> set[str]:
        import fnmatch
        return {e for e in self.EVERY for g in globs if g == '' or fnmatch.fnmatchcase(e, g)}

    def test_every_wanted_suite_is_selected(self) -> None:
        for wanted in (['kcpp_drm'], ['kcpp_drm', 'nova_drm'], ['kcpp_core', 'nova_probe'],
                       ['nova_gpu', 'nova_gsp', 'nova_probe', 'kcpp_alloc']):
            globs = fastloop.globs_for(wanted, self.EVERY)
            self.assertTrue(set(wanted) <= self.selected(globs), (wanted, globs))

    def test_one_suite_is_its_own_glob_and_a_shared_part_saves_boots(self) -> None:
        self.assertEqual(fastloop.globs_for(['kcpp_drm'], self.EVERY), ['kcpp_drm'])
        self.assertEqual(fastloop.globs_for(['kcpp_drm', 'nova_drm'], self.EVERY), ['*_drm*'])
        self.assertEqual(fastloop.globs_for(['nova_gpu', 'nova_gsp', 'nova_probe'], self.EVERY), ['*nova_*'])

    def test_a_part_that_takes_in_too_much_is_not_used(self) -> None:
        # '*kcpp_*' would run the 30 doctest suites besides: two boots instead.
        self.assertEqual(sorted(fastloop.globs_for(['kcpp_core', 'kcpp_alloc'], self.EVERY)),
                         ['kcpp_alloc', 'kcpp_core'])

    def test_past_max_boots_every_suite_runs_in_one(self) -> None:
        self.assertEqual(fastloop.globs_for(['kcpp_core', 'kcpp_alloc', 'nova_probe', 'kcpp_drm'], self.EVERY),
                         [''])


if __name__ == '__main__':
    unittest.main()
