/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/init/pin_init.h
 * @brief Fallible construction in place: initializers, `KBox::pin_init`, `Pinned<T>`.
 *
 * Some kernel objects may not move once built (they hold pointers to
 * themselves: locks, list heads, registrations), and building them can fail.
 * C++ constructors build in place but cannot fail without exceptions, so kcpp
 * uses initializers, as the kernel's Rust pin-init does: an initializer is a
 * one-shot callable that constructs a `T` in storage it is given and returns
 * `Result<void>`. On failure it leaves the storage as it found it: nothing to
 * destroy, no half-built object.
 *
 * - `init::emplace<T>(args...)`: `T(args...)`, which cannot fail;
 * - `init::from_result<T>(factory)`: the `T` a fallible factory returns;
 * - `init::fields<T>(init::field<&T::a>(...), ...)`: an aggregate built member
 *   by member, in declaration order, every member covered; if one fails, the
 *   members already built are destroyed in reverse order;
 * - `init::from_fn<T>(fn)`: any callable `Result<void>(T*)` written by hand.
 *
 * Where the object goes: `Box<T, A>::pin_init(gfp, init)` (on failure the
 * memory is freed without running a destructor), or `Pinned<T>` on the stack
 * or as a member (`KCPP_PIN_INIT_STACK` declares one and returns the error
 * from the enclosing function).
 *
 * @par Examples
 * @code{.cpp}
 * struct Device {
 *   kcpp::Mutex<int> state;
 *   kcpp::KVec<kcpp::u32> regs;
 * };
 * auto dev = KCPP_TRY(kcpp::KBox<Device>::pin_init(
 *     kcpp::GFP_KERNEL,
 *     kcpp::init::fields<Device>(
 *         kcpp::init::field<&Device::state>(kcpp::init::emplace<kcpp::Mutex<int>>(KCPP_LOCK_CLASS(), 0)),
 *         kcpp::init::field<&Device::regs>(kcpp::init::from_result<kcpp::KVec<kcpp::u32>>(
 *             [] { return kcpp::KVec<kcpp::u32>::with_capacity(16, kcpp::GFP_KERNEL); })))));
 * KCPP_ASSERT_EQ(dev->regs.capacity(), 16u);
 * KCPP_ASSERT_EQ(*dev->state.lock(), 0);
 * @endcode
 *
 * Any initializer is an `Initializer<T, F>` (`InitializerOf<T>`), and a
 * `Field` pairs a member with one:
 * @code{.cpp}
 * auto seven = kcpp::init::from_fn<int>([](int* slot) -> kcpp::Result<void> {
 *   *slot = 7;
 *   return {};
 * });
 * static_assert(kcpp::InitializerOf<decltype(seven), int>);
 * // What from_fn returns, spelled out:
 * auto eight_fn = [](int* slot) -> kcpp::Result<void> {
 *   *slot = 8;
 *   return {};
 * };
 * kcpp::Initializer<int, decltype(eight_fn)> eight(eight_fn);
 * int target = 0;
 * KCPP_TRY(std::move(eight)(&target));
 * KCPP_ASSERT_EQ(target, 8);
 * struct Wrap {
 *   int v;
 * };
 * kcpp::init::Field f = kcpp::init::field<&Wrap::v>(std::move(seven));
 * auto w = KCPP_TRY(kcpp::KBox<Wrap>::pin_init(kcpp::GFP_KERNEL, kcpp::init::fields<Wrap>(std::move(f))));
 * KCPP_ASSERT_EQ(w->v, 7);
 * @endcode
 *
 * Leaving a member out does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: init::fields<T> must initialize every member of T
 * struct Pair {
 *   int a;
 *   int b;
 * };
 * auto i = kcpp::init::fields<Pair>(kcpp::init::field<&Pair::a>(kcpp::init::emplace<int>(1)));
 * @endcode
 *
 * Nor does naming one member twice, which would leave the other one
 * unconstructed, yet destroyed with the aggregate:
 * @code{.cpp compile_fail}
 * // compile_fail: names a member twice
 * struct Pair {
 *   int a;
 *   int b;
 * };
 * auto i = kcpp::init::fields<Pair>(kcpp::init::field<&Pair::a>(kcpp::init::emplace<int>(1)),
 *                                   kcpp::init::field<&Pair::a>(kcpp::init::emplace<int>(2)));
 * @endcode
 */
#ifndef KCPP_INIT_PIN_INIT_H
#define KCPP_INIT_PIN_INIT_H

#include <kcpp/core/error.h>
#include <kcpp/core/new.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/utility.h>

