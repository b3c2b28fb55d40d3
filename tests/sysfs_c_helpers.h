/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by sysfs_c_helpers.c (C) and the C++ tests of sysfs files. */
#ifndef KCPP_TESTS_SYSFS_C_HELPERS_H
#define KCPP_TESTS_SYSFS_C_HELPERS_H

#ifdef __cplusplus
extern "C" {
#endif

struct device;

/*
 * Reads (write == NULL) or writes the sysfs file name of dev through the
 * callbacks sysfs calls, checked against the file's mode: the bytes read
 * (NUL-terminated in buf of len bytes) or written, or -errno (-ENOENT when
 * the file does not exist, -EACCES when its mode forbids the access).
 */
long kcpp_test_sysfs_access(struct device *dev, const char *name, const char *write, char *buf,
			    __SIZE_TYPE__ len);

#ifdef __cplusplus
}
#endif

#endif
