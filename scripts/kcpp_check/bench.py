# SPDX-License-Identifier: GPL-2.0
"""make bench (kcpp against hand-written C in one boot) and make bench-edit
(edit-to-result time)."""

import argparse
import os
import re
import subprocess
import time
from typing import Sequence

from .common import CACHE, JOBS, KUNIT_BUILD, REPO, SRCTREE, Failure, log, run
from .kernel import prepared_kernel
from .fastloop import exec_kunit, globs_for, incremental_build, suites_for_file
from .kunit import built_suites, count_kunit
from .qemu import boot, make_initramfs


# GEM round trips each way for the DRM rows.
DRM_ROUND_TRIPS: int = 10000


def cmd_bench(args: argparse.Namespace) -> int:
    """Runs kcpp_bench.ko in one boot of the kcpp kernel under QEMU with
    instruction counting, and prints its table of kcpp against C."""
    logdir = prepared_kernel('kunit-build.log')
    ko = os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', 'kcpp_bench.ko')
    if not os.path.exists(ko):
        raise Failure('kcpp_bench.ko was not built (CONFIG_KCPP_BENCH)')
    # nova-core on the simulated GA102 and nova-drm, after kcpp_bench (which
    # needs pci-testdev to itself); vgem, the C side, loaded first.
    nova = [os.path.join(KUNIT_BUILD, 'kcpp', 'drivers', 'nova', f'{m}.ko') for m in ('nova_drm', 'nova_sim')]
    vgem = os.path.join(KUNIT_BUILD, 'drivers', 'gpu', 'drm', 'vgem', 'vgem.ko')
    for m in nova + [vgem]:
        if not os.path.exists(m):
            raise Failure(f'{m} was not built (CONFIG_KCPP_NOVA_SIM, CONFIG_DRM_VGEM)')
    initrd = os.path.join(CACHE, 'bench-initramfs.cpio')
    make_initramfs([ko] + nova, initrd, os.path.join(CACHE, 'initramfs-bench'), deps=[vgem])
    out = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
               os.path.join(logdir, 'bench-boot.log'),
               append=f'loglevel=7 kunit.enable=0 kcpp_drm_bench={DRM_ROUND_TRIPS}',
               extra=('-icount', 'shift=0,sleep=off'), timeout=600)
    table = [l.split('kcpp_bench: ', 1)[1] for l in out.splitlines() if 'kcpp_bench: ' in l]
    print('\n'.join(table) if table else out[-3000:])
    misc = misc_row(out)
    print(misc)
    drm = drm_rows(out)
    print(drm)
    compile_time_row()
    print_side_by_side(
        disassembly(os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', 'io_bench.o'), 'kcpp_bench_cpp_io'),
        disassembly(os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', 'io_bench_c.o'), 'kcpp_bench_c_io'),
        'kcpp: Mmio::write32/read32 (io_bench.cpp)', 'C: writel/readl (io_bench_c.c)')
    return 0 if table and table[-1] == 'done' and 'error' not in misc + drm else 1


def misc_row(out: str) -> str:
    """The user-space row: read/write syscalls on kcpp's misc device against
    the C one, from misc_bench_user.c's line in the boot log."""
    m = re.search(r'KCPP-BENCH misc (\d+) (\d+) (\d+)', out)
    if not m:
        e = re.search(r'KCPP-BENCH misc error.*', out)
        return f'misc read/write syscalls: error ({e.group(0) if e else "no result line"})'
    cpp, c, calls = int(m[1]), int(m[2]), int(m[3])
    name = f'misc read/write syscalls vs a C misc device ({calls // 1000}k)'
    return f'{name:<52} {cpp:12d} {c:12d} {cpp / c:8.3f}'


def drm_rows(out: str) -> str:
    """The DRM rows: GEM round trips from user space through nova-drm
    against the same through the kernel's C vgem driver, from
    nova_drm_client's line in the boot log."""
    m = re.search(r'KCPP-BENCH drm (\d+) (\d+) (\d+) (\d+)', out)
    if not m:
        e = re.search(r'KCPP-BENCH drm error.*', out)
        return f'drm GEM round trips: error ({e.group(0) if e else "no result line"})'
    nova3, nova2, vgem, n = (int(x) for x in m.groups())
    rows = [(f'drm GEM create+close, nova-drm vs vgem ({n // 1000}k)', nova2, vgem),
            (f'drm GEM create+info+close, nova-drm vs vgem ({n // 1000}k)', nova3, vgem)]
    text = '\n'.join(f'{name:<52} {a:12d} {b:12d} {a / b:8.3f}' for name, a, b in rows)
    return text + ('\n  per round trip, nova-drm: GEM_CREATE (4 KiB, shmem) [+ GEM_INFO] + GEM_CLOSE;'
                   '\n  vgem: MODE_CREATE_DUMB (1024x1x32 bpp, 4 KiB, shmem) + GEM_CLOSE, on its primary node')


def compile_time_row(rounds: int = 5) -> None:
    """Compile time of a translation unit including all of kcpp against one
    including the kernel headers kcpp wraps: Kbuild's own saved commands for
    the two benchmark objects, rerun (output discarded), best of five each."""
    def command(obj: str) -> str:
        text = open(os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', f'.{obj}.cmd')).read()
        m = re.search(r'^savedcmd_\S+ := (.*)$', text, re.M)
        if not m:
            raise Failure(f'no saved command in .{obj}.cmd')
        cmd = m.group(1)
        first = cmd.split(';')[0]  # the compiler step only
        first = re.sub(r'-Wp,-MMD,\S+', '', first)
        return re.sub(r' -o \S+', ' -o /dev/null', first, count=1)
    best = {}
    for obj in ('compile_all.o', 'compile_all_c.o'):
        cmd = command(obj)
        times = []
        for _ in range(rounds):
            t0 = time.time()
            subprocess.run(cmd, shell=True, cwd=KUNIT_BUILD, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            times.append(time.time() - t0)
        best[obj] = min(times)
    cpp, c = best['compile_all.o'], best['compile_all_c.o']
    name = 'compile: all of kcpp vs the kernel headers it wraps'
    print(f'{name:<52} {cpp * 1e9:12.0f} {c * 1e9:12.0f} {cpp / c:8.3f}  (host time)')


def disassembly(obj: str, symbol: str) -> list[str]:
    """The instructions of one function of an object file, without addresses' bytes."""
    r = subprocess.run(['objdump', '-d', '--no-show-raw-insn', '--no-addresses',
                        f'--disassemble={symbol}', obj], capture_output=True, text=True)
    lines, inside = [], False
    for line in r.stdout.splitlines():
        if line.startswith('<') and line.rstrip().endswith('>:'):
            inside = True
            continue
        if inside and line.strip():
            lines.append(' '.join(line.split()))
    # The function-entry padding (ftrace/call-depth) is the same for both.
    while lines and lines[0] == 'nop':
        lines.pop(0)
    return lines


def print_side_by_side(left: Sequence[str], right: Sequence[str], left_title: str,
                       right_title: str, width: int = 44) -> None:
    print(f'\n{left_title:<{width}}  {right_title}')
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ''
        b = right[i] if i < len(right) else ''
        print(f'{a:<{width}}  {b}')


# The loops make bench-edit times: one header's suites, and every suite.
EDIT_FILTERED: str = 'include/kcpp/hrtimer.h'
EDIT_FULL: str = 'tests/core_test.cpp'


def cmd_bench_edit(args: argparse.Namespace) -> int:
    """Edit-to-result time, as make test runs it: touch one file, rebuild
    incrementally, run kunit.py exec (no configure, no build step). The
    filtered loop edits a header and runs the suites covering it; the full
    loop edits a test source and runs every suite."""
    logdir = prepared_kernel('bench-warm.log')
    suites = suites_for_file(os.path.join(REPO, EDIT_FILTERED))
    loops = [(f'filtered ({EDIT_FILTERED}: {" ".join(suites)})', EDIT_FILTERED,
              globs_for(suites, built_suites()), 10.0),
             (f'full ({EDIT_FULL}, every suite)', EDIT_FULL, [''], 20.0)]
    for name, edited, globs, target in loops:
        rounds = []
        for i in range(args.rounds):
            os.utime(os.path.join(REPO, edited))
            t0 = time.time()
            incremental_build(os.path.join(logdir, 'bench-build.log'))
            t1 = time.time()
            cases = 0
            for g in globs:
                results = exec_kunit(g or None, os.path.join(logdir, 'bench.json'),
                                     os.path.join(logdir, 'bench-run.log'), echo=False)
                if results is None:
                    raise Failure('benchmark round failed: no kunit.py results')
                p, f, _, _ = count_kunit(results)
                if f:
                    raise Failure(f'benchmark round failed: {f} failed cases')
                cases += p
            t2 = time.time()
            rounds.append(t2 - t0)
            log(f'{name} round {i + 1}: build {t1 - t0:.1f} s, kunit.py exec {t2 - t1:.1f} s '
                f'({len(globs)} boot(s), {cases} cases), total {t2 - t0:.1f} s')
        best, mean = min(rounds), sum(rounds) / len(rounds)
        print(f'edit-to-result, {name}: best {best:.1f} s, mean {mean:.1f} s over {len(rounds)} rounds '
              f'(target < {target:.0f} s)')
    # A missed target is printed, not failed: timings are never pass/fail.
    return 0
