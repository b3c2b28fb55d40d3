// SPDX-License-Identifier: GPL-2.0
/*
 * The generated header against the kernel's C headers: every constant and
 * structure layout kcpp takes from <kcpp/bindings/generated.h> must equal
 * the value the C compiler sees in the same kernel configuration.
 */
#include <kcpp/bindings/generated.h>
#include <kcpp/bindings/lists.h>
#include <kcpp/kunit.h>
#include <kcpp/print.h>

#include "bindings_c_values.h"

namespace {

struct CxxValue {
  const char* name;
  long long value;
};

#define CXX_VALUE(n) CxxValue{#n, static_cast<long long>(KCPP_##n)},
#define CXX_SIZE(s) CxxValue{"sizeof(struct " #s ")", static_cast<long long>(KCPP_SIZEOF_##s)},
#define CXX_OFFSET(s, m) \
  CxxValue{"offsetof(struct " #s ", " #m ")", static_cast<long long>(KCPP_OFFSETOF_##s##_##m)},
#define CXX_ALIGN(type, name) CxxValue{"alignof(" #type ")", static_cast<long long>(KCPP_ALIGNOF_##name)},
#define CXX_TSIZE(type, name) CxxValue{"sizeof(" #type ")", static_cast<long long>(KCPP_SIZEOF_##name)},
#define CXX_CONFIG(c) CxxValue{"CONFIG_" #c, static_cast<long long>(KCPP_CONFIG_##c)},

constexpr CxxValue CXX_VALUES[] = {
    KCPP_ERRNO_LIST(CXX_VALUE) KCPP_GFP_LIST(CXX_VALUE) KCPP_MM_LIST(CXX_VALUE) KCPP_PCI_LIST(CXX_VALUE)
        KCPP_DRIVER_LIST(CXX_VALUE) KCPP_LAYOUT_LIST(CXX_SIZE, CXX_OFFSET) KCPP_ALIGN_LIST(CXX_ALIGN)
            KCPP_TYPEDEF_SIZE_LIST(CXX_TSIZE) KCPP_CONFIG_LIST(CXX_CONFIG)};

constexpr unsigned long CXX_COUNT = sizeof(CXX_VALUES) / sizeof(CXX_VALUES[0]);

bool same_name(const char* a, const char* b) {
  return __builtin_strcmp(a, b) == 0;
}

// Every generated value equals the C value, entry by entry.
kcpp::Result<void> generated_values_equal_c_values() {
  KCPP_ASSERT_EQ(kcpp_test_c_value_count, CXX_COUNT);
  for (unsigned long i = 0; i < CXX_COUNT; i++) {
    const auto& c = kcpp_test_c_values[i];
    const auto& cxx = CXX_VALUES[i];
    KCPP_ASSERT(same_name(c.name, cxx.name));
    if (c.value != cxx.value) {
      KCPP_EXPECT_EQ(cxx.value, c.value);
      KCPP_PR_ERR("generated %s differs from C\n", cxx.name);
    }
  }
  return {};
}

// A sample checked by hand, so a bug shared by both sides (the lists) shows
// too: these values are fixed by the kernel's ABI on every configuration.
kcpp::Result<void> abi_fixed_values() {
  KCPP_EXPECT_EQ(KCPP_EPERM, 1);
  KCPP_EXPECT_EQ(KCPP_ENOMEM, 12);
  KCPP_EXPECT_EQ(KCPP_EINVAL, 22);
  KCPP_EXPECT_EQ(KCPP_ETIMEDOUT, 110);
  KCPP_EXPECT_EQ(KCPP_EPROBE_DEFER, 517);
  KCPP_EXPECT_EQ(KCPP_PCI_VENDOR_ID, 0x00);
  KCPP_EXPECT_EQ(KCPP_PCI_COMMAND, 0x04);
  KCPP_EXPECT_EQ(KCPP_PCI_VENDOR_ID_NVIDIA, 0x10de);
  KCPP_EXPECT_EQ(KCPP_PCI_ANY_ID, -1);
  KCPP_EXPECT_EQ(KCPP_PAGE_SIZE, 1L << KCPP_PAGE_SHIFT);
  KCPP_EXPECT_EQ(KCPP_NUMA_NO_NODE, -1);
  KCPP_EXPECT_GE(KCPP_MAX_NUMNODES, 1);
  // The two-node test machine only boots with NUMA configured.
  KCPP_EXPECT_EQ(KCPP_CONFIG_NUMA, 1);
  KCPP_EXPECT_NE(KCPP_GFP_KERNEL, KCPP_GFP_ATOMIC);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_bindings, KCPP_KUNIT_CASE(generated_values_equal_c_values),
                 KCPP_KUNIT_CASE(abi_fixed_values));
