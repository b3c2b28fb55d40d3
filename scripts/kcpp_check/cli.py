# SPDX-License-Identifier: GPL-2.0
"""kcpp's test driver: `make check`, `make demo` and the edit-to-result benchmark.

Steps of `check` (each is counted in the closing `N passed, N failed` line):
  1. deps     install the Debian packages that are missing (as root)
  2. kernel   extract linux-source-6.12 into the cache, wire kcpp into it,
              configure and build the KUnit kernel (build log kept)
  3. kunit    run every KUnit suite at boot under QEMU through the kernel's
              own kunit.py (pci-testdev, edu, two NUMA nodes)
  4. stock    build the modules against Debian's stock linux-headers and load
              them on the stock kernel booted under QEMU with a busybox
              initramfs, checking what the kernel log says
The cache lives in $KCPP_CACHE (default ~/.cache/kcpp), outside the repo.
"""

import argparse
from typing import Callable, Optional, Sequence

from .bench import cmd_bench, cmd_bench_edit
from .check import cmd_check
from .clang import cmd_check_clang
from .common import Failure, log
from .debug import cmd_check_debug
from .demo import cmd_demo
from .docs import cmd_docs
from .fastloop import cmd_test
from .fmt import cmd_format
from .tidy import cmd_tidy

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    'check': cmd_check, 'check-debug': cmd_check_debug, 'check-clang': cmd_check_clang, 'demo': cmd_demo, 'tidy': cmd_tidy,
    'bench': cmd_bench, 'docs': cmd_docs, 'bench-edit': cmd_bench_edit, 'format': cmd_format,
    'test': cmd_test}


def parser(prog: Optional[str] = None) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog=prog, description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('check', help='the test command')
    c.add_argument('--no-stock', action='store_true', help='skip the stock-kernel checks')
    c.add_argument('--no-debug', action='store_true', help='skip the sanitizer kernel')
    c.add_argument('--no-clang', action='store_true', help='skip the clang (kCFI) kernel')
    sub.add_parser('check-debug', help='the sanitizer kernel stage alone')
    sub.add_parser('check-clang', help='the clang (kCFI) kernel stage alone')
    sub.add_parser('demo', help='boot the kcpp kernel with the examples')
    sub.add_parser('tidy', help='clang-tidy on every C++ file (compile_commands.json)')
    sub.add_parser('bench', help='kcpp against C benchmarks in one boot')
    sub.add_parser('docs', help='render the API documentation with Doxygen')
    sub.add_parser('format', help='clang-format every C++ file in place')
    t = sub.add_parser('test', help='rebuild and run some suites: make test SUITES=glob or FILE=path')
    t.add_argument('--suites', help="kunit.py's filter glob (suite or suite.case)")
    t.add_argument('--file', help='run the suites that cover this file (doctests, test sources that include it)')
    b = sub.add_parser('bench-edit', help='edit-to-result benchmark')
    b.add_argument('--rounds', type=int, default=3)
    return ap


def main(argv: Optional[Sequence[str]] = None, prog: Optional[str] = None) -> int:
    args = parser(prog).parse_args(argv)
    try:
        return COMMANDS[args.cmd](args)
    except Failure as e:
        log(f'error: {e}')
        if args.cmd in ('check', 'check-debug', 'check-clang'):
            print('0 passed, 1 failed')
        return 1
