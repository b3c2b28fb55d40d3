# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the kcpp_check package: make check runs them (pycheck.py),
each test one check; by hand, from the repository root:

  python3 -m unittest discover -s scripts/kcpp_check/tests -t scripts
"""
