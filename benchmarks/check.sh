#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench's user-space part, run while kcpp_bench is loaded: read/write
# syscalls on the kcpp and the C misc devices.
/checks/misc_bench
rm -f /dev/kcpp-bench-cpp /dev/kcpp-bench-c
