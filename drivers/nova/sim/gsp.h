/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated GSP firmware and its boot through SEC2: what Booter and
 * GSP-RM do with the memory the driver shares with them, checked the way
 * the firmware depends on it.
 *
 * Written apart from the driver's code on purpose: the queue is read and
 * written here with its own parser and its own checksum (whole 64-bit
 * words XORed, where the driver sums byte lanes), so that the driver is
 * tested against the protocol and not against itself. The layouts come
 * from gsp/fw.h and gsp/cmdq.h: they are the firmware's, not logic.
 *
 * Its steps, driven by the simulated GPU (sim/gpu.h):
 *  - booter_load(): the WPR meta (magic, revision, WPR2 and FRTS where
 *    FWSEC put them, or on GA100 an empty FRTS and no WPR2 yet, which
 *    Booter then creates; the image under its radix-3 tables byte for byte),
 *    the libos array and RMARGS, GspMem's PTEs and the CPU queue's header,
 *    then the pre-queued GSP_SET_SYSTEM_INFO (BARs and ids of the real PCI
 *    device) and SET_REGISTRY; then an unrelated event and the sequencer
 *    program (every opcode) go into the GSP queue;
 *  - resume(): the sequencer's register effects are checked, GSP_INIT_DONE
 *    is sent;
 *  - doorbell(): GET_GSP_STATIC_INFO is answered, UNLOADING_GUEST_DRIVER
 *    acknowledged (and the processor suspended).
 * The first thing found wrong is kept in error() and the model stops, as
 * a firmware would. Fault switches (Fault) make it misbehave on purpose.
 */
#ifndef NOVA_SIM_GSP_H
#define NOVA_SIM_GSP_H

#include <kcpp/core/bytes.h>
#include <kcpp/pci.h>

#include "../core/gsp/cmdq.h"
#include "../core/gsp/fw.h"
#include "../core/gsp/sequencer.h"
#include "regs_model.h"

/*
 * sim/dma.c, linked into the test modules only: the kernel address behind a
 * bus address of dev's DMA, or NULL where no RAM is direct-mapped there.
 */
extern "C" void* nova_sim_dma_bus_to_virt(::device* dev, unsigned long long addr);

