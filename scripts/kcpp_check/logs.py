# SPDX-License-Identifier: GPL-2.0
"""What the logs say: build-log warnings, kernel-log findings, taint, the
messages each example must print, test-only symbols. Everything here reads
text it is given and runs nothing, so that tests/ can feed it lines."""

import os
import re
from typing import Optional, Sequence

from .common import Tally

# What counts as a warning in a build log. The kernel's own 6.12 build of this
# configuration is free of them, so any such line is a finding.
WARNING_LINES: re.Pattern[str] = re.compile(
    r'warning:|orphan section|objtool:|error while encoding BTF|BTF.*(fail|invalid)|'
    r'DW_TAG_|die__process|valid for C/ObjC but not for C\+\+', re.I)


def warnings_in(text: str) -> list[str]:
    """Warning lines of a build log (compiler, linker, objtool, pahole)."""
    return [l for l in text.splitlines() if WARNING_LINES.search(l)]


# Kernel log lines that mean something went wrong in a kcpp module. The
# patterns are the kernel's own spellings, case and word boundary included:
# a timing note such as "failed to get a good estimate for loops_per_jiffy"
# must not match (case-folded, "loops" holds "oops").
BAD_KERNEL_LOG: re.Pattern[str] = re.compile(
    r'\bBUG:|\bWARNING:|\bOops\b|\bCall Trace:|\bgeneral protection fault\b|'
    r'\bkernel BUG at\b|\bUnknown symbol\b|\bdisagrees about version\b|'
    r'\bBTF\b.*\b(fail|invalid)|\bUBSAN:|\bunable to handle (kernel|page)\b|'
    r'\bKASAN:')

# Taint flags a clean run may show (include/linux/panic.h): O (an out-of-tree
# module, bit 12), E (an unsigned one, bit 13) and N (KUnit tests ran, bit 18).
# Any other bit (W after a warning, D after an oops, ...) is a finding.
ALLOWED_TAINT: int = (1 << 12) | (1 << 13) | (1 << 18)
TAINT_LETTERS: str = 'PFSRMBUDAWCIOELKXTN'


def bad_log_lines(out: str) -> list[str]:
    """The lines of a kernel log that report a real problem."""
    return [l for l in out.splitlines() if BAD_KERNEL_LOG.search(l)]


def unexpected_taint(out: str) -> Optional[str]:
    """Letters of the taint flags set at the end of the boot script's run
    beyond ALLOWED_TAINT; None if the script did not report its taint."""
    m = re.search(r'KCPP-TAINT after (\d+)', out)
    if not m:
        return None
    bits = int(m.group(1)) & ~ALLOWED_TAINT
    return ''.join(c for i, c in enumerate(TAINT_LETTERS) if bits & (1 << i)) or (
        str(bits) if bits else '')


# What the sanitizers and debug checkers print when they find something.
SANITIZER_REPORT: re.Pattern[str] = re.compile(
    r'(BUG: KASAN|BUG: KFENCE|UBSAN:|WARNING:|BUG:|Oops|general protection fault|'
    r'possible circular locking|possible recursive locking|inconsistent lock state|'
    r'INFO: trying to register non-static key|suspicious RCU usage|'
    r'sleeping function called from invalid context|ODEBUG:|unreferenced object|'
    r'kmemleak: .*new suspected memory leaks)')


def sanitizer_reports(out: str) -> list[str]:
    """The lines of the sanitizer kernel's log that report a finding."""
    return [l for l in out.splitlines() if SANITIZER_REPORT.search(l)]


# Symbols of test-only code (the simulated GPU's bus side, the simulator
# itself, the test helpers, the fault-injection hooks) that no module a user
# loads may carry.
TEST_ONLY_SYMBOL: re.Pattern[str] = re.compile(
    r'bus_to_virt|nova_sim|kcpp_test|NovaSim|3sim\d|kcpp_fault')


def test_only_symbols(nm_output: str) -> list[str]:
    """The test-only symbol names in nm's listing of a module, sorted."""
    return sorted({l.split()[-1] for l in nm_output.split('\n')
                   if l.strip() and TEST_ONLY_SYMBOL.search(l)})


