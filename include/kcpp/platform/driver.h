/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/platform/driver.h
 * @brief Platform drivers: what a driver class provides (`platform::Driver`),
 * its registration with the platform bus, and the module macros.
 *
 * Part of `kcpp/platform.h`, which includes every part and opens with the
 * tour of the platform bus API; include that header, not this one.
 *
 * Wraps `struct platform_driver`, `platform_driver_register()` and
 * `MODULE_DEVICE_TABLE(platform|of|acpi, ...)`.
 */
#ifndef KCPP_PLATFORM_DRIVER_H
#define KCPP_PLATFORM_DRIVER_H

#include <kcpp/acpi.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/core/option.h>
#include <kcpp/driver.h>
#include <kcpp/module.h>
#include <kcpp/of.h>
#include <kcpp/platform/device.h>
#include <kcpp/platform/id.h>

namespace kcpp::platform {

/// @cond KCPP_INTERNAL
namespace detail {
// Each of the three tables is optional; one that is there holds IdInfo.
template <typename T>
concept NameTableOk = !requires { T::ID_TABLE; } || requires {
  { T::ID_TABLE.raw[0] } -> convertible_to<RawDeviceId>;
  { T::ID_TABLE.info[0] } -> convertible_to<const typename T::IdInfo&>;
};
template <typename T>
concept OfTableOk = !requires { T::OF_ID_TABLE; } || requires {
  { T::OF_ID_TABLE.raw[0] } -> convertible_to<of::RawDeviceId>;
  { T::OF_ID_TABLE.info[0] } -> convertible_to<const typename T::IdInfo&>;
};
template <typename T>
concept AcpiTableOk = !requires { T::ACPI_ID_TABLE; } || requires {
  { T::ACPI_ID_TABLE.raw[0] } -> convertible_to<acpi::RawDeviceId>;
  { T::ACPI_ID_TABLE.info[0] } -> convertible_to<const typename T::IdInfo&>;
};
}  // namespace detail
/// @endcond

/**
 * @brief What kcpp requires of a platform driver class @p T: `IdInfo`, a
 * `NAME`, and a static `probe(const Device<Core>&, Option<const IdInfo*>)`
 * returning `Result<T>` or an initializer of `T`. Up to three ID tables of
 * `IdInfo`, each optional: `ID_TABLE` (`platform::id_table()`, by device
 * name), `OF_ID_TABLE` (`of::id_table()`) and `ACPI_ID_TABLE`
 * (`acpi::id_table()`). Probe gets the info of the entry that matched, and
 * none when no entry matches: a driver with no name table binds devices
 * named as its `NAME` (with a name table it does not, as in C), and any
 * driver binds a device whose `driver_override` names it. `unbind(const Device<Core>&)`,
 * `DRIVER_DATA_GFP` and `ATTRIBUTES` are optional, as for `pci::Driver`.
 */
template <typename T>
concept Driver =
    requires {
      typename T::IdInfo;
      { T::NAME } -> convertible_to<const char*>;
    } && detail::NameTableOk<T> && detail::OfTableOk<T> && detail::AcpiTableOk<T> &&
    requires(const Device<device::Core>& dev, Option<const typename T::IdInfo*> info) {
      T::probe(dev, info);
    };

/// @cond KCPP_INTERNAL
namespace detail {
// The C tables of T for the bus (nullptr where T has none) and for modpost
// (an empty, terminator-only table where T has none).
template <typename T>
constexpr const void* name_table() {
  if constexpr (requires { T::ID_TABLE; })
    return T::ID_TABLE.raw;
  else
    return nullptr;
}
template <typename T>
constexpr const void* of_table() {
  if constexpr (requires { T::OF_ID_TABLE; })
    return T::OF_ID_TABLE.raw;
  else
    return nullptr;
}
template <typename T>
constexpr const void* acpi_table() {
  if constexpr (requires { T::ACPI_ID_TABLE; })
    return T::ACPI_ID_TABLE.raw;
  else
    return nullptr;
}
template <typename T>
consteval auto name_ids() {
  if constexpr (requires { T::ID_TABLE; })
    return driver::raw_ids(T::ID_TABLE);
  else
    return driver::RawIdArray<RawDeviceId, 0>{};
}
template <typename T>
consteval auto of_ids() {
  if constexpr (requires { T::OF_ID_TABLE; })
    return driver::raw_ids(T::OF_ID_TABLE);
  else
    return driver::RawIdArray<of::RawDeviceId, 0>{};
}
template <typename T>
consteval auto acpi_ids() {
  if constexpr (requires { T::ACPI_ID_TABLE; })
    return driver::raw_ids(T::ACPI_ID_TABLE);
  else
    return driver::RawIdArray<acpi::RawDeviceId, 0>{};
}

// The info of entry @p index of the table the shim says matched; none for
// a match by name or override; an error for an index no table of T has.
template <typename T>
Result<Option<const typename T::IdInfo*>> matched_info(int table, unsigned long index) {
  using Info = Option<const typename T::IdInfo*>;
  switch (table) {
    case KCPP_PLATFORM_MATCH_NAME:
      if constexpr (requires { T::ID_TABLE; })
        if (index < T::ID_TABLE.SIZE)
          return Info(&T::ID_TABLE.info[index]);
      break;
    case KCPP_PLATFORM_MATCH_OF:
      if constexpr (requires { T::OF_ID_TABLE; })
        if (index < T::OF_ID_TABLE.SIZE)
          return Info(&T::OF_ID_TABLE.info[index]);
      break;
    case KCPP_PLATFORM_MATCH_ACPI:
      if constexpr (requires { T::ACPI_ID_TABLE; })
        if (index < T::ACPI_ID_TABLE.SIZE)
          return Info(&T::ACPI_ID_TABLE.info[index]);
      break;
    case KCPP_PLATFORM_MATCH_NONE:
      return Info();
    default:
      break;
  }
  return code::ENODEV;
}

// The bus callbacks of driver class T.
template <typename T>
struct Adapter {
  static int probe(::platform_device* raw, int table, unsigned long index) {
    // SAFETY: the bus calls probe with the device lock held and the device
    // valid for the call: the CoreInternal context exactly.
    const auto& dev = Device<device::CoreInternal>::unsafe_from_raw(raw);
    auto info = matched_info<T>(table, index);
    if (info.is_err())
      return info.error().to_errno();
    return driver::detail::install_driver_data<T>(dev, T::probe(dev, *info));
  }
  static void remove(::platform_device* raw) {
    driver::Adapter<T, Device, RawDeviceId>::template remove<::platform_device>(raw);
  }
};

// The platform-bus side of driver::Registration.
struct Bus {
  using Handle = ::kcpp_platform_driver;
  template <typename T>
  static Handle* add(const char* name, const char* modname, Gfp gfp, int* err) {
    constexpr driver::detail::AttributeTable attrs = driver::detail::attributes_of<T>();
    return kcpp_platform_driver_register(name, modname, name_table<T>(), of_table<T>(), acpi_table<T>(),
                                         &Adapter<T>::probe, &Adapter<T>::remove, attrs.descs, attrs.count,
                                         gfp.as_raw(), err);
  }
  static void remove(Handle* h) { kcpp_platform_driver_unregister(h); }
};
}  // namespace detail
/// @endcond

/**
 * @brief The registration of platform driver @p T with the platform bus:
 * devices bind while it lives; destroying it unbinds them and unregisters.
 */
template <Driver T>
using Registration = driver::Registration<detail::Bus, T>;

}  // namespace kcpp::platform

