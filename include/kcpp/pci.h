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
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   return pdev.config_space().read32(0x100);
 * };
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: has no member named
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   return pdev.config_space().read64(0x10);
 * };
 * @endcode
 */
#ifndef KCPP_PCI_H
#define KCPP_PCI_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/driver.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/io.h>
#include <kcpp/irq.h>
#include <kcpp/module.h>

#if !KCPP_CONFIG_PCI
#error "kcpp/pci.h: the kernel is configured without CONFIG_PCI"
#endif

namespace kcpp::pci {

/** @brief A PCI vendor ID. */
struct Vendor {
  u16 value;  ///< The 16-bit ID.
  /** @brief Red Hat (QEMU's own devices, such as pci-testdev). */
  static const Vendor REDHAT;
  /** @brief Red Hat / Qumranet (virtio). */
  static const Vendor REDHAT_QUMRANET;
  /** @brief NVIDIA. */
  static const Vendor NVIDIA;
  /** @brief Intel. */
  static const Vendor INTEL;
  /** @brief The ID of QEMU's educational and display devices (edu, bochs). */
  static const Vendor QEMU;
  /** @brief Vendors compare by ID. */
  friend constexpr bool operator==(Vendor, Vendor) = default;
};
inline constexpr Vendor Vendor::REDHAT{KCPP_PCI_VENDOR_ID_REDHAT};
inline constexpr Vendor Vendor::REDHAT_QUMRANET{0x1af4};
inline constexpr Vendor Vendor::NVIDIA{KCPP_PCI_VENDOR_ID_NVIDIA};
inline constexpr Vendor Vendor::INTEL{0x8086};
inline constexpr Vendor Vendor::QEMU{0x1234};

/** @brief A 24-bit class code: base class, subclass, programming interface. */
struct Class {
  u32 value;  ///< `(base << 16) | (sub << 8) | prog_if`.
  /** @brief VGA-compatible display controller. */
  static const Class DISPLAY_VGA;
  /** @brief 3D display controller. */
  static const Class DISPLAY_3D;
  /** @brief Other display controller. */
  static const Class DISPLAY_OTHER;
  /** @brief Unassigned class (0xff), as QEMU's pci-testdev reports. */
  static const Class OTHERS;
  /** @brief Classes compare by code. */
  friend constexpr bool operator==(Class, Class) = default;
};
inline constexpr Class Class::DISPLAY_VGA{KCPP_PCI_CLASS_DISPLAY_VGA << 8};
inline constexpr Class Class::DISPLAY_3D{KCPP_PCI_CLASS_DISPLAY_3D << 8};
inline constexpr Class Class::DISPLAY_OTHER{KCPP_PCI_CLASS_DISPLAY_OTHER << 8};
inline constexpr Class Class::OTHERS{KCPP_PCI_CLASS_OTHERS << 16};

/** @brief Which bits of the class code an ID compares. */
enum class ClassMask : u32 {
  Full = 0xffffff,           ///< Class, subclass and programming interface.
  ClassSubclass = 0xffff00,  ///< Class and subclass.
};

/** @brief `struct pci_device_id`, laid out by C++ (checked against C). */
struct RawDeviceId {
  u32 vendor;                 ///< Vendor ID or PCI_ANY_ID.
  u32 device;                 ///< Device ID or PCI_ANY_ID.
  u32 subvendor;              ///< Subsystem vendor ID or PCI_ANY_ID.
  u32 subdevice;              ///< Subsystem device ID or PCI_ANY_ID.
  u32 class_code;             ///< Class code (C: `class`).
  u32 class_mask;             ///< Which class bits to compare.
  unsigned long driver_data;  ///< kcpp: the entry's index.
  u32 override_only;          ///< Match only with driver_override.
};
/// @cond KCPP_INTERNAL
static_assert(sizeof(RawDeviceId) == KCPP_SIZEOF_pci_device_id);
static_assert(__builtin_offsetof(RawDeviceId, class_code) == KCPP_OFFSETOF_pci_device_id_class);
static_assert(__builtin_offsetof(RawDeviceId, class_mask) == KCPP_OFFSETOF_pci_device_id_class_mask);
static_assert(__builtin_offsetof(RawDeviceId, driver_data) == KCPP_OFFSETOF_pci_device_id_driver_data);
static_assert(__builtin_offsetof(RawDeviceId, override_only) == KCPP_OFFSETOF_pci_device_id_override_only);
/// @endcond

/** @brief What a driver matches: built with the named constructors. */
class DeviceId {
 public:
  /** @brief Vendor and device, any subsystem. */
  static constexpr DeviceId from_id(Vendor vendor, u16 device) {
    return DeviceId({vendor.value, device, any, any, 0, 0, 0, 0});
  }
  /** @brief A class code under @p mask, any vendor. */
  static constexpr DeviceId from_class(Class c, ClassMask mask) {
    return DeviceId({any, any, any, any, c.value, static_cast<u32>(mask), 0, 0});
  }
  /** @brief A class code under @p mask from @p vendor. */
  static constexpr DeviceId from_class_and_vendor(Class c, ClassMask mask, Vendor vendor) {
    return DeviceId({vendor.value, any, any, any, c.value, static_cast<u32>(mask), 0, 0});
  }
  /** @brief This ID restricted to one subsystem. */
  [[nodiscard]] constexpr DeviceId with_subsystem(Vendor vendor, u16 device) const {
    DeviceId d = *this;
    d.raw_.subvendor = vendor.value;
    d.raw_.subdevice = device;
    return d;
  }
  /** @brief The C form. */
  [[nodiscard]] constexpr RawDeviceId raw() const { return raw_; }

