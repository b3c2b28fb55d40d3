// SPDX-License-Identifier: GPL-2.0
// The module around the failing doctest of fixture.h.
#include <kcpp/module.h>

KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("kcpp doctest selftest: a failing example");
