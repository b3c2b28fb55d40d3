# SPDX-License-Identifier: GPL-2.0
"""What the tests share: a tally that records instead of printing."""

from kcpp_check.common import Tally


class RecordingTally(Tally):
    """A Tally that keeps each check's name and verdict and prints nothing,
    so that a test can ask which checks a function added and how they went."""

    def __init__(self) -> None:
        super().__init__()
        self.checks: dict[str, bool] = {}
        self.details: dict[str, str] = {}

    def add(self, name: str, ok: bool, detail: str = '') -> bool:
        self.checks[name] = bool(ok)
        self.details[name] = detail
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(name)
        return ok
