/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/time.h
 * @brief Time on the monotonic clock: `Instant` (a point) and `Delta` (a
 * signed span), in nanoseconds, with the arithmetic that makes sense
 * between them and none that does not.
 *
 * Wraps `include/linux/ktime.h` (`ktime_get()`, `ktime_t` as nanoseconds
 * of `CLOCK_MONOTONIC`) and the unit conversions of `include/linux/time64.h`.
 *
 * An `Instant` minus an `Instant` is a `Delta`; an `Instant` plus a
 * `Delta` is an `Instant`; two instants cannot be added, and a bare
 * integer is neither (units are named: `Delta::from_millis(5)`). Arithmetic
 * saturates at the ends of the 64-bit range instead of wrapping, so a
 * deadline far in the future stays in the future.
 *
 * @par Examples
 * @code{.cpp}
 * const kcpp::Instant start = kcpp::Instant::now();
 * const kcpp::Delta five_ms = kcpp::Delta::from_millis(5);
 * const kcpp::Instant deadline = start + five_ms;
 * KCPP_ASSERT((deadline - start) == five_ms);
 * KCPP_ASSERT(deadline > start);
 * KCPP_ASSERT_EQ(five_ms.as_micros(), 5000);
 * KCPP_ASSERT_EQ(kcpp::Delta::from_secs(2).as_millis(), 2000);
 * KCPP_ASSERT_EQ((kcpp::Delta::from_micros(1500) - kcpp::Delta::from_millis(2)).as_nanos(), -500000);
 * KCPP_ASSERT(kcpp::Delta::from_secs(1LL << 62) == kcpp::Delta::MAX);  // saturated, not wrapped
 * KCPP_ASSERT(start.elapsed() >= kcpp::Delta::ZERO);
 * @endcode
 * Instants do not add up:
 * @code{.cpp compile_fail}
 * // compile_fail: no match for | invalid operands
 * auto f = [](kcpp::Instant a, kcpp::Instant b) { return a + b; };
 * @endcode
 */
#ifndef KCPP_TIME_H
#define KCPP_TIME_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/compare.h>
#include <kcpp/core/types.h>

namespace kcpp {

/// @cond KCPP_INTERNAL
namespace detail {
constexpr i64 sat_add(i64 a, i64 b) {
  i64 r = 0;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? __INT64_MAX__ : -__INT64_MAX__ - 1;
  return r;
}
constexpr i64 sat_mul(i64 a, i64 b) {
  i64 r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    return (a < 0) != (b < 0) ? -__INT64_MAX__ - 1 : __INT64_MAX__;
  return r;
}
}  // namespace detail
/// @endcond

/** @brief A signed span of time, in nanoseconds. */
class Delta {
 public:
  /** @brief No time. */
  static const Delta ZERO;
  /** @brief The longest span (about 292 years). */
  static const Delta MAX;
  /** @brief @p n nanoseconds. */
  static constexpr Delta from_nanos(i64 n) { return Delta(n); }
  /** @brief @p n microseconds (saturating). */
  static constexpr Delta from_micros(i64 n) { return Delta(detail::sat_mul(n, KCPP_NSEC_PER_USEC)); }
  /** @brief @p n milliseconds (saturating). */
  static constexpr Delta from_millis(i64 n) { return Delta(detail::sat_mul(n, KCPP_NSEC_PER_MSEC)); }
  /** @brief @p n seconds (saturating). */
  static constexpr Delta from_secs(i64 n) { return Delta(detail::sat_mul(n, KCPP_NSEC_PER_SEC)); }
  /** @brief In nanoseconds. */
  [[nodiscard]] constexpr i64 as_nanos() const { return ns_; }
  /** @brief In whole microseconds (towards zero). */
  [[nodiscard]] constexpr i64 as_micros() const { return ns_ / KCPP_NSEC_PER_USEC; }
  /** @brief In whole milliseconds (towards zero). */
  [[nodiscard]] constexpr i64 as_millis() const { return ns_ / KCPP_NSEC_PER_MSEC; }
  /** @brief Sum (saturating). */
  friend constexpr Delta operator+(Delta a, Delta b) { return Delta(detail::sat_add(a.ns_, b.ns_)); }
  /** @brief Difference (saturating). */
  friend constexpr Delta operator-(Delta a, Delta b) {
    return Delta(b.ns_ == -__INT64_MAX__ - 1 ? detail::sat_add(detail::sat_add(a.ns_, __INT64_MAX__), 1)
                                             : detail::sat_add(a.ns_, -b.ns_));
  }
  /** @brief Spans order by length. */
  friend constexpr auto operator<=>(Delta, Delta) = default;

 private:
  constexpr explicit Delta(i64 ns) : ns_(ns) {}
  i64 ns_;
};
inline constexpr Delta Delta::ZERO = Delta::from_nanos(0);
inline constexpr Delta Delta::MAX = Delta::from_nanos(__INT64_MAX__);

/** @brief A point on the monotonic clock (`CLOCK_MONOTONIC`, `ktime_get()`). */
class Instant {
 public:
  /** @brief Now. */
  [[nodiscard]] static Instant now() { return Instant(static_cast<i64>(kcpp_ktime_get_ns())); }
  /** @brief The instant @p ns nanoseconds after boot (`ktime_t` values from C). */
  static constexpr Instant from_nanos(i64 ns) { return Instant(ns); }
  /** @brief Nanoseconds since boot. */
  [[nodiscard]] constexpr i64 as_nanos() const { return ns_; }
  /** @brief The time since this instant. */
  [[nodiscard]] Delta elapsed() const { return now() - *this; }
  /** @brief The span between two instants. */
  friend constexpr Delta operator-(Instant a, Instant b) {
    return Delta::from_nanos(a.ns_) - Delta::from_nanos(b.ns_);
  }
  /** @brief The instant @p d later (saturating). */
  friend constexpr Instant operator+(Instant a, Delta d) {
    return Instant(detail::sat_add(a.ns_, d.as_nanos()));
  }
  /** @brief The instant @p d earlier (saturating). */
  friend constexpr Instant operator-(Instant a, Delta d) {
    return Instant((Delta::from_nanos(a.ns_) - d).as_nanos());
  }
  /** @brief Instants order in time. */
  friend constexpr auto operator<=>(Instant, Instant) = default;

 private:
  constexpr explicit Instant(i64 ns) : ns_(ns) {}
  i64 ns_;
};

}  // namespace kcpp

#endif  // KCPP_TIME_H
