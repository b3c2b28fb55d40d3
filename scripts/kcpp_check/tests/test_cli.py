# SPDX-License-Identifier: GPL-2.0
"""cli.py: the commands the Makefile calls, each with its options."""

import argparse
import unittest

from kcpp_check import cli


class Commands(unittest.TestCase):
    def test_the_subcommands(self) -> None:
        sub = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
        self.assertEqual(list(sub.choices),
                         ['check', 'check-debug', 'check-clang', 'demo', 'tidy', 'bench', 'docs', 'format', 'test', 'bench-edit'])
        self.assertEqual(set(cli.COMMANDS), set(sub.choices))

    def test_make_test_takes_a_glob_or_a_file(self) -> None:
        args = cli.parser().parse_args(['test', '--suites', 'kcpp_drm*'])
        self.assertEqual((args.cmd, args.suites, args.file), ('test', 'kcpp_drm*', None))
        args = cli.parser().parse_args(['test', '--file', 'include/kcpp/drm/gem.h'])
        self.assertEqual((args.suites, args.file), (None, 'include/kcpp/drm/gem.h'))

    def test_the_options(self) -> None:
        args = cli.parser().parse_args(['check', '--no-stock', '--no-debug', '--no-clang'])
        self.assertEqual((args.cmd, args.no_stock, args.no_debug, args.no_clang),
                         ('check', True, True, True))
        self.assertEqual(cli.parser().parse_args(['bench-edit']).rounds, 3)
        self.assertEqual(cli.parser().parse_args(['bench-edit', '--rounds', '5']).rounds, 5)


if __name__ == '__main__':
    unittest.main()
