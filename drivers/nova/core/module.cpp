// SPDX-License-Identifier: GPL-2.0
// nova-core as a module: the PCI driver and its device table.
#include "driver.h"
#include "firmware.h"

KCPP_PCI_DRIVER_MODULE(nova::Driver);
NOVA_MODULE_FIRMWARE()
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("nova-core in C++: NVIDIA GSP-based GPUs (Turing and newer)");
