/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/pci/driver.h
 * @brief PCI drivers: what a driver class provides (`pci::Driver`), its
 * registration with the PCI core, and the module macros.
 *
 * Part of `kcpp/pci.h`, which includes every part and opens with the tour
 * of the PCI API; include that header, not this one.
 *
 * Wraps `struct pci_driver`, `pci_register_driver()` and
 * `MODULE_DEVICE_TABLE(pci, ...)`.
 */
#ifndef KCPP_PCI_DRIVER_H
#define KCPP_PCI_DRIVER_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/driver.h>
#include <kcpp/module.h>
#include <kcpp/pci/device.h>
#include <kcpp/pci/id.h>

namespace kcpp::pci {

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

#endif  // KCPP_PCI_DRIVER_H
