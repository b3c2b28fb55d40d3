// SPDX-License-Identifier: GPL-2.0
/*
 * User-space memory (kcpp/uaccess.h): the copies in and out, and strings.
 * User addresses cross the boundary as integers; only these functions turn
 * them into __user pointers.
 */
#include <linux/version.h>
#include <linux/uaccess.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

unsigned long kcpp_copy_from_user(void *to, unsigned long from, unsigned long n)
{
	return copy_from_user(to, (const void __user *)from, n);
}

unsigned long kcpp_copy_to_user(unsigned long to, const void *from, unsigned long n)
{
	return copy_to_user((void __user *)to, from, n);
}

long kcpp_strncpy_from_user(char *dst, unsigned long src, long count)
{
	return strncpy_from_user(dst, (const char __user *)src, count);
}

unsigned long kcpp_clear_user(unsigned long to, unsigned long n)
{
	return clear_user((void __user *)to, n);
}
