/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GSP command queue's message format and ring arithmetic: the part of
 * the queue that is pure logic over shared memory, testable on a byte
 * buffer.
 *
 * Each direction of the queue is a ring of MSGQ_NUM_PAGES pages of 4 KiB.
 * Its writer owns the write pointer and its reader the read pointer, both
 * page indices modulo the page count (modulo, not a mask: 63 is no power of
 * two). The writer never fills the last free page, so that a full ring
 * (write one behind read) is not mistaken for an empty one (write == read).
 *
 * A message is a GSP_MSG_QUEUE_ELEMENT header (MsgElementHeader, with the
 * RPC header inside it), then the payload, over elem_count consecutive pages
 * (wrapping at the end of the ring). Its checksum is computed over header
 * and payload with the checksum field 0 and stored there; a reader verifies
 * that the sum over the message as received, stored checksum included, is 0.
 * Anything a reader finds wrong (a length, a page count, a signature, a
 * checksum) is EIO, and the message is never read past what is readable.
 */
#ifndef NOVA_CORE_GSP_CMDQ_H
#define NOVA_CORE_GSP_CMDQ_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/core/bytes.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/dma.h>
#include <kcpp/io.h>

#include "../clock.h"
#include "../regs.h"

namespace nova::gsp {

using kcpp::Result;
using kcpp::Span;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
namespace code = kcpp::code;

/** The GSP's page size: the unit of the ring. */
inline constexpr usize GSP_PAGE_SIZE = 4096;
/** Pages of each direction's ring (upstream's MSGQ_NUM_PAGES). */
inline constexpr u32 MSGQ_NUM_PAGES = 0x3f;
/** The RPC header version this port speaks: major 3, minor 0. */
inline constexpr u32 RPC_HEADER_VERSION = 0x03000000;
/** The RPC header's signature, "VRPC". */
inline constexpr u32 RPC_SIGNATURE = 0x43505256;
/** What a sender puts in rpc_result and rpc_result_private. */
inline constexpr u32 RPC_RESULT_NONE = 0xffffffff;

/** rpc_message_header_v03_00: what a message is and how long. */
struct RpcHeader {
  KCPP_PLAIN_BYTES;
  u32 header_version;      ///< 0x00: RPC_HEADER_VERSION
  u32 signature;           ///< 0x04: RPC_SIGNATURE
  u32 length;              ///< 0x08: this header and the payload, in bytes
  u32 function;            ///< 0x0c: the RPC or event number
  u32 rpc_result;          ///< 0x10: RPC_RESULT_NONE from the sender
  u32 rpc_result_private;  ///< 0x14: RPC_RESULT_NONE from the sender
  u32 sequence;            ///< 0x18: the sender's RPC sequence number
  u32 spare;               ///< 0x1c
};
static_assert(sizeof(RpcHeader) == 32);

/** GSP_MSG_QUEUE_ELEMENT's header: the queue's framing around an RPC. */
struct MsgElementHeader {
  KCPP_PLAIN_BYTES;
  u8 auth_tag[16];  ///< 0x00: unused without confidential computing (0)
  u8 aad[16];       ///< 0x10: likewise
  u32 checksum;     ///< 0x20: makes the message's checksum() 0
  u32 seq_num;      ///< 0x24: the queue's element sequence number
  u32 elem_count;   ///< 0x28: pages the message takes
  u32 pad;          ///< 0x2c
  RpcHeader rpc;    ///< 0x30
};
static_assert(sizeof(MsgElementHeader) == 80);
static_assert(__builtin_offsetof(MsgElementHeader, checksum) == 0x20 &&
              __builtin_offsetof(MsgElementHeader, elem_count) == 0x28 &&
              __builtin_offsetof(MsgElementHeader, rpc) == 0x30);

/**
 * The queue's checksum before folding: byte i of @p bytes XORed into a u64
 * at byte lane i % 8. A message's bytes may be summed in pieces that each
 * start at a multiple of 8 and the pieces XORed.
 */
constexpr u64 checksum_lanes(Span<const u8> bytes) {
  u64 sum = 0;
  for (usize i = 0; i < bytes.size(); i++) sum ^= u64(bytes[i]) << ((i % 8) * 8);
  return sum;
}

/** The queue's checksum: checksum_lanes() with its two halves folded together. */
constexpr u32 fold_checksum(u64 lanes) {
  return u32(lanes >> 32) ^ u32(lanes);
}

/** The checksum of @p bytes. */
constexpr u32 checksum(Span<const u8> bytes) {
  return fold_checksum(checksum_lanes(bytes));
}

// The payload follows the header at a multiple of 8, and the ring wraps at
// a page boundary: both keep every byte in its lane.
static_assert(sizeof(MsgElementHeader) % 8 == 0 && GSP_PAGE_SIZE % 8 == 0);

/** Page index @p ptr moved on by @p pages, around the ring. */
constexpr u32 advance(u32 ptr, u32 pages) {
  return u32((u64(ptr) + pages) % MSGQ_NUM_PAGES);
}

/** Pages a writer at @p write may fill before the reader at @p read: one always stays free. */
constexpr u32 writable_pages(u32 write, u32 read) {
  return (read % MSGQ_NUM_PAGES + MSGQ_NUM_PAGES - write % MSGQ_NUM_PAGES - 1) % MSGQ_NUM_PAGES;
}

/** Pages a reader at @p read has to read before it reaches the writer at @p write. */
constexpr u32 readable_pages(u32 write, u32 read) {
  return (write % MSGQ_NUM_PAGES + MSGQ_NUM_PAGES - read % MSGQ_NUM_PAGES) % MSGQ_NUM_PAGES;
}

/** The largest element the firmware takes, header included (GSP_MSG_QUEUE_ELEMENT_SIZE_MAX). */
inline constexpr usize ELEMENT_SIZE_MAX = 0x10000;

/** The pages a message of @p payload_len bytes takes; 0 if it is larger than an element may be. */
constexpr u32 message_pages(usize payload_len) {
  if (payload_len > ELEMENT_SIZE_MAX - sizeof(MsgElementHeader))
    return 0;
  return u32((sizeof(MsgElementHeader) + payload_len + GSP_PAGE_SIZE - 1) / GSP_PAGE_SIZE);
}

/** The bytes of one direction's ring: MSGQ_NUM_PAGES pages. */
inline constexpr usize RING_SIZE = usize(MSGQ_NUM_PAGES) * GSP_PAGE_SIZE;

/**
 * The storage of a ring's RING_SIZE bytes, copied in and out with bounds
 * checked: ordinary memory (SpanRing) or memory shared with the GSP, where
 * a reader copies a message out once and checks the copy, never the shared
 * bytes the other side may still change.
 */
template <typename R>
concept RingMemory = requires(const R& r, usize at, Span<u8> out, Span<const u8> in) {
  { r.read(at, out) } -> kcpp::same_as<Result<void>>;
  { r.write(at, in) } -> kcpp::same_as<Result<void>>;
};

/** A ring in ordinary memory: RING_SIZE bytes (the tests, and the simulated GSP's side). */
class SpanRing {
 public:
  /** The ring in @p data, which must be RING_SIZE bytes (EINVAL from every access otherwise). */
  explicit SpanRing(Span<u8> data) : data_(data) {}
  /** Copies the bytes at @p at into @p out; ERANGE past the end. */
  [[nodiscard]] Result<void> read(usize at, Span<u8> out) const {
    if (data_.size() != RING_SIZE)
      return code::EINVAL;
    return kcpp::bytes::copy(out, 0, KCPP_TRY(Span<const u8>(data_).subspan(at, out.size())));
  }
  /** Copies @p in to @p at; ERANGE past the end. */
  [[nodiscard]] Result<void> write(usize at, Span<const u8> in) const {
    if (data_.size() != RING_SIZE)
      return code::EINVAL;
    return kcpp::bytes::copy(data_, at, in);
  }

