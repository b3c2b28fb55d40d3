// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: files go with their object, or with their directory when that
 * goes first, and nothing of them is left either way; a file's contents
 * are what its function writes at the time of the read.
 */
#include <kcpp/debugfs.h>
#include <kcpp/kunit.h>

namespace {

struct Counter {
  const int* n;
  void operator()(kcpp::debugfs::Writer& w) const {
    w.printf("n=%d\n", __atomic_load_n(n, __ATOMIC_RELAXED));
  }
};

kcpp::Result<void> a_read_shows_the_current_value() {
  int n = 1;
  auto dir = KCPP_TRY(kcpp::debugfs::Dir::make("kcpp-test-dbg"));
  auto f = KCPP_TRY(dir.file("counter", Counter{&n}, kcpp::GFP_KERNEL));
  char buf[16];
  KCPP_EXPECT_EQ(kcpp_test_debugfs_show(f->as_raw(), buf, sizeof(buf)), 4);
  KCPP_EXPECT_EQ(__builtin_memcmp(buf, "n=1\n", 4), 0);
  n = 42;
  KCPP_EXPECT_EQ(kcpp_test_debugfs_show(f->as_raw(), buf, sizeof(buf)), 5);
  KCPP_EXPECT_EQ(__builtin_memcmp(buf, "n=42\n", 5), 0);
  char tiny[3];
  KCPP_EXPECT_EQ(kcpp_test_debugfs_show(f->as_raw(), tiny, sizeof(tiny)), -KCPP_EOVERFLOW);
  // Read-only files only, and one name once.
  KCPP_EXPECT_EQ(dir.file("rw", Counter{&n}, kcpp::GFP_KERNEL, 0644).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(dir.file("counter", Counter{&n}, kcpp::GFP_KERNEL).error(), kcpp::code::EEXIST);
  KCPP_EXPECT_EQ(kcpp::debugfs::Dir::make("kcpp-test-dbg").error(), kcpp::code::EEXIST);
  return {};
}

kcpp::Result<void> a_file_goes_with_its_object() {
  int n = 0;
  auto dir = KCPP_TRY(kcpp::debugfs::Dir::make("kcpp-test-dbg"));
  {
    auto f = KCPP_TRY(dir.file("counter", Counter{&n}, kcpp::GFP_KERNEL));
    KCPP_EXPECT(kcpp_test_debugfs_exists("counter", dir.as_raw()));
  }
  KCPP_EXPECT(!kcpp_test_debugfs_exists("counter", dir.as_raw()));
  // The name is free again.
  auto again = KCPP_TRY(dir.file("counter", Counter{&n}, kcpp::GFP_KERNEL));
  KCPP_EXPECT(kcpp_test_debugfs_exists("counter", dir.as_raw()));
  return {};
}

kcpp::Result<void> a_directory_that_goes_first_takes_its_files() {
  int n = 0;
  auto dir = KCPP_TRY(kcpp::KBox<kcpp::debugfs::Dir>::make(
      kcpp::GFP_KERNEL, KCPP_TRY(kcpp::debugfs::Dir::make("kcpp-test-dbg"))));
  auto sub = KCPP_TRY(kcpp::KBox<kcpp::debugfs::Dir>::make(
      kcpp::GFP_KERNEL, KCPP_TRY(kcpp::debugfs::Dir::make("sub", dir.get()))));
  auto f = KCPP_TRY(sub->file("counter", Counter{&n}, kcpp::GFP_KERNEL));
  auto top = KCPP_TRY(dir->file("top", Counter{&n}, kcpp::GFP_KERNEL));
  KCPP_EXPECT(kcpp_test_debugfs_exists("kcpp-test-dbg", nullptr));
  {
    auto gone = std::move(sub);
  }  // removed with its file here
  KCPP_EXPECT(!kcpp_test_debugfs_exists("sub", dir->as_raw()));
  KCPP_EXPECT(kcpp_test_debugfs_exists("top", dir->as_raw()));
  {
    auto gone = std::move(dir);
  }
  KCPP_EXPECT(!kcpp_test_debugfs_exists("kcpp-test-dbg", nullptr));
  return {};  // f and top go last: they only let go of their dentries
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_debugfs, KCPP_KUNIT_CASE(a_read_shows_the_current_value),
                 KCPP_KUNIT_CASE(a_file_goes_with_its_object),
                 KCPP_KUNIT_CASE(a_directory_that_goes_first_takes_its_files));