namespace nova::sim {

using kcpp::u16;
using kcpp::u64;
using kcpp::u8;

/**
 * The @p len bytes at bus address @p addr of @p dev's DMA, as a device
 * reads them, or null unless all of them are direct-mapped RAM, in one
 * piece (the simulated GSP's and falcons' view of system memory).
 */
inline u8* bus_bytes(const kcpp::Device<>* dev, u64 addr, usize len) {
  if (!dev || !addr || !len)
    return nullptr;
  u8* p = static_cast<u8*>(nova_sim_dma_bus_to_virt(dev->as_raw(), addr));
  u8* e = static_cast<u8*>(nova_sim_dma_bus_to_virt(dev->as_raw(), addr + len - 1));
  return p && e == p + len - 1 ? p : nullptr;
}

/** How the simulated GSP misbehaves. */
enum class Fault : u32 {
  None,
  BooterMailbox,      ///< Booter-load reports an error in MAILBOX0
  RiscvNeverActive,   ///< Booter never starts the GSP's core
  BadChecksum,        ///< the sequencer message's checksum is off
  BadVersion,         ///< ...its RPC header version is wrong
  BadSignature,       ///< ...its RPC signature is wrong
  ElemCountPastRing,  ///< ...its element count runs past what was written
  SeqOverrun,         ///< the sequencer program runs past its buffer
  SeqOutsideBar0,     ///< a sequencer command names a register outside BAR0
  SeqUnknownOpcode,   ///< a sequencer command has an opcode past CORE_RESUME
  SeqPollTimeout,     ///< the register the sequencer polls never settles
  NoSequencer,        ///< no sequencer program comes
  NoInitDone,         ///< GSP_INIT_DONE never comes
  NoStaticInfo,       ///< GET_GSP_STATIC_INFO gets no answer
  QueueStalled,       ///< the GSP stops reading the CPU queue after the boot
  NoSuspendAck,       ///< the unload RPC is answered, the suspend never acknowledged
  BooterNoWpr2,       ///< GA100's Booter-load succeeds but creates no WPR2
};

/** What the simulated GSP saw, for the tests. */
struct GspRun {
  const char* error = nullptr;  ///< the first protocol error found
  u32 booter_loads = 0, booter_unloads = 0, resumes = 0, sb_runs = 0;
  u32 received = 0;      ///< messages read from the CPU queue
  u32 static_infos = 0;  ///< GET_GSP_STATIC_INFO answered
  u32 unloads = 0;       ///< UNLOADING_GUEST_DRIVER answered
  u32 poll_reads = 0;    ///< reads of the register the sequencer polls
};

/// @cond KCPP_INTERNAL
namespace detail {
// The queue checksum computed another way than the driver's: 64-bit words XORed (the
// message is padded to a word with zeros), then folded.
inline u32 word_checksum(const u8* p, usize n) {
  u64 x = 0;
  for (usize i = 0; i < n; i += 8) {
    u64 w = 0;
    __builtin_memcpy(&w, p + i, n - i < 8 ? n - i : 8);
    x ^= w;
  }
  return u32(x >> 32) ^ u32(x);
}
}  // namespace detail
/// @endcond

/** The register the simulated sequencer program writes and modifies (SW_SCRATCH[0x10]). */
inline constexpr usize SEQ_SCRATCH = 0x001440;
/** The register it polls: reads busy (bit 0) a few times, then idle (SW_SCRATCH[0x11]). */
inline constexpr usize SEQ_POLL = 0x001444;

/** The simulated GSP: see the file comment. */
class GspModel {
 public:
  /**
   * The GSP of chip @p chip, reaching system memory as @p dev's DMA does;
   * GSP_SET_SYSTEM_INFO must describe PCI function @p pci.
   */
  GspModel(u32 chip, const kcpp::Device<>* dev, const kcpp::pci::Device<>* pci, RegisterFile& regs,
           Fault fault)
      : chip_(chip), dev_(dev), pci_(pci), regs_(regs), fault_(fault) {}

  [[nodiscard]] const GspRun& run() const { return run_; }
  [[nodiscard]] bool running() const { return state_ == State::Running || state_ == State::Ready; }

  /** The GSP bootloader was started with the libos array's address in its mailboxes. */
  void bootloader_started(u64 libos) {
    if (state_ == State::Off)
      libos_ = libos;
  }

  /**
   * Booter-load ran on SEC2 with the WPR meta at @p meta: checks, then
   * starts GSP-RM. Returns what Booter leaves in MAILBOX0.
   */
  u32 booter_load(u64 meta) {
    run_.booter_loads++;
    cpu_seq_ = gsp_seq_ = 0;  // a new boot: a new queue
    run_.poll_reads = 0;
    mem_ = nullptr;
    if (fault_ == Fault::BooterMailbox)
      return 0xbad0b007;
    if (const char* e = check_boot(meta)) {
      fail(e);
      return 0xbad0b001;
    }
    state_ = State::Running;
    if (fault_ != Fault::RiscvNeverActive)
      set_active(true);
    post_event(gsp::event::OS_ERROR_LOG, nullptr, 0);  // an unrelated event first: dropped
    if (fault_ != Fault::NoSequencer)
      post_sequencer();
    return 0;
  }

  /** SEC2 restarted for CORE_RESUME: the sequencer's effects are checked, INIT_DONE sent. */
  void resume() {
    run_.resumes++;
    if (state_ != State::Running) {
      fail("CORE_RESUME before the GSP ran");
      return;
    }
    if (regs_.get(SEQ_SCRATCH) != 0x5634) {
      fail("REG_WRITE/REG_MODIFY did not reach the register");
      return;
    }
    if (run_.poll_reads < 3) {
      fail("REG_POLL did not poll");
      return;
    }
    if (regs_.get(gsp_base() + 0x040) != u32(libos_) || regs_.get(gsp_base() + 0x044) != u32(libos_ >> 32)) {
      fail("CORE_RESUME did not give the GSP its libos arguments");
      return;
    }
    regs_.set(regs::NV_PGC6_BSI_SECURE_SCRATCH_14::OFFSET, 1u << 26);
    set_active(true);
    state_ = State::Ready;
    if (fault_ != Fault::NoInitDone)
      post_event(gsp::event::GSP_INIT_DONE, nullptr, 0);
  }

