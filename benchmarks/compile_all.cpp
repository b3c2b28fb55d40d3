// SPDX-License-Identifier: GPL-2.0
/*
 * The compile-time benchmark's kcpp side: a translation unit that includes
 * all of kcpp. make bench times its compilation against compile_all_c.c,
 * which includes the kernel headers kcpp wraps.
 */
#include <kcpp/kcpp.h>

extern "C" int kcpp_bench_compile_all_cpp(void);
extern "C" int kcpp_bench_compile_all_cpp(void) {
  return static_cast<int>(sizeof(kcpp::KVec<int>) + sizeof(kcpp::Mutex<int>));
}
