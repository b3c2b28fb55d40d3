// SPDX-License-Identifier: GPL-2.0
// nova-drm as a module: the auxiliary driver of nova-core's "nova-drm" device.
#include "driver.h"

KCPP_AUXILIARY_DRIVER_MODULE(nova::drm::Driver);
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("nova-drm in C++: the DRM driver of NVIDIA GSP-based GPUs");
