/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/io/register.h
 * @brief Typed registers: named bit fields, register arrays, registers
 * relative to an engine base, all checked at compile time.
 *
 * A register is a small class deriving from one of the address kinds below
 * and naming its fields with `KCPP_REG_FIELD` (hi:lo bit ranges):
 *
 *  - `io::Register<Self, T, Offset>`: at a fixed offset;
 *  - `io::RegisterArray<Self, T, Offset, Stride, Count>`: `Count` copies,
 *    `Stride` bytes apart; a constant index is checked at compile time
 *    (`read<I>(io)`), a runtime one with `ERANGE` (`try_read(io, i)`);
 *  - `io::RelativeRegister<Self, T, Offset, Family>`: at `Offset` from the
 *    base an engine type gives for `Family` (`E::base(Family{})`), so one
 *    definition serves every engine instance;
 *  - `io::RelativeRegisterArray<...>`: both.
 *
 * Registers read from and write to any I/O region with compile-time size
 * (`io::Mmio`, `pci::Bar`, a mock register file in tests): the access must
 * fit the region's compile-time size or it does not compile; `try_read()` /
 * `try_write()` check against the real size at run time instead.
 *
 * Field getters return the field's type: the smallest unsigned integer that
 * holds it, `bool` for one bit, or an enum given with `KCPP_REG_FIELD_AS`
 * (every bit pattern a valid value) or `KCPP_REG_FIELD_TRY` (conversion that
 * can fail: the getter returns `Result<E>`, from `try_from_bits()`).
 * Setters return a modified copy: `with_x(v)` takes a value checked to fit
 * the field (constants at compile time, other values through
 * `io::Bits<N>::try_new()`), `try_with_x(v)` checks at run time.
 *
 * @par Examples
 * @code{.cpp}
 * enum class Mode : kcpp::u8 { Off = 0, Fast = 1, Slow = 2, Test = 3 };
 * struct CTRL : kcpp::io::Register<CTRL, kcpp::u32, 0x4> {
 *   KCPP_REG_FIELD(0, 0, enable);
 *   KCPP_REG_FIELD_AS(2, 1, mode, Mode);
 *   KCPP_REG_FIELD(15, 8, divider);
 * };
 * struct SCRATCH : kcpp::io::RegisterArray<SCRATCH, kcpp::u32, 0x10, 4, 4> {
 *   KCPP_REG_FIELD(31, 0, value);
 * };
 *
 * alignas(8) kcpp::u8 mem[0x20] = {};
 * // SAFETY: mem is an ordinary array of sizeof(mem) bytes standing in for device memory.
 * auto io = kcpp::io::Mmio<0x20>::unsafe_new(mem, sizeof(mem)).expect("mem is large enough");
 * CTRL::zeroed().with_enable(true).with_mode(Mode::Slow).with_divider(0x2a).write(io);
 * KCPP_ASSERT_EQ(io.read32(0x4), 0x2a05u);
 * CTRL c = CTRL::read(io);
 * KCPP_ASSERT(c.enable());
 * KCPP_ASSERT(c.mode() == Mode::Slow);
 * KCPP_ASSERT_EQ(c.divider(), 0x2a);
 * CTRL::update(io, [](CTRL r) { return r.with_enable(false); });
 * KCPP_ASSERT_EQ(io.read32(0x4), 0x2a04u);
 * KCPP_ASSERT(CTRL::zeroed().try_with_divider(0x100).is_err()); // 9 bits in 8
 * // An enum value known only at run time is checked too (4 needs 3 bits).
 * volatile kcpp::u8 wide = 4;
 * KCPP_ASSERT_EQ(CTRL::zeroed().try_with_mode(static_cast<Mode>(wide)).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT(KCPP_TRY(CTRL::zeroed().try_with_mode(Mode::Test)).mode() == Mode::Test);
 * // What an enum setter takes: a constant checked to fit at compile time.
 * constexpr kcpp::io::EnumBits<Mode, 2> fast = Mode::Fast;
 * static_assert(fast.get() == Mode::Fast);
 *
 * SCRATCH::zeroed().with_value(7).write<3>(io);
 * KCPP_ASSERT_EQ(io.read32(0x1c), 7u);
 * KCPP_ASSERT_EQ(KCPP_TRY(SCRATCH::try_read(io, 3)).value(), 7u);
 * KCPP_ASSERT(SCRATCH::try_read(io, 4).is_err()); // index out of range
 * @endcode
 *
 * One definition for every instance of an engine: registers relative to a
 * base the engine type gives, per base family.
 * @code{.cpp}
 * struct Falcon2 {};  // a second range of the same engines
 * struct Gsp {
 *   static constexpr kcpp::usize base(kcpp::io::DefaultBase) { return 0x100; }
 *   static constexpr kcpp::usize base(Falcon2) { return 0x180; }
 * };
 * struct Sec2 {
 *   static constexpr kcpp::usize base(kcpp::io::DefaultBase) { return 0x200; }
 *   static constexpr kcpp::usize base(Falcon2) { return 0x280; }
 * };
 * struct MAILBOX0 : kcpp::io::RelativeRegister<MAILBOX0, kcpp::u32, 0x40> {
 *   KCPP_REG_FIELD(31, 0, value);
 * };
 * struct BROM : kcpp::io::RelativeRegister<BROM, kcpp::u32, 0x10, Falcon2> {
 *   KCPP_REG_FIELD(1, 0, mode);
 * };
 * struct DMATRF : kcpp::io::RelativeRegisterArray<DMATRF, kcpp::u32, 0x20, 4, 2> {
 *   KCPP_REG_FIELD(15, 0, offset);
 * };
 * alignas(8) kcpp::u8 mem[0x300] = {};
 * // SAFETY: mem is an ordinary array of sizeof(mem) bytes standing in for device memory.
 * auto io = kcpp::io::Mmio<0x300>::unsafe_new(mem, sizeof(mem)).expect("mem is large enough");
 * MAILBOX0::zeroed().with_value(0xcafe).write(io, Gsp{});
 * MAILBOX0::zeroed().with_value(0xbeef).write(io, Sec2{});
 * KCPP_ASSERT_EQ(io.read32(0x140), 0xcafeu);
 * KCPP_ASSERT_EQ(io.read32(0x240), 0xbeefu);
 * BROM::zeroed().with_mode(kcpp::io::Bits<2>(3)).write(io, Sec2{});
 * KCPP_ASSERT_EQ(io.read32(0x290), 3u);
 * DMATRF::zeroed().with_offset(0x10).write<1>(io, Gsp{});
 * KCPP_ASSERT_EQ(io.read32(0x124), 0x10u);
 * // Every register type shares the value operations of RegisterValue.
 * const kcpp::io::RegisterValue<DMATRF, kcpp::u32>& v = DMATRF::from_raw(0x20);
 * KCPP_ASSERT_EQ(v.raw(), 0x20u);
 * @endcode
 *
 * A field wider than its register does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: field beyond the register's width
 * using Bits8to0 = kcpp::io::Field<kcpp::u8, 8, 0>;  // 9 bits of an 8-bit register
 * (void)Bits8to0::MASK;
 * @endcode
 *
 * Nor does a constant setter value that does not fit:
 * @code{.cpp compile_fail}
 * // compile_fail: value_does_not_fit_the_field
 * kcpp::io::Bits<4> low = 16;  // what with_x(16) receives for a 4-bit field
 * @endcode
 *
 * Nor a constant enum value wider than its field (here 4 in 2 bits), which
 * would otherwise be cut down to another value:
 * @code{.cpp compile_fail}
 * // compile_fail: value_does_not_fit_the_field
 * enum class Mode : kcpp::u8 { Off = 0, Wide = 4 };
 * struct CTRL : kcpp::io::Register<CTRL, kcpp::u32, 0x4> {
 *   KCPP_REG_FIELD_AS(2, 1, mode, Mode);
 * };
 * auto c = CTRL::zeroed().with_mode(Mode::Wide);
 * @endcode
 *
 * Nor a constant array index past the end:
 * @code{.cpp compile_fail}
 * // compile_fail: register array index out of range
 * struct A : kcpp::io::RegisterArray<A, kcpp::u32, 0, 4, 2> {};
 * alignas(8) kcpp::u8 mem[64] = {};
 * // SAFETY: mem is an ordinary array of sizeof(mem) bytes standing in for device memory.
 * auto io = kcpp::io::Mmio<64>::unsafe_new(mem, sizeof(mem)).expect("mem is large enough");
 * A a = A::read<2>(io);  // elements 0 and 1 only
 * @endcode
 */
#ifndef KCPP_IO_REGISTER_H
#define KCPP_IO_REGISTER_H

#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/types.h>

namespace kcpp::io {

/// @cond KCPP_INTERNAL
namespace detail {
void value_does_not_fit_the_field();

template <usize Bits>
using uint_for =
    conditional_t<(Bits <= 8), u8, conditional_t<(Bits <= 16), u16, conditional_t<(Bits <= 32), u32, u64>>>;
}  // namespace detail
/// @endcond

/**
 * @brief An unsigned value known to fit in @p N bits: what field setters
 * take. Constants are checked at compile time; other values with
 * `try_new()` (or cut down explicitly with `masked()`).
 */
template <usize N>
class Bits {
  static_assert(N >= 1 && N <= 64, "kcpp: a field has 1 to 64 bits");

 public:
  /** @brief The value type. */
  using type = detail::uint_for<N>;
  /** @brief The largest value. */
  static constexpr u64 MAX = N == 64 ? ~0ull : (1ull << N) - 1;

  /** @brief A constant; one that does not fit does not compile. */
  consteval Bits(u64 v) : v_(static_cast<type>(v)) {  // NOLINT: implicit by design
    if (v > MAX)
      detail::value_does_not_fit_the_field();
  }
  /** @brief @p v if it fits, `EINVAL` otherwise. */
  [[nodiscard]] static constexpr Result<Bits> try_new(u64 v) {
    if (v > MAX)
      return code::EINVAL;
    return Bits(v, Unchecked{});
  }
  /** @brief The low @p N bits of @p v. */
  [[nodiscard]] static constexpr Bits masked(u64 v) { return Bits(v & MAX, Unchecked{}); }
  /** @brief The value. */
  [[nodiscard]] constexpr type get() const { return v_; }

 private:
  struct Unchecked {};
  constexpr Bits(u64 v, Unchecked) : v_(static_cast<type>(v)) {}
  type v_;
};

/**
 * @brief A constant of the enum @p E known to fit in @p N bits: what the
 * setters of `KCPP_REG_FIELD_AS` and `KCPP_REG_FIELD_TRY` fields take, so
 * that a value wider than its field does not compile instead of being cut
 * down. Values known only at run time go through `try_with_x(E)`.
 */
template <typename E, usize N>
class EnumBits {
 public:
  /** @brief A constant; one that does not fit does not compile. */
  consteval EnumBits(E v) : v_(v) {  // NOLINT: implicit by design
    if (static_cast<u64>(v) > Bits<N>::MAX)
      detail::value_does_not_fit_the_field();
  }
  /** @brief The value. */
  [[nodiscard]] constexpr E get() const { return v_; }

 private:
  E v_;
};

/**
 * @brief A field of bits @p Hi..@p Lo of a @p T register, read as @p V.
 */
template <typename T, usize Hi, usize Lo, typename V = void>
struct Field {
  static_assert(Hi >= Lo, "kcpp: a field's high bit is below its low bit");
  static_assert(Hi < sizeof(T) * 8, "kcpp: field beyond the register's width");
  /** @brief The number of bits. */
  static constexpr usize WIDTH = Hi - Lo + 1;
  /** @brief The field's bits in place. */
  static constexpr T MASK = static_cast<T>((WIDTH == 64 ? ~0ull : ((1ull << WIDTH) - 1)) << Lo);
  /** @brief What the getter returns. */
  using type = conditional_t<!is_void_v<V>, V, conditional_t<WIDTH == 1, bool, detail::uint_for<WIDTH>>>;

  /** @brief What the setter of a plain field takes: `bool` for one bit, `Bits<width>` otherwise. */
  using arg_type = conditional_t<WIDTH == 1, bool, Bits<WIDTH>>;
  /** @brief The bits of a setter argument. */
  static constexpr u64 arg_bits(bool v) { return v; }
  /** @copydoc arg_bits */
  static constexpr u64 arg_bits(Bits<WIDTH> v) { return v.get(); }
  /** @brief The field's bits of @p raw, shifted down. */
  static constexpr u64 bits(T raw) { return (static_cast<u64>(raw) & MASK) >> Lo; }
  /** @brief @p raw with the field replaced by @p v (which fits). */
  static constexpr T set_bits(T raw, u64 v) {
    return static_cast<T>((raw & ~MASK) | ((static_cast<T>(v) << Lo) & MASK));
  }
  /** @brief The field of @p raw as its type. */
  static constexpr type get(T raw) { return static_cast<type>(bits(raw)); }
};

/**
 * @brief The value and field machinery of a register type @p Self holding
 * a @p T. The address kinds derive from it.
 */
template <typename Self, typename T>
class RegisterValue {
  static_assert(same_as<T, u8> || same_as<T, u16> || same_as<T, u32> || same_as<T, u64>,
                "kcpp: a register is 8, 16, 32 or 64 bits wide");

 public:
  /** @brief The register's width. */
  using value_type = T;
  /** @brief All bits zero. */
  [[nodiscard]] static constexpr Self zeroed() { return from_raw(0); }
  /** @brief The register with the raw value @p v. */
  [[nodiscard]] static constexpr Self from_raw(T v) {
    Self s;
    s.value_ = v;
    return s;
  }
  /** @brief The raw value. */
  [[nodiscard]] constexpr T raw() const { return value_; }
  /** @brief Registers compare by value. */
  friend constexpr bool operator==(const Self& a, const Self& b) { return a.value_ == b.value_; }

 protected:
  /// @cond KCPP_INTERNAL
  T value_ = 0;
  template <usize Off, typename Io>
  static Self read_off(const Io& io) {
    return from_raw(io.template read_at<T, Off>());
  }
  // Returns what the I/O space's write returns: nothing for MMIO, a
  // Result for config space, whose writes can fail.
  template <usize Off, typename Io>
  decltype(auto) write_off(const Io& io) const {
    return io.template write_at<T, Off>(value_);
  }
  template <typename Io>
  static Result<Self> try_read_off(const Io& io, usize off) {
    return from_raw(KCPP_TRY(io.template try_read<T>(off)));
  }
  template <typename Io>
  Result<void> try_write_off(const Io& io, usize off) const {
    return io.template try_write<T>(value_, off);
  }
  /// @endcond
};

/** @brief A register of type @p T at the fixed offset @p Offset. */
template <typename Self, typename T, usize Offset>
class Register : public RegisterValue<Self, T> {
 public:
  /** @brief The register's offset. */
  static constexpr usize OFFSET = Offset;
  /** @brief Reads it from @p io (offset checked against the compile-time size). */
  template <typename Io>
  [[nodiscard]] static Self read(const Io& io) {
    return Register::template read_off<Offset>(io);
  }
  /** @brief Writes it to @p io. */
  template <typename Io>
  decltype(auto) write(const Io& io) const {
    return this->template write_off<Offset>(io);
  }
  /** @brief Reads it, checked against @p io's real size. */
  template <typename Io>
  [[nodiscard]] static Result<Self> try_read(const Io& io) {
    return Register::try_read_off(io, Offset);
  }
  /** @brief Writes it, checked against @p io's real size. */
  template <typename Io>
  [[nodiscard]] Result<void> try_write(const Io& io) const {
    return this->try_write_off(io, Offset);
  }
  /** @brief Read, modify with @p f (`Self(Self)`), write back. */
  template <typename Io, typename F>
  static void update(const Io& io, F&& f) {
    f(read(io)).write(io);
  }
};

/** @brief @p Count registers @p Stride bytes apart from @p Offset. */
template <typename Self, typename T, usize Offset, usize Stride, usize Count>
class RegisterArray : public RegisterValue<Self, T> {
  static_assert(Count > 0 && Stride >= sizeof(T),
                "kcpp: a register array needs Count > 0 "
                "and a stride of at least its width");

 public:
  /** @brief The number of elements. */
  static constexpr usize COUNT = Count;
  /** @brief Reads element @p I (checked at compile time). */
  template <usize I, typename Io>
  [[nodiscard]] static Self read(const Io& io) {
    static_assert(I < Count, "kcpp: register array index out of range");
    return RegisterArray::template read_off<Offset + I * Stride>(io);
  }
  /** @brief Writes element @p I (checked at compile time). */
  template <usize I, typename Io>
  decltype(auto) write(const Io& io) const {
    static_assert(I < Count, "kcpp: register array index out of range");
    return this->template write_off<Offset + I * Stride>(io);
  }
  /** @brief Reads element @p i; `ERANGE` if out of range or beyond @p io. */
  template <typename Io>
  [[nodiscard]] static Result<Self> try_read(const Io& io, usize i) {
    if (i >= Count)
      return code::ERANGE;
    return RegisterArray::try_read_off(io, Offset + i * Stride);
  }
  /** @brief Writes element @p i; `ERANGE` if out of range or beyond @p io. */
  template <typename Io>
  [[nodiscard]] Result<void> try_write(const Io& io, usize i) const {
    if (i >= Count)
      return code::ERANGE;
    return this->try_write_off(io, Offset + i * Stride);
  }
};

/** @brief The base family of registers relative to an engine, by default. */
struct DefaultBase {};

/**
 * @brief A register at @p Offset from the base an engine gives for
 * @p Family: `E::base(Family{})`, a constexpr static function of the engine
 * tag type `E`.
 */
template <typename Self, typename T, usize Offset, typename Family = DefaultBase>
class RelativeRegister : public RegisterValue<Self, T> {
 public:
  /** @brief The register's offset in engine @p E. */
  template <typename E>
  static constexpr usize OFFSET_IN = E::base(Family{}) + Offset;
  /** @brief Reads it from engine @p E of @p io. */
  template <typename E, typename Io>
  [[nodiscard]] static Self read(const Io& io, E = {}) {
    return RelativeRegister::template read_off<OFFSET_IN<E>>(io);
  }
  /** @brief Writes it to engine @p E of @p io. */
  template <typename E, typename Io>
  decltype(auto) write(const Io& io, E = {}) const {
    return this->template write_off<OFFSET_IN<E>>(io);
  }
  /** @brief Reads it from engine @p E, checked against @p io's real size. */
  template <typename E, typename Io>
  [[nodiscard]] static Result<Self> try_read(const Io& io, E = {}) {
    return RelativeRegister::try_read_off(io, OFFSET_IN<E>);
  }
  /** @brief Writes it to engine @p E, checked against @p io's real size. */
  template <typename E, typename Io>
  [[nodiscard]] Result<void> try_write(const Io& io, E = {}) const {
    return this->try_write_off(io, OFFSET_IN<E>);
  }
  /** @brief Read, modify with @p f, write back, in engine @p E. */
  template <typename E, typename Io, typename F>
  static void update(const Io& io, E e, F&& f) {
    f(read(io, e)).write(io, e);
  }
};

/** @brief A register array relative to an engine base (see RelativeRegister). */
template <typename Self, typename T, usize Offset, usize Stride, usize Count, typename Family = DefaultBase>
class RelativeRegisterArray : public RegisterValue<Self, T> {
 public:
  /** @brief The number of elements. */
  static constexpr usize COUNT = Count;
  /** @brief Reads element @p I of engine @p E. */
  template <usize I, typename E, typename Io>
  [[nodiscard]] static Self read(const Io& io, E = {}) {
    static_assert(I < Count, "kcpp: register array index out of range");
    return RelativeRegisterArray::template read_off<E::base(Family{}) + Offset + I * Stride>(io);
  }
  /** @brief Writes element @p I of engine @p E. */
  template <usize I, typename E, typename Io>
  decltype(auto) write(const Io& io, E = {}) const {
    static_assert(I < Count, "kcpp: register array index out of range");
    return this->template write_off<E::base(Family{}) + Offset + I * Stride>(io);
  }
  /** @brief Reads element @p i of engine @p E; `ERANGE` if out of range. */
  template <typename E, typename Io>
  [[nodiscard]] static Result<Self> try_read(const Io& io, E, usize i) {
    if (i >= Count)
      return code::ERANGE;
    return RelativeRegisterArray::try_read_off(io, E::base(Family{}) + Offset + i * Stride);
  }
  /** @brief Writes element @p i of engine @p E; `ERANGE` if out of range. */
  template <typename E, typename Io>
  [[nodiscard]] Result<void> try_write(const Io& io, E, usize i) const {
    if (i >= Count)
      return code::ERANGE;
    return this->try_write_off(io, E::base(Family{}) + Offset + i * Stride);
  }
};

}  // namespace kcpp::io

/// @cond KCPP_INTERNAL
#define KCPP_REG_FIELD_COMMON_(hi, lo, name, V)                        \
  using name##_field = ::kcpp::io::Field<value_type, hi, lo, V>;       \
  [[nodiscard]] constexpr auto try_with_##name(::kcpp::u64 v)          \
      const->::kcpp::Result<::kcpp::remove_cvref_t<decltype(*this)>> { \
    if (v > ::kcpp::io::Bits<name##_field::WIDTH>::MAX)                \
      return ::kcpp::code::EINVAL;                                     \
    auto r = *this;                                                    \
    r.value_ = name##_field::set_bits(r.value_, v);                    \
    return r;                                                          \
  }                                                                    \
  [[nodiscard]] constexpr ::kcpp::u64 name##_bits() const {            \
    return name##_field::bits(this->value_);                           \
  }
// The setters of an enum field: with_name() for a constant checked to fit at
// compile time, try_with_name() for any value, EINVAL if it does not fit.
#define KCPP_REG_FIELD_ENUM_SETTERS_(name, E)                                                      \
  [[nodiscard]] constexpr auto with_##name(::kcpp::io::EnumBits<E, name##_field::WIDTH> v) const { \
    auto r = *this;                                                                                \
    r.value_ = name##_field::set_bits(r.value_, static_cast<::kcpp::u64>(v.get()));                \
    return r;                                                                                      \
  }                                                                                                \
  [[nodiscard]] constexpr auto try_with_##name(E v) const {                                        \
    return try_with_##name(static_cast<::kcpp::u64>(v));                                           \
  }
