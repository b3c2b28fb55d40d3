/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/alloc/gfp.h
 * @brief Allocation flags: the typed `Gfp` set.
 *
 * Wraps `gfp_t` of `include/linux/gfp_types.h`. Every kcpp allocation takes a
 * `Gfp` explicitly: the caller says whether it may sleep (`GFP_KERNEL`), must
 * not (`GFP_ATOMIC`, `GFP_NOWAIT`), is charged to a memory cgroup
 * (`GFP_KERNEL_ACCOUNT`), and adds modifiers (`GFP_ZERO`, `GFP_NOWARN`, ...;
 * the C `__GFP_` prefix becomes `GFP_`). The values come from the configured
 * kernel. A `Gfp` can only be built from these constants and their
 * combinations, never from a stray integer.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Gfp flags = kcpp::GFP_KERNEL | kcpp::GFP_ZERO;
 * KCPP_ASSERT(flags.contains(kcpp::GFP_ZERO));
 * KCPP_ASSERT(!flags.contains(kcpp::GFP_NOWARN));
 * KCPP_ASSERT_EQ((flags & ~kcpp::GFP_ZERO), kcpp::GFP_KERNEL);
 * // Only flags that may sleep suit calls that sleep anyway (registering a driver).
 * KCPP_ASSERT(flags.may_sleep() && !kcpp::GFP_ATOMIC.may_sleep() && !kcpp::GFP_NOWAIT.may_sleep());
 * @endcode
 */
#ifndef KCPP_ALLOC_GFP_H
#define KCPP_ALLOC_GFP_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>

namespace kcpp {

/**
 * @brief A set of allocation flags (`gfp_t`).
 *
 * @par Invariants
 * The bits are a combination of the kernel's own flag values.
 */
class Gfp {
 public:
  /** @brief The raw `gfp_t` bits, for the C boundary. */
  [[nodiscard]] [[gnu::always_inline]] constexpr u32 as_raw() const { return bits_; }
  /**
   * @brief Whether an allocation with these flags may sleep to reclaim
   * memory (`gfpflags_allow_blocking()`): false for GFP_ATOMIC and
   * GFP_NOWAIT.
   */
  [[nodiscard]] constexpr bool may_sleep() const { return (bits_ & KCPP___GFP_DIRECT_RECLAIM) != 0; }
  /** @brief Whether every flag of @p other is set here. */
  [[nodiscard]] constexpr bool contains(Gfp other) const { return (bits_ & other.bits_) == other.bits_; }
  /** @brief The union of two flag sets. */
  friend constexpr Gfp operator|(Gfp a, Gfp b) { return Gfp(a.bits_ | b.bits_); }
  /** @brief The intersection of two flag sets. */
  friend constexpr Gfp operator&(Gfp a, Gfp b) { return Gfp(a.bits_ & b.bits_); }
  /** @brief Every flag not in @p a (to remove flags: `f & ~GFP_ZERO`). */
  friend constexpr Gfp operator~(Gfp a) { return Gfp(~a.bits_); }
  /** @brief Adds the flags of @p b. */
  constexpr Gfp& operator|=(Gfp b) {
    bits_ |= b.bits_;
    return *this;
  }
  /** @brief Flag sets compare by their bits. */
  friend constexpr bool operator==(Gfp, Gfp) = default;

  /// @cond KCPP_INTERNAL
  static constexpr Gfp from_kernel_constant(u32 bits) { return Gfp(bits); }
  /// @endcond

 private:
  constexpr explicit Gfp(u32 bits) : bits_(bits) {}
  u32 bits_;
};

/** @brief May sleep and do I/O: the usual flag in process context. */
inline constexpr Gfp GFP_KERNEL = Gfp::from_kernel_constant(KCPP_GFP_KERNEL);
/** @brief Must not sleep, may use emergency reserves: interrupt and atomic context. */
inline constexpr Gfp GFP_ATOMIC = Gfp::from_kernel_constant(KCPP_GFP_ATOMIC);
/** @brief Must not sleep and leaves the reserves alone. */
inline constexpr Gfp GFP_NOWAIT = Gfp::from_kernel_constant(KCPP_GFP_NOWAIT);
/** @brief Like GFP_KERNEL, without starting I/O. */
inline constexpr Gfp GFP_NOIO = Gfp::from_kernel_constant(KCPP_GFP_NOIO);
/** @brief Like GFP_KERNEL, without calling into filesystems. */
inline constexpr Gfp GFP_NOFS = Gfp::from_kernel_constant(KCPP_GFP_NOFS);
/** @brief GFP_KERNEL, charged to the current memory cgroup. */
inline constexpr Gfp GFP_KERNEL_ACCOUNT = Gfp::from_kernel_constant(KCPP_GFP_KERNEL_ACCOUNT);
/** @brief For memory that userspace will see (may be charged, zeroed by caller). */
inline constexpr Gfp GFP_USER = Gfp::from_kernel_constant(KCPP_GFP_USER);
/** @brief Zero the memory (`__GFP_ZERO`). */
inline constexpr Gfp GFP_ZERO = Gfp::from_kernel_constant(KCPP___GFP_ZERO);
/** @brief No warning on failure (`__GFP_NOWARN`). */
inline constexpr Gfp GFP_NOWARN = Gfp::from_kernel_constant(KCPP___GFP_NOWARN);
/** @brief Fail rather than retry hard (`__GFP_NORETRY`). */
inline constexpr Gfp GFP_NORETRY = Gfp::from_kernel_constant(KCPP___GFP_NORETRY);
/** @brief Retry hard, but fail eventually (`__GFP_RETRY_MAYFAIL`). */
inline constexpr Gfp GFP_RETRY_MAYFAIL = Gfp::from_kernel_constant(KCPP___GFP_RETRY_MAYFAIL);
/** @brief Charge to the memory cgroup (`__GFP_ACCOUNT`). */
inline constexpr Gfp GFP_ACCOUNT = Gfp::from_kernel_constant(KCPP___GFP_ACCOUNT);
/** @brief Only the requested NUMA node, no fallback (`__GFP_THISNODE`). */
inline constexpr Gfp GFP_THISNODE = Gfp::from_kernel_constant(KCPP___GFP_THISNODE);
/** @brief High memory allowed (`__GFP_HIGHMEM`). */
inline constexpr Gfp GFP_HIGHMEM = Gfp::from_kernel_constant(KCPP___GFP_HIGHMEM);
/** @brief From the lowest zone (`GFP_DMA`, 16 MiB on x86): for devices with narrow DMA masks. */
inline constexpr Gfp GFP_DMA = Gfp::from_kernel_constant(KCPP_GFP_DMA);
/** @brief From below 4 GiB (`GFP_DMA32`). */
inline constexpr Gfp GFP_DMA32 = Gfp::from_kernel_constant(KCPP_GFP_DMA32);

}  // namespace kcpp

#endif  // KCPP_ALLOC_GFP_H
