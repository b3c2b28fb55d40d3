/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/print.h
 * @brief Kernel log messages: `KCPP_PR_INFO` and friends.
 *
 * Wraps `include/linux/printk.h`. The macros take a string literal format,
 * checked by the compiler like printk's, and prefix it with the log level and
 * the module name (define `KCPP_PR_FMT` before including this header to
 * change the prefix, as `pr_fmt` does in C).
 *
 * Debug messages (`KCPP_PR_DEBUG`, and `KCPP_DEV_DBG` of kcpp/device.h) are
 * dynamic debug call sites where the kernel has `CONFIG_DYNAMIC_DEBUG`:
 * each has its `struct _ddebug` in the `__dyndbg` section, so it is listed
 * in `/sys/kernel/debug/dynamic_debug/control` and switched on and off at
 * run time (`echo 'module kcpp_edu +p' > .../control`), off by default,
 * on by default in a translation unit that defines `DEBUG`. Without
 * dynamic debug they print only where `DEBUG` is defined, as in C.
 *
 * @par Examples
 * @code{.cpp}
 * int answer = 42;
 * KCPP_PR_INFO("the answer is %d\n", answer);
 * KCPP_PR_DEBUG("debug messages follow the kernel's dynamic debug rules\n");
 * @endcode
 */
#ifndef KCPP_PRINT_H
#define KCPP_PRINT_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>

/// @cond KCPP_INTERNAL
// The printk level markers of include/linux/kern_levels.h: ASCII SOH and a digit.
#define KCPP_KERN_SOH "\001"
#define KCPP_KERN_EMERG KCPP_KERN_SOH "0"
#define KCPP_KERN_ALERT KCPP_KERN_SOH "1"
#define KCPP_KERN_CRIT KCPP_KERN_SOH "2"
#define KCPP_KERN_ERR KCPP_KERN_SOH "3"
#define KCPP_KERN_WARNING KCPP_KERN_SOH "4"
#define KCPP_KERN_NOTICE KCPP_KERN_SOH "5"
#define KCPP_KERN_INFO KCPP_KERN_SOH "6"
#define KCPP_KERN_DEBUG KCPP_KERN_SOH "7"
/// @endcond

#ifndef KCPP_PR_FMT
/** @brief Prefix of every message; the module name, as `pr_fmt` usually is. */
#define KCPP_PR_FMT KBUILD_MODNAME ": "
#endif

/** @brief Logs at KERN_EMERG. */
#define KCPP_PR_EMERG(fmt, ...) ::_printk(KCPP_KERN_EMERG KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_ALERT. */
#define KCPP_PR_ALERT(fmt, ...) ::_printk(KCPP_KERN_ALERT KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_CRIT. */
#define KCPP_PR_CRIT(fmt, ...) ::_printk(KCPP_KERN_CRIT KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_ERR. */
#define KCPP_PR_ERR(fmt, ...) ::_printk(KCPP_KERN_ERR KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_WARNING. */
#define KCPP_PR_WARN(fmt, ...) ::_printk(KCPP_KERN_WARNING KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_NOTICE. */
#define KCPP_PR_NOTICE(fmt, ...) ::_printk(KCPP_KERN_NOTICE KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_INFO. */
#define KCPP_PR_INFO(fmt, ...) ::_printk(KCPP_KERN_INFO KCPP_PR_FMT fmt, ##__VA_ARGS__)
/// @cond KCPP_INTERNAL
namespace kcpp::detail {
#ifdef DEBUG
inline constexpr bool DYNDBG_DEBUG = true;
#else
inline constexpr bool DYNDBG_DEBUG = false;
#endif
// The bit fields of struct _ddebug (include/linux/dynamic_debug.h), one
// 32-bit word; flags holds _DPRINTK_FLAGS_PRINT while the site prints.
struct DynDebugBits {
  unsigned int lineno : 18;
  unsigned int class_id : 6;
  unsigned int flags : 8;
};
// The static key that ends struct _ddebug where the kernel has jump labels
// ({enabled, type} of struct static_key); nothing otherwise.
template <bool HasKey>
struct DynDebugKey {};
template <>
struct DynDebugKey<true> {
  int enabled;
  unsigned long type;
};
// A dynamic debug call site: struct _ddebug, laid out as the kernel has it.
// The kernel rewrites the flags (and the key) when user space writes to
// the control file; the site reads the flags, which the kernel keeps up to
// date with or without jump labels.
struct alignas(8) DynDebugSite {
  const char* modname;
  const char* function;
  const char* filename;
  const char* format;
  DynDebugBits bits;
  [[no_unique_address]] DynDebugKey<KCPP_CONFIG_JUMP_LABEL != 0> key;
};
static_assert(sizeof(DynDebugSite) == KCPP_SIZEOF__ddebug &&
                  __builtin_offsetof(DynDebugSite, format) == KCPP_OFFSETOF__ddebug_format,
              "kcpp: DynDebugSite does not match the kernel's struct _ddebug");
// The key's initial value: STATIC_KEY_TRUE_INIT (enabled, JUMP_TYPE_TRUE)
// for a DEBUG site, which starts printing; STATIC_KEY_FALSE_INIT otherwise.
consteval DynDebugKey<KCPP_CONFIG_JUMP_LABEL != 0> dyndbg_key() {
  if constexpr (KCPP_CONFIG_JUMP_LABEL != 0)
    return {DYNDBG_DEBUG ? 1 : 0, DYNDBG_DEBUG ? 1ul : 0ul};
  else
    return {};
}
// Whether the site prints now: one relaxed load of the flags word.
inline bool dyndbg_enabled(const DynDebugSite& site) {
  DynDebugBits bits;
  __atomic_load(&site.bits, &bits, __ATOMIC_RELAXED);
  return (bits.flags & KCPP__DPRINTK_FLAGS_PRINT) != 0;
}
}  // namespace kcpp::detail

