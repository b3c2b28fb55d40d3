/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file fixture.h
 * @brief A compile_fail example that fails for another reason than either
 * wording it names: the build must fail.
 *
 * @code{.cpp compile_fail}
 * // compile_fail: first wording | second wording
 * int fails = undeclared_name;
 * @endcode
 */
