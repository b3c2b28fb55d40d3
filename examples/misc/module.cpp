// SPDX-License-Identifier: GPL-2.0
// The ring-buffer misc device on a platform device this module registers.
#include "ring.h"

namespace {
class MiscExample {
 public:
  static kcpp::Result<MiscExample> init() {
    auto drv = KCPP_TRY(kcpp::platform::Registration<ring::Driver>::make(kcpp::GFP_KERNEL));
    auto dev =
        KCPP_TRY(kcpp::platform::DeviceRegistration::make(ring::Driver::DEVICE, kcpp::platform::NO_ID));
    return MiscExample(std::move(drv), std::move(dev));
  }

 private:
  MiscExample(kcpp::platform::Registration<ring::Driver> d, kcpp::platform::DeviceRegistration v)
      : drv_(std::move(d)), dev_(std::move(v)) {}
  // Destroyed in reverse: the device (and its binding) first.
  kcpp::platform::Registration<ring::Driver> drv_;
  kcpp::platform::DeviceRegistration dev_;
};
}  // namespace

KCPP_MODULE(MiscExample);
KCPP_PLATFORM_MODULE_DEVICE_TABLE(ring::Driver)
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("kcpp example: a ring-buffer character device");
