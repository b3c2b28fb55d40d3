#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wire-kernel.sh SRCTREE REPO: makes kcpp part of a kernel source tree.
# $SRCTREE/kcpp becomes a link to REPO, the top-level Kconfig sources
# kcpp/Kconfig and the top-level Kbuild descends into kcpp/. Idempotent:
# running it again only re-points the link (a fresh clone elsewhere).
set -euo pipefail
srctree=$1
repo=$(cd "$2" && pwd)

[ -f "$srctree/Kbuild" ] && [ -f "$srctree/Kconfig" ] || {
  echo "wire-kernel: $srctree is not a kernel source tree" >&2
  exit 1
}

if [ "$(readlink "$srctree/kcpp" 2>/dev/null)" != "$repo" ]; then
  rm -f "$srctree/kcpp"
  ln -s "$repo" "$srctree/kcpp"
fi

grep -q '^source "kcpp/Kconfig"' "$srctree/Kconfig" ||
  printf '\nsource "kcpp/Kconfig"\n' >>"$srctree/Kconfig"
grep -q '^obj-\$(CONFIG_KCPP)' "$srctree/Kbuild" ||
  printf '\nobj-$(CONFIG_KCPP)\t+= kcpp/\n' >>"$srctree/Kbuild"