 private:
  static constexpr u32 any = static_cast<u32>(KCPP_PCI_ANY_ID);
  constexpr explicit DeviceId(RawDeviceId r) : raw_(r) {}
  RawDeviceId raw_;
};

/** @brief The per-ID data of drivers that need none. */
struct NoInfo {};

/** @brief An ID and the driver's data for it. */
template <typename Info>
using IdEntry = driver::IdEntry<DeviceId, Info>;

/**
 * @brief A driver's ID table: the zero-terminated C table (with each
 * entry's index as its `driver_data`) and the info of each entry.
 */
template <typename Info, usize N>
using IdTable = driver::IdTable<RawDeviceId, Info, N>;

/**
 * @brief Builds an ID table at compile time:
 * `pci::id_table<Info>({{id, info}, ...})`.
 */
template <typename Info, usize N>
consteval IdTable<Info, N> id_table(const IdEntry<Info> (&entries)[N]) {
  return driver::make_id_table<RawDeviceId, Info>(entries);
}

/// @cond KCPP_INTERNAL
namespace detail {
inline u8* bytes(const ::pci_dev* p) {
  // SAFETY: p is a real pci_dev (the caller's view came from one); its bytes are reached as u8,
  // which may alias any object, and only read (field(), generic()): the const is not broken.
  return reinterpret_cast<u8*>(const_cast<::pci_dev*>(p));
}
template <typename T>
T field(const ::pci_dev* p, usize off) {
  T v;
  __builtin_memcpy(&v, bytes(p) + off, sizeof(T));
  return v;
}
}  // namespace detail
/// @endcond

template <device::Context Ctx = device::Normal>
class Device;
template <usize Size>
class Bar;
template <usize Size>
class ConfigSpace;

/** @brief Interrupt types for `alloc_irq_vectors()`. */
class IrqTypes {
 public:
  /** @brief Legacy INTx. */
  static constexpr IrqTypes intx() { return IrqTypes(KCPP_PCI_IRQ_INTX); }
  /** @brief MSI. */
  static constexpr IrqTypes msi() { return IrqTypes(KCPP_PCI_IRQ_MSI); }
  /** @brief MSI-X. */
  static constexpr IrqTypes msix() { return IrqTypes(KCPP_PCI_IRQ_MSIX); }
  /** @brief Any type the device supports (MSI-X, then MSI, then INTx). */
  static constexpr IrqTypes all() { return IrqTypes(KCPP_PCI_IRQ_ALL_TYPES); }
  /** @brief Both sets. */
  friend constexpr IrqTypes operator|(IrqTypes a, IrqTypes b) { return IrqTypes(a.v_ | b.v_); }
  /** @brief The `PCI_IRQ_*` bits. */
  [[nodiscard]] constexpr unsigned int raw() const { return v_; }

