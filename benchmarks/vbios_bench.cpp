// SPDX-License-Identifier: GPL-2.0
/*
 * The kcpp side of the VBIOS benchmark: nova-core's parser (the CPU work of
 * its probe) on a synthesized GA102 ROM: the image chain read into a
 * growing buffer, the BIT table, the PMU lookup table, the FWSEC descriptor,
 * the ucode and signatures copied out. Every offset is checked through
 * kcpp::Span and kcpp::bytes; the C side beside it checks the same offsets
 * by hand.
 */
#include <kcpp/alloc/kvec.h>

#include "../drivers/nova/core/vbios.h"
#include "bench.h"

const unsigned char* kcpp_bench_vbios = nullptr;
unsigned long kcpp_bench_vbios_len = 0;

extern "C" long kcpp_bench_cpp_vbios(unsigned long n) {
  if (!kcpp_bench_vbios)
    return -KCPP_ENODEV;
  // SAFETY: Bench::init points kcpp_bench_vbios at its local ROM vector of kcpp_bench_vbios_len bytes,
  // which lives until every benchmark has returned (and is null otherwise, checked above).
  const auto rom = kcpp::Span<const kcpp::u8>::unsafe_from_raw(kcpp_bench_vbios, kcpp_bench_vbios_len);
  long sum = 0;
  for (unsigned long i = 0; i < n; i++) {
    nova::vbios::Diag d;
    auto f = nova::vbios::parse_bytes(rom, d);
    if (f.is_err())
      return f.error().to_errno();
    sum += long(f->desc.version()) + f->desc.imem_load_size() + f->desc.dmem_load_size() + f->ucode[7] +
           f->signatures[0];
  }
  return sum;
}
