/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/dma.h
 * @brief DMA: masks, coherent allocations with typed access, CPU-owned and
 * unmapped variants, streaming mappings (single and scatter-gather).
 *
 * Wraps `include/linux/dma-mapping.h` and `include/linux/scatterlist.h`.
 *
 * - Masks are set in the `Core` context only (probe), with a `dma::Mask`
 *   checked at compile time for a constant width (`Mask::bits<28>()`) and at
 *   run time otherwise (`Mask::try_bits(n)`).
 * - `dma::Coherent<T>`: `len()` elements of `T` shared with the device
 *   (`dma_alloc_attrs()`), allocated for a bound device, zeroed; element
 *   access is bounds-checked (`ERANGE`) and goes through compiler barriers,
 *   so every access really reaches memory the device may change. `T` must
 *   be trivially copyable: any bit pattern the device writes is a value.
 * - `dma::CoherentBox<T>`: the same memory before the device knows its
 *   address: plain, checked access, then `into_shared()` hands it over.
 * - `dma::CoherentHandle`: `DMA_ATTR_NO_KERNEL_MAPPING`: an address for the
 *   device and no CPU access at all.
 * - `dma::SingleMapping<Dir>` / `dma::SgMapping<Dir>`: a kcpp vector mapped
 *   for the device (taken by value: the CPU cannot touch it while the device
 *   owns it); `with_cpu(f)` syncs for the CPU, runs `f` on the bytes, syncs
 *   back; destruction (or `unmap()`, which returns the vector) unmaps.
 * - Directions are types (`ToDevice`, `FromDevice`, `Bidirectional`),
 *   attributes a flag type (`dma::Attrs`).
 * - Barriers: `full_barrier()` (`mb()`), `write_barrier()` (`dma_wmb()`)
 *   and `read_barrier()` (`dma_rmb()`), for rings that a driver and its
 *   device share in coherent memory, inlined as the kernel defines them on
 *   x86-64 (without KCSAN's annotations of them).
 *
 * As in the Rust kernel crate, a coherent allocation keeps its device
 * referenced but is not revoked at unbind: drivers free it in `unbind` or
 * the driver data's destructor, after stopping the device.
 *
 * @par Examples
 * Masks are checked where they are built:
 * @code{.cpp}
 * constexpr kcpp::dma::Mask m28 = kcpp::dma::Mask::bits<28>();
 * static_assert(m28.value() == 0x0fffffff);
 * static_assert(kcpp::dma::Mask::bits<64>().value() == ~0ull);
 * KCPP_ASSERT_EQ(KCPP_TRY(kcpp::dma::Mask::try_bits(32)).value(), 0xffffffffull);
 * KCPP_ASSERT_EQ(kcpp::dma::Mask::try_bits(65).error(), kcpp::code::EINVAL);
 * constexpr kcpp::dma::Attrs a = kcpp::dma::Attrs::NO_WARN | kcpp::dma::Attrs::WEAK_ORDERING;
 * static_assert(a.contains(kcpp::dma::Attrs::NO_WARN));
 * static_assert(kcpp::dma::FromDevice::value == KCPP_DMA_FROM_DEVICE);
 * static_assert(kcpp::dma::Direction<kcpp::dma::ToDevice> && !kcpp::dma::Direction<int>);
 * static_assert(kcpp::dma::Direction<kcpp::dma::Bidirectional>);
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: dma_mask_wider_than_64_bits
 * constexpr auto m = kcpp::dma::Mask::bits<65>();
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: DMA masks are set in the Core context
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
 *   return kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<32>());
 * };
 * @endcode
 *
 * With a device: QEMU's edu (make check's machine) bound by a driver that
 * sets a 32-bit mask and allocates (examples/edu drives the engine).
 * @code{.cpp}
 * #^ struct Pair {
 * #^   kcpp::u32 a, b;
 * #^ };
 * #^ struct DmaDemo {
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_dma";
 * #^   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::QEMU, 0x11e8), {}},
 * #^   });
 * #^   static kcpp::Result<DmaDemo> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 * #^                                      const IdInfo&) {
 * #^     KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<32>()));
 * #^     return DmaDemo{KCPP_TRY(kcpp::dma::Coherent<Pair>::alloc(pdev, 4, kcpp::GFP_KERNEL))};
 * #^   }
 * #^   kcpp::dma::Coherent<Pair> pairs;
 * #^ };
 * auto pdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::QEMU, 0x11e8));
 * auto reg = KCPP_TRY(kcpp::pci::Registration<DmaDemo>::make(kcpp::GFP_KERNEL));
 * const auto& bound = kcpp::pci::Device<kcpp::device::Bound>::unsafe_from_raw(pdev->as_raw());
 * const auto& pairs = KCPP_TRY(bound.drvdata<DmaDemo>())->pairs;
 * KCPP_ASSERT_EQ(pairs.len(), 4u);
 * KCPP_ASSERT(pairs.dma_handle() + pairs.size() <= (1ull << 32));  // within the mask
 * KCPP_TRY(pairs.write(3, Pair{1, 2}));
 * KCPP_ASSERT_EQ(KCPP_TRY(pairs.read(3)).b, 2u);
 * KCPP_ASSERT_EQ(KCPP_TRY(pairs.read_field<&Pair::a>(3)), 1u);
 * KCPP_ASSERT_EQ(pairs.read(4).error(), kcpp::code::ERANGE);  // out of bounds
 *
 * // CPU-owned until handed over; no kernel mapping; streaming mappings.
 * auto box = KCPP_TRY(kcpp::dma::CoherentBox<kcpp::u32>::alloc(bound, 16, kcpp::GFP_KERNEL));
 * box[0] = 0xabcd;
 * kcpp::dma::Coherent<kcpp::u32> shared = std::move(box).into_shared();
 * KCPP_ASSERT_EQ(KCPP_TRY(shared.read(0)), 0xabcdu);
 * // Ranges: copied in and out, bounds-checked.
 * const kcpp::u32 words[] = {1, 2, 3};
 * KCPP_TRY(shared.write_from(13, kcpp::Span<const kcpp::u32>(words)));
 * kcpp::u32 tail[3] = {};
 * KCPP_TRY(shared.read_into(13, kcpp::Span<kcpp::u32>(tail)));
 * KCPP_ASSERT_EQ(tail[2], 3u);
 * KCPP_ASSERT_EQ(shared.write_from(14, kcpp::Span<const kcpp::u32>(words)).error(), kcpp::code::ERANGE);
 * auto opaque = KCPP_TRY(kcpp::dma::CoherentHandle::alloc(bound, 8192, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(opaque.size(), 8192u);
 * kcpp::KVec<kcpp::u8> buf;
 * KCPP_TRY(buf.resize(512, 0x5a, kcpp::GFP_KERNEL));
 * auto map = KCPP_TRY(kcpp::dma::SingleMapping<kcpp::dma::ToDevice>::map(bound, std::move(buf)));
 * KCPP_ASSERT(map.dma_handle() != 0);
 * map.with_cpu([](kcpp::Span<kcpp::u8> bytes) { bytes[0] = 1; });
 * kcpp::KVec<kcpp::u8> back = std::move(map).unmap();
 * KCPP_ASSERT_EQ(back[0], 1);
 * kcpp::VVec<kcpp::u8> big;
 * KCPP_TRY(big.resize(3 * 4096 + 100, 0, kcpp::GFP_KERNEL));
 * auto sg =
 *     KCPP_TRY(kcpp::dma::SgMapping<kcpp::dma::FromDevice>::map(bound, std::move(big), kcpp::GFP_KERNEL));
 * kcpp::usize total = 0;
 * for (unsigned int i = 0; i < sg.segments(); i++)
 *   total += kcpp::dma::Segment(KCPP_TRY(sg.segment(i))).len;
 * KCPP_ASSERT_EQ(total, 3u * 4096 + 100);
 * @endcode
 */
#ifndef KCPP_DMA_H
#define KCPP_DMA_H

#include <kcpp/alloc/gfp.h>
#include <kcpp/alloc/kvec.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/span.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/device.h>
#include <kcpp/sync/aref.h>

#if !defined(__x86_64__)
#error "kcpp/dma.h: the barriers are written for x86_64"
#endif

namespace kcpp::dma {

/// @cond KCPP_INTERNAL
namespace detail {
void dma_mask_wider_than_64_bits();
inline void barrier() {
  asm volatile("" ::: "memory");
}
}  // namespace detail
/// @endcond

/**
 * @brief `mb()`: every memory and I/O access before it is ordered before
 * every one after it. What a driver puts between filling a ring in coherent
 * memory and the MMIO write that tells the device to read it.
 *
 * @code{.cpp}
 * kcpp::u32 ring[2] = {};
 * ring[0] = 0x1234;                // the message...
 * kcpp::dma::full_barrier();       // ...is visible before...
 * ring[1] = 1;                     // ...the pointer that publishes it
 * kcpp::dma::write_barrier();      // dma_wmb(): stores to coherent memory stay in order
 * kcpp::dma::read_barrier();       // dma_rmb(): so do loads
 * KCPP_ASSERT_EQ(ring[0], 0x1234u);
 * @endcode
 */
inline void full_barrier() {
  // x86-64's mb(): MFENCE orders every load and store, I/O included.
  asm volatile("mfence" ::: "memory");
}
/**
 * @brief `dma_wmb()`: stores to coherent memory before it reach the device
 * before stores after it.
 *
 * On x86-64, as in the kernel's definition there, a compiler barrier: the
 * processor keeps stores to write-back memory in program order.
 */
inline void write_barrier() {
  asm volatile("" ::: "memory");
}
/**
 * @brief `dma_rmb()`: loads from coherent memory after it see at least what
 * a device had written when loads before it ran (read a pointer, then the
 * data it publishes).
 *
 * On x86-64, as in the kernel's definition there, a compiler barrier: the
 * processor does not reorder loads with other loads.
 */
inline void read_barrier() {
  asm volatile("" ::: "memory");
}

/** @brief A DMA address mask of 1 to 64 bits. */
class Mask {
 public:
  /** @brief The mask of @p N bits; more than 64 does not compile. */
  template <unsigned N>
  static consteval Mask bits() {
    if (N > 64 || N == 0)
      detail::dma_mask_wider_than_64_bits();
    return Mask(N == 64 ? ~0ull : (1ull << N) - 1);
  }
  /** @brief The mask of @p n bits; `EINVAL` unless 1 <= n <= 64. */
  [[nodiscard]] static constexpr Result<Mask> try_bits(unsigned n) {
    if (n == 0 || n > 64)
      return code::EINVAL;
    return Mask(n == 64 ? ~0ull : (1ull << n) - 1);
  }
  /** @brief The mask. */
  [[nodiscard]] constexpr u64 value() const { return v_; }

 private:
  constexpr explicit Mask(u64 v) : v_(v) {}
  u64 v_;
};

/** @brief DMA attributes (`DMA_ATTR_*`). */
class Attrs {
 public:
  /** @brief None. */
  constexpr Attrs() = default;
  /** @brief The raw bits. */
  [[nodiscard]] constexpr unsigned long raw() const { return v_; }
  /** @brief Whether all of @p o is set. */
  [[nodiscard]] constexpr bool contains(Attrs o) const { return (v_ & o.v_) == o.v_; }
  /** @brief Both sets. */
  friend constexpr Attrs operator|(Attrs a, Attrs b) { return Attrs(a.v_ | b.v_); }
  /** @brief Attributes compare by bits. */
  friend constexpr bool operator==(Attrs, Attrs) = default;
  static const Attrs WEAK_ORDERING;       ///< `DMA_ATTR_WEAK_ORDERING`
  static const Attrs WRITE_COMBINE;       ///< `DMA_ATTR_WRITE_COMBINE`
  static const Attrs NO_KERNEL_MAPPING;   ///< `DMA_ATTR_NO_KERNEL_MAPPING`
  static const Attrs SKIP_CPU_SYNC;       ///< `DMA_ATTR_SKIP_CPU_SYNC`
  static const Attrs FORCE_CONTIGUOUS;    ///< `DMA_ATTR_FORCE_CONTIGUOUS`
  static const Attrs ALLOC_SINGLE_PAGES;  ///< `DMA_ATTR_ALLOC_SINGLE_PAGES`
  static const Attrs NO_WARN;             ///< `DMA_ATTR_NO_WARN`
  static const Attrs PRIVILEGED;          ///< `DMA_ATTR_PRIVILEGED`

 private:
  constexpr explicit Attrs(unsigned long v) : v_(v) {}
  unsigned long v_ = 0;
};
inline constexpr Attrs Attrs::WEAK_ORDERING{KCPP_DMA_ATTR_WEAK_ORDERING};
inline constexpr Attrs Attrs::WRITE_COMBINE{KCPP_DMA_ATTR_WRITE_COMBINE};
inline constexpr Attrs Attrs::NO_KERNEL_MAPPING{KCPP_DMA_ATTR_NO_KERNEL_MAPPING};
inline constexpr Attrs Attrs::SKIP_CPU_SYNC{KCPP_DMA_ATTR_SKIP_CPU_SYNC};
inline constexpr Attrs Attrs::FORCE_CONTIGUOUS{KCPP_DMA_ATTR_FORCE_CONTIGUOUS};
inline constexpr Attrs Attrs::ALLOC_SINGLE_PAGES{KCPP_DMA_ATTR_ALLOC_SINGLE_PAGES};
inline constexpr Attrs Attrs::NO_WARN{KCPP_DMA_ATTR_NO_WARN};
inline constexpr Attrs Attrs::PRIVILEGED{KCPP_DMA_ATTR_PRIVILEGED};

/** @brief Data goes from memory to the device. */
struct ToDevice {
  static constexpr int value = KCPP_DMA_TO_DEVICE;  ///< `DMA_TO_DEVICE`
};
/** @brief Data goes from the device to memory. */
struct FromDevice {
  static constexpr int value = KCPP_DMA_FROM_DEVICE;  ///< `DMA_FROM_DEVICE`
};
/** @brief Both ways. */
struct Bidirectional {
  static constexpr int value = KCPP_DMA_BIDIRECTIONAL;  ///< `DMA_BIDIRECTIONAL`
};
/** @brief One of the three direction types. */
template <typename D>
concept Direction = same_as<D, ToDevice> || same_as<D, FromDevice> || same_as<D, Bidirectional>;

/** @brief Sets the streaming DMA mask (`dma_set_mask()`); Core context only. */
inline Result<void> set_mask(const Device<device::Core>& dev, Mask m) {
  return to_result(kcpp_dma_set_mask(dev.as_raw(), m.value()));
}
/** @brief Sets the coherent DMA mask (`dma_set_coherent_mask()`). */
inline Result<void> set_coherent_mask(const Device<device::Core>& dev, Mask m) {
  return to_result(kcpp_dma_set_coherent_mask(dev.as_raw(), m.value()));
}
/** @brief Sets both masks (`dma_set_mask_and_coherent()`). */
inline Result<void> set_mask_and_coherent(const Device<device::Core>& dev, Mask m) {
  return to_result(kcpp_dma_set_mask_and_coherent(dev.as_raw(), m.value()));
}
/** @brief The largest segment the device handles (`dma_set_max_seg_size()`). */
inline Result<void> set_max_seg_size(const Device<device::Core>& dev, unsigned int size) {
  return to_result(kcpp_dma_set_max_seg_size(dev.as_raw(), size));
}
/// @cond KCPP_INTERNAL
// Outside the core context: say why.
template <typename T = void>
Result<void> set_mask_and_coherent(const Device<device::Bound>&, Mask) {
  static_assert(dependent_false<T>,
                "kcpp: DMA masks are set in the Core context (probe), where nothing can be "
                "allocating for the device yet");
  return code::EINVAL;
}
template <typename T = void>
Result<void> set_mask(const Device<device::Bound>&, Mask) {
  static_assert(dependent_false<T>, "kcpp: DMA masks are set in the Core context (probe)");
  return code::EINVAL;
}
/// @endcond
/** @brief The same, for a bus device (`pci::Device<Core>`). */
template <typename D>
  requires requires(const D& d) { d.as_device(); }
Result<void> set_mask_and_coherent(const D& dev, Mask m) {
  return set_mask_and_coherent(dev.as_device(), m);
}
/** @brief The same, for a bus device. */
template <typename D>
  requires requires(const D& d) { d.as_device(); }
Result<void> set_mask(const D& dev, Mask m) {
  return set_mask(dev.as_device(), m);
}

template <typename T>
class CoherentBox;

/**
 * @brief @p T[len] in memory shared with a device (see the file comment).
 *
 * @par Invariants
 * `cpu_` maps `len_ * sizeof(T)` bytes at bus address `handle_` for
 * `dev_`, freed exactly once.
 */
template <typename T>
class Coherent {
  // NOLINTNEXTLINE(bugprone-sizeof-expression): rejects incomplete and empty element types
  static_assert(is_trivially_copyable_v<T> && sizeof(T) > 0,
                "kcpp: DMA memory holds trivially copyable types: the device may write any "
                "bit pattern");

 public:
  /**
   * @brief Allocates @p len zeroed elements for @p dev (a bound device or
   * bus device). `EINVAL` for none, `EOVERFLOW` if the size overflows,
   * `ENOMEM`.
   */
  template <typename D>
  [[nodiscard]] static Result<Coherent> alloc(const D& dev, usize len, Gfp gfp, Attrs attrs = {}) {
    const Device<device::Bound>& bound = to_device(dev);
    if (len == 0)
      return code::EINVAL;
    if (len > ~usize(0) / sizeof(T))
      return code::EOVERFLOW;
    // Without a kernel mapping the kernel returns a cookie, not memory the
    // CPU may read: that is CoherentHandle's job.
    if (attrs.contains(Attrs::NO_KERNEL_MAPPING))
      return code::EINVAL;
    u64 handle = 0;
    void* p = kcpp_dma_alloc_attrs(bound.as_raw(), len * sizeof(T), &handle, gfp.as_raw(), attrs.raw());
    if (!p)
      return code::ENOMEM;
    return Coherent(bound.get(), static_cast<T*>(p), handle, len, attrs);
  }
  /** @brief Takes over @p o's memory; @p o is left empty (no memory, bus address 0, length 0). */
  Coherent(Coherent&& o) noexcept
      : dev_(std::move(o.dev_)),
        cpu_(exchange(o.cpu_, nullptr)),
        handle_(exchange(o.handle_, 0)),
        len_(exchange(o.len_, 0)),
        attrs_(o.attrs_) {}
  Coherent& operator=(Coherent&&) = delete;
  Coherent(const Coherent&) = delete;
  /** @brief Frees the memory: the device must no longer use it. */
  ~Coherent() {
    if (cpu_)
      kcpp_dma_free_attrs(dev_->as_raw(), len_ * sizeof(T), cpu_, handle_, attrs_.raw());
  }

  /** @brief The number of elements. */
  [[nodiscard]] usize len() const { return len_; }
  /** @brief The size in bytes. */
  [[nodiscard]] usize size() const { return len_ * sizeof(T); }
  /** @brief The bus address to give the device. */
  [[nodiscard]] u64 dma_handle() const { return handle_; }
  /** @brief Element @p i as memory holds it now; `ERANGE` out of bounds. */
  [[nodiscard]] Result<T> read(usize i) const {
    if (i >= len_)
      return code::ERANGE;
    T v;
    detail::barrier();
    __builtin_memcpy(&v, cpu_ + i, sizeof(T));
    detail::barrier();
    return v;
  }
  /** @brief Stores @p v as element @p i; `ERANGE` out of bounds. */
  [[nodiscard]] Result<void> write(usize i, const T& v) const {
    if (i >= len_)
      return code::ERANGE;
    detail::barrier();
    __builtin_memcpy(cpu_ + i, &v, sizeof(T));
    detail::barrier();
    return {};
  }
  /**
   * @brief Copies elements @p at ... @p at + `out.size()` into @p out;
   * `ERANGE` if they are not all inside.
   */
  [[nodiscard]] Result<void> read_into(usize at, Span<T> out) const {
    if (at > len_ || out.size() > len_ - at)
      return code::ERANGE;
    detail::barrier();
    if (out.size())
      __builtin_memcpy(out.data(), cpu_ + at, out.size_bytes());
    detail::barrier();
    return {};
  }
  /** @brief Stores @p src as elements from @p at on; `ERANGE` if it does not fit. */
  [[nodiscard]] Result<void> write_from(usize at, Span<const T> src) const {
    if (at > len_ || src.size() > len_ - at)
      return code::ERANGE;
    detail::barrier();
    if (src.size())
      __builtin_memcpy(cpu_ + at, src.data(), src.size_bytes());
    detail::barrier();
    return {};
  }
  /** @brief One member of element @p i. */
  template <auto Member>
  [[nodiscard]] auto read_field(usize i) const -> Result<remove_cvref_t<decltype(declval<T&>().*Member)>> {
    using M = remove_cvref_t<decltype(declval<T&>().*Member)>;
    if (i >= len_)
      return code::ERANGE;
    M v;
    detail::barrier();
    __builtin_memcpy(&v, &(cpu_[i].*Member), sizeof(M));
    detail::barrier();
    return v;
  }
  /** @brief Stores one member of element @p i. */
  template <auto Member, typename V>
  [[nodiscard]] Result<void> write_field(usize i, const V& v) const {
    using M = remove_cvref_t<decltype(declval<T&>().*Member)>;
    if (i >= len_)
      return code::ERANGE;
    const M m = v;
    detail::barrier();
    __builtin_memcpy(&(cpu_[i].*Member), &m, sizeof(M));
    detail::barrier();
    return {};
  }

 private:
  friend class CoherentBox<T>;
  Coherent(ARef<Device<>> dev, T* cpu, u64 handle, usize len, Attrs attrs)
      : dev_(std::move(dev)), cpu_(cpu), handle_(handle), len_(len), attrs_(attrs) {}
  ARef<Device<>> dev_;
  T* cpu_;
  u64 handle_;
  usize len_;
  Attrs attrs_;
};

/**
 * @brief Coherent memory the CPU still owns: its bus address is not out yet,
 * so it is ordinary memory (checked `operator[]`, a `Span`) until
 * `into_shared()`.
 *
 * @par Invariants
 * `inner_` owns the allocation (see `Coherent`), and this type never hands
 * out its bus address: no device can be using the memory, so plain CPU access
 * is sound until `into_shared()` gives the allocation away.
 */
template <typename T>
class CoherentBox {
 public:
  /** @brief As `Coherent<T>::alloc()`. */
  template <typename D>
  [[nodiscard]] static Result<CoherentBox> alloc(const D& dev, usize len, Gfp gfp, Attrs attrs = {}) {
    return CoherentBox(KCPP_TRY(Coherent<T>::alloc(dev, len, gfp, attrs)));
  }
  /** @brief The elements. */
  [[nodiscard]] Span<T> as_span() {
    // SAFETY: len_ elements at cpu_, not yet visible to the device.
    return Span<T>::unsafe_from_raw(inner_.cpu_, inner_.len_);
  }
  /** @brief Element @p i; out of bounds is a kernel bug (reported at the caller). */
  T& operator[](usize i) { return as_span()[i]; }
  /** @brief The number of elements. */
  [[nodiscard]] usize len() const { return inner_.len(); }
  /** @brief Hands the memory to the device side: its address becomes available. */
  [[nodiscard]] Coherent<T> into_shared() && { return std::move(inner_); }

 private:
  explicit CoherentBox(Coherent<T> c) : inner_(std::move(c)) {}
  Coherent<T> inner_;
};

/**
 * @brief Device memory without a kernel mapping: only a bus address.
 *
 * @par Invariants
 * Unless moved from, `cookie_` is what `dma_alloc_attrs()` returned for
 * `size_` bytes at bus address `handle_` with `DMA_ATTR_NO_KERNEL_MAPPING`;
 * it is never dereferenced, and freed once. `dev_` counts the device.
 */
class CoherentHandle {
 public:
  /** @brief @p size bytes for @p dev (`DMA_ATTR_NO_KERNEL_MAPPING`). */
  template <typename D>
  [[nodiscard]] static Result<CoherentHandle> alloc(const D& dev, usize size, Gfp gfp) {
    const Device<device::Bound>& bound = to_device(dev);
    if (size == 0)
      return code::EINVAL;
    u64 handle = 0;
    void* cookie =
        kcpp_dma_alloc_attrs(bound.as_raw(), size, &handle, gfp.as_raw(), Attrs::NO_KERNEL_MAPPING.raw());
    if (!cookie)
      return code::ENOMEM;
    return CoherentHandle(bound.get(), cookie, handle, size);
  }
  /** @brief Takes over @p o's memory. */
  CoherentHandle(CoherentHandle&& o) noexcept
      : dev_(std::move(o.dev_)), cookie_(exchange(o.cookie_, nullptr)), handle_(o.handle_), size_(o.size_) {}
  CoherentHandle& operator=(CoherentHandle&&) = delete;
  ~CoherentHandle() {
    if (cookie_)
      kcpp_dma_free_attrs(dev_->as_raw(), size_, cookie_, handle_, Attrs::NO_KERNEL_MAPPING.raw());
  }
  /** @brief The bus address. */
  [[nodiscard]] u64 dma_handle() const { return handle_; }
  /** @brief The size in bytes. */
  [[nodiscard]] usize size() const { return size_; }

 private:
  CoherentHandle(ARef<Device<>> dev, void* cookie, u64 handle, usize size)
      : dev_(std::move(dev)), cookie_(cookie), handle_(handle), size_(size) {}
  ARef<Device<>> dev_;
  void* cookie_;  // not a CPU address: only for freeing
  u64 handle_;
  usize size_;
};

/// @cond KCPP_INTERNAL
namespace detail {
template <typename V>
inline constexpr bool IS_KMALLOC_VEC = false;
template <typename T>
inline constexpr bool IS_KMALLOC_VEC<Vec<T, Kmalloc>> = true;
// A mapping's length for the kernel, which counts bytes, not elements.
template <typename V>
usize size_bytes(const V& v) {
  return v.len() * sizeof(*v.data());
}
}  // namespace detail
/// @endcond

/**
 * @brief A kcpp byte vector mapped for streaming DMA in direction @p Dir;
 * owned while mapped, unmapped on destruction.
 *
 * Only a `KVec` (kmalloc memory, physically contiguous) can be mapped as one
 * range: `dma_map_single()` on vmalloc memory maps the wrong pages. A
 * `VVec`, or a `KVVec` that may hold either kind, goes through `SgMapping`,
 * page by page; asking for it here does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: map a VVec or KVVec with dma::SgMapping
 * auto f = [](const kcpp::pci::Device<kcpp::device::Bound>& pdev, kcpp::VVec<kcpp::u8> buf) {
 *   return kcpp::dma::SingleMapping<kcpp::dma::ToDevice, kcpp::VVec<kcpp::u8>>::map(pdev, std::move(buf));
 * };
 * @endcode
 *
 * @par Invariants
 * While `mapped_`, the bytes of the `buf_.len()` elements at `buf_.data()` are mapped at
 * `handle_` for `dev_` (counted), and the CPU reaches them only inside
 * `with_cpu()`; they are unmapped once, by `unmap()` or the destructor.
 * Moving the object moves the vector's handle, not its storage.
 */
template <Direction Dir, typename Vec = KVec<u8>>
class SingleMapping {
  static_assert(detail::IS_KMALLOC_VEC<Vec>,
                "kcpp: dma::SingleMapping maps physically contiguous kmalloc memory (a KVec); "
                "map a VVec or KVVec with dma::SgMapping, which maps vmalloc memory page by page");

 public:
  /** @brief Maps @p buf for @p dev; `EINVAL` if empty, `ENOMEM` if it cannot be mapped. */
  template <typename D>
  [[nodiscard]] static Result<SingleMapping> map(const D& dev, Vec buf, Attrs attrs = {}) {
    const Device<device::Bound>& bound = to_device(dev);
    if (buf.is_empty())
      return code::EINVAL;
    int err = 0;
    const u64 h = kcpp_dma_map_single(bound.as_raw(), buf.data(), detail::size_bytes(buf), Dir::value,
                                      attrs.raw(), &err);
    if (err)
      return Error::from_errno(err);
    return SingleMapping(bound.get(), std::move(buf), h, attrs);
  }
  /** @brief Takes over @p o's memory. */
  SingleMapping(SingleMapping&& o) noexcept
      : dev_(std::move(o.dev_)),
        buf_(std::move(o.buf_)),
        handle_(o.handle_),
        attrs_(o.attrs_),
        mapped_(exchange(o.mapped_, false)) {}
  SingleMapping& operator=(SingleMapping&&) = delete;
  ~SingleMapping() { unmap_now(); }

  /** @brief The bus address. */
  [[nodiscard]] u64 dma_handle() const { return handle_; }
  /** @brief The size in bytes. */
  [[nodiscard]] usize size() const { return detail::size_bytes(buf_); }
  /**
   * @brief Gives the bytes to the CPU for @p f (`Span<u8>`), then back to the
   * device (the `dma_sync_single_for_*` pair).
   */
  template <typename F>
  decltype(auto) with_cpu(F&& f) {
    kcpp_dma_sync_single_for_cpu(dev_->as_raw(), handle_, detail::size_bytes(buf_), Dir::value);
    struct Back {
      SingleMapping* m;
      ~Back() {
        kcpp_dma_sync_single_for_device(m->dev_->as_raw(), m->handle_, detail::size_bytes(m->buf_),
                                        Dir::value);
      }
    } back{this};
    return f(buf_.as_span());
  }
  /** @brief Unmaps and returns the vector to the CPU. */
  [[nodiscard]] Vec unmap() && {
    unmap_now();
    return std::move(buf_);
  }

 private:
  SingleMapping(ARef<Device<>> dev, Vec buf, u64 h, Attrs attrs)
      : dev_(std::move(dev)), buf_(std::move(buf)), handle_(h), attrs_(attrs), mapped_(true) {}
  void unmap_now() {
    if (exchange(mapped_, false))
      kcpp_dma_unmap_single(dev_->as_raw(), handle_, detail::size_bytes(buf_), Dir::value, attrs_.raw());
  }
  ARef<Device<>> dev_;
  Vec buf_;
  u64 handle_;
  Attrs attrs_;
  bool mapped_;
};

/** @brief One DMA segment of a scatter-gather mapping. */
struct Segment {
  u64 addr;          ///< Bus address.
  unsigned int len;  ///< Length in bytes.
};

/**
 * @brief A kcpp byte vector (by default vmalloc memory, not contiguous)
 * mapped as a scatter-gather table in direction @p Dir.
 *
 * @par Invariants
 * While `sgt_` is set, it is a table of the pages under the bytes of the `buf_.len()` elements
 * at `buf_.data()`, mapped for `dev_` (counted); the CPU reaches the bytes only
 * inside `with_cpu()`. `unmap()` or the destructor unmaps and frees it once.
 */
template <Direction Dir, typename Vec = VVec<u8>>
class SgMapping {
 public:
  /**
   * @brief Maps @p buf for @p dev; `EINVAL` if empty. The table, its
   * scatterlist and the list of pages are allocated with @p gfp, which
   * must allow sleeping (`EINVAL` otherwise): building the table may
   * sleep, so process context only.
   */
  template <typename D>
  [[nodiscard]] static Result<SgMapping> map(const D& dev, Vec buf, Gfp gfp, Attrs attrs = {}) {
    const Device<device::Bound>& bound = to_device(dev);
    if (buf.is_empty() || !gfp.may_sleep())
      return code::EINVAL;
    int err = 0;
    ::sg_table* sgt = kcpp_dma_map_buffer_sg(bound.as_raw(), buf.data(), detail::size_bytes(buf), Dir::value,
                                             attrs.raw(), gfp.as_raw(), &err);
    if (!sgt)
      return Error::from_errno(err);
    return SgMapping(bound.get(), std::move(buf), sgt, attrs);
  }
  /** @brief Takes over @p o's memory. */
  SgMapping(SgMapping&& o) noexcept
      : dev_(std::move(o.dev_)), buf_(std::move(o.buf_)), sgt_(exchange(o.sgt_, nullptr)), attrs_(o.attrs_) {}
  SgMapping& operator=(SgMapping&&) = delete;
  ~SgMapping() { unmap_now(); }

  /** @brief The number of DMA segments (after IOMMU merging). */
  [[nodiscard]] unsigned int segments() const { return kcpp_sgt_dma_count(sgt_); }
  /** @brief Segment @p i; `ERANGE` past the end. */
  [[nodiscard]] Result<Segment> segment(unsigned int i) const {
    if (i >= segments())
      return code::ERANGE;
    Segment s{};
    KCPP_TRY(to_result(kcpp_sgt_dma_segment(sgt_, i, &s.addr, &s.len)));
    return s;
  }
  /** @brief The bytes for the CPU during @p f, then back to the device. */
  template <typename F>
  decltype(auto) with_cpu(F&& f) {
    kcpp_dma_sync_sgtable_for_cpu(dev_->as_raw(), sgt_, Dir::value);
    struct Back {
      SgMapping* m;
      ~Back() { kcpp_dma_sync_sgtable_for_device(m->dev_->as_raw(), m->sgt_, Dir::value); }
    } back{this};
    return f(buf_.as_span());
  }
  /** @brief Unmaps and returns the vector. */
  [[nodiscard]] Vec unmap() && {
    unmap_now();
    return std::move(buf_);
  }

 private:
  SgMapping(ARef<Device<>> dev, Vec buf, ::sg_table* sgt, Attrs attrs)
      : dev_(std::move(dev)), buf_(std::move(buf)), sgt_(sgt), attrs_(attrs) {}
  void unmap_now() {
    if (sgt_)
      kcpp_dma_unmap_buffer_sg(dev_->as_raw(), exchange(sgt_, nullptr), Dir::value, attrs_.raw());
  }
  ARef<Device<>> dev_;
  Vec buf_;
  ::sg_table* sgt_;
  Attrs attrs_;
};

}  // namespace kcpp::dma

#endif  // KCPP_DMA_H