  /** A read of SEQ_POLL: busy for the first three. */
  u32 poll_read() {
    run_.poll_reads++;
    return fault_ == Fault::SeqPollTimeout || run_.poll_reads <= 3 ? 1 : 0;
  }

  /** The doorbell: the GSP reads what the CPU queued. */
  void doorbell() {
    if (state_ != State::Ready || run_.error)
      return;  // not running yet: pre-queued messages wait for the boot
    if (fault_ == Fault::QueueStalled)
      return;
    // The driver read everything it was sent before it asks for more: its read pointer
    // (in the CPU queue's rx header) must say so.
    u32 driver_read = 0, gsp_write = 0;
    __builtin_memcpy(&driver_read, mem_ + 0x1000 + 0x20, 4);
    __builtin_memcpy(&gsp_write, mem_ + 0x41000 + 16, 4);
    if (driver_read != gsp_write) {
      fail("the driver did not publish its read pointer");
      return;
    }
    while (next_cpu_message()) {
      if (last_.rpc.function == gsp::function::GET_GSP_STATIC_INFO) {
        run_.static_infos++;
        if (fault_ != Fault::NoStaticInfo)
          post_static_info();
      } else if (last_.rpc.function == gsp::function::UNLOADING_GUEST_DRIVER) {
        run_.unloads++;
        post_event(gsp::function::UNLOADING_GUEST_DRIVER, nullptr, 0);
        set_active(false);
        if (fault_ != Fault::NoSuspendAck)
          regs_.set(gsp_base() + 0x040, 1u << 31);  // libos: processor suspended
        state_ = State::Suspended;
        return;
      } else {
        {
          fail("unexpected function from the CPU");
          return;
        }
      }
    }
  }

  /**
   * Booter-unload ran on SEC2: WPR2 is cleared. Returns MAILBOX0. A nonzero
   * @p error is what a failing Booter-unload reports: it changes nothing.
   */
  u32 booter_unload(u32 error = 0) {
    run_.booter_unloads++;
    if (error)
      return error;
    if (state_ == State::Running || state_ == State::Ready)
      fail("Booter-unload while GSP-RM still runs");
    regs_.set(regs::NV_PFB_PRI_MMU_WPR2_ADDR_LO::OFFSET, 0);
    regs_.set(regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET, 0);
    state_ = State::Off;
    set_active(false);
    return 0;
  }

  /** FWSEC-SB ran: the GSP falcon is back to its state before libos. */
  void fwsec_sb() {
    run_.sb_runs++;
    if (state_ == State::Running || state_ == State::Ready)
      state_ = State::Off;  // a failed boot's clean-up: GSP-RM is gone
    set_active(false);
  }

  /** Whether the simulated SEC2 is to resume (CORE_RESUME) rather than load. */
  [[nodiscard]] bool awaits_resume() const { return state_ == State::Running; }

 private:
  enum class State { Off, Running, Ready, Suspended };

  void fail(const char* e) {
    if (!run_.error)
      run_.error = e;
    state_ = State::Off;
  }
  bool ga102() const { return chip_ >= 0x172; }
  static constexpr usize gsp_base() { return 0x110000; }
  void set_active(bool on) {
    if (ga102())
      regs_.set(0x111388, on ? 1u << 7 : 0);
    else
      regs_.set(0x111240, on ? 1u : 0);
  }

  // Memory at bus address @p addr, @p len bytes, or null.
  u8* at(u64 addr, usize len) { return bus_bytes(dev_, addr, len); }
  template <typename T>
  bool load(u64 addr, T& out) {
    const u8* p = at(addr, sizeof(T));
    if (p)
      __builtin_memcpy(&out, p, sizeof(T));
    return p;
  }

