#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# nova-drm from user space, run by make check's boot scripts (busybox sh)
# while nova_sim (nova-core on a simulated GA102) is loaded: nova_drm binds
# its auxiliary device, the render node appears in devtmpfs, and the libdrm
# client checks it (tests/nova_drm_client.c). The boot's command line may
# ask for more: kcpp_drm_fuzz=N random ioctls after the checks (the
# sanitizer kernel), kcpp_drm_bench=N timed round trips instead of the
# checks (make bench), kcpp_drm_demo=1 the demo's lines first (make demo).
# Every line printed goes to the kernel's log.
insmod /modules/nova_drm.ko
echo "KCPP-NOVA-DRM nova_drm load=$?"
echo "KCPP-NOVA-DRM /dev/dri: $(ls /dev/dri 2>&1 | tr '\n' ' ')"
# make demo: what a user would look at, first.
[ -n "$kcpp_drm_demo" ] && /checks/nova_drm_client demo
if [ -n "$kcpp_drm_bench" ]; then
  /checks/nova_drm_client bench "$kcpp_drm_bench"
else
  # The simulated GA102: chipset 0x172, 24 GiB of VRAM in the GSP's static info.
  /checks/nova_drm_client check 0x172 24576 /modules/nova_sim.ko
  echo "KCPP-NOVA-DRM check exit $?"
  if [ -n "$kcpp_drm_fuzz" ]; then
    /checks/nova_drm_client fuzz "$kcpp_drm_fuzz" 1
    echo "KCPP-NOVA-DRM fuzz exit $?"
  fi
fi
rmmod nova_drm
echo "KCPP-NOVA-DRM nova_drm unload=$?"
