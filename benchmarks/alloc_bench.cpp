// SPDX-License-Identifier: GPL-2.0
/*
 * The kcpp side of the allocation benchmarks: KVec<int>::push and
 * KBox<Pair>::make/drop, shaped like the C workloads beside them.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/kvec.h>

#include "bench.h"

namespace {
struct Pair {
  kcpp::u64 a;
  kcpp::u64 b;
};

// Hides a value from the optimiser, like OPTIMIZER_HIDE_VAR() in C.
template <typename T>
inline void hide(T& v) {
  asm volatile("" : "+r"(v));
}

kcpp::Result<long> push(unsigned long n) {
  kcpp::KVec<int> v;
  for (unsigned long i = 0; i < n; i++) KCPP_TRY(v.push(static_cast<int>(i), kcpp::GFP_KERNEL));
  long sum = 0;
  for (kcpp::usize i = 0; i < v.len(); i += 4096) sum += v[i];
  return sum + static_cast<long>(v.len());
}

kcpp::Result<long> box(unsigned long n) {
  long sum = 0;
  for (unsigned long i = 0; i < n; i++) {
    auto p = KCPP_TRY(kcpp::KBox<Pair>::make(kcpp::GFP_KERNEL, Pair{i, i * 2}));
    Pair* raw = p.get();
    hide(raw);
    sum += static_cast<long>(raw->b - raw->a);
  }
  return sum;
}

long to_c(kcpp::Result<long> r) {
  return r.is_ok() ? *r : r.error().to_errno();
}
}  // namespace

extern "C" long kcpp_bench_cpp_push(unsigned long n) {
  return to_c(push(n));
}
extern "C" long kcpp_bench_cpp_box(unsigned long n) {
  return to_c(box(n));
}