 private:
  Span<u8> data_;
};

/// @cond KCPP_INTERNAL
namespace detail {
// Copies src into the ring from byte offset at on, wrapping at its end. Inlined, as are
// ring_read(), write_message() and Cmdq's send() and receive(): where a size is known the
// compiler copies without calling memcpy, and a round trip pays for no calls that the
// same ring in C does not make (make bench compares the two).
template <RingMemory R>
[[gnu::always_inline]] inline Result<void> ring_write(const R& ring, usize at, Span<const u8> src) {
  const usize first = src.size() < RING_SIZE - at ? src.size() : RING_SIZE - at;
  KCPP_TRY(ring.write(at, KCPP_TRY(src.subspan(0, first))));
  if (first < src.size())
    KCPP_TRY(ring.write(0, KCPP_TRY(src.subspan(first, src.size() - first))));
  return {};
}
// Copies the ring's bytes from byte offset at on into out, wrapping at its end.
template <RingMemory R>
[[gnu::always_inline]] inline Result<void> ring_read(const R& ring, usize at, Span<u8> out) {
  const usize first = out.size() < RING_SIZE - at ? out.size() : RING_SIZE - at;
  KCPP_TRY(ring.read(at, KCPP_TRY(out.subspan(0, first))));
  if (first < out.size())
    KCPP_TRY(ring.read(0, KCPP_TRY(out.subspan(first, out.size() - first))));
  return {};
}
// The bytes of v, an integer or a KCPP_PLAIN_BYTES layout.
template <typename T>
Span<const u8> bytes_of(const T& v) {
  static_assert(kcpp::is_trivially_copyable_v<T>);
  // SAFETY: v is trivially copyable and outlives the span, which every
  // caller uses within its own statement; a u8 pointer may view any object.
  return Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>(&v), sizeof(T));
}
// The bytes of v to copy into, as bytes_of().
template <typename T>
Span<u8> bytes_into(T& v) {
  static_assert(kcpp::is_trivially_copyable_v<T>);
  // SAFETY: as bytes_of(); any bit pattern is a value of an integer or a
  // plain-bytes layout, so the caller's copy into it is sound.
  return Span<u8>::unsafe_from_raw(reinterpret_cast<u8*>(&v), sizeof(T));
}
}  // namespace detail
/// @endcond

