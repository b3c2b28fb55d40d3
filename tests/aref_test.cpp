// SPDX-License-Identifier: GPL-2.0
/* ARef: counts taken and dropped exactly once, adoption versus new counts. */
#include <kcpp/alloc/kbox.h>
#include <kcpp/kunit.h>
#include <kcpp/sync/aref.h>

namespace {

// A refcounted object in kmalloc memory that frees itself at zero, like a
// kernel object behind get/put.
struct Node {
  static inline int freed = 0;
  mutable int refs = 1;
  int value;
  explicit Node(int v) : value(v) {}
  void inc_ref() const { refs++; }
  static void dec_ref(Node* n) {
    if (--n->refs == 0) {
      freed++;
      // SAFETY: the last count just dropped, so nothing else refers to n, and every Node comes from
      // create(), which allocated it with KBox<Node>::make() and released it with into_raw().
      (void)kcpp::KBox<Node>::unsafe_from_raw(n);  // destroys and frees
    }
  }
  static kcpp::Result<kcpp::ARef<Node>> create(int v) {
    auto box = KCPP_TRY(kcpp::KBox<Node>::make(kcpp::GFP_KERNEL, v));
    // SAFETY: the box's object starts with one count (refs = 1), which the ARef adopts; the pointer
    // is non-null since make() succeeded, and dec_ref() gives the allocation back to a KBox at zero.
    return kcpp::ARef<Node>::unsafe_adopt(std::move(box).into_raw());
  }
};
static_assert(kcpp::AlwaysRefCounted<Node>);
static_assert(!kcpp::AlwaysRefCounted<int>);

kcpp::Result<void> adopt_and_from_count_correctly() {
  Node::freed = 0;
  {
    kcpp::ARef<Node> a = KCPP_TRY(Node::create(7));
    KCPP_EXPECT_EQ(a->refs, 1);  // adopted, not incremented
    kcpp::ARef<Node> b = kcpp::ARef<Node>::from(*a);
    KCPP_EXPECT_EQ(a->refs, 2);
    kcpp::ARef<Node> c = b;  // copy takes a count
    KCPP_EXPECT_EQ(a->refs, 3);
    kcpp::ARef<Node> d = std::move(c);  // move does not
    KCPP_EXPECT_EQ(a->refs, 3);
    KCPP_EXPECT(c.get() == nullptr);
    KCPP_EXPECT(d == a);
    b = d;  // drops b's count, takes one on d's object (the same)
    KCPP_EXPECT_EQ(a->refs, 3);
    KCPP_EXPECT_EQ(d->value, 7);
  }
  KCPP_EXPECT_EQ(Node::freed, 1);
  return {};
}

kcpp::Result<void> into_raw_hands_the_count_over() {
  Node::freed = 0;
  kcpp::ARef<Node> a = KCPP_TRY(Node::create(1));
  // SAFETY: a's only count travels in raw until unsafe_adopt() below takes it back; nothing drops
  // it in between, so the Node stays alive for the reads on the way.
  Node* raw = std::move(a).into_raw();
  KCPP_EXPECT_EQ(raw->refs, 1);
  KCPP_EXPECT_EQ(Node::freed, 0);
  {
    // SAFETY: raw is non-null and carries the one count into_raw() gave up above; back adopts it
    // once.
    auto back = kcpp::ARef<Node>::unsafe_adopt(raw);
  }
  KCPP_EXPECT_EQ(Node::freed, 1);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_aref, KCPP_KUNIT_CASE(adopt_and_from_count_correctly),
                 KCPP_KUNIT_CASE(into_raw_hands_the_count_over));
