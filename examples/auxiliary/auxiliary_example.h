/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The auxiliary bus, both sides, in one module:
 *  - Parent: a PCI driver for QEMU's pci-testdev that registers two
 *    auxiliary devices, "<module>.auxiliary.0" and ".1";
 *  - Child: the auxiliary driver that binds them. Its probe reaches the
 *    parent's PCI device and driver data through the bound parent (a bound
 *    auxiliary device implies a bound parent) and reports itself there.
 *
 * module.cpp registers both drivers; tests/auxiliary_test.cpp registers the
 * same classes under KUnit and checks that both children bound.
 */
#ifndef KCPP_EXAMPLES_AUXILIARY_H
#define KCPP_EXAMPLES_AUXILIARY_H

#include <kcpp/auxiliary.h>
#include <kcpp/pci.h>

namespace auxiliary_example {

inline constexpr const char* AUX_NAME = "auxiliary";

class Parent {
 public:
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_aux_parent";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });

  static kcpp::Result<Parent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    auto first = KCPP_TRY(kcpp::auxiliary::Registration::make(pdev, AUX_NAME, 0, kcpp::GFP_KERNEL));
    auto second = KCPP_TRY(kcpp::auxiliary::Registration::make(pdev, AUX_NAME, 1, kcpp::GFP_KERNEL));
    KCPP_DEV_INFO(pdev, "registered two auxiliary devices\n");
    return Parent(std::move(first), std::move(second));
  }

  /** How many children have bound (called from their probe). */
  void child_bound() const { __atomic_add_fetch(&children_, 1, __ATOMIC_RELAXED); }
  [[nodiscard]] unsigned int children_bound() const { return __atomic_load_n(&children_, __ATOMIC_RELAXED); }

 private:
  Parent(kcpp::auxiliary::Registration a, kcpp::auxiliary::Registration b)
      : first_(std::move(a)), second_(std::move(b)) {}
  kcpp::auxiliary::Registration first_;
  kcpp::auxiliary::Registration second_;
  mutable unsigned int children_ = 0;
};

class Child {
 public:
  using IdInfo = kcpp::auxiliary::NoInfo;
  static constexpr const char* NAME = "kcpp_aux_child";
  static constexpr auto ID_TABLE = kcpp::auxiliary::id_table<IdInfo>({
      {kcpp::auxiliary::DeviceId::make(KBUILD_MODNAME, "auxiliary"), {}},
  });

  static kcpp::Result<Child> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev, const IdInfo&) {
    const auto& parent = adev.parent();  // Device<Bound>
    const auto* pdev = KCPP_TRY(kcpp::pci::Device<>::from_device(parent));
    // The parent's data is set once its probe returned; a child that comes
    // earlier (it registers the devices from probe) is probed again later.
    auto p = parent.drvdata<Parent>();
    if (p.is_err())
      return p.error() == kcpp::code::ENOENT ? kcpp::code::EPROBE_DEFER : p.error();
    (*p)->child_bound();
    KCPP_DEV_INFO(adev, "child %u bound; parent %s is %04x:%04x\n", adev.id(), parent.name(),
                  pdev->vendor_id().value, pdev->device_id());
    return Child(adev.id());
  }

  [[nodiscard]] kcpp::u32 id() const { return id_; }

 private:
  explicit Child(kcpp::u32 id) : id_(id) {}
  kcpp::u32 id_;
};

}  // namespace auxiliary_example

#endif  // KCPP_EXAMPLES_AUXILIARY_H
