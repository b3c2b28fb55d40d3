/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/new.h
 * @brief Placement new, and no global operator new.
 *
 * The compiler needs placement `operator new` by name to construct an object
 * in storage that is already there; without libstdc++ kcpp declares it. The
 * allocating forms of `new` are declared with an error attribute: writing
 * `new T` in kernel code fails to compile with a sentence naming the
 * replacement, because the kernel cannot allocate without GFP flags and
 * every allocation must be able to fail. Allocate with `KBox<T>::make(gfp,
 * ...)` and `KVec<T>`. The global `operator delete` overloads are defined in
 * the C shim (they route to `kfree()`).
 *
 * @par Examples
 * @code{.cpp}
 * struct Point { int x, y; };
 * alignas(Point) unsigned char storage[sizeof(Point)];
 * Point* p = new (storage) Point{1, 2};
 * KCPP_ASSERT_EQ(p->y, 2);
 * p->~Point();
 * @endcode
 *
 * The tag types of the aligned and non-throwing forms exist, so that the
 * compiler's own declarations of those forms resolve; the forms themselves
 * are refused like the plain one:
 * @code{.cpp}
 * static_assert(kcpp::is_enum_v<std::align_val_t>);
 * static_assert(sizeof(std::align_val_t) == sizeof(std::size_t));
 * [[maybe_unused]] std::nothrow_t tag{};
 * alignas(64) unsigned char line[64];
 * auto* v = new (line) kcpp::u64(9);  // placement new needs neither
 * KCPP_ASSERT_EQ(*v, 9u);
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: kcpp has no global operator new
 * auto box = kcpp::KBox<int>::unsafe_from_raw(new (std::nothrow_t{}) int(3));
 * @endcode
 *
 * Allocating with `new` does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: kcpp has no global operator new
 * auto box = kcpp::KBox<int>::unsafe_from_raw(new int(3));
 * @endcode
 */
#ifndef KCPP_CORE_NEW_H
#define KCPP_CORE_NEW_H

// The standard library's names: the compiler looks them up.
// NOLINTBEGIN(readability-identifier-naming)

#include <kcpp/core/types.h>

// The error attribute fires where a call to the allocating operator new
// remains after optimisation; a `new` whose result g++ can prove unused is
// removed first (allocation elision) and goes unreported, harmlessly.

namespace std {
/** @brief Tag type of the aligned allocation and deallocation functions. */
enum class align_val_t : size_t {};
/** @brief Tag type of the non-throwing allocation functions. */
struct nothrow_t {
  explicit nothrow_t() = default;
};

/**
 * @brief Stops the compiler from assuming anything about an object reached
 * through @p p (the storage was reused for a new object).
 *
 * @par Examples
 * @code{.cpp}
 * alignas(int) unsigned char buf[sizeof(int)];
 * new (buf) int(7);
 * KCPP_ASSERT_EQ(*std::launder(reinterpret_cast<int*>(buf)), 7);
 * @endcode
 */
template <typename T>
[[nodiscard]] constexpr T* launder(T* p) noexcept {
  return __builtin_launder(p);
}
}  // namespace std

/** @brief Placement new: constructs in storage the caller owns. */
[[nodiscard]] inline void* operator new(std::size_t, void* where) noexcept {
  return where;
}
/** @brief Placement new[]: constructs an array in storage the caller owns. */
[[nodiscard]] inline void* operator new[](std::size_t, void* where) noexcept {
  return where;
}
/** @brief Placement delete, called only if a placement-new constructor throws (never here). */
inline void operator delete(void*, void*) noexcept {}
/** @brief Placement delete[], likewise. */
inline void operator delete[](void*, void*) noexcept {}

// The allocating forms exist only to be rejected at compile time. clang
// declares them implicitly before this header and takes the error attribute
// on a first declaration only; its unavailable attribute, which it does accept
// on a redeclaration, rejects a use at compile time with the same sentence.
/// @cond KCPP_INTERNAL
#ifdef __clang__
#define KCPP_NO_GLOBAL_NEW_(msg) __attribute__((unavailable(msg)))
#else
#define KCPP_NO_GLOBAL_NEW_(msg) __attribute__((error(msg)))
#endif
/// @endcond
void* operator new(std::size_t)
    KCPP_NO_GLOBAL_NEW_("kcpp has no global operator new: allocate with kcpp::KBox<T>::make(gfp, args...)");
void* operator new[](std::size_t)
    KCPP_NO_GLOBAL_NEW_("kcpp has no global operator new[]: allocate with kcpp::KVec<T>");
void* operator new(std::size_t, std::align_val_t)
    KCPP_NO_GLOBAL_NEW_("kcpp has no global operator new: allocate with kcpp::KBox<T>::make(gfp, args...)");
void* operator new(std::size_t, const std::nothrow_t&) noexcept
    KCPP_NO_GLOBAL_NEW_("kcpp has no global operator new: allocate with kcpp::KBox<T>::make(gfp, args...)");

void operator delete(void*) noexcept;
void operator delete(void*, std::size_t) noexcept;
void operator delete[](void*) noexcept;
void operator delete[](void*, std::size_t) noexcept;

// NOLINTEND(readability-identifier-naming)
#endif  // KCPP_CORE_NEW_H