// A static descriptor in the __dyndbg section, which the kernel collects
// (vmlinux) or the module loader hands to dynamic debug, as an array: the
// alignment is given on the variable too, as C's __aligned(8) is, or GCC
// aligns an object this large to 32 bytes and the array gets holes.
#define KCPP_DYNDBG_SITE_(fmt)                                                                               \
  ({                                                                                                         \
    [[gnu::section("__dyndbg"), gnu::used]] alignas(                                                         \
        8) static constinit ::kcpp::detail::DynDebugSite kcpp_dyndbg_site_ = {                               \
        KBUILD_MODNAME,                                                                                      \
        __func__,                                                                                            \
        __FILE__,                                                                                            \
        fmt,                                                                                                 \
        {__LINE__, KCPP__DPRINTK_CLASS_DFLT, ::kcpp::detail::DYNDBG_DEBUG ? KCPP__DPRINTK_FLAGS_PRINT : 0u}, \
        ::kcpp::detail::dyndbg_key()};                                                                       \
    &kcpp_dyndbg_site_;                                                                                      \
  })
/// @endcond

/**
 * @brief Logs at KERN_DEBUG as `pr_debug()` does: a dynamic debug call site
 * where the kernel has `CONFIG_DYNAMIC_DEBUG` (off until switched on, or on
 * from the start where `DEBUG` is defined), otherwise printed only where
 * the translation unit defines `DEBUG`. The arguments are always checked.
 */
#if KCPP_CONFIG_DYNAMIC_DEBUG
#define KCPP_PR_DEBUG(fmt, ...)                                                                       \
  do {                                                                                                \
    ::kcpp::detail::DynDebugSite* kcpp_site_ = KCPP_DYNDBG_SITE_(KCPP_PR_FMT fmt);                    \
    if (::kcpp::detail::dyndbg_enabled(*kcpp_site_)) [[unlikely]]                                     \
      /* SAFETY: DynDebugSite is struct _ddebug, checked above. */                                    \
      ::__dynamic_pr_debug(reinterpret_cast<::_ddebug*>(kcpp_site_), KCPP_PR_FMT fmt, ##__VA_ARGS__); \
  } while (0)
#elif defined(DEBUG)
#define KCPP_PR_DEBUG(fmt, ...) ::_printk(KCPP_KERN_DEBUG KCPP_PR_FMT fmt, ##__VA_ARGS__)
#else
#define KCPP_PR_DEBUG(fmt, ...)                                  \
  do {                                                           \
    if (false)                                                   \
      ::_printk(KCPP_KERN_DEBUG KCPP_PR_FMT fmt, ##__VA_ARGS__); \
  } while (0)
#endif

#endif  // KCPP_PRINT_H
