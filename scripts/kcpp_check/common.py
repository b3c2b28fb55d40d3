# SPDX-License-Identifier: GPL-2.0
"""What every stage shares: the paths, running commands, and the tally.

The cache lives in $KCPP_CACHE (default ~/.cache/kcpp), outside the repo.
"""

import os
import shutil
import subprocess
import sys
from typing import Any, Optional, Sequence

# scripts/kcpp_check/common.py: two levels below the repository root.
SCRIPTS: str = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO: str = os.path.dirname(SCRIPTS)
CACHE: str = os.environ.get('KCPP_CACHE', os.path.expanduser('~/.cache/kcpp'))
SRC_TARBALL: str = '/usr/src/linux-source-6.12.tar.xz'
SRCTREE: str = os.path.join(CACHE, 'linux-source-6.12')
KUNIT_BUILD: str = os.path.join(CACHE, 'build-kunit')
KUNITCONFIG: str = os.path.join(SCRIPTS, 'kunitconfig')
QEMU_CONFIG: str = os.path.join(SCRIPTS, 'kunit_qemu_x86_64.py')
JOBS: str = str(os.cpu_count() or 2)


class Failure(Exception):
    """A step that could not run at all (as opposed to a failed test)."""


def log(msg: str) -> None:
    print(f'[kcpp] {msg}', flush=True)


def run(cmd: Sequence[str], log_path: Optional[str] = None, check: bool = True,
        cwd: Optional[str] = None, env: Optional[dict[str, str]] = None,
        echo: bool = True) -> tuple[int, str]:
    """Runs cmd; output goes to the terminal and, if given, to log_path."""
    if echo:
        log('$ ' + ' '.join(cmd))
    out = open(log_path, 'w') if log_path else None
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors='replace')
    assert proc.stdout is not None  # stdout=PIPE
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if out:
            out.write(line)
        sys.stdout.write(line)
    proc.wait()
    if out:
        out.close()
    if check and proc.returncode != 0:
        raise Failure(f'command failed ({proc.returncode}): {" ".join(cmd)}')
    return proc.returncode, ''.join(lines)


def quiet(cmd: Sequence[str], **kw: Any) -> 'subprocess.CompletedProcess[str]':
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors='replace', **kw)


class Tally:
    """Counts every check of the run for the closing line."""

    def __init__(self) -> None:
        self.passed = self.failed = self.skipped = 0
        self.failures: list[str] = []

    def add(self, name: str, ok: bool, detail: str = '') -> bool:
        if ok:
            self.passed += 1
            log(f'ok     {name}')
        else:
            self.failed += 1
            self.failures.append(name)
            log(f'FAILED {name}' + (f': {detail}' if detail else ''))
        return ok

    def merge(self, passed: int, failed: int, skipped: int) -> None:
        self.passed += passed
        self.failed += failed
        self.skipped += skipped

    def line(self) -> str:
        # Skips are always shown: a run must say it skipped nothing.
        return f'{self.passed} passed, {self.failed} failed, {self.skipped} skipped'


def have(probe: str) -> bool:
    """A probe of deps.PACKAGES: an absolute path exists, or a program is on PATH."""
    return os.path.exists(probe) if probe.startswith('/') else shutil.which(probe) is not None
