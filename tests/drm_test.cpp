// SPDX-License-Identifier: GPL-2.0
/*
 * DRM devices through the file operations the VFS calls (drm_ioctl() with
 * user memory): a driver on a platform device with a counter ioctl and GEM
 * create/info ioctls; what the DRM core does with bad commands and bad
 * pointers; handles per file; objects outliving their handles; an unbind
 * under an open file; the registration under every allocation failure.
 */
#include <kcpp/drm.h>
#include <kcpp/kunit.h>
#include <kcpp/platform.h>
#include <kcpp/uaccess.h>

#include "drm_helpers.h"
#include "helpers.h"

namespace {

struct Add {
  kcpp::u64 amount;
  kcpp::u64 total;
};
struct Create {
  kcpp::u32 handle;
  kcpp::u32 pad;
  kcpp::u64 size;
};

int opens_refused = 0;  // the next this many opens fail with EMFILE
// The BLOCK handler: it sets entered, then waits (5 s at most) for release.
int block_entered = 0;
int block_release = 0;
struct TestDrm;
// A reference the KEEP ioctl took, for the test to check and drop.
kcpp::drm::gem::Object<TestDrm>* kept = nullptr;

struct TestDrm {
  struct Data {
    kcpp::u64 start;
  };
  class File {
   public:
    static kcpp::Result<File> open(const kcpp::drm::Device<TestDrm>& dev) {
      if (opens_refused > 0) {
        opens_refused--;
        return kcpp::code::EMFILE;
      }
      return File(dev.data().start);
    }
    mutable kcpp::u64 total;

