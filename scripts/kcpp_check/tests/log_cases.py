# SPDX-License-Identifier: GPL-2.0
"""Kernel log lines the log filter must flag and must pass, and boot-script
taint reports with what the decoder must say. test_logs.py checks each on
its own; make check's three log-filter checks (logs.log_filter_checks) read
the same lists."""

from typing import Optional

# One line of each kind of finding, in the kernel's spelling.
FINDINGS: list[str] = [
    '[    1.5] WARNING: CPU: 0 PID: 1 at lib/foo.c:12 foo+0x1/0x2',
    '[    2.0] BUG: KASAN: slab-use-after-free in kcpp_x',
    '[    2.1] Oops: general protection fault, probably for non-canonical address',
    '[    2.2] kcpp_edu: Unknown symbol kcpp_foo (err -2)',
    '[    2.3] UBSAN: shift-out-of-bounds in drivers/x.c:10:5',
    '[    2.4] BUG: unable to handle page fault for address: 0000000000000008',
    '[    2.5] Call Trace:',
    '[    2.6]  <TASK> Call Trace:',
    '[    2.7] kcpp_hello: disagrees about version of symbol module_layout',
    '[    2.8] kernel BUG at mm/slub.c:435!',
    '[    2.9] general protection fault, probably for non-canonical address 0xdead: 0000 [#1]',
    '[    3.0] BUG: unable to handle kernel NULL pointer dereference at 0000000000000000',
    '[    3.1] kcpp_hello: BTF: failed to validate module BTF',
    '[    3.2] ==================================================================\n'
    '[    3.2] BUG: KASAN: use-after-free in kcpp_box_drop+0x10/0x20',
]

# Lines a clean boot prints: timing notes, and words that hold a finding's
# letters without being one ("loops" holds "oops", "warning-free").
NOTES: list[str] = [
    '[    0.044421] calibrate_delay_direct() failed to get a good estimate for '
    'loops_per_jiffy.',
    '[    0.1] Probably due to long platform interrupts. Consider using "lpj=" boot option.',
    '[    0.2] kcpp_nova_sim: warning-free boot',
    '[    0.3] Booting paravirtualized kernel',
    '[    0.4] Calibrating delay loop (skipped) preset value.. 8000.00 BogoMIPS (lpj=10000000)',
    '[    0.5] kcpp_test_warnings: expected warning 1 of 2 logged, not WARNed',
    '[    0.6] ok 3 kcpp_error',
    '[    0.7] Run /init as init process',
    '[    0.8] KCPP-TAINT after 274432',
    '[    0.9] ACPI: _OSC evaluation for CPUs failed, trying _PDC',
    '[    1.0] debug: unmapping init [mem 0xffffffff82a00000-0xffffffff82bfffff]',
]

# A boot log and the taint letters beyond O, E and N ('' for none; None when
# the boot script's KCPP-TAINT after line is missing).
TAINTS: list[tuple[str, Optional[str]]] = [
    ('KCPP-TAINT after 274432', ''),     # O, E, N: an out-of-tree unsigned module, KUnit
    ('KCPP-TAINT after 12928', 'DW'),    # O, E, W (bit 9) and D (bit 7)
    ('no marker', None),
]
