// SPDX-License-Identifier: GPL-2.0
/*
 * The kcpp side of the MMIO benchmark: write a value to a register and read
 * it back through io::Mmio accessors with compile-time-checked offsets. The
 * register is edu's liveness check (0x04), which returns the complement of
 * what was written; the checksum proves both sides did the same traffic.
 */
#include <kcpp/io.h>

#include "bench.h"

// The view by value, as the C side takes its base: a local the compiler can
// keep in a register across the accessors' compiler barriers.
extern "C" long kcpp_bench_cpp_io(kcpp::io::Mmio<KCPP_BENCH_IO_SIZE> io, unsigned long n) {
  long sum = 0;
  for (unsigned long i = 0; i < n; i++) {
    io.write32(static_cast<kcpp::u32>(i), 0x04);
    sum += io.read32(0x04);
  }
  return sum;
}

// The poll benchmark's kcpp side: read_poll_timeout() on the kernel's clock
// (what nova-core waits on for a real GPU), against readl_poll_timeout().
extern "C" long kcpp_bench_cpp_poll(kcpp::io::Mmio<KCPP_BENCH_IO_SIZE> io, unsigned long n) {
  long sum = 0;
  for (unsigned long i = 0; i < n; i++) {
    io.write32(static_cast<kcpp::u32>(i), 0x04);
    auto v = kcpp::io::read_poll_timeout_on(
        kcpp::io::KernelClock{}, [&] { return io.read32(0x04); },
        [i](kcpp::u32 r) { return r == ~static_cast<kcpp::u32>(i); }, 0, 1000);
    if (v.is_err())
      return -KCPP_ETIMEDOUT;
    sum += *v;
  }
  return sum;
}
