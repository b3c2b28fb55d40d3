/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/of.h
 * @brief Open Firmware (device tree) match tables: `of::DeviceId` (a
 * `compatible` string) and the ID tables of drivers (`struct of_device_id`,
 * laid out here and checked against C).
 *
 * Wraps `include/linux/mod_devicetable.h` (`struct of_device_id`) and
 * `of_match_device()`. A platform driver names such a table
 * `OF_ID_TABLE` (see kcpp/platform.h); modpost turns it into `of:N*T*C<compatible>`
 * aliases. A kernel without `CONFIG_OF`, or a machine without a device tree
 * (x86 PCs), never matches an OF entry.
 *
 * @par Examples
 * @code{.cpp}
 * constexpr auto table = kcpp::of::id_table<int>({
 *     {kcpp::of::DeviceId::compatible("vendor,uart"), 1},
 *     {kcpp::of::DeviceId::compatible("vendor,uart-v2"), 2},
 * });
 * static_assert(decltype(table)::SIZE == 2 && table.info[1] == 2);
 * static_assert(table.raw[1].compatible[13] == '2' && table.raw[1].driver_data == 1);
 * static_assert(table.raw[2].compatible[0] == '\0');  // the terminator
 * KCPP_ASSERT_EQ(__builtin_strcmp(table.raw[0].compatible, "vendor,uart"), 0);
 * @endcode
 * A compatible string that does not fit the C structure is a build error:
 * @code{.cpp compile_fail}
 * // compile_fail: of_compatible_too_long
 * constexpr auto id = kcpp::of::DeviceId::compatible(
 *     "vendor,a-compatible-string-much-longer-than-the-one-hundred-and-twenty-eight-bytes-"
 *     "that-struct-of_device_id-keeps-for-it-in-its-compatible-member-xxxxxxxxxxx");
 * @endcode
 */
#ifndef KCPP_OF_H
#define KCPP_OF_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>
#include <kcpp/driver.h>

namespace kcpp::of {

/**
 * @brief `struct of_device_id`, laid out by C++ (checked against C). The C
 * member `data` (a pointer) holds the entry's index, as an integer.
 */
struct RawDeviceId {
  char name[32];              ///< Node name to match (unused by kcpp: empty).
  char type[32];              ///< Device type to match (unused by kcpp: empty).
  char compatible[128];       ///< The `compatible` string.
  unsigned long driver_data;  ///< C: `const void *data`; kcpp: the entry's index.
};
/// @cond KCPP_INTERNAL
static_assert(sizeof(RawDeviceId) == KCPP_SIZEOF_of_device_id);
static_assert(__builtin_offsetof(RawDeviceId, type) == KCPP_OFFSETOF_of_device_id_type);
static_assert(__builtin_offsetof(RawDeviceId, compatible) == KCPP_OFFSETOF_of_device_id_compatible);
static_assert(__builtin_offsetof(RawDeviceId, driver_data) == KCPP_OFFSETOF_of_device_id_data);
static_assert(sizeof(unsigned long) == sizeof(void*));
namespace detail {
void of_compatible_too_long();
void of_compatible_empty();
}  // namespace detail
/// @endcond

/** @brief What a driver matches in a device-tree node: its `compatible` string. */
class DeviceId {
 public:
  /** @brief Nodes compatible with @p compatible (`"vendor,device"`). */
  static consteval DeviceId compatible(const char* compatible) {
    DeviceId d{};
    usize n = 0;
    for (const char* p = compatible; *p; ++p) {
      if (n + 1 >= sizeof(d.raw_.compatible))
        detail::of_compatible_too_long();
      d.raw_.compatible[n++] = *p;
    }
    if (n == 0)
      detail::of_compatible_empty();
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

/** @brief A driver's OF match table (see driver::IdTable). */
template <typename Info, usize N>
using IdTable = driver::IdTable<RawDeviceId, Info, N>;

/** @brief Builds an OF match table at compile time. */
template <typename Info, usize N>
consteval IdTable<Info, N> id_table(const IdEntry<Info> (&entries)[N]) {
  return driver::make_id_table<RawDeviceId, Info>(entries);
}

}  // namespace kcpp::of

#endif  // KCPP_OF_H
