#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kcpp-shim-link.sh 'LD FLAGS' NM AR OUT PART.o... -- OBJECT.o...
#
# Links OUT, a module's copy of the kcpp C shim: the PARTs (one object per
# subsystem) that define a symbol one of the module's OBJECTs references and
# does not define itself, and the parts those need in turn. The parts go
# into an archive, and ld takes from it the members that resolve the given
# undefined symbols, as it does for any library (no symbol wanted: an empty
# object). Called by scripts/kcpp.mk.
set -eu

ld=$1 nm=$2 ar=$3 out=$4
shift 4
parts=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	parts="$parts $1"
	shift
done
[ $# -gt 0 ] && shift
awk=${AWK:-awk}

tmp="$(dirname "$out")/.$(basename "$out").tmp"
rm -rf "$tmp"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# nm's output goes to files, so that its exit status is not lost in a pipe.
# shellcheck disable=SC2086
$nm "$@" >"$tmp/module.nm"
# shellcheck disable=SC2086
$nm -g --defined-only $parts >"$tmp/parts.nm"
# What the module's objects reference (strong or weak) and do not define...
$awk '($1 == "U" || $1 == "w" || $1 == "v") && NF == 2 { print $2 }' "$tmp/module.nm" |
	sort -u >"$tmp/undefined"
$awk 'NF == 3 && $2 ~ /^[A-TV-Z]$/ { print $3 }' "$tmp/module.nm" | sort -u >"$tmp/defined"
comm -23 "$tmp/undefined" "$tmp/defined" >"$tmp/wanted"
# ...that a part defines.
$awk 'NF == 3 { print $3 }' "$tmp/parts.nm" | sort -u >"$tmp/offered"
syms=$(comm -12 "$tmp/wanted" "$tmp/offered")

# shellcheck disable=SC2086
$ar rcs "$tmp/parts.a" $parts
undef=
for s in $syms; do
	undef="$undef -u $s"
done
# shellcheck disable=SC2086
$ld -r -o "$out" $undef "$tmp/parts.a"