   private:
    explicit File(kcpp::u64 t) : total(t) {}
  };
  static kcpp::Result<kcpp::u32> add(const kcpp::drm::Device<TestDrm>&, Add& arg,
                                     const kcpp::drm::File<TestDrm>& file) {
    arg.total = __atomic_add_fetch(&file.data().total, arg.amount, __ATOMIC_RELAXED);
    return 7;  // the ioctl's return value
  }
  static kcpp::Result<kcpp::u32> create(const kcpp::drm::Device<TestDrm>& dev, Create& arg,
                                        const kcpp::drm::File<TestDrm>& file) {
    auto obj = KCPP_TRY(kcpp::drm::gem::Object<TestDrm>::make_shmem(dev, arg.size, kcpp::GFP_KERNEL));
    arg.handle = KCPP_TRY(obj->create_handle(file));
    arg.size = obj->size();
    return 0;
  }
  static kcpp::Result<kcpp::u32> info(const kcpp::drm::Device<TestDrm>&, Create& arg,
                                      const kcpp::drm::File<TestDrm>& file) {
    arg.size = KCPP_TRY(kcpp::drm::gem::Object<TestDrm>::lookup(file, arg.handle))->size();
    return 0;
  }
  static kcpp::Result<kcpp::u32> keep(const kcpp::drm::Device<TestDrm>&, Create& arg,
                                      const kcpp::drm::File<TestDrm>& file) {
    if (kept)
      return kcpp::code::EBUSY;
    auto obj = KCPP_TRY(kcpp::drm::gem::Object<TestDrm>::lookup(file, arg.handle));
    // SAFETY: the reference goes to `kept`, which objects_outlive_their_handles() adopts back.
    kept = std::move(obj).into_raw();
    return 0;
  }
  static kcpp::Result<kcpp::u32> peek(const kcpp::drm::Device<TestDrm>&, Add& arg,
                                      const kcpp::drm::File<TestDrm>&) {
    arg.amount = arg.total;  // what the core put past a short argument
    return 0;
  }
  static kcpp::Result<kcpp::u32> block(const kcpp::drm::Device<TestDrm>&, Add&,
                                       const kcpp::drm::File<TestDrm>&) {
    __atomic_store_n(&block_entered, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 5000 && !__atomic_load_n(&block_release, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
    return 0;
  }
  static kcpp::Result<kcpp::u32> adopt(const kcpp::drm::Device<TestDrm>&, Create& arg,
                                       const kcpp::drm::File<TestDrm>& file) {
    if (!kept)
      return kcpp::code::ENOENT;
    arg.handle = KCPP_TRY(kept->create_handle(file));
    return 0;
  }
  static kcpp::Result<kcpp::u32> big(const kcpp::drm::Device<TestDrm>&, Add&,
                                     const kcpp::drm::File<TestDrm>&) {
    return 0x80000000u;  // past INT_MAX: not an ioctl's return value
  }
  static constexpr kcpp::drm::DriverInfo INFO = {1, 2, 3, "kcpp_test_drm", "kcpp test DRM driver"};
  static constexpr kcpp::drm::Features FEATURES = kcpp::drm::Features::Render;
  using F = kcpp::drm::IoctlFlags;
  using IOCTLS = kcpp::drm::Ioctls<
      kcpp::drm::Ioctl<"ADD", kcpp::drm::iowr<Add>(0), Add, F::RenderAllow, &add>,
      kcpp::drm::Ioctl<"CREATE", kcpp::drm::iowr<Create>(1), Create, F::Auth | F::RenderAllow, &create>,
      kcpp::drm::Ioctl<"INFO", kcpp::drm::iowr<Create>(2), Create, F::Auth | F::RenderAllow, &info>,
      kcpp::drm::Ioctl<"BIG", kcpp::drm::iowr<Add>(3), Add, F::RenderAllow, &big>,
      kcpp::drm::Ioctl<"KEEP", kcpp::drm::iowr<Create>(4), Create, F::RenderAllow, &keep>,
      kcpp::drm::Ioctl<"PEEK", kcpp::drm::iowr<Add>(5), Add, F::RenderAllow, &peek>,
      kcpp::drm::Ioctl<"BLOCK", kcpp::drm::iowr<Add>(6), Add, F::RenderAllow, &block>,
      kcpp::drm::Ioctl<"ADOPT", kcpp::drm::iowr<Create>(7), Create, F::RenderAllow, &adopt>>;
};
static_assert(kcpp::drm::Driver<TestDrm>);
constexpr kcpp::u32 ADD = kcpp::drm::iowr<Add>(0);
constexpr kcpp::u32 CREATE = kcpp::drm::iowr<Create>(1);
constexpr kcpp::u32 INFO = kcpp::drm::iowr<Create>(2);
constexpr kcpp::u32 BIG = kcpp::drm::iowr<Add>(3);
constexpr kcpp::u32 KEEP = kcpp::drm::iowr<Create>(4);
constexpr kcpp::u32 ADOPT = kcpp::drm::iowr<Create>(7);
// PEEK with the argument's first 8 bytes only.
constexpr kcpp::u32 PEEK_SHORT = kcpp::drm::iowr<kcpp::u64>(5);
// BLOCK without an argument: drm_ioctl() copies nothing (a kthread, which
// has no user memory, can call it).
constexpr kcpp::u32 BLOCK_NO_ARG = kcpp::ioctl::io('d', 0x40 + 6);
// DRM_IOCTL_GEM_CLOSE, the core's.
struct GemClose {
  kcpp::u32 handle;
  kcpp::u32 pad;
};
constexpr kcpp::u32 GEM_CLOSE = kcpp::ioctl::iow<GemClose>('d', 0x09);

struct Host {
  using IdInfo = kcpp::platform::NoInfo;
  static constexpr const char* NAME = "kcpp_test_drm";
  static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
      {kcpp::platform::DeviceId::name("kcpp-test-drm"), {}},
  });
  static kcpp::Result<Host> probe(const kcpp::platform::Device<kcpp::device::Core>& pdev,
                                  kcpp::Option<const IdInfo*>) {
    return Host{KCPP_TRY(kcpp::drm::Registration<TestDrm>::make(pdev, TestDrm::Data{100}, kcpp::GFP_KERNEL))};
  }
  kcpp::drm::Registration<TestDrm> drm;
};

using kcpp_test::DrmFile;

// A user page for the ioctls' arguments, with typed access.
struct UserArg {
  static kcpp::Result<UserArg> make() { return UserArg{KCPP_TRY(kcpp_test::user_page())}; }
  template <typename T>
  kcpp::Result<void> put(const T& v) const {
    return kcpp_test::put_user(addr, v);
  }
  template <typename T>
  kcpp::Result<T> get() const {
    return kcpp_test::get_user<T>(addr);
  }
  kcpp::uptr addr;
};

// The driver, and a device it bound (unregistered first).
struct Bound {
  static kcpp::Result<Bound> make(int id = kcpp::platform::NO_ID) {
    auto drv = KCPP_TRY(kcpp::platform::Registration<Host>::make(kcpp::GFP_KERNEL));
    auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-drm", id));
    return Bound{std::move(drv), std::move(dev)};
  }
  ::device* raw() const { return dev.device().as_device().as_raw(); }
  kcpp::Result<const kcpp::drm::Device<TestDrm>*> drm() const {
    KCPP_ASSERT(dev.device().as_device().is_bound());
    // SAFETY: bound (checked just above), and nothing else unbinds it during the test.
    const auto& b = kcpp::platform::Device<kcpp::device::Bound>::unsafe_from_raw(dev.device().as_raw());
    return &KCPP_TRY(b.drvdata<Host>())->drm.device();
  }
  kcpp::platform::Registration<Host> drv;
  kcpp::platform::DeviceRegistration dev;
};

kcpp::Result<void> ioctls_round_trip() {
  auto b = KCPP_TRY(Bound::make());
  const kcpp::drm::Device<TestDrm>& dev = *KCPP_TRY(b.drm());
  KCPP_EXPECT_GE(dev.render_minor(), 128);
  KCPP_EXPECT_EQ(dev.parent().as_raw(), b.raw());  // make(): under the bound device
  auto f = KCPP_TRY(DrmFile::open(dev));
  auto u = KCPP_TRY(UserArg::make());
  KCPP_TRY(u.put(Add{5, 0}));
  KCPP_EXPECT_EQ(f.ioctl(ADD, u.addr), 7);
  KCPP_EXPECT_EQ(KCPP_TRY(u.get<Add>()).total, 105u);  // copied out after the handler
  KCPP_EXPECT_EQ(f.ioctl(ADD, u.addr), 7);
  KCPP_EXPECT_EQ(KCPP_TRY(u.get<Add>()).total, 110u);
  // Another file has its own data.
  auto g = KCPP_TRY(DrmFile::open(dev));
  KCPP_EXPECT_EQ(g.ioctl(ADD, u.addr), 7);
  KCPP_EXPECT_EQ(KCPP_TRY(u.get<Add>()).total, 105u);
  // A handler's result past INT_MAX is a bug: ERANGE and a warning (expected here).
  kcpp_fault_expect_warnings(1);
  KCPP_EXPECT_EQ(f.ioctl(BIG, u.addr), -KCPP_ERANGE);
  KCPP_EXPECT_EQ(kcpp_fault_expected_warnings_left(), 0);
  kcpp_fault_expect_warnings(0);
  return {};
}

// What never reaches a handler: an unknown driver command, another type's
// command, a bad pointer; and a short argument, zero-filled.
kcpp::Result<void> bad_commands_and_pointers() {
  auto b = KCPP_TRY(Bound::make());
  auto f = KCPP_TRY(DrmFile::open(*KCPP_TRY(b.drm())));
  auto u = KCPP_TRY(UserArg::make());
  KCPP_EXPECT_EQ(f.ioctl(kcpp::drm::iowr<Add>(8), u.addr), -KCPP_EINVAL);  // past the table
  KCPP_EXPECT_EQ(f.ioctl(kcpp::ioctl::iowr<Add>('x', 0x40), u.addr), -KCPP_ENOTTY);
  KCPP_EXPECT_EQ(f.ioctl(ADD, 0), -KCPP_EFAULT);
  KCPP_EXPECT_EQ(f.ioctl(ADD, 0xffff888000000000ul), -KCPP_EFAULT);  // the kernel's, not user memory
  // User space sends 8 bytes of a 16-byte argument: the handler gets a
  // whole one, zero past what was sent, and only 8 bytes go back. The whole
  // argument first, so that the core's buffer holds non-zero bytes there.
  KCPP_TRY(u.put(Add{3, 0xdeadbeef}));
  KCPP_EXPECT_EQ(f.ioctl(kcpp::drm::iowr<Add>(5), u.addr), 0);
  KCPP_EXPECT_EQ(KCPP_TRY(u.get<Add>()).amount, 0xdeadbeefu);
  KCPP_TRY(u.put(Add{3, 0xdeadbeef}));
  KCPP_EXPECT_EQ(f.ioctl(PEEK_SHORT, u.addr), 0);
  const Add back = KCPP_TRY(u.get<Add>());
  KCPP_EXPECT_EQ(back.amount, 0u);          // the total the handler saw
  KCPP_EXPECT_EQ(back.total, 0xdeadbeefu);  // beyond what user space sent: untouched
  return {};
}

kcpp::Result<void> gem_handles_are_per_file() {
  auto b = KCPP_TRY(Bound::make());
  const kcpp::drm::Device<TestDrm>& dev = *KCPP_TRY(b.drm());
  auto f = KCPP_TRY(DrmFile::open(dev));
  auto g = KCPP_TRY(DrmFile::open(dev));
  auto u = KCPP_TRY(UserArg::make());
  KCPP_TRY(u.put(Create{0, 0, 1}));
  KCPP_EXPECT_EQ(f.ioctl(CREATE, u.addr), 0);
  const Create made = KCPP_TRY(u.get<Create>());
  KCPP_EXPECT_NE(made.handle, 0u);
  KCPP_EXPECT_EQ(made.size, 4096u);  // rounded up to a page
  KCPP_TRY(u.put(Create{made.handle, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(INFO, u.addr), 0);
  KCPP_EXPECT_EQ(KCPP_TRY(u.get<Create>()).size, 4096u);
  KCPP_EXPECT_EQ(g.ioctl(INFO, u.addr), -KCPP_ENOENT);  // another file's handle
  KCPP_TRY(u.put(Create{made.handle + 100, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(INFO, u.addr), -KCPP_ENOENT);
  // Sizes the driver refuses, without allocating them.
  KCPP_TRY(u.put(Create{0, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(CREATE, u.addr), -KCPP_EINVAL);
  KCPP_TRY(u.put(Create{0, 0, ~kcpp::u64(0) - 100}));
  KCPP_EXPECT_EQ(f.ioctl(CREATE, u.addr), -KCPP_EINVAL);
  // The core's GEM_CLOSE drops the handle: it names nothing after.
  KCPP_TRY(u.put(GemClose{made.handle, 0}));
  KCPP_EXPECT_EQ(f.ioctl(GEM_CLOSE, u.addr), 0);
  KCPP_TRY(u.put(Create{made.handle, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(INFO, u.addr), -KCPP_ENOENT);
  return {};
}

// A reference outlives the handle, and a handle the reference: the object
// goes when both did.
kcpp::Result<void> objects_outlive_their_handles() {
  auto b = KCPP_TRY(Bound::make());
  const kcpp::drm::Device<TestDrm>& dev = *KCPP_TRY(b.drm());
  auto f = KCPP_TRY(DrmFile::open(dev));
  auto u = KCPP_TRY(UserArg::make());
  KCPP_TRY(u.put(Create{0, 0, kcpp::u64(3) * 4096}));
  KCPP_EXPECT_EQ(f.ioctl(CREATE, u.addr), 0);
  const kcpp::u32 handle = KCPP_TRY(u.get<Create>()).handle;
  KCPP_EXPECT_EQ(f.ioctl(KEEP, u.addr), 0);
  KCPP_ASSERT(kept != nullptr);
  // SAFETY: KEEP's lookup took this reference and handed it over; taken back once.
  auto obj = kcpp::ARef<kcpp::drm::gem::Object<TestDrm>>::unsafe_adopt(kcpp::exchange(kept, nullptr));
  KCPP_TRY(u.put(GemClose{handle, 0}));
  KCPP_EXPECT_EQ(f.ioctl(GEM_CLOSE, u.addr), 0);
  KCPP_EXPECT_EQ(f.ioctl(GEM_CLOSE, u.addr), -KCPP_EINVAL);  // gone from the file
  KCPP_EXPECT_EQ(obj->size(), 3u * 4096);                    // still alive through the reference
  KCPP_EXPECT_EQ(&obj->device(), &dev);
  // And the other way: the handle keeps an object whose reference went.
  KCPP_TRY(u.put(Create{0, 0, 4096}));
  KCPP_EXPECT_EQ(f.ioctl(CREATE, u.addr), 0);  // CREATE's reference went when it returned
  KCPP_EXPECT_EQ(f.ioctl(INFO, u.addr), 0);
  KCPP_EXPECT_EQ(KCPP_TRY(u.get<Create>()).size, 4096u);
  return {};
}

// An object keeps its device: a reference kept past the device's
// registration, binding and files still reaches its device's data, and
// dropping it releases the device (the sanitizer kernel's KASAN sees a
// use after free otherwise).
kcpp::Result<void> object_keeps_its_device() {
  kcpp::Option<kcpp::drm::gem::Object<TestDrm>*> left;
  {
    auto b = KCPP_TRY(Bound::make());
    auto obj =
        KCPP_TRY(kcpp::drm::gem::Object<TestDrm>::make_shmem(*KCPP_TRY(b.drm()), 4096, kcpp::GFP_KERNEL));
    // SAFETY: the reference leaves the ARef for the test to adopt back below.
    left = std::move(obj).into_raw();
  }
  // SAFETY: the reference from into_raw() above, taken back once.
  auto obj = kcpp::ARef<kcpp::drm::gem::Object<TestDrm>>::unsafe_adopt(left.expect("set above"));
  KCPP_EXPECT_EQ(obj->device().data().start, 100u);
  KCPP_EXPECT_EQ(obj->size(), 4096u);
  return {};  // the object goes, then its device
}

// Two devices of one driver: a handle names an object of its file's device
// only.
kcpp::Result<void> handles_stay_on_their_device() {
  auto a = KCPP_TRY(Bound::make(1));
  auto dev_b = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-drm", 2));
  // SAFETY: a's driver bound it at registration; nothing unbinds it during the test.
  const auto& pb = kcpp::platform::Device<kcpp::device::Bound>::unsafe_from_raw(dev_b.device().as_raw());
  KCPP_ASSERT(dev_b.device().as_device().is_bound());
  const kcpp::drm::Device<TestDrm>& b = KCPP_TRY(pb.drvdata<Host>())->drm.device();
  auto obj =
      KCPP_TRY(kcpp::drm::gem::Object<TestDrm>::make_shmem(*KCPP_TRY(a.drm()), 4096, kcpp::GFP_KERNEL));
  auto fa = KCPP_TRY(DrmFile::open(*KCPP_TRY(a.drm())));
  auto fb = KCPP_TRY(DrmFile::open(b));
  auto u = KCPP_TRY(UserArg::make());
  kept = obj.get();                                       // ADOPT's object; the test keeps the reference
  KCPP_EXPECT_EQ(fb.ioctl(ADOPT, u.addr), -KCPP_EINVAL);  // another device's file
  KCPP_EXPECT_EQ(fa.ioctl(ADOPT, u.addr), 0);
  kept = nullptr;
  const kcpp::u32 handle = KCPP_TRY(u.get<Create>()).handle;
  KCPP_TRY(u.put(Create{handle, 0, 0}));
  KCPP_EXPECT_EQ(fa.ioctl(INFO, u.addr), 0);
  KCPP_EXPECT_EQ(fb.ioctl(INFO, u.addr), -KCPP_ENOENT);
  return {};
}

// An unbind while a file is open: its ioctls get ENODEV, it still closes,
// and a bind makes a new, working device.
kcpp::Result<void> unbind_under_an_open_file() {
  auto b = KCPP_TRY(Bound::make());
  auto f = KCPP_TRY(DrmFile::open(*KCPP_TRY(b.drm())));
  auto u = KCPP_TRY(UserArg::make());
  KCPP_TRY(u.put(Add{1, 0}));
  KCPP_EXPECT_EQ(f.ioctl(ADD, u.addr), 7);
  const kcpp::drm::Device<TestDrm>& dev = *KCPP_TRY(b.drm());
  auto kept_dev = kcpp::ARef<kcpp::drm::Device<TestDrm>>::from(dev);
  kcpp_device_release_driver(b.raw());
  KCPP_EXPECT(!b.dev.device().as_device().is_bound());
  KCPP_EXPECT_EQ(f.ioctl(ADD, u.addr), -KCPP_ENODEV);
  // The test hook skips drm_open()'s unplugged check: kcpp's open refuses.
  KCPP_EXPECT_EQ(DrmFile::open(*kept_dev).error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(f.ioctl(CREATE, u.addr), -KCPP_ENODEV);
  KCPP_EXPECT_EQ(kcpp_device_attach(b.raw()), 1);
  auto g = KCPP_TRY(DrmFile::open(*KCPP_TRY(b.drm())));
  KCPP_EXPECT_EQ(g.ioctl(ADD, u.addr), 7);
  KCPP_EXPECT_EQ(f.ioctl(ADD, u.addr), -KCPP_ENODEV);  // the old file stays unplugged
  return {};                                           // f closes after the device it was open on went
}

// An unbind waits for a handler that is running: the unplug returns only
// after it, and the handler's result still reaches its caller.
struct Caller {
  ::file* f;
  long result;
  int done;
};
int call_block(void* p) {
  auto* c = static_cast<Caller*>(p);
  __atomic_store_n(&c->result, kcpp_test_drm_ioctl(c->f, BLOCK_NO_ARG, 0), __ATOMIC_RELAXED);
  __atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
  return 0;
}
struct Unbinder {
  ::device* dev;
  int done;
};
int unbind(void* p) {
  auto* u = static_cast<Unbinder*>(p);
  kcpp_device_release_driver(u->dev);
  __atomic_store_n(&u->done, 1, __ATOMIC_RELEASE);
  return 0;
}
kcpp::Result<void> unbind_waits_for_a_running_handler() {
  auto b = KCPP_TRY(Bound::make());
  auto f = KCPP_TRY(DrmFile::open(*KCPP_TRY(b.drm())));
  __atomic_store_n(&block_entered, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&block_release, 0, __ATOMIC_RELAXED);
  auto caller = KCPP_TRY(kcpp::KBox<Caller>::make(kcpp::GFP_KERNEL, Caller{f.raw(), 1, 0}));
  auto unbinder = KCPP_TRY(kcpp::KBox<Unbinder>::make(kcpp::GFP_KERNEL, Unbinder{b.raw(), 0}));
  KCPP_ASSERT(kcpp_kthread_run(call_block, caller.get(), "kcpp_drm_call") != nullptr);
  for (int i = 0; i < 2000 && !__atomic_load_n(&block_entered, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
  KCPP_ASSERT_EQ(__atomic_load_n(&block_entered, __ATOMIC_ACQUIRE), 1);
  KCPP_ASSERT(kcpp_kthread_run(unbind, unbinder.get(), "kcpp_drm_unbind") != nullptr);
  for (int i = 0; i < 100; i++) kcpp_fsleep(1000);  // time for the unbind to reach the unplug
  KCPP_EXPECT_EQ(__atomic_load_n(&unbinder->done, __ATOMIC_ACQUIRE), 0);  // waiting for the handler
  KCPP_EXPECT_EQ(__atomic_load_n(&caller->done, __ATOMIC_ACQUIRE), 0);
  __atomic_store_n(&block_release, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < 5000 && !(__atomic_load_n(&unbinder->done, __ATOMIC_ACQUIRE) &&
                                __atomic_load_n(&caller->done, __ATOMIC_ACQUIRE));
       i++)
    kcpp_fsleep(1000);
  KCPP_ASSERT_EQ(__atomic_load_n(&unbinder->done, __ATOMIC_ACQUIRE), 1);
  KCPP_ASSERT_EQ(__atomic_load_n(&caller->done, __ATOMIC_ACQUIRE), 1);
  KCPP_EXPECT_EQ(__atomic_load_n(&caller->result, __ATOMIC_RELAXED), 0);
  KCPP_EXPECT_EQ(f.ioctl(BLOCK_NO_ARG, 0), -KCPP_ENODEV);
  return {};
}

// An open that the driver refuses leaves nothing behind.
kcpp::Result<void> refused_open() {
  auto b = KCPP_TRY(Bound::make());
  opens_refused = 1;
  KCPP_EXPECT_EQ(DrmFile::open(*KCPP_TRY(b.drm())).error(), kcpp::code::EMFILE);
  KCPP_EXPECT_EQ(opens_refused, 0);
  auto f = KCPP_TRY(DrmFile::open(*KCPP_TRY(b.drm())));
  (void)f;
  return {};
}

// The probe under each of kcpp's allocations failing in turn (the DRM
// core's own are not injected): each fails the probe and leaves nothing,
// the last (the devres record) after the device was registered, which the
// unconsumed registration then unplugs.
kcpp::Result<void> probe_survives_every_allocation_failure() {
  auto b = KCPP_TRY(Bound::make());
  KCPP_ASSERT(b.dev.device().as_device().is_bound());
  kcpp_device_release_driver(b.raw());
  const long points = KCPP_TRY(kcpp_test::probe_sweep(b.raw(), "drm probe"));
  KCPP_EXPECT_GE(points, 2);  // the data's box, the devres node
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_drm, KCPP_KUNIT_CASE(ioctls_round_trip), KCPP_KUNIT_CASE(bad_commands_and_pointers),
                 KCPP_KUNIT_CASE(gem_handles_are_per_file), KCPP_KUNIT_CASE(objects_outlive_their_handles),
                 KCPP_KUNIT_CASE(object_keeps_its_device), KCPP_KUNIT_CASE(handles_stay_on_their_device),
                 KCPP_KUNIT_CASE(unbind_under_an_open_file),
                 KCPP_KUNIT_CASE(unbind_waits_for_a_running_handler), KCPP_KUNIT_CASE(refused_open),
                 KCPP_KUNIT_CASE(probe_survives_every_allocation_failure));