/** A message as read from a ring. */
struct Message {
  u32 function;             ///< The RPC or event number
  u32 sequence;             ///< The sender's RPC sequence number
  u32 seq_num;              ///< The queue element's sequence number
  u32 pages;                ///< The pages it took (what the read pointer moves by)
  kcpp::KVVec<u8> payload;  ///< What followed the headers
};

/** The two headers of a message of @p function with @p payload_len bytes, checksum still 0. */
constexpr MsgElementHeader message_header(u32 function, u32 rpc_sequence, u32 seq_num, usize payload_len) {
  MsgElementHeader h{};
  h.seq_num = seq_num;
  h.elem_count = message_pages(payload_len);
  h.rpc = {
      .header_version = RPC_HEADER_VERSION,
      .signature = RPC_SIGNATURE,
      .length = u32(sizeof(RpcHeader) + payload_len),
      .function = function,
      .rpc_result = RPC_RESULT_NONE,
      .rpc_result_private = RPC_RESULT_NONE,
      .sequence = rpc_sequence,
      .spare = 0,
  };
  return h;
}

/**
 * Writes a message of @p function with @p payload at page @p write of
 * @p ring, whose reader is at @p read. Returns the pages written (the
 * write pointer's advance). EAGAIN if the ring has not that much room now,
 * EMSGSIZE if no ring ever has, EINVAL for a pointer outside the ring.
 */
