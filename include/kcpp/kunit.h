/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/kunit.h
 * @brief KUnit tests written in C++: suites, cases and assertions.
 *
 * Wraps `include/kunit/test.h`. A test case is a function returning
 * `kcpp::Result<void>`; a suite is declared with `KCPP_KUNIT_SUITE`, which
 * lays out the `struct kunit_case` and `struct kunit_suite` tables in C++
 * (their layouts are checked at compile time against the configured kernel)
 * and registers the suite the way `kunit_test_suites()` does, built in or in
 * a module.
 *
 * Assertions print both sides when they fail and report the file and line
 * of the assertion. `KCPP_EXPECT_*` records the failure and goes on;
 * `KCPP_ASSERT_*` records it and returns from the test function, so the
 * destructors of everything the test built still run (nothing leaks).
 * A test that returns an error fails with the error's name.
 *
 * @par Examples
 * @code{.cpp no_run}
 * #include <kcpp/kunit.h>
 *
 * static kcpp::Result<void> adds_up() {
 *   KCPP_ASSERT_EQ(2 + 2, 4);
 *   KCPP_EXPECT_NE(1, 2);
 *   return {};
 * }
 *
 * KCPP_KUNIT_SUITE(kcpp_example, KCPP_KUNIT_CASE(adds_up));
 * @endcode
 *
 * A case is a `kcpp::kunit::Case` (the C `struct kunit_case`); its function
 * can even be run by hand, here as part of the running test:
 * @code{.cpp}
 * #^ static kcpp::Result<void> always_passes() {
 * #^   KCPP_EXPECT_EQ(2 + 2, 4);
 * #^   return {};
 * #^ }
 * kcpp::kunit::Case c = KCPP_KUNIT_CASE(always_passes);
 * KCPP_ASSERT_EQ(__builtin_strcmp(c.name, "always_passes"), 0);
 * kcpp::kunit::CaseFn run = c.run_case;
 * run(kcpp_kunit_current());
 * KCPP_ASSERT(!kcpp_kunit_has_failed(kcpp_kunit_current()));
 * kcpp::kunit::Suite suite = {"by_hand", nullptr, nullptr, nullptr, nullptr, &c, {}};
 * KCPP_ASSERT(suite.test_cases->run_case == run);
 * @endcode
 */
#ifndef KCPP_KUNIT_H
#define KCPP_KUNIT_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/core/type_traits.h>

