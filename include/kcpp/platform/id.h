/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/platform/id.h
 * @brief Platform device IDs by name: `platform::DeviceId` and the ID
 * tables of drivers (`struct platform_device_id`, laid out here and checked
 * against C).
 *
 * Part of `kcpp/platform.h`, which includes every part and opens with the
 * tour of the platform bus API; include that header, not this one.
 *
 * Wraps `include/linux/mod_devicetable.h` (`struct platform_device_id`).
 *
 * @par Examples
 * @code{.cpp}
 * constexpr auto table = kcpp::platform::id_table<int>({
 *     {kcpp::platform::DeviceId::name("kcpp-uart"), 16},
 *     {kcpp::platform::DeviceId::name("kcpp-uart-fifo"), 64},
 * });
 * static_assert(table.raw[1].driver_data == 1 && table.info[1] == 64);
 * static_assert(table.raw[2].name[0] == '\0');  // the terminator
 * KCPP_ASSERT_EQ(__builtin_strcmp(table.raw[1].name, "kcpp-uart-fifo"), 0);
 * @endcode
 * A name longer than the C structure holds (19 characters) is a build error:
 * @code{.cpp compile_fail}
 * // compile_fail: platform_device_name_too_long
 * constexpr auto id = kcpp::platform::DeviceId::name("kcpp-a-very-long-device-name");
 * @endcode
 */
#ifndef KCPP_PLATFORM_ID_H
#define KCPP_PLATFORM_ID_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>
#include <kcpp/driver.h>

namespace kcpp::platform {

/** @brief `struct platform_device_id`, laid out by C++ (checked against C). */
struct RawDeviceId {
  char name[KCPP_PLATFORM_NAME_SIZE];  ///< The device name to match.
  unsigned long driver_data;           ///< kcpp: the entry's index.
};
/// @cond KCPP_INTERNAL
static_assert(sizeof(RawDeviceId) == KCPP_SIZEOF_platform_device_id);
static_assert(__builtin_offsetof(RawDeviceId, driver_data) == KCPP_OFFSETOF_platform_device_id_driver_data);
namespace detail {
void platform_device_name_too_long();
void platform_device_name_empty();
}  // namespace detail
/// @endcond

/** @brief What a driver matches by name: the device's name, without its id suffix. */
class DeviceId {
 public:
  /** @brief Devices registered as @p name. */
  static consteval DeviceId name(const char* name) {
    DeviceId d{};
    usize n = 0;
    for (const char* p = name; *p; ++p) {
      if (n + 1 >= KCPP_PLATFORM_NAME_SIZE)
        detail::platform_device_name_too_long();
      d.raw_.name[n++] = *p;
    }
    if (n == 0)
      detail::platform_device_name_empty();
    return d;
  }
  /** @brief The C form. */
  [[nodiscard]] constexpr RawDeviceId raw() const { return raw_; }

 private:
  constexpr DeviceId() : raw_{} {}
  RawDeviceId raw_;
};

/** @brief The per-ID data of drivers that need none. */
using NoInfo = driver::NoInfo;

/** @brief An ID and the driver's data for it. */
template <typename Info>
using IdEntry = driver::IdEntry<DeviceId, Info>;

/** @brief A driver's name table (see driver::IdTable). */
template <typename Info, usize N>
using IdTable = driver::IdTable<RawDeviceId, Info, N>;

/** @brief Builds a name table at compile time. */
template <typename Info, usize N>
consteval IdTable<Info, N> id_table(const IdEntry<Info> (&entries)[N]) {
  return driver::make_id_table<RawDeviceId, Info>(entries);
}

}  // namespace kcpp::platform

#endif  // KCPP_PLATFORM_ID_H