 private:
  constexpr explicit IrqTypes(unsigned int v) : v_(v) {}
  unsigned int v_;
};

/** @brief Interrupt vector @p index of a bound device (see `alloc_irq_vectors()`). */
struct IrqVector {
  unsigned int index;  ///< 0 .. count - 1.
};

/**
 * @brief A PCI device with no guarantee beyond the reference: identity,
 * resource queries, reference counting.
 */
template <>
class Device<device::Normal> {
 public:
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  /**
   * @brief The device behind @p raw.
   *
   * @par Safety
   * @p raw is valid while the reference is used (bus code).
   */
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: Device is an empty view class, never constructed (protected constructors,
    // copies deleted), standing for the struct pci_dev at raw, which the caller keeps valid
    // while the reference is used; it is only ever reached through such a cast.
    return *reinterpret_cast<const Device*>(raw);
  }
  /**
   * @brief The PCI device behind a generic device; `EINVAL` if it is not on
   * the PCI bus.
   */
  template <device::Context C>
  static Result<const Device<C>*> from_device(const kcpp::Device<C>& dev) {
    if (!kcpp_dev_is_pci(dev.as_raw()))
      return code::EINVAL;
    // SAFETY: dev_is_pci() said this struct device is the dev member of a struct pci_dev, so
    // stepping back by that member's offset (from the configured kernel) finds the pci_dev.
    const auto* p = reinterpret_cast<const u8*>(dev.as_raw()) - KCPP_OFFSETOF_pci_dev_dev;
    // SAFETY: p is that pci_dev, seen through the empty view class; it is the same device as
    // dev, so it is valid as long as dev and in the same context C.
    return reinterpret_cast<const Device<C>*>(p);
  }
  /**
   * @brief The first device with @p vendor and @p device IDs present in the
   * system (`pci_get_device()`), counted; `ENODEV` if there is none.
   */
  [[nodiscard]] static Result<ARef<Device>> find(Vendor vendor, u16 device) {
    ::pci_dev* p = kcpp_pci_get_device(vendor.value, device, nullptr);
    if (!p)
      return code::ENODEV;
    // SAFETY: pci_get_device() returned p with a reference for us.
    return ARef<Device>::unsafe_adopt(const_cast<Device*>(&unsafe_from_raw(p)));
  }
  /** @brief The C device. */
  [[nodiscard]] ::pci_dev* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() or from_device() of a real pci_dev, so the cast
    // gives that pointer back; the const was the view's only: a pci_dev is never defined const.
    return reinterpret_cast<::pci_dev*>(const_cast<Device*>(this));
  }
  /** @brief The embedded generic device. */
  [[nodiscard]] const kcpp::Device<>& as_device() const { return generic<device::Normal>(); }

