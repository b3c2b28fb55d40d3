// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp_hello: the smallest kcpp module.
 *
 * Built out of tree exactly as a third-party driver would be: its Kbuild is
 * two lines of objects plus one include of kcpp.mk. It loads on the stock
 * Debian 6.12 kernel and says what it was built with.
 */
#include <kcpp/module.h>
#include <kcpp/print.h>

namespace {

class Hello {
 public:
  static kcpp::Result<Hello> init() {
    KCPP_PR_INFO("hello from C++%ld (g++ %d.%d), kcpp module loaded\n", __cplusplus / 100 % 100, __GNUC__,
                 __GNUC_MINOR__);
    return Hello(42);
  }

  Hello(Hello&& other) : answer_(kcpp::exchange(other.answer_, 0)) {}
  ~Hello() {
    if (answer_ != 0)
      KCPP_PR_INFO("goodbye, the answer was %d\n", answer_);
  }

 private:
  explicit Hello(int answer) : answer_(answer) {}
  int answer_;
};

}  // namespace

KCPP_MODULE(Hello);
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_AUTHOR("kcpp developers");
KCPP_MODULE_DESCRIPTION("The smallest kcpp module: loads, logs, unloads");
