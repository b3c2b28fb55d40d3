// SPDX-License-Identifier: GPL-2.0
// The pci-testdev driver as a module: the class, and one line.
#include "pci_testdev.h"

KCPP_PCI_DRIVER_MODULE(pci_testdev::Driver);
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("kcpp example: driver for QEMU's pci-testdev");
