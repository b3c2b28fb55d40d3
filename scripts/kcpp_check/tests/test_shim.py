# SPDX-License-Identifier: GPL-2.0
"""The shim-part check: nm parsing, the closure of needed parts, and the
comparison with what a module defines."""

import os
import subprocess
import tempfile
import unittest
from typing import Iterable

from kcpp_check import shim
from kcpp_check.common import SCRIPTS

SCRIPT = os.path.join(SCRIPTS, 'kcpp-shim-link.sh')

NM_OUT = '''
kcpp_edu-kcpp-shim-pci.o:
0000000000000000 T kcpp_pci_set_master
0000000000000010 t kcpp_pci_probe
                 U kcpp_kmalloc_node
                 w __cxa_pure_virtual
0000000000000000 D kcpp_pci_table
0000000000000000 b kcpp_local
'''


class ParseNm(unittest.TestCase):
    def test_global_defined_and_undefined(self) -> None:
        defined, undefined = shim.parse_nm(NM_OUT)
        self.assertEqual(defined, {'kcpp_pci_set_master', 'kcpp_pci_table'})
        self.assertEqual(undefined, {'kcpp_kmalloc_node', '__cxa_pure_virtual'})


PARTS: dict[str, shim.Symbols] = {
    'alloc': ({'kcpp_kmalloc_node', 'kcpp_kfree'}, {'__kmalloc_node'}),
    'sysfs': ({'kcpp_attr_set_new'}, {'kcpp_kmalloc_node'}),
    'pci': ({'kcpp_pci_driver_register'}, {'kcpp_attr_set_new', '__pci_register_driver'}),
    'dma': ({'kcpp_dma_set_mask'}, {'dma_set_mask'}),
    'runtime': ({'_ZdlPv'}, {'kfree'}),
}


class NeededParts(unittest.TestCase):
    def test_parts_needed_in_turn_are_taken(self) -> None:
        # pci needs sysfs, which needs alloc: three parts for one symbol.
        self.assertEqual(shim.needed_parts({'kcpp_pci_driver_register'}, PARTS),
                         {'pci', 'sysfs', 'alloc'})

    def test_kernel_symbols_take_nothing(self) -> None:
        self.assertEqual(shim.needed_parts({'_printk', 'kfree'}, PARTS), set())

    def test_present_parts(self) -> None:
        self.assertEqual(shim.present_parts({'kcpp_kfree', '_ZdlPv', 'init_module'}, PARTS),
                         {'alloc', 'runtime'})


