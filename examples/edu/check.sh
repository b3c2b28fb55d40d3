#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# User-space check of the kcpp_edu driver, run by make check's boot scripts
# (busybox sh) while the module is loaded. Prints KCPP-EDU lines the check
# compares with what they must be.
for d in /sys/bus/pci/drivers/kcpp_edu/0000:*; do
  [ -e "$d/factorial" ] || continue
  for n in 0 5 10 12; do
    echo "$n" > "$d/factorial"
    echo "KCPP-EDU factorial $n = $(cat "$d/factorial")"
  done
  echo 13 > "$d/factorial" 2>/dev/null; echo "KCPP-EDU factorial 13 rc=$?"
  echo abc > "$d/factorial" 2>/dev/null; echo "KCPP-EDU factorial abc rc=$?"
  for size in 1 100 4095; do
    echo "$size" > "$d/dma_test"; rc=$?
    echo "KCPP-EDU dma_test $size rc=$rc: $(cat "$d/dma_test")"
  done
  echo 4096 > "$d/dma_test" 2>/dev/null; echo "KCPP-EDU dma_test 4096 rc=$?"
  echo "KCPP-EDU irqs $(cat "$d/irqs")"
  # Dynamic debug: the driver's debug call sites are listed, off by default,
  # and switched on and off at run time. dmesg is the one ordered stream
  # (and the console does not show KERN_DEBUG).
  ctl=/sys/kernel/debug/dynamic_debug/control
  [ -e "$ctl" ] || mount -t debugfs debugfs /sys/kernel/debug
  echo "KCPP-EDU dyndbg sites $(grep -c '\[kcpp_edu\]' "$ctl")"
  echo 3 > "$d/factorial"
  echo 'module kcpp_edu +p' > "$ctl"; echo "KCPP-EDU dyndbg on rc=$?"
  echo 4 > "$d/factorial"
  echo 'module kcpp_edu -p' > "$ctl"; echo "KCPP-EDU dyndbg off rc=$?"
  echo 5 > "$d/factorial"
  for n in 3 4 5; do
    echo "KCPP-EDU dyndbg factorial $n printed $(dmesg | grep -c "factorial($n) = .* by interrupt")"
  done
done
