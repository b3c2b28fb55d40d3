/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/drm.h
 * @brief DRM drivers: a device with typed data under a bound parent, a
 * typed ioctl table, per-file data and shmem-backed GEM objects.
 *
 * Wraps `include/drm/drm_drv.h`, `drm_file.h`, `drm_ioctl.h`, `drm_gem.h`
 * and `drm_gem_shmem_helper.h`.
 *
 * A DRM driver is a class @p T:
 *
 * | member | what |
 * |---|---|
 * | `Data` | the device's data, given to `Registration::make()`; lives as long as the device |
 * | `File` | one per open file: `static Result<File> open(const drm::Device<T>&)`, dropped at close |
 * | `INFO` | a `DriverInfo`: name, description, version |
 * | `FEATURES` | `Features::Render` for a render node (GEM is always on) |
 * | `IOCTLS` | `Ioctls<Ioctl<...>, ...>`: the driver's commands from `DRM_COMMAND_BASE` on |
 *
 * The driver's bus driver (an auxiliary, platform or PCI driver) registers
 * the device in its probe and keeps the `Registration` in its driver
 * data: the device is unplugged at unbind. Files opened before stay valid
 * until closed, but their ioctls get `ENODEV` from then on, and no handler
 * (nor `File::open()`) runs past the unplug, which is the registration's
 * destruction: a handler may use what the binding owns and outlives the
 * registration (declare the registration last in the driver data, and
 * tear nothing a handler uses down in `unbind()`). `Data` and `File` may be
 * destroyed after the unbind (at the last close), so they must not hold on
 * to what the binding owns; nor may `Data` own a GEM object, which holds
 * its device: the two would keep each other forever.
 *
 * Each ioctl entry names its uapi struct, and its handler takes exactly
 * that struct, already copied in (and copied out after), sized and
 * zero-filled by the DRM core; kcpp checks at compile time that the
 * command encodes the struct's size, that the table has no gap, and that
 * every handler is the table's driver's.
 *
 * GEM objects are shmem-backed (`gem::Object<T>::make_shmem()`), counted
 * by `ARef`, and named by per-file handles; an object goes when its last
 * reference and handle do. Closing a file drops its handles.
 *
 * `CONFIG_DRM` is required (`=y` for built-in code), and
 * `CONFIG_DRM_GEM_SHMEM_HELPER` for the objects (a module that makes them
 * depends on `drm_shmem_helper.ko`).
 *
 * @par Examples
 * A driver with one ioctl that adds to a per-file counter, on a platform
 * device (tests/drm_test.cpp opens it and calls its ioctls as user space
 * does; drivers/nova/drm is nova-drm):
 * @code{.cpp}
 * #^ struct Add {
 * #^   kcpp::u64 amount;
 * #^   kcpp::u64 total;
 * #^ };
 * #^ struct Counter {
 * #^   struct Data {
 * #^     kcpp::u64 start;
 * #^   };
 * #^   class File {
 * #^    public:
 * #^     static kcpp::Result<File> open(const kcpp::drm::Device<Counter>& dev) {
 * #^       return File(dev.data().start);
 * #^     }
 * #^     mutable kcpp::u64 total;
 * #^
 * #^    private:
 * #^     explicit File(kcpp::u64 t) : total(t) {}
 * #^   };
 * #^   static kcpp::Result<kcpp::u32> add(const kcpp::drm::Device<Counter>&, Add& arg,
 * #^                                      const kcpp::drm::File<Counter>& file) {
 * #^     // Threads may share a file: its data is shared too.
 * #^     arg.total = __atomic_add_fetch(&file.data().total, arg.amount, __ATOMIC_RELAXED);
 * #^     return 0;
 * #^   }
 * #^   static constexpr kcpp::drm::DriverInfo INFO = {1, 2, 3, "kcpp_doc", "kcpp doc counter"};
 * #^   static constexpr kcpp::drm::Features FEATURES = kcpp::drm::Features::Render;
 * #^   using IOCTLS = kcpp::drm::Ioctls<kcpp::drm::Ioctl<"ADD", kcpp::drm::iowr<Add>(0), Add,
 * #^                                                     kcpp::drm::IoctlFlags::RenderAllow, &add>>;
 * #^ };
 * #^ struct Host {
 * #^   using IdInfo = kcpp::platform::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_drm";
 * #^   static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
 * #^       {kcpp::platform::DeviceId::name("kcpp-doc-drm"), {}},
 * #^   });
 * #^   static kcpp::Result<Host> probe(const kcpp::platform::Device<kcpp::device::Core>& pdev,
 * #^                                   kcpp::Option<const IdInfo*>) {
 * #^     return Host{KCPP_TRY(kcpp::drm::Registration<Counter>::make(pdev, Counter::Data{100},
 * #^                                                                  kcpp::GFP_KERNEL))};
 * #^   }
 * #^   kcpp::drm::Registration<Counter> drm;
 * #^ };
 * static_assert(kcpp::drm::Driver<Counter>);
 * // DRM_IOWR(DRM_COMMAND_BASE + 0, 16 bytes), as C's macros make it.
 * static_assert(kcpp::drm::iowr<Add>(0) == 0xc0106440u);
 * auto hosts = KCPP_TRY(kcpp::platform::Registration<Host>::make(kcpp::GFP_KERNEL));
 * auto pdev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-doc-drm", kcpp::platform::NO_ID));
 * // SAFETY: `hosts` bound it at registration, and nothing unbinds it here.
 * const auto& bound = kcpp::platform::Device<kcpp::device::Bound>::unsafe_from_raw(pdev.device().as_raw());
 * const kcpp::drm::Device<Counter>& dev = KCPP_TRY(bound.drvdata<Host>())->drm.device();
 * KCPP_ASSERT_GE(dev.render_minor(), 128);
 * KCPP_ASSERT_EQ(dev.data().start, 100u);
 * // GEM objects: whole pages, never empty.
 * auto obj = KCPP_TRY(kcpp::drm::gem::Object<Counter>::make_shmem(dev, 5000, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(obj->size(), 8192u);
 * KCPP_ASSERT_EQ(&obj->device(), &dev);
 * using Obj = kcpp::drm::gem::Object<Counter>;
 * KCPP_ASSERT_EQ(Obj::make_shmem(dev, 0, kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(Obj::make_shmem(dev, ~kcpp::u64(0), kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(Obj::make_shmem(dev, 4096, kcpp::GFP_ATOMIC).error(), kcpp::code::EINVAL);
 * @endcode
 *
 * A handler takes the argument type its entry names:
 * @code{.cpp compile_fail}
 * // compile_fail: takes another argument type than its entry names
 * #^ struct Big {
 * #^   kcpp::u64 a, b;
 * #^ };
 * #^ struct Small {
 * #^   kcpp::u32 a;
 * #^ };
 * #^ struct D;
 * #^ kcpp::Result<kcpp::u32> h(const kcpp::drm::Device<D>&, Small&, const kcpp::drm::File<D>&);
 * using E = kcpp::drm::Ioctl<"X", kcpp::drm::iowr<Big>(0), Big, kcpp::drm::IoctlFlags::None, &h>;
 * static_assert(sizeof(E) > 0);
 * @endcode
 *
 * and the command encodes that type's size:
 * @code{.cpp compile_fail}
 * // compile_fail: encodes another size than its argument type
 * #^ struct Big {
 * #^   kcpp::u64 a, b;
 * #^ };
 * #^ struct D;
 * #^ kcpp::Result<kcpp::u32> h(const kcpp::drm::Device<D>&, Big&, const kcpp::drm::File<D>&);
 * using E = kcpp::drm::Ioctl<"X", kcpp::drm::iowr<kcpp::u32>(0), Big, kcpp::drm::IoctlFlags::None, &h>;
 * static_assert(sizeof(E) > 0);
 * @endcode
 *
 * A GEM object exists only behind its references: it cannot be copied out
 * of one (and so outlive its last reference and handle):
 * @code{.cpp compile_fail}
 * // compile_fail: deleted
 * #^ struct D;
 * #^ void keep(const kcpp::ARef<kcpp::drm::gem::Object<D>>& obj) {
 * #^   kcpp::drm::gem::Object<D> copy = *obj;
 * #^ }
 * @endcode
 */
#ifndef KCPP_DRM_H
#define KCPP_DRM_H

#include <kcpp/bindings/generated.h>

#if !KCPP_CONFIG_DRM
#error "kcpp/drm.h: the kernel is configured without CONFIG_DRM"
#endif
#if !defined(MODULE) && !KCPP_BUILTIN_DRM
#error "kcpp/drm.h: built-in code needs CONFIG_DRM=y (DRM is a module: build this code as one too)"
#endif

// One header per concern: the device and its files, the ioctl table, the
// driver and its registration, GEM objects.
#include <kcpp/drm/device.h>
#include <kcpp/drm/driver.h>
#include <kcpp/drm/gem.h>
#include <kcpp/drm/ioctl.h>

#endif  // KCPP_DRM_H
