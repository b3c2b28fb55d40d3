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
                 KCPP_KUNIT_CASE(device_ids_name_module_and_device));
