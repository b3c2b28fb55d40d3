// SPDX-License-Identifier: GPL-2.0
/*
 * The freestanding C++ core: placement new, std::move/std::forward, type
 * traits, std::initializer_list, three-way comparison, and the C++ runtime
 * pieces the shim provides (__cxa_pure_virtual, operator delete).
 */
#include <kcpp/core/compare.h>
#include <kcpp/core/initializer_list.h>
#include <kcpp/core/new.h>
#include <kcpp/core/utility.h>
#include <kcpp/kunit.h>

namespace {

// Counts what happens to objects, so tests see moves, copies and destructions.
struct Tracker {
  int copies = 0;
  int moves = 0;
  int destroyed = 0;
};

class Tracked {
 public:
  explicit Tracked(Tracker& t, int v) : t_(&t), v_(v) {}
  Tracked(const Tracked& o) : t_(o.t_), v_(o.v_) { t_->copies++; }
  Tracked(Tracked&& o) : t_(o.t_), v_(kcpp::exchange(o.v_, -1)) { t_->moves++; }
  ~Tracked() { t_->destroyed++; }
  int value() const { return v_; }

 private:
  Tracker* t_;
  int v_;
};

kcpp::Result<void> placement_new_constructs_in_given_storage() {
  Tracker t;
  alignas(Tracked) unsigned char storage[sizeof(Tracked)];
  Tracked* p = new (storage) Tracked(t, 7);
  KCPP_ASSERT_EQ(static_cast<void*>(p), static_cast<void*>(storage));
  KCPP_ASSERT_EQ(p->value(), 7);
  p->~Tracked();
  KCPP_ASSERT_EQ(t.destroyed, 1);

  int* arr = new (storage) int[2]{3, 4};
  KCPP_ASSERT_EQ(arr[0] + arr[1], 7);
  return {};
}

template <typename T>
int category(T&&) {
  return kcpp::is_lvalue_reference_v<T> ? 1 : 2;
}
template <typename T>
int relay(T&& v) {
  return category(std::forward<T>(v));
}

kcpp::Result<void> move_and_forward_keep_value_categories() {
  Tracker t;
  {
    Tracked a(t, 5);
    Tracked b(std::move(a));
    Tracked c(b);
    KCPP_EXPECT_EQ(t.moves, 1);
    KCPP_EXPECT_EQ(t.copies, 1);
    KCPP_EXPECT_EQ(a.value(), -1);
    KCPP_EXPECT_EQ(b.value(), 5);
    KCPP_EXPECT_EQ(c.value(), 5);
  }
  KCPP_EXPECT_EQ(t.destroyed, 3);

  int x = 0;
  KCPP_EXPECT_EQ(relay(x), 1);
  KCPP_EXPECT_EQ(relay(3), 2);
  KCPP_EXPECT_EQ(relay(std::move(x)), 2);

  int p = 1, q = 2;
  kcpp::swap(p, q);
  KCPP_EXPECT_EQ(p, 2);
  KCPP_EXPECT_EQ(q, 1);
  return {};
}

enum class Small : kcpp::u8 { A = 1 };
struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {};

kcpp::Result<void> traits_match_the_language() {
  // Evaluated at run time on purpose: a wrong builtin mapping shows as a
  // failed case with both values, not only as a build break.
  KCPP_EXPECT_EQ((kcpp::is_same_v<kcpp::remove_cvref_t<const volatile int&>, int>), true);
  KCPP_EXPECT_EQ(kcpp::is_integral_v<const unsigned long>, true);
  KCPP_EXPECT_EQ(kcpp::is_integral_v<Small>, false);
  KCPP_EXPECT_EQ(kcpp::is_enum_v<Small>, true);
  KCPP_EXPECT_EQ(sizeof(kcpp::underlying_type_t<Small>), 1u);
  KCPP_EXPECT_EQ(kcpp::is_signed_v<int>, true);
  KCPP_EXPECT_EQ(kcpp::is_signed_v<unsigned>, false);
  KCPP_EXPECT_EQ((kcpp::is_base_of_v<Base, Derived>), true);
  KCPP_EXPECT_EQ((kcpp::is_convertible_v<Derived*, Base*>), true);
  KCPP_EXPECT_EQ((kcpp::is_convertible_v<Base*, Derived*>), false);
  KCPP_EXPECT_EQ(kcpp::is_trivially_copyable_v<Tracked>, false);
  KCPP_EXPECT_EQ(kcpp::is_trivially_destructible_v<int>, true);
  KCPP_EXPECT_EQ((kcpp::is_constructible_v<Tracked, Tracker&, int>), true);
  KCPP_EXPECT_EQ((kcpp::is_constructible_v<Tracked, int>), false);
  KCPP_EXPECT_EQ(kcpp::to_underlying(Small::A), 1);
  KCPP_EXPECT_EQ(kcpp::is_constant_evaluated(), false);
  return {};
}

int sum(std::initializer_list<int> values) {
  int s = 0;
  for (int v : values) s += v;
  return s;
}

kcpp::Result<void> initializer_list_carries_the_braced_values() {
  KCPP_EXPECT_EQ(sum({}), 0);
  KCPP_EXPECT_EQ(sum({1, 2, 3, 4}), 10);
  std::initializer_list<int> l = {9, 8};
  KCPP_EXPECT_EQ(l.size(), 2u);
  KCPP_EXPECT_EQ(*l.begin(), 9);
  return {};
}

struct Version {
  int major;
  int minor;
  auto operator<=>(const Version&) const = default;
};

kcpp::Result<void> three_way_comparison_orders() {
  volatile int six = 6;  // keeps the comparisons at run time
  const Version a{six, 12}, b{six, 13};
  KCPP_EXPECT(a < b);
  KCPP_EXPECT(!(b < a));
  KCPP_EXPECT(a == Version{6, 12});
  KCPP_EXPECT((a <=> b) < 0);
  KCPP_EXPECT((b <=> a) > 0);
  KCPP_EXPECT((a <=> a) == 0);
  KCPP_EXPECT((six <=> 7) == std::strong_ordering::less);
  return {};
}

// An abstract class: while its constructor runs, the object's vtable is the
// abstract one, whose slot for f() is the pure-virtual handler.
struct Abstract {
  void* slot0 = nullptr;
  Abstract() {
    // SAFETY: an object of a polymorphic class starts with its vtable
    // pointer (Itanium C++ ABI); slot 0 here is the first virtual, f().
    void** vtable = *reinterpret_cast<void***>(this);
    slot0 = vtable[0];
  }
  virtual int f() = 0;
  virtual ~Abstract() = default;
};
struct Concrete : Abstract {
  int f() override { return 1; }
};

kcpp::Result<void> pure_virtual_slot_is_the_shim_handler() {
  Concrete c;
  KCPP_EXPECT_EQ(c.f(), 1);
  // Without a definition g++'s weak reference would leave this slot 0.
  KCPP_ASSERT_NE(c.slot0, static_cast<void*>(nullptr));
  // SAFETY: the function's address is only compared with the vtable slot, never called through
  // the void*; g++ supports this (conditionally-supported) function-to-object pointer conversion.
  KCPP_EXPECT_EQ(c.slot0, reinterpret_cast<void*>(&__cxa_pure_virtual));
  return {};
}

struct Counted {
  static inline int destroyed = 0;
  virtual ~Counted() { destroyed++; }
};

kcpp::Result<void> operator_delete_accepts_null() {
  // The deleting destructor links against the shim's operator delete;
  // deleting a null pointer runs nothing.
  Counted* none = nullptr;
  delete none;
  ::operator delete(nullptr);
  ::operator delete(nullptr, 16);
  KCPP_EXPECT_EQ(Counted::destroyed, 0);
  {
    Counted on_stack;
  }
  KCPP_EXPECT_EQ(Counted::destroyed, 1);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_core, KCPP_KUNIT_CASE(placement_new_constructs_in_given_storage),
                 KCPP_KUNIT_CASE(move_and_forward_keep_value_categories),
                 KCPP_KUNIT_CASE(traits_match_the_language),
                 KCPP_KUNIT_CASE(initializer_list_carries_the_braced_values),
                 KCPP_KUNIT_CASE(three_way_comparison_orders),
                 KCPP_KUNIT_CASE(pure_virtual_slot_is_the_shim_handler),
                 KCPP_KUNIT_CASE(operator_delete_accepts_null));
