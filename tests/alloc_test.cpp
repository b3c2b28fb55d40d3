// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation: Gfp, NumaNode, the Kmalloc/Vmalloc/KVmalloc backends (sizes,
 * alignment, NUMA placement on the two-node test machine, atomic context,
 * failures) and the fault-injection hooks the failure sweeps rely on.
 */
#include <kcpp/alloc/allocator.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/initializer_list.h>
#include <kcpp/kunit.h>

#include "alloc_c_helpers.h"
#include "helpers.h"

namespace {

kcpp::Result<void> gfp_flags_combine() {
  const kcpp::Gfp f = kcpp::GFP_KERNEL | kcpp::GFP_ZERO | kcpp::GFP_NOWARN;
  KCPP_EXPECT(f.contains(kcpp::GFP_KERNEL));
  KCPP_EXPECT(f.contains(kcpp::GFP_ZERO | kcpp::GFP_NOWARN));
  KCPP_EXPECT(!kcpp::GFP_KERNEL.contains(kcpp::GFP_ZERO));
  KCPP_EXPECT_EQ((f & ~kcpp::GFP_ZERO & ~kcpp::GFP_NOWARN), kcpp::GFP_KERNEL);
  KCPP_EXPECT_EQ(f.as_raw(), static_cast<kcpp::u32>(KCPP_GFP_KERNEL | KCPP___GFP_ZERO | KCPP___GFP_NOWARN));
  // GFP_ATOMIC must not contain the reclaim bits that let GFP_KERNEL sleep.
  KCPP_EXPECT(!kcpp::GFP_ATOMIC.contains(kcpp::GFP_KERNEL));
  return {};
}

kcpp::Result<void> numa_node_ids_are_validated() {
  KCPP_EXPECT_EQ(KCPP_TRY(kcpp::NumaNode::make(0)).id(), 0);
  KCPP_EXPECT_EQ(kcpp::NumaNode::make(-1).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::NumaNode::make(KCPP_MAX_NUMNODES).error(), kcpp::code::EINVAL);
  KCPP_EXPECT(kcpp::NumaNode::make(KCPP_MAX_NUMNODES - 1).is_ok());
  KCPP_EXPECT(kcpp::NumaNode::any().is_any());
  KCPP_EXPECT(!kcpp::NumaNode::any().is_online());
  KCPP_EXPECT(KCPP_TRY(kcpp::NumaNode::make(0)).is_online());
  return {};
}

bool aligned(const void* p, kcpp::usize a) {
  // SAFETY: the pointer is only turned into an integer to test its low bits; nothing converts it
  // back or dereferences it.
  return (reinterpret_cast<kcpp::uptr>(p) & (a - 1)) == 0;
}

template <typename A>
kcpp::Result<void> backend_roundtrip() {
  // Sizes around the slab boundaries and beyond a page; every alignment up
  // to a page.
  const kcpp::usize sizes[] = {2, 24, 96, 200, 4096, (3ul * 4096) + 8, 64ul * 1024};
  for (kcpp::usize size : sizes) {
    for (kcpp::usize align = 1; align <= static_cast<kcpp::usize>(KCPP_PAGE_SIZE); align *= 2) {
      void* p = KCPP_TRY(A::alloc(kcpp::Layout{size, align}, kcpp::GFP_KERNEL | kcpp::GFP_ZERO));
      auto* bytes = static_cast<kcpp::u8*>(p);
      bool zero = true;
      for (kcpp::usize i = 0; i < size; i++) zero = zero && bytes[i] == 0;
      KCPP_EXPECT(zero);
      KCPP_EXPECT(aligned(p, align));
      bytes[0] = 0xa5;
      bytes[size - 1] = 0x5a;
      // Grow: the contents move along.
      const kcpp::Layout old{size, align}, bigger{size * 2 + 1, align};
      auto grown = A::realloc(p, old, bigger, kcpp::GFP_KERNEL);
      if (grown.is_err()) {
        A::free(p);
        return grown.error();
      }
      bytes = static_cast<kcpp::u8*>(*grown);
      KCPP_EXPECT_EQ(bytes[0], 0xa5);
      KCPP_EXPECT_EQ(bytes[size - 1], 0x5a);
      KCPP_EXPECT(aligned(bytes, align));
      A::free(bytes);
    }
  }
  return {};
}

kcpp::Result<void> kmalloc_roundtrip() {
  return backend_roundtrip<kcpp::Kmalloc>();
}
kcpp::Result<void> vmalloc_roundtrip() {
  return backend_roundtrip<kcpp::Vmalloc>();
}
kcpp::Result<void> kvmalloc_roundtrip() {
  return backend_roundtrip<kcpp::KVmalloc>();
}

kcpp::Result<void> unsupported_layouts_are_refused() {
  const auto page = static_cast<kcpp::usize>(KCPP_PAGE_SIZE);
  KCPP_EXPECT_EQ(kcpp::Kmalloc::alloc({64, page * 2}, kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::Vmalloc::alloc({64, page * 2}, kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::KVmalloc::alloc({64, 3}, kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
  // vmalloc on a node cannot take flags beyond GFP_KERNEL | GFP_ZERO.
  KCPP_EXPECT_EQ(kcpp::Vmalloc::alloc({64, 8}, kcpp::GFP_ATOMIC, KCPP_TRY(kcpp::NumaNode::make(0))).error(),
                 kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::Kmalloc::alloc({kcpp::Layout::MAX_SIZE, 8}, kcpp::GFP_KERNEL).error(),
                 kcpp::code::ENOMEM);
  // Too large for the slab and the page allocator: a clean ENOMEM.
  KCPP_EXPECT_EQ(kcpp::Kmalloc::alloc({kcpp::usize(1) << 40, 8}, kcpp::GFP_KERNEL | kcpp::GFP_NOWARN).error(),
                 kcpp::code::ENOMEM);
  return {};
}

template <typename A>
kcpp::Result<void> placed_on(kcpp::NumaNode node, kcpp::usize size) {
  // vmalloc on a node takes GFP_KERNEL only (and prefers, not forces, the node).
  const kcpp::Gfp gfp =
      kcpp::is_same_v<A, kcpp::Vmalloc> ? kcpp::GFP_KERNEL : kcpp::GFP_KERNEL | kcpp::GFP_THISNODE;
  void* p = KCPP_TRY(A::alloc(kcpp::Layout{size, 8}, gfp, node));
  const int got = kcpp_mem_node(p);
  A::free(p);
  KCPP_EXPECT_EQ(got, node.id());
  return {};
}

kcpp::Result<void> allocations_land_on_the_requested_node() {
  kcpp::NumaNode node1 = kcpp::NumaNode::any();
  if (!kcpp_test::second_numa_node(node1))
    return {};
  const auto node0 = KCPP_TRY(kcpp::NumaNode::make(0));
  for (auto node : {node0, node1}) {
    KCPP_TRY(placed_on<kcpp::Kmalloc>(node, 128));
    KCPP_TRY(placed_on<kcpp::Kmalloc>(node, 3ul * 4096));
    KCPP_TRY(placed_on<kcpp::Vmalloc>(node, 5ul * 4096));
    KCPP_TRY(placed_on<kcpp::KVmalloc>(node, 256));
  }
  // realloc to a node moves the block there, contents included.
  void* p = KCPP_TRY(kcpp::Kmalloc::alloc({64, 8}, kcpp::GFP_KERNEL, node0));
  static_cast<kcpp::u8*>(p)[63] = 7;
  auto moved = kcpp::Kmalloc::realloc(p, {64, 8}, {128, 8}, kcpp::GFP_KERNEL | kcpp::GFP_THISNODE, node1);
  if (moved.is_err()) {
    kcpp::Kmalloc::free(p);
    return moved.error();
  }
  KCPP_EXPECT_EQ(kcpp_mem_node(*moved), 1);
  KCPP_EXPECT_EQ(static_cast<kcpp::u8*>(*moved)[63], 7);
  kcpp::Kmalloc::free(*moved);
  return {};
}

struct AtomicRun {
  bool was_atomic = false;
  bool under_lock = false;
  bool allocated = false;
};

void allocate_atomically(void* ctx) {
  auto* run = static_cast<AtomicRun*>(ctx);
  run->was_atomic = kcpp_test_in_atomic();
  run->under_lock = kcpp_test_atomic_lock_held();
  auto p = kcpp::Kmalloc::alloc({256, 8}, kcpp::GFP_ATOMIC);
  if (p.is_ok()) {
    run->allocated = true;
    kcpp::Kmalloc::free(*p);
  }
}

kcpp::Result<void> gfp_atomic_works_in_atomic_context() {
  AtomicRun run;
  kcpp_test_run_atomic(allocate_atomically, &run);
  // Under spin_lock_irqsave(): atomic with interrupts off, except on
  // PREEMPT_RT, where spinlock_t sleeps and leaves both on (and GFP_ATOMIC
  // is what code under it passes all the same).
  KCPP_EXPECT(run.under_lock);
  KCPP_EXPECT_EQ(run.was_atomic, KCPP_CONFIG_PREEMPT_RT == 0);
  KCPP_EXPECT(run.allocated);
  return {};
}

kcpp::Result<void> fault_injection_fails_the_nth_allocation() {
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  const long injected = kcpp_fault_injected();
  kcpp_fault_fail_nth(2);
  auto first = kcpp::Kmalloc::alloc({32, 8}, kcpp::GFP_KERNEL);
  auto second = kcpp::Kmalloc::alloc({32, 8}, kcpp::GFP_KERNEL);
  auto third = kcpp::Vmalloc::alloc({32, 8}, kcpp::GFP_KERNEL);
  KCPP_EXPECT(first.is_ok());
  KCPP_EXPECT_EQ(second.error(), kcpp::code::ENOMEM);
  KCPP_EXPECT(third.is_ok());
  KCPP_EXPECT_EQ(kcpp_fault_injected(), injected + 1);
  KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live + 2);
  if (first.is_ok())
    kcpp::Kmalloc::free(*first);
  if (third.is_ok())
    kcpp::Vmalloc::free(*third);
  KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live);
  kcpp_fault_arm(false);
  // Disarmed, nothing is counted or failed.
  kcpp_fault_fail_nth(1);
  auto free_run = kcpp::Kmalloc::alloc({32, 8}, kcpp::GFP_KERNEL);
  KCPP_EXPECT(free_run.is_ok());
  KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live);
  kcpp_fault_fail_nth(0);
  if (free_run.is_ok())
    kcpp::Kmalloc::free(*free_run);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_alloc, KCPP_KUNIT_CASE(gfp_flags_combine), KCPP_KUNIT_CASE(numa_node_ids_are_validated),
                 KCPP_KUNIT_CASE(kmalloc_roundtrip), KCPP_KUNIT_CASE(vmalloc_roundtrip),
                 KCPP_KUNIT_CASE(kvmalloc_roundtrip), KCPP_KUNIT_CASE(unsupported_layouts_are_refused),
                 KCPP_KUNIT_CASE(allocations_land_on_the_requested_node),
                 KCPP_KUNIT_CASE(gfp_atomic_works_in_atomic_context),
                 KCPP_KUNIT_CASE(fault_injection_fails_the_nth_allocation));
