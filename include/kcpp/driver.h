/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/driver.h
 * @brief What every bus's drivers share: ID tables with per-entry data, and
 * the adapter between the bus's C callbacks and a driver class.
 *
 * Wraps the pattern of `include/linux/mod_devicetable.h` (zero-terminated
 * ID tables whose `driver_data` kcpp uses as the entry's index) and of the
 * bus `probe`/`remove` callbacks. Bus headers (kcpp/pci.h,
 * kcpp/auxiliary.h) give these their own names: `pci::IdTable`,
 * `pci::id_table()`, ...
 *
 * @par Examples
 * A table of any C ID type with a `driver_data` member:
 * @code{.cpp}
 * struct RawId {
 *   unsigned int code;
 *   unsigned long driver_data;
 * };
 * struct Id {
 *   unsigned int code;
 *   constexpr RawId raw() const { return {code, 0}; }
 * };
 * constexpr kcpp::driver::IdTable<RawId, const char*, 2> table =
 *     kcpp::driver::make_id_table<RawId, const char*>({
 *         kcpp::driver::IdEntry<Id, const char*>{Id{7}, "seven"},
 *         kcpp::driver::IdEntry<Id, const char*>{Id{9}, "nine"},
 *     });
 * static_assert(table.raw[1].code == 9 && table.raw[1].driver_data == 1);
 * static_assert(table.raw[2].code == 0);  // the terminator
 * KCPP_ASSERT_EQ(__builtin_strcmp(table.info[1], "nine"), 0);
 * constexpr kcpp::driver::RawIdArray<RawId, 2> copy = kcpp::driver::raw_ids(table);
 * static_assert(sizeof(copy) == 3 * sizeof(RawId));
 * @endcode
 */
#ifndef KCPP_DRIVER_H
#define KCPP_DRIVER_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/device.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/module.h>

namespace kcpp::driver {

/** @brief The per-ID data of drivers that need none (`pci::NoInfo`, `auxiliary::NoInfo`). */
struct NoInfo {};

/** @brief An ID (`Id::raw()` gives its C form) and the driver's data for it. */
template <typename Id, typename Info>
struct IdEntry {
  Id id;      ///< What to match.
  Info info;  ///< Passed to probe for a device matched by `id`.
};

/**
 * @brief A driver's ID table: the zero-terminated C table (each entry's
 * `driver_data` is its index) and the info of each entry.
 */
template <typename Raw, typename Info, usize N>
struct IdTable {
  static_assert(N > 0, "kcpp: an ID table needs at least one entry");
  Raw raw[N + 1];  ///< For the bus; the last entry is zero.
  Info info[N];    ///< By index.
  /** @brief The number of entries. */
  static constexpr usize SIZE = N;
};

/** @brief Builds an ID table at compile time from `{id, info}` entries. */
template <typename Raw, typename Info, typename Id, usize N>
consteval IdTable<Raw, Info, N> make_id_table(const IdEntry<Id, Info> (&entries)[N]) {
  IdTable<Raw, Info, N> t{};
  for (usize i = 0; i < N; ++i) {
    t.raw[i] = entries[i].id.raw();
    t.raw[i].driver_data = i;
    t.info[i] = entries[i].info;
  }
  t.raw[N] = Raw{};
  return t;
}

/** @brief The C table alone, as modpost reads it (`MODULE_DEVICE_TABLE`). */
template <typename Raw, usize N>
struct RawIdArray {
  Raw ids[N + 1];  ///< Entries and terminator.
};

/** @brief A copy of @p t's C table. */
template <typename Raw, typename Info, usize N>
consteval RawIdArray<Raw, N> raw_ids(const IdTable<Raw, Info, N>& t) {
  RawIdArray<Raw, N> a{};
  for (usize i = 0; i <= N; ++i) a.ids[i] = t.raw[i];
  return a;
}

/// @cond KCPP_INTERNAL
namespace detail {
// The sysfs attributes driver class T declares for its devices
// (`static constexpr ::kcpp_attr_desc ATTRIBUTES[]`, see kcpp/sysfs.h).
struct AttributeTable {
  const ::kcpp_attr_desc* descs;
  unsigned int count;
};
template <usize N>
constexpr AttributeTable table_of(const ::kcpp_attr_desc (&descs)[N]) {
  return {descs, static_cast<unsigned int>(N)};
}
template <typename T>
constexpr AttributeTable attributes_of() {
  if constexpr (requires { T::ATTRIBUTES; })
    return table_of(T::ATTRIBUTES);
  else
    return {nullptr, 0};
}

// The flags the driver data of T is allocated with: T::DRIVER_DATA_GFP
// where the driver declares it, GFP_KERNEL otherwise (probe runs in
// process context and may sleep).
template <typename T>
constexpr Gfp driver_data_gfp() {
  if constexpr (requires { T::DRIVER_DATA_GFP; }) {
    static_assert(same_as<remove_cvref_t<decltype(T::DRIVER_DATA_GFP)>, Gfp>,
                  "kcpp: DRIVER_DATA_GFP must be a kcpp::Gfp");
    static_assert((T::DRIVER_DATA_GFP & (GFP_DMA32 | GFP_HIGHMEM)).as_raw() == 0,
                  "kcpp: the driver data comes from kmalloc, which has no DMA32 or HIGHMEM memory");
    return T::DRIVER_DATA_GFP;
  } else {
    return GFP_KERNEL;
  }
}

// The probe result, moved or built in place into the driver-data box,
// allocated with driver_data_gfp<T>() on the device's NUMA node.
template <typename T, typename R>
Result<KBox<device::detail::DriverData<T>>> box_driver_data(NumaNode node, R&& r) {
  using Data = device::detail::DriverData<T>;
  constexpr Gfp gfp = driver_data_gfp<T>();
  if constexpr (same_as<remove_cvref_t<R>, Result<T>>) {
    if (r.is_err())
      return r.error();
    return KBox<Data>::make_on(node, gfp, std::move(r).expect("checked just above"));
  } else {
    static_assert(InitializerOf<R, T>, "kcpp: probe() must return kcpp::Result<T> or an initializer of T");
    return KBox<Data>::pin_init(gfp, init::from_fn<Data>([&r](Data* d) -> Result<void> {
                                  d->tag = &device::detail::TypeTag<T>::ID;
                                  return std::move(r)(&d->value);
                                }),
                                node);
  }
}

// Boxes probe's result @p r and stores it as @p dev's driver data (Dev: a
// bus device in the CoreInternal context). Returns 0 or a negative errno.
template <typename T, typename Dev, typename R>
int install_driver_data(const Dev& dev, R&& r) {
  auto data = box_driver_data<T>(dev.as_device().numa_node(), std::forward<R>(r));
  if (data.is_err())
    return data.error().to_errno();
  dev.as_device().template set_drvdata<T>(std::move(data).expect("checked just above"));
  return 0;
}
}  // namespace detail
/// @endcond

/// @cond KCPP_INTERNAL
// The bus callbacks of driver class T, for bus code (kcpp/pci.h,
// kcpp/auxiliary.h): Dev is the bus's device template (pci::Device), Raw its
// C ID type. Exercised through every driver of the tests and examples.
template <typename T, template <device::Context> class Dev, typename Raw>
struct Adapter {
  /**
   * @brief probe: `T::probe()` in the core context with the matched entry's
   * info; its object becomes the driver data. Returns 0 or a negative errno.
   */
  template <typename CDev>
  static int probe(CDev* raw, const void* id) {
    // SAFETY: the bus calls probe with the device lock held and the device
    // valid for the call: the CoreInternal context exactly.
    const auto& dev = Dev<device::CoreInternal>::unsafe_from_raw(raw);
    const unsigned long index = static_cast<const Raw*>(id)->driver_data;
    if (index >= T::ID_TABLE.SIZE)
      return -KCPP_ENODEV;  // a dynamic ID (new_id) with foreign data
    return detail::install_driver_data<T>(dev, T::probe(dev, T::ID_TABLE.info[index]));
  }
  /** @brief remove: `T::unbind()` if the driver has one, then the object goes. */
  template <typename CDev>
  static void remove(CDev* raw) {
    // SAFETY: as for probe: remove runs under the device lock.
    const auto& dev = Dev<device::CoreInternal>::unsafe_from_raw(raw);
    auto data = dev.as_device().template take_drvdata<T>();
    const Dev<device::Core>& core = dev;
    if constexpr (requires { data->value.unbind(core); })
      data->value.unbind(core);
  }
};
/// @endcond

/**
 * @brief The registration of driver @p T with its bus: devices bind while
 * it lives; destroying it unbinds them and unregisters. @p Bus (bus code)
 * gives `Handle`, `add<T>(name, modname, gfp, &err)` and `remove(handle)`.
 *
 * @par Invariants
 * Unless moved from, `handle_` is the C driver structure that `Bus::add()`
 * registered with the bus for @p T; only the destructor unregisters and frees
 * it, once. The kernel points into that structure, not into this object.
 */
template <typename Bus, typename T>
class Registration {
 public:
  /**
   * @brief Registers @p T under @p name (default `T::NAME`) for module
   * @p modname. kcpp's own records of the driver (its C driver structure
   * and its attribute table) are allocated with @p gfp; the driver core's
   * allocate with GFP_KERNEL. Registering sleeps, so process context only,
   * and flags that may not sleep are refused with `EINVAL`.
   */
  [[nodiscard]] static Result<Registration> make(Gfp gfp, const char* name = T::NAME,
                                                 const char* modname = KBUILD_MODNAME) {
    if (!gfp.may_sleep())
      return code::EINVAL;
    int err = 0;
    typename Bus::Handle* h = Bus::template add<T>(name, modname, gfp, &err);
    if (!h)
      return Error::from_errno(err);
    return Registration(h);
  }
  /** @brief Takes over @p other's registration. */
  Registration(Registration&& other) noexcept : handle_(exchange(other.handle_, nullptr)) {}
  Registration& operator=(Registration&&) = delete;
  ~Registration() {
    if (handle_)
      Bus::remove(handle_);
  }

 private:
  explicit Registration(typename Bus::Handle* h) : handle_(h) {}
  typename Bus::Handle* handle_;
};

}  // namespace kcpp::driver

/// @cond KCPP_INTERNAL
#ifdef MODULE
// MODULE_DEVICE_TABLE(bus, ...): a symbol modpost reads to emit the
// module's alias= lines (scripts/mod/file2alias.c).
// table: a RawIdArray expression (the C table alone).
#define KCPP_MODULE_DEVICE_TABLE_OF_(bus, table, id) \
  extern "C" [[gnu::used]] const auto KCPP_CONCAT(KCPP_CONCAT(__mod_##bus##__, id), _device_table) = table;
#else
#define KCPP_MODULE_DEVICE_TABLE_OF_(bus, table, id)
#endif
#define KCPP_MODULE_DEVICE_TABLE_(bus, T, id) \
  KCPP_MODULE_DEVICE_TABLE_OF_(bus, ::kcpp::driver::raw_ids(T::ID_TABLE), id)

// A module that registers one driver with RegT (a Registration type).
#define KCPP_DRIVER_MODULE_(RegT)                                        \
  namespace {                                                            \
  struct KcppDriverModule {                                              \
    RegT reg;                                                            \
    static ::kcpp::Result<KcppDriverModule> init() {                     \
      return KcppDriverModule{KCPP_TRY(RegT::make(::kcpp::GFP_KERNEL))}; \
    }                                                                    \
  };                                                                     \
  }                                                                      \
  KCPP_MODULE(KcppDriverModule);
/// @endcond

#endif  // KCPP_DRIVER_H
