# SPDX-License-Identifier: GPL-2.0
"""make demo: nova-core and the examples in the kcpp kernel, then nova-core
on Debian's stock kernel."""

import argparse
import os
import re

from .common import CACHE, KUNIT_BUILD, REPO, Tally, quiet
from .kernel import prepared_kernel
from .logs import check_boot_log
from .qemu import boot, driver_modules, make_initramfs
from .stock import build_external, clean_external, prepare_stock


def cmd_demo(args: argparse.Namespace) -> int:
    """nova-core probing a simulated GA102, unbinding and binding again, a
    libdrm client on nova-drm over it, and the examples with their devices,
    in the kcpp kernel; then nova-core
    loaded on Debian's stock kernel, where it binds nothing (no NVIDIA GPU)."""
    logdir = prepared_kernel('kunit-build.log')
    tally = Tally()
    modules = driver_modules(os.path.join(KUNIT_BUILD, 'kcpp'))
    initrd = os.path.join(CACHE, 'demo-initramfs.cpio')
    make_initramfs(modules, initrd, os.path.join(CACHE, 'initramfs-demo'))
    # The simulated GPU's probe, then an unbind and a rebind, run as KUnit cases at boot.
    out = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
               os.path.join(logdir, 'demo-boot.log'),
               append='loglevel=7 kunit.filter_glob=nova_probe.probe_ga102* kcpp_drm_demo=1')
    # The KUnit cases' part of the log, before init ran the modules.
    kunit_part = out[:out.find('KCPP-INIT up')] if 'KCPP-INIT up' in out else out
    print('== nova-core on a simulated GA102 (KUnit cases nova_probe.probe_ga102, '
          'probe_ga102_rebind) ==')
    print('\n'.join(l for l in kunit_part.splitlines()
                    if re.search(r'kcpp_nova_sim|nova: rebind|ok \d+ probe_ga102', l)))
    tally.add('demo: nova-core probed the simulated GA102 to its GPU name (WPR2 set)',
              re.search(r'\bok \d+ probe_ga102\b', kunit_part) is not None and 'WPR2: 0x' in kunit_part and
              'GPU name: NVIDIA simulated GPU' in kunit_part)
    tally.add('demo: unbind unloaded the GSP and a rebind probed it again',
              re.search(r'\bok \d+ probe_ga102_rebind', kunit_part) is not None and
              kunit_part.count('GPU name: NVIDIA simulated GPU') == 3 and
              kunit_part.count('GSP unloaded') == 3)
    print('== a libdrm client on nova-drm, on nova-core on the simulated GA102 (nova_sim.ko) ==')
    demo = [l for l in out.splitlines() if re.search(r'^nova_sim .*simulated GA102|nova-drm NovaCore|'
                                                      r'\[drm\] Initialized nova|^libdrm: ', l)]
    # Up to the client's last line: the checks that follow rebind it more times.
    last = max((i for i, l in enumerate(demo) if l.startswith('libdrm: ')), default=len(demo) - 1)
    print('\n'.join(demo[:last + 1]))
    tally.add('demo: the libdrm client found nova on the simulated GA102 and made an object',
              any(re.match(r'libdrm: /dev/dri/renderD\d+ is nova 0\.1\.0', l) for l in demo) and
              any('GEM object of 10000 bytes' in l and '12288 bytes' in l for l in demo))
    print('== the examples with their devices ==')
    print('\n'.join(l for l in out.splitlines()
                    if re.search(r'kcpp_(?!nova_sim)|KCPP-(?!NOVA-DRM)|# kcpp|ok \d+ kcpp', l)))
    check_boot_log(tally, 'demo', out, modules)

    # nova-core out of tree on the stock kernel, as a user would load it.
    stock = prepare_stock()
    kdir = stock['headers']
    nova = os.path.join(REPO, 'drivers', 'nova')
    clean_external(kdir, nova)
    ok, _ = build_external(kdir, nova, os.path.join(logdir, 'demo-stock-nova.log'))
    tally.add('demo: nova-core builds out of tree for the stock kernel', ok)
    if ok:
        ko = os.path.join(nova, 'nova_core.ko')
        info = quiet(['modinfo', ko]).stdout.splitlines()
        print(f'== modinfo nova_core.ko ({stock["release"]}) ==')
        print('\n'.join(l for l in info if not l.startswith('firmware:')))
        print(f'firmware:       ({sum(l.startswith("firmware:") for l in info)} files, '
              'nvidia/<chip>/gsp/*.tlv and *-570.144.bin)')
        initrd = os.path.join(CACHE, 'demo-stock-initramfs.cpio')
        make_initramfs([ko], initrd, os.path.join(CACHE, 'initramfs-demo-stock'))
        out = boot(stock['vmlinuz'], initrd, os.path.join(logdir, 'demo-stock-boot.log'),
                   append='loglevel=7')
        print(f'== loading nova_core.ko on Debian\'s {stock["release"]} (no NVIDIA GPU) ==')
        print('\n'.join(l for l in out.splitlines() if re.search(r'nova|NovaCore|KCPP-', l)))
        check_boot_log(tally, 'demo stock', out, [ko])
    clean_external(kdir, nova)
    print(tally.line())
    return 0 if tally.failed == 0 else 1
