/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/auxiliary/driver.h
 * @brief Auxiliary drivers: the `Driver` concept, the driver registration
 * and the module macros.
 *
 * Part of `kcpp/auxiliary.h`, which includes every part and opens with the
 * tour of the auxiliary bus API; include that header, not this one.
 *
 * Wraps `auxiliary_driver_register()` and `module_auxiliary_driver()`.
 */
#ifndef KCPP_AUXILIARY_DRIVER_H
#define KCPP_AUXILIARY_DRIVER_H

#include <kcpp/auxiliary/device.h>
#include <kcpp/auxiliary/id.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/macros.h>
#include <kcpp/driver.h>
#include <kcpp/module.h>

namespace kcpp::auxiliary {

/** @brief What kcpp requires of an auxiliary driver class (see pci::Driver). */
template <typename T>
concept Driver = requires {
  typename T::IdInfo;
  { T::NAME } -> convertible_to<const char*>;
  { T::ID_TABLE.raw[0] } -> convertible_to<RawDeviceId>;
  { T::ID_TABLE.info[0] } -> convertible_to<const typename T::IdInfo&>;
} && requires(const Device<device::Core>& dev, const typename T::IdInfo& info) { T::probe(dev, info); };

/// @cond KCPP_INTERNAL
namespace detail {
// The auxiliary-bus side of driver::Registration.
struct Bus {
  using Handle = ::kcpp_auxiliary_driver;
  template <typename T>
  static Handle* add(const char* name, const char* modname, Gfp gfp, int* err) {
    using A = driver::Adapter<T, Device, RawDeviceId>;
    constexpr driver::detail::AttributeTable attrs = driver::detail::attributes_of<T>();
    return kcpp_auxiliary_driver_register(
        name, modname, T::ID_TABLE.raw, &A::template probe<::auxiliary_device>,
        &A::template remove<::auxiliary_device>, attrs.descs, attrs.count, gfp.as_raw(), err);
  }
  static void remove(Handle* h) { kcpp_auxiliary_driver_unregister(h); }
};
}  // namespace detail
/// @endcond

/** @brief The registration of auxiliary driver @p T; unregisters on destruction. */
template <Driver T>
using DriverRegistration = driver::Registration<detail::Bus, T>;

}  // namespace kcpp::auxiliary

/** @brief Declares @p T's ID table for module autoloading. */
#define KCPP_AUXILIARY_MODULE_DEVICE_TABLE(T) \
  KCPP_MODULE_DEVICE_TABLE_(auxiliary, T, KCPP_UNIQUE_ID(kcpp_aux_ids_))

/**
 * @brief A module whose only job is to register auxiliary driver @p T
 * (`module_auxiliary_driver()`), with its device table.
 */
#define KCPP_AUXILIARY_DRIVER_MODULE(T)                         \
  KCPP_DRIVER_MODULE_(::kcpp::auxiliary::DriverRegistration<T>) \
  KCPP_AUXILIARY_MODULE_DEVICE_TABLE(T)

#endif  // KCPP_AUXILIARY_DRIVER_H
