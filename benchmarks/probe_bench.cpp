// SPDX-License-Identifier: GPL-2.0
/*
 * The kcpp side of the probe benchmark: nova-core's probe from identification
 * to FWSEC-FRTS and Booter's preparation (probe_to_frts(), nova's functions
 * in the order nova::Gpu::probe calls them) and the flush page's release,
 * on a simulated GPU, against the same sequence written in C
 * (probe_bench_c.c).
 *
 * The driver runs unchanged; only its BAR type is the benchmark's `SimIo`,
 * whose accessors call the same out-of-line functions as the C side's, so
 * both pay the same for the simulated hardware (the simulator is the
 * drivers/nova/sim model the tests use). Also here: those accessors, and
 * the simulator's construction for both sides.
 */
#include <kcpp/alloc/kbox.h>

#include "../drivers/nova/core/gpu.h"
#include "../drivers/nova/sim/gpu.h"
#include "bench.h"

struct device* kcpp_bench_dma_dev = nullptr;
unsigned long long kcpp_bench_excluded_ns = 0;

extern "C" void* kcpp_bench_sim_new(unsigned int id) {
  if (!kcpp_bench_dma_dev)
    return nullptr;
  nova::sim::Options o;
  o.gfw_polls = 0;  // GFW boot already done: no 1 ms waits in the figures
  // SAFETY: kcpp_bench_dma_dev is non-null (checked above), so it is the edu device's struct device,
  // which EduBench::probe published and unbind() clears; it stays alive while the benchmarks run.
  const auto& dev = kcpp::Device<>::unsafe_from_raw(kcpp_bench_dma_dev);
  auto gpu = nova::sim::make_gpu(id, &dev, o);
  // SAFETY: ownership of the simulator passes to the C caller, which hands the pointer back exactly
  // once to kcpp_bench_sim_free() (both probe loops do), where a KBox takes it back.
  return gpu.is_ok() ? std::move(*gpu).into_raw() : nullptr;
}

extern "C" void kcpp_bench_sim_free(void* gpu) {
  if (!gpu)
    return;
  // SAFETY: a non-null gpu is what kcpp_bench_sim_new() got from KBox<nova::sim::Gpu>::into_raw(),
  // and each probe loop frees each simulator once, so no other box owns it.
  (void)kcpp::KBox<nova::sim::Gpu>::unsafe_from_raw(static_cast<nova::sim::Gpu*>(gpu));
}

// Out of line on purpose: the C side cannot inline them, so neither may kcpp.
extern "C" [[gnu::noinline]] unsigned int kcpp_bench_sim_rd32(void* gpu, unsigned long off) {
  return static_cast<nova::sim::Gpu*>(gpu)->bar0().read32(off);
}

extern "C" [[gnu::noinline]] void kcpp_bench_sim_wr32(void* gpu, unsigned long off, unsigned int v) {
  static_cast<nova::sim::Gpu*>(gpu)->bar0().write32(off, v);
}

namespace {

// The simulated BAR0 through the accessors: the I/O interface of kcpp's
// typed registers (compile-time offsets checked against MIN_SIZE, run-time
// ones checked here).
class SimIo {
 public:
  static constexpr kcpp::usize MIN_SIZE = nova::sim::Bar0::MIN_SIZE;
  explicit SimIo(void* gpu) : gpu_(gpu) {}

  template <typename W, kcpp::usize Off>
  [[nodiscard]] W read_at() const {
    static_assert(sizeof(W) == 4 && Off % 4 == 0 && Off + 4 <= MIN_SIZE, "32-bit registers inside BAR0 only");
    return kcpp_bench_sim_rd32(gpu_, Off);
  }
  template <typename W, kcpp::usize Off>
  void write_at(W v) const {
    static_assert(sizeof(W) == 4 && Off % 4 == 0 && Off + 4 <= MIN_SIZE, "32-bit registers inside BAR0 only");
    kcpp_bench_sim_wr32(gpu_, Off, v);
  }
  template <typename W>
  [[nodiscard]] kcpp::Result<W> try_read(kcpp::usize off) const {
    if (sizeof(W) != 4 || off % 4)
      return kcpp::code::EINVAL;  // as Mmio: misaligned (or not a 32-bit register)
    if (off > MIN_SIZE - 4)
      return kcpp::code::ERANGE;
    return static_cast<W>(kcpp_bench_sim_rd32(gpu_, off));
  }
  template <typename W>
  [[nodiscard]] kcpp::Result<void> try_write(W v, kcpp::usize off) const {
    if (sizeof(W) != 4 || off % 4)
      return kcpp::code::EINVAL;  // as Mmio: misaligned (or not a 32-bit register)
    if (off > MIN_SIZE - 4)
      return kcpp::code::ERANGE;
    kcpp_bench_sim_wr32(gpu_, off, static_cast<kcpp::u32>(v));
    return {};
  }

