/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The misc-device example: /dev/kcpp-ring, a byte ring shared by every open
 * file. Writes append (blocking while it is full), reads take from the
 * front (blocking while it is empty), poll reports both, ioctls read the
 * statistics, clear the ring and set the largest write. The device belongs
 * to a binding of a platform driver: unbinding it wakes every sleeper with
 * ENODEV, and later operations on files still open fail the same way.
 *
 * The binding also runs deferred work, visible in debugfs
 * (/sys/kernel/debug/kcpp-ring/activity): a 10 ms timer counts its ticks
 * and, every fifth, queues a work item that samples how full the ring is
 * (the timer cannot sleep for the mutex; the work can); a delayed work item
 * records how long after the bind it ran.
 */
#ifndef KCPP_EXAMPLES_MISC_RING_H
#define KCPP_EXAMPLES_MISC_RING_H

#include <kcpp/debugfs.h>
#include <kcpp/hrtimer.h>
#include <kcpp/miscdevice.h>
#include <kcpp/platform.h>
#include <kcpp/print.h>
#include <kcpp/sync/condvar.h>
#include <kcpp/sync/lock.h>
#include <kcpp/time.h>
#include <kcpp/workqueue.h>

#include "ring_uapi.h"

namespace ring {

inline constexpr kcpp::usize CAPACITY = KCPP_RING_CAPACITY;

/** struct kcpp_ring_stats, as C++ sees it. */
struct Stats {
  kcpp::u64 capacity;
  kcpp::u64 used;
  kcpp::u64 read;
  kcpp::u64 written;
  kcpp::u64 max_write;
  KCPP_PLAIN_BYTES;
};
static_assert(sizeof(Stats) == sizeof(kcpp_ring_stats));

inline constexpr kcpp::u32 GET_STATS = kcpp::ioctl::ior<Stats>('r', 1);
inline constexpr kcpp::u32 CLEAR = kcpp::ioctl::io('r', 2);
inline constexpr kcpp::u32 SET_MAX_WRITE = kcpp::ioctl::iow<kcpp::u32>('r', 3);
static_assert(GET_STATS == KCPP_RING_GET_STATS && CLEAR == KCPP_RING_CLEAR &&
              SET_MAX_WRITE == KCPP_RING_SET_MAX_WRITE);

/** What the mutex protects. */
struct State {
  kcpp::u8 bytes[CAPACITY];
  kcpp::usize head = 0;  // the first byte to read
  kcpp::usize used = 0;
  kcpp::usize max_write = CAPACITY;
  kcpp::u64 read = 0;
  kcpp::u64 written = 0;
  kcpp::u64 generation = 0;  // bumped by CLEAR: a read in flight then consumes nothing
};

/**
 * The device's state, shared by its open files. The state mutex is never
 * held across a copy to or from user space (a copy can sleep for as long
 * as user space likes, in a page fault on a FUSE mapping say): reads and
 * writes go through a kernel buffer. Readers are serialised by a mutex of
 * their own, which may be held across a copy, so that what one reader
 * copied out is what it consumes.
 */
struct Shared {
  kcpp::Mutex<State> state{KCPP_LOCK_CLASS()};
  kcpp::Mutex<int> reader{KCPP_LOCK_CLASS(), 0};
  kcpp::CondVar readable{KCPP_LOCK_CLASS()};
  kcpp::CondVar writable{KCPP_LOCK_CLASS()};
  mutable int gone = 0;  // the binding ended: every operation fails with ENODEV

  [[nodiscard]] bool is_gone() const { return __atomic_load_n(&gone, __ATOMIC_ACQUIRE) != 0; }
  /** Ends the device: sleepers wake with ENODEV, as do later calls. */
  void shut_down() const {
    {
      // Under the lock: a sleeper checked `gone` under it and is queued
      // before it let go, so no wake-up is lost.
      auto g = state.lock();
      __atomic_store_n(&gone, 1, __ATOMIC_RELEASE);
    }
    readable.notify_all();
    writable.notify_all();
  }
};

/** Copies @p n bytes of the ring from @p at into @p out (two runs when it wraps). */
inline void copy_out(const State& s, kcpp::usize at, kcpp::Span<kcpp::u8> out) {
  const kcpp::usize first = out.size() < CAPACITY - at ? out.size() : CAPACITY - at;
  __builtin_memcpy(out.data(), s.bytes + at, first);
  __builtin_memcpy(out.data() + first, s.bytes, out.size() - first);
}
/** Copies @p in into the ring from @p at. */
inline void copy_in(State& s, kcpp::usize at, kcpp::Span<const kcpp::u8> in) {
  const kcpp::usize first = in.size() < CAPACITY - at ? in.size() : CAPACITY - at;
  __builtin_memcpy(s.bytes + at, in.data(), first);
  __builtin_memcpy(s.bytes, in.data() + first, in.size() - first);
}

/** One open file of /dev/kcpp-ring. */
class RingFile {
 public:
  using Shared = ring::Shared;
  /// The ring's ioctls take pointers to fixed-size arguments: the 32-bit
  /// call is the 64-bit one (compat_ptr_ioctl()).
  static constexpr bool COMPAT_PTR_IOCTL = true;