  /** @brief The vendor ID. */
  [[nodiscard]] Vendor vendor_id() const {
    return {detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_vendor)};
  }
  /** @brief The device ID. */
  [[nodiscard]] u16 device_id() const { return detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_device); }
  /** @brief The subsystem vendor ID. */
  [[nodiscard]] u16 subsystem_vendor_id() const {
    return detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_subsystem_vendor);
  }
  /** @brief The subsystem device ID. */
  [[nodiscard]] u16 subsystem_device_id() const {
    return detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_subsystem_device);
  }
  /** @brief The revision ID. */
  [[nodiscard]] u8 revision_id() const { return detail::field<u8>(as_raw(), KCPP_OFFSETOF_pci_dev_revision); }
  /** @brief The 24-bit class code. */
  [[nodiscard]] Class class_code() const {
    return {detail::field<u32>(as_raw(), KCPP_OFFSETOF_pci_dev_class) & 0xffffff};
  }
  /** @brief Start of resource @p bar (`EINVAL` for a bad index). */
  [[nodiscard]] Result<u64> resource_start(int bar) const {
    if (bar < 0 || bar >= KCPP_PCI_NUM_RESOURCES)
      return code::EINVAL;
    return kcpp_pci_resource_start(as_raw(), bar);
  }
  /** @brief Length of resource @p bar, 0 if unused (`EINVAL` for a bad index). */
  [[nodiscard]] Result<u64> resource_len(int bar) const {
    if (bar < 0 || bar >= KCPP_PCI_NUM_RESOURCES)
      return code::EINVAL;
    return kcpp_pci_resource_len(as_raw(), bar);
  }
  /** @brief `IORESOURCE_*` flags of resource @p bar (`EINVAL` for a bad index). */
  [[nodiscard]] Result<unsigned long> resource_flags(int bar) const {
    if (bar < 0 || bar >= KCPP_PCI_NUM_RESOURCES)
      return code::EINVAL;
    return kcpp_pci_resource_flags(as_raw(), bar);
  }
  /** @brief A counted reference (keeps the device, not its binding). */
  [[nodiscard]] ARef<Device> get() const { return ARef<Device>::from(*this); }

  /// @cond KCPP_INTERNAL
  void inc_ref() const { kcpp_pci_dev_get(as_raw()); }
  static void dec_ref(Device* d) { kcpp_pci_dev_put(d->as_raw()); }

  // Present in the weaker contexts only to say why a call does not compile.
  template <usize Size, typename T = void>
  Result<Devres<Bar<Size>>> iomap_region_sized(int, const char*) const {
    static_assert(dependent_false<T>,
                  "kcpp: iomap_region_sized() needs a pci::Device<Bound>: resources are tied to "
                  "a binding (call it from probe or with the bound device in hand)");
    return code::EINVAL;
  }
  template <typename T = void>
  void config_space() const {
    static_assert(dependent_false<T>, "kcpp: config_space() needs a pci::Device<Bound>");
  }
  template <typename T = void>
  Result<unsigned int> alloc_irq_vectors(unsigned int, unsigned int, IrqTypes) const {
    static_assert(dependent_false<T>, "kcpp: alloc_irq_vectors() needs a pci::Device<Bound>");
    return code::EINVAL;
  }
  template <typename T = void>
  Result<void> enable_device_mem() const {
    static_assert(dependent_false<T>,
                  "kcpp: enable_device_mem() needs a pci::Device<Core>: only bus callbacks "
                  "(probe) hold the device lock it needs");
    return code::EINVAL;
  }
  template <typename T = void>
  void set_master() const {
    static_assert(dependent_false<T>,
                  "kcpp: set_master() needs a pci::Device<Core>: only bus callbacks (probe) hold "
                  "the device lock it needs");
  }
  /// @endcond

 protected:
  Device() = default;
  ~Device() = default;
  /// @cond KCPP_INTERNAL
  template <device::Context C>
  const kcpp::Device<C>& generic() const {
    // SAFETY: the struct device embedded in this pci_dev (offset from the
    // configured kernel), in the same context as this reference.
    return kcpp::Device<C>::unsafe_from_raw(
        reinterpret_cast<const ::device*>(detail::bytes(as_raw()) + KCPP_OFFSETOF_pci_dev_dev));
  }
  /// @endcond
};

/**
 * @brief A PCI device whose driver stays bound while the reference lives:
 * BAR mappings, config space, interrupt vectors, driver data.
 */
template <>
class Device<device::Bound> : public Device<device::Normal> {
 public:
  /**
   * @brief The bound device behind @p raw.
   *
   * @par Safety
   * @p raw is a valid device, and a driver stays bound to it for as long as
   * the reference is used (a bus callback, or code the driver's binding
   * outlives).
   */
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: an empty, never constructed view like its base (no members added), over the
    // caller's valid pci_dev; the caller also vouches that a driver stays bound to it while
    // the reference is used, which as_device() passes on.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, bound. */
  [[nodiscard]] const kcpp::Device<device::Bound>& as_device() const { return generic<device::Bound>(); }

