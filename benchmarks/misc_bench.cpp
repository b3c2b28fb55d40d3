// SPDX-License-Identifier: GPL-2.0
/*
 * The misc-device benchmark's kcpp side: /dev/kcpp-bench-cpp, an echo
 * device whose write stores up to 64 bytes under a mutex and whose read
 * returns them, the same as misc_bench_c.c's /dev/kcpp-bench-c. The user
 * program (misc_bench_user.c) times read/write syscalls on both.
 */
#include <kcpp/miscdevice.h>
#include <kcpp/sync/lock.h>

#include "bench.h"

namespace {

struct Echo {
  struct Buffer {
    kcpp::u8 bytes[KCPP_BENCH_MISC_BUF];
    kcpp::usize len = 0;
  };
  kcpp::Mutex<Buffer> buf{KCPP_LOCK_CLASS()};
};

class EchoFile {
 public:
  using Shared = Echo;
  static kcpp::Result<EchoFile> open(const kcpp::Arc<Echo>& echo, const kcpp::fs::File&) {
    return EchoFile(echo);
  }
  kcpp::Result<kcpp::usize> write(const kcpp::fs::File&, kcpp::UserSliceReader& in, kcpp::i64) const {
    const kcpp::usize n = in.len() < KCPP_BENCH_MISC_BUF ? in.len() : KCPP_BENCH_MISC_BUF;
    auto g = echo_->buf.lock();
    // SAFETY: n <= KCPP_BENCH_MISC_BUF, the size of bytes, which the guard keeps ours.
    KCPP_TRY(in.read_raw(kcpp::Span<kcpp::u8>::unsafe_from_raw(g->bytes, n)));
    g->len = n;
    return n;
  }
  kcpp::Result<kcpp::usize> read(const kcpp::fs::File&, kcpp::UserSliceWriter& out, kcpp::i64) const {
    auto g = echo_->buf.lock();
    const kcpp::usize n = out.len() < g->len ? out.len() : g->len;
    // SAFETY: n <= len, which write() keeps at most the size of bytes; the guard keeps it ours.
    KCPP_TRY(out.write_slice(kcpp::Span<const kcpp::u8>::unsafe_from_raw(g->bytes, n)));
    return n;
  }

 private:
  explicit EchoFile(kcpp::Arc<Echo> e) : echo_(std::move(e)) {}
  kcpp::Arc<Echo> echo_;
};

kcpp::KBox<kcpp::miscdevice::Registration<EchoFile>>* registration = nullptr;

}  // namespace

int kcpp_bench_misc_cpp_register() {
  auto echo = kcpp::Arc<Echo>::make(kcpp::GFP_KERNEL);
  if (echo.is_err())
    return echo.error().to_errno();
  auto reg =
      kcpp::miscdevice::Registration<EchoFile>::make("kcpp-bench-cpp", std::move(*echo), kcpp::GFP_KERNEL);
  if (reg.is_err())
    return reg.error().to_errno();
  auto box = kcpp::KBox<kcpp::KBox<kcpp::miscdevice::Registration<EchoFile>>>::make(kcpp::GFP_KERNEL,
                                                                                    std::move(*reg));
  if (box.is_err())
    return box.error().to_errno();
  // SAFETY: the module's exit hands the pointer back to a KBox (kcpp_bench_misc_cpp_unregister()).
  registration = std::move(*box).into_raw();
  return 0;
}

void kcpp_bench_misc_cpp_unregister() {
  // SAFETY: registration came from into_raw() above, and is released once, here.
  (void)kcpp::KBox<kcpp::KBox<kcpp::miscdevice::Registration<EchoFile>>>::unsafe_from_raw(
      kcpp::exchange(registration, nullptr));
}
