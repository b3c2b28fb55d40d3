// SPDX-License-Identifier: GPL-2.0
/*
 * The auxiliary bus: the example's parent driver binds pci-testdev and
 * registers two devices, the example's child driver binds both and reaches
 * the parent through them; unregistering removes everything.
 */
#include <kcpp/auxiliary.h>
#include <kcpp/kunit.h>

#include "../examples/auxiliary/auxiliary_example.h"

#include "helpers.h"

namespace {

using auxiliary_example::Child;
using auxiliary_example::Parent;

kcpp::Result<void> children_bind_and_reach_their_parent() {
  auto pdev = kcpp_test::find_testdev();
  if (pdev.is_err())
    return {};
  {
    auto parent = KCPP_TRY(kcpp::pci::Registration<Parent>::make(kcpp::GFP_KERNEL));
    KCPP_ASSERT((*pdev)->as_device().is_bound());
    Parent* p = KCPP_TRY(KCPP_TRY(kcpp_test::bound(**pdev))->drvdata<Parent>());
    KCPP_EXPECT_EQ(p->children_bound(), 0u);  // no child driver yet
    {
      auto child = KCPP_TRY(kcpp::auxiliary::DriverRegistration<Child>::make(kcpp::GFP_KERNEL));
      KCPP_EXPECT_EQ(p->children_bound(), 2u);
    }
    // A second child driver binds them again: the devices outlived the first.
    auto again = KCPP_TRY(kcpp::auxiliary::DriverRegistration<Child>::make(kcpp::GFP_KERNEL));
    KCPP_EXPECT_EQ(p->children_bound(), 4u);
  }
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  return {};
}

// A parent that registers one auxiliary device with the flags below and
// records the flags of the allocations that made (the test arms the hooks).
constexpr kcpp::Gfp QUIET = kcpp::GFP_KERNEL | kcpp::GFP_NOWARN | kcpp::GFP_RETRY_MAYFAIL;
struct QuietParent {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_quiet_parent";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static kcpp::Result<QuietParent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    const long first = kcpp_fault_allocations_seen();
    auto reg = KCPP_TRY(kcpp::auxiliary::Registration::make(pdev, "quiet", 0, QUIET));
    return QuietParent{std::move(reg), kcpp_test::gfps_since(first)};
  }
  kcpp::auxiliary::Registration reg;
  kcpp_test::GfpRecord made;
};

kcpp::Result<void> device_registration_takes_the_callers_flags() {
  auto pdev = kcpp_test::find_testdev();
  if (pdev.is_err())
    return {};
  kcpp_test::GfpRecord made;
  kcpp_test::gfps_during([&] {
    auto parent = kcpp::pci::Registration<QuietParent>::make(kcpp::GFP_KERNEL);
    KCPP_EXPECT(parent.is_ok());
    auto bound = kcpp_test::bound(**pdev);
    KCPP_EXPECT(bound.is_ok());
    if (bound.is_ok())
      if (auto p = (*bound)->drvdata<QuietParent>(); p.is_ok())
        made = (*p)->made;
  });
  // The device, the devres state behind the Registration, its devres node.
  KCPP_EXPECT_EQ(made.count, 3);
  KCPP_EXPECT(made.all_have(QUIET));
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  return {};
}

// Shared data: found under its name and size only, absent when none was given.
struct Info {
  static constexpr const char* SHARED_NAME = "kcpp-test.info.v1";
  kcpp::u32 value;
};
struct InfoV2 {  // the same layout under another name: a newer header's
  static constexpr const char* SHARED_NAME = "kcpp-test.info.v2";
  kcpp::u32 value;
};
struct Wide {  // the same name, another size
  static constexpr const char* SHARED_NAME = "kcpp-test.info.v1";
  kcpp::u64 value;
};
struct SharingParent {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_sharing_parent";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static kcpp::Result<SharingParent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    auto with =
        KCPP_TRY(kcpp::auxiliary::Registration::make_with_data(pdev, "share", 0, Info{5}, kcpp::GFP_KERNEL));
    auto without = KCPP_TRY(kcpp::auxiliary::Registration::make(pdev, "share", 1, kcpp::GFP_KERNEL));
    return SharingParent{std::move(with), std::move(without)};
  }
  kcpp::auxiliary::Registration with, without;
};
// What the reader saw, per device id: the value, then the errnos of the
// other types.
int seen[2][3];
struct SharingChild {
  using IdInfo = kcpp::auxiliary::NoInfo;
  static constexpr const char* NAME = "kcpp_sharing_child";
  static constexpr auto ID_TABLE = kcpp::auxiliary::id_table<IdInfo>({
      {kcpp::auxiliary::DeviceId::make(KBUILD_MODNAME, "share"), {}},
  });
  static kcpp::Result<SharingChild> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev,
                                          const IdInfo&) {
    const kcpp::u32 id = adev.id();
    if (id > 1)
      return kcpp::code::EINVAL;
    auto info = adev.shared_data<Info>();
    seen[id][0] = info.is_ok() ? static_cast<int>(info->value) : -info.error().to_errno();
    seen[id][1] = adev.shared_data<InfoV2>().error().to_errno();
    seen[id][2] = adev.shared_data<Wide>().error().to_errno();
    return SharingChild{};
  }
};

kcpp::Result<void> shared_data_by_name_and_size() {
  auto pdev = KCPP_TRY(kcpp_test::find_testdev());
  __builtin_memset(seen, 0, sizeof(seen));
  {
    auto child = KCPP_TRY(kcpp::auxiliary::DriverRegistration<SharingChild>::make(kcpp::GFP_KERNEL));
    auto parent = KCPP_TRY(kcpp::pci::Registration<SharingParent>::make(kcpp::GFP_KERNEL));
    KCPP_ASSERT(pdev->as_device().is_bound());
  }
  KCPP_EXPECT_EQ(seen[0][0], 5);
  KCPP_EXPECT_EQ(seen[0][1], -KCPP_EINVAL);
  KCPP_EXPECT_EQ(seen[0][2], -KCPP_EINVAL);
  KCPP_EXPECT_EQ(seen[1][0], KCPP_ENOENT);  // -(-ENOENT): none given
  KCPP_EXPECT_EQ(seen[1][1], -KCPP_ENOENT);
  KCPP_EXPECT_EQ(seen[1][2], -KCPP_ENOENT);
  return {};
}

kcpp::Result<void> device_ids_name_module_and_device() {
  constexpr auto id = kcpp::auxiliary::DeviceId::make("mod", "dev");
  KCPP_EXPECT_EQ(__builtin_strcmp(id.raw().name, "mod.dev"), 0);
  constexpr auto table = kcpp::auxiliary::id_table<int>({{id, 7}, {id, 9}});
  KCPP_EXPECT_EQ(table.raw[1].driver_data, 1ul);
  KCPP_EXPECT_EQ(table.info[1], 9);
  KCPP_EXPECT_EQ(table.raw[2].name[0], 0);  // the terminator
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_auxiliary, KCPP_KUNIT_CASE(children_bind_and_reach_their_parent),
                 KCPP_KUNIT_CASE(device_registration_takes_the_callers_flags),
                 KCPP_KUNIT_CASE(shared_data_by_name_and_size),
                 KCPP_KUNIT_CASE(device_ids_name_module_and_device));
