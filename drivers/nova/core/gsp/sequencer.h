/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU sequencer: a program the GSP firmware sends in a
 * GSP_RUN_CPU_SEQUENCER message during its boot, which the driver runs on
 * its behalf (register writes, polls, and the GSP and SEC2 core steps that
 * only the CPU may take).
 *
 * The message is an RpcRunCpuSequencer header, then bufferSizeDWord words
 * of commands of which the first cmdIndex are valid. Each command is an
 * opcode word and that opcode's payload. The program is checked as it is
 * parsed, before anything runs: a command past the valid words or the
 * message (EINVAL), an unknown opcode (EINVAL). Then, running it, every
 * register address is checked against BAR0 (its try_read/try_write: a
 * misaligned address or one outside BAR0 is EINVAL), a poll that never
 * matches is ETIMEDOUT, a delay longer than a second or a register-save
 * index past the save area is EINVAL.
 *
 * cmdIndex counts words, as the firmware's own driver (OpenRM) reads it:
 * the commands end where cmdIndex says, within bufferSizeDWord words.
 */
#ifndef NOVA_CORE_GSP_SEQUENCER_H
#define NOVA_CORE_GSP_SEQUENCER_H

#include <kcpp/core/bytes.h>
#include <kcpp/device.h>
#include <kcpp/io.h>
#include <kcpp/print.h>

#include "../clock.h"
#include "../falcon.h"
#include "../regs.h"
#include "fw.h"