/**
 * @brief Declares @p T's three ID tables for module autoloading
 * (`MODULE_DEVICE_TABLE(platform|of|acpi, ...)`); `modinfo` then shows
 * `platform:<name>`, `of:N*T*C<compatible>` and `acpi*:<ID>:*` aliases. A
 * table @p T does not have is declared empty.
 */
#define KCPP_PLATFORM_MODULE_DEVICE_TABLE(T)                                                            \
  KCPP_MODULE_DEVICE_TABLE_OF_(platform, ::kcpp::platform::detail::name_ids<T>(),                       \
                               KCPP_UNIQUE_ID(kcpp_platform_ids_))                                      \
  KCPP_MODULE_DEVICE_TABLE_OF_(of, ::kcpp::platform::detail::of_ids<T>(), KCPP_UNIQUE_ID(kcpp_of_ids_)) \
  KCPP_MODULE_DEVICE_TABLE_OF_(acpi, ::kcpp::platform::detail::acpi_ids<T>(), KCPP_UNIQUE_ID(kcpp_acpi_ids_))

/**
 * @brief A module whose only job is to register platform driver @p T
 * (`module_platform_driver()`), with its device tables.
 */
#define KCPP_PLATFORM_DRIVER_MODULE(T)                   \
  KCPP_DRIVER_MODULE_(::kcpp::platform::Registration<T>) \
  KCPP_PLATFORM_MODULE_DEVICE_TABLE(T)

#endif  // KCPP_PLATFORM_DRIVER_H
