/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/io.h
 * @brief Memory-mapped I/O: `io::Mmio<Size>` with bounds-checked accessors,
 * relaxed accessors, and `io::read_poll_timeout`.
 *
 * Wraps `arch/x86/include/asm/io.h` (`readb`...`readq`, `writeb`...
 * `writeq` and their `_relaxed` forms) and `include/linux/iopoll.h`.
 *
 * An `Mmio<Size>` is a mapping of at least `Size` bytes (the size known at
 * compile time; the mapping may be larger, `maxsize()`). Accessors with a
 * constant offset (`read32(0x4)`) are checked at compile time: the access
 * must lie within `Size` and be aligned to its width, or the call does not
 * compile. Offsets known only at run time go through `try_read32(off)`,
 * which checks against the real mapping size and returns `ERANGE` (`EINVAL`
 * for a misaligned offset).
 *
 * The accessors are inline and compile to the same single `mov` as the
 * kernel's `readl()`/`writel()` (`make bench` prints both inner loops side
 * by side). The ordered accessors keep the kernel's compiler barrier;
 * `relaxed()` gives the `_relaxed` forms. In a hot loop use a local
 * `view()`, as C code keeps `base` in a local rather than `priv->base`.
 *
 * @par Examples
 * An ordinary array stands in for device memory here.
 * @code{.cpp}
 * alignas(8) kcpp::u8 mem[64] = {};
 * // SAFETY: mem is an ordinary array of sizeof(mem) bytes standing in for device memory.
 * auto io = kcpp::io::Mmio<16>::unsafe_new(mem, sizeof(mem)).expect("mem is large enough");
 * io.write32(0xdeadbeef, 0x4);            // checked at compile time
 * KCPP_ASSERT_EQ(io.read32(0x4), 0xdeadbeefu);
 * KCPP_ASSERT_EQ(io.read8(0x4), 0xefu);  // little endian
 * KCPP_TRY(io.try_write8(0x5a, 40));     // beyond 16, within the mapping
 * KCPP_ASSERT_EQ(KCPP_TRY(io.try_read8(40)), 0x5au);
 * KCPP_ASSERT(io.try_read32(62).is_err()); // runs past the end
 * KCPP_ASSERT(io.try_read32(2).is_err());  // misaligned
 * io.relaxed().write16(0x1234, 0x8);
 * KCPP_ASSERT_EQ(io.relaxed().read16(0x8), 0x1234u);
 * @endcode
 *
 * The parts by name: the widths, a checked `Offset`, the relaxed view, and
 * the accessor base both views share:
 * @code{.cpp}
 * static_assert(kcpp::io::Width<kcpp::u64> && !kcpp::io::Width<int>);
 * alignas(8) kcpp::u8 mem[16] = {};
 * // SAFETY: mem is an ordinary array of sizeof(mem) bytes standing in for device memory.
 * auto io = kcpp::io::Mmio<16>::unsafe_new(mem, sizeof(mem)).expect("mem is large enough");
 * constexpr kcpp::io::Offset<kcpp::u32, 16> status = 0xc;  // checked here
 * io.write32(5, status);
 * kcpp::io::RelaxedMmio<16> relaxed = io.relaxed();
 * KCPP_ASSERT_EQ(relaxed.read32(status), 5u);
 * const kcpp::io::MmioAccess<16, true>& ordered = io;
 * KCPP_ASSERT_EQ(ordered.maxsize(), 16u);
 * KCPP_ASSERT_EQ(ordered.addr(), static_cast<void*>(mem));
 * @endcode
 *
 * A constant offset beyond the compile-time size is a build error, in a
 * function or in a lambda (even one never called):
 * @code{.cpp compile_fail}
 * // compile_fail: offset_beyond_the_compile_time_size_use_try_read_or_try_write
 * auto poll_status = [](const kcpp::io::Mmio<16>& io) { return io.read32(0x10); };
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: offset_beyond_the_compile_time_size_use_try_read_or_try_write
 * struct Regs {
 *   static kcpp::u32 status(const kcpp::io::Mmio<16>& io) { return io.read32(0x10); }
 * };
 * @endcode
 *
 * So is a misaligned one:
 * @code{.cpp compile_fail}
 * // compile_fail: offset_not_aligned_to_the_access_width
 * struct Regs {
 *   static kcpp::u32 status(const kcpp::io::Mmio<16>& io) { return io.read32(0x2); }
 * };
 * @endcode
 *
 * And an offset so large that adding the width wraps around is out of
 * bounds too (it is aligned, and past any size):
 * @code{.cpp compile_fail}
 * // compile_fail: offset_beyond_the_compile_time_size_use_try_read_or_try_write
 * struct Regs {
 *   static kcpp::u32 status(const kcpp::io::Mmio<16>& io) { return io.read32(~kcpp::usize(0) - 3); }
 * };
 * @endcode
 */
