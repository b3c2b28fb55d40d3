#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kcpp-shim-link.sh 'LD FLAGS' NM AR OUT PART.o... -- OBJECT.o...
#
# Links OUT, a module's copy of the kcpp C shim: the PARTs (one object per
# subsystem) that define a symbol one of the module's OBJECTs references,
# and the parts those need in turn. The parts go into an archive, and ld
# takes from it the members that resolve the given undefined symbols, as it
# does for any library (no symbol wanted: an empty object). Called by
# scripts/kcpp.mk.
set -eu

ld=$1 nm=$2 ar=$3 out=$4
shift 4
parts=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	parts="$parts $1"
	shift
done
[ $# -gt 0 ] && shift

dir=$(dirname "$out")
lib="$dir/.$(basename "$out").a"
want="$dir/.$(basename "$out").want"
trap 'rm -f "$lib" "$want" "$want.def"' EXIT

# What the module's objects reference (strong and weak) that a part defines.
# shellcheck disable=SC2086
$nm -u "$@" | awk '$1 == "U" || $1 == "w" { print $2 }' | sort -u >"$want"
# shellcheck disable=SC2086
$nm -g --defined-only $parts | awk 'NF == 3 { print $3 }' | sort -u >"$want.def"
syms=$(comm -12 "$want" "$want.def")

rm -f "$lib"
# shellcheck disable=SC2086
$ar rcs "$lib" $parts
undef=
for s in $syms; do
	undef="$undef -u $s"
done
# shellcheck disable=SC2086
$ld -r -o "$out" $undef "$lib"
