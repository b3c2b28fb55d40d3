# SPDX-License-Identifier: GPL-2.0
"""Stage 2 of make check: the 6.12 source in the cache with kcpp wired in,
the KUnit kernel built, and what the build must show (the C-only flags,
no COMDAT left)."""

import os
import re
import shutil
import sys

from .common import (CACHE, JOBS, KUNIT_BUILD, KUNITCONFIG, QEMU_CONFIG, REPO, SCRIPTS,
                     SRC_TARBALL, SRCTREE, Failure, Tally, log, quiet, run)
from .deps import ensure_deps
from .kunit import kunit_py


def source_version() -> str:
    r = quiet(['dpkg-query', '-W', '-f=${Version}', 'linux-source-6.12'])
    return r.stdout.strip() if r.returncode == 0 else 'unknown'


def prepare_source() -> None:
    """Extracts the 6.12 source once per package version and wires kcpp in."""
    os.makedirs(CACHE, exist_ok=True)
    stamp = os.path.join(CACHE, 'linux-source-6.12.version')
    version = source_version()
    current = open(stamp).read().strip() if os.path.exists(stamp) else None
    if current != version or not os.path.isdir(SRCTREE):
        log(f'extracting linux-source-6.12 {version} into {CACHE}')
        shutil.rmtree(SRCTREE, ignore_errors=True)
        shutil.rmtree(KUNIT_BUILD, ignore_errors=True)
        run(['tar', '-C', CACHE, '-xf', SRC_TARBALL])
        with open(stamp, 'w') as f:
            f.write(version + '\n')
    run([os.path.join(SCRIPTS, 'wire-kernel.sh'), SRCTREE, REPO], echo=False)
    sim_firmware()


def sim_firmware() -> None:
    """Writes the simulated GPU's firmware files where the kernel build takes
    them from (tests/firmware), and checks the kernel config names them all."""
    gen = os.path.join(SCRIPTS, 'nova_sim_firmware.py')
    run([sys.executable, gen, os.path.join(REPO, 'tests', 'firmware')], echo=False)
    names = quiet([sys.executable, gen, '--list']).stdout.split()
    with open(KUNITCONFIG) as f:
        m = re.search(r'^CONFIG_EXTRA_FIRMWARE="([^"]*)"', f.read(), re.M)
    config = m.group(1).split() if m else []
    missing = sorted(set(names) - set(config))
    if missing:
        # A Failure, not an exit: make check still prints its closing line.
        raise Failure('scripts/kunitconfig: CONFIG_EXTRA_FIRMWARE lacks ' + ' '.join(missing))


def build_kernel(log_path: str) -> tuple[bool, str]:
    """Configures and builds the KUnit kernel; the full log is kept."""
    run(kunit_py('config', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}'),
        cwd=SRCTREE)
    log('building the KUnit kernel (log: %s)' % log_path)
    rc, out = run(['make', '-C', SRCTREE, 'ARCH=x86_64', f'O={KUNIT_BUILD}', f'-j{JOBS}'],
                  log_path=log_path, check=False, echo=True)
    return rc == 0, out


def prepared_kernel(log_name: str) -> str:
    """Dependencies, source and an up-to-date KUnit kernel; returns the log dir."""
    ensure_deps()
    prepare_source()
    logdir = os.path.join(CACHE, 'logs')
    os.makedirs(logdir, exist_ok=True)
    ok, _ = build_kernel(os.path.join(logdir, log_name))
    if not ok:
        raise Failure('the kernel did not build; the compiler output is above')
    return logdir


def c_only_flags() -> list[str]:
    """The kcpp-c-only-flags list of kcpp.mk."""
    text = open(os.path.join(SCRIPTS, 'kcpp.mk')).read()
    block = text.split('kcpp-c-only-flags :=', 1)[1].split('\n\n', 1)[0]
    return block.replace('\\', ' ').split()


def check_c_only_flags(tally: Tally, cxx: str = 'g++-12') -> None:
    """Each flag kcpp.mk removes must really be one g++ does not take: the
    list may hold nothing a C++ compile would lose."""
    taken = []
    for flag in c_only_flags():
        r = quiet([cxx, '-x', 'c++', '-fsyntax-only', flag, '-'], input='int x;\n')
        if 'not for C++' not in r.stdout and 'not valid for C++' not in r.stdout:
            taken.append(flag)
    tally.add(f'every flag kcpp.mk filters out is rejected by {cxx} for C++', not taken,
              'taken by g++: ' + ' '.join(taken))


def comdat_free(objects: list[str]) -> tuple[bool, str]:
    """(ok, detail): no object has a COMDAT group, a .text._Z/.data._Z/.bss._Z
    section or an STB_GNU_UNIQUE symbol left, i.e. kcpp-sections.lds and
    -fno-gnu-unique did their job."""
    bad = []
    for o in objects:
        secs = quiet(['readelf', '-SW', o]).stdout
        syms = quiet(['readelf', '-sW', o]).stdout
        if ' GROUP ' in secs or re.search(r'\s\.(text|data|bss)\._Z', secs) or ' UNIQUE ' in syms:
            bad.append(os.path.basename(o))
    return (bool(objects) and not bad), 'left in: ' + ' '.join(bad) if bad else ''
