// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware requests: the test kernel carries kcpp/test.bin built in
 * (CONFIG_EXTRA_FIRMWARE, from tests/firmware/); a missing file is ENOENT.
 */
#include <kcpp/firmware.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>

#include "helpers.h"

namespace {

kcpp::Result<void> loads_a_file_and_reports_a_missing_one() {
  auto pdev = kcpp_test::find_testdev();
  if (pdev.is_err())
    return {};
  const auto& dev = (*pdev)->as_device();
  // scripts/kunitconfig builds it in; its absence is a failure.
  auto fw = kcpp::Firmware::request("kcpp/test.bin", dev);
  KCPP_ASSERT(fw.is_ok());
  KCPP_EXPECT_EQ(fw->size(), 40u);
  KCPP_EXPECT_EQ(__builtin_memcmp(fw->data().data(), "kcpp test firmware", 18), 0);
  KCPP_EXPECT_EQ(fw->data()[39], '\n');
  kcpp::Firmware moved = std::move(*fw);  // one release, by the new owner
  KCPP_EXPECT_EQ(moved.size(), 40u);
  KCPP_EXPECT_EQ(kcpp::Firmware::request_nowarn("kcpp/missing.bin", dev).error(), kcpp::code::ENOENT);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_firmware, KCPP_KUNIT_CASE(loads_a_file_and_reports_a_missing_one));
