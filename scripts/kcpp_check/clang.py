# SPDX-License-Identifier: GPL-2.0
"""The clang stage of make check: the KUnit kernel built a second time with
LLVM=1 (Debian's clang-19 and lld-19) and kernel CFI, kcpp compiled by
clang++-19, every suite and doctest run at boot on it."""

import argparse
import glob
import os

from .common import CACHE, JOBS, KUNITCONFIG, QEMU_CONFIG, SCRIPTS, SRCTREE, Failure, Tally, log, run
from .deps import ensure_deps
from .kernel import comdat_free, prepare_source
from .kunit import built_suites, kunit_py, load_results, merge_kunit
from .logs import bad_log_lines, warnings_in

CLANG_BUILD: str = os.path.join(CACHE, 'build-clang')
KUNITCONFIG_CLANG: str = os.path.join(SCRIPTS, 'kunitconfig.clang')
# Debian's LLVM 19 (clang-19, lld-19, llvm-19): its unversioned tool names,
# which LLVM=1 asks for, live here.
LLVM_BIN: str = '/usr/lib/llvm-19/bin'


def clang_env() -> dict[str, str]:
    env = dict(os.environ)
    env['PATH'] = LLVM_BIN + os.pathsep + env.get('PATH', '')
    return env


def clang_checks(tally: Tally, logdir: str) -> None:
    """Builds the clang kernel (kCFI on), checks its log and objects as the
    GCC kernel's are checked, and runs every suite on it."""
    env = clang_env()
    run(kunit_py('config', f'--kunitconfig={KUNITCONFIG}', f'--kunitconfig={KUNITCONFIG_CLANG}',
                 f'--qemu_config={QEMU_CONFIG}', '--make_options=LLVM=1', build_dir=CLANG_BUILD),
        cwd=SRCTREE, env=env)
    build_log = os.path.join(logdir, 'clang-build.log')
    log(f'building the clang kernel (log: {build_log})')
    rc, out = run(['make', '-C', SRCTREE, 'ARCH=x86_64', 'LLVM=1', f'O={CLANG_BUILD}', f'-j{JOBS}'],
                  log_path=build_log, check=False, echo=True, env=env)
    tally.add('clang: the KUnit kernel builds with LLVM=1 and kcpp compiled by clang++', rc == 0)
    if rc != 0:
        return
    with open(os.path.join(CLANG_BUILD, '.config')) as f:
        config = f.read()
    tally.add('clang: the kernel is clang-built with kernel CFI (CONFIG_CFI_CLANG=y)',
              'CONFIG_CC_IS_CLANG=y' in config and 'CONFIG_CFI_CLANG=y' in config and
              '# CONFIG_CFI_PERMISSIVE is not set' in config)
    tally.add('clang: kcpp\'s C++ tests were compiled',
              os.path.exists(os.path.join(CLANG_BUILD, 'kcpp', 'tests', 'lock_test.o')))
    bad = warnings_in(out)
    tally.add('clang: build log has no warning (clang, lld, objtool, orphan section, BTF)', not bad,
              '\n'.join(bad[:10]))
    tally.add('clang: built-in C++ objects hold no COMDAT group or symbol-named section',
              *comdat_free(glob.glob(os.path.join(CLANG_BUILD, 'kcpp', 'tests', '*_test.o'))))
    json_path = os.path.join(logdir, 'clang-kunit.json')
    if os.path.exists(json_path):
        os.unlink(json_path)
    run(kunit_py('exec', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}',
                 '--timeout=300', f'--json={json_path}', build_dir=CLANG_BUILD),
        log_path=os.path.join(logdir, 'clang-kunit.log'), check=False, cwd=SRCTREE, env=env)
    results = load_results(json_path)
    if results is None:
        tally.add('clang: kunit.py produced results', False)
        return
    merge_kunit(tally, results, 'clang ')
    # A trap outside a case's own thread (a work item, a release callback)
    # need not fail a case: the kernel log says it.
    test_log = os.path.join(CLANG_BUILD, 'test.log')
    console = ''
    if os.path.exists(test_log):
        with open(test_log, errors='replace') as f:
            console = f.read()
    bad = bad_log_lines(console) + [l for l in console.splitlines() if 'CFI failure' in l]
    tally.add('clang: kernel log has no CFI failure, oops or warning', bool(console) and not bad,
              '\n'.join(bad[:10]))
    suites = {g['name'] for g in results.get('sub_groups', [])}
    expected = built_suites(CLANG_BUILD)
    missing = [s for s in expected if s not in suites]
    tally.add(f'clang: all {len(expected)} suites the kernel links ran', bool(expected) and
              not missing, ' '.join(missing[:10]))


def cmd_check_clang(args: argparse.Namespace) -> int:
    """The clang kernel stage of make check on its own."""
    tally = Tally()
    ensure_deps()
    prepare_source()
    logdir = os.path.join(CACHE, 'logs')
    os.makedirs(logdir, exist_ok=True)
    try:
        clang_checks(tally, logdir)
    except Failure as e:
        tally.add('check-clang ran to the end', False, str(e))
    for name in tally.failures:
        log(f'failed: {name}')
    print(tally.line())
    return 0 if tally.failed == 0 else 1
