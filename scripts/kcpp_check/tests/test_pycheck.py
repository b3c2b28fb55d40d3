# SPDX-License-Identifier: GPL-2.0
"""pycheck.py: each unit test becomes one check of the tally."""

import contextlib
import io
import unittest
from unittest import mock

from kcpp_check import pycheck
from kcpp_check.tests.helpers import RecordingTally


class Sample(unittest.TestCase):
    """Tests with every outcome; run only by the tests below (not test_*)."""

    def passes(self) -> None:
        pass

    def fails(self) -> None:
        self.assertEqual(1, 2)

    def raises(self) -> None:
        raise KeyError('x')

    def fails_one_subtest(self) -> None:
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 1)

    @unittest.skip('not here')
    def skips(self) -> None:
        pass


class BrokenFixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        raise RuntimeError('no fixture')

    def never_runs(self) -> None:
        pass


def run(*tests: unittest.TestCase) -> RecordingTally:
    tally = RecordingTally()
    with contextlib.redirect_stdout(io.StringIO()), mock.patch.object(pycheck, 'log'):
        unittest.TestSuite(tests).run(pycheck.TallyResult(tally))
    return tally


class TallyResultTest(unittest.TestCase):
    def test_each_test_is_one_check_by_its_id(self) -> None:
        tally = run(Sample('passes'), Sample('fails'), Sample('raises'))
        prefix = 'script: kcpp_check.tests.test_pycheck.Sample.'
        self.assertEqual(tally.checks, {prefix + 'passes': True, prefix + 'fails': False,
                                        prefix + 'raises': False})
        self.assertEqual(tally.details[prefix + 'fails'], 'AssertionError: 1 != 2')

    def test_a_failed_subtest_fails_its_test_once(self) -> None:
        tally = run(Sample('fails_one_subtest'))
        self.assertEqual(list(tally.checks.values()), [False])
        self.assertEqual((tally.passed, tally.failed), (0, 1))

    def test_a_skip_is_counted_as_skipped(self) -> None:
        tally = run(Sample('skips'))
        self.assertEqual((tally.passed, tally.failed, tally.skipped), (0, 0, 1))

    def test_a_broken_class_fixture_is_a_failed_check(self) -> None:
        tally = run(BrokenFixture('never_runs'))
        self.assertEqual(tally.failed, 1)
        self.assertEqual(tally.passed, 0)


class MypyCommand(unittest.TestCase):
    def test_uses_the_config_and_keeps_the_cache_out_of_the_repository(self) -> None:
        cmd = pycheck.mypy_command()
        self.assertEqual(cmd[1:3], ['--config-file', pycheck.MYPY_INI])
        self.assertFalse(cmd[cmd.index('--cache-dir') + 1].startswith(pycheck.SCRIPTS))


if __name__ == '__main__':
    unittest.main()