  // Runs under misc_mtx (misc_open()): takes no lock.
  static kcpp::Result<RingFile> open(const kcpp::Arc<Shared>& shared, const kcpp::fs::File&) {
    if (shared->is_gone())
      return kcpp::code::ENODEV;
    return RingFile(shared);
  }

  // Blocks until there is data (or EAGAIN when non-blocking); returns what
  // there is, up to the buffer's size. A fault while copying out consumes
  // nothing.
  kcpp::Result<kcpp::usize> read(const kcpp::fs::File& file, kcpp::UserSliceWriter& out, kcpp::i64) const {
    if (out.is_empty())
      return 0;
    // A signal while waiting for another reader: mutex_lock_interruptible()
    // says EINTR, but nothing has happened yet, so the kernel may restart
    // the read (SA_RESTART) as it does from the wait below.
    auto turn_or = shared_->reader.lock_interruptible();
    if (turn_or.is_err())
      return kcpp::code::ERESTARTSYS;
    auto turn = std::move(turn_or).expect("checked just above");
    kcpp::KVec<kcpp::u8> bounce;
    kcpp::u64 generation = 0;
    {
      auto g = shared_->state.lock();
      while (g->used == 0) {
        if (shared_->is_gone())
          return kcpp::code::ENODEV;
        if (file.is_nonblocking())
          return kcpp::code::EAGAIN;
        KCPP_TRY(shared_->readable.wait_interruptible(g));
      }
      if (shared_->is_gone())
        return kcpp::code::ENODEV;
      const kcpp::usize want = out.len() < g->used ? out.len() : g->used;
      KCPP_TRY(
          bounce.extend_with(want, kcpp::GFP_KERNEL, [&](kcpp::Span<kcpp::u8> dst) -> kcpp::Result<void> {
            copy_out(*g, g->head, dst);
            return {};
          }));
      generation = g->generation;
    }
    KCPP_TRY(out.write_slice(bounce.as_span()));
    const kcpp::usize done = bounce.len();
    {
      // Only this reader consumes (the reader mutex), writers only append:
      // the bytes copied are still the first ones, unless CLEAR dropped them.
      auto g = shared_->state.lock();
      if (g->generation == generation) {
        g->head = (g->head + done) % CAPACITY;
        g->used -= done;
        g->read += done;
      }
    }
    shared_->writable.notify_all();
    return done;
  }

  // Copies the user's bytes in first (a fault takes nothing), then blocks
  // until there is room (or EAGAIN) and takes as much as fits.
  kcpp::Result<kcpp::usize> write(const kcpp::fs::File& file, kcpp::UserSliceReader& in, kcpp::i64) const {
    if (in.len() > shared_->state.lock()->max_write)
      return kcpp::code::EINVAL;
    if (in.is_empty())
      return 0;
    kcpp::KVec<kcpp::u8> bounce;
    KCPP_TRY(in.read_all(bounce, kcpp::GFP_KERNEL));
    auto g = shared_->state.lock();
    while (g->used == CAPACITY) {
      if (shared_->is_gone())
        return kcpp::code::ENODEV;
      if (file.is_nonblocking())
        return kcpp::code::EAGAIN;
      KCPP_TRY(shared_->writable.wait_interruptible(g));
    }
    if (shared_->is_gone())
      return kcpp::code::ENODEV;
    const kcpp::usize room = CAPACITY - g->used;
    const kcpp::usize take = bounce.len() < room ? bounce.len() : room;
    copy_in(*g, (g->head + g->used) % CAPACITY,
            KCPP_TRY(kcpp::Span<const kcpp::u8>(bounce.as_span()).subspan(0, take)));
    g->used += take;
    g->written += take;
    shared_->readable.notify_all();
    return take;
  }