#ifndef KCPP_IO_H
#define KCPP_IO_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/types.h>

#if !defined(__x86_64__)
#error "kcpp/io.h: the MMIO accessors are written for x86_64"
#endif

namespace kcpp::io {

/** @brief The widths an MMIO access can have. */
template <typename W>
concept Width = same_as<W, u8> || same_as<W, u16> || same_as<W, u32> || same_as<W, u64>;

/// @cond KCPP_INTERNAL
namespace detail {
// Called from a consteval constructor, these (undefined, not constexpr)
// functions turn a bad constant offset into a compile error naming them.
void offset_beyond_the_compile_time_size_use_try_read_or_try_write();
void offset_not_aligned_to_the_access_width();

// One mov, as readb/readw/readl/readq; Barrier: the "memory" clobber of the
// ordered forms (the _relaxed forms have none).
template <Width W, bool Barrier>
[[gnu::always_inline]] inline W mmio_read(const volatile void* addr) {
  W v;
  const auto* p = static_cast<const volatile W*>(addr);
  if constexpr (same_as<W, u8>) {
    if constexpr (Barrier)
      asm volatile("movb %1,%0" : "=q"(v) : "m"(*p) : "memory");
    else
      asm volatile("movb %1,%0" : "=q"(v) : "m"(*p));
  } else if constexpr (same_as<W, u16>) {
    if constexpr (Barrier)
      asm volatile("movw %1,%0" : "=r"(v) : "m"(*p) : "memory");
    else
      asm volatile("movw %1,%0" : "=r"(v) : "m"(*p));
  } else if constexpr (same_as<W, u32>) {
    if constexpr (Barrier)
      asm volatile("movl %1,%0" : "=r"(v) : "m"(*p) : "memory");
    else
      asm volatile("movl %1,%0" : "=r"(v) : "m"(*p));
  } else {
    if constexpr (Barrier)
      asm volatile("movq %1,%0" : "=r"(v) : "m"(*p) : "memory");
    else
      asm volatile("movq %1,%0" : "=r"(v) : "m"(*p));
  }
  return v;
}

template <Width W, bool Barrier>
[[gnu::always_inline]] inline void mmio_write(W v, volatile void* addr) {
  auto* p = static_cast<volatile W*>(addr);
  if constexpr (same_as<W, u8>) {
    if constexpr (Barrier)
      asm volatile("movb %0,%1" : : "q"(v), "m"(*p) : "memory");
    else
      asm volatile("movb %0,%1" : : "q"(v), "m"(*p));
  } else if constexpr (same_as<W, u16>) {
    if constexpr (Barrier)
      asm volatile("movw %0,%1" : : "r"(v), "m"(*p) : "memory");
    else
      asm volatile("movw %0,%1" : : "r"(v), "m"(*p));
  } else if constexpr (same_as<W, u32>) {
    if constexpr (Barrier)
      asm volatile("movl %0,%1" : : "r"(v), "m"(*p) : "memory");
    else
      asm volatile("movl %0,%1" : : "r"(v), "m"(*p));
  } else {
    if constexpr (Barrier)
      asm volatile("movq %0,%1" : : "r"(v), "m"(*p) : "memory");
    else
      asm volatile("movq %0,%1" : : "r"(v), "m"(*p));
  }
}

// Is [off, off + width) inside size bytes, and aligned?
constexpr bool offset_ok(usize off, usize width, usize size) {
  return size >= width && off <= size - width && off % width == 0;
}
// The same as an error: EINVAL for a misaligned offset, ERANGE for one
// whose access would leave the size bytes.
constexpr Result<void> check_offset(usize off, usize width, usize size) {
  if (off % width != 0)
    return code::EINVAL;
  if (!offset_ok(off, width, size))
    return code::ERANGE;
  return {};
}
}  // namespace detail
/// @endcond

/**
 * @brief A constant offset of a @p W access into a region of at least
 * @p Size bytes, checked when it is formed (at compile time).
 */
template <Width W, usize Size>
struct Offset {
  /** @brief Checks @p off; a bad one does not compile. */
  consteval Offset(usize off)  // NOLINT: implicit by design
#ifdef __clang__
      // clang escalates a failing consteval call in a lambda or a constexpr
      // template to the caller (P2564), where the error no longer names the
      // check; diagnose_if names it where the offset is written.
      __attribute__((diagnose_if(off > Size || sizeof(W) > Size - off,
                                 "offset_beyond_the_compile_time_size_use_try_read_or_try_write", "error")))
      __attribute__((diagnose_if(off % sizeof(W) != 0, "offset_not_aligned_to_the_access_width", "error")))
#endif
      : value(off) {
    if (off > Size || sizeof(W) > Size - off)  // no overflow, whatever off is
      detail::offset_beyond_the_compile_time_size_use_try_read_or_try_write();
    if (off % sizeof(W) != 0)
      detail::offset_not_aligned_to_the_access_width();
  }
  usize value;  ///< The offset in bytes.
};

/**
 * @brief The accessors shared by the ordered and relaxed views of a mapping;
 * @p Barrier selects the form.
 *
 * @par Invariants
 * `addr_` starts a mapping of `maxsize_` bytes, at least @p Size, as checked
 * by whoever made the view (`Mmio::unsafe_new()`, bus code). The view owns
 * nothing: the mapping's owner keeps it mapped while the view is used.
 */
template <usize Size, bool Barrier>
class MmioAccess {
 public:
  /** @brief The size known at compile time (the mapping may be larger). */
  static constexpr usize MIN_SIZE = Size;