# The libdrm client's checks (tests/nova_drm_client.c), in the order it
# runs them; each prints "KCPP-NOVA-DRM <check> ok" when it passes.
NOVA_DRM_CHECKS: list[str] = [
    'drmGetDevices2 finds a nova render node', 'drmGetVersion reports nova 0.1.0',
    "drmGetDevices2 lists the device with its parent's PCI ids",
    "GETPARAM VRAM_BAR_SIZE is the parent's BAR1 length", "GETPARAM CHIPSET is the simulated GPU's",
    'GETPARAM VRAM_SIZE is what the GSP reported',
    'GEM_CREATE, GEM_INFO and GEM_CLOSE round trips, rounded to pages',
    'an unknown driver ioctl gets EINVAL', 'the command after the last gets EINVAL',
    'an unknown GETPARAM gets EINVAL', 'a NULL argument gets EFAULT', 'an unmapped argument gets EFAULT',
    'GEM_CREATE of size 0 gets EINVAL', 'GEM_CREATE of U64_MAX gets EINVAL',
    'GEM_CREATE of U64_MAX - 4095 (page-aligned) gets EINVAL', 'GEM_CREATE of 2^62 gets ENOSPC',
    'GEM_CREATE with a nonzero pad gets EINVAL', 'GEM_INFO of an unknown handle gets ENOENT',
    'GEM_INFO of handle 0 gets ENOENT', 'a handle of another open file gets ENOENT',
    'the handle works in its own file', 'the device still answers after the bad input',
    'closing the file frees its 1000 objects',
    "the primary node's master may create objects",
    'an unauthenticated opener of the primary node gets EACCES on GEM_CREATE',
    '... and on GEM_INFO', '... but GETPARAM answers it',
    "nova_drm's module cannot unload while a file is open", 'the device still answers after the refused unload',
    'the file works before the unbind', 'nova-core unbinds under the open file',
    'after the unbind GETPARAM gets ENODEV', 'after the unbind GEM_INFO of a live handle gets ENODEV',
    'after the unbind GEM_CREATE gets ENODEV', 'the render node is gone after the unbind',
    'the file closes after the unbind', 'nova-core binds again', 'the new device works',
    "the file works before nova-core's module goes", "nova-core's module unloads under the open file",
    'after the unload GEM_INFO gets ENODEV', 'the file closes after the unload',
    "nova-core's module loads again", 'the device of the reloaded module works',
]

# Messages each example module must print on load and on unload. A pattern
# that spans lines ((?s)A.*B) checks that A came before B: the boot script
# writes its markers through /dev/kmsg, so the console is one ordered stream.
EXPECTED_LOG: dict[str, list[str]] = {
    'kcpp_hello': [r'kcpp_hello: hello from C\+\+20 \(g\+\+ 12\.\d+\), kcpp module loaded',
                   r'kcpp_hello: goodbye, the answer was 42'],
    'kcpp_pci_testdev': [r'kcpp_pci_testdev \S+: pci-testdev data-match count: 1\b',
                         r'kcpp_pci_testdev \S+: config: vendor 1b36 revision 0 bar0 [0-9a-f]{8}',
                         r'kcpp_pci_testdev \S+: unbind',
                         # sysfs unbind, then bind: the test runs again.
                         r'KCPP-UNBIND kcpp_pci_testdev \S+ rc=0',
                         r'KCPP-BIND kcpp_pci_testdev \S+ rc=0',
                         r'(?s)data-match count: 1.*KCPP-UNBIND.*data-match count: 1.*KCPP-BIND'],
    'kcpp_edu': [r'kcpp_edu \S+: edu 1\.0, MSI irq \d+, DMA buffer at [0-9a-f]+',
                 r'KCPP-EDU factorial 0 = 1\b', r'KCPP-EDU factorial 5 = 120\b',
                 r'KCPP-EDU factorial 10 = 3628800\b', r'KCPP-EDU factorial 12 = 479001600\b',
                 r'KCPP-EDU factorial 13 rc=1', r'KCPP-EDU factorial abc rc=1',
                 r'KCPP-EDU dma_test 1 rc=0: 1 [0-9a-f]{8} ok',
                 r'KCPP-EDU dma_test 100 rc=0: 100 [0-9a-f]{8} ok',
                 r'KCPP-EDU dma_test 4095 rc=0: 4095 [0-9a-f]{8} ok',
                 r'KCPP-EDU dma_test 4096 rc=1', r'KCPP-EDU irqs 10\b',
                 # Dynamic debug: the call site is listed, prints only while switched on.
                 r'KCPP-EDU dyndbg sites [1-9]', r'KCPP-EDU dyndbg on rc=0', r'KCPP-EDU dyndbg off rc=0',
                 r'KCPP-EDU dyndbg factorial 3 printed 0\b', r'KCPP-EDU dyndbg factorial 4 printed 1\b',
                 r'KCPP-EDU dyndbg factorial 5 printed 0\b',
                 r'KCPP-UNBIND kcpp_edu \S+ rc=0', r'KCPP-BIND kcpp_edu \S+ rc=0'],
    'kcpp_platform': [r'kcpp_platform \S+: child kcpp-platform-ex\.0 over BAR 0 at [0-9a-f]+, 3 interrupts raised',
                      r'kcpp_platform_block kcpp-platform-ex\.0: bound by name \(entry 0\), registers at '
                      r'[0-9a-f]+, test 0 byte at 0x800, irq \d+',
                      r'kcpp_platform_block kcpp-platform-ex\.0: unbind after 3 interrupts',
                      # sysfs unbind of the parent removes the block (unbinding it
                      # first); bind registers it again.
                      r'(?s)3 interrupts raised.*unbind after 3 interrupts.*KCPP-UNBIND kcpp_platform '
                      r'\S+ rc=0.*3 interrupts raised.*KCPP-BIND kcpp_platform \S+ rc=0'],
    'kcpp_misc': [r'kcpp_misc_ring kcpp-misc-ring: /dev/kcpp-ring \(minor \d+\): 4096-byte ring',
                  r'KCPP-MISC device node from sysfs ok',
                  r'KCPP-MISC read returns what was written ok',
                  r'KCPP-MISC a sleeping reader in another process gets the write ok',
                  r'KCPP-MISC a failed read loses nothing ok',
                  r'KCPP-MISC a signal ends a sleeping read with EINTR ok',
                  r'KCPP-MISC a read under SA_RESTART goes on after a signal ok',
                  r'KCPP-MISC a read waiting for another reader goes on after a signal ok',
                  r'KCPP-MISC a writer asleep on a full ring gets ENODEV at unbind ok',
                  r'KCPP-MISC unbind rounds 100\b',
                  r'KCPP-MISC every reader and the open file got ENODEV ok',
                  r'KCPP-MISC done failures=0\b', r'KCPP-MISC exit 0\b',
                  # The 10 ms timer ticked, its work sampled, the delayed work
                  # ran at least 50 ms after the bind; all gone at unbind.
                  r'KCPP-MISC debugfs ticks [1-9]\d+ samples [1-9]\d* max_fill \d+ '
                  r'delayed_work_ms (5\d|[6-9]\d|[1-9]\d\d+) ',
                  r'KCPP-MISC debugfs after unbind: gone'],
    # nova-core on the simulated GA102, nova-drm on it, the libdrm client.
    'nova_sim': [r'nova_sim \S+: simulated GA102: nova-core bound, NovaCore\.nova-drm\.0 registered',
                 r'nova-drm NovaCore\.nova-drm\.0: chipset 0x172, 24576 MiB of VRAM, /dev/dri/renderD128',
                 r'KCPP-NOVA-DRM nova_drm load=0', r'KCPP-NOVA-DRM /dev/dri: .*\brenderD128\b',
                 r'KCPP-NOVA-DRM device \S+ 1b36:0005 /dev/dri/renderD128',
                 *[r'KCPP-NOVA-DRM ' + re.escape(c) + r' ok' for c in NOVA_DRM_CHECKS],
                 r'KCPP-NOVA-DRM done failures=0\b', r'KCPP-NOVA-DRM check exit 0\b',
                 r'KCPP-NOVA-DRM nova_drm unload=0',
                 r'KCPP-UNBIND nova_sim \S+ rc=0', r'KCPP-BIND nova_sim \S+ rc=0'],
    'kcpp_auxiliary': [r'kcpp_aux_parent \S+: registered two auxiliary devices',
                       r'kcpp_auxiliary\.auxiliary\.0: child 0 bound; parent \S+ is 1b36:0005',
                       r'kcpp_auxiliary\.auxiliary\.1: child 1 bound; parent \S+ is 1b36:0005'],
}


