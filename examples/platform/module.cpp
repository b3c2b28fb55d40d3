// SPDX-License-Identifier: GPL-2.0
// Both platform example drivers in one module.
#include "platform_example.h"

namespace {
class PlatformExample {
 public:
  static kcpp::Result<PlatformExample> init() {
    // The block's driver first: the parent's probe raises the block's
    // interrupt right after registering it.
    auto block = KCPP_TRY(kcpp::platform::Registration<platform_example::Block>::make(kcpp::GFP_KERNEL));
    auto parent = KCPP_TRY(kcpp::pci::Registration<platform_example::Parent>::make(kcpp::GFP_KERNEL));
    return PlatformExample(std::move(block), std::move(parent));
  }

 private:
  PlatformExample(kcpp::platform::Registration<platform_example::Block> b,
                  kcpp::pci::Registration<platform_example::Parent> p)
      : block_(std::move(b)), parent_(std::move(p)) {}
  // Destroyed in reverse: the parent (and with it the block device) first.
  kcpp::platform::Registration<platform_example::Block> block_;
  kcpp::pci::Registration<platform_example::Parent> parent_;
};
}  // namespace

KCPP_MODULE(PlatformExample);
KCPP_PCI_MODULE_DEVICE_TABLE(platform_example::Parent)
KCPP_PLATFORM_MODULE_DEVICE_TABLE(platform_example::Block)
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("kcpp example: a platform device over a PCI BAR, and its driver");
