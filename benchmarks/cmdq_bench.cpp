// SPDX-License-Identifier: GPL-2.0
/*
 * The kcpp side of the command-queue benchmark: nova-core's Cmdq
 * (drivers/nova/core/gsp/cmdq.h) unchanged, sending an RPC and receiving
 * its reply from the simulated GSP of cmdq_bench_c.c, against the same
 * ring written in C there. The BAR is the benchmark's: its one register,
 * the doorbell, calls the simulated GSP, as the C side's doorbell does.
 */
#include "../drivers/nova/core/gsp/cmdq.h"
#include "bench.h"

namespace {

// BAR0 with only the doorbell: a write to NV_PGSP_QUEUE_HEAD runs the simulated GSP.
class DoorbellBar {
 public:
  static constexpr kcpp::usize MIN_SIZE = 16 << 20;
  explicit DoorbellBar(kcpp::u64 gsp_mem) : gsp_mem_(gsp_mem) {}
  template <typename W, kcpp::usize Off>
  [[nodiscard]] W read_at() const {
    return 0;
  }
  template <typename W, kcpp::usize Off>
  void write_at(W) const {
    static_assert(Off == nova::regs::NV_PGSP_QUEUE_HEAD::OFFSET, "the benchmark's BAR has only the doorbell");
    kcpp_bench_gsp_echo(gsp_mem_);
  }

 private:
  kcpp::u64 gsp_mem_;
};

}  // namespace

extern "C" long kcpp_bench_cpp_cmdq(unsigned long n) {
  if (!kcpp_bench_dma_dev)
    return -KCPP_ENODEV;
  // SAFETY: kcpp_bench_dma_dev is non-null (checked above), so it is the edu device's struct device,
  // which EduBench::probe published while bound; the benchmarks run while it is.
  const auto& dev = kcpp::Device<kcpp::device::Bound>::unsafe_from_raw(kcpp_bench_dma_dev);
  auto q = nova::gsp::Cmdq::create(dev);
  if (q.is_err())
    return q.error().to_errno();
  const DoorbellBar bar(q->dma_handle());
  kcpp::u8 payload[KCPP_BENCH_RPC_PAYLOAD];
  long sum = 0;
  for (unsigned long i = 0; i < n; i++) {
    __builtin_memset(payload, int(i & 0xff), sizeof(payload));
    if (auto r = q->send(bar, KCPP_BENCH_RPC_FUNCTION + (i & 7), kcpp::Span<const kcpp::u8>(payload));
        r.is_err())
      return r.error().to_errno();
    auto m = q->receive();
    if (m.is_err())
      return m.error().to_errno();
    sum += long(m->function) + m->payload[m->payload.len() - 1] + long(m->payload.len());
  }
  return sum;
}