def check_boot_log(tally: Tally, tag: str, out: str, modules: Sequence[str]) -> None:
    """The console of one boot of the initramfs (qemu.INIT_SCRIPT): each
    module loaded, was listed, printed what EXPECTED_LOG says and unloaded;
    no finding, no unexpected taint, and init ran to its end."""
    names = [os.path.basename(m)[:-3] for m in modules]
    tally.add(f'{tag}: kernel reached init', 'KCPP-INIT up' in out)
    for name in names:
        tally.add(f'{tag}: {name} loads', f'KCPP-RESULT {name} load=0' in out)
        tally.add(f'{tag}: {name} listed in /proc/modules',
                  re.search(rf'KCPP-MODULE {name} ', out) is not None)
        tally.add(f'{tag}: {name} unloads', f'KCPP-RESULT {name} unload=0' in out)
        for pattern in EXPECTED_LOG.get(name, []):
            tally.add(f'{tag}: {name} logs /{pattern}/', re.search(pattern, out) is not None)
    bad = bad_log_lines(out)
    tally.add(f'{tag}: kernel log free of oopses, warnings and symbol errors', not bad,
              '; '.join(bad[:5]))
    taint = unexpected_taint(out)
    tally.add(f'{tag}: no taint beyond out-of-tree, unsigned and test modules', taint == '',
              'no KCPP-TAINT line' if taint is None else f'tainted: {taint}')
    tally.add(f'{tag}: init finished', 'KCPP-INIT done' in out)


def log_filter_checks(tally: Tally) -> None:
    """The log filter and the taint decoder on lines they must and must not
    flag. The lines are the unit tests' (tests/log_cases.py), which look at
    each one on its own; make check keeps these three checks by their names."""
    from .tests.log_cases import FINDINGS, NOTES, TAINTS
    tally.add('log filter: flags every kind of real finding',
              all(bad_log_lines(l) for l in FINDINGS),
              ' | '.join(l for l in FINDINGS if not bad_log_lines(l)))
    tally.add('log filter: passes timing notes and ordinary lines',
              not any(bad_log_lines(l) for l in NOTES),
              ' | '.join(l for l in NOTES if bad_log_lines(l)))
    tally.add('taint check: O, E and N pass; W and D are named',
              all(unexpected_taint(log) == letters for log, letters in TAINTS))