  /** @brief The mapping's address, for the bindings. */
  [[nodiscard]] void* addr() const { return addr_; }
  /** @brief The mapping's real size in bytes. */
  [[nodiscard]] usize maxsize() const { return maxsize_; }

  /** @brief Reads a @p W at the constant offset @p off. */
  template <Width W>
  [[nodiscard]] W read(Offset<W, Size> off) const {
    return detail::mmio_read<W, Barrier>(at(off.value));
  }
  /** @brief Writes @p v at the constant offset @p off. */
  template <Width W>
  void write(W v, Offset<W, Size> off) const {
    detail::mmio_write<W, Barrier>(v, at(off.value));
  }
  /** @brief Reads a @p W at the runtime offset @p off; `ERANGE` out of bounds, `EINVAL` misaligned. */
  template <Width W>
  [[nodiscard]] Result<W> try_read(usize off) const {
    KCPP_TRY(detail::check_offset(off, sizeof(W), maxsize_));
    return detail::mmio_read<W, Barrier>(at(off));
  }
  /** @brief Writes @p v at the runtime offset @p off; `ERANGE` out of bounds, `EINVAL` misaligned. */
  template <Width W>
  [[nodiscard]] Result<void> try_write(W v, usize off) const {
    KCPP_TRY(detail::check_offset(off, sizeof(W), maxsize_));
    detail::mmio_write<W, Barrier>(v, at(off));
    return {};
  }

