/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file fixture.h
 * @brief A compile_fail example that compiles: the build must fail.
 *
 * @code{.cpp compile_fail}
 * // compile_fail: this text never appears
 * int compiles = 1;
 * (void)compiles;
 * @endcode
 */