  /**
   * @brief Requests and maps BAR @p bar, whose first @p Size bytes are then
   * accessible with compile-time-checked offsets (the whole BAR with
   * `try_` accessors). Unmapped and released at unbind, or when the handle
   * goes first. `EINVAL` for a bad index, a BAR that is not memory or is
   * smaller than @p Size; `EBUSY` if another driver holds the region.
   */
  template <usize Size>
  [[nodiscard]] Result<Devres<Bar<Size>>> iomap_region_sized(int bar, const char* name) const;
  /** @brief `iomap_region_sized<0>()`: every access runtime-checked. */
  [[nodiscard]] Result<Devres<Bar<0>>> iomap_region(int bar, const char* name) const;

  /** @brief The standard 256-byte configuration space. */
  [[nodiscard]] ConfigSpace<KCPP_PCI_CFG_SPACE_SIZE> config_space() const;
  /** @brief The 4 KiB extended configuration space (`EINVAL` if the device has none). */
  [[nodiscard]] Result<ConfigSpace<KCPP_PCI_CFG_SPACE_EXP_SIZE>> config_space_extended() const;

  /**
   * @brief Allocates between @p min and @p max interrupt vectors of the
   * given @p types; returns how many. Freed at unbind.
   */
  [[nodiscard]] Result<unsigned int> alloc_irq_vectors(unsigned int min, unsigned int max,
                                                       IrqTypes types) const {
    int n = kcpp_pci_alloc_irq_vectors(as_raw(), min, max, types.raw());
    if (n < 0)
      return Error::from_errno(n);
    auto free = [](void* p) { kcpp_pci_free_irq_vectors(static_cast<::pci_dev*>(p)); };
    // GFP_KERNEL: pci_alloc_irq_vectors() has just allocated the same way.
    Result<void> r =
        to_result(kcpp_devres_add(as_device().as_raw(), free, as_raw(), KCPP_GFP_KERNEL, KCPP_NUMA_NO_NODE));
    if (r.is_err()) {
      free(as_raw());
      return r.error();
    }
    return static_cast<unsigned int>(n);
  }
  /** @brief The interrupt line of vector @p v, to request a handler on. */
  [[nodiscard]] Result<irq::Request> irq_request(IrqVector v) const {
    int irq = kcpp_pci_irq_vector(as_raw(), v.index);
    if (irq < 0)
      return Error::from_errno(irq);
    // SAFETY: pci_irq_vector() gave this device's vector; vectors are freed
    // at unbind, after the handlers (devres order).
    return irq::Request::unsafe_new(as_device(), static_cast<unsigned int>(irq));
  }

  /** @brief The driver's data (see `kcpp::Device<Bound>::drvdata()`). */
  template <typename T>
  [[nodiscard]] Result<T*> drvdata() const {
    return as_device().template drvdata<T>();
  }

  /// @cond KCPP_INTERNAL
  static void dec_ref(Device*) = delete;  // ARef exists for Device<Normal> only
                                          /// @endcond

 protected:
  Device() = default;
  ~Device() = default;
};

/** @brief A PCI device inside a bus callback (probe, remove). */
template <>
class Device<device::Core> : public Device<device::Bound> {
 public:
  /**
   * @brief The device behind @p raw, in a bus callback.
   *
   * @par Safety
   * @p raw is a valid device and the caller is a bus callback (probe,
   * remove) that holds the device lock while the reference is used.
   */
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // pci_dev; the caller vouches that it runs in a bus callback under the device lock.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, in the core context. */
  [[nodiscard]] const kcpp::Device<device::Core>& as_device() const { return generic<device::Core>(); }
  /**
   * @brief Enables the device's memory decoding (`pci_enable_device_mem()`);
   * it is disabled again at unbind.
   */
  [[nodiscard]] Result<void> enable_device_mem() const {
    KCPP_TRY(to_result(kcpp_pci_enable_device_mem(as_raw())));
    auto disable = [](void* p) { kcpp_pci_disable_device(static_cast<::pci_dev*>(p)); };
    // GFP_KERNEL: probe runs in process context, and enabling may sleep.
    Result<void> r = to_result(
        kcpp_devres_add(as_device().as_raw(), disable, as_raw(), KCPP_GFP_KERNEL, KCPP_NUMA_NO_NODE));
    if (r.is_err())
      disable(as_raw());
    return r;
  }
  /** @brief Enables bus mastering (DMA) (`pci_set_master()`). */
  void set_master() const { kcpp_pci_set_master(as_raw()); }
  /** @brief Disables bus mastering (`pci_clear_master()`). */
  void clear_master() const { kcpp_pci_clear_master(as_raw()); }