  /** @brief `readb()`. */
  [[nodiscard]] u8 read8(Offset<u8, Size> off) const { return read<u8>(off); }
  /** @brief `readw()`. */
  [[nodiscard]] u16 read16(Offset<u16, Size> off) const { return read<u16>(off); }
  /** @brief `readl()`. */
  [[nodiscard]] u32 read32(Offset<u32, Size> off) const { return read<u32>(off); }
  /** @brief `readq()`. */
  [[nodiscard]] u64 read64(Offset<u64, Size> off) const { return read<u64>(off); }
  /** @brief `writeb()`. */
  void write8(u8 v, Offset<u8, Size> off) const { write<u8>(v, off); }
  /** @brief `writew()`. */
  void write16(u16 v, Offset<u16, Size> off) const { write<u16>(v, off); }
  /** @brief `writel()`. */
  void write32(u32 v, Offset<u32, Size> off) const { write<u32>(v, off); }
  /** @brief `writeq()`. */
  void write64(u64 v, Offset<u64, Size> off) const { write<u64>(v, off); }
  /** @brief Runtime-checked `readb()`. */
  [[nodiscard]] Result<u8> try_read8(usize off) const { return try_read<u8>(off); }
  /** @brief Runtime-checked `readw()`. */
  [[nodiscard]] Result<u16> try_read16(usize off) const { return try_read<u16>(off); }
  /** @brief Runtime-checked `readl()`. */
  [[nodiscard]] Result<u32> try_read32(usize off) const { return try_read<u32>(off); }
  /** @brief Runtime-checked `readq()`. */
  [[nodiscard]] Result<u64> try_read64(usize off) const { return try_read<u64>(off); }
  /** @brief Runtime-checked `writeb()`. */
  [[nodiscard]] Result<void> try_write8(u8 v, usize off) const { return try_write<u8>(v, off); }
  /** @brief Runtime-checked `writew()`. */
  [[nodiscard]] Result<void> try_write16(u16 v, usize off) const { return try_write<u16>(v, off); }
  /** @brief Runtime-checked `writel()`. */
  [[nodiscard]] Result<void> try_write32(u32 v, usize off) const { return try_write<u32>(v, off); }
  /** @brief Runtime-checked `writeq()`. */
  [[nodiscard]] Result<void> try_write64(u64 v, usize off) const { return try_write<u64>(v, off); }

  /// @cond KCPP_INTERNAL
  // For typed registers, whose offsets are template arguments.
  template <Width W, usize Off>
  [[nodiscard]] W read_at() const {
    static_assert(detail::offset_ok(Off, sizeof(W), Size),
                  "kcpp: register beyond the compile-time size of this I/O region (or "
                  "misaligned); use try_read()");
    return detail::mmio_read<W, Barrier>(at(Off));
  }
  template <Width W, usize Off>
  void write_at(W v) const {
    static_assert(detail::offset_ok(Off, sizeof(W), Size),
                  "kcpp: register beyond the compile-time size of this I/O region (or "
                  "misaligned); use try_write()");
    detail::mmio_write<W, Barrier>(v, at(Off));
  }
  /// @endcond

 protected:
  /// @cond KCPP_INTERNAL
  MmioAccess(void* addr, usize maxsize) : addr_(addr), maxsize_(maxsize) {}
  volatile void* at(usize off) const { return static_cast<volatile u8*>(addr_) + off; }
  /// @endcond

 private:
  void* addr_;
  usize maxsize_;
};

template <usize Size>
class Mmio;

/**
 * @brief The `_relaxed` accessors of a mapping (no compiler barrier).
 *
 * @par Invariants
 * Only `Mmio::relaxed()` makes one, over the same address and size as that
 * `Mmio`; like it, the view owns nothing and is valid while the mapping is.
 */
template <usize Size>
class RelaxedMmio : public MmioAccess<Size, false> {
  template <usize>
  friend class Mmio;
  using MmioAccess<Size, false>::MmioAccess;
};

/**
 * @brief A mapping of at least @p Size bytes of device memory, with ordered
 * accessors (`readl()`/`writel()`).
 *
 * @par Invariants
 * `addr()` maps `maxsize() >= Size` bytes of I/O memory while the object
 * lives (bus code owns the mapping: see `pci::Bar`).
 */
template <usize Size>
class Mmio : public MmioAccess<Size, true> {
 public:
  /**
   * @brief A view of @p maxsize bytes at @p addr; `EINVAL` if smaller than
   * @p Size.
   *
   * @par Safety
   * @p addr maps @p maxsize bytes of I/O memory (or ordinary memory, in
   * tests) for as long as the object is used.
   */
  [[nodiscard]] static Result<Mmio> unsafe_new(void* addr, usize maxsize) {
    if (maxsize < Size)
      return code::EINVAL;
    return Mmio(addr, maxsize);
  }
  /**
   * @brief A copy of this view (of a `pci::Bar`, say) to keep in a local
   * variable: the ordered accessors carry a compiler barrier, so the address
   * of a view reached through memory is loaded again after every access,
   * as `priv->base` would be in C; a local copy stays in a register.
   */
  [[nodiscard]] Mmio view() const { return *this; }
  /** @brief The same mapping with the `_relaxed` accessors. */
  [[nodiscard]] RelaxedMmio<Size> relaxed() const { return RelaxedMmio<Size>(this->addr(), this->maxsize()); }

