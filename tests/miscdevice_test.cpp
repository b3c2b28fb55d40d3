// SPDX-License-Identifier: GPL-2.0
/*
 * Misc devices through the file operations the VFS calls: the example's
 * ring (tests of its user-visible behaviour run in user space, see
 * examples/misc/ringtest.c), a class with only open (the defaults), one
 * with llseek; opens under every allocation failure; a reader asleep when
 * the binding ends; the reference counts of open files.
 */
#include <kcpp/kunit.h>
#include <kcpp/miscdevice.h>

#include "../examples/misc/ring.h"

#include "helpers.h"

namespace {

using ring::RingFile;
using Ring = kcpp::miscdevice::Registration<RingFile>;

// A file open on registration r, closed (released) when it goes.
class TestFile {
 public:
  template <typename Reg>
  static kcpp::Result<TestFile> open(const Reg& r, unsigned int flags = KCPP_O_RDWR) {
    int err = 0;
    ::file* f = kcpp_test_misc_open(r.as_raw(), flags, &err);
    if (!f)
      return kcpp::Error::from_errno(err);
    return TestFile(f);
  }
  TestFile(TestFile&& o) noexcept : f_(kcpp::exchange(o.f_, nullptr)) {}
  ~TestFile() {
    if (f_)
      kcpp_test_file_close(f_);
  }
  long read(kcpp::uptr buf, unsigned long len) const {
    long long pos = 0;
    return kcpp_test_file_read(f_, buf, len, &pos);
  }
  long write(kcpp::uptr buf, unsigned long len) const {
    long long pos = 0;
    return kcpp_test_file_write(f_, buf, len, &pos);
  }
  // As the VFS calls them, with its copy of the position.
  long read_at(kcpp::uptr buf, unsigned long len, long long& pos) const {
    return kcpp_test_file_read(f_, buf, len, &pos);
  }
  long write_at(kcpp::uptr buf, unsigned long len, long long& pos) const {
    return kcpp_test_file_write(f_, buf, len, &pos);
  }
  ::file* raw() const { return f_; }

