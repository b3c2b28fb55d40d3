# SPDX-License-Identifier: GPL-2.0
"""make check-debug, the last stage of make check: the test kernel again
with the sanitizers and debug checkers on."""

import argparse
import os
import re
import sys

from .common import CACHE, JOBS, KUNITCONFIG, QEMU_CONFIG, SCRIPTS, SRCTREE, Failure, Tally, log, quiet, run
from .kernel import prepared_kernel
from .kunit import kunit_py, load_results, merge_kunit
from .logs import check_boot_log, sanitizer_reports
from .qemu import boot, driver_modules, make_initramfs

DEBUG_BUILD: str = os.path.join(CACHE, 'build-debug')
KUNITCONFIG_DEBUG: str = os.path.join(SCRIPTS, 'kunitconfig.debug')
# Random ioctls the libdrm client sends nova-drm under the sanitizers.
DRM_FUZZ_IOCTLS: int = 10000


def debug_checks(tally: Tally, logdir: str) -> None:
    """make check-debug: the test kernel again, on PREEMPT_RT, with KASAN,
    UBSAN, lockdep, DEBUG_OBJECTS and kmemleak; every suite and doctest runs at boot, then
    the example modules load and unload (the edu check included), then
    kmemleak scans. Any report of any of them fails the run."""
    run(kunit_py('config', f'--kunitconfig={KUNITCONFIG}', f'--kunitconfig={KUNITCONFIG_DEBUG}',
                 f'--qemu_config={QEMU_CONFIG}', build_dir=DEBUG_BUILD), cwd=SRCTREE)
    log('building the sanitizer kernel (log: %s)' % os.path.join(logdir, 'debug-build.log'))
    rc, out = run(['make', '-C', SRCTREE, 'ARCH=x86_64', f'O={DEBUG_BUILD}', f'-j{JOBS}'],
                  log_path=os.path.join(logdir, 'debug-build.log'), check=False, echo=True)
    tally.add('debug: the sanitizer kernel builds (KASAN, UBSAN, lockdep, DEBUG_OBJECTS, kmemleak)',
              rc == 0)
    if rc != 0:
        return
    with open(os.path.join(DEBUG_BUILD, '.config')) as f:
        config = f.read()
    tally.add('debug: the sanitizer kernel is PREEMPT_RT with lockdep',
              'CONFIG_PREEMPT_RT=y' in config and 'CONFIG_PROVE_LOCKING=y' in config)
    modules = driver_modules(os.path.join(DEBUG_BUILD, 'kcpp'))
    initrd = os.path.join(CACHE, 'debug-initramfs.cpio')
    make_initramfs(modules, initrd, os.path.join(CACHE, 'initramfs-debug'), kmemleak=True)
    boot_log = os.path.join(logdir, 'debug-boot.log')
    out = boot(os.path.join(DEBUG_BUILD, 'arch/x86/boot/bzImage'), initrd, boot_log,
               # acpi=noirq: under the sanitizers, QEMU's ACPI _PRT method runs
               # into ACPICA's 30-second loop timeout at every pci_enable_device()
               # of a device with an INTx pin (edu); MSI needs no routing.
               # kcpp_drm_fuzz reaches init's environment: the DRM client's
               # check script fuzzes nova-drm after its checks.
               append=f'loglevel=7 kmemleak=on kunit.enable=1 acpi=noirq kcpp_drm_fuzz={DRM_FUZZ_IOCTLS}',
               timeout=1200)
    # The KTAP of the suites that ran at boot, before init took over.
    ktap = out[:out.find('KCPP-INIT up')] if 'KCPP-INIT up' in out else out
    json_path = os.path.join(logdir, 'debug.json')
    # A file left by an earlier run must not stand in for this run's results.
    if os.path.exists(json_path):
        os.unlink(json_path)
    parsed = quiet([sys.executable, os.path.join(SRCTREE, 'tools/testing/kunit/kunit.py'),
                    'parse', f'--json={json_path}'], input=ktap, cwd=SRCTREE)
    with open(os.path.join(logdir, 'debug-kunit.log'), 'w') as f:
        f.write(parsed.stdout)
    results = load_results(json_path)
    if results is None:
        tally.add('debug: kunit.py parsed the sanitizer kernel\'s results', False)
    else:
        merge_kunit(tally, results, 'debug ')
    check_boot_log(tally, 'debug boot', out, modules)
    fuzz = re.search(rf'KCPP-NOVA-DRM fuzz {DRM_FUZZ_IOCTLS} ioctls .*', out)
    tally.add(f'debug: nova-drm took {DRM_FUZZ_IOCTLS} random ioctls', fuzz is not None)
    if fuzz:
        log(fuzz.group(0))
    tally.add('debug: nova_sim.ko was built (the libdrm client runs under it)',
              any(m.endswith('/nova_sim.ko') for m in modules))
    for line in ('at least 5% of the random ioctls succeeded ok', 'the device answers after the fuzzing ok',
                 'the fuzzed file closes ok', 'fuzz exit 0'):
        tally.add(f'debug: nova-drm fuzzing: {line}', f'KCPP-NOVA-DRM {line}' in out)
    tally.add('debug: kmemleak scanned after the modules were unloaded',
              'KCPP-KMEMLEAK scanned' in out)
    reports = sanitizer_reports(out)
    tally.add('debug: no sanitizer report (KASAN, UBSAN, lockdep, DEBUG_OBJECTS, kmemleak)',
              not reports, '; '.join(reports[:5]))


def cmd_check_debug(args: argparse.Namespace) -> int:
    """The sanitizer kernel stage of make check on its own."""
    tally = Tally()
    logdir = prepared_kernel('kunit-build.log')
    try:
        debug_checks(tally, logdir)
    except Failure as e:
        tally.add('check-debug ran to the end', False, str(e))
    for name in tally.failures:
        log(f'failed: {name}')
    print(tally.line())
    return 0 if tally.failed == 0 else 1