 protected:
  /** @brief A view of @p maxsize bytes at @p addr (checked by the caller). */
  Mmio(void* addr, usize maxsize) : MmioAccess<Size, true>(addr, maxsize) {}
};

/**
 * @brief Sleeps (or, below 10 us, spins) for @p us microseconds:
 * `fsleep()`, which picks udelay, usleep_range or msleep by length. Not for
 * atomic context.
 */
inline void fsleep(unsigned long us, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  kcpp_might_sleep(file, line);
  kcpp_fsleep(us);
}

/**
 * @brief The kernel's clock, what the polling helpers wait on unless told
 * otherwise: `ktime_get_ns()` and `fsleep()`. Empty, and its calls inline:
 * a poll on it is the poll without it.
 */
struct KernelClock {
  /** @brief `ktime_get_ns()`: monotonic nanoseconds. */
  [[nodiscard]] u64 now_ns() const { return kcpp_ktime_get_ns(); }
  /** @brief `fsleep()` (the caller said it may sleep). */
  void sleep_us(unsigned long us) const { kcpp_fsleep(us); }
};

/**
 * @brief A clock the polling helpers can wait on: `now_ns()` and
 * `sleep_us()`. `KernelClock` is the real one; a test's simulated clock
 * advances when the code under test sleeps, so that a timeout path runs in
 * no real time and the test can check when, in simulated time, it ended.
 */
template <typename C>
concept Clock = requires(const C& c, unsigned long us) {
  { c.now_ns() } -> same_as<u64>;
  c.sleep_us(us);
};

/// @cond KCPP_INTERNAL
namespace detail {
// The loop of both polling forms: read until cond holds or, with a
// timeout, the deadline passed on clock (one last read then); wait()
// between reads.
template <typename C, typename Op, typename Cond, typename Wait>
auto poll(const C& clock, Op& op, Cond& cond, unsigned long timeout_us, Wait wait) -> Result<decltype(op())> {
  const u64 deadline = clock.now_ns() + u64(timeout_us) * 1000;
  for (;;) {
    auto v = op();
    if (cond(v))
      return v;
    if (timeout_us && clock.now_ns() > deadline) {
      v = op();
      if (cond(v))
        return v;
      return code::ETIMEDOUT;
    }
    wait();
    kcpp_cpu_relax();
  }
}
}  // namespace detail
/// @endcond

/**
 * @brief As `read_poll_timeout()`, with the time kept by @p clock: it
 * reads the deadline and sleeps between reads on it.
 *
 * Code that runs against simulated hardware in its tests takes the clock
 * from its I/O type (nova-core's `clock_of(bar)`): `KernelClock` on a real
 * device, a simulated one in the tests.
 *
 * @par Examples
 * @code{.cpp}
 * // A clock that only moves when slept on, as a simulator's would.
 * struct Simulated {
 *   mutable kcpp::u64 ns = 0;
 *   kcpp::u64 now_ns() const { return ns; }
 *   void sleep_us(unsigned long us) const { ns += kcpp::u64(us) * 1000; }
 * };
 * const Simulated clock;
 * auto never = kcpp::io::read_poll_timeout_on(clock, [] { return 0; }, [](int n) { return n == 1; },
 *                                             1000, 4000000);
 * KCPP_ASSERT_EQ(never.error(), kcpp::code::ETIMEDOUT);
 * // It gave up just past the deadline, 4 s of simulated time, in no real time.
 * KCPP_ASSERT(clock.ns > 4000000000ull && clock.ns <= 4001000000ull);
 * @endcode
 */
template <Clock C, typename Op, typename Cond>
[[nodiscard]] auto read_poll_timeout_on(const C& clock, Op&& op, Cond&& cond, unsigned long sleep_us,
                                        unsigned long timeout_us, const char* file = __builtin_FILE(),
                                        int line = __builtin_LINE()) -> Result<decltype(op())> {
  if (sleep_us)
    kcpp_might_sleep(file, line);
  return detail::poll(clock, op, cond, timeout_us, [&clock, sleep_us] {
    if (sleep_us)
      clock.sleep_us(sleep_us);
  });
}

/**
 * @brief Reads with @p op until @p cond holds, sleeping about @p sleep_us
 * between reads, for at most @p timeout_us: `read_poll_timeout()`.
 *
 * Returns the last value read, or `ETIMEDOUT` if @p cond never held (the
 * condition is checked once more after the deadline, so a slow wake-up does
 * not turn success into a timeout). As in C, a @p timeout_us of 0 polls
 * without a deadline, and a @p sleep_us of 0 never sleeps (it spins with
 * `cpu_relax()`, and only a non-zero @p sleep_us asserts that the caller
 * may sleep). In atomic context use `read_poll_timeout_atomic()`.
 *
 * @par Examples
 * @code{.cpp}
 * int calls = 0;
 * auto v = kcpp::io::read_poll_timeout([&] { return ++calls; },
 *                                      [](int n) { return n == 3; }, 10, 100000);
 * KCPP_ASSERT_EQ(*v, 3);
 * auto never = kcpp::io::read_poll_timeout([] { return 0; }, [](int n) { return n == 1; },
 *                                          100, 1000);
 * KCPP_ASSERT_EQ(never.error(), kcpp::code::ETIMEDOUT);
 * // No deadline: polls until the condition holds.
 * calls = 0;
 * KCPP_ASSERT_EQ(*kcpp::io::read_poll_timeout([&] { return ++calls; },
 *                                             [](int n) { return n == 5000; }, 0, 0), 5000);
 * kcpp::io::fsleep(10);  // a device's reset pulse
 * @endcode
 */
template <typename Op, typename Cond>
[[nodiscard]] auto read_poll_timeout(Op&& op, Cond&& cond, unsigned long sleep_us, unsigned long timeout_us,
                                     const char* file = __builtin_FILE(), int line = __builtin_LINE())
    -> Result<decltype(op())> {
  return read_poll_timeout_on(KernelClock{}, op, cond, sleep_us, timeout_us, file, line);
}

/**
 * @brief As `read_poll_timeout()`, busy-waiting @p delay_us with `udelay()`
 * between reads instead of sleeping: `read_poll_timeout_atomic()`, for
 * atomic context (a spinlock held, interrupts off). A @p timeout_us of 0
 * polls without a deadline.
 *
 * @par Examples
 * @code{.cpp}
 * int calls = 0;
 * auto v = kcpp::io::read_poll_timeout_atomic([&] { return ++calls; },
 *                                             [](int n) { return n == 3; }, 1, 1000);
 * KCPP_ASSERT_EQ(*v, 3);
 * auto never = kcpp::io::read_poll_timeout_atomic([] { return 0; }, [](int n) { return n == 1; },
 *                                                 5, 100);
 * KCPP_ASSERT_EQ(never.error(), kcpp::code::ETIMEDOUT);
 * @endcode
 */
template <typename Op, typename Cond>
[[nodiscard]] auto read_poll_timeout_atomic(Op&& op, Cond&& cond, unsigned long delay_us,
                                            unsigned long timeout_us) -> Result<decltype(op())> {
  return detail::poll(KernelClock{}, op, cond, timeout_us, [delay_us] {
    if (delay_us)
      kcpp_udelay(delay_us);
  });
}

}  // namespace kcpp::io

#endif  // KCPP_IO_H
