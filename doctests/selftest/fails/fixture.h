/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file fixture.h
 * @brief A failing example: kunit.py must report the failure at this file,
 * line 10, with both values.
 *
 * @code{.cpp}
 * int six = 6;
 * int seven = 7;
 * KCPP_ASSERT_EQ(six * seven, 43);
 * @endcode
 */