 private:
  void* gpu_;
};

// nova-core's probe as far as the C side goes: identification to FWSEC-FRTS
// and Booter's preparation, with nova's own functions, then the flush
// page's unregistration (the rest of the boot, and unload, are the GSP's
// and have their own benchmark row).
kcpp::Result<long> probe_to_frts(const kcpp::Device<kcpp::device::Bound>& dev, const SimIo& bar) {
  using namespace nova;
  const Spec spec = KCPP_TRY(Spec::identify(bar, dev));
  if (!spec.chipset.boots_through_sec2())
    return kcpp::code::ENOTSUPP;
  KCPP_TRY(gfw::wait_boot_completion(bar, dev));
  const fb::Hal fb_hal = KCPP_TRY(fb::hal_for(spec.chipset));
  auto flush = KCPP_TRY(fb::SysmemFlush::register_page(dev, bar, fb_hal));
  auto rest = [&]() -> kcpp::Result<long> {
    const u32 boot0 = regs::NV_PMC_BOOT_0::read(bar).raw();
    const auto gsp = KCPP_TRY(falcon::Falcon<falcon::Gsp>::create(spec.chipset, boot0));
    const auto sec2 = KCPP_TRY(falcon::Falcon<falcon::Sec2>::create(spec.chipset, boot0));
    gsp.clear_swgen0_intr(bar);
    const vbios::Fwsec fwsec = KCPP_TRY(vbios::read(bar, dev));
    const auto gsp_fw = KCPP_TRY(nova::firmware::GspFirmware::load(dev, spec.chipset));
    const auto bootloader = KCPP_TRY(nova::firmware::RiscvFirmware::load(dev, spec.chipset));
    // Turing runs FWSEC through the generic bootloader (loaded here as gsp::boot() does).
    const bool needs_bl = spec.chipset.needs_fwsec_bootloader();
    const auto gen_bl = needs_bl ? fwsec::GenericBootloader::load(dev, spec.chipset)
                                 : kcpp::Result<fwsec::GenericBootloader>(kcpp::code::ENOENT);
    if (needs_bl && gen_bl.is_err())
      return gen_bl.error();
    const auto layout = KCPP_TRY(fb::layout(bar, spec.chipset, bootloader.size(), gsp_fw.size()));
    const fb::Range wpr2 =
        KCPP_TRY(gsp::run_fwsec_frts(dev, bar, gsp, fwsec, layout, needs_bl ? &*gen_bl : nullptr));
    const auto booter = KCPP_TRY(nova::firmware::BooterFirmware::load(dev, spec.chipset, sec2, bar));
    const auto& p = booter.load_params();
    return kcpp_bench_probe_sum(wpr2.start, wpr2.end, layout.heap.start, layout.elf.start,
                                fwsec.desc.version(), p.boot_addr, p.brom.pkc_data_offset);
  }();
  flush.unregister(bar, dev);
  return rest;
}

long cpp_probe(kcpp::u32 id, unsigned long n) {
  if (!kcpp_bench_dma_dev)
    return -KCPP_ENODEV;
  // SAFETY: kcpp_bench_dma_dev is non-null, so the edu device is bound while the benchmarks run
  // (bench.cpp: its Registration outlives them, and unbind() would clear the pointer).
  const auto& dev = kcpp::Device<kcpp::device::Bound>::unsafe_from_raw(kcpp_bench_dma_dev);
  long sum = 0;
  for (unsigned long i = 0; i < n; i++) {
    kcpp::u64 t0 = kcpp_ktime_get_ns();
    void* sim = kcpp_bench_sim_new(id);
    kcpp_bench_excluded_ns += kcpp_ktime_get_ns() - t0;
    if (!sim)
      return -KCPP_ENOMEM;
    const SimIo bar(sim);
    long err = 0;
    {
      auto r = probe_to_frts(dev, bar);
      if (r.is_ok())
        sum += *r;
      else
        err = r.error().to_errno();
    }
    t0 = kcpp_ktime_get_ns();
    kcpp_bench_sim_free(sim);
    kcpp_bench_excluded_ns += kcpp_ktime_get_ns() - t0;
    if (err)
      return err;
  }
  return sum;
}

}  // namespace

extern "C" long kcpp_bench_cpp_probe_ga102(unsigned long n) {
  return cpp_probe(0x172, n);
}
extern "C" long kcpp_bench_cpp_probe_tu102(unsigned long n) {
  return cpp_probe(0x162, n);
}
