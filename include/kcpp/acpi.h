/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/acpi.h
 * @brief ACPI match tables: `acpi::DeviceId` (a hardware ID such as
 * `"QEMU0002"`) and the ID tables of drivers (`struct acpi_device_id`,
 * laid out here and checked against C).
 *
 * Wraps `include/linux/mod_devicetable.h` (`struct acpi_device_id`) and
 * `acpi_match_device()`. A platform driver names such a table
 * `ACPI_ID_TABLE` (see kcpp/platform.h): it binds the platform devices that
 * ACPI enumerates with that `_HID` or `_CID`, and modpost turns it into
 * `acpi*:<ID>:*` aliases.
 *
 * @par Examples
 * @code{.cpp}
 * constexpr auto table = kcpp::acpi::id_table<const char*>({
 *     {kcpp::acpi::DeviceId::make("QEMU0002"), "fw_cfg"},
 *     {kcpp::acpi::DeviceId::make("PNP0501"), "16550 UART"},
 * });
 * static_assert(table.raw[0].id[7] == '2' && table.raw[0].id[8] == '\0');
 * static_assert(table.raw[1].driver_data == 1 && table.raw[2].id[0] == '\0');
 * KCPP_ASSERT_EQ(__builtin_strcmp(table.info[1], "16550 UART"), 0);
 * @endcode
 * IDs are checked at compile time: at most 15 characters of upper-case
 * letters, digits and `_`, as ACPI spells them:
 * @code{.cpp compile_fail}
 * // compile_fail: acpi_id_invalid
 * constexpr auto id = kcpp::acpi::DeviceId::make("qemu0002");
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: acpi_id_invalid
 * constexpr auto id = kcpp::acpi::DeviceId::make("ABCD0123456789ABC");
 * @endcode
 */
#ifndef KCPP_ACPI_H
#define KCPP_ACPI_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>
#include <kcpp/driver.h>

namespace kcpp::acpi {

/** @brief `struct acpi_device_id`, laid out by C++ (checked against C). */
struct RawDeviceId {
  u8 id[KCPP_ACPI_ID_LEN];    ///< The hardware ID, NUL-terminated.
  unsigned long driver_data;  ///< kcpp: the entry's index.
  u32 cls;                    ///< Class code to match (unused by kcpp: 0).
  u32 cls_msk;                ///< Which class bits to compare.
};
/// @cond KCPP_INTERNAL
static_assert(sizeof(RawDeviceId) == KCPP_SIZEOF_acpi_device_id);
static_assert(__builtin_offsetof(RawDeviceId, driver_data) == KCPP_OFFSETOF_acpi_device_id_driver_data);
static_assert(__builtin_offsetof(RawDeviceId, cls) == KCPP_OFFSETOF_acpi_device_id_cls);
static_assert(__builtin_offsetof(RawDeviceId, cls_msk) == KCPP_OFFSETOF_acpi_device_id_cls_msk);
namespace detail {
void acpi_id_invalid();
}  // namespace detail
/// @endcond

/** @brief What a driver matches: an ACPI hardware or compatible ID. */
class DeviceId {
 public:
  /** @brief Devices whose `_HID` or `_CID` is @p id. */
  static consteval DeviceId make(const char* id) {
    DeviceId d{};
    usize n = 0;
    for (const char* p = id; *p; ++p) {
      const char c = *p;
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok || n + 1 >= KCPP_ACPI_ID_LEN)
        detail::acpi_id_invalid();
      d.raw_.id[n++] = static_cast<u8>(c);
    }
    if (n == 0)
      detail::acpi_id_invalid();
    return d;
  }
  /** @brief The C form. */
  [[nodiscard]] constexpr RawDeviceId raw() const { return raw_; }

 private:
  constexpr DeviceId() : raw_{} {}
  RawDeviceId raw_;
};

/** @brief An ID and the driver's data for it. */
template <typename Info>
using IdEntry = driver::IdEntry<DeviceId, Info>;

/** @brief A driver's ACPI match table (see driver::IdTable). */
template <typename Info, usize N>
using IdTable = driver::IdTable<RawDeviceId, Info, N>;

/** @brief Builds an ACPI match table at compile time. */
template <typename Info, usize N>
consteval IdTable<Info, N> id_table(const IdEntry<Info> (&entries)[N]) {
  return driver::make_id_table<RawDeviceId, Info>(entries);
}

}  // namespace kcpp::acpi

#endif  // KCPP_ACPI_H
