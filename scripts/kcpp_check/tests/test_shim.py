# SPDX-License-Identifier: GPL-2.0
"""The shim-part check: nm parsing, the closure of needed parts, and the
comparison with what a module defines."""

import os
import tempfile
import unittest
from typing import Iterable

from kcpp_check import shim

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
        files = {'m.ko', 'm.mod', 'main.o', 'other-kcpp-shim-dma.o'}
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

    def test_a_missing_part_fails(self) -> None:
        ko, table = self.module({'init_module', 'kcpp_pci_driver_register', 'kcpp_kfree'})
        self.assertIsNotNone(shim.check_module(ko, self.symbols_of(table)))


if __name__ == '__main__':
    unittest.main()