namespace nova::gsp {

/** The opcodes of the CPU sequencer (GSP_SEQ_BUF_OPCODE). */
enum class SeqOpcode : u32 {
  RegWrite = 0,         ///< write a register
  RegModify = 1,        ///< read, mask, or in, write
  RegPoll = 2,          ///< wait until (register & mask) == value
  DelayUs = 3,          ///< wait a number of microseconds
  RegStore = 4,         ///< read a register into the save area
  CoreReset = 5,        ///< reset the GSP falcon
  CoreStart = 6,        ///< start the GSP falcon's CPU
  CoreWaitForHalt = 7,  ///< wait until the GSP falcon halts
  CoreResume = 8,       ///< restart the GSP after its suspend, through SEC2
};

/** The payload words each opcode takes after its opcode word; -1 for an unknown opcode. */
constexpr int seq_payload_words(u32 opcode) {
  switch (SeqOpcode(opcode)) {
    case SeqOpcode::RegWrite:
      return 2;  // addr, val
    case SeqOpcode::RegModify:
      return 3;  // addr, mask, val
    case SeqOpcode::RegPoll:
      return 5;  // addr, mask, val, timeout (µs, 0: the default), error
    case SeqOpcode::DelayUs:
      return 1;  // val
    case SeqOpcode::RegStore:
      return 2;  // addr, index
    case SeqOpcode::CoreReset:
    case SeqOpcode::CoreStart:
    case SeqOpcode::CoreWaitForHalt:
    case SeqOpcode::CoreResume:
      return 0;
  }
  return -1;
}

/** One parsed command: its opcode and up to five payload words. */
struct SeqCommand {
  SeqOpcode opcode;  ///< what it does
  u32 arg[5];        ///< its payload words (seq_payload_words() of them)
};

/** A REG_POLL with no timeout of its own waits this long. */
inline constexpr unsigned long SEQ_POLL_DEFAULT_US = 4000000;
/** The longest REG_POLL timeout or DELAY_US accepted from the firmware. */
inline constexpr u32 SEQ_MAX_WAIT_US = 1000000;
/** The most a whole program may make the driver wait (its delays and poll timeouts summed). */
inline constexpr u64 SEQ_TOTAL_WAIT_US = 10000000;
/** How long CORE_RESUME waits for Booter's hand-off bit. */
inline constexpr unsigned long SEQ_HANDOFF_US = 2000000;

/**
 * Parses the sequencer program of a GSP_RUN_CPU_SEQUENCER @p payload into
 * @p out. EINVAL if the header or the buffer does not fit the message, if
  * a command runs past the valid words, for an unknown opcode, or if its
 * delays and poll timeouts add up to more than SEQ_TOTAL_WAIT_US (a
  * program must not hold the probe for longer).
 *
 * @code{.cpp}
 * kcpp::u8 msg[40 + 16] = {};
 * const kcpp::Span<kcpp::u8> m(msg);
 * KCPP_TRY(kcpp::bytes::write(m, 0, kcpp::u32(4)));       // bufferSizeDWord
 * KCPP_TRY(kcpp::bytes::write(m, 4, kcpp::u32(4)));       // cmdIndex: the words in use
 * KCPP_TRY(kcpp::bytes::write(m, 40, kcpp::u32(0)));      // REG_WRITE
 * KCPP_TRY(kcpp::bytes::write(m, 44, kcpp::u32(0x1440)));  //   address
 * KCPP_TRY(kcpp::bytes::write(m, 48, kcpp::u32(0x1234)));  //   value
 * KCPP_TRY(kcpp::bytes::write(m, 52, kcpp::u32(6)));      // CORE_START
 * kcpp::KVec<nova::gsp::SeqCommand> cmds;
 * KCPP_TRY(nova::gsp::parse_sequencer(kcpp::Span<const kcpp::u8>(m), cmds));
 * KCPP_ASSERT_EQ(cmds.len(), 2u);
 * KCPP_ASSERT(cmds[1].opcode == nova::gsp::SeqOpcode::CoreStart);
 * // An opcode past CORE_RESUME is refused before anything runs.
 * KCPP_TRY(kcpp::bytes::write(m, 52, kcpp::u32(9)));
 * kcpp::KVec<nova::gsp::SeqCommand> bad;
 * KCPP_ASSERT_EQ(nova::gsp::parse_sequencer(kcpp::Span<const kcpp::u8>(m), bad).error(), kcpp::code::EINVAL);
 * // So is a cmdIndex past the buffer.
 * KCPP_TRY(kcpp::bytes::write(m, 4, kcpp::u32(5)));
 * KCPP_ASSERT_EQ(nova::gsp::parse_sequencer(kcpp::Span<const kcpp::u8>(m), bad).error(), kcpp::code::EINVAL);
 * @endcode
 */
inline Result<void> parse_sequencer(Span<const u8> payload, kcpp::KVec<SeqCommand>& out) {
  const auto h = KCPP_TRY(kcpp::bytes::read<RpcRunCpuSequencer>(payload, 0));
  if (h.cmd_index > h.buffer_size_dword ||
      u64(h.buffer_size_dword) * 4 > payload.size() - sizeof(RpcRunCpuSequencer))
    return code::EINVAL;
  const usize words = h.cmd_index;
  u64 wait = 0;
  auto word = [&](usize i) { return kcpp::bytes::read<u32>(payload, sizeof(RpcRunCpuSequencer) + 4 * i); };
  for (usize at = 0; at < words;) {
    const u32 op = KCPP_TRY(word(at));
    const int n = seq_payload_words(op);
    if (n < 0 || at + 1 + usize(n) > words)
      return code::EINVAL;
    SeqCommand c{SeqOpcode(op), {}};
    for (int i = 0; i < n; i++) c.arg[i] = KCPP_TRY(word(at + 1 + i));
    if (c.opcode == SeqOpcode::DelayUs)
      wait += c.arg[0];
    else if (c.opcode == SeqOpcode::RegPoll)
      wait += c.arg[3] ? c.arg[3] : SEQ_POLL_DEFAULT_US;
    if (wait > SEQ_TOTAL_WAIT_US)
      return code::EINVAL;
    KCPP_TRY(out.push(c, kcpp::GFP_KERNEL));
    at += 1 + n;
  }
  return {};
}

/** What a sequencer run needs besides BAR0: the falcons and what CORE_RESUME hands the GSP. */
struct SequencerContext {
  const falcon::Falcon<falcon::Gsp>& gsp;    ///< the GSP falcon (the CORE_* opcodes)
  const falcon::Falcon<falcon::Sec2>& sec2;  ///< SEC2 (CORE_RESUME restarts it)
  u64 libos_addr;                            ///< the libos arguments' bus address (the GSP's mailboxes)
  u32 app_version;                           ///< the bootloader's version (the GSP's OS register)
};

/** What a run did, for the log and the tests. */
struct SequencerRun {
  u32 commands = 0;   ///< commands executed
  u32 saved[8] = {};  ///< the register-save area REG_STORE fills
};

/**
 * Runs the commands @p cmds against @p bar (see the file comment for the
 * errors); the first failing command stops the run, logged with its index.
 */
template <typename Io>
Result<SequencerRun> run_sequencer(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                   const SequencerContext& ctx, Span<const SeqCommand> cmds) {
  using namespace regs;
  SequencerRun run;
  for (const SeqCommand& c : cmds) {
    auto r = [&]() -> Result<void> {
      switch (c.opcode) {
        case SeqOpcode::RegWrite:
          return bar.template try_write<u32>(c.arg[1], c.arg[0]);
        case SeqOpcode::RegModify: {
          const u32 v = KCPP_TRY(bar.template try_read<u32>(c.arg[0]));
          return bar.template try_write<u32>((v & ~c.arg[1]) | c.arg[2], c.arg[0]);
        }
        case SeqOpcode::RegPoll: {
          if (c.arg[3] > SEQ_MAX_WAIT_US)
            return code::EINVAL;
          KCPP_TRY(bar.template try_read<u32>(c.arg[0]));  // the address, checked once
          const unsigned long timeout = c.arg[3] ? c.arg[3] : SEQ_POLL_DEFAULT_US;
          auto p = nova::poll_timeout(
              bar, [&] { return bar.template try_read<u32>(c.arg[0]); },
              [&](const Result<u32>& v) { return v.is_err() || (*v & c.arg[1]) == c.arg[2]; }, 10, timeout);
          if (p.is_err())
            return p.error();
          return p->is_err() ? Result<void>(p->error()) : Result<void>();
        }
        case SeqOpcode::DelayUs:
          if (c.arg[0] > SEQ_MAX_WAIT_US)
            return code::EINVAL;
          nova::sleep_us(bar, c.arg[0]);
          return {};
        case SeqOpcode::RegStore:
          if (c.arg[1] >= 8)
            return code::EINVAL;
          run.saved[c.arg[1]] = KCPP_TRY(bar.template try_read<u32>(c.arg[0]));
          return {};
        case SeqOpcode::CoreReset:
          KCPP_TRY(ctx.gsp.reset(bar));
          ctx.gsp.dma_reset(bar);
          return {};
        case SeqOpcode::CoreStart:
          ctx.gsp.start(bar);
          return {};
        case SeqOpcode::CoreWaitForHalt:
          return ctx.gsp.wait_for_halt(bar);
        case SeqOpcode::CoreResume:
          return core_resume(dev, bar, ctx);
      }
      return code::EINVAL;
    }();
    if (r.is_err()) {
      KCPP_DEV_ERR(dev, "CPU sequencer: command %u (opcode %u) failed (%d)\n", run.commands, u32(c.opcode),
                   r.error().to_errno());
      // A register outside BAR0 (ERANGE from the BAR) is the program's fault: EINVAL.
      return r.error() == code::ERANGE ? code::EINVAL : r.error();
    }
    run.commands++;
  }
  return run;
}

/**
 * CORE_RESUME: the GSP is reset and given its libos arguments again, SEC2
 * restarted (it runs what Booter left it), Booter's hand-off bit awaited
 * (2 s, ETIMEDOUT); then SEC2's MAILBOX0 must be 0, the GSP's OS register
 * is written and its RISC-V core must be running (EIO otherwise).
 */
template <typename Io>
Result<void> core_resume(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                         const SequencerContext& ctx) {
  using namespace regs;
  KCPP_TRY(ctx.gsp.reset(bar));
  ctx.gsp.write_mailboxes(bar, u32(ctx.libos_addr), u32(ctx.libos_addr >> 32));
  ctx.sec2.start(bar);
  KCPP_TRY(nova::poll_timeout(
      bar, [&] { return NV_PGC6_BSI_SECURE_SCRATCH_14::read(bar); },
      [](auto r) { return r.boot_stage_3_handoff(); }, 100, SEQ_HANDOFF_US));
  const u32 mbox0 = ctx.sec2.mailboxes(bar).mbox0;
  if (mbox0 != 0) {
    KCPP_DEV_ERR(dev, "CPU sequencer: SEC2 failed to resume the GSP (mailbox %#x)\n", mbox0);
    return code::EIO;
  }
  ctx.gsp.write_os_version(bar, ctx.app_version);
  if (!ctx.gsp.is_riscv_active(bar)) {
    KCPP_DEV_ERR(dev, "CPU sequencer: the GSP's RISC-V core is not running after resume\n");
    return code::EIO;
  }
  return {};
}

}  // namespace nova::gsp

#endif  // NOVA_CORE_GSP_SEQUENCER_H
