/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/ioctl.h
 * @brief ioctl command numbers computed at compile time from the argument
 * type: `ioctl::io()`, `ior<T>()`, `iow<T>()`, `iowr<T>()`, and their parts.
 *
 * Wraps `include/uapi/asm-generic/ioctl.h` (`_IO`, `_IOR`, `_IOW`, `_IOWR`,
 * `_IOC_DIR`, `_IOC_SIZE`, ...), with the kernel's own shifts and
 * directions. The size comes from the type, as with the C macros, so a
 * command's number changes when its structure does, and a handler can check
 * that the user's command names the size it expects.
 *
 * @par Examples
 * @code{.cpp}
 * struct Stats {
 *   kcpp::u64 reads;
 *   kcpp::u64 writes;
 *   KCPP_PLAIN_BYTES;
 * };
 * constexpr kcpp::u32 get_stats = kcpp::ioctl::ior<Stats>('k', 1);
 * constexpr kcpp::u32 reset = kcpp::ioctl::io('k', 2);
 * constexpr kcpp::u32 set_limit = kcpp::ioctl::iow<kcpp::u32>('k', 3);
 * // The values C's _IOR('k', 1, struct stats) etc. give on x86:
 * static_assert(get_stats == 0x80106b01u);
 * static_assert(reset == 0x6b02u);
 * static_assert(set_limit == 0x40046b03u);
 * static_assert(kcpp::ioctl::size(get_stats) == sizeof(Stats));
 * static_assert(kcpp::ioctl::dir(get_stats) == kcpp::ioctl::Dir::Read);
 * static_assert(kcpp::ioctl::type(set_limit) == 'k' && kcpp::ioctl::nr(set_limit) == 3);
 * KCPP_ASSERT_EQ(kcpp::ioctl::iowr<Stats>('k', 4) & 0xff, 4u);
 * @endcode
 * An argument too large for the command's size field does not build:
 * @code{.cpp compile_fail}
 * // compile_fail: too large for an ioctl
 * struct Huge {
 *   kcpp::u8 bytes[1 << 14];
 * };
 * constexpr kcpp::u32 cmd = kcpp::ioctl::ior<Huge>('k', 1);
 * @endcode
 */
#ifndef KCPP_IOCTL_H
#define KCPP_IOCTL_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>

namespace kcpp::ioctl {

/** @brief Which way the argument goes, from user space's point of view. */
enum class Dir : u32 {
  None = KCPP__IOC_NONE,                         ///< No argument copied.
  Write = KCPP__IOC_WRITE,                       ///< User space writes it: the driver reads it.
  Read = KCPP__IOC_READ,                         ///< User space reads it: the driver writes it.
  ReadWrite = KCPP__IOC_READ | KCPP__IOC_WRITE,  ///< Both.
};

/// @cond KCPP_INTERNAL
namespace detail {
consteval u32 make(Dir d, u32 type, u32 nr, usize size) {
  return (static_cast<u32>(d) << KCPP__IOC_DIRSHIFT) | (type << KCPP__IOC_TYPESHIFT) |
         (nr << KCPP__IOC_NRSHIFT) | (static_cast<u32>(size) << KCPP__IOC_SIZESHIFT);
}
template <typename T>
consteval usize arg_size() {
  static_assert(sizeof(T) < (usize(1) << KCPP__IOC_SIZEBITS),
                "kcpp: this argument type is too large for an ioctl's size field (16 KiB)");
  return sizeof(T);
}
}  // namespace detail
/// @endcond

/** @brief `_IO(type, nr)`: a command without argument. */
consteval u32 io(u32 type, u32 nr) {
  return detail::make(Dir::None, type & 0xff, nr & 0xff, 0);
}
/** @brief `_IOR(type, nr, T)`: the driver writes a @p T to user space. */
template <typename T>
consteval u32 ior(u32 type, u32 nr) {
  return detail::make(Dir::Read, type & 0xff, nr & 0xff, detail::arg_size<T>());
}
/** @brief `_IOW(type, nr, T)`: the driver reads a @p T from user space. */
template <typename T>
consteval u32 iow(u32 type, u32 nr) {
  return detail::make(Dir::Write, type & 0xff, nr & 0xff, detail::arg_size<T>());
}
/** @brief `_IOWR(type, nr, T)`: both ways. */
template <typename T>
consteval u32 iowr(u32 type, u32 nr) {
  return detail::make(Dir::ReadWrite, type & 0xff, nr & 0xff, detail::arg_size<T>());
}
/** @brief `_IOC_DIR(cmd)`. */
constexpr Dir dir(u32 cmd) {
  return static_cast<Dir>((cmd >> KCPP__IOC_DIRSHIFT) & ((1u << KCPP__IOC_DIRBITS) - 1));
}
/** @brief `_IOC_TYPE(cmd)`. */
constexpr u32 type(u32 cmd) {
  return (cmd >> KCPP__IOC_TYPESHIFT) & 0xff;
}
/** @brief `_IOC_NR(cmd)`. */
constexpr u32 nr(u32 cmd) {
  return (cmd >> KCPP__IOC_NRSHIFT) & 0xff;
}
/** @brief `_IOC_SIZE(cmd)`. */
constexpr usize size(u32 cmd) {
  return (cmd >> KCPP__IOC_SIZESHIFT) & ((1u << KCPP__IOC_SIZEBITS) - 1);
}

}  // namespace kcpp::ioctl

#endif  // KCPP_IOCTL_H