template <RingMemory R>
[[gnu::always_inline]] inline Result<u32> write_message(const R& ring, u32 write, u32 read, u32 function,
                                                        u32 rpc_sequence, u32 seq_num,
                                                        Span<const u8> payload) {
  if (write >= MSGQ_NUM_PAGES || read >= MSGQ_NUM_PAGES)
    return code::EINVAL;
  const u32 pages = message_pages(payload.size());
  if (pages == 0)
    return code::EMSGSIZE;
  if (pages > writable_pages(write, read))
    return code::EAGAIN;
  MsgElementHeader h = message_header(function, rpc_sequence, seq_num, payload.size());
  // The checksum of header and payload together, computed with the field 0 as it is now.
  h.checksum = fold_checksum(checksum_lanes(detail::bytes_of(h)) ^ checksum_lanes(payload));
  const usize at = usize(write) * GSP_PAGE_SIZE;
  KCPP_TRY(detail::ring_write(ring, at, detail::bytes_of(h)));
  KCPP_TRY(detail::ring_write(ring, (at + sizeof(h)) % RING_SIZE, payload));
  return pages;
}

/**
 * Reads the message at page @p read of @p ring, whose writer is at
 * @p write, into memory of its own, and checks that copy. EAGAIN if there
 * is none; EIO if what is there is not a whole, intact message of this
 * protocol (its pages past the writer, a length that does not fit them, a
 * wrong version or signature, a checksum that does not sum to 0); EINVAL
 * for a pointer outside the ring; ENOMEM.
 */
template <RingMemory R>
Result<Message> read_message(const R& ring, u32 write, u32 read) {
  if (write >= MSGQ_NUM_PAGES || read >= MSGQ_NUM_PAGES)
    return code::EINVAL;
  const u32 available = readable_pages(write, read);
  if (available == 0)
    return code::EAGAIN;
  // The header lies in the first page: it never wraps.
  MsgElementHeader h{};
  KCPP_TRY(ring.read(usize(read) * GSP_PAGE_SIZE, detail::bytes_into(h)));
  if (h.elem_count == 0 || h.elem_count > available)
    return code::EIO;
  if (h.rpc.header_version != RPC_HEADER_VERSION || h.rpc.signature != RPC_SIGNATURE ||
      h.rpc.length < sizeof(RpcHeader))
    return code::EIO;
  const usize payload_len = h.rpc.length - sizeof(RpcHeader);
  if (message_pages(payload_len) != h.elem_count)
    return code::EIO;
  Message m{h.rpc.function, h.rpc.sequence, h.seq_num, h.elem_count, {}};
  // Copied straight out of the ring into the new storage: not zeroed first.
  KCPP_TRY(m.payload.extend_with(payload_len, kcpp::GFP_KERNEL, [&](Span<u8> out) {
    return detail::ring_read(ring, (usize(read) * GSP_PAGE_SIZE + sizeof(h)) % RING_SIZE, out);
  }));
  // The payload starts at a multiple of 8 after the header and wraps at one: lanes line up.
  if (fold_checksum(checksum_lanes(detail::bytes_of(h)) ^ checksum_lanes(m.payload.as_span())) != 0)
    return code::EIO;
  return m;
}

// ---------------------------------------------------------------- shared memory

/** msgqTxHeader: a queue's writer-owned header, at the start of its first page. */
struct MsgqTxHeader {
  KCPP_PLAIN_BYTES;
  u32 version;     ///< 0x00: 0
  u32 size;        ///< 0x04: the queue's bytes, header page included (MSGQ_SIZE)
  u32 msg_size;    ///< 0x08: the bytes of one element (GSP_PAGE_SIZE)
  u32 msg_count;   ///< 0x0c: the ring's pages (MSGQ_NUM_PAGES)
  u32 write_ptr;   ///< 0x10: the writer's page index
  u32 flags;       ///< 0x14: 1 (swap the roles of the rx headers, as the firmware expects)
  u32 rx_hdr_off;  ///< 0x18: where the rx header is, from the queue's start
  u32 entry_off;   ///< 0x1c: where the ring is, from the queue's start
};
static_assert(sizeof(MsgqTxHeader) == 32);

