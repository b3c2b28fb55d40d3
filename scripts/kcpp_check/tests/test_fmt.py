# SPDX-License-Identifier: GPL-2.0
"""fmt.py: which files are C++, and that an unformatted file is caught."""

import os
import shutil
import subprocess
import tempfile
import unittest

from kcpp_check import fmt


class Files(unittest.TestCase):
    def test_cxx_sources_without_the_c_headers(self) -> None:
        tracked = ['include/kcpp/kvec.h', 'tests/pci_test.cpp', 'include/kcpp/bindings/bindings.h',
                   'include/kcpp/bindings/lists.h', 'tests/alloc_c_helpers.h',
                   'include/kcpp/bindings/shim/alloc.c', 'README.md', 'benchmarks/nova_c.h']
        self.assertEqual(fmt.cxx_files(tracked), ['include/kcpp/kvec.h', 'tests/pci_test.cpp'])


@unittest.skipUnless(shutil.which(fmt.CLANG_FORMAT), f'{fmt.CLANG_FORMAT} is not installed')
class Unformatted(unittest.TestCase):
    def test_only_the_file_clang_format_would_change(self) -> None:
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(os.path.join(repo, '.clang-format'), d)
            with open(os.path.join(d, 'good.cpp'), 'w') as f:
                f.write('int f(int x) {\n  return x + 1;\n}\n')
            with open(os.path.join(d, 'bad.cpp'), 'w') as f:
                f.write('int  f(int x){return x+1;}\n')
            self.assertEqual(fmt.unformatted(['good.cpp', 'bad.cpp'], d), ['bad.cpp'])
