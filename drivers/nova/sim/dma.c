// SPDX-License-Identifier: GPL-2.0
/*
 * The device side of DMA for the simulated GPU: where a bus master reaches
 * system memory. Test-only: linked into the KUnit suites, the benchmark
 * module and nova_sim.ko, which run the simulator and only the test kernels
 * build, and never into nova_core.ko, nova_drm.ko or any other module a
 * user loads.
 */
#include <linux/dma-direct.h>
#include <linux/mm.h>

void *nova_sim_dma_bus_to_virt(struct device *dev, u64 addr);

/*
 * The kernel address of the memory a bus master of dev reads at bus address
 * addr, or NULL where that is not direct-mapped RAM (the device side of
 * dma-direct: a real device would fault on the bus).
 */
void *nova_sim_dma_bus_to_virt(struct device *dev, u64 addr)
{
	phys_addr_t phys = dma_to_phys(dev, addr);

	if (!pfn_valid(PHYS_PFN(phys)))
		return NULL;
	return phys_to_virt(phys);
}
