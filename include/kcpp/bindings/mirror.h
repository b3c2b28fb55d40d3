/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/bindings/mirror.h
 * @brief Building blocks of the C structures C++ lays out itself.
 *
 * Some kernel structures are tables of callbacks that must live in static
 * storage and outlive every object that points at them (a misc device's
 * `struct file_operations`, a DRM driver's `struct drm_driver`). C++ builds
 * them at compile time as mirror structures: the fields kcpp sets, at the
 * offsets constants.c gives for the configured kernel, with `Gap`s between
 * them. Each mirror static_asserts its size and every offset, so a kernel
 * whose layout differs (a randomized one, say) does not build.
 */
#ifndef KCPP_BINDINGS_MIRROR_H
#define KCPP_BINDINGS_MIRROR_H

#include <kcpp/core/types.h>

/// @cond KCPP_INTERNAL
namespace kcpp::bindings {
// N bytes kcpp leaves zero, as C leaves the fields it does not name; an
// empty gap takes no space ([[no_unique_address]] at the use). Each gap of
// a mirror has its own Tag: two empty members of one type may not share an
// address, so a second empty Gap<0> would be placed past the first (after
// the last field, it would grow the structure).
template <usize N, usize Tag>
struct Gap {
  u8 bytes[N];
};
template <usize Tag>
struct Gap<0, Tag> {};
}  // namespace kcpp::bindings
/// @endcond

#endif  // KCPP_BINDINGS_MIRROR_H
