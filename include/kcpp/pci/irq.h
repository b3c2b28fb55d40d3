/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/pci/irq.h
 * @brief PCI interrupt vectors: the interrupt types a driver asks for and
 * the vector numbers it requests lines by.
 *
 * Part of `kcpp/pci.h`, which includes every part and opens with the tour
 * of the PCI API; include that header, not this one.
 *
 * Wraps the `PCI_IRQ_*` flags of `include/linux/pci.h`.
 */
#ifndef KCPP_PCI_IRQ_H
#define KCPP_PCI_IRQ_H

#include <kcpp/core/error.h>

namespace kcpp::pci {

/**
 * @brief Interrupt types for `alloc_irq_vectors()`, combined with `|`
 * (`IrqTypes::MSI | IrqTypes::INTX`).
 *
 * @par Examples
 * @code{.cpp}
 * constexpr auto types = kcpp::pci::IrqTypes::MSI | kcpp::pci::IrqTypes::INTX;
 * static_assert(types.contains(kcpp::pci::IrqTypes::MSI) && !types.contains(kcpp::pci::IrqTypes::MSIX));
 * static_assert(types.raw() == (KCPP_PCI_IRQ_MSI | KCPP_PCI_IRQ_INTX));
 * @endcode
 */
class IrqTypes {
 public:
  /** @brief The `PCI_IRQ_*` bits. */
  [[nodiscard]] constexpr unsigned int raw() const { return v_; }
  /** @brief Whether all of @p o is set. */
  [[nodiscard]] constexpr bool contains(IrqTypes o) const { return (v_ & o.v_) == o.v_; }
  /** @brief Both sets. */
  friend constexpr IrqTypes operator|(IrqTypes a, IrqTypes b) { return IrqTypes(a.v_ | b.v_); }
  /** @brief Sets compare by bits. */
  friend constexpr bool operator==(IrqTypes, IrqTypes) = default;
  static const IrqTypes INTX;  ///< `PCI_IRQ_INTX`: legacy INTx.
  static const IrqTypes MSI;   ///< `PCI_IRQ_MSI`.
  static const IrqTypes MSIX;  ///< `PCI_IRQ_MSIX`.
  /** @brief `PCI_IRQ_ALL_TYPES`: any the device supports (MSI-X, then MSI, then INTx). */
  static const IrqTypes ALL;

 private:
  constexpr explicit IrqTypes(unsigned int v) : v_(v) {}
  unsigned int v_;
};
inline constexpr IrqTypes IrqTypes::INTX{KCPP_PCI_IRQ_INTX};
inline constexpr IrqTypes IrqTypes::MSI{KCPP_PCI_IRQ_MSI};
inline constexpr IrqTypes IrqTypes::MSIX{KCPP_PCI_IRQ_MSIX};
inline constexpr IrqTypes IrqTypes::ALL{KCPP_PCI_IRQ_ALL_TYPES};

/** @brief Interrupt vector @p index of a bound device (see `alloc_irq_vectors()`). */
struct IrqVector {
  unsigned int index;  ///< 0 .. count - 1.
};

}  // namespace kcpp::pci

#endif  // KCPP_PCI_IRQ_H