  kcpp::Result<long> ioctl(const kcpp::fs::File&, kcpp::u32 cmd, kcpp::UserPtr arg) const {
    switch (cmd) {
      case GET_STATS: {
        Stats s{};
        {
          auto g = shared_->state.lock();
          if (shared_->is_gone())
            return kcpp::code::ENODEV;
          s = Stats{CAPACITY, g->used, g->read, g->written, g->max_write};
        }
        KCPP_TRY(kcpp::UserSlice::make(arg, sizeof(Stats)).writer().write(s));
        return 0;
      }
      case CLEAR: {
        auto g = shared_->state.lock();
        if (shared_->is_gone())
          return kcpp::code::ENODEV;
        g->head = g->used = 0;
        g->read = g->written = 0;
        g->generation++;
        shared_->writable.notify_all();
        return 0;
      }
      case SET_MAX_WRITE: {
        const kcpp::u32 max =
            KCPP_TRY(kcpp::UserSlice::make(arg, sizeof(kcpp::u32)).reader().read<kcpp::u32>());
        if (max == 0 || max > CAPACITY)
          return kcpp::code::EINVAL;
        auto g = shared_->state.lock();
        if (shared_->is_gone())
          return kcpp::code::ENODEV;
        g->max_write = max;
        return 0;
      }
      default:
        return kcpp::code::ENOTTY;
    }
  }

  kcpp::fs::PollMask poll(const kcpp::fs::File&, const kcpp::fs::PollTable& pt) const {
    pt.wait(shared_->readable.wait_queue());
    pt.wait(shared_->writable.wait_queue());
    using kcpp::fs::PollMask;
    if (shared_->is_gone())
      return PollMask::HUP | PollMask::ERR;
    auto g = shared_->state.lock();
    PollMask m;
    if (g->used > 0)
      m = m | PollMask::IN | PollMask::RDNORM;
    if (g->used < CAPACITY)
      m = m | PollMask::OUT | PollMask::WRNORM;
    return m;
  }

 private:
  explicit RingFile(kcpp::Arc<Shared> s) : shared_(std::move(s)) {}
  kcpp::Arc<Shared> shared_;
};

/** What the binding's deferred work did (atomics: timer, work and readers race). */
struct Activity {
  kcpp::u64 ticks = 0;
  kcpp::u64 samples = 0;
  kcpp::u64 max_fill = 0;
  kcpp::i64 delayed_work_ms = -1;  // not run yet

  static kcpp::u64 get(const kcpp::u64& v) { return __atomic_load_n(&v, __ATOMIC_RELAXED); }
};

/** The work item: samples the fill level under the mutex. */
struct Sample {
  kcpp::Arc<Shared> shared;
  Activity* activity;
  void operator()() const {
    const kcpp::u64 used = shared->state.lock()->used;
    __atomic_add_fetch(&activity->samples, 1, __ATOMIC_RELAXED);
    if (used > Activity::get(activity->max_fill))
      __atomic_store_n(&activity->max_fill, used, __ATOMIC_RELAXED);
  }
};

/** The delayed work item: how long after the bind it ran. */
struct Delayed {
  Activity* activity;
  kcpp::Instant queued;
  void operator()() const {
    __atomic_store_n(&activity->delayed_work_ms, queued.elapsed().as_millis(), __ATOMIC_RELAXED);
  }
};

inline constexpr kcpp::Delta TICK = kcpp::Delta::from_millis(10);
inline constexpr kcpp::Delta DELAY = kcpp::Delta::from_millis(50);

/** The timer: every TICK; every fifth tick queues the sample. */
struct Tick {
  Activity* activity;
  const kcpp::workqueue::Work<Sample>* sample;
  kcpp::hrtimer::Restart operator()(const kcpp::hrtimer::HrTimer<Tick>& t) const {
    if (__atomic_add_fetch(&activity->ticks, 1, __ATOMIC_RELAXED) % 5 == 0)
      sample->enqueue();
    t.forward_now(TICK);
    return kcpp::hrtimer::Restart::Yes;
  }
};

/** /sys/kernel/debug/kcpp-ring/activity. */
struct ShowActivity {
  const Activity* activity;
  void operator()(kcpp::debugfs::Writer& w) const {
    w.printf("ticks %llu\nsamples %llu\nmax_fill %llu\ndelayed_work_ms %lld\n",
             Activity::get(activity->ticks), Activity::get(activity->samples),
             Activity::get(activity->max_fill),
             __atomic_load_n(&activity->delayed_work_ms, __ATOMIC_RELAXED));
  }
};

/** The binding's deferred work and its debugfs view; each piece in a box of its own (never moves). */
class Deferred {
 public:
  static kcpp::Result<Deferred> make(const kcpp::Arc<Shared>& shared) {
    auto activity = KCPP_TRY(kcpp::KBox<Activity>::make(kcpp::GFP_KERNEL));
    auto sample =
        KCPP_TRY(kcpp::workqueue::Work<Sample>::make(Sample{shared, activity.get()}, kcpp::GFP_KERNEL));
    auto delayed = KCPP_TRY(kcpp::workqueue::DelayedWork<Delayed>::make(
        Delayed{activity.get(), kcpp::Instant::now()}, kcpp::GFP_KERNEL));
    auto timer =
        KCPP_TRY(kcpp::hrtimer::HrTimer<Tick>::make(Tick{activity.get(), sample.get()}, kcpp::GFP_KERNEL));
    // A driver does not fail for debugfs (it may be off, or not built in).
    auto dir = kcpp::debugfs::Dir::make("kcpp-ring");
    auto file = dir.is_ok() ? dir->file("activity", ShowActivity{activity.get()}, kcpp::GFP_KERNEL)
                            : kcpp::Result<kcpp::KBox<kcpp::debugfs::File<ShowActivity>>>(dir.error());
    if (file.is_err())
      KCPP_PR_INFO("kcpp-ring: no debugfs view (error %d)\n", file.error().to_errno());
    delayed->enqueue(DELAY);
    timer->start(TICK);
    return Deferred(std::move(activity), std::move(sample), std::move(delayed), std::move(timer),
                    std::move(dir), std::move(file));
  }

