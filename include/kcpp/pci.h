/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/pci.h
 * @brief PCI drivers: devices in context type states, ID tables with module
 * aliases, BAR mappings, config space, interrupt vectors, registration.
 *
 * Wraps `include/linux/pci.h`.
 *
 * A PCI driver is a class with an ID table and a static `probe()`:
 *
 * @code{.cpp no_run}
 * #include <kcpp/pci.h>
 * class MyDriver {
 *  public:
 *   using IdInfo = kcpp::pci::NoInfo;
 *   static constexpr const char* NAME = "my_driver";
 *   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 *       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
 *   });
 *   // Core context: the device lock is held; the returned object is the
 *   // driver's data until remove.
 *   static kcpp::Result<MyDriver> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 *                                       const IdInfo&) {
 *     KCPP_TRY(pdev.enable_device_mem());
 *     auto bar = KCPP_TRY(pdev.iomap_region_sized<0x10>(0, NAME));
 *     return MyDriver(std::move(bar));
 *   }
 *   // Optional: runs in remove, before the object is destroyed.
 *   void unbind(const kcpp::pci::Device<kcpp::device::Core>&) {}
 *
 *  private:
 *   explicit MyDriver(kcpp::Devres<kcpp::pci::Bar<0x10>> bar) : bar_(std::move(bar)) {}
 *   kcpp::Devres<kcpp::pci::Bar<0x10>> bar_;
 * };
 * KCPP_PCI_DRIVER_MODULE(MyDriver);
 * KCPP_MODULE_LICENSE("GPL");
 * @endcode
 *
 * The module's `modinfo` then lists `alias=pci:v00001B36d00000005sv*sd*bc*sc*i*`,
 * so udev loads it for a matching device. See examples/pci_testdev for a
 * whole driver.
 *
 * The same, run: binding QEMU's pci-testdev (present in make check's
 * machine) with a driver class, then using its BAR and config space.
 * @code{.cpp}
 * #^ class Demo {
 * #^  public:
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_pci";
 * #^   static constexpr kcpp::pci::IdTable<IdInfo, 1> ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       kcpp::pci::IdEntry<IdInfo>{
 * #^           kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
 * #^   });
 * #^   static kcpp::Result<Demo> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 * #^                                   const IdInfo&) {
 * #^     KCPP_TRY(pdev.enable_device_mem());
 * #^     kcpp::Devres<kcpp::pci::Bar<16>> bar = KCPP_TRY(pdev.iomap_region_sized<16>(0, NAME));
 * #^     kcpp::pci::ConfigSpace<256> cfg = pdev.config_space();
 * #^     return Demo(std::move(bar), cfg.read16(0));
 * #^   }
 * #^   kcpp::Devres<kcpp::pci::Bar<16>> bar;
 * #^   kcpp::u16 vendor;
 * #^
 * #^  private:
 * #^   Demo(kcpp::Devres<kcpp::pci::Bar<16>> b, kcpp::u16 v) : bar(std::move(b)), vendor(v) {}
 * #^ };
 * static_assert(kcpp::pci::Driver<Demo>);
 * constexpr kcpp::pci::RawDeviceId first = Demo::ID_TABLE.raw[0];
 * static_assert(first.vendor == 0x1b36 && first.driver_data == 0);
 * auto pdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::REDHAT, 0x0005));
 * {
 *   auto reg = KCPP_TRY(kcpp::pci::Registration<Demo>::make(kcpp::GFP_KERNEL));
 *   // Bound while `reg` lives (nothing else unbinds it in this test):
 *   const auto& bound = kcpp::pci::Device<kcpp::device::Bound>::unsafe_from_raw(pdev->as_raw());
 *   Demo* demo = KCPP_TRY(bound.drvdata<Demo>());
 *   KCPP_ASSERT_EQ(demo->vendor, 0x1b36);
 *   const kcpp::pci::Bar<16>& bar = *KCPP_TRY(demo->bar.access(bound));
 *   bar.write8(0, 0x0);                           // select test 0
 *   KCPP_ASSERT_EQ(bar.read32(0x4), 0x800u);      // where it wants its byte
 *   KCPP_ASSERT(bar.try_read8(0x1000).is_err());  // the BAR has 4 KiB
 * }
 * KCPP_ASSERT(!pdev->as_device().is_bound());
 * // Matching by class under a mask, as a driver for NVIDIA displays would:
 * constexpr auto display = kcpp::pci::DeviceId::from_class_and_vendor(
 *     kcpp::pci::Class::DISPLAY_VGA, kcpp::pci::ClassMask::ClassSubclass, kcpp::pci::Vendor::NVIDIA);
 * static_assert(display.raw().class_code == 0x030000 && display.raw().class_mask == 0xffff00);
 * @endcode
 *
 * Contexts: identity and resource queries work on any `pci::Device`;
 * mapping BARs, config space and interrupt vectors need `Device<Bound>`;
 * enabling the device and bus mastering need `Device<Core>`:
 * @code{.cpp compile_fail}
 * // compile_fail: enable_device_mem() needs a pci::Device<Core>
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   return pdev.enable_device_mem();
 * };
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: iomap_region_sized() needs a pci::Device<Bound>
 * auto f = [](const kcpp::pci::Device<>& pdev) { return pdev.iomap_region_sized<16>(0, "x"); };
 * @endcode
 * Config space has no 64-bit accessors and its size is known:
 * @code{.cpp compile_fail}
 * // compile_fail: offset_beyond_the_compile_time_size_use_try_read_or_try_write
 * struct Cfg {
 *   static kcpp::u32 read(const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *     return pdev.config_space().read32(0x100);
 *   }
 * };
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: no member named
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   return pdev.config_space().read64(0x10);
 * };
 * @endcode
 */
#ifndef KCPP_PCI_H
#define KCPP_PCI_H

#include <kcpp/bindings/generated.h>

#if !KCPP_CONFIG_PCI
#error "kcpp/pci.h: the kernel is configured without CONFIG_PCI"
#endif

// One header per concern, as the parts of the kernel's pci.h are: IDs,
// interrupt vectors, the device in its contexts, BARs and config space,
// drivers.
#include <kcpp/pci/device.h>
#include <kcpp/pci/driver.h>
#include <kcpp/pci/id.h>
#include <kcpp/pci/io.h>
#include <kcpp/pci/irq.h>

#endif  // KCPP_PCI_H
