/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/drm/ioctl.h
 * @brief A DRM driver's ioctl table: each entry names its command, its
 * uapi argument type, its flags and its handler, checked at compile time.
 *
 * Part of `kcpp/drm.h`, which includes every part and opens with the tour
 * of the DRM API; include that header, not this one.
 *
 * Wraps `struct drm_ioctl_desc` (`DRM_IOCTL_DEF_DRV()`). The DRM core's
 * `drm_ioctl()` copies the argument in before the handler runs and out
 * after it, so a handler gets a kernel copy of exactly its uapi struct and
 * never a user pointer.
 */
#ifndef KCPP_DRM_IOCTL_H
#define KCPP_DRM_IOCTL_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/types.h>
#include <kcpp/drm/device.h>
#include <kcpp/ioctl.h>

namespace kcpp::drm {

/** @brief Who may call an ioctl (`enum drm_ioctl_flags`); combine with `|`. */
/// A render driver's commands are usually `Auth | RenderAllow`: on the
/// primary node, `None` lets unauthenticated clients in too.
enum class IoctlFlags : u32 {
  None = 0,                             ///< Any client of the primary node, authenticated or not.
  Auth = KCPP_DRM_AUTH,                 ///< An authenticated client (render nodes need none).
  Master = KCPP_DRM_MASTER,             ///< The DRM master only.
  RootOnly = KCPP_DRM_ROOT_ONLY,        ///< CAP_SYS_ADMIN only.
  RenderAllow = KCPP_DRM_RENDER_ALLOW,  ///< Also on the render node.
};
/** @brief Both flags. */
constexpr IoctlFlags operator|(IoctlFlags a, IoctlFlags b) {
  return static_cast<IoctlFlags>(static_cast<u32>(a) | static_cast<u32>(b));
}

/// @cond KCPP_INTERNAL
namespace detail {
// Not constexpr: a constant evaluation that reaches it does not compile.
void driver_command_number_past_drm_command_end();
consteval u32 driver_nr(u32 nr) {
  if (nr >= KCPP_DRM_COMMAND_END - KCPP_DRM_COMMAND_BASE)
    driver_command_number_past_drm_command_end();
  return KCPP_DRM_COMMAND_BASE + nr;
}
}  // namespace detail
/// @endcond

/**
 * @brief `DRM_IOWR(DRM_COMMAND_BASE + nr, T)`: a driver command whose
 * argument goes both ways (@p nr past the driver range does not compile).
 */
template <typename T>
consteval u32 iowr(u32 nr) {
  return ioctl::iowr<T>(KCPP_DRM_IOCTL_BASE, detail::driver_nr(nr));
}
/** @brief `DRM_IOW(DRM_COMMAND_BASE + nr, T)`: user space writes the argument. */
template <typename T>
consteval u32 iow(u32 nr) {
  return ioctl::iow<T>(KCPP_DRM_IOCTL_BASE, detail::driver_nr(nr));
}
/** @brief `DRM_IOR(DRM_COMMAND_BASE + nr, T)`: user space reads the argument. */
template <typename T>
consteval u32 ior(u32 nr) {
  return ioctl::ior<T>(KCPP_DRM_IOCTL_BASE, detail::driver_nr(nr));
}

/// @cond KCPP_INTERNAL
namespace detail {
// An ioctl's name for the DRM core's debug messages: a string literal as a
// template argument.
template <usize N>
struct IoctlName {
  consteval IoctlName(const char (&s)[N]) {  // NOLINT(google-explicit-constructor): a literal
    for (usize i = 0; i < N; i++) text[i] = s[i];
  }
  char text[N];
};
// What a handler of driver T for argument A looks like.
template <typename H>
struct HandlerTraits {
  static constexpr bool VALID = false;
};
template <typename T, typename A>
struct HandlerTraits<Result<u32> (*)(const Device<T>&, A&, const File<T>&)> {
  static constexpr bool VALID = true;
  using Driver = T;
  using Arg = A;
};
template <typename T, typename A>
struct HandlerTraits<Result<u32> (*)(const Device<T>&, A&, const File<T>&) noexcept>
    : HandlerTraits<Result<u32> (*)(const Device<T>&, A&, const File<T>&)> {};
}  // namespace detail
/// @endcond

/**
 * @brief One entry of a driver's ioctl table: command @p Cmd (from `iowr()`
 * & co.) with argument type @p Arg, callable by @p Flags, handled by
 * @p Handler.
 *
 * @p Handler is a function `Result<u32> (const Device<T>&, Arg&, const
 * File<T>&)` of the driver @p T whose table holds the entry (checked: its
 * @p Handler is a function `Result<u32> (const Device<T>&, Arg&, const
 * File<T>&)` of the driver @p T whose table holds the entry (checked: its
 * argument type is @p Arg, and its driver the table's). It runs inside
 * `drm_dev_enter()`: while it runs, the device is registered and its
 * parent bound; from the unplug on, calls get `ENODEV` without reaching
 * it. The unplug is the `Registration`'s destruction, after the bus
 * driver's `unbind()` and after the members of its data declared after
 * it: a handler may use what the binding owns if that goes later (the
 * binding's devres, members declared before the registration). The unplug waits for running
 * handlers, from the parent's unbind and under its device lock, and all
 * DRM devices share that wait: a handler must not wait for the unbind, take
 * the parent's device lock, or drop its own registration. Its `u32` becomes
 * the ioctl's return value (past `INT_MAX`: a bug, `ERANGE` and a warning),
 * an error the errno.
 *
 * @p Arg is a uapi struct as the kernel's rules for ioctls want it: no
 * implicit padding (a 32-bit task lays it out alike), no pointer or
 * `long` (`__u64` for user addresses).
 */

template <detail::IoctlName Name, u32 Cmd, typename Arg, IoctlFlags Flags, auto Handler>
struct Ioctl {
  static_assert(detail::HandlerTraits<decltype(Handler)>::VALID,
                "kcpp: an ioctl handler is a function Result<u32>(const drm::Device<T>&, Arg&, "
                "const drm::File<T>&)");
  static_assert(same_as<typename detail::HandlerTraits<decltype(Handler)>::Arg, Arg>,
                "kcpp: the ioctl's handler takes another argument type than its entry names");
  static_assert(ioctl::type(Cmd) == KCPP_DRM_IOCTL_BASE && ioctl::nr(Cmd) >= KCPP_DRM_COMMAND_BASE &&
                    ioctl::nr(Cmd) < KCPP_DRM_COMMAND_END,
                "kcpp: a DRM driver's ioctl is a driver command: iowr<T>(nr) & co.");
  static_assert(ioctl::size(Cmd) == sizeof(Arg),
                "kcpp: the ioctl's command encodes another size than its argument type's");
  static_assert(__is_trivially_copyable(Arg) && __is_standard_layout(Arg),
                "kcpp: an ioctl argument is a plain uapi struct (user space writes its bytes)");
  static_assert(__has_unique_object_representations(Arg),
                "kcpp: an ioctl argument has no implicit padding (a 32-bit task would lay it out otherwise): "
                "add explicit pad fields");
  static_assert(alignof(Arg) <= 8,
                "kcpp: an ioctl argument needs at most 8-byte alignment (checked at run time)");
  /** @brief The command number. */
  static constexpr u32 CMD = Cmd;
  /** @brief The argument type. */
  using Argument = Arg;
  /** @brief Who may call it. */
  static constexpr IoctlFlags FLAGS = Flags;
  /** @brief The handler. */
  static constexpr auto HANDLER = Handler;
  /** @brief The driver whose handler it is. */
  using Driver = typename detail::HandlerTraits<decltype(Handler)>::Driver;
  /// @cond KCPP_INTERNAL
  static constexpr detail::IoctlName NAME = Name;
  /// @endcond
};

/**
 * @brief A driver's ioctl table: its entries in command order, the first
 * `DRM_COMMAND_BASE + 0`, each the next (the DRM core indexes the table by
 * command number; a gap or a repeat does not compile). `Ioctls<>`: the
 * DRM core's ioctls only.
 */
template <typename... E>
struct Ioctls {
  /** @brief How many. */
  static constexpr usize COUNT = sizeof...(E);
};

/// @cond KCPP_INTERNAL
namespace detail {
// struct drm_ioctl_desc, checked against the configured kernel's layout.
struct RawIoctlDesc {
  u32 cmd;
  u32 flags;
  int (*func)(::drm_device*, void*, ::drm_file*);
  const char* name;
};
static_assert(sizeof(RawIoctlDesc) == KCPP_SIZEOF_drm_ioctl_desc &&
                  __builtin_offsetof(RawIoctlDesc, cmd) == KCPP_OFFSETOF_drm_ioctl_desc_cmd &&
                  __builtin_offsetof(RawIoctlDesc, flags) == KCPP_OFFSETOF_drm_ioctl_desc_flags &&
                  __builtin_offsetof(RawIoctlDesc, func) == KCPP_OFFSETOF_drm_ioctl_desc_func &&
                  __builtin_offsetof(RawIoctlDesc, name) == KCPP_OFFSETOF_drm_ioctl_desc_name,
              "kcpp: struct drm_ioctl_desc of this kernel is not laid out as kcpp/drm/ioctl.h expects");

// The handler of entry E of driver T, called by drm_ioctl().
template <typename T, typename E>
int ioctl_thunk(::drm_device* raw, void* data, ::drm_file* file) {
  using Arg = typename E::Argument;
  static_assert(same_as<typename E::Driver, T>, "kcpp: an ioctl table holds another driver's handler");
  // drm_ioctl()'s copy is kmalloc'd, or a char array on its stack, which
  // the compiler aligns to 16 on x86-64 but C does not promise.
  // SAFETY: the address only becomes a number, for the alignment check.
  if (reinterpret_cast<uptr>(data) % alignof(Arg) != 0) {
    kcpp_warn(__FILE__, __LINE__, "a DRM ioctl's argument copy is misaligned for its type");
    return -KCPP_EINVAL;
  }
  int idx = 0;
  if (!drm_dev_enter(raw, &idx))
    return -KCPP_ENODEV;
  // data is drm_ioctl()'s kernel copy of the argument: at least _IOC_SIZE(E::CMD) ==
  // sizeof(Arg) bytes, zero-filled past what user space gave, aligned for Arg (checked above),
  // used by this call only.
  Arg& arg = *static_cast<Arg*>(data);
  // SAFETY: drm_ioctl() calls this for a device and an open file of T (the table is T's).
  const Result<u32> r = E::HANDLER(Device<T>::unsafe_from_raw(raw), arg, File<T>::unsafe_from_raw(file));
  drm_dev_exit(idx);
  if (r.is_err())
    return r.error().to_errno();
  if (*r > 0x7fffffffu) {
    kcpp_warn(__FILE__, __LINE__, "a DRM ioctl handler returned more than INT_MAX");
    return -KCPP_ERANGE;
  }
  return static_cast<int>(*r);
}

template <typename T, typename Table>
struct IoctlTable;
template <typename... E>
consteval bool consecutive() {
  const u32 nrs[] = {ioctl::nr(E::CMD)...};
  for (usize i = 0; i < sizeof...(E); i++)
    if (nrs[i] != KCPP_DRM_COMMAND_BASE + i)
      return false;
  return true;
}
// The table's storage, a member of Vtable<T> (whose symbol names the
// driver only: one named after every entry's type would be too long for
// kallsyms).
template <usize N>
struct RawIoctls {
  RawIoctlDesc desc[N];
  constexpr const RawIoctlDesc* data() const { return desc; }
};
template <>
struct RawIoctls<0> {  // a driver with the core's ioctls only
  constexpr const RawIoctlDesc* data() const { return nullptr; }
};
template <typename T, typename... E>
struct IoctlTable<T, Ioctls<E...>> {
  static_assert(consecutive<E...>(),
                "kcpp: the ioctl table's commands are not DRM_COMMAND_BASE + 0, 1, 2, ... in order");
  static consteval RawIoctls<sizeof...(E)> make() {
    if constexpr (sizeof...(E) == 0)
      return {};
    else
      return {{{E::CMD, static_cast<u32>(E::FLAGS), &ioctl_thunk<T, E>, E::NAME.text}...}};
  }
};
}  // namespace detail
/// @endcond

}  // namespace kcpp::drm

#endif  // KCPP_DRM_IOCTL_H
