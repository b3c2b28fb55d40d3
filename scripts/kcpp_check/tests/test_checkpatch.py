# SPDX-License-Identifier: GPL-2.0
"""checkpatch.py: what in checkpatch's output is a finding, which files it
checks, how it runs, and the shape of .checkpatch.conf."""

import contextlib
import io
import os
import subprocess
import tempfile
import unittest
from unittest import mock

from kcpp_check import checkpatch
from kcpp_check.common import REPO
from kcpp_check.tests.helpers import RecordingTally

NAME = 'checkpatch --strict: every C file is clean'


class Problems(unittest.TestCase):
    def test_a_zero_total_is_clean(self) -> None:
        self.assertEqual(checkpatch.problems(
            'a.c', 'total: 0 errors, 0 warnings, 0 checks, 120 lines checked\n', 0), [])

    def test_no_output_is_clean(self) -> None:
        # --terse prints nothing at all for a clean file.
        self.assertEqual(checkpatch.problems('a.c', '', 0), [])

    def test_each_finding_line_is_a_problem(self) -> None:
        out = ('a.c:12: WARNING:LONG_LINE: line length of 101 exceeds 100 columns\n'
               'a.c:30: CHECK:LINE_SPACING: Please don\'t use multiple blank lines\n'
               'a.c:41: ERROR:TRAILING_STATEMENTS: trailing statements should be on next line\n'
               'total: 1 errors, 1 warnings, 1 checks, 50 lines checked\n')
        self.assertEqual(checkpatch.problems('a.c', out, 1), out.splitlines()[:3])

    def test_a_finding_is_a_problem_whatever_the_exit_status(self) -> None:
        line = 'a.c:12: WARNING:LONG_LINE: line length of 101 exceeds 100 columns'
        self.assertEqual(checkpatch.problems('a.c', line + '\n', 0), [line])

    def test_a_count_above_zero_without_a_finding_line_is_a_problem(self) -> None:
        out = 'total: 0 errors, 1 warnings, 0 checks, 50 lines checked\n'
        self.assertEqual(len(checkpatch.problems('a.c', out, 1)), 1)

    def test_an_error_of_checkpatch_itself_is_a_problem(self) -> None:
        found = checkpatch.problems('a.c', "Can't locate Term/ANSIColor.pm in @INC\n", 2)
        self.assertEqual(len(found), 1)
        self.assertIn('a.c', found[0])
        self.assertIn('ANSIColor', found[0])
        # It exits 0 on a file it cannot read, but says so.
        self.assertEqual(len(checkpatch.problems(
            'a.c', 'diff: a.c: No such file or directory\n', 0)), 1)

    def test_a_non_zero_exit_alone_is_a_problem(self) -> None:
        self.assertEqual(len(checkpatch.problems('a.c', '', 1)), 1)


class Files(unittest.TestCase):
    def test_every_c_file_and_the_c_headers_and_nothing_cpp(self) -> None:
        files = checkpatch.c_files()
        for path in ('include/kcpp/bindings/shim/alloc.c', 'include/kcpp/bindings/bindings.h',
                     'include/kcpp/bindings/shim/internal.h',
                     'include/kcpp/bindings/lists.h', 'tests/bindings_c_values.h'):
            self.assertIn(path, files)
        self.assertEqual([f for f in files if not f.endswith(('.c', '.h'))], [])
        self.assertNotIn('include/kcpp/kcpp.h', files)
        self.assertEqual(files, sorted(set(files)))


def fake_run(outputs: dict[str, str]) -> mock.MagicMock:
    """A stand-in for common.quiet: checkpatch's output per file, rc 1 when
    it reports something."""
    def run(cmd: list[str], **kw: str) -> 'subprocess.CompletedProcess[str]':
        out = outputs.get(cmd[-1], '')
        return subprocess.CompletedProcess(cmd, 1 if out else 0, out, None)
    return mock.MagicMock(side_effect=run)


class Checks(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.script = os.path.join(self.dir.name, 'checkpatch.pl')
        open(self.script, 'w').close()

    def tearDown(self) -> None:
        self.dir.cleanup()

    def check(self, run: mock.MagicMock) -> RecordingTally:
        tally = RecordingTally()
        with contextlib.redirect_stdout(io.StringIO()) as out, \
                mock.patch.object(checkpatch, 'quiet', run):
            checkpatch.checkpatch_checks(tally, script=self.script)
        self.printed = out.getvalue()
        return tally

    def test_runs_strict_on_each_file_from_the_repository_root(self) -> None:
        run = fake_run({})
        tally = self.check(run)
        self.assertEqual(tally.checks, {NAME: True})
        files = checkpatch.c_files()
        self.assertEqual([c.args[0][-1] for c in run.call_args_list], files)
        for c in run.call_args_list:
            self.assertEqual(c.args[0][:2], ['perl', self.script])
            self.assertIn('--strict', c.args[0])
            self.assertIn('--no-tree', c.args[0])
            self.assertEqual(c.kwargs['cwd'], REPO)

    def test_fails_listing_the_findings(self) -> None:
        line = ('include/kcpp/bindings/shim/alloc.c:7: CHECK:LINE_SPACING: '
                'Please don\'t use multiple blank lines')
        tally = self.check(fake_run({'include/kcpp/bindings/shim/alloc.c': line + '\n'}))
        self.assertEqual(tally.checks, {NAME: False})
        self.assertIn(line, self.printed)
        self.assertTrue(tally.details[NAME].startswith('1 findings'))

    def test_fails_without_checkpatch(self) -> None:
        os.unlink(self.script)
        run = fake_run({})
        tally = self.check(run)
        self.assertEqual(tally.checks, {NAME: False})
        self.assertIn('missing', tally.details[NAME])
        run.assert_not_called()


class Config(unittest.TestCase):
    def test_every_ignored_type_has_its_reason_above_it(self) -> None:
        with open(os.path.join(REPO, checkpatch.CONFIG)) as f:
            lines = [l.strip() for l in f]
        self.assertIn('--strict', lines)
        ignores = [i for i, l in enumerate(lines) if l.startswith('--ignore')]
        for i in ignores:
            with self.subTest(line=lines[i]):
                types = lines[i].split(None, 1)[1].split(',')
                self.assertEqual(len(types), 1, 'one type per --ignore line')
                self.assertTrue(i > 0 and lines[i - 1].startswith('# '),
                                'a # comment with the reason right above')


if __name__ == '__main__':
    unittest.main()