namespace kcpp {

/**
 * @brief An initializer of a @p T: a one-shot callable taking the storage.
 *
 * @par Invariants
 * Calling it either constructs a @p T in the storage and succeeds, or fails
 * and leaves the storage without an object.
 */
template <typename T, typename F>
class Initializer {
 public:
  using type = T;  ///< What it builds.
  /** @brief Wraps @p f, a callable `Result<void>(T*)` that keeps the invariant. */
  constexpr explicit Initializer(F f) : f_(std::move(f)) {}
  /** @brief Runs the initializer on @p slot (raw storage for a T). */
  [[nodiscard]] Result<void> operator()(T* slot) && { return std::move(f_)(slot); }

 private:
  F f_;
};

/** @brief Any initializer of a @p T. */
template <typename I, typename T>
concept InitializerOf = requires(I&& i, T* slot) {
  requires same_as<typename remove_cvref_t<I>::type, T>;
  { std::move(i)(slot) } -> same_as<Result<void>>;
};

namespace init {

/** @brief An initializer from any callable `Result<void>(T*)` that keeps the invariant. */
template <typename T, typename F>
constexpr auto from_fn(F f) {
  return Initializer<T, F>(std::move(f));
}

/** @brief Constructs `T(args...)`; cannot fail. Arguments are taken by value. */
template <typename T, typename... Args>
constexpr auto emplace(Args... args) {
  return from_fn<T>([... args = std::move(args)](T* slot) mutable -> Result<void> {
    new (slot) T(std::move(args)...);
    return {};
  });
}

/** @brief The @p T returned by @p factory (`Result<T>()`), moved into place. */
template <typename T, typename F>
constexpr auto from_result(F factory) {
  return from_fn<T>([f = std::move(factory)](T* slot) mutable -> Result<void> {
    Result<T> r = f();
    if (r.is_err())
      return r.error();
    new (slot) T(std::move(r).expect("checked just above"));
    return {};
  });
}

/// @cond KCPP_INTERNAL
namespace detail {
template <auto Member>
struct MemberInfo;
template <typename C, typename M, M C::* Member>
struct MemberInfo<Member> {
  using Class = C;
  using Type = M;
};

// Counts the members of an aggregate: the largest N (up to 32) for which
// T{x1, ..., xN} compiles, each x converting to a prvalue of any type. A
// smaller N does not compile when a later member has no default
// constructor (a lock), a larger one has too many initializers. Array
// members would take one x per element: init::fields does not take them.
template <usize>
struct AnyAt {
  template <typename U>
  operator U() const;
};
template <usize... I>
struct IndexSeq {};
#ifdef __clang__  // clang-tidy parses kcpp with clang's builtin for the same sequence
template <typename, usize... I>
struct IndexSeqOf {
  using type = IndexSeq<I...>;
};
template <usize N>
using MakeIndexSeq = typename __make_integer_seq<IndexSeqOf, usize, N>::type;
#else
template <usize N>
using MakeIndexSeq = IndexSeq<__integer_pack(N)...>;
#endif
template <typename T, usize... I>
constexpr bool brace_constructible(IndexSeq<I...>) {
  return requires { T{AnyAt<I>{}...}; };
}
template <typename T, usize N = 32>
constexpr usize member_count() {
  if constexpr (brace_constructible<T>(MakeIndexSeq<N>{}))
    return N;
  else if constexpr (N == 0)
    return 0;
  else
    return member_count<T, N - 1>();
}
}  // namespace detail
/// @endcond

/** @brief One member of an aggregate and the initializer that builds it. */
template <auto Member, typename I>
struct Field {
  static constexpr auto MEMBER = Member;                     ///< The member pointer.
  using Class = typename detail::MemberInfo<Member>::Class;  ///< The aggregate.
  using Type = typename detail::MemberInfo<Member>::Type;    ///< The member's type.
  I init;                                                    ///< Builds the member.
};

/** @brief Pairs the member @p Member (`&T::name`) with its initializer. */
template <auto Member, typename I>
constexpr auto field(I init) {
  using M = typename detail::MemberInfo<Member>::Type;
  static_assert(InitializerOf<I, M>, "kcpp: the initializer of this field builds another type.");
  return Field<Member, I>{std::move(init)};
}

/// @cond KCPP_INTERNAL
namespace detail {
// Member pointers of one class compare equal only if they name the same
// member; pointers of different member types name different members.
template <auto A, auto B>
constexpr bool same_member() {
  if constexpr (is_same_v<decltype(A), decltype(B)>)
    return A == B;
  else
    return false;
}
template <auto... Members>
struct Distinct {
  static constexpr bool value = true;
};
template <auto First, auto... Rest>
struct Distinct<First, Rest...> {
  static constexpr bool value = (!same_member<First, Rest>() && ...) && Distinct<Rest...>::value;
};

template <typename T>
Result<void> build_fields(T*) {
  return {};
}
template <typename T, auto Member, typename I, typename... Rest>
Result<void> build_fields(T* obj, Field<Member, I>& first, Rest&... rest) {
  auto* member = &(obj->*Member);
  KCPP_TRY(std::move(first.init)(member));
  Result<void> r = build_fields(obj, rest...);
  if (r.is_err()) {
    // A later member failed: undo this one (the later ones undid themselves).
    using M = typename Field<Member, I>::Type;
    member->~M();
  }
  return r;
}
}  // namespace detail
/// @endcond

/**
 * @brief An aggregate @p T built member by member, in the order given.
 *
 * Every member of @p T must have exactly one field (a member left out or
 * named twice does not compile); on failure the members already built are
 * destroyed, in reverse order. Give the fields in declaration order, so that
 * members are built in the order T's destructor undoes.
 */
template <typename T, typename... Fields>
constexpr auto fields(Fields... fs) {
  static_assert(__is_aggregate(T),
                "kcpp: init::fields<T> builds aggregates; give T a static init() instead.");
  static_assert((same_as<typename Fields::Class, T> && ...),
                "kcpp: a field of init::fields<T> is not a member of T.");
  // Distinct names and as many fields as members: every member is built
  // exactly once. A member named twice would leave another unconstructed,
  // and T's destructor would later destroy it.
  static_assert(detail::Distinct<Fields::MEMBER...>::value,
                "kcpp: init::fields<T> names a member twice; each member takes exactly one field.");
  static_assert(detail::member_count<T>() == sizeof...(Fields),
                "kcpp: init::fields<T> must initialize every member of T, one field each "
                "(array members are not supported).");
  return from_fn<T>([... fs = std::move(fs)](T* slot) mutable -> Result<void> {
    return detail::build_fields(slot, fs...);
  });
}

}  // namespace init

/**
 * @brief Storage for one @p T that is built in place by an initializer and
 * never moves: on the stack, or as a member built after its owner.
 *
 * @par Invariants
 * Holds a live @p T exactly when `is_init()`; destroys it when destroyed.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Pinned<kcpp::Mutex<int>> m;
 * KCPP_TRY(m.init(kcpp::init::emplace<kcpp::Mutex<int>>(KCPP_LOCK_CLASS(), 3)));
 * KCPP_ASSERT_EQ(*m->lock(), 3);
 * @endcode
 */
template <typename T>
class Pinned {
 public:
  constexpr Pinned() = default;
  Pinned(const Pinned&) = delete;
  Pinned& operator=(const Pinned&) = delete;
  ~Pinned() {
    if (live_)
      get()->~T();
  }
  /** @brief Builds the object with @p i; `EBUSY` if it is already built. */
  template <typename I>
    requires InitializerOf<I, T>
  [[nodiscard]] Result<void> init(I&& i) {
    if (live_)
      return code::EBUSY;
    KCPP_TRY(std::move(i)(slot()));
    live_ = true;
    return {};
  }
  /** @brief Whether the object is built. */
  [[nodiscard]] bool is_init() const { return live_; }
  /** @brief The object; it must be built. */
  T* operator->() { return checked(); }
  /** @copydoc operator->() */
  T& operator*() { return *checked(); }

 private:
  // The raw storage, for the initializer to build the object in.
  T* slot() {
    // SAFETY: storage_ is sizeof(T) bytes aligned for T that never move; no T lives there yet,
    // so the pointer only names the place, which the initializer builds the object at.
    return reinterpret_cast<T*>(storage_);
  }
  // The object, once live_ (checked() and ~Pinned() look first).
  T* get() {
    // SAFETY: live_ says init() built a T in storage_, which never moves; launder reaches it.
    return std::launder(reinterpret_cast<T*>(storage_));
  }
  T* checked(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (!live_) [[unlikely]]
      kcpp::detail::precondition_failed("Pinned<T> used before init()", file, line);
    return get();
  }
  alignas(T) unsigned char storage_[sizeof(T)] = {};
  bool live_ = false;
};

}  // namespace kcpp

/**
 * @brief Declares `name`, a `kcpp::Pinned<T>` on the stack, and builds it
 * with @p initializer; on failure returns the error from the enclosing
 * function (which must return a `Result`).
 */
#define KCPP_PIN_INIT_STACK(T, name, initializer) \
  ::kcpp::Pinned<T> name;                         \
  KCPP_TRY(name.init(initializer))

#endif  // KCPP_INIT_PIN_INIT_H
