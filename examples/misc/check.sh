#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# User-space check of kcpp_misc, run by make check's boot scripts (busybox
# sh) while the module is loaded: the binding's timer and work items as
# debugfs shows them, then ringtest, which drives /dev/kcpp-ring and
# unbinds its platform driver 100 times under a sleeping reader.
dbg=/sys/kernel/debug
[ -d "$dbg/kcpp-ring" ] || mount -t debugfs debugfs "$dbg"
usleep 300000
echo "KCPP-MISC debugfs $(tr '\n' ' ' < "$dbg/kcpp-ring/activity")"
/checks/ringtest 100
echo "KCPP-MISC exit $?"
# The directory goes with the binding.
drv=/sys/bus/platform/drivers/kcpp_misc_ring
echo kcpp-misc-ring > "$drv/unbind"
[ -e "$dbg/kcpp-ring/activity" ] && echo "KCPP-MISC debugfs after unbind: present" ||
  echo "KCPP-MISC debugfs after unbind: gone"
echo kcpp-misc-ring > "$drv/bind"
rm -f /dev/kcpp-ring
