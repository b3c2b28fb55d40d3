// SPDX-License-Identifier: GPL-2.0
// The edu driver as a module: the class, and one line.
#include "edu.h"

KCPP_PCI_DRIVER_MODULE(edu::Driver);
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("kcpp example: driver for QEMU's edu device (factorial, MSI, DMA)");