 private:
  explicit TestFile(::file* f) : f_(f) {}
  ::file* f_;
};

kcpp::Result<kcpp::uptr> user_memory() {
  const kcpp::uptr u = kcpp_kunit_user_memory(kcpp_kunit_current(), KCPP_PAGE_SIZE);
  if (!u)
    return kcpp::code::ENOMEM;
  return u;
}

kcpp::Result<void> ring_round_trip_and_counts() {
  auto shared = KCPP_TRY(kcpp::Arc<ring::Shared>::make(kcpp::GFP_KERNEL));
  auto dev = KCPP_TRY(Ring::make("kcpp-test-ring", shared, kcpp::GFP_KERNEL));
  const kcpp::uptr u = KCPP_TRY(user_memory());
  const kcpp::u8 msg[] = "ping";
  KCPP_TRY(kcpp::UserSlice::make(kcpp::UserPtr::from_addr(u), 5).writer().write_slice(msg));
  {
    auto a = KCPP_TRY(TestFile::open(*dev));
    auto b = KCPP_TRY(TestFile::open(*dev, KCPP_O_RDWR | KCPP_O_NONBLOCK));
    KCPP_EXPECT_EQ(shared.count(), 4u);  // ours, the registration's, two files'
    KCPP_EXPECT_EQ(a.write(u, 5), 5);
    KCPP_EXPECT_EQ(kcpp_test_file_poll(b.raw()),
                   KCPP_EPOLLIN | KCPP_EPOLLRDNORM | KCPP_EPOLLOUT | KCPP_EPOLLWRNORM);
    KCPP_EXPECT_EQ(b.read(u + 100, 64), 5);  // what a wrote, through another file
    KCPP_EXPECT_EQ(b.read(u + 100, 64), -KCPP_EAGAIN);
    kcpp::u8 back[5];
    KCPP_TRY(kcpp::UserSlice::make(kcpp::UserPtr::from_addr(u + 100), 5).reader().read_raw(back));
    KCPP_EXPECT_EQ(__builtin_memcmp(back, "ping", 5), 0);
    KCPP_EXPECT_EQ(kcpp_test_file_poll(b.raw()), KCPP_EPOLLOUT | KCPP_EPOLLWRNORM);
    KCPP_EXPECT_EQ(kcpp_test_file_ioctl(a.raw(), ring::CLEAR, 0), 0);
    KCPP_EXPECT_EQ(kcpp_test_file_ioctl(a.raw(), ring::CLEAR + 1, 0), -KCPP_ENOTTY);
    KCPP_EXPECT_EQ(kcpp_test_file_ioctl(a.raw(), ring::GET_STATS, 0), -KCPP_EFAULT);
    KCPP_EXPECT_EQ(kcpp_test_file_llseek(a.raw(), 0, KCPP_SEEK_SET), -KCPP_ESPIPE);  // no llseek
  }
  KCPP_EXPECT_EQ(shared.count(), 2u);  // both released
  return {};
}

// A class with open only: every other operation is the kernel's default.
struct Bare {
  using Shared = int;
  static kcpp::Result<Bare> open(const kcpp::Arc<int>&, const kcpp::fs::File&) { return Bare{}; }
};
// A seekable file of 100 bytes whose position only llseek moves; a seek
// to 50 exactly hands back a position below zero (a broken class).
struct Seekable {
  using Shared = int;
  static kcpp::Result<Seekable> open(const kcpp::Arc<int>& s, const kcpp::fs::File& f) {
    if (*s < 0)
      return kcpp::code::EPERM;
    return Seekable{f.is_nonblocking()};
  }
  kcpp::Result<kcpp::i64> llseek(const kcpp::fs::File& f, kcpp::i64 off, kcpp::fs::Whence w) const {
    const kcpp::i64 base = w == kcpp::fs::Whence::End ? 100 : w == kcpp::fs::Whence::Cur ? f.position() : 0;
    if (off + base < 0 || off + base > 100)
      return kcpp::code::EINVAL;
    return off + base == 50 ? -1 : off + base;
  }
  bool nonblocking;
};

// Reads and writes that move the position by their length, and fail
// (after moving it) when asked for 13 bytes.
struct Positioned {
  using Shared = int;
  static kcpp::Result<Positioned> open(const kcpp::Arc<int>&, const kcpp::fs::File&) { return Positioned{}; }
  kcpp::Result<kcpp::usize> read(const kcpp::fs::File&, kcpp::UserSliceWriter& out, kcpp::i64& pos) const {
    pos += static_cast<kcpp::i64>(out.len());
    if (out.len() == 13)
      return kcpp::code::EIO;
    return 0;
  }
  kcpp::Result<kcpp::usize> write(const kcpp::fs::File&, kcpp::UserSliceReader& in, kcpp::i64& pos) const {
    pos += static_cast<kcpp::i64>(in.len());
    if (in.len() == 13)
      return kcpp::code::EIO;
    return in.len();
  }
};

kcpp::Result<void> missing_operations_are_the_kernels_defaults() {
  auto bare = KCPP_TRY(kcpp::Arc<int>::make(kcpp::GFP_KERNEL, 0));
  auto dev = KCPP_TRY(kcpp::miscdevice::Registration<Bare>::make("kcpp-test-bare", bare, kcpp::GFP_KERNEL));
  auto f = KCPP_TRY(TestFile::open(*dev));
  const kcpp::uptr u = KCPP_TRY(user_memory());
  KCPP_EXPECT_EQ(f.read(u, 4), -KCPP_EINVAL);
  KCPP_EXPECT_EQ(f.write(u, 4), -KCPP_EINVAL);
  KCPP_EXPECT_EQ(kcpp_test_file_ioctl(f.raw(), 1, 0), -KCPP_ENOTTY);
  KCPP_EXPECT_EQ(kcpp_test_file_poll(f.raw()),
                 KCPP_EPOLLIN | KCPP_EPOLLOUT | KCPP_EPOLLRDNORM | KCPP_EPOLLWRNORM);
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), 0, KCPP_SEEK_SET), -KCPP_ESPIPE);
  return {};
}

