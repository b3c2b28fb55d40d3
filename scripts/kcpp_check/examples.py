# SPDX-License-Identifier: GPL-2.0
"""The example modules on the test kernel: the stage after the suites. The
same initramfs as the sanitizer and stock stages (qemu.INIT_SCRIPT) loads
each example, runs its user-space check (ringtest for the misc device, the
edu check) and unloads it, so that the test kernel, too, runs everything."""

import os

from .common import CACHE, KUNIT_BUILD, Failure, Tally, log
from .logs import EXPECTED_LOG, check_boot_log
from .qemu import boot, driver_modules, make_initramfs


def example_checks(tally: Tally, logdir: str) -> None:
    """Boots the KUnit kernel with KUnit switched off (the suites ran in the
    stage before; none may hold the test devices now) and checks the log of
    each example module as the other kernels' stages do."""
    modules = driver_modules(os.path.join(KUNIT_BUILD, 'kcpp'))
    built = {os.path.basename(m)[:-3] for m in modules}
    # check_boot_log() checks the modules it is given: one that was not
    # built must not pass by being absent.
    for name in sorted(EXPECTED_LOG):
        tally.add(f'test kernel: {name}.ko was built', name in built)
    initrd = os.path.join(CACHE, 'examples-initramfs.cpio')
    try:
        make_initramfs(modules, initrd, os.path.join(CACHE, 'initramfs-examples'))
    except Failure as e:  # a check program that does not build; the later stages still run
        log(f'error: {e}')
        tally.add('test kernel: the examples\' initramfs was made', False, str(e))
        return
    out = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
               os.path.join(logdir, 'examples-boot.log'),
               append='loglevel=7 kunit.enable=0', timeout=600)
    tally.add('test kernel: KUnit stayed off for the examples\' boot', 'kunit: disabled' in out)
    check_boot_log(tally, 'test kernel', out, modules)
