# SPDX-License-Identifier: GPL-2.0
"""logs.py: the kernel-log filter, the taint decoder, the build-log warning
filter, the sanitizer and test-only-symbol filters, and the checks of one
boot's console (what each module prints, and in which order)."""

import unittest

from kcpp_check import logs
from kcpp_check.tests.helpers import RecordingTally
from kcpp_check.tests.log_cases import FINDINGS, NOTES, TAINTS


class BadLogLines(unittest.TestCase):
    def test_flags_every_finding(self) -> None:
        for line in FINDINGS:
            with self.subTest(line=line):
                self.assertTrue(logs.bad_log_lines(line))

    def test_passes_notes_and_ordinary_lines(self) -> None:
        for line in NOTES:
            with self.subTest(line=line):
                self.assertEqual(logs.bad_log_lines(line), [])

    def test_returns_just_the_bad_lines_of_a_log(self) -> None:
        log = '\n'.join([NOTES[0], FINDINGS[0], NOTES[1], FINDINGS[4]])
        self.assertEqual(logs.bad_log_lines(log), [FINDINGS[0], FINDINGS[4]])

    def test_case_and_word_boundaries_count(self) -> None:
        # The kernel's own spellings only: a driver saying "warning:" in
        # lower case, or "Oopsie", is not the kernel reporting a problem.
        for line in ('kcpp_x: warning: low battery', 'Oopsie', 'DEBUG: x', 'MYBUG: y'):
            with self.subTest(line=line):
                self.assertEqual(logs.bad_log_lines(line), [])


class Taint(unittest.TestCase):
    def test_the_shared_cases(self) -> None:
        for log, letters in TAINTS:
            with self.subTest(log=log):
                self.assertEqual(logs.unexpected_taint(log), letters)

    def test_no_taint_at_all(self) -> None:
        self.assertEqual(logs.unexpected_taint('KCPP-TAINT after 0'), '')

    def test_the_after_line_counts_not_the_before_line(self) -> None:
        log = 'KCPP-TAINT before 512\nKCPP-TAINT after 4096'
        self.assertEqual(logs.unexpected_taint(log), '')
        self.assertEqual(logs.unexpected_taint('KCPP-TAINT before 0\nKCPP-TAINT after 512'), 'W')

    def test_each_letter_is_its_bit(self) -> None:
        for bit, letter in enumerate(logs.TAINT_LETTERS):
            with self.subTest(letter=letter):
                expected = '' if (1 << bit) & logs.ALLOWED_TAINT else letter
                self.assertEqual(logs.unexpected_taint(f'KCPP-TAINT after {1 << bit}'), expected)

    def test_a_bit_without_a_letter_is_given_as_a_number(self) -> None:
        self.assertEqual(logs.unexpected_taint(f'KCPP-TAINT after {1 << 20}'), str(1 << 20))


class BuildWarnings(unittest.TestCase):
    WARNINGS = [
        'kcpp/tests/core_test.cpp:12:5: warning: unused variable ‘x’ [-Wunused-variable]',
        'ld: warning: orphan section `.text._ZN4kcpp3fooEv\' from `x.o\' being placed',
        'vmlinux.o: warning: objtool: kcpp_foo+0x12: call to memset() leaves .noinstr.text',
        'kcpp_hello.o: objtool: missing symbol for section .text',
        'error while encoding BTF for kcpp_hello.ko',
        'BTF: .tmp_vmlinux.btf: pahole (pahole) is not BTF-valid: invalid',
        'die__process_unit: DW_TAG_template_value_parameter (0x30) @ <0x1a> not handled!',
        "cc1plus: warning: command-line option '-Wstrict-prototypes' is valid for C/ObjC but "
        'not for C++',
        'Warning: something the linker says',
    ]
    ORDINARY = [
        '  CXX [M]  kcpp/examples/hello/hello.o',
        '  CXX     kcpp/tests/warning_test.o',
        '  BTF [M] kcpp/examples/hello/kcpp_hello.ko',
        '  LD [M]  kcpp/examples/hello/kcpp_hello.ko',
        'Kernel: arch/x86/boot/bzImage is ready  (#1)',
    ]

    def test_flags_each_kind_of_warning(self) -> None:
        for line in self.WARNINGS:
            with self.subTest(line=line):
                self.assertEqual(logs.warnings_in(line), [line])

    def test_passes_ordinary_build_lines(self) -> None:
        self.assertEqual(logs.warnings_in('\n'.join(self.ORDINARY)), [])

    def test_returns_the_warning_lines_in_order(self) -> None:
        text = '\n'.join([self.ORDINARY[0], self.WARNINGS[2], self.ORDINARY[1], self.WARNINGS[0]])
        self.assertEqual(logs.warnings_in(text), [self.WARNINGS[2], self.WARNINGS[0]])


class SanitizerReports(unittest.TestCase):
    def test_flags_reports(self) -> None:
        for line in ('BUG: KFENCE: out-of-bounds read in kcpp_x', 'ODEBUG: free active object',
                     'WARNING: possible circular locking dependency detected',
                     'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)',
                     'unreferenced object 0xffff888003c0 (size 64):',
                     'BUG: sleeping function called from invalid context at mm/slab.h:1'):
            with self.subTest(line=line):
                self.assertEqual(logs.sanitizer_reports(line), [line])

    def test_passes_ordinary_lines(self) -> None:
        text = 'kmemleak: Kernel memory leak detector initialized\nKCPP-KMEMLEAK scanned'
        self.assertEqual(logs.sanitizer_reports(text), [])