 protected:
  Device() = default;
  ~Device() = default;
};

/** @brief The core context as kcpp's adapter sees it. */
template <>
class Device<device::CoreInternal> : public Device<device::Core> {
 public:
  /**
   * @brief The device behind @p raw, for kcpp's bus code.
   *
   * @par Safety
   * As for Core: @p raw is the device of a probe or remove callback that
   * kcpp's bus adapter is running, with the device lock held.
   */
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // pci_dev; only driver::Adapter calls it, from probe and remove, under the device lock.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, in the internal core context. */
  [[nodiscard]] const kcpp::Device<device::CoreInternal>& as_device() const {
    return generic<device::CoreInternal>();
  }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief A mapped, requested memory BAR: the `io::Mmio<Size>` accessors over
 * the whole BAR. Lives in a `Devres` (see `Device<Bound>::iomap_region_sized()`).
 */
template <usize Size>
class Bar : public io::Mmio<Size> {
 public:
  Bar(const Bar&) = delete;
  Bar& operator=(const Bar&) = delete;
  /** @brief Unmaps and releases the region. */
  ~Bar() { kcpp_pci_iounmap_region(pdev_->as_raw(), index_, this->addr()); }
  /** @brief The BAR's index. */
  [[nodiscard]] int index() const { return index_; }

