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

/** @brief Interrupt types for `alloc_irq_vectors()`. */
class IrqTypes {
 public:
  /** @brief Legacy INTx. */
  static constexpr IrqTypes intx() { return IrqTypes(KCPP_PCI_IRQ_INTX); }
  /** @brief MSI. */
  static constexpr IrqTypes msi() { return IrqTypes(KCPP_PCI_IRQ_MSI); }
  /** @brief MSI-X. */
  static constexpr IrqTypes msix() { return IrqTypes(KCPP_PCI_IRQ_MSIX); }
  /** @brief Any type the device supports (MSI-X, then MSI, then INTx). */
  static constexpr IrqTypes all() { return IrqTypes(KCPP_PCI_IRQ_ALL_TYPES); }
  /** @brief Both sets. */
  friend constexpr IrqTypes operator|(IrqTypes a, IrqTypes b) { return IrqTypes(a.v_ | b.v_); }
  /** @brief The `PCI_IRQ_*` bits. */
  [[nodiscard]] constexpr unsigned int raw() const { return v_; }

 private:
  constexpr explicit IrqTypes(unsigned int v) : v_(v) {}
  unsigned int v_;
};

/** @brief Interrupt vector @p index of a bound device (see `alloc_irq_vectors()`). */
struct IrqVector {
  unsigned int index;  ///< 0 .. count - 1.
};

}  // namespace kcpp::pci

#endif  // KCPP_PCI_IRQ_H
