/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by bindings_c_values.c (C) and bindings_test.cpp (C++). */
#ifndef KCPP_TESTS_BINDINGS_C_VALUES_H
#define KCPP_TESTS_BINDINGS_C_VALUES_H

/* C declarations shared with a C file, in C style. */
/* NOLINTBEGIN(readability-identifier-naming) */

#ifdef __cplusplus
extern "C" {
#endif

struct kcpp_c_value {
	const char *name;
	long long value;
};

extern const struct kcpp_c_value kcpp_test_c_values[];
extern const unsigned long kcpp_test_c_value_count;

#ifdef __cplusplus
}
#endif

/* NOLINTEND(readability-identifier-naming) */
#endif