class CheckModule(unittest.TestCase):
    def module(self, ko_defines: set[str]) -> tuple[str, dict[str, shim.Symbols]]:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        d = tmp.name
        files = {'m.ko', 'm.mod', 'main.o'}
        files |= {f'm-kcpp-shim-{p}.o' for p in PARTS}
        for f in files:
            with open(os.path.join(d, f), 'w') as fh:
                fh.write(os.path.join(d, 'main.o') + '\n' + os.path.join(d, 'm-kcpp-shim.o')
                         if f == 'm.mod' else '')
        table: dict[str, shim.Symbols] = {os.path.join(d, 'main.o'): (
            {'init_module'}, {'kcpp_pci_driver_register', '_ZdlPv'})}
        table[os.path.join(d, 'm.ko')] = (ko_defines, set())
        for p, syms in PARTS.items():
            table[os.path.join(d, f'm-kcpp-shim-{p}.o')] = syms
        return os.path.join(d, 'm.ko'), table

    def symbols_of(self, table: dict[str, shim.Symbols]):  # type: ignore[no-untyped-def]
        def symbols(paths: Iterable[str]) -> shim.Symbols:
            defined: set[str] = set()
            undefined: set[str] = set()
            for p in paths:
                defined |= table[p][0]
                undefined |= table[p][1]
            return defined, undefined
        return symbols

    def test_exactly_the_needed_parts(self) -> None:
        ko, table = self.module({'init_module', 'kcpp_pci_driver_register', 'kcpp_attr_set_new',
                                 'kcpp_kfree', 'kcpp_kmalloc_node', '_ZdlPv'})
        self.assertIsNone(shim.check_module(ko, self.symbols_of(table)))

    def test_an_unneeded_part_fails(self) -> None:
        ko, table = self.module({'init_module', 'kcpp_pci_driver_register', 'kcpp_attr_set_new',
                                 'kcpp_kfree', '_ZdlPv', 'kcpp_dma_set_mask'})
        problem = shim.check_module(ko, self.symbols_of(table))
        self.assertIsNotNone(problem)
        assert problem is not None
        self.assertIn("'dma'", problem)

    def test_what_the_module_defines_is_not_needed(self) -> None:
        # A module with its own operator delete takes no runtime part.
        ko, table = self.module({'init_module', 'kcpp_pci_driver_register', 'kcpp_attr_set_new',
                                 'kcpp_kfree', 'kcpp_kmalloc_node', '_ZdlPv'})
        main = next(p for p in table if p.endswith('main.o'))
        table[main] = ({'init_module', '_ZdlPv'}, {'kcpp_pci_driver_register', '_ZdlPv'})
        problem = shim.check_module(ko, self.symbols_of(table))
        self.assertIsNotNone(problem)
        assert problem is not None
        self.assertIn("needs ['alloc', 'pci', 'sysfs']", problem)

    def test_a_missing_part_fails(self) -> None:
        ko, table = self.module({'init_module', 'kcpp_pci_driver_register', 'kcpp_kfree'})
        self.assertIsNotNone(shim.check_module(ko, self.symbols_of(table)))


class LinkScript(unittest.TestCase):
    """scripts/kcpp-shim-link.sh on objects compiled here: what it links."""

    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.d = tmp.name
        sources = {
            'part-a.c': 'int kcpp_a(void) { return 1; }\n',
            'part-b.c': 'int kcpp_a(void); int kcpp_b(void) { return kcpp_a() + 1; }\n',
            'part-c.c': 'int kcpp_c(void) { return 3; }\n',
            'uses-b.c': 'int kcpp_b(void); int init(void) { return kcpp_b(); }\n',
            'defines-a.c': 'int kcpp_a(void) { return 7; } int init(void) { return kcpp_a(); }\n',
            'uses-none.c': 'int init(void) { return 0; }\n',
        }
        for name, text in sources.items():
            with open(os.path.join(self.d, name), 'w') as f:
                f.write(text)
            subprocess.run(['cc', '-c', '-o', os.path.join(self.d, name[:-2] + '.o'),
                            os.path.join(self.d, name)], check=True)

    def link(self, module: str) -> 'subprocess.CompletedProcess[str]':
        parts = [os.path.join(self.d, f'part-{p}.o') for p in 'abc']
        return subprocess.run(['sh', SCRIPT, 'ld', 'nm', 'ar', os.path.join(self.d, 'out.o'), *parts, '--',
                               os.path.join(self.d, module)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    def defined(self) -> set[str]:
        out = subprocess.run(['nm', '-g', '--defined-only', os.path.join(self.d, 'out.o')],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             check=True).stdout
        return {line.split()[2] for line in out.splitlines() if len(line.split()) == 3}

    def test_the_parts_needed_in_turn(self) -> None:
        self.assertEqual(self.link('uses-b.o').returncode, 0)
        self.assertEqual(self.defined(), {'kcpp_a', 'kcpp_b'})

    def test_a_symbol_the_module_defines_is_not_taken(self) -> None:
        self.assertEqual(self.link('defines-a.o').returncode, 0)
        self.assertEqual(self.defined(), set())

    def test_nothing_needed_gives_an_empty_object(self) -> None:
        self.assertEqual(self.link('uses-none.o').returncode, 0)
        self.assertEqual(self.defined(), set())

    def test_an_nm_failure_fails_the_link(self) -> None:
        r = self.link('missing.o')
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.d, 'out.o')))


if __name__ == '__main__':
    unittest.main()
