# SPDX-License-Identifier: GPL-2.0
"""kcpp's test driver (make check, demo, bench, tidy, docs), one module per
stage, shaped like the kernel's own kunit tooling:

  cli       the command line (scripts/kcpp-check, python3 -m kcpp_check)
  check     make check: every stage below in order, one tally
  common    paths, running commands, Failure, the Tally
  deps      the Debian packages
  kernel    the 6.12 source with kcpp wired in, the KUnit kernel build
  kunit     kunit.py runs, its JSON counted, the suites the build links
  doctests  what the build did with the doc examples, the doctest selftest
  qemu      initramfs and boots under QEMU
  logs      text in, findings out: build warnings, kernel log, taint
  stock     modules against Debian's stock kernel, install and dkms
  debug     the sanitizer kernel (make check-debug)
  tidy      compile_commands.json and clang-tidy (make tidy)
  docs      Doxygen (make docs)
  demo      make demo
  bench     make bench, make bench-edit
  safety    the SAFETY-comment scan of the C++ sources
  checkpatch checkpatch.pl --strict over the C files (.checkpatch.conf)
  pycheck   mypy and the unit tests (tests/) of this package
  cpp       C++ source text as code only, for the scans
"""