  // What Booter and the GSP bootloader check before GSP-RM runs; null if all is well.
  const char* check_boot(u64 meta_addr) {
    gsp::GspFwWprMeta m{};
    if (!load(meta_addr, m))
      return "WPR meta not in system memory";
    if (m.magic != gsp::GspFwWprMeta::MAGIC || m.revision != gsp::GspFwWprMeta::REVISION)
      return "WPR meta magic or revision";
    const u64 wpr2_lo = u64(regs_.get(regs::NV_PFB_PRI_MMU_WPR2_ADDR_LO::OFFSET) >> 4) << 12;
    const u32 wpr2_hi = regs_.get(regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET);
    if (chip_ == 0x170) {
      // GA100 runs no FWSEC-FRTS: its FRTS is empty, and Booter creates WPR2 from the meta.
      if (m.frts_size != 0 || wpr2_hi != 0 || m.gsp_fw_wpr_start >= m.frts_offset)
        return "WPR meta: GA100 has no FRTS and no WPR2 before Booter";
    } else if (m.frts_offset != wpr2_lo || m.gsp_fw_wpr_start >= m.frts_offset || m.frts_size != 1 << 20) {
      return "WPR meta does not match WPR2";
    }
    if (m.gsp_fw_offset < m.gsp_fw_wpr_start || m.boot_bin_offset < m.gsp_fw_offset || !m.fb_size ||
        m.non_wpr_heap_offset != m.gsp_fw_rsvd_start || m.gsp_fw_wpr_end > m.fb_size)
      return "WPR meta layout fields";
    if (!at(m.sysmem_addr_of_bootloader, m.size_of_bootloader) || !at(m.sysmem_addr_of_signature, 1))
      return "WPR meta: bootloader or signatures not mapped";
    if (const char* e = check_radix3(m.sysmem_addr_of_radix3_elf, m.size_of_radix3_elf))
      return e;
    if (const char* e = check_libos())
      return e;
    if (chip_ == 0x170 && fault_ != Fault::BooterNoWpr2) {  // WPR2: the GSP's part to FRTS's end
      regs_.set(regs::NV_PFB_PRI_MMU_WPR2_ADDR_LO::OFFSET, u32(m.gsp_fw_wpr_start >> 12) << 4);
      regs_.set(regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET, u32(m.frts_offset >> 12) << 4);
    }
    return nullptr;
  }

  // Walks level 0, 1, 2 to every image page and compares it with the file's content.
  const char* check_radix3(u64 l0, u64 size) {
    if (!size)
      return "radix-3: empty image";
    const u64 pages = (size + 4095) / 4096;
    for (u64 p = 0; p < pages; p++) {
      u64 l1 = 0, l2 = 0, page = 0;
      if (!load(l0 + 8 * (p / (512ull * 512)), l1) || !load(l1 + 8 * ((p / 512) % 512), l2) ||
          !load(l2 + 8 * (p % 512), page))
        return "radix-3: a table entry is not mapped";
      const u8* bytes = at(page, 4096);
      if (!bytes || page % 4096)
        return "radix-3: a page is not mapped";
      for (usize i = 0; i < 4096 && p * 4096 + i < size; i += 61)  // sampled: the file's pattern
        if (bytes[i] != u8((p * 4096 + i) * 7 + chip_))
          return "radix-3: the image is not the firmware's";
    }
    return nullptr;
  }

