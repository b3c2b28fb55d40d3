/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/firmware.h
 * @brief `Firmware`: a firmware file loaded for a device, released on
 * destruction.
 *
 * Wraps `include/linux/firmware.h` (`request_firmware()`,
 * `firmware_request_nowarn()`, `release_firmware()`). Declare the files a
 * module may load with `KCPP_MODULE_FIRMWARE("vendor/file.bin")` (in
 * kcpp/module.h) so that initramfs tools include them.
 *
 * @par Examples
 * Loading for a device: the test kernel carries `kcpp/test.bin` built in
 * (scripts/kunitconfig), and QEMU's pci-testdev asks for it here.
 * @code{.cpp}
 * auto pdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::REDHAT, 0x0005));
 * kcpp::Firmware fw = KCPP_TRY(kcpp::Firmware::request("kcpp/test.bin", pdev->as_device()));
 * KCPP_ASSERT_EQ(fw.size(), 40u);
 * KCPP_ASSERT_EQ(fw.data()[0], 'k');
 * auto missing = kcpp::Firmware::request_nowarn("kcpp/no-such-file.bin", pdev->as_device());
 * KCPP_ASSERT_EQ(missing.error(), kcpp::code::ENOENT);
 * @endcode
 */
#ifndef KCPP_FIRMWARE_H
#define KCPP_FIRMWARE_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/span.h>
#include <kcpp/core/utility.h>
#include <kcpp/device.h>

#if !KCPP_CONFIG_FW_LOADER
#error "kcpp/firmware.h: the kernel is configured without CONFIG_FW_LOADER"
#endif

namespace kcpp {

/**
 * @brief The contents of a firmware file, valid while the object lives.
 *
 * @par Invariants
 * Holds a firmware the kernel loaded, released exactly once.
 */
class Firmware {
 public:
  /**
   * @brief Loads @p name (a path under /lib/firmware) for @p dev; `ENOENT`
   * if there is no such file. Warns in the log on failure. May sleep.
   */
  [[nodiscard]] static Result<Firmware> request(const char* name, const Device<>& dev) {
    const ::firmware* fw = nullptr;
    KCPP_TRY(to_result(kcpp_request_firmware(&fw, name, dev.as_raw())));
    return Firmware(fw);
  }
  /** @brief As `request()`, without the warning (for optional files). */
  [[nodiscard]] static Result<Firmware> request_nowarn(const char* name, const Device<>& dev) {
    const ::firmware* fw = nullptr;
    KCPP_TRY(to_result(kcpp_firmware_request_nowarn(&fw, name, dev.as_raw())));
    return Firmware(fw);
  }
  /** @brief Takes over @p other's file. */
  Firmware(Firmware&& other) noexcept : fw_(exchange(other.fw_, nullptr)) {}
  /** @brief Releases this file and takes over @p other's. */
  Firmware& operator=(Firmware&& other) noexcept {
    if (this != &other) {
      reset();
      fw_ = exchange(other.fw_, nullptr);
    }
    return *this;
  }
  Firmware(const Firmware&) = delete;
  Firmware& operator=(const Firmware&) = delete;
  ~Firmware() { reset(); }

  /** @brief The file's bytes. */
  [[nodiscard]] Span<const u8> data() const {
    usize n = 0;
    const u8* p = kcpp_firmware_data(fw_, &n);
    // SAFETY: the loaded file's bytes, valid until release_firmware().
    return Span<const u8>::unsafe_from_raw(p, n);
  }
  /** @brief The file's size in bytes. */
  [[nodiscard]] usize size() const { return data().size(); }

 private:
  explicit Firmware(const ::firmware* fw) : fw_(fw) {}
  void reset() {
    if (fw_)
      kcpp_release_firmware(exchange(fw_, nullptr));
  }
  const ::firmware* fw_;
};

}  // namespace kcpp

#endif  // KCPP_FIRMWARE_H
