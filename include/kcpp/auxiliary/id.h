/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/auxiliary/id.h
 * @brief Auxiliary device IDs: `DeviceId` (`"<module>.<name>"`) and the ID
 * tables of drivers (`struct auxiliary_device_id`, laid out here and checked
 * against C).
 *
 * Part of `kcpp/auxiliary.h`, which includes every part and opens with the
 * tour of the auxiliary bus API; include that header, not this one.
 *
 * Wraps `include/linux/mod_devicetable.h` (`struct auxiliary_device_id`).
 */
#ifndef KCPP_AUXILIARY_ID_H
#define KCPP_AUXILIARY_ID_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>
#include <kcpp/driver.h>

namespace kcpp::auxiliary {

/** @brief `struct auxiliary_device_id`, laid out by C++ (checked against C). */
struct RawDeviceId {
  char name[KCPP_AUXILIARY_NAME_SIZE];  ///< "<module>.<device name>".
  unsigned long driver_data;            ///< kcpp: the entry's index.
};
/// @cond KCPP_INTERNAL
static_assert(sizeof(RawDeviceId) == KCPP_SIZEOF_auxiliary_device_id);
static_assert(__builtin_offsetof(RawDeviceId, driver_data) == KCPP_OFFSETOF_auxiliary_device_id_driver_data);
namespace detail {
void auxiliary_device_name_too_long();
}  // namespace detail
/// @endcond

/** @brief What an auxiliary driver matches: `"<module>.<name>"`. */
class DeviceId {
 public:
  /** @brief Devices named @p name registered by module @p modname. */
  static consteval DeviceId make(const char* modname, const char* name) {
    DeviceId d{};
    usize n = 0;
    for (const char* p = modname; *p; ++p) d.push(n, *p);
    d.push(n, '.');
    for (const char* p = name; *p; ++p) d.push(n, *p);
    return d;
  }
  /** @brief The C form. */
  [[nodiscard]] constexpr RawDeviceId raw() const { return raw_; }

 private:
  constexpr DeviceId() : raw_{} {}
  constexpr void push(usize& n, char c) {
    if (n + 1 >= KCPP_AUXILIARY_NAME_SIZE)
      detail::auxiliary_device_name_too_long();
    raw_.name[n++] = c;
  }
  RawDeviceId raw_;
};

/** @brief The per-ID data of drivers that need none. */
using NoInfo = driver::NoInfo;

/** @brief An ID and the driver's data for it. */
template <typename Info>
using IdEntry = driver::IdEntry<DeviceId, Info>;

/** @brief A driver's ID table (see driver::IdTable). */
template <typename Info, usize N>
using IdTable = driver::IdTable<RawDeviceId, Info, N>;

/** @brief Builds an ID table at compile time. */
template <typename Info, usize N>
consteval IdTable<Info, N> id_table(const IdEntry<Info> (&entries)[N]) {
  return driver::make_id_table<RawDeviceId, Info>(entries);
}

}  // namespace kcpp::auxiliary

#endif  // KCPP_AUXILIARY_ID_H
