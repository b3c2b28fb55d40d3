// SPDX-License-Identifier: GPL-2.0
/*
 * io::Mmio and the register DSL beyond the doc examples: every width,
 * engine-relative registers and arrays, fallible enum fields, a mock
 * register file standing in for a device, and ID tables matching by class.
 */
#include <kcpp/io.h>
#include <kcpp/io/register.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>
#include <kcpp/sync/lock.h>

#include "helpers.h"

namespace {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;

enum class Arch : u8 { Turing = 0x16, Ampere = 0x17, Ada = 0x19 };
constexpr kcpp::Result<Arch> try_from_bits(Arch*, u64 bits) {
  switch (bits) {
    case 0x16:
    case 0x17:
    case 0x19:
      return static_cast<Arch>(bits);
    default:
      return kcpp::code::ENODEV;
  }
}

struct BOOT0 : kcpp::io::Register<BOOT0, u32, 0x0> {
  KCPP_REG_FIELD(3, 0, minor);
  KCPP_REG_FIELD(7, 4, major);
  KCPP_REG_FIELD_TRY(28, 24, arch, Arch);
};

// Two engines with the same register layout at different bases, and a
// second base family (as a falcon's PFALCON and PFALCON2 ranges).
struct Family2 {};
struct EngineA {
  static constexpr kcpp::usize base(kcpp::io::DefaultBase) { return 0x100; }
  static constexpr kcpp::usize base(Family2) { return 0x180; }
};
struct EngineB {
  static constexpr kcpp::usize base(kcpp::io::DefaultBase) { return 0x200; }
  static constexpr kcpp::usize base(Family2) { return 0x280; }
};
struct CTRL : kcpp::io::RelativeRegister<CTRL, u32, 0x10> {
  KCPP_REG_FIELD(0, 0, start);
  KCPP_REG_FIELD(31, 16, token);
};
struct HWCFG : kcpp::io::RelativeRegister<HWCFG, u32, 0x4, Family2> {
  KCPP_REG_FIELD(8, 0, mem_size);
};
struct MAILBOX : kcpp::io::RelativeRegisterArray<MAILBOX, u32, 0x40, 4, 2> {
  KCPP_REG_FIELD(31, 0, value);
};

kcpp::Result<void> every_width_round_trips() {
  alignas(8) u8 mem[32] = {};
  // SAFETY: mem is a local 8-byte-aligned array of sizeof(mem) bytes standing in for device
  // memory, and io is used only inside this function, while mem lives.
  auto io = KCPP_TRY(kcpp::io::Mmio<32>::unsafe_new(mem, sizeof(mem)));
  io.write64(0x0123456789abcdefull, 0x8);
  KCPP_EXPECT_EQ(io.read64(0x8), 0x0123456789abcdefull);
  KCPP_EXPECT_EQ(io.read32(0x8), 0x89abcdefu);
  KCPP_EXPECT_EQ(io.read16(0xe), 0x0123);
  KCPP_EXPECT_EQ(io.read8(0xf), 0x01);
  io.write16(0xbeef, 0x2);
  KCPP_EXPECT_EQ(io.read8(0x2), 0xef);
  KCPP_EXPECT_EQ(KCPP_TRY(io.try_read64(24)), 0u);
  KCPP_EXPECT_EQ(io.try_read64(28).error(), kcpp::code::EINVAL);      // misaligned
  KCPP_EXPECT_EQ(io.try_write16(1, 31).error(), kcpp::code::EINVAL);  // misaligned
  KCPP_EXPECT_EQ(io.try_read8(32).error(), kcpp::code::ERANGE);       // beyond
  // A huge (aligned) offset must not wrap around the bounds check.
  KCPP_EXPECT_EQ(io.try_read32(~kcpp::usize(0) - 3).error(), kcpp::code::ERANGE);
  // Smaller than the compile-time size: refused.
  // SAFETY: mem is the same local array of sizeof(mem) bytes; the call is expected to fail and
  // nothing of it is kept.
  KCPP_EXPECT_EQ(kcpp::io::Mmio<64>::unsafe_new(mem, sizeof(mem)).error(), kcpp::code::EINVAL);
  return {};
}

kcpp::Result<void> fields_decode_and_refuse_bad_values() {
  BOOT0 b = BOOT0::from_raw(0x17000a31);
  KCPP_EXPECT_EQ(b.minor(), 1);
  KCPP_EXPECT_EQ(b.major(), 3);
  KCPP_EXPECT(KCPP_TRY(b.arch()) == Arch::Ampere);
  KCPP_EXPECT_EQ(BOOT0::from_raw(0x04000000).arch().error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(b.with_arch(Arch::Ada).raw(), 0x19000a31u);
  KCPP_EXPECT_EQ(KCPP_TRY(b.try_with_major(0xf)).raw(), 0x17000af1u);
  KCPP_EXPECT_EQ(b.try_with_major(0x10).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::io::Bits<4>::masked(0x1f).get(), 0xf);
  KCPP_EXPECT_EQ(kcpp::io::Bits<4>::try_new(0x10).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(CTRL::zeroed().with_token(0xffff).with_start(true).raw(), 0xffff0001u);
  return {};
}

kcpp::Result<void> relative_registers_address_each_engine() {
  alignas(8) u8 mem[0x300] = {};
  // SAFETY: mem is a local 8-byte-aligned array of sizeof(mem) bytes standing in for device
  // memory, and io is used only inside this function, while mem lives.
  auto io = KCPP_TRY(kcpp::io::Mmio<0x300>::unsafe_new(mem, sizeof(mem)));
  CTRL::zeroed().with_token(0x1234).write(io, EngineA{});
  CTRL::zeroed().with_token(0x5678).write(io, EngineB{});
  KCPP_EXPECT_EQ(io.read32(0x110), 0x12340000u);
  KCPP_EXPECT_EQ(io.read32(0x210), 0x56780000u);
  CTRL::update(io, EngineB{}, [](CTRL c) { return c.with_start(true); });
  KCPP_EXPECT_EQ(CTRL::read(io, EngineB{}).raw(), 0x56780001u);
  KCPP_EXPECT_EQ(CTRL::OFFSET_IN<EngineA>, 0x110u);
  HWCFG::zeroed().with_mem_size(0x1ff).write(io, EngineA{});
  KCPP_EXPECT_EQ(io.read32(0x184), 0x1ffu);
  MAILBOX::zeroed().with_value(7).write<1>(io, EngineB{});
  KCPP_EXPECT_EQ(io.read32(0x244), 7u);
  KCPP_EXPECT_EQ(KCPP_TRY(MAILBOX::try_read(io, EngineB{}, 1)).value(), 7u);
  KCPP_EXPECT_EQ(MAILBOX::try_read(io, EngineB{}, 2).error(), kcpp::code::ERANGE);
  return {};
}

// A mock register file: any type with the Io members works with registers,
// so register-level logic is testable without a device.
class MockRegs {
 public:
  static constexpr kcpp::usize MIN_SIZE = 0x10;
  template <typename W, kcpp::usize Off>
  W read_at() const {
    reads++;
    return static_cast<W>(regs[Off / 4]);
  }
  template <typename W, kcpp::usize Off>
  void write_at(W v) const {
    regs[Off / 4] = v;
  }
  template <typename W>
  kcpp::Result<W> try_read(kcpp::usize off) const {
    if (off >= MIN_SIZE)
      return kcpp::code::EINVAL;
    return static_cast<W>(regs[off / 4]);
  }
  template <typename W>
  kcpp::Result<void> try_write(W v, kcpp::usize off) const {
    if (off >= MIN_SIZE)
      return kcpp::code::EINVAL;
    regs[off / 4] = v;
    return {};
  }
  mutable u32 regs[4] = {};
  mutable int reads = 0;
};

kcpp::Result<void> registers_work_on_a_mock_register_file() {
  MockRegs mock;
  mock.regs[0] = 0x16000052;
  BOOT0 b = BOOT0::read(mock);
  KCPP_EXPECT(KCPP_TRY(b.arch()) == Arch::Turing);
  KCPP_EXPECT_EQ(b.major(), 5);
  BOOT0::update(mock, [](BOOT0 r) { return r.with_minor(9); });
  KCPP_EXPECT_EQ(mock.regs[0], 0x16000059u);
  KCPP_EXPECT_EQ(mock.reads, 2);
  return {};
}

// Matching by class and mask: pci-testdev's class code is 0x00ff00.
class ByClass {
 public:
  struct IdInfo {
    int which;
  };
  static constexpr const char* NAME = "kcpp_class_match_test";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_class(kcpp::pci::Class{0x0302ff}, kcpp::pci::ClassMask::Full), {1}},
      {kcpp::pci::DeviceId::from_class_and_vendor(
           kcpp::pci::Class{0x00ff00}, kcpp::pci::ClassMask::ClassSubclass, kcpp::pci::Vendor::REDHAT),
       {2}},
  });
  static kcpp::Result<ByClass> probe(const kcpp::pci::Device<kcpp::device::Core>&, const IdInfo& info) {
    return ByClass(info.which);
  }
  int which;