/** msgqRxHeader: the read pointer of the *other* queue's reader (who owns it). */
struct MsgqRxHeader {
  KCPP_PLAIN_BYTES;
  u32 read_ptr;  ///< 0x00: a page index
};

/** One queue's bytes: the header page, then the ring. */
inline constexpr usize MSGQ_SIZE = GSP_PAGE_SIZE + RING_SIZE;
/** Where a queue's rx header is: right after its tx header. */
inline constexpr usize MSGQ_RX_HEADER_OFFSET = sizeof(MsgqTxHeader);
/** Where a queue's ring starts. */
inline constexpr usize MSGQ_ENTRY_OFFSET = GSP_PAGE_SIZE;
/** GspMem: the page of PTEs over GspMem itself, the CPU's queue, the GSP's queue. */
inline constexpr usize CPUQ_OFFSET = GSP_PAGE_SIZE;
/** @copydoc CPUQ_OFFSET */
inline constexpr usize GSPQ_OFFSET = CPUQ_OFFSET + MSGQ_SIZE;
/** GspMem's size. */
inline constexpr usize GSP_MEM_SIZE = GSPQ_OFFSET + MSGQ_SIZE;
/** The pages of GspMem, each with its PTE in the first page. */
inline constexpr u32 NUM_PTES = GSP_MEM_SIZE / GSP_PAGE_SIZE;
static_assert(MSGQ_SIZE == 0x40000 && GSPQ_OFFSET == 0x41000 && NUM_PTES == 129);
static_assert(NUM_PTES * sizeof(u64) <= GSP_PAGE_SIZE, "the PTEs fit their page");

/** How long a send waits for room in the ring (upstream's ALLOCATE_TIMEOUT). */
inline constexpr unsigned long SEND_TIMEOUT_US = 1000000;
/** How long a receive waits for a message (upstream's RECEIVE_TIMEOUT at 7.3). */
inline constexpr unsigned long RECEIVE_TIMEOUT_US = 5000000;
/** How often a receive looks at the GSP's write pointer. */
inline constexpr unsigned long RECEIVE_POLL_US = 1000;

/** A ring inside coherent DMA memory at byte offset @p base (a queue's ring in GspMem). */
class CoherentRing {
 public:
  /** The RING_SIZE bytes of @p mem from @p base on. */
  CoherentRing(const kcpp::dma::Coherent<u8>& mem, usize base) : mem_(mem), base_(base) {}
  /** Copies the ring's bytes at @p at into @p out; ERANGE past the end. */
  [[nodiscard]] Result<void> read(usize at, Span<u8> out) const {
    if (at > RING_SIZE || out.size() > RING_SIZE - at)
      return code::ERANGE;
    return mem_.read_into(base_ + at, out);
  }
  /** Copies @p in to the ring at @p at; ERANGE past the end. */
  [[nodiscard]] Result<void> write(usize at, Span<const u8> in) const {
    if (at > RING_SIZE || in.size() > RING_SIZE - at)
      return code::ERANGE;
    return mem_.write_from(base_ + at, in);
  }

 private:
  const kcpp::dma::Coherent<u8>& mem_;
  usize base_;
};

/**
 * The command queue to a GSP: GspMem in coherent DMA memory, and the
 * driver's side of both rings (its write pointer into the CPU queue, its
 * read pointer into the GSP queue, and the sequence numbers).
 *
 * Who writes what, as the firmware expects: the driver writes the CPU
 * queue's tx header (its write pointer) and the CPU queue's rx header (its
 * read pointer into the *GSP* queue); the GSP writes the GSP queue's tx
 * header and the GSP queue's rx header (its read pointer into the CPU
 * queue). The driver keeps its own pointers in this object and only ever
 * writes them out; a pointer read from the GSP is checked (EIO past the
 * ring) before use.
 *
 * Not thread-safe: probe and unbind use it, one call at a time.
 */