kcpp::Result<void> llseek_and_open_see_the_file() {
  auto s = KCPP_TRY(kcpp::Arc<int>::make(kcpp::GFP_KERNEL, 0));
  auto dev = KCPP_TRY(kcpp::miscdevice::Registration<Seekable>::make("kcpp-test-seek", s, kcpp::GFP_KERNEL));
  auto f = KCPP_TRY(TestFile::open(*dev));
  // SAFETY: f stays open (and its struct file valid) until the end of this case.
  const kcpp::fs::File& file = kcpp::fs::File::unsafe_from_raw(f.raw());
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), 10, KCPP_SEEK_SET), 10);
  KCPP_EXPECT_EQ(file.position(), 10);  // the file's position, not only the answer
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), 5, KCPP_SEEK_CUR), 15);
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), -1, KCPP_SEEK_END), 99);
  KCPP_EXPECT_EQ(file.position(), 99);
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), 1, KCPP_SEEK_END), -KCPP_EINVAL);
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), -100, KCPP_SEEK_CUR), -KCPP_EINVAL);
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), 50, KCPP_SEEK_SET), -KCPP_EINVAL);  // -1 refused
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(f.raw(), 0, 3), -KCPP_EINVAL);               // SEEK_DATA: not a Whence
  KCPP_EXPECT_EQ(file.position(), 99);                                              // no failed seek moved it
  // open() saw the flags, and an error from open() is the open's.
  auto nb = KCPP_TRY(TestFile::open(*dev, KCPP_O_RDWR | KCPP_O_NONBLOCK));
  KCPP_EXPECT_EQ(kcpp_test_file_llseek(nb.raw(), 5, KCPP_SEEK_SET), 5);
  auto refuses = KCPP_TRY(kcpp::Arc<int>::make(kcpp::GFP_KERNEL, -1));
  auto dev2 =
      KCPP_TRY(kcpp::miscdevice::Registration<Seekable>::make("kcpp-test-seek2", refuses, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(TestFile::open(*dev2).error(), kcpp::code::EPERM);
  KCPP_EXPECT_EQ(refuses.count(), 2u);  // nothing kept by the failed open
  KCPP_EXPECT_EQ(kcpp::miscdevice::Registration<Bare>::make("kcpp-test-x", s, kcpp::GFP_ATOMIC).error(),
                 kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(
      kcpp::miscdevice::Registration<Bare>::make("kcpp-test-x", s, kcpp::GFP_KERNEL, 01000).error(),
      kcpp::code::EINVAL);
  return {};
}

// A read or write that moves the position keeps the move only when it
// succeeds: readv() calls it per segment with one position, and keeps
// that position when an earlier segment moved data.
kcpp::Result<void> position_moves_only_on_success() {
  auto s = KCPP_TRY(kcpp::Arc<int>::make(kcpp::GFP_KERNEL, 0));
  auto dev = KCPP_TRY(kcpp::miscdevice::Registration<Positioned>::make("kcpp-test-pos", s, kcpp::GFP_KERNEL));
  auto f = KCPP_TRY(TestFile::open(*dev));
  const kcpp::uptr u = KCPP_TRY(user_memory());
  long long pos = 100;
  KCPP_EXPECT_EQ(f.read_at(u, 4, pos), 0);
  KCPP_EXPECT_EQ(pos, 104);
  KCPP_EXPECT_EQ(f.read_at(u, 13, pos), -KCPP_EIO);
  KCPP_EXPECT_EQ(pos, 104);
  KCPP_EXPECT_EQ(f.write_at(u, 6, pos), 6);
  KCPP_EXPECT_EQ(pos, 110);
  KCPP_EXPECT_EQ(f.write_at(u, 13, pos), -KCPP_EIO);
  KCPP_EXPECT_EQ(pos, 110);
  return {};
}

// Every allocation of open failing in turn: the open fails with ENOMEM,
// nothing is left behind, and the next open works.
kcpp::Result<void> open_survives_every_allocation_failure() {
  auto shared = KCPP_TRY(kcpp::Arc<ring::Shared>::make(kcpp::GFP_KERNEL));
  auto dev = KCPP_TRY(Ring::make("kcpp-test-ring", shared, kcpp::GFP_KERNEL));
  long points = KCPP_TRY(kcpp_test::fault_sweep(
      [&]() -> kcpp::Result<void> {
        auto f = KCPP_TRY(TestFile::open(*dev));
        return kcpp_test_file_poll(f.raw()) == (KCPP_EPOLLOUT | KCPP_EPOLLWRNORM) ? kcpp::Result<void>()
                                                                                  : kcpp::code::EIO;
      },
      "misc open"));
  KCPP_EXPECT_GE(points, 1);  // the open file's object
  KCPP_EXPECT_EQ(shared.count(), 2u);
  return {};
}

// The probe of the ring's platform driver under every allocation failure.
kcpp::Result<void> ring_probe_survives_every_allocation_failure() {
  auto drv = KCPP_TRY(kcpp::platform::Registration<ring::Driver>::make(kcpp::GFP_KERNEL));
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make(ring::Driver::DEVICE, kcpp::platform::NO_ID));
  ::device* raw = dev.device().as_device().as_raw();
  KCPP_ASSERT(dev.device().as_device().is_bound());
  kcpp_device_release_driver(raw);
  long points = KCPP_TRY(kcpp_test::probe_sweep(raw, "ring probe"));
  KCPP_EXPECT_GE(points, 4);  // shared state, registration, the shim's record, driver data
  return {};
}

// A reader asleep in read() when the binding ends wakes with ENODEV, and
// the open file fails every later operation the same way.
struct Reader {
  ::file* f;
  long result = 1;
  int done = 0;
};
int reader_fn(void* p) {
  auto* r = static_cast<Reader*>(p);
  long long pos = 0;
  // No user memory in this thread: the read must end before any copy.
  __atomic_store_n(&r->result, kcpp_test_file_read(r->f, 0x1000, 16, &pos), __ATOMIC_RELEASE);
  __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
  return 0;
}

kcpp::Result<void> unbind_wakes_a_sleeping_reader() {
  auto drv = KCPP_TRY(kcpp::platform::Registration<ring::Driver>::make(kcpp::GFP_KERNEL));
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make(ring::Driver::DEVICE, kcpp::platform::NO_ID));
  // SAFETY: bound by drv (checked next); unbound below, after the last use of this reference.
  const auto& bound = kcpp::platform::Device<kcpp::device::Bound>::unsafe_from_raw(dev.device().as_raw());
  KCPP_ASSERT(bound.as_device().is_bound());
  ring::Driver* d = KCPP_TRY(bound.drvdata<ring::Driver>());
  auto f = KCPP_TRY(TestFile::open(d->misc()));
  auto r = KCPP_TRY(kcpp::KBox<Reader>::make(kcpp::GFP_KERNEL, Reader{f.raw()}));
  KCPP_ASSERT(kcpp_kthread_run(reader_fn, r.get(), "kcpp_ring_reader") != nullptr);
  for (int i = 0; i < 20; i++) kcpp_fsleep(1000);  // let it sleep in read()
  KCPP_EXPECT_EQ(__atomic_load_n(&r->done, __ATOMIC_ACQUIRE), 0);
  kcpp_device_release_driver(dev.device().as_device().as_raw());
  for (int i = 0; i < 5000 && !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
  KCPP_ASSERT_EQ(__atomic_load_n(&r->done, __ATOMIC_ACQUIRE), 1);
  KCPP_EXPECT_EQ(__atomic_load_n(&r->result, __ATOMIC_ACQUIRE), -KCPP_ENODEV);
  const kcpp::uptr u = KCPP_TRY(user_memory());
  KCPP_EXPECT_EQ(f.read(u, 1), -KCPP_ENODEV);
  KCPP_EXPECT_EQ(f.write(u, 1), -KCPP_ENODEV);
  KCPP_EXPECT_EQ(kcpp_test_file_poll(f.raw()), KCPP_EPOLLHUP | KCPP_EPOLLERR);
  return {};  // the file is closed after the binding and registration went
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_miscdevice, KCPP_KUNIT_CASE(ring_round_trip_and_counts),
                 KCPP_KUNIT_CASE(missing_operations_are_the_kernels_defaults),
                 KCPP_KUNIT_CASE(llseek_and_open_see_the_file),
                 KCPP_KUNIT_CASE(position_moves_only_on_success),
                 KCPP_KUNIT_CASE(open_survives_every_allocation_failure),
                 KCPP_KUNIT_CASE(ring_probe_survives_every_allocation_failure),
                 KCPP_KUNIT_CASE(unbind_wakes_a_sleeping_reader));
