// SPDX-License-Identifier: GPL-2.0
/* Arc<T>: sharing, the last owner destroys, pin_init, raw round trips. */
#include <kcpp/kunit.h>
#include <kcpp/sync/arc.h>
#include <kcpp/sync/lock.h>

namespace {

struct Obj {
  static inline int live = 0;
  int v;
  explicit Obj(int x) : v(x) { live++; }
  Obj(Obj&&) = delete;
  ~Obj() { live--; }
};

kcpp::Result<void> last_owner_destroys() {
  Obj::live = 0;
  {
    auto a = KCPP_TRY(kcpp::Arc<Obj>::make(kcpp::GFP_KERNEL, 3));
    KCPP_EXPECT_EQ(a.count(), 1u);
    {
      kcpp::Arc<Obj> b = a;
      kcpp::Arc<Obj> c = b;
      KCPP_EXPECT_EQ(a.count(), 3u);
      kcpp::Arc<Obj> d = std::move(c);
      KCPP_EXPECT_EQ(a.count(), 3u);
      KCPP_EXPECT(c.get() == nullptr);
      KCPP_EXPECT_EQ(d->v, 3);
    }
    KCPP_EXPECT_EQ(a.count(), 1u);
    KCPP_EXPECT_EQ(Obj::live, 1);
  }
  KCPP_EXPECT_EQ(Obj::live, 0);
  return {};
}

kcpp::Result<void> pin_init_shared_lock() {
  auto shared = KCPP_TRY(kcpp::Arc<kcpp::Mutex<int>>::pin_init(
      kcpp::GFP_KERNEL, kcpp::init::emplace<kcpp::Mutex<int>>(KCPP_LOCK_CLASS(), 1)));
  kcpp::Arc<kcpp::Mutex<int>> other = shared;
  // Shared objects are const; their lock hands out mutable access.
  *other->lock() += 1;
  KCPP_EXPECT_EQ(*shared->lock(), 2);

  Obj::live = 0;
  auto failed = kcpp::Arc<Obj>::pin_init(
      kcpp::GFP_KERNEL, kcpp::init::from_fn<Obj>([](Obj*) -> kcpp::Result<void> { return kcpp::code::EIO; }));
  KCPP_EXPECT_EQ(failed.error(), kcpp::code::EIO);
  KCPP_EXPECT_EQ(Obj::live, 0);
  return {};
}

kcpp::Result<void> raw_round_trip() {
  Obj::live = 0;
  auto a = KCPP_TRY(kcpp::Arc<Obj>::make(kcpp::GFP_KERNEL, 9));
  kcpp::Arc<Obj> keep = a;
  // SAFETY: a's count travels in raw until unsafe_from_raw() below takes it back, and keep holds
  // another count, so the object stays alive meanwhile.
  void* raw = std::move(a).into_raw();
  KCPP_EXPECT_EQ(keep.count(), 2u);
  {
    // SAFETY: raw came from Arc<Obj>::into_raw() just above, and this is the one place it is taken back.
    auto back = kcpp::Arc<Obj>::unsafe_from_raw(raw);
    KCPP_EXPECT_EQ(back->v, 9);
  }
  KCPP_EXPECT_EQ(keep.count(), 1u);
  KCPP_EXPECT_EQ(Obj::live, 1);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_arc, KCPP_KUNIT_CASE(last_owner_destroys), KCPP_KUNIT_CASE(pin_init_shared_lock),
                 KCPP_KUNIT_CASE(raw_round_trip));