class Cmdq {
 public:
  /** Allocates GspMem for @p dev and initializes the PTEs and the CPU queue's header; ENOMEM. */
  static Result<Cmdq> create(const kcpp::Device<kcpp::device::Bound>& dev) {
    auto mem = KCPP_TRY(kcpp::dma::Coherent<u8>::alloc(dev, GSP_MEM_SIZE, kcpp::GFP_KERNEL));
    for (u32 i = 0; i < NUM_PTES; i++)
      KCPP_TRY(
          mem.write_from(i * sizeof(u64), detail::bytes_of(u64(mem.dma_handle() + u64(i) * GSP_PAGE_SIZE))));
    const MsgqTxHeader tx{
        .version = 0,
        .size = u32(MSGQ_SIZE),
        .msg_size = u32(GSP_PAGE_SIZE),
        .msg_count = MSGQ_NUM_PAGES,
        .write_ptr = 0,
        .flags = 1,
        .rx_hdr_off = u32(MSGQ_RX_HEADER_OFFSET),
        .entry_off = u32(MSGQ_ENTRY_OFFSET),
    };
    KCPP_TRY(mem.write_from(CPUQ_OFFSET, detail::bytes_of(tx)));
    return Cmdq(std::move(mem));
  }

  /** GspMem's bus address (the GSP's arguments point at it). */
  [[nodiscard]] u64 dma_handle() const { return mem_.dma_handle(); }
  /** GspMem, for the tests and the simulated GSP's checks. */
  [[nodiscard]] const kcpp::dma::Coherent<u8>& memory() const { return mem_; }
  /** The most messages of other functions one wait_for() drops before it gives up (EIO). */
  static constexpr u32 MAX_DROPPED_PER_WAIT = 64;
  /** Messages dropped while waiting for another function. */
  [[nodiscard]] u32 dropped() const { return dropped_; }
  /** Sequence number the next message gets. */
  [[nodiscard]] u32 next_sequence() const { return seq_; }

  /**
   * Queues a message of @p function with @p payload: written into the CPU
   * queue's ring, the write pointer published after it (dma_wmb), then, after
   * a full barrier, the doorbell (NV_PGSP_QUEUE_HEAD) rung through @p bar.
   * Waits up to @p timeout_us for room; EAGAIN if there is none by then,
   * EMSGSIZE if no ring could hold it, EIO if the GSP's read pointer is
   * outside the ring.
   */
  template <typename Io>
  [[gnu::always_inline]] Result<void> send(const Io& bar, u32 function, Span<const u8> payload,
                                           unsigned long timeout_us = SEND_TIMEOUT_US) {
    const u32 pages = message_pages(payload.size());
    if (pages == 0)
      return code::EMSGSIZE;
    const CoherentRing ring(mem_, CPUQ_OFFSET + MSGQ_ENTRY_OFFSET);
    auto room = nova::poll_timeout(
        bar, [&] { return gsp_read_ptr(); },
        [&](const Result<u32>& r) { return r.is_err() || writable_pages(write_, *r) >= pages; }, 10,
        timeout_us);
    if (room.is_err())
      return code::EAGAIN;
    const u32 read = KCPP_TRY(*room);
    const u32 written = KCPP_TRY(write_message(ring, write_, read, function, 0, seq_, payload));
    seq_++;
    write_ = advance(write_, written);
    kcpp::dma::write_barrier();  // the message before the pointer that publishes it
    KCPP_TRY(
        mem_.write_from(CPUQ_OFFSET + __builtin_offsetof(MsgqTxHeader, write_ptr), detail::bytes_of(write_)));
    kcpp::dma::full_barrier();  // the pointer in memory before the doorbell's MMIO write
    regs::NV_PGSP_QUEUE_HEAD::zeroed().write(bar);
    return {};
  }