  const char* check_libos() {
    gsp::LibosMemoryRegion r[4];
    for (usize i = 0; i < 4; i++)
      if (!load(libos_ + i * sizeof(r[0]), r[i]))
        return "libos array not mapped";
    const char* names[] = {"LOGINIT", "LOGINTR", "LOGRM", "RMARGS"};
    for (usize i = 0; i < 4; i++) {
      if (r[i].id8 != gsp::id8(names[i]) || r[i].kind != 1 || r[i].loc != 1 || !at(r[i].pa, r[i].size))
        return "libos region malformed";
      if (i < 3) {
        u64 pte = 0;
        if (r[i].size != 0x10000 || !load(r[i].pa + 8ull * 16, pte) || pte != r[i].pa + 15ull * 4096)
          return "log buffer PTEs";
      }
    }
    if (r[3].size % 4096)
      return "RMARGS not in whole pages";
    gsp::GspArgumentsCached a{};
    if (!load(r[3].pa, a))
      return "RMARGS not mapped";
    if (a.queue.page_table_entry_count != 129 || a.queue.cmd_queue_offset != 0x1000 ||
        a.queue.stat_queue_offset != 0x41000 || a.dmem_stack != 1)
      return "RMARGS fields";
    mem_ = at(a.queue.shared_mem_phys_addr, gsp::GSP_MEM_SIZE);
    if (!mem_)
      return "GspMem not mapped";
    for (u32 i = 0; i < 129; i++) {
      u64 pte = 0;
      __builtin_memcpy(&pte, mem_ + usize(8) * i, 8);
      if (pte != a.queue.shared_mem_phys_addr + u64(i) * 4096)
        return "GspMem PTEs";
    }
    gsp::MsgqTxHeader tx{};
    __builtin_memcpy(&tx, mem_ + 0x1000, sizeof(tx));
    if (tx.version != 0 || tx.size != 0x40000 || tx.msg_size != 0x1000 || tx.msg_count != 63 ||
        tx.flags != 1 || tx.rx_hdr_off != 0x20 || tx.entry_off != 0x1000)
      return "CPU queue header";
    // The GSP's own queue header, as the firmware initializes it.
    tx.write_ptr = 0;
    __builtin_memcpy(mem_ + 0x41000, &tx, sizeof(tx));
    return check_prequeued();
  }

  const char* check_prequeued() {
    if (!next_cpu_message() || last_.rpc.function != gsp::function::GSP_SET_SYSTEM_INFO ||
        last_.rpc.length != 32 + sizeof(gsp::GspSystemInfo))
      return run_.error ? run_.error : "GSP_SET_SYSTEM_INFO not queued first";
    gsp::GspSystemInfo& s = sysinfo_;
    __builtin_memcpy(&s, last_payload(), sizeof(s));
    if (!pci_)
      return "no PCI function to check GSP_SET_SYSTEM_INFO against";
    const auto& pdev = *pci_;
    if (s.gpu_phys_addr != pdev.resource_start(0).value_or(1) ||
        s.gpu_phys_fb_addr != pdev.resource_start(1).value_or(1) ||
        s.gpu_phys_inst_addr != pdev.resource_start(3).value_or(1))
      return "GSP_SET_SYSTEM_INFO: BAR addresses";
    if (s.pci_device_id != (u32(pdev.device_id()) << 16 | pdev.vendor_id().value) ||
        s.pci_sub_device_id != (u32(pdev.subsystem_device_id()) << 16 | pdev.subsystem_vendor_id()) ||
        s.pci_revision_id != pdev.revision_id() || s.nv_domain_bus_device_func != pdev.dev_id())
      return "GSP_SET_SYSTEM_INFO: PCI ids";
    if (s.max_user_va != (1ull << 47) - 4096 || s.pci_config_mirror_base != 0x88000 ||
        s.pci_config_mirror_size != 0x1000)
      return "GSP_SET_SYSTEM_INFO: constants";
    if (!next_cpu_message() || last_.rpc.function != gsp::function::SET_REGISTRY)
      return run_.error ? run_.error : "SET_REGISTRY not queued second";
    const u8* t = last_payload();
    const usize len = last_.rpc.length - 32;
    gsp::PackedRegistryTable h{};
    __builtin_memcpy(&h, t, sizeof(h));
    if (h.size != len || h.num_entries != 3)
      return "SET_REGISTRY: table header";
    for (u32 i = 0; i < 3; i++) {
      gsp::PackedRegistryEntry e{};
      __builtin_memcpy(&e, t + 8 + usize(16) * i, sizeof(e));
      if (e.type != 1 || e.data != 1 || e.name_offset >= len || t[len - 1] != 0)
        return "SET_REGISTRY: entry";
    }
    return nullptr;
  }

