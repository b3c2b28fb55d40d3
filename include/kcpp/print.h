/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/print.h
 * @brief Kernel log messages: `KCPP_PR_INFO` and friends.
 *
 * Wraps `include/linux/printk.h`. The macros take a string literal format,
 * checked by the compiler like printk's, and prefix it with the log level and
 * the module name (define `KCPP_PR_FMT` before including this header to
 * change the prefix, as `pr_fmt` does in C).
 *
 * @par Examples
 * @code{.cpp}
 * int answer = 42;
 * KCPP_PR_INFO("the answer is %d\n", answer);
 * KCPP_PR_DEBUG("debug messages follow the kernel's dynamic debug rules\n");
 * @endcode
 */
#ifndef KCPP_PRINT_H
#define KCPP_PRINT_H

#include <kcpp/bindings/bindings.h>

/// @cond KCPP_INTERNAL
// The printk level markers of include/linux/kern_levels.h: ASCII SOH and a digit.
#define KCPP_KERN_SOH "\001"
#define KCPP_KERN_EMERG KCPP_KERN_SOH "0"
#define KCPP_KERN_ALERT KCPP_KERN_SOH "1"
#define KCPP_KERN_CRIT KCPP_KERN_SOH "2"
#define KCPP_KERN_ERR KCPP_KERN_SOH "3"
#define KCPP_KERN_WARNING KCPP_KERN_SOH "4"
#define KCPP_KERN_NOTICE KCPP_KERN_SOH "5"
#define KCPP_KERN_INFO KCPP_KERN_SOH "6"
#define KCPP_KERN_DEBUG KCPP_KERN_SOH "7"
/// @endcond

#ifndef KCPP_PR_FMT
/** @brief Prefix of every message; the module name, as `pr_fmt` usually is. */
#define KCPP_PR_FMT KBUILD_MODNAME ": "
#endif

/** @brief Logs at KERN_EMERG. */
#define KCPP_PR_EMERG(fmt, ...) ::_printk(KCPP_KERN_EMERG KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_ALERT. */
#define KCPP_PR_ALERT(fmt, ...) ::_printk(KCPP_KERN_ALERT KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_CRIT. */
#define KCPP_PR_CRIT(fmt, ...) ::_printk(KCPP_KERN_CRIT KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_ERR. */
#define KCPP_PR_ERR(fmt, ...) ::_printk(KCPP_KERN_ERR KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_WARNING. */
#define KCPP_PR_WARN(fmt, ...) ::_printk(KCPP_KERN_WARNING KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_NOTICE. */
#define KCPP_PR_NOTICE(fmt, ...) ::_printk(KCPP_KERN_NOTICE KCPP_PR_FMT fmt, ##__VA_ARGS__)
/** @brief Logs at KERN_INFO. */
#define KCPP_PR_INFO(fmt, ...) ::_printk(KCPP_KERN_INFO KCPP_PR_FMT fmt, ##__VA_ARGS__)
/**
 * @brief Logs at KERN_DEBUG when the translation unit defines `DEBUG`;
 * otherwise the arguments are checked and nothing is emitted.
 */
#ifdef DEBUG
#define KCPP_PR_DEBUG(fmt, ...) ::_printk(KCPP_KERN_DEBUG KCPP_PR_FMT fmt, ##__VA_ARGS__)
#else
#define KCPP_PR_DEBUG(fmt, ...)                                       \
  do {                                                                \
    if (false)                                                        \
      ::_printk(KCPP_KERN_DEBUG KCPP_PR_FMT fmt, ##__VA_ARGS__);      \
  } while (0)
#endif

#endif // KCPP_PRINT_H