/// @endcond

/**
 * @brief Declares the field @p name, bits @p hi..@p lo, inside a register
 * class: `name()` (an unsigned integer, `bool` for one bit), `with_name(v)`,
 * `try_with_name(v)` and `name_bits()`.
 */
#define KCPP_REG_FIELD(hi, lo, name)                                                  \
  KCPP_REG_FIELD_COMMON_(hi, lo, name, void)                                          \
  [[nodiscard]] constexpr typename name##_field::type name() const {                  \
    return name##_field::get(this->value_);                                           \
  }                                                                                   \
  [[nodiscard]] constexpr auto with_##name(typename name##_field::arg_type v) const { \
    auto r = *this;                                                                   \
    r.value_ = name##_field::set_bits(r.value_, name##_field::arg_bits(v));           \
    return r;                                                                         \
  }

/**
 * @brief A field read as the enum @p E, every bit pattern of which is a
 * valid value: `name()` returns an @p E, `with_name(E)` sets it.
 */
#define KCPP_REG_FIELD_AS(hi, lo, name, E)                                                \
  KCPP_REG_FIELD_COMMON_(hi, lo, name, E)                                                 \
  KCPP_REG_FIELD_ENUM_SETTERS_(name, E)                                                   \
  static_assert(sizeof(E) * 8 >= name##_field::WIDTH, "kcpp: enum too narrow for field"); \
  [[nodiscard]] constexpr E name() const {                                                \
    return static_cast<E>(name##_field::bits(this->value_));                              \
  }

/**
 * @brief A field converted to @p E by `try_from_bits(E*, u64)` (found by
 * argument-dependent lookup), which may fail: `name()` returns `Result<E>`.
 */
#define KCPP_REG_FIELD_TRY(hi, lo, name, E)                                           \
  KCPP_REG_FIELD_COMMON_(hi, lo, name, E)                                             \
  KCPP_REG_FIELD_ENUM_SETTERS_(name, E)                                               \
  [[nodiscard]] constexpr ::kcpp::Result<E> name() const {                            \
    return try_from_bits(static_cast<E*>(nullptr), name##_field::bits(this->value_)); \
  }

#endif  // KCPP_IO_REGISTER_H
