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

/** The pages a message of @p payload_len bytes takes; 0 if it could never fit a ring. */
constexpr u32 message_pages(usize payload_len) {
  const usize max = (MSGQ_NUM_PAGES - 1) * GSP_PAGE_SIZE - sizeof(MsgElementHeader);
  if (payload_len > max)
    return 0;
  return u32((sizeof(MsgElementHeader) + payload_len + GSP_PAGE_SIZE - 1) / GSP_PAGE_SIZE);
}

/// @cond KCPP_INTERNAL
namespace detail {
// Copies src into the ring's data at byte offset at, wrapping at its end.
inline Result<void> ring_write(Span<u8> data, usize at, Span<const u8> src) {
  const usize first = src.size() < data.size() - at ? src.size() : data.size() - at;
  KCPP_TRY(kcpp::bytes::copy(data, at, KCPP_TRY(src.subspan(0, first))));
  if (first < src.size())
    KCPP_TRY(kcpp::bytes::copy(data, 0, KCPP_TRY(src.subspan(first, src.size() - first))));
  return {};
}
}  // namespace detail
/// @endcond

/** A message as read from a ring. */
struct Message {
  u32 function;             ///< The RPC or event number
  u32 sequence;             ///< The sender's RPC sequence number
  u32 pages;                ///< The pages it took (what the read pointer moves by)
  kcpp::KVVec<u8> payload;  ///< What followed the headers
};

/**
 * Writes a message of @p function with @p payload at page @p write of a
 * ring whose reader is at @p read. @p data is the ring's MSGQ_NUM_PAGES
 * pages. Returns the pages written (the write pointer's advance). EAGAIN
 * if the ring has not that much room now, EMSGSIZE if no ring ever has.
 */
inline Result<u32> write_message(Span<u8> data, u32 write, u32 read, u32 function, u32 rpc_sequence,
                                 u32 seq_num, Span<const u8> payload) {
  if (data.size() != MSGQ_NUM_PAGES * GSP_PAGE_SIZE || write >= MSGQ_NUM_PAGES || read >= MSGQ_NUM_PAGES)
    return code::EINVAL;
  const u32 pages = message_pages(payload.size());
  if (pages == 0)
    return code::EMSGSIZE;
  if (pages > writable_pages(write, read))
    return code::EAGAIN;
  MsgElementHeader h{};
  h.seq_num = seq_num;
  h.elem_count = pages;
  h.rpc = {
      .header_version = RPC_HEADER_VERSION,
      .signature = RPC_SIGNATURE,
      .length = u32(sizeof(RpcHeader) + payload.size()),
      .function = function,
      .rpc_result = RPC_RESULT_NONE,
      .rpc_result_private = RPC_RESULT_NONE,
      .sequence = rpc_sequence,
      .spare = 0,
  };
  // SAFETY: h is a local MsgElementHeader of plain bytes (80 by its static_assert), live for the
  // call; a u8 pointer may view any object's bytes.
  const auto header = Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>(&h), sizeof(h));
  // The checksum of header and payload together, computed with the field 0 as it is now.
  h.checksum = fold_checksum(checksum_lanes(header) ^ checksum_lanes(payload));
  const usize at = usize(write) * GSP_PAGE_SIZE;
  KCPP_TRY(detail::ring_write(data, at, header));
  KCPP_TRY(detail::ring_write(data, (at + sizeof(h)) % data.size(), payload));
  return pages;
}

/**
 * Reads the message at page @p read of a ring whose writer is at
 * @p write. EAGAIN if there is none; EIO if what is there is not a whole,
 * intact message of this protocol (its pages past the writer, a length
 * that does not fit them, a wrong version or signature, a checksum that
 * does not sum to 0).
 */
inline Result<Message> read_message(Span<const u8> data, u32 write, u32 read) {
  if (data.size() != MSGQ_NUM_PAGES * GSP_PAGE_SIZE || write >= MSGQ_NUM_PAGES || read >= MSGQ_NUM_PAGES)
    return code::EINVAL;
  const u32 available = readable_pages(write, read);
  if (available == 0)
    return code::EAGAIN;
  // The header lies in the first page: it never wraps.
  const MsgElementHeader h = KCPP_TRY(kcpp::bytes::read<MsgElementHeader>(data, usize(read) * GSP_PAGE_SIZE));
  if (h.elem_count == 0 || h.elem_count > available)
    return code::EIO;
  if (h.rpc.header_version != RPC_HEADER_VERSION || h.rpc.signature != RPC_SIGNATURE ||
      h.rpc.length < sizeof(RpcHeader))
    return code::EIO;
  const usize payload_len = h.rpc.length - sizeof(RpcHeader);
  if (message_pages(payload_len) != h.elem_count)
    return code::EIO;
  // The message in ring order: up to the ring's end, then from its start.
  const usize start = usize(read) * GSP_PAGE_SIZE;
  const usize total = sizeof(MsgElementHeader) + payload_len;
  const usize first = total < data.size() - start ? total : data.size() - start;
  const Span<const u8> head = KCPP_TRY(data.subspan(start, first));
  const Span<const u8> tail = KCPP_TRY(data.subspan(0, total - first));
  if (fold_checksum(checksum_lanes(head) ^ checksum_lanes(tail)) != 0)
    return code::EIO;
  Message m{h.rpc.function, h.rpc.sequence, h.elem_count, {}};
  KCPP_TRY(m.payload.reserve(payload_len, kcpp::GFP_KERNEL));
  // head holds the header (it never wraps, checked above by reading it from one page).
  KCPP_TRY(m.payload.extend(
      KCPP_TRY(head.subspan(sizeof(MsgElementHeader), first - sizeof(MsgElementHeader))), kcpp::GFP_KERNEL));
  KCPP_TRY(m.payload.extend(tail, kcpp::GFP_KERNEL));
  return m;
}

}  // namespace nova::gsp

#endif  // NOVA_CORE_GSP_CMDQ_H
