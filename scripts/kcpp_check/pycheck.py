# SPDX-License-Identifier: GPL-2.0
"""The checks of this package itself, first in make check: mypy over
scripts/ (mypy.ini) and the unit tests of tests/, each test one check."""

import os
import shutil
import traceback
import unittest
from types import TracebackType
from typing import Optional, Type, Union

from .common import CACHE, SCRIPTS, Tally, log, quiet

TESTS: str = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'tests')
MYPY_INI: str = os.path.join(SCRIPTS, 'mypy.ini')

ExcInfo = Union[tuple[Type[BaseException], BaseException, TracebackType], tuple[None, None, None]]


def mypy_command() -> list[str]:
    """Debian's mypy (deps.PACKAGES), whatever python3 is first in PATH:
    what it checks does not depend on the interpreter that runs the tests."""
    mypy = '/usr/bin/mypy' if os.path.exists('/usr/bin/mypy') else shutil.which('mypy') or 'mypy'
    # The cache stays out of the repository, with the others.
    return [mypy, '--config-file', MYPY_INI, '--cache-dir', os.path.join(CACHE, 'mypy')]


def mypy_check(tally: Tally) -> None:
    """mypy over the files mypy.ini names, from scripts/."""
    try:
        r = quiet(mypy_command(), cwd=SCRIPTS)
        ok, out = r.returncode == 0, r.stdout
    except OSError as e:
        ok, out = False, str(e)
    if not ok:
        print(out, end='' if out.endswith('\n') else '\n')
    errors = [l for l in out.splitlines() if ': error:' in l]
    tally.add('script: mypy finds no type error in scripts/ (scripts/mypy.ini)', ok,
              f'{len(errors)} errors' if errors else out.strip()[-300:])


class TallyResult(unittest.TestResult):
    """A unittest result that adds each test to the tally as one check,
    `script: <test id>`, failed if the test or any of its subtests failed."""

    def __init__(self, tally: Tally) -> None:
        super().__init__()
        self.tally = tally
        self.current: Optional[unittest.TestCase] = None
        self.problems: list[str] = []

    def startTest(self, test: unittest.TestCase) -> None:
        super().startTest(test)
        self.current, self.problems = test, []

    def _problem(self, test: unittest.TestCase, err: ExcInfo) -> None:
        text = ''.join(traceback.format_exception(*err))
        if self.current is None:
            # A class or module fixture failed outside any test: one check of its own.
            print(text, end='')
            self.tally.add(f'script: {test.id()}', False, text.strip().splitlines()[-1])
            return
        self.problems.append(text)

    def addError(self, test: unittest.TestCase, err: ExcInfo) -> None:
        super().addError(test, err)
        self._problem(test, err)

    def addFailure(self, test: unittest.TestCase, err: ExcInfo) -> None:
        super().addFailure(test, err)
        self._problem(test, err)

    def addSubTest(self, test: unittest.TestCase, subtest: unittest.TestCase,
                   err: Optional[ExcInfo]) -> None:
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._problem(subtest, err)

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self.problems.append(f'skipped: {reason}')

    def stopTest(self, test: unittest.TestCase) -> None:
        skipped = [p for p in self.problems if p.startswith('skipped: ')]
        if skipped and len(skipped) == len(self.problems):
            log(f'skipped script: {test.id()} ({skipped[0][len("skipped: "):]})')
            self.tally.merge(0, 0, 1)
        else:
            for text in self.problems:
                print(text, end='' if text.endswith('\n') else '\n')
            last = self.problems[-1].strip().splitlines()[-1] if self.problems else ''
            self.tally.add(f'script: {test.id()}', not self.problems, last)
        self.current = None
        super().stopTest(test)


def unit_test_checks(tally: Tally, start_dir: str = TESTS) -> None:
    """The unit tests of this package, run here (python3 -m unittest
    discover -s scripts/kcpp_check/tests -t scripts runs the same)."""
    suite = unittest.defaultTestLoader.discover(start_dir, top_level_dir=SCRIPTS)
    if suite.countTestCases() == 0:
        tally.add('script: unit tests found', False, f'none in {start_dir}')
        return
    suite.run(TallyResult(tally))
