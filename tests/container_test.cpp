// SPDX-License-Identifier: GPL-2.0
/*
 * KBox/VBox/KVBox and KVec/VVec/KVVec: ownership, destruction, every KVec
 * operation, overflow and bounds checks, and allocation-failure sweeps that
 * fail the k-th allocation for every k and check that nothing leaks.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/kvec.h>
#include <kcpp/kunit.h>
#include <kcpp/print.h>

#include "helpers.h"

namespace {

// Counts live objects, so tests see every construction and destruction.
struct Counted {
  static inline int live = 0;
  int v;
  explicit Counted(int x) : v(x) { live++; }
  Counted(Counted&& o) : v(kcpp::exchange(o.v, -1)) { live++; }
  Counted& operator=(Counted&& o) {
    v = kcpp::exchange(o.v, -1);
    return *this;
  }
  Counted(const Counted& o) : v(o.v) { live++; }
  ~Counted() { live--; }
};

template <template <typename> class BoxT>
kcpp::Result<void> box_owns_and_destroys() {
  Counted::live = 0;
  {
    auto b = KCPP_TRY(BoxT<Counted>::make(kcpp::GFP_KERNEL, 5));
    KCPP_EXPECT_EQ(b->v, 5);
    KCPP_EXPECT_EQ(Counted::live, 1);
    BoxT<Counted> c = std::move(b);
    KCPP_EXPECT(!b);
    KCPP_EXPECT_EQ(c->v, 5);
    c = KCPP_TRY(BoxT<Counted>::make(kcpp::GFP_KERNEL, 6));  // the first object goes
    KCPP_EXPECT_EQ(Counted::live, 1);
    KCPP_EXPECT_EQ((*c).v, 6);
  }
  KCPP_EXPECT_EQ(Counted::live, 0);
  return {};
}
kcpp::Result<void> kbox_owns_and_destroys() {
  return box_owns_and_destroys<kcpp::KBox>();
}
kcpp::Result<void> vbox_owns_and_destroys() {
  return box_owns_and_destroys<kcpp::VBox>();
}
kcpp::Result<void> kvbox_owns_and_destroys() {
  return box_owns_and_destroys<kcpp::KVBox>();
}

kcpp::Result<void> box_raw_roundtrip_and_leak() {
  Counted::live = 0;
  auto b = KCPP_TRY(kcpp::KBox<Counted>::make(kcpp::GFP_KERNEL, 9));
  // SAFETY: ownership of the Counted travels in raw until unsafe_from_raw() below takes it back;
  // nothing frees it in between.
  Counted* raw = std::move(b).into_raw();
  KCPP_EXPECT(!b);
  KCPP_EXPECT_EQ(raw->v, 9);
  {
    // SAFETY: raw came from KBox<Counted>::into_raw() above (same Kmalloc allocator), and no box owns it.
    auto back = kcpp::KBox<Counted>::unsafe_from_raw(raw);
    KCPP_EXPECT_EQ(back.get(), raw);
  }
  KCPP_EXPECT_EQ(Counted::live, 0);

  auto l = KCPP_TRY(kcpp::KBox<Counted>::make(kcpp::GFP_KERNEL, 1));
  Counted& leaked = std::move(l).leak();
  KCPP_EXPECT_EQ(Counted::live, 1);
  // Take it back so the test itself leaks nothing.
  {
    // SAFETY: &leaked is the KBox<Counted>::make() allocation that leak() gave up, as into_raw()
    // would; no box owns it and nothing uses it after this block.
    auto again = kcpp::KBox<Counted>::unsafe_from_raw(&leaked);
  }
  KCPP_EXPECT_EQ(Counted::live, 0);
  return {};
}

// abandon(): the object is never destroyed nor freed (the shim still counts its block and
// the vector's), and kmemleak, scanning after the modules are gone, reports neither: the
// sanitizer run of make check fails on any report. When the slot's allocation fails, the
// value is forgotten instead (a stack slot whose destructor never runs), still never
// released.
kcpp::Result<void> box_abandon_keeps_the_memory() {
  struct Holder {
    Counted c;
    kcpp::KVec<kcpp::u64> v;
  };
  Counted::live = 0;
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  // Each run leaves its abandoned blocks behind on purpose, for the rest of the boot.
  auto r = [&]() -> kcpp::Result<void> {
    auto b = KCPP_TRY(kcpp::KBox<Holder>::make(kcpp::GFP_KERNEL, Counted(1), kcpp::KVec<kcpp::u64>()));
    KCPP_TRY(b->v.push(7, kcpp::GFP_KERNEL));
    std::move(b).abandon();
    KCPP_EXPECT(!b);
    KCPP_EXPECT_EQ(Counted::live, 1);
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live + 2);

    Holder h{Counted(2), kcpp::KVec<kcpp::u64>()};
    KCPP_TRY(h.v.push(8, kcpp::GFP_KERNEL));
    kcpp::abandon(kcpp::GFP_KERNEL, std::move(h));
    KCPP_EXPECT_EQ(h.c.v, -1);  // moved into the abandoned slot
    KCPP_EXPECT_EQ(Counted::live, 3);
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live + 4);

    // A slot taken beforehand: abandoning into it allocates nothing, even when every
    // allocation fails; the members are made in place.
    auto slot = KCPP_TRY(kcpp::AbandonSlot<Holder>::alloc(kcpp::GFP_KERNEL));
    kcpp::KVec<kcpp::u64> v;
    KCPP_TRY(v.push(9, kcpp::GFP_KERNEL));
    const kcpp::u64* data = v.data();
    const long injected = kcpp_fault_injected();
    kcpp_fault_fail_nth(1);
    std::move(slot).abandon(Counted(4), std::move(v));
    kcpp_fault_fail_nth(0);
    KCPP_EXPECT_EQ(kcpp_fault_injected(), injected);  // nothing asked for memory
    KCPP_EXPECT(v.data() == nullptr && data != nullptr);
    KCPP_EXPECT_EQ(Counted::live, 4);
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live + 6);

    // The slot's allocation fails: the value is forgotten, its destructor never run. (Its
    // vector is empty: forgotten memory would be a kmemleak report.)
    Holder lone{Counted(3), kcpp::KVec<kcpp::u64>()};
    kcpp_fault_fail_nth(1);
    kcpp::abandon(kcpp::GFP_KERNEL, std::move(lone));
    kcpp_fault_fail_nth(0);
    KCPP_EXPECT_EQ(lone.c.v, -1);
    KCPP_EXPECT_EQ(Counted::live, 6);  // h and lone, emptied, still live
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live + 6);
    return {};
  }();
  kcpp_fault_arm(false);
  return r;
}

kcpp::Result<void> box_on_numa_node() {
  kcpp::NumaNode node1 = kcpp::NumaNode::any();
  if (!kcpp_test::second_numa_node(node1))
    return {};
  auto b = KCPP_TRY(kcpp::KBox<kcpp::u64>::make_on(node1, kcpp::GFP_KERNEL | kcpp::GFP_THISNODE, 3u));
  KCPP_EXPECT_EQ(kcpp_mem_node(b.get()), 1);
  auto v = KCPP_TRY(kcpp::KVVec<int>::with_capacity(100, kcpp::GFP_KERNEL | kcpp::GFP_THISNODE, node1));
  KCPP_EXPECT_EQ(kcpp_mem_node(v.data()), 1);
  return {};
}

kcpp::Result<void> vec_push_pop_get() {
  kcpp::KVec<int> v;
  KCPP_EXPECT_EQ(v.capacity(), 0u);
  KCPP_EXPECT(v.data() == nullptr);
  for (int i = 0; i < 100; i++) KCPP_TRY(v.push(i, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(v.len(), 100u);
  KCPP_EXPECT_GE(v.capacity(), 100u);
  KCPP_EXPECT_EQ(*v.get(99), 99);
  KCPP_EXPECT(v.get(100) == nullptr);
  KCPP_EXPECT_EQ(v.at(100).error(), kcpp::code::ERANGE);
  KCPP_EXPECT_EQ(*KCPP_TRY(v.at(7)), 7);
  KCPP_EXPECT_EQ(v[42], 42);
  KCPP_EXPECT_EQ(KCPP_TRY(v.pop()), 99);
  KCPP_EXPECT_EQ(v.len(), 99u);
  kcpp::KVec<int> empty;
  KCPP_EXPECT_EQ(empty.pop().error(), kcpp::code::ENODATA);
  return {};
}

kcpp::Result<void> vec_insert_remove_truncate_retain() {
  Counted::live = 0;
  {
    kcpp::KVec<Counted> v;
    for (int i = 0; i < 5; i++) KCPP_TRY(v.push(Counted(i), kcpp::GFP_KERNEL));  // 0 1 2 3 4
    KCPP_TRY(v.insert(0, Counted(10), kcpp::GFP_KERNEL));                        // 10 0 1 2 3 4
    KCPP_TRY(v.insert(3, Counted(11), kcpp::GFP_KERNEL));                        // 10 0 1 11 2 3 4
    KCPP_TRY(v.insert(v.len(), Counted(12), kcpp::GFP_KERNEL));
    KCPP_EXPECT_EQ(v.insert(99, Counted(0), kcpp::GFP_KERNEL).error(), kcpp::code::ERANGE);
    KCPP_EXPECT_EQ(v.insert(v.len() + 1, Counted(0), kcpp::GFP_KERNEL).error(), kcpp::code::ERANGE);
    const int want[] = {10, 0, 1, 11, 2, 3, 4, 12};
    KCPP_ASSERT_EQ(v.len(), 8u);
    for (kcpp::usize i = 0; i < v.len(); i++) KCPP_EXPECT_EQ(v[i].v, want[i]);
    KCPP_EXPECT_EQ(KCPP_TRY(v.remove(3)).v, 11);
    KCPP_EXPECT_EQ(v.remove(7).error(), kcpp::code::ERANGE);
    KCPP_EXPECT_EQ(Counted::live, 7);
    v.retain([](const Counted& c) { return c.v % 2 == 0; });  // 10 0 2 4 12
    KCPP_EXPECT_EQ(v.len(), 5u);
    KCPP_EXPECT_EQ(v[3].v, 4);
    KCPP_EXPECT_EQ(Counted::live, 5);
    v.truncate(2);
    KCPP_EXPECT_EQ(Counted::live, 2);
    v.truncate(10);  // longer than the vector: nothing happens
    KCPP_EXPECT_EQ(v.len(), 2u);
    const kcpp::usize cap = v.capacity();
    v.clear();
    KCPP_EXPECT_EQ(Counted::live, 0);
    KCPP_EXPECT_EQ(v.capacity(), cap);
  }
  KCPP_EXPECT_EQ(Counted::live, 0);
  return {};
}

kcpp::Result<void> vec_capacity_and_extend() {
  auto v = KCPP_TRY(kcpp::VVec<kcpp::u32>::with_capacity(3, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(v.capacity(), 4u);  // the minimum growth step
  KCPP_TRY(v.push_within_capacity(1));
  KCPP_TRY(v.extend({2, 3, 4}, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(v.push_within_capacity(5).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT_EQ(v.len(), 4u);
  const kcpp::u32 more[] = {5, 6, 7};
  KCPP_TRY(v.extend_from_slice(more, 3, kcpp::GFP_KERNEL));
  kcpp::u32 sum = 0;
  for (kcpp::u32 x : v) sum += x;
  KCPP_EXPECT_EQ(sum, 28u);
  // Growth that overflows size_t is refused and leaves the vector alone.
  KCPP_EXPECT_EQ(v.reserve(~kcpp::usize(0), kcpp::GFP_KERNEL).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT_EQ(v.reserve(kcpp::Layout::MAX_SIZE / 2, kcpp::GFP_KERNEL | kcpp::GFP_NOWARN).error(),
                 kcpp::code::ENOMEM);
  KCPP_EXPECT_EQ(v.len(), 7u);
  KCPP_EXPECT_EQ(v[6], 7u);
  kcpp::VVec<kcpp::u32> w = std::move(v);
  KCPP_EXPECT_EQ(v.len(), 0u);
  KCPP_EXPECT_EQ(w.len(), 7u);
  return {};
}

// ---- Growth from the vector's own elements -----------------------------

// push(v[i]) at full capacity: the new element is made from a reference into
// the storage that growing replaces. It must be made before that storage
// goes (KASAN reports the use after free on the sanitizer kernel; here the
// moved-from or freed value shows).
template <typename Vec, typename Make, typename Value>
kcpp::Result<void> push_own_element_at_capacity(Make make, Value value) {
  auto v = KCPP_TRY(Vec::with_capacity(4, kcpp::GFP_KERNEL));
  for (int i = 0; i < 4; i++) KCPP_TRY(v.push(make(10 + i), kcpp::GFP_KERNEL));
  KCPP_ASSERT_EQ(v.len(), v.capacity());
  KCPP_TRY(v.push(v[0], kcpp::GFP_KERNEL));  // grows: 4 -> 8
  KCPP_ASSERT_EQ(v.len(), 5u);
  KCPP_EXPECT_EQ(value(v[4]), 10);
  for (int i = 5; i < 8; i++) KCPP_TRY(v.push(v[i - 1], kcpp::GFP_KERNEL));  // fills up to capacity again
  KCPP_ASSERT_EQ(v.len(), v.capacity());
  KCPP_TRY(v.push(v[3], kcpp::GFP_KERNEL));  // grows: 8 -> 16
  KCPP_EXPECT_EQ(value(v[8]), 13);
  for (int i = 0; i < 4; i++) KCPP_EXPECT_EQ(value(v[i]), 10 + i);  // the originals moved intact
  return {};
}

kcpp::Result<void> vec_push_own_element_at_capacity() {
  Counted::live = 0;
  KCPP_TRY((push_own_element_at_capacity<kcpp::KVec<Counted>>([](int x) { return Counted(x); },
                                                              [](const Counted& c) { return c.v; })));
  KCPP_EXPECT_EQ(Counted::live, 0);
  // Trivially copyable elements grow by krealloc/kvrealloc, not one by one.
  KCPP_TRY((push_own_element_at_capacity<kcpp::KVec<kcpp::u32>>(
      [](int x) { return static_cast<kcpp::u32>(x); }, [](kcpp::u32 x) { return static_cast<int>(x); })));
  KCPP_TRY((push_own_element_at_capacity<kcpp::KVVec<kcpp::u64>>(
      [](int x) { return static_cast<kcpp::u64>(x); }, [](kcpp::u64 x) { return static_cast<int>(x); })));
  // The other growth paths with an element of the vector itself.
  kcpp::KVec<Counted> v;
  for (int i = 0; i < 4; i++) KCPP_TRY(v.push(Counted(i), kcpp::GFP_KERNEL));
  KCPP_TRY(v.insert(0, v[3], kcpp::GFP_KERNEL));                       // 3 0 1 2 3
  KCPP_TRY(v.resize(12, v[1], kcpp::GFP_KERNEL));                      // eight more copies of 0
  KCPP_TRY(v.extend_from_slice(v.data(), v.len(), kcpp::GFP_KERNEL));  // doubles itself
  KCPP_ASSERT_EQ(v.len(), 24u);
  KCPP_EXPECT_EQ(v[0].v, 3);
  KCPP_EXPECT_EQ(v[4].v, 3);
  KCPP_EXPECT_EQ(v[11].v, 0);
  KCPP_EXPECT_EQ(v[12].v, 3);
  KCPP_EXPECT_EQ(v[16].v, 3);
  KCPP_EXPECT_EQ(Counted::live, 24);
  return {};
}

// A growth that fails leaves the vector as it was: length, capacity,
// storage and every element.
template <typename T, typename Make, typename Value>
kcpp::Result<void> failed_growth_leaves_vector(Make make, Value value) {
  auto v = KCPP_TRY(kcpp::KVec<T>::with_capacity(4, kcpp::GFP_KERNEL));
  for (int i = 0; i < 4; i++) KCPP_TRY(v.push(make(i), kcpp::GFP_KERNEL));
  const T* data = v.data();
  auto unchanged = [&]() -> bool {
    if (v.len() != 4 || v.capacity() != 4 || v.data() != data)
      return false;
    for (int i = 0; i < 4; i++)
      if (value(v[i]) != i)
        return false;
    return true;
  };
  auto failing = [](auto op) {
    kcpp_fault_arm(true);
    kcpp_fault_fail_nth(1);
    kcpp::Result<void> r = op();
    kcpp_fault_fail_nth(0);
    kcpp_fault_arm(false);
    return r;
  };
  KCPP_EXPECT_EQ(failing([&] { return v.push(make(9), kcpp::GFP_KERNEL); }).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT(unchanged());
  KCPP_EXPECT_EQ(failing([&] { return v.push(v[2], kcpp::GFP_KERNEL); }).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT(unchanged());
  KCPP_EXPECT_EQ(failing([&] { return v.insert(1, make(9), kcpp::GFP_KERNEL); }).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT(unchanged());
  KCPP_EXPECT_EQ(failing([&] { return v.reserve(1, kcpp::GFP_KERNEL); }).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT(unchanged());
  KCPP_EXPECT_EQ(failing([&] { return v.resize(9, v[0], kcpp::GFP_KERNEL); }).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT(unchanged());
  KCPP_EXPECT_EQ(failing([&] { return v.extend_from_slice(v.data(), 2, kcpp::GFP_KERNEL); }).error(),
                 kcpp::code::ENOMEM);
  KCPP_EXPECT(unchanged());
  return {};
}

kcpp::Result<void> vec_unchanged_after_failed_growth() {
  Counted::live = 0;
  const long live = kcpp_fault_live_allocations();
  KCPP_TRY((failed_growth_leaves_vector<Counted>([](int x) { return Counted(x); },
                                                 [](const Counted& c) { return c.v; })));
  KCPP_EXPECT_EQ(Counted::live, 0);
  KCPP_TRY((failed_growth_leaves_vector<kcpp::u32>([](int x) { return static_cast<kcpp::u32>(x); },
                                                   [](kcpp::u32 x) { return static_cast<int>(x); })));
  KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live);
  return {};
}

// The first allocation of an empty vector (reserve's own path, not the growth path) fails:
// the vector stays empty and unallocated, whichever call made it, and can still grow.
kcpp::Result<void> vec_first_allocation_fails() {
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  auto r = [&]() -> kcpp::Result<void> {
    kcpp::KVVec<kcpp::u8> v;
    auto fill = [](kcpp::Span<kcpp::u8> out) -> kcpp::Result<void> {
      for (kcpp::u8& b : out) b = 7;
      return {};
    };
    kcpp_fault_fail_nth(1);
    KCPP_EXPECT_EQ(v.reserve(16, kcpp::GFP_KERNEL).error(), kcpp::code::ENOMEM);
    kcpp_fault_fail_nth(1);
    KCPP_EXPECT_EQ(v.extend_with(300, kcpp::GFP_KERNEL, fill).error(), kcpp::code::ENOMEM);
    kcpp_fault_fail_nth(1);
    KCPP_EXPECT_EQ(v.resize(5, 1, kcpp::GFP_KERNEL).error(), kcpp::code::ENOMEM);
    kcpp_fault_fail_nth(1);
    KCPP_EXPECT_EQ(kcpp::KVVec<kcpp::u8>::with_capacity(9, kcpp::GFP_KERNEL).error(), kcpp::code::ENOMEM);
    kcpp_fault_fail_nth(0);
    KCPP_EXPECT(v.data() == nullptr);
    KCPP_EXPECT_EQ(v.capacity(), 0u);
    KCPP_EXPECT_EQ(v.len(), 0u);
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live);
    KCPP_TRY(v.extend_with(3, kcpp::GFP_KERNEL, fill));  // and then it works
    KCPP_EXPECT_EQ(v.capacity(), 4u);                    // the minimum growth step, as before
    KCPP_EXPECT_EQ(v[2], 7);
    return {};
  }();
  kcpp_fault_fail_nth(0);
  kcpp_fault_arm(false);
  return r;
}

// ---- Allocation-failure sweeps ----------------------------------------

// Scenario 1: a KVec of n elements, grown one push at a time.
kcpp::Result<void> build_vec(kcpp::usize n) {
  kcpp::KVec<Counted> v;
  for (kcpp::usize i = 0; i < n; i++) KCPP_TRY(v.push(Counted(static_cast<int>(i)), kcpp::GFP_KERNEL));
  return {};
}

// Scenario 2: a structure of several boxed members, each built fallibly; a
// failure part-way destroys the members already built.
struct Composite {
  kcpp::KBox<Counted> a;
  kcpp::VBox<Counted> b;
  kcpp::KVec<Counted> c;
  kcpp::KVBox<Counted> d;

  static kcpp::Result<kcpp::KBox<Composite>> make() {
    auto a = KCPP_TRY(kcpp::KBox<Counted>::make(kcpp::GFP_KERNEL, 1));
    auto b = KCPP_TRY(kcpp::VBox<Counted>::make(kcpp::GFP_KERNEL, 2));
    auto c = KCPP_TRY(kcpp::KVec<Counted>::with_capacity(8, kcpp::GFP_KERNEL));
    KCPP_TRY(c.push(Counted(3), kcpp::GFP_KERNEL));
    auto d = KCPP_TRY(kcpp::KVBox<Counted>::make(kcpp::GFP_KERNEL, 4));
    return kcpp::KBox<Composite>::make(kcpp::GFP_KERNEL, std::move(a), std::move(b), std::move(c),
                                       std::move(d));
  }
};

kcpp::Result<void> build_composite() {
  auto c = KCPP_TRY(Composite::make());
  if (c->a->v + c->b->v + c->c[0].v + c->d->v != 10)
    return kcpp::code::EIO;
  return {};
}

// Scenario 1b: the same with bytes-copyable elements, which grow by
// krealloc (KVec) and kvrealloc (KVVec): every element is checked after
// each push, so a reallocation that lost or moved data fails the run.
template <typename Vec>
kcpp::Result<void> build_plain_vec(kcpp::usize n) {
  Vec v;
  for (kcpp::usize i = 0; i < n; i++) {
    KCPP_TRY(v.push(static_cast<kcpp::u32>(i * 7), kcpp::GFP_KERNEL));
    if (v[i / 2] != (i / 2) * 7)
      return kcpp::code::EIO;
  }
  return {};
}

kcpp::Result<void> kvec_growth_failure_sweep() {
  Counted::live = 0;
  const long points =
      KCPP_TRY(kcpp_test::fault_sweep([] { return build_vec(1000); }, "kvec of 1000", &Counted::live));
  KCPP_EXPECT_EQ(points, 9);  // growth to 4, 8, ..., 1024
  // Bytes: no objects to count, the shim's allocation count says it all.
  const long krealloc_points = KCPP_TRY(kcpp_test::fault_sweep(
      [] { return build_plain_vec<kcpp::KVec<kcpp::u32>>(1000); }, "kvec<u32> of 1000"));
  KCPP_EXPECT_EQ(krealloc_points, 9);
  const long kvrealloc_points = KCPP_TRY(kcpp_test::fault_sweep(
      [] { return build_plain_vec<kcpp::KVVec<kcpp::u32>>(1000); }, "kvvec<u32> of 1000"));
  KCPP_EXPECT_EQ(kvrealloc_points, 9);
  return {};
}

kcpp::Result<void> composite_failure_sweep() {
  Counted::live = 0;
  const long points = KCPP_TRY(kcpp_test::fault_sweep(build_composite, "composite", &Counted::live));
  KCPP_EXPECT_EQ(points, 5);  // four members' blocks and the composite's box
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_containers, KCPP_KUNIT_CASE(kbox_owns_and_destroys),
                 KCPP_KUNIT_CASE(vbox_owns_and_destroys), KCPP_KUNIT_CASE(kvbox_owns_and_destroys),
                 KCPP_KUNIT_CASE(box_raw_roundtrip_and_leak), KCPP_KUNIT_CASE(box_abandon_keeps_the_memory),
                 KCPP_KUNIT_CASE(box_on_numa_node), KCPP_KUNIT_CASE(vec_push_pop_get),
                 KCPP_KUNIT_CASE(vec_insert_remove_truncate_retain), KCPP_KUNIT_CASE(vec_capacity_and_extend),
                 KCPP_KUNIT_CASE(vec_push_own_element_at_capacity),
                 KCPP_KUNIT_CASE(vec_unchanged_after_failed_growth),
                 KCPP_KUNIT_CASE(vec_first_allocation_fails), KCPP_KUNIT_CASE(kvec_growth_failure_sweep),
                 KCPP_KUNIT_CASE(composite_failure_sweep));