 private:
  explicit ByClass(int w) : which(w) {}
};

kcpp::Result<void> id_tables_match_by_class_and_carry_info() {
  static_assert(ByClass::ID_TABLE.raw[1].class_mask == 0xffff00);
  static_assert(ByClass::ID_TABLE.raw[1].driver_data == 1);
  static_assert(ByClass::ID_TABLE.raw[2].vendor == 0);  // the terminator
  constexpr auto sub = kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::NVIDIA, 0x2684)
                           .with_subsystem(kcpp::pci::Vendor::NVIDIA, 0x16f3)
                           .raw();
  static_assert(sub.subvendor == 0x10de && sub.subdevice == 0x16f3 && sub.device == 0x2684);
  auto pdev = kcpp_test::find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<ByClass>::make(kcpp::GFP_KERNEL));
  KCPP_ASSERT((*pdev)->as_device().is_bound());
  KCPP_EXPECT_EQ(KCPP_TRY(KCPP_TRY(kcpp_test::bound(**pdev))->drvdata<ByClass>())->which, 2);
  return {};
}

// Polling as C's iopoll.h does: a timeout of 0 has no deadline, and with
// a sleep of 0 nothing may sleep, so both forms run under a spinlock
// (the sanitizer kernel's DEBUG_ATOMIC_SLEEP reports a might_sleep there).
kcpp::Result<void> polling_follows_iopoll() {
  int calls = 0;
  auto count = [&] { return ++calls; };
  KCPP_EXPECT_EQ(KCPP_TRY(kcpp::io::read_poll_timeout(count, [](int n) { return n == 20000; }, 0, 0)), 20000);
  calls = 0;
  kcpp::SpinLock<int> lock(KCPP_LOCK_CLASS(), 0);
  {
    auto g = lock.lock_irqsave();
    // Deadlines far beyond what the polls take, also on a loaded host
    // under TCG, where a vCPU can stall for milliseconds: these must succeed.
    KCPP_EXPECT_EQ(
        KCPP_TRY(kcpp::io::read_poll_timeout(count, [](int n) { return n == 100; }, 0, 1000000)), 100);
    calls = 0;
    KCPP_EXPECT_EQ(
        KCPP_TRY(kcpp::io::read_poll_timeout_atomic(count, [](int n) { return n == 3; }, 2, 1000000)), 3);
    const kcpp::u64 t0 = kcpp_ktime_get_ns();
    KCPP_EXPECT_EQ(
        kcpp::io::read_poll_timeout_atomic([] { return 0; }, [](int n) { return n != 0; }, 10, 200).error(),
        kcpp::code::ETIMEDOUT);
    KCPP_EXPECT_GE(kcpp_ktime_get_ns() - t0, 200u * 1000);  // it did wait for the deadline
  }
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_io, KCPP_KUNIT_CASE(every_width_round_trips), KCPP_KUNIT_CASE(polling_follows_iopoll),
                 KCPP_KUNIT_CASE(fields_decode_and_refuse_bad_values),
                 KCPP_KUNIT_CASE(relative_registers_address_each_engine),
                 KCPP_KUNIT_CASE(registers_work_on_a_mock_register_file),
                 KCPP_KUNIT_CASE(id_tables_match_by_class_and_carry_info));