  // The next message of the CPU queue, checked as the firmware would, copied out (header
  // in last_, payload at msg_ + 80); false when there is none or it is malformed (then
  // error() says why).
  bool next_cpu_message() {
    u32 write = 0, read = 0;
    __builtin_memcpy(&write, mem_ + 0x1000 + 16, 4);
    __builtin_memcpy(&read, mem_ + 0x41000 + 0x20, 4);
    if (write >= 63)
      return fail("CPU write pointer past the ring"), false;
    if (write == read)
      return false;
    const u8* ring = mem_ + 0x2000;
    gsp::MsgElementHeader h{};
    __builtin_memcpy(&h, ring + usize(read) * 4096, sizeof(h));
    const u32 avail = (write + 63 - read) % 63;
    if (h.elem_count == 0 || h.elem_count > avail)
      return fail("CPU element count past the writer"), false;
    if (h.rpc.header_version != 0x03000000 || h.rpc.signature != 0x43505256)
      return fail("CPU RPC header version or signature"), false;
    const usize total = sizeof(h) + h.rpc.length - 32;
    if (h.rpc.length < 32 || (total + 4095) / 4096 != h.elem_count || total > sizeof(msg_))
      return fail("CPU message length"), false;
    for (usize i = 0; i < total; i++) msg_[i] = ring[(usize(read) * 4096 + i) % gsp::RING_SIZE];
    if (detail::word_checksum(msg_, total) != 0)
      return fail("CPU message checksum"), false;
    if (h.seq_num != cpu_seq_)
      return fail("CPU sequence number"), false;
    cpu_seq_++;
    run_.received++;
    read = (read + h.elem_count) % 63;
    __builtin_memcpy(mem_ + 0x41000 + 0x20, &read, 4);
    last_ = h;
    return true;
  }
  const u8* last_payload() const { return msg_ + sizeof(gsp::MsgElementHeader); }

  // Writes a message into the GSP queue and publishes it; @p fault_on_this corrupts it.
  void post(u32 function, const u8* payload, usize len, bool corrupt = false) {
    if (!mem_)
      return;
    const usize total = sizeof(gsp::MsgElementHeader) + len;
    u8* buf = out_;  // in the model: too large for the stack
    if (total > sizeof(out_)) {
      fail("simulator: message too large");
      return;
    }
    __builtin_memset(buf, 0, total);
    gsp::MsgElementHeader h{};
    h.seq_num = gsp_seq_++;
    h.elem_count = u32((total + 4095) / 4096);
    h.rpc = {0x03000000, 0x43505256, u32(32 + len), function, 0, 0, 0, 0};
    if (corrupt && fault_ == Fault::BadVersion)
      h.rpc.header_version = 0x02000000;
    if (corrupt && fault_ == Fault::BadSignature)
      h.rpc.signature ^= 0x100;
    __builtin_memcpy(buf, &h, sizeof(h));
    if (len)
      __builtin_memcpy(buf + sizeof(h), payload, len);
    const u32 sum = detail::word_checksum(buf, total);
    __builtin_memcpy(buf + 0x20, &sum, 4);
    if (corrupt && fault_ == Fault::BadChecksum)
      buf[sizeof(h) + 3] ^= 0x40;
    if (corrupt && fault_ == Fault::ElemCountPastRing) {
      const u32 n = 40;
      __builtin_memcpy(buf + 0x28, &n, 4);
    }
    u32 write = 0, driver_read = 0;
    __builtin_memcpy(&write, mem_ + 0x41000 + 16, 4);
    __builtin_memcpy(&driver_read, mem_ + 0x1000 + 0x20, 4);
    if (driver_read >= 63 || h.elem_count > (driver_read + 63 - write - 1) % 63) {
      fail("GSP queue full: the driver does not read it");
      return;
    }
    u8* ring = mem_ + 0x42000;
    for (usize i = 0; i < total; i++) ring[(usize(write) * 4096 + i) % gsp::RING_SIZE] = buf[i];
    write = (write + h.elem_count) % 63;
    __builtin_memcpy(mem_ + 0x41000 + 16, &write, 4);
  }
  void post_event(u32 function, const u8* payload, usize len) { post(function, payload, len); }