namespace kcpp::kunit {

/** @brief The C signature of a KUnit case function. */
using CaseFn = void (*)(::kunit*);

/**
 * @brief `struct kunit_case`, laid out in C++.
 *
 * @par Invariants
 * Offsets and size equal the configured kernel's (checked below).
 */
struct Case {
  CaseFn run_case;                                     ///< The case function.
  const char* name;                                    ///< The case name.
  const void* (*generate_params)(const void*, char*);  ///< Parameter generator, unused.
  /// The members KUnit fills in while running.
  unsigned char
      kunit_private[KCPP_SIZEOF_kunit_case - KCPP_OFFSETOF_kunit_case_generate_params - sizeof(void*)];
};

/**
 * @brief `struct kunit_suite`, laid out in C++.
 *
 * @par Invariants
 * Offsets and size equal the configured kernel's (checked below).
 */
struct Suite {
  /// The suite name.
  char name[KCPP_OFFSETOF_kunit_suite_suite_init - KCPP_OFFSETOF_kunit_suite_name];
  // The hooks take the kernel's struct, not this mirror: kCFI hashes a
  // function type by its mangling.
  int (*suite_init)(::kunit_suite*);   ///< Run before the suite, unused.
  void (*suite_exit)(::kunit_suite*);  ///< Run after the suite, unused.
  int (*init)(::kunit*);               ///< Run before each case, unused.
  void (*exit)(::kunit*);              ///< Run after each case, unused.
  Case* test_cases;                    ///< The cases, ended by an all-zero case.
  /// The attributes (6.6 and later) and the members KUnit fills in while running.
  unsigned char kunit_private[KCPP_SIZEOF_kunit_suite - KCPP_OFFSETOF_kunit_suite_test_cases - sizeof(Case*)];
};

static_assert(__builtin_offsetof(Case, run_case) == KCPP_OFFSETOF_kunit_case_run_case &&
                  __builtin_offsetof(Case, name) == KCPP_OFFSETOF_kunit_case_name &&
                  __builtin_offsetof(Case, generate_params) == KCPP_OFFSETOF_kunit_case_generate_params &&
                  sizeof(Case) == KCPP_SIZEOF_kunit_case,
              "kcpp: struct kunit_case of this kernel differs from kcpp::kunit::Case.");
static_assert(__builtin_offsetof(Suite, name) == KCPP_OFFSETOF_kunit_suite_name &&
                  __builtin_offsetof(Suite, suite_init) == KCPP_OFFSETOF_kunit_suite_suite_init &&
                  __builtin_offsetof(Suite, suite_exit) == KCPP_OFFSETOF_kunit_suite_suite_exit &&
                  __builtin_offsetof(Suite, init) == KCPP_OFFSETOF_kunit_suite_init &&
                  __builtin_offsetof(Suite, exit) == KCPP_OFFSETOF_kunit_suite_exit &&
                  __builtin_offsetof(Suite, test_cases) == KCPP_OFFSETOF_kunit_suite_test_cases &&
                  sizeof(Suite) == KCPP_SIZEOF_kunit_suite,
              "kcpp: struct kunit_suite of this kernel differs from kcpp::kunit::Suite.");

/// @cond KCPP_INTERNAL
namespace detail {

/// Runs a C++ case: an error the test returns fails it, unless an assertion
/// already did (the assertion's report is the useful one).
template <Result<void> (*Fn)()>
void run_case(::kunit* test) {
  Result<void> r = Fn();
  if (r.is_err() && !kcpp_kunit_has_failed(test)) {
    const Error e = r.error();
    kcpp_kunit_fail(test, __FILE__, __LINE__, "test returned error %s (%d)", e.name() ? e.name() : "?",
                    e.to_errno());
  }
}

/// Text of one value of an assertion, formatted by type.
struct ValueText {
  char buf[64];
};

template <typename T>
ValueText format(const T& v) {
  ValueText t{};
  using U = remove_cvref_t<T>;
  if constexpr (is_same_v<U, bool>) {
    snprintf(t.buf, sizeof(t.buf), "%s", v ? "true" : "false");
  } else if constexpr (is_same_v<U, Error>) {
    snprintf(t.buf, sizeof(t.buf), "%s (%d)", v.name() ? v.name() : "?", v.to_errno());
  } else if constexpr (is_enum_v<U>) {
    snprintf(t.buf, sizeof(t.buf), "%lld", static_cast<long long>(static_cast<underlying_type_t<U>>(v)));
  } else if constexpr (is_integral_v<U> && is_signed_v<U>) {
    snprintf(t.buf, sizeof(t.buf), "%lld (0x%llx)", static_cast<long long>(v),
             static_cast<unsigned long long>(v));
  } else if constexpr (is_integral_v<U>) {
    snprintf(t.buf, sizeof(t.buf), "%llu (0x%llx)", static_cast<unsigned long long>(v),
             static_cast<unsigned long long>(v));
  } else if constexpr (is_pointer_v<U> || is_same_v<U, decltype(nullptr)>) {
    snprintf(t.buf, sizeof(t.buf), "%px", static_cast<const void*>(v));
  } else {
    snprintf(t.buf, sizeof(t.buf), "(a value of a type kcpp cannot print)");
  }
  return t;
}

/// Compares @p a and @p b with @p cmp and reports a failure with both
/// operands; true if the comparison held. Each operand is evaluated once,
/// by the caller, as an argument.
template <typename Cmp, typename A, typename B>
bool check_binary(Cmp cmp, const A& a, const B& b, const char* op, const char* a_text, const char* b_text,
                  const char* file, int line) {
  if (cmp(a, b)) [[likely]]
    return true;
  ::kunit* test = kcpp_kunit_current();
  const ValueText va = format(a);
  const ValueText vb = format(b);
  if (test)
    kcpp_kunit_fail(test, file, line, "Expected %s %s %s, but\n        %s == %s\n        %s == %s", a_text,
                    op, b_text, a_text, va.buf, b_text, vb.buf);
  else
    _printk("\0013kcpp: %s:%d: expected %s %s %s, but %s == %s, %s == %s\n", file, line, a_text, op, b_text,
            a_text, va.buf, b_text, vb.buf);
  return false;
}

/// Reports a failed boolean condition; true if it held.
inline bool report_true(bool held, const char* text, const char* file, int line) {
  if (held) [[likely]]
    return true;
  ::kunit* test = kcpp_kunit_current();
  if (test)
    kcpp_kunit_fail(test, file, line, "Expected %s to be true, but is false", text);
  else
    _printk("\0013kcpp: %s:%d: expected %s to be true\n", file, line, text);
  return false;
}

/// What an ASSERT returns from the test function when it fails.
inline constexpr Error ASSERTION_FAILED = code::ECANCELED;

}  // namespace detail
/// @endcond

}  // namespace kcpp::kunit

