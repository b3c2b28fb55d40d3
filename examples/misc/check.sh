#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# User-space check of kcpp_misc, run by make check's boot scripts (busybox
# sh) while the module is loaded: ringtest drives /dev/kcpp-ring, then
# unbinds its platform driver 100 times under a sleeping reader.
/checks/ringtest 100
echo "KCPP-MISC exit $?"
rm -f /dev/kcpp-ring
