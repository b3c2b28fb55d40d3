/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/platform.h
 * @brief Platform drivers: devices in context type states, ID tables by
 * name, OF compatible and ACPI ID with module aliases, memory resources as
 * `IoMem`, interrupts by index, registration of drivers and of devices.
 *
 * Wraps `include/linux/platform_device.h`.
 *
 * A platform driver is a class with up to three ID tables and a static
 * `probe()`; the info of the entry that matched comes with the call:
 *
 * @code{.cpp no_run}
 * #include <kcpp/platform.h>
 * class MyDriver {
 *  public:
 *   struct IdInfo {
 *     unsigned int fifo_depth;
 *   };
 *   static constexpr const char* NAME = "my_driver";
 *   static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
 *       {kcpp::platform::DeviceId::name("my-uart"), {16}},
 *   });
 *   static constexpr auto OF_ID_TABLE = kcpp::of::id_table<IdInfo>({
 *       {kcpp::of::DeviceId::compatible("vendor,my-uart"), {64}},
 *   });
 *   static constexpr auto ACPI_ID_TABLE = kcpp::acpi::id_table<IdInfo>({
 *       {kcpp::acpi::DeviceId::make("VNDR0001"), {64}},
 *   });
 *   // Core context: the device lock is held; the returned object is the
 *   // driver's data until remove. No info: bound through driver_override.
 *   static kcpp::Result<MyDriver> probe(const kcpp::platform::Device<kcpp::device::Core>& pdev,
 *                                       kcpp::Option<const IdInfo*> info) {
 *     auto regs = KCPP_TRY(pdev.iomap_resource_sized<0x20>(0));
 *     return MyDriver(std::move(regs), info.is_some() ? info.expect("checked")->fifo_depth : 1);
 *   }
 *   unsigned int fifo_depth() const { return depth_; }
 *
 *  private:
 *   MyDriver(kcpp::Devres<kcpp::platform::IoMem<0x20>> regs, unsigned int depth)
 *       : regs_(std::move(regs)), depth_(depth) {}
 *   kcpp::Devres<kcpp::platform::IoMem<0x20>> regs_;
 *   unsigned int depth_;
 * };
 * KCPP_PLATFORM_DRIVER_MODULE(MyDriver);
 * KCPP_MODULE_LICENSE("GPL");
 * @endcode
 *
 * `modinfo` then lists `alias=platform:my-uart`, `alias=of:N*T*Cvendor,my-uart`
 * (and `...C*`) and `alias=acpi*:VNDR0001:*`. See examples/platform for a
 * whole driver, with the device it registers itself.
 *
 * The same, run, in the shape of a driver that splits a PCI function into
 * blocks: a PCI driver of QEMU's pci-testdev (in make check's machine)
 * registers a platform device with the first 16 bytes of its BAR 0 and a
 * software interrupt line; a platform driver binds it by name and uses both.
 * @code{.cpp}
 * #^ class Parent {
 * #^  public:
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_plat_parent";
 * #^   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
 * #^   });
 * #^   static kcpp::Result<Parent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 * #^                                     const IdInfo&) {
 * #^     KCPP_TRY(pdev.enable_device_mem());
 * #^     auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make());
 * #^     const kcpp::platform::Resource res[] = {
 * #^         kcpp::platform::Resource::mem(KCPP_TRY(pdev.resource_start(0)), 16),
 * #^         kcpp::platform::Resource::irq(line.irq()),
 * #^     };
 * #^     auto child = KCPP_TRY(kcpp::platform::ChildRegistration::make(pdev, "kcpp-doc-plat", 3, res,
 * #^                                                                   kcpp::GFP_KERNEL));
 * #^     return Parent(std::move(line), std::move(child));
 * #^   }
 * #^   kcpp::irq::SoftwareLine line;
 * #^   kcpp::platform::ChildRegistration child;  // after line: unregistered first
 * #^
 * #^  private:
 * #^   Parent(kcpp::irq::SoftwareLine l, kcpp::platform::ChildRegistration c)
 * #^       : line(std::move(l)), child(std::move(c)) {}
 * #^ };
 * #^ struct Hits {
 * #^   mutable unsigned int n = 0;
 * #^   kcpp::irq::Return handle(const kcpp::Device<kcpp::device::Bound>&) const {
 * #^     __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED);
 * #^     return kcpp::irq::Return::Handled;
 * #^   }
 * #^ };
 * #^ class Block {
 * #^  public:
 * #^   using IdInfo = int;
 * #^   static constexpr const char* NAME = "kcpp_doc_platform";
 * #^   static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
 * #^       {kcpp::platform::DeviceId::name("kcpp-doc-other"), 1},
 * #^       {kcpp::platform::DeviceId::name("kcpp-doc-plat"), 2},
 * #^   });
 * #^   static kcpp::Result<Block> probe(const kcpp::platform::Device<kcpp::device::Core>& pdev,
 * #^                                    kcpp::Option<const IdInfo*> info) {
 * #^     auto regs = KCPP_TRY(pdev.iomap_resource_sized<16>(0));
 * #^     kcpp::irq::Request req = KCPP_TRY(pdev.irq(0));
 * #^     auto irq = KCPP_TRY(kcpp::irq::Registration<Hits>::make(req, kcpp::irq::Flags(), NAME, Hits{},
 * #^                                                             kcpp::GFP_KERNEL));
 * #^     return Block(std::move(regs), std::move(irq), *info.expect("matched by the table"));
 * #^   }
 * #^   kcpp::Devres<kcpp::platform::IoMem<16>> regs;
 * #^   kcpp::KBox<kcpp::irq::Registration<Hits>> irq;
 * #^   int entry;
 * #^
 * #^  private:
 * #^   Block(kcpp::Devres<kcpp::platform::IoMem<16>> r, kcpp::KBox<kcpp::irq::Registration<Hits>> i, int e)
 * #^       : regs(std::move(r)), irq(std::move(i)), entry(e) {}
 * #^ };
 * static_assert(kcpp::platform::Driver<Block>);
 * auto testdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::REDHAT, 0x0005));
 * auto blocks = KCPP_TRY(kcpp::platform::Registration<Block>::make(kcpp::GFP_KERNEL));
 * {
 *   auto parents = KCPP_TRY(kcpp::pci::Registration<Parent>::make(kcpp::GFP_KERNEL));
 *   // SAFETY: bound while `parents` lives (nothing else unbinds it in this test).
 *   const auto& pbound = kcpp::pci::Device<kcpp::device::Bound>::unsafe_from_raw(testdev->as_raw());
 *   Parent* parent = KCPP_TRY(pbound.drvdata<Parent>());
 *   // Kept past with_device(): the parent's binding, which `parents` keeps, keeps the
 *   // child registered (with_device() alone promises no more than its call).
 *   const kcpp::platform::Device<>* dev = KCPP_TRY(parent->child.with_device(
 *       [](const kcpp::platform::Device<>& d) { return &d; }));
 *   KCPP_ASSERT_EQ(__builtin_strcmp(dev->as_device().name(), "kcpp-doc-plat.3"), 0);
 *   KCPP_ASSERT_EQ(dev->id().value_or(-1), 3);
 *   KCPP_ASSERT_EQ(KCPP_TRY(dev->mem_resource(0)).size(), 16u);
 *   KCPP_ASSERT(dev->mem_resource(1).is_err());  // only one
 *   // SAFETY: `blocks` bound it as soon as it was registered, and nothing unbinds it here.
 *   const auto& bound = kcpp::platform::Device<kcpp::device::Bound>::unsafe_from_raw(dev->as_raw());
 *   Block* block = KCPP_TRY(bound.drvdata<Block>());
 *   KCPP_ASSERT_EQ(block->entry, 2);  // the second entry matched
 *   const kcpp::platform::IoMem<16>& regs = *KCPP_TRY(block->regs.access(bound));
 *   regs.write8(0, 0x0);                       // pci-testdev: select test 0
 *   KCPP_ASSERT_EQ(regs.read32(0x4), 0x800u);  // where it wants its byte
 *   KCPP_ASSERT(regs.try_read8(16).is_err());  // the resource has 16 bytes
 *   KCPP_TRY(parent->line.trigger_sync());
 *   KCPP_TRY(parent->line.trigger_sync());
 *   KCPP_ASSERT_EQ(__atomic_load_n(&block->irq->handler().n, __ATOMIC_RELAXED), 2u);
 * }
 * // The parent unbound: its child device, and the child's binding, went first.
 * KCPP_ASSERT(!testdev->as_device().is_bound());
 * @endcode
 *
 * Contexts: identity and resource queries work on any `platform::Device`;
 * mapping memory and taking interrupts need `Device<Bound>`:
 * @code{.cpp compile_fail}
 * // compile_fail: iomap_resource_sized() needs a platform::Device<Bound>
 * auto f = [](const kcpp::platform::Device<>& pdev) { return pdev.iomap_resource_sized<16>(0); };
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: irq() needs a platform::Device<Bound>
 * auto f = [](const kcpp::platform::Device<>& pdev) { return pdev.irq(0); };
 * @endcode
 * and what needs the device lock, such as DMA masks, needs `Device<Core>`
 * (probe):
 * @code{.cpp compile_fail}
 * // compile_fail: DMA masks are set in the Core context
 * auto f = [](const kcpp::platform::Device<kcpp::device::Bound>& pdev) {
 *   return kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<32>());
 * };
 * @endcode
 * An offset beyond the mapping's compile-time size does not build:
 * @code{.cpp compile_fail}
 * // compile_fail: offset_beyond_the_compile_time_size_use_try_read_or_try_write
 * struct Regs {
 *   static kcpp::u32 read(const kcpp::platform::IoMem<16>& regs) { return regs.read32(16); }
 * };
 * @endcode
 * Probe takes the matched entry's info as an `Option`, which can be empty:
 * @code{.cpp compile_fail}
 * // compile_fail: constraints not satisfied | does not satisfy 'Driver'
 * #^ struct Wrong {
 * #^   using IdInfo = int;
 * #^   static constexpr const char* NAME = "wrong";
 * #^   static kcpp::Result<Wrong> probe(const kcpp::platform::Device<kcpp::device::Core>&, const IdInfo&);
 * #^ };
 * auto r = kcpp::platform::Registration<Wrong>::make(kcpp::GFP_KERNEL);
 * @endcode
 */
#ifndef KCPP_PLATFORM_H
#define KCPP_PLATFORM_H

// One header per concern, as for kcpp/pci.h: IDs, the device in its
// contexts (with its memory and interrupts), drivers, device registration.
#include <kcpp/acpi.h>
#include <kcpp/of.h>
#include <kcpp/platform/device.h>
#include <kcpp/platform/driver.h>
#include <kcpp/platform/id.h>
#include <kcpp/platform/registration.h>

#endif  // KCPP_PLATFORM_H