  // The sequencer program: every opcode, the poll included.
  void post_sequencer() {
    u32 w[64] = {};
    usize n = 0;
    auto cmd = [&](gsp::SeqOpcode op, std::initializer_list<u32> args) {
      w[n++] = u32(op);
      for (u32 a : args) w[n++] = a;
    };
    using Op = gsp::SeqOpcode;
    cmd(Op::RegWrite, {fault_ == Fault::SeqOutsideBar0 ? 0x1000000u : u32(SEQ_SCRATCH), 0x1234});
    cmd(Op::RegModify, {u32(SEQ_SCRATCH), 0xff00, 0x5600});
    cmd(Op::RegPoll, {u32(SEQ_POLL), 1, 0, 100000, 0});
    cmd(Op::DelayUs, {10});
    cmd(Op::RegStore, {u32(SEQ_SCRATCH), 2});
    if (fault_ == Fault::SeqUnknownOpcode)
      w[n++] = 9;
    cmd(Op::CoreReset, {});
    cmd(Op::CoreStart, {});
    cmd(Op::CoreWaitForHalt, {});
    cmd(Op::CoreResume, {});
    u8 payload[sizeof(gsp::RpcRunCpuSequencer) + sizeof(w)] = {};
    gsp::RpcRunCpuSequencer h{};
    h.buffer_size_dword = u32(n);
    h.cmd_index = fault_ == Fault::SeqOverrun ? u32(n + 5) : u32(n);
    __builtin_memcpy(payload, &h, sizeof(h));
    __builtin_memcpy(payload + sizeof(h), w, 4 * n);
    post(gsp::event::GSP_RUN_CPU_SEQUENCER, payload, sizeof(h) + 4 * n, true);
  }

  void post_static_info() {
    gsp::GspStaticConfigInfo& g = info_;  // 1656 bytes: in the model, not on the stack
    g = {};
    const char name[] = "NVIDIA simulated GPU";
    __builtin_memcpy(g.gpu_name, name, sizeof(name));
    g.fb_length = 24ull << 30;
    g.num_fb_regions = 6;
    g.fb_regions[0] = {0, (22ull << 30) - 1, 0, 0, 1, 1, 0, {}};                        // usable
    g.fb_regions[1] = {23ull << 30, (24ull << 30) - 1, 1, 0, 1, 1, 0, {}};              // reserved
    g.fb_regions[2] = {22ull << 30, (22ull << 30) + (1 << 20) - 1, 0, 0, 1, 1, 0, {}};  // usable
    g.fb_regions[3] = {1ull << 40, (1ull << 40) + (1 << 20) - 1, 0, 0, 1, 1, 0, {}};    // past the VRAM
    g.fb_regions[4] = {1ull << 30, (2ull << 30) - 1, 0, 0, 1, 1, 0, {}};                // over region 0
    g.fb_regions[5] = {(24ull << 30) - 4096, (24ull << 30) - 1, 0, 0, 1, 1, 0, {}};  // over the reserved one
    g.l2_cache_size = 6 << 20;
    // SAFETY: g is a plain-bytes layout, live for the call; a u8 pointer may view its bytes.
    post(gsp::function::GET_GSP_STATIC_INFO, reinterpret_cast<const u8*>(&g), sizeof(g));
  }

  u32 chip_;
  const kcpp::Device<>* dev_;
  const kcpp::pci::Device<>* pci_;
  RegisterFile& regs_;
  Fault fault_;
  State state_ = State::Off;
  u64 libos_ = 0;
  u8* mem_ = nullptr;
  u32 cpu_seq_ = 0, gsp_seq_ = 0;
  GspRun run_;
  gsp::MsgElementHeader last_ = {};  // the last CPU message's header...
  u8 msg_[2 * 4096] = {};            // ...and the whole message, copied out
  u8 out_[2 * 4096] = {};            // the GSP message being written
  gsp::GspStaticConfigInfo info_ = {};
  gsp::GspSystemInfo sysinfo_ = {};
};

}  // namespace nova::sim

#endif  // NOVA_SIM_GSP_H
