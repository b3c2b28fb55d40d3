/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/macros.h
 * @brief Preprocessor helpers shared by kcpp's macros.
 *
 * @par Examples
 * @code{.cpp}
 * static_assert(__builtin_strcmp(KCPP_STRINGIFY(KCPP_CONCAT(ab, cd)), "abcd") == 0);
 * @endcode
 */
#ifndef KCPP_CORE_MACROS_H
#define KCPP_CORE_MACROS_H

/// @cond KCPP_INTERNAL
#define KCPP_CONCAT_(a, b) a##b
#define KCPP_STRINGIFY_(x) #x
/// @endcond
/** @brief Pastes two tokens after expanding them. */
#define KCPP_CONCAT(a, b) KCPP_CONCAT_(a, b)
/** @brief A string literal of the expansion of @p x. */
#define KCPP_STRINGIFY(x) KCPP_STRINGIFY_(x)
/** @brief An identifier unique in the translation unit, starting with @p prefix. */
#define KCPP_UNIQUE_ID(prefix) KCPP_CONCAT(prefix, __COUNTER__)

#endif  // KCPP_CORE_MACROS_H