 private:
  friend class Device<device::Bound>;
  Bar(const Device<>& pdev, int index, void* addr, usize len)
      : io::Mmio<Size>(addr, len), pdev_(pdev.get()), index_(index) {}
  ARef<Device<>> pdev_;
  int index_;
};

template <usize Size>
Result<Devres<Bar<Size>>> Device<device::Bound>::iomap_region_sized(int bar, const char* name) const {
  auto init = init::from_fn<Bar<Size>>([this, bar, name](Bar<Size>* slot) -> Result<void> {
    if (bar < 0 || bar >= KCPP_PCI_STD_NUM_BARS)
      return code::EINVAL;
    const u64 len = kcpp_pci_resource_len(as_raw(), bar);
    if (!(kcpp_pci_resource_flags(as_raw(), bar) & KCPP_IORESOURCE_MEM) || len == 0 || len < Size)
      return code::EINVAL;
    int err = 0;
    void* addr = kcpp_pci_iomap_region(as_raw(), bar, name, &err);
    if (!addr)
      return Error::from_errno(err);
    new (slot) Bar<Size>(*this, bar, addr, static_cast<usize>(len));
    return {};
  });
  // GFP_KERNEL: ioremap() of the region allocates the same way. The
  // mapping's state lives on the device's node, as its driver data does.
  return Devres<Bar<Size>>::make(as_device(), std::move(init), GFP_KERNEL, as_device().numa_node());
}

inline Result<Devres<Bar<0>>> Device<device::Bound>::iomap_region(int bar, const char* name) const {
  return iomap_region_sized<0>(bar, name);
}

/**
 * @brief The configuration space of a bound device: 8, 16 and 32-bit
 * accesses (there is no 64-bit one), constant offsets checked against
 * @p Size at compile time. Must not outlive the `Device<Bound>` it came
 * from. Reads of a device that went away return all ones, as in C.
 *
 * Not copyable, so that it is not duplicated by accident (it can still be
 * moved, which is how `config_space()` returns it; keeping it beyond the
 * bound device is the caller's error):
 * @code{.cpp compile_fail}
 * // compile_fail: use of deleted function
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   const auto cfg = pdev.config_space();
 *   auto copy = cfg;
 *   return copy.read8(0);
 * };
 * @endcode
 */
template <usize Size>
class ConfigSpace {
 public:
  /** @brief The size known at compile time. */
  static constexpr usize min_size = Size;
  /** @brief Reads a byte. */
  [[nodiscard]] u8 read8(io::Offset<u8, Size> off) const { return static_cast<u8>(raw_read(off.value, 1)); }
  /** @brief Reads a 16-bit word. */
  [[nodiscard]] u16 read16(io::Offset<u16, Size> off) const {
    return static_cast<u16>(raw_read(off.value, 2));
  }
  /** @brief Reads a 32-bit word. */
  [[nodiscard]] u32 read32(io::Offset<u32, Size> off) const { return raw_read(off.value, 4); }
  /** @brief Writes a byte; the errno of the PCI core (`pcibios_err_to_errno()`) on failure. */
  [[nodiscard]] Result<void> write8(u8 v, io::Offset<u8, Size> off) const {
    return to_result(kcpp_pci_write_config(pdev_, int(off.value), 1, v));
  }
  /** @brief Writes a 16-bit word (see `write8()`). */
  [[nodiscard]] Result<void> write16(u16 v, io::Offset<u16, Size> off) const {
    return to_result(kcpp_pci_write_config(pdev_, int(off.value), 2, v));
  }
  /** @brief Writes a 32-bit word (see `write8()`). */
  [[nodiscard]] Result<void> write32(u32 v, io::Offset<u32, Size> off) const {
    return to_result(kcpp_pci_write_config(pdev_, int(off.value), 4, v));
  }
  /** @brief Runtime-checked read of a @p W (u8, u16 or u32). */
  template <typename W>
    requires same_as<W, u8> || same_as<W, u16> || same_as<W, u32>
  [[nodiscard]] Result<W> try_read(usize off) const {
    if (!io::detail::offset_ok(off, sizeof(W), size_))
      return code::EINVAL;
    unsigned int v = 0;
    KCPP_TRY(to_result(kcpp_pci_read_config(pdev_, int(off), sizeof(W), &v)));
    return static_cast<W>(v);
  }
  /** @brief Runtime-checked write of a @p W (u8, u16 or u32). */
  template <typename W>
    requires same_as<W, u8> || same_as<W, u16> || same_as<W, u32>
  [[nodiscard]] Result<void> try_write(W v, usize off) const {
    if (!io::detail::offset_ok(off, sizeof(W), size_))
      return code::EINVAL;
    return to_result(kcpp_pci_write_config(pdev_, int(off), sizeof(W), v));
  }
  /// @cond KCPP_INTERNAL
  // Typed registers (kcpp/io/register.h) over config space.
  template <typename W, usize Off>
  [[nodiscard]] W read_at() const {
    static_assert(io::detail::offset_ok(Off, sizeof(W), Size) && sizeof(W) <= 4,
                  "kcpp: config register beyond the config space, misaligned or 64-bit");
    return static_cast<W>(raw_read(Off, sizeof(W)));
  }
  template <typename W, usize Off>
  [[nodiscard]] Result<void> write_at(W v) const {
    static_assert(io::detail::offset_ok(Off, sizeof(W), Size) && sizeof(W) <= 4,
                  "kcpp: config register beyond the config space, misaligned or 64-bit");
    return to_result(kcpp_pci_write_config(pdev_, int(Off), sizeof(W), v));
  }
  /// @endcond

 private:
  friend class Device<device::Bound>;
  ConfigSpace(::pci_dev* pdev, usize size) : pdev_(pdev), size_(size) {}
  // Not copyable: a copy would keep the raw pci_dev pointer beyond the
  // expression that produced it. Moving (returning it) is allowed.
  ConfigSpace(const ConfigSpace&) = delete;
  ConfigSpace& operator=(const ConfigSpace&) = delete;

