/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/pci/io.h
 * @brief PCI memory and config space: `Bar<Size>`, a mapped and requested
 * memory BAR behind `Devres`, and `ConfigSpace<Size>`, typed config-space
 * accessors checked against its size.
 *
 * Part of `kcpp/pci.h`, which includes every part and opens with the tour
 * of the PCI API; include that header, not this one.
 *
 * Wraps `pci_iomap_range()`, `pci_request_region()` and the
 * `pci_read_config_*()`/`pci_write_config_*()` accessors.
 */
#ifndef KCPP_PCI_IO_H
#define KCPP_PCI_IO_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/devres.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/io.h>
#include <kcpp/pci/device.h>

namespace kcpp::pci {

/**
 * @brief A mapped, requested memory BAR: the `io::Mmio<Size>` accessors over
 * the whole BAR. Lives in a `Devres` (see `Device<Bound>::iomap_region_sized()`).
 *
 * @par Invariants
 * The region of memory BAR `index()` is requested, and all of it (at least
 * @p Size bytes) is mapped at `addr()`; the destructor unmaps and releases it
 * exactly once. `pdev_` counts the device. Neither copyable nor movable.
 */
template <usize Size>
class Bar : public io::Mmio<Size> {
 public:
  Bar(const Bar&) = delete;
  Bar& operator=(const Bar&) = delete;
  /** @brief Unmaps and releases the region. */
  ~Bar() {
    kcpp_pci_iounmap(pdev_->as_raw(), this->addr());
    kcpp_pci_release_region(pdev_->as_raw(), index_);
  }
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
    KCPP_TRY(to_result(kcpp_pci_request_region(as_raw(), bar, name)));
    void* addr = kcpp_pci_iomap(as_raw(), bar);
    if (!addr) {
      kcpp_pci_release_region(as_raw(), bar);
      return code::ENOMEM;
    }
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
 * // compile_fail: use of deleted function | call to deleted constructor
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   const auto cfg = pdev.config_space();
 *   auto copy = cfg;
 *   return copy.read8(0);
 * };
 * @endcode
 *
 * @par Invariants
 * `pdev_` is the device of the bound reference that made the view, whose
 * configuration space has `size_` (equal to @p Size) bytes. The view holds no
 * count: it is valid only as long as that reference, which it cannot check.
 */
template <usize Size>
class ConfigSpace {
 public:
  /** @brief The size known at compile time. */
  static constexpr usize MIN_SIZE = Size;
  /** @brief Reads a byte. */
  [[nodiscard]] u8 read8(io::Offset<u8, Size> off) const { return raw_read<u8>(off.value); }
  /** @brief Reads a 16-bit word. */
  [[nodiscard]] u16 read16(io::Offset<u16, Size> off) const { return raw_read<u16>(off.value); }
  /** @brief Reads a 32-bit word. */
  [[nodiscard]] u32 read32(io::Offset<u32, Size> off) const { return raw_read<u32>(off.value); }
  /** @brief Writes a byte; the errno of the PCI core (`pcibios_err_to_errno()`) on failure. */
  [[nodiscard]] Result<void> write8(u8 v, io::Offset<u8, Size> off) const { return raw_write(v, off.value); }
  /** @brief Writes a 16-bit word (see `write8()`). */
  [[nodiscard]] Result<void> write16(u16 v, io::Offset<u16, Size> off) const {
    return raw_write(v, off.value);
  }
  /** @brief Writes a 32-bit word (see `write8()`). */
  [[nodiscard]] Result<void> write32(u32 v, io::Offset<u32, Size> off) const {
    return raw_write(v, off.value);
  }
  /** @brief Runtime-checked read of a @p W (u8, u16 or u32). */
  template <typename W>
    requires same_as<W, u8> || same_as<W, u16> || same_as<W, u32>
  [[nodiscard]] Result<W> try_read(usize off) const {
    KCPP_TRY(io::detail::check_offset(off, sizeof(W), size_));
    W v = 0;
    KCPP_TRY(to_result(read_config(pdev_, int(off), &v)));
    return v;
  }
  /** @brief Runtime-checked write of a @p W (u8, u16 or u32). */
  template <typename W>
    requires same_as<W, u8> || same_as<W, u16> || same_as<W, u32>
  [[nodiscard]] Result<void> try_write(W v, usize off) const {
    KCPP_TRY(io::detail::check_offset(off, sizeof(W), size_));
    return raw_write(v, off);
  }
  /// @cond KCPP_INTERNAL
  // Typed registers (kcpp/io/register.h) over config space.
  template <typename W, usize Off>
  [[nodiscard]] W read_at() const {
    static_assert(io::detail::offset_ok(Off, sizeof(W), Size) && sizeof(W) <= 4,
                  "kcpp: config register beyond the config space, misaligned or 64-bit");
    return raw_read<W>(Off);
  }
  template <typename W, usize Off>
  [[nodiscard]] Result<void> write_at(W v) const {
    static_assert(io::detail::offset_ok(Off, sizeof(W), Size) && sizeof(W) <= 4,
                  "kcpp: config register beyond the config space, misaligned or 64-bit");
    return raw_write(v, Off);
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
  // One C accessor per width, as the PCI core has them.
  static int read_config(::pci_dev* p, int off, u8* v) { return kcpp_pci_read_config_byte(p, off, v); }
  static int read_config(::pci_dev* p, int off, u16* v) { return kcpp_pci_read_config_word(p, off, v); }
  static int read_config(::pci_dev* p, int off, u32* v) { return kcpp_pci_read_config_dword(p, off, v); }
  static int write_config(::pci_dev* p, int off, u8 v) { return kcpp_pci_write_config_byte(p, off, v); }
  static int write_config(::pci_dev* p, int off, u16 v) { return kcpp_pci_write_config_word(p, off, v); }
  static int write_config(::pci_dev* p, int off, u32 v) { return kcpp_pci_write_config_dword(p, off, v); }
  template <typename W>
  W raw_read(usize off) const {
    W v = static_cast<W>(~0u);
    if (read_config(pdev_, int(off), &v) != 0)
      v = static_cast<W>(~0u);
    return v;
  }
  template <typename W>
  Result<void> raw_write(W v, usize off) const {
    return to_result(write_config(pdev_, int(off), v));
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

}  // namespace kcpp::pci

#endif  // KCPP_PCI_IO_H
