/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/auxiliary.h
 * @brief The auxiliary bus: a parent driver registers devices, another
 * driver binds them.
 *
 * Wraps `include/linux/auxiliary_bus.h`. A device named `name` with id `n`,
 * registered by module `mod`, appears as `mod.name.n` and binds a driver
 * whose ID table has `DeviceId::make("mod", "name")`.
 *
 * `auxiliary::Registration` ties the device to the parent's binding: it is
 * removed when the handle is destroyed or when the parent unbinds,
 * whichever comes first. So a bound auxiliary device always has a bound
 * parent, and `Device<Bound>::parent()` returns one.
 *
 * @par Examples
 * examples/auxiliary registers two devices from a PCI driver and binds them
 * (tests/auxiliary_test.cpp checks they bound):
 * @code{.cpp no_run}
 * #include <kcpp/auxiliary.h>
 * class Child {
 *  public:
 *   using IdInfo = kcpp::auxiliary::NoInfo;
 *   static constexpr const char* NAME = "child";
 *   static constexpr auto ID_TABLE = kcpp::auxiliary::id_table<IdInfo>({
 *       {kcpp::auxiliary::DeviceId::make("parent_mod", "child"), {}},
 *   });
 *   static kcpp::Result<Child> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev,
 *                                    const IdInfo&) {
 *     KCPP_DEV_INFO(adev, "child %u of %s\n", adev.id(), adev.parent().name());
 *     return Child();
 *   }
 * };
 * @endcode
 *
 * Run: a parent bound to QEMU's pci-testdev registers one device with
 * shared data (`make_with_data()`), a driver binds it and gets its table
 * entry's data and the parent's.
 * @code{.cpp}
 * #^ int bound_children = 0;
 * #^ struct DocInfo {
 * #^   static constexpr const char* SHARED_NAME = "kcpp-doc.info.v1";
 * #^   kcpp::u32 answer;
 * #^ };
 * #^ struct OtherInfo {
 * #^   static constexpr const char* SHARED_NAME = "kcpp-doc.other.v1";
 * #^   kcpp::u32 answer;
 * #^ };
 * #^ struct Parent {
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_aux_parent";
 * #^   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
 * #^   });
 * #^   static kcpp::Result<Parent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 * #^                                     const IdInfo&) {
 * #^     return Parent{KCPP_TRY(
 * #^         kcpp::auxiliary::Registration::make_with_data(pdev, "doc", 7, DocInfo{42}, kcpp::GFP_KERNEL))};
 * #^   }
 * #^   kcpp::auxiliary::Registration child;
 * #^ };
 * #^ struct Child {
 * #^   using IdInfo = kcpp::u32;
 * #^   static constexpr const char* NAME = "kcpp_doc_aux_child";
 * #^   static constexpr kcpp::auxiliary::IdTable<kcpp::u32, 1> ID_TABLE =
 * #^       kcpp::auxiliary::id_table<kcpp::u32>({kcpp::auxiliary::IdEntry<kcpp::u32>{
 * #^           kcpp::auxiliary::DeviceId::make(KBUILD_MODNAME, "doc"), 100}});
 * #^   static kcpp::Result<Child> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev,
 * #^                                    const kcpp::u32& base) {
 * #^     const DocInfo info = KCPP_TRY(adev.shared_data<DocInfo>());
 * #^     // Another type, even of the same layout, is refused.
 * #^     if (info.answer != 42 || adev.shared_data<OtherInfo>().error() != kcpp::code::EINVAL)
 * #^       return kcpp::code::EIO;
 * #^     bound_children++;
 * #^     return Child{base + adev.id()};
 * #^   }
 * #^   kcpp::u32 tag;
 * #^ };
 * static_assert(kcpp::auxiliary::Driver<Child>);
 * static_assert(kcpp::auxiliary::SharedData<DocInfo>);
 * kcpp::auxiliary::RawDeviceId raw = Child::ID_TABLE.raw[0];
 * KCPP_ASSERT_EQ(__builtin_strcmp(raw.name, KBUILD_MODNAME ".doc"), 0);
 * {
 *   auto parent = KCPP_TRY(kcpp::pci::Registration<Parent>::make(kcpp::GFP_KERNEL));
 *   kcpp::auxiliary::DriverRegistration<Child> child =
 *       KCPP_TRY(kcpp::auxiliary::DriverRegistration<Child>::make(kcpp::GFP_KERNEL));
 *   KCPP_ASSERT_EQ(bound_children, 1);
 * }
 * @endcode
 *
 * A name that does not fit the C table does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: auxiliary_device_name_too_long
 * constexpr auto id = kcpp::auxiliary::DeviceId::make("a_rather_long_module", "and_long_name");
 * @endcode
 */
#ifndef KCPP_AUXILIARY_H
#define KCPP_AUXILIARY_H

#include <kcpp/bindings/generated.h>

#if !KCPP_CONFIG_AUXILIARY_BUS
#error "kcpp/auxiliary.h: the kernel is configured without CONFIG_AUXILIARY_BUS"
#endif

// One header per concern, in the shape of kcpp/pci.h: IDs, the device in its
// contexts, registering a device, drivers.
#include <kcpp/auxiliary/device.h>
#include <kcpp/auxiliary/driver.h>
#include <kcpp/auxiliary/id.h>
#include <kcpp/auxiliary/registration.h>

#endif  // KCPP_AUXILIARY_H
