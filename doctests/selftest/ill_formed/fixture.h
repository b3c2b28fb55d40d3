/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file fixture.h
 * @brief An ill-formed example: the compiler error must name this file and
 * line 10, the line with the undeclared name.
 *
 * @code{.cpp}
 * int fine = 1;
 * (void)fine;
 * int broken = undeclared_name + 1;
 * @endcode
 */