 public:
  /** @brief Moves the view (returning it from `config_space()`). */
  ConfigSpace(ConfigSpace&&) noexcept = default;
  ConfigSpace& operator=(ConfigSpace&&) = delete;

 private:
  u32 raw_read(usize off, int width) const {
    unsigned int v = ~0u;
    if (kcpp_pci_read_config(pdev_, int(off), width, &v) != 0)
      v = ~0u;
    return v;
  }
  ::pci_dev* pdev_;
  usize size_;
};

inline ConfigSpace<KCPP_PCI_CFG_SPACE_SIZE> Device<device::Bound>::config_space() const {
  return ConfigSpace<KCPP_PCI_CFG_SPACE_SIZE>(as_raw(), KCPP_PCI_CFG_SPACE_SIZE);
}

inline Result<ConfigSpace<KCPP_PCI_CFG_SPACE_EXP_SIZE>> Device<device::Bound>::config_space_extended() const {
  if (kcpp_pci_cfg_size(as_raw()) < KCPP_PCI_CFG_SPACE_EXP_SIZE)
    return code::EINVAL;
  return ConfigSpace<KCPP_PCI_CFG_SPACE_EXP_SIZE>(as_raw(), KCPP_PCI_CFG_SPACE_EXP_SIZE);
}

/**
 * @brief What kcpp requires of a PCI driver class @p T: `IdInfo`, a
 * `NAME`, an `ID_TABLE` of `IdInfo`, and a static `probe(const
 * Device<Core>&, const IdInfo&)` returning `Result<T>` or an initializer of
 * `T`. An `unbind(const Device<Core>&)` member is optional, and so is a
 * `static constexpr Gfp DRIVER_DATA_GFP`: the flags the driver data (the
 * object probe returned) is allocated with, on the device's NUMA node
 * (GFP_KERNEL when absent).
 */
template <typename T>
concept Driver = requires {
  typename T::IdInfo;
  { T::NAME } -> convertible_to<const char*>;
  { T::ID_TABLE.raw[0] } -> convertible_to<RawDeviceId>;
  { T::ID_TABLE.info[0] } -> convertible_to<const typename T::IdInfo&>;
} && requires(const Device<device::Core>& dev, const typename T::IdInfo& info) { T::probe(dev, info); };

/// @cond KCPP_INTERNAL
namespace detail {
// The PCI side of driver::Registration.
struct Bus {
  using Handle = ::kcpp_pci_driver;
  template <typename T>
  static Handle* add(const char* name, const char* modname, Gfp gfp, int* err) {
    using A = driver::Adapter<T, Device, RawDeviceId>;
    constexpr driver::detail::AttributeTable attrs = driver::detail::attributes_of<T>();
    return kcpp_pci_driver_register(name, modname, T::ID_TABLE.raw, &A::template probe<::pci_dev>,
                                    &A::template remove<::pci_dev>, attrs.descs, attrs.count, gfp.as_raw(),
                                    err);
  }
  static void remove(Handle* h) { kcpp_pci_driver_unregister(h); }
};
}  // namespace detail
/// @endcond

/**
 * @brief The registration of PCI driver @p T with the PCI core: devices
 * bind while it lives; destroying it unbinds them and unregisters.
 */
template <Driver T>
using Registration = driver::Registration<detail::Bus, T>;

}  // namespace kcpp::pci

/**
 * @brief Declares @p T's ID table for module autoloading
 * (`MODULE_DEVICE_TABLE(pci, ...)`); `modinfo` then shows its aliases.
 */
#define KCPP_PCI_MODULE_DEVICE_TABLE(T) KCPP_MODULE_DEVICE_TABLE_(pci, T, KCPP_UNIQUE_ID(kcpp_pci_ids_))

/**
 * @brief A module whose only job is to register PCI driver @p T
 * (`module_pci_driver()`), with its device table.
 */
#define KCPP_PCI_DRIVER_MODULE(T)                   \
  KCPP_DRIVER_MODULE_(::kcpp::pci::Registration<T>) \
  KCPP_PCI_MODULE_DEVICE_TABLE(T)

#endif  // KCPP_PCI_H