  /**
   * Takes the next message from the GSP queue, waiting up to @p timeout_us
   * (ETIMEDOUT). A message that is not intact (read_message()) is EIO, and
   * everything the GSP had written is skipped, so that the next receive
   * starts at a message boundary again.
   */
  template <kcpp::io::Clock C = kcpp::io::KernelClock>
  [[gnu::always_inline]] Result<Message> receive(unsigned long timeout_us = RECEIVE_TIMEOUT_US,
                                                 const C& clock = C{}) {
    auto write = kcpp::io::read_poll_timeout_on(
        clock, [&] { return gsp_write_ptr(); },
        [&](const Result<u32>& w) { return w.is_err() || *w != read_; }, RECEIVE_POLL_US, timeout_us);
    if (write.is_err())
      return code::ETIMEDOUT;
    const u32 w = KCPP_TRY(*write);
    kcpp::dma::read_barrier();  // the pointer before the message it publishes
    const CoherentRing ring(mem_, GSPQ_OFFSET + MSGQ_ENTRY_OFFSET);
    auto m = read_message(ring, w, read_);
    if (m.is_err() && m.error() == code::ENOMEM)
      return m;
    KCPP_TRY(publish_read(m.is_ok() ? advance(read_, m->pages) : w));
    return m;
  }

  /**
   * Receives until a message of @p function arrives, each receive waiting
   * up to @p timeout_us; messages of other functions are dropped (counted
      * in dropped()), at most MAX_DROPPED_PER_WAIT of them (then EIO: a GSP
   * that only ever sends something else must not hold the caller forever).
   * The first error ends the wait.
   */
  template <kcpp::io::Clock C = kcpp::io::KernelClock>
  Result<Message> wait_for(u32 function, unsigned long timeout_us = RECEIVE_TIMEOUT_US,
                           const C& clock = C{}) {
    for (u32 i = 0; i <= MAX_DROPPED_PER_WAIT; i++) {
      auto m = KCPP_TRY(receive(timeout_us, clock));
      if (m.function == function)
        return m;
      dropped_++;
    }
    return code::EIO;
  }

 private:
  explicit Cmdq(kcpp::dma::Coherent<u8> mem) : mem_(std::move(mem)) {}

  // The GSP's read pointer into the CPU queue; EIO outside the ring.
  [[nodiscard]] Result<u32> gsp_read_ptr() const {
    u32 r = 0;
    KCPP_TRY(mem_.read_into(GSPQ_OFFSET + MSGQ_RX_HEADER_OFFSET, detail::bytes_into(r)));
    return r < MSGQ_NUM_PAGES ? Result<u32>(r) : Result<u32>(code::EIO);
  }
  // The GSP's write pointer into its queue; EIO outside the ring.
  [[nodiscard]] Result<u32> gsp_write_ptr() const {
    u32 w = 0;
    KCPP_TRY(
        mem_.read_into(GSPQ_OFFSET + __builtin_offsetof(MsgqTxHeader, write_ptr), detail::bytes_into(w)));
    return w < MSGQ_NUM_PAGES ? Result<u32>(w) : Result<u32>(code::EIO);
  }
  // Moves the driver's read pointer into the GSP queue to @p to, after the
  // message was copied out (a full barrier: the loads before the store).
  Result<void> publish_read(u32 to) {
    read_ = to;
    kcpp::dma::full_barrier();
    return mem_.write_from(CPUQ_OFFSET + MSGQ_RX_HEADER_OFFSET, detail::bytes_of(read_));
  }

  kcpp::dma::Coherent<u8> mem_;
  u32 write_ = 0;  // the driver's write pointer into the CPU queue
  u32 read_ = 0;   // the driver's read pointer into the GSP queue
  u32 seq_ = 0;
  u32 dropped_ = 0;
};

}  // namespace nova::gsp

#endif  // NOVA_CORE_GSP_CMDQ_H