 private:
  Deferred(kcpp::KBox<Activity> a, kcpp::KBox<kcpp::workqueue::Work<Sample>> s,
           kcpp::KBox<kcpp::workqueue::DelayedWork<Delayed>> d, kcpp::KBox<kcpp::hrtimer::HrTimer<Tick>> t,
           kcpp::Result<kcpp::debugfs::Dir> dir,
           kcpp::Result<kcpp::KBox<kcpp::debugfs::File<ShowActivity>>> f)
      : activity_(std::move(a)),
        sample_(std::move(s)),
        delayed_(std::move(d)),
        timer_(std::move(t)),
        dir_(std::move(dir)),
        file_(std::move(f)) {}
  // Destroyed bottom-up: the file (no more reads), the directory, the
  // timer (no more queueing), the work items (cancelled, waited for), and
  // last what they all use.
  kcpp::KBox<Activity> activity_;
  kcpp::KBox<kcpp::workqueue::Work<Sample>> sample_;
  kcpp::KBox<kcpp::workqueue::DelayedWork<Delayed>> delayed_;
  kcpp::KBox<kcpp::hrtimer::HrTimer<Tick>> timer_;
  kcpp::Result<kcpp::debugfs::Dir> dir_;  // an error where debugfs is not there
  kcpp::Result<kcpp::KBox<kcpp::debugfs::File<ShowActivity>>> file_;
};

/** The platform driver whose binding owns the device. */
class Driver {
 public:
  using IdInfo = kcpp::platform::NoInfo;
  static constexpr const char* NAME = "kcpp_misc_ring";
  static constexpr const char* DEVICE = "kcpp-misc-ring";
  static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
      {kcpp::platform::DeviceId::name(DEVICE), {}},
  });

  static kcpp::Result<Driver> probe(const kcpp::platform::Device<kcpp::device::Core>& pdev,
                                    kcpp::Option<const IdInfo*>) {
    auto shared = KCPP_TRY(kcpp::Arc<Shared>::make(kcpp::GFP_KERNEL));
    auto misc = KCPP_TRY(kcpp::miscdevice::Registration<RingFile>::make("kcpp-ring", shared, kcpp::GFP_KERNEL,
                                                                        0666, &pdev.as_device()));
    auto deferred = KCPP_TRY(Deferred::make(shared));
    KCPP_DEV_INFO(pdev, "/dev/kcpp-ring (minor %d): %zu-byte ring\n", misc->minor(), CAPACITY);
    return Driver(std::move(shared), std::move(misc), std::move(deferred));
  }
  void unbind(const kcpp::platform::Device<kcpp::device::Core>& pdev) {
    // Sleepers and later calls on files still open fail with ENODEV; the
    // registration then goes with this object (no new open).
    shared_->shut_down();
    KCPP_DEV_INFO(pdev, "unbound, %u open files keep the ring\n", shared_.count() - 3);
  }
  /** The device's registration (tests open files on it directly). */
  [[nodiscard]] const kcpp::miscdevice::Registration<RingFile>& misc() const { return *misc_; }

 private:
  Driver(kcpp::Arc<Shared> s, kcpp::KBox<kcpp::miscdevice::Registration<RingFile>> m, Deferred d)
      : shared_(std::move(s)), misc_(std::move(m)), deferred_(std::move(d)) {}
  kcpp::Arc<Shared> shared_;
  kcpp::KBox<kcpp::miscdevice::Registration<RingFile>> misc_;
  Deferred deferred_;  // goes first: its work samples shared_
};

}  // namespace ring

#endif  // KCPP_EXAMPLES_MISC_RING_H