/// @cond KCPP_INTERNAL
#define KCPP_KUNIT_BINARY_(a, b, op)                                                                       \
  ::kcpp::kunit::detail::check_binary(                                                                     \
      [](const auto& kcpp_x_, const auto& kcpp_y_) { return static_cast<bool>(kcpp_x_ op kcpp_y_); }, (a), \
      (b), #op, #a, #b, __FILE__, __LINE__)
#define KCPP_KUNIT_ASSERT_(cond)                      \
  do {                                                \
    if (!(cond)) [[unlikely]]                         \
      return ::kcpp::kunit::detail::ASSERTION_FAILED; \
  } while (0)
/// @endcond

/** @brief Checks `a == b`; on failure prints both values and goes on. */
#define KCPP_EXPECT_EQ(a, b) ((void)KCPP_KUNIT_BINARY_(a, b, ==))
/** @brief Checks `a != b`; on failure prints both values and goes on. */
#define KCPP_EXPECT_NE(a, b) ((void)KCPP_KUNIT_BINARY_(a, b, !=))
/** @brief Checks `a < b`; on failure prints both values and goes on. */
#define KCPP_EXPECT_LT(a, b) ((void)KCPP_KUNIT_BINARY_(a, b, <))
/** @brief Checks `a <= b`; on failure prints both values and goes on. */
#define KCPP_EXPECT_LE(a, b) ((void)KCPP_KUNIT_BINARY_(a, b, <=))
/** @brief Checks `a > b`; on failure prints both values and goes on. */
#define KCPP_EXPECT_GT(a, b) ((void)KCPP_KUNIT_BINARY_(a, b, >))
/** @brief Checks `a >= b`; on failure prints both values and goes on. */
#define KCPP_EXPECT_GE(a, b) ((void)KCPP_KUNIT_BINARY_(a, b, >=))
/** @brief Checks that the condition holds; on failure reports it and goes on. */
#define KCPP_EXPECT(...) \
  ((void)::kcpp::kunit::detail::report_true(static_cast<bool>(__VA_ARGS__), #__VA_ARGS__, __FILE__, __LINE__))

/** @brief Checks `a == b`; on failure prints both values and ends the test. */
#define KCPP_ASSERT_EQ(a, b) KCPP_KUNIT_ASSERT_(KCPP_KUNIT_BINARY_(a, b, ==))
/** @brief Checks `a != b`; on failure prints both values and ends the test. */
#define KCPP_ASSERT_NE(a, b) KCPP_KUNIT_ASSERT_(KCPP_KUNIT_BINARY_(a, b, !=))
/** @brief Checks `a < b`; on failure prints both values and ends the test. */
#define KCPP_ASSERT_LT(a, b) KCPP_KUNIT_ASSERT_(KCPP_KUNIT_BINARY_(a, b, <))
/** @brief Checks `a <= b`; on failure prints both values and ends the test. */
#define KCPP_ASSERT_LE(a, b) KCPP_KUNIT_ASSERT_(KCPP_KUNIT_BINARY_(a, b, <=))
/** @brief Checks `a > b`; on failure prints both values and ends the test. */
#define KCPP_ASSERT_GT(a, b) KCPP_KUNIT_ASSERT_(KCPP_KUNIT_BINARY_(a, b, >))
/** @brief Checks `a >= b`; on failure prints both values and ends the test. */
#define KCPP_ASSERT_GE(a, b) KCPP_KUNIT_ASSERT_(KCPP_KUNIT_BINARY_(a, b, >=))
/** @brief Checks that the condition holds; on failure reports it and ends the test. */
#define KCPP_ASSERT(...) \
  KCPP_KUNIT_ASSERT_(    \
      ::kcpp::kunit::detail::report_true(static_cast<bool>(__VA_ARGS__), #__VA_ARGS__, __FILE__, __LINE__))

/** @brief A case of a `KCPP_KUNIT_SUITE`: a function `kcpp::Result<void> fn()`. */
#define KCPP_KUNIT_CASE(fn) KCPP_KUNIT_CASE_NAMED(fn, #fn)
/** @brief A case named @p name (a string literal) running the function @p fn. */
#define KCPP_KUNIT_CASE_NAMED(fn, name)                     \
  ::kcpp::kunit::Case {                                     \
    &::kcpp::kunit::detail::run_case<fn>, name, nullptr, {} \
  }

/**
 * @brief Declares and registers the KUnit suite @p ident with the given
 * `KCPP_KUNIT_CASE`s. Use at namespace scope, once per suite.
 */
#define KCPP_KUNIT_SUITE(ident, ...)                                                         \
  namespace {                                                                                \
  constinit ::kcpp::kunit::Case ident##_kcpp_cases[] = {__VA_ARGS__, ::kcpp::kunit::Case{}}; \
  constinit ::kcpp::kunit::Suite ident##_kcpp_suite = {                                      \
      #ident, nullptr, nullptr, nullptr, nullptr, ident##_kcpp_cases, {}};                   \
  [[gnu::used, gnu::section(".kunit_test_suites"), gnu::aligned(sizeof(void*))]]             \
  constinit ::kcpp::kunit::Suite* ident##_kcpp_suite_ptr[] = {&ident##_kcpp_suite};          \
  }

#endif  // KCPP_KUNIT_H