class TestOnlySymbols(unittest.TestCase):
    NM = '\n'.join([
        '0000000000000000 T init_module',
        '0000000000000010 T kcpp_fault_arm',
        '0000000000000020 t kcpp_fault_injection_available',
        '0000000000000030 T _ZN4nova3sim6Gpu3simEv',
        '0000000000000040 T kcpp_test_helper_alloc',
        '                 U bus_to_virt',
        '0000000000000050 T kcpp_dev_name',
        '0000000000000060 d __UNIQUE_ID_license',
        '',
    ])

    def test_the_fault_injection_hooks_are_test_only(self) -> None:
        self.assertIn('kcpp_fault_arm', logs.test_only_symbols(self.NM))

    def test_flags_each_test_only_name_once_sorted(self) -> None:
        self.assertEqual(logs.test_only_symbols(self.NM),
                         ['_ZN4nova3sim6Gpu3simEv', 'bus_to_virt', 'kcpp_fault_arm',
                          'kcpp_fault_injection_available', 'kcpp_test_helper_alloc'])

    def test_a_module_without_test_code_has_none(self) -> None:
        self.assertEqual(logs.test_only_symbols('0 T init_module\n0 T kcpp_dev_name\n'), [])


def boot_console(*middle: str) -> str:
    """The console of a boot that loads kcpp_pci_testdev, with middle between
    its load and its unload."""
    return '\n'.join([
        'KCPP-INIT up 6.12.0', 'KCPP-TAINT before 0',
        'KCPP-RESULT kcpp_pci_testdev load=0',
        'KCPP-MODULE kcpp_pci_testdev 16384 0 - Live 0x0 (OE)',
        *middle,
        'KCPP-RESULT kcpp_pci_testdev unload=0',
        'KCPP-TAINT after 12288', 'KCPP-INIT done'])


PROBE: tuple[str, ...] = (
    'kcpp_pci_testdev 0000:00:02.0: pci-testdev data-match count: 1',
    'kcpp_pci_testdev 0000:00:02.0: config: vendor 1b36 revision 0 bar0 fe000000')
UNBIND: tuple[str, ...] = (
    'kcpp_pci_testdev 0000:00:02.0: unbind', 'KCPP-UNBIND kcpp_pci_testdev 0000:00:02.0 rc=0')
BIND: tuple[str, ...] = ('KCPP-BIND kcpp_pci_testdev 0000:00:02.0 rc=0',)
ORDER: str = 'kcpp_pci_testdev logs /' + logs.EXPECTED_LOG['kcpp_pci_testdev'][-1] + '/'


class BootLog(unittest.TestCase):
    def checks(self, console: str) -> RecordingTally:
        tally = RecordingTally()
        logs.check_boot_log(tally, 't', console, ['/x/kcpp_pci_testdev.ko'])
        return tally

    def test_a_clean_boot_passes_every_check(self) -> None:
        tally = self.checks(boot_console(*PROBE, *UNBIND, PROBE[0], *BIND))
        self.assertEqual(tally.failures, [])
        # Load, /proc/modules, unload, each EXPECTED_LOG pattern, log, taint, init twice.
        self.assertEqual(len(tally.checks), 3 + len(logs.EXPECTED_LOG['kcpp_pci_testdev']) + 4)

    def test_the_probe_between_unbind_and_bind_markers_is_in_order(self) -> None:
        # The bind marker is written once the write to sysfs bind returned,
        # so the probe it ran comes before it: as in a real boot's console.
        tally = self.checks(boot_console(*PROBE, *UNBIND, PROBE[0], *BIND))
        self.assertTrue(tally.checks['t: ' + ORDER])

    def test_out_of_order_fails_the_order_check_alone(self) -> None:
        # Every line is there, but the second probe's after the bind marker:
        # writing to sysfs bind returned before the driver probed again.
        tally = self.checks(boot_console(*PROBE, *UNBIND, *BIND, PROBE[0]))
        self.assertEqual(tally.failures, ['t: ' + ORDER])

    def test_a_missing_probe_after_bind_fails(self) -> None:
        tally = self.checks(boot_console(*PROBE, *UNBIND, *BIND))
        self.assertIn('t: ' + ORDER, tally.failures)

    def test_a_finding_and_a_taint_fail(self) -> None:
        console = boot_console(*PROBE, *UNBIND, PROBE[0], *BIND, FINDINGS[0])
        tally = self.checks(console.replace('KCPP-TAINT after 12288', 'KCPP-TAINT after 12800'))
        self.assertEqual(tally.failures,
                         ['t: kernel log free of oopses, warnings and symbol errors',
                          't: no taint beyond out-of-tree, unsigned and test modules'])
        self.assertEqual(tally.details['t: no taint beyond out-of-tree, unsigned and test modules'],
                         'tainted: W')

    def test_a_boot_that_stops_early_fails(self) -> None:
        console = boot_console(*PROBE, *UNBIND, PROBE[0], *BIND)
        tally = self.checks(console[:console.index('KCPP-RESULT kcpp_pci_testdev unload=0')])
        self.assertEqual(tally.failures, [
            't: kcpp_pci_testdev unloads',
            't: no taint beyond out-of-tree, unsigned and test modules', 't: init finished'])
        self.assertEqual(tally.details['t: no taint beyond out-of-tree, unsigned and test modules'],
                         'no KCPP-TAINT line')


class LogFilterChecks(unittest.TestCase):
    def test_make_checks_three_checks_pass(self) -> None:
        tally = RecordingTally()
        logs.log_filter_checks(tally)
        self.assertEqual(tally.checks, {
            'log filter: flags every kind of real finding': True,
            'log filter: passes timing notes and ordinary lines': True,
            'taint check: O, E and N pass; W and D are named': True})


if __name__ == '__main__':
    unittest.main()
