/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/pci/id.h
 * @brief PCI IDs: vendors, class codes, `DeviceId` and the ID tables of
 * drivers (`struct pci_device_id`, laid out here and checked against C).
 *
 * Part of `kcpp/pci.h`, which includes every part and opens with the tour
 * of the PCI API; include that header, not this one.
 *
 * Wraps `include/linux/mod_devicetable.h` (`struct pci_device_id`).
 */
#ifndef KCPP_PCI_ID_H
#define KCPP_PCI_ID_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/driver.h>

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
    return DeviceId({vendor.value, device, ANY, ANY, 0, 0, 0, 0});
  }
  /** @brief A class code under @p mask, any vendor. */
  static constexpr DeviceId from_class(Class c, ClassMask mask) {
    return DeviceId({ANY, ANY, ANY, ANY, c.value, static_cast<u32>(mask), 0, 0});
  }
  /** @brief A class code under @p mask from @p vendor. */
  static constexpr DeviceId from_class_and_vendor(Class c, ClassMask mask, Vendor vendor) {
    return DeviceId({vendor.value, ANY, ANY, ANY, c.value, static_cast<u32>(mask), 0, 0});
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
  static constexpr u32 ANY = static_cast<u32>(KCPP_PCI_ANY_ID);
  constexpr explicit DeviceId(RawDeviceId r) : raw_(r) {}
  RawDeviceId raw_;
};

/** @brief The per-ID data of drivers that need none. */
using NoInfo = driver::NoInfo;

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

}  // namespace kcpp::pci

#endif  // KCPP_PCI_ID_H
