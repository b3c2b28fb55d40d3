// SPDX-License-Identifier: GPL-2.0
// Both auxiliary example drivers in one module.
#include "auxiliary_example.h"

namespace {
class AuxiliaryExample {
 public:
  static kcpp::Result<AuxiliaryExample> init() {
    // The parent first: its devices exist (and its data is set) when the
    // child driver arrives and binds them.
    auto parent = KCPP_TRY(kcpp::pci::Registration<auxiliary_example::Parent>::make(kcpp::GFP_KERNEL));
    auto child =
        KCPP_TRY(kcpp::auxiliary::DriverRegistration<auxiliary_example::Child>::make(kcpp::GFP_KERNEL));
    return AuxiliaryExample(std::move(parent), std::move(child));
  }

 private:
  AuxiliaryExample(kcpp::pci::Registration<auxiliary_example::Parent> p,
                   kcpp::auxiliary::DriverRegistration<auxiliary_example::Child> c)
      : parent_(std::move(p)), child_(std::move(c)) {}
  // Destroyed in reverse: the child driver lets go first, then the parent.
  kcpp::pci::Registration<auxiliary_example::Parent> parent_;
  kcpp::auxiliary::DriverRegistration<auxiliary_example::Child> child_;
};
}  // namespace

KCPP_MODULE(AuxiliaryExample);
KCPP_PCI_MODULE_DEVICE_TABLE(auxiliary_example::Parent)
KCPP_AUXILIARY_MODULE_DEVICE_TABLE(auxiliary_example::Child)
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("kcpp example: auxiliary devices and their driver");
