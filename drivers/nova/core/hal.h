/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-chip HALs as types.
 *
 * A HAL is a type whose static member functions do one chip family's part
 * of a job (falcon/tu102.h, fb/ga102.h, ...). Which family a GPU belongs to
 * is known only at probe time, so a `HalChoice<Hals...>` records the choice
 * as an index and `visit()` hands the chosen type to a generic lambda:
 *
 *   hal_.visit([&](auto hal) { return decltype(hal)::vidmem_size(bar); });
 *
 * The one switch lives here; the code of each family is in its own header
 * and a family added later is one more type in the list, not a new branch
 * in every function.
 */
#ifndef NOVA_CORE_HAL_H
#define NOVA_CORE_HAL_H

#include <kcpp/core/type_traits.h>
#include <kcpp/core/types.h>

namespace nova {

/// @cond KCPP_INTERNAL
namespace detail {
template <kcpp::usize I, typename H, typename... Rest>
struct NthHal {
  using Type = typename NthHal<I - 1, Rest...>::Type;
};
template <typename H, typename... Rest>
struct NthHal<0, H, Rest...> {
  using Type = H;
};
template <typename H, typename... Hals>
constexpr kcpp::usize hal_index() {
  kcpp::usize i = 0;
  const bool found = ((kcpp::same_as<H, Hals> ? true : (++i, false)) || ...);
  return found ? i : sizeof...(Hals);
}
}  // namespace detail
/// @endcond

/**
 * One of the HAL types @p Hals, chosen at run time.
 *
 * @code{.cpp}
 * #^ struct Old {
 * #^   static constexpr const char* NAME = "old";
 * #^   static int width() { return 40; }
 * #^ };
 * #^ struct New {
 * #^   static constexpr const char* NAME = "new";
 * #^   static int width() { return 64; }
 * #^ };
 * using Choice = nova::HalChoice<Old, New>;
 * constexpr Choice chosen = Choice::of<New>();
 * static_assert(chosen.is<New>() && !chosen.is<Old>());
 * KCPP_ASSERT_EQ(chosen.visit([](auto hal) { return decltype(hal)::width(); }), 64);
 * KCPP_ASSERT_EQ(Choice::of<Old>().visit([](auto hal) { return decltype(hal)::width(); }), 40);
 * KCPP_ASSERT_EQ(__builtin_strcmp(chosen.name(), "new"), 0);
 * @endcode
 *
 * A type that is not one of the choice's does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: not one of this choice's HAL types
 * struct A {};
 * struct B {};
 * auto c = nova::HalChoice<A>::of<B>();
 * @endcode
 */
template <typename... Hals>
class HalChoice {
  static_assert(sizeof...(Hals) > 0 && sizeof...(Hals) < 256);

 public:
  /** The choice of @p H (one of @p Hals). */
  template <typename H>
  static constexpr HalChoice of() {
    constexpr kcpp::usize i = detail::hal_index<H, Hals...>();
    static_assert(i < sizeof...(Hals), "nova: not one of this choice's HAL types");
    return HalChoice(kcpp::u8(i));
  }
  /** Whether @p H is the chosen type. */
  template <typename H>
  [[nodiscard]] constexpr bool is() const {
    return index_ == detail::hal_index<H, Hals...>();
  }
  /** The chosen type's `NAME` (every HAL type has one), for log lines. */
  [[nodiscard]] constexpr const char* name() const {
    return visit([](auto hal) { return decltype(hal)::NAME; });
  }
  /** @p f called with a value of the chosen type. */
  template <typename F>
  constexpr decltype(auto) visit(F&& f) const {
    return visit_from<0>(f);
  }

 private:
  constexpr explicit HalChoice(kcpp::u8 i) : index_(i) {}
  template <kcpp::usize I, typename F>
  constexpr decltype(auto) visit_from(F& f) const {
    using H = typename detail::NthHal<I, Hals...>::Type;
    if constexpr (I + 1 < sizeof...(Hals)) {
      if (index_ != I)
        return visit_from<I + 1>(f);
    }
    return f(H{});
  }
  kcpp::u8 index_;
};

}  // namespace nova

#endif  // NOVA_CORE_HAL_H
