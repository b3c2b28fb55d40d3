/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/alloc/allocator.h
 * @brief The allocator backends `Kmalloc`, `Vmalloc` and `KVmalloc`.
 *
 * Wraps the kmalloc, vmalloc and kvmalloc families of `include/linux/slab.h`
 * and `include/linux/vmalloc.h`. An allocator is a class with static
 * functions (no state, no virtual dispatch):
 *
 * - `alloc(layout, gfp, node)`: a block of `layout.size` bytes aligned to
 *   `layout.align`, on @p node if it is not `NumaNode::any()`;
 * - `realloc(ptr, old, layout, gfp, node)`: grows or shrinks a block, keeping
 *   its contents up to the smaller size; on failure the old block is intact;
 * - `free(ptr)`: releases a block (`nullptr` is allowed).
 *
 * Every call can fail and says so with `ENOMEM` (no memory) or `EINVAL` (an
 * alignment the backend cannot give, a size that overflows). `Layout`
 * computes sizes of arrays with overflow checks. `KBox`, `KVec` and their
 * `V`/`KV` variants are built on these.
 *
 * | backend | memory | alignment |
 * |---|---|---|
 * | `Kmalloc` | physically contiguous (slab, or pages when large) | up to `PAGE_SIZE` |
 * | `Vmalloc` | virtually contiguous, page granular (on a node: `GFP_KERNEL` only) | up to `PAGE_SIZE` |
 * | `KVmalloc` | kmalloc, falling back to vmalloc for large sizes | up to `PAGE_SIZE` |
 *
 * @par Examples
 * @code{.cpp}
 * auto layout = KCPP_TRY(kcpp::Layout::array<kcpp::u32>(16));
 * void* p = KCPP_TRY(kcpp::Kmalloc::alloc(layout, kcpp::GFP_KERNEL | kcpp::GFP_ZERO));
 * KCPP_ASSERT_EQ(static_cast<kcpp::u32*>(p)[15], 0u);
 * auto bigger = KCPP_TRY(kcpp::Layout::array<kcpp::u32>(64));
 * p = KCPP_TRY(kcpp::Kmalloc::realloc(p, layout, bigger, kcpp::GFP_KERNEL));
 * kcpp::Kmalloc::free(p);
 * @endcode
 *
 * Large buffers come from vmalloc; any backend fits where an `Allocator` is
 * asked for:
 * @code{.cpp}
 * static_assert(kcpp::Allocator<kcpp::Vmalloc> && kcpp::Allocator<kcpp::KVmalloc>);
 * void* big = KCPP_TRY(kcpp::Vmalloc::alloc({1 << 20, 4096}, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(reinterpret_cast<kcpp::uptr>(big) % 4096, 0u);
 * kcpp::Vmalloc::free(big);
 * void* either = KCPP_TRY(kcpp::KVmalloc::alloc({256, 8}, kcpp::GFP_KERNEL));
 * kcpp::KVmalloc::free(either);
 * @endcode
 */
#ifndef KCPP_ALLOC_ALLOCATOR_H
#define KCPP_ALLOC_ALLOCATOR_H

#include <kcpp/alloc/gfp.h>
#include <kcpp/alloc/numa.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>

namespace kcpp {

/**
 * @brief Size and alignment of a block of memory.
 *
 * @par Invariants
 * `align` is a power of two and `size` does not exceed `PTRDIFF_MAX`.
 *
 * @par Examples
 * @code{.cpp}
 * auto l = KCPP_TRY(kcpp::Layout::array<kcpp::u64>(3));
 * KCPP_ASSERT_EQ(l.size, 24u);
 * KCPP_ASSERT_EQ(l.align, alignof(kcpp::u64));
 * // An element count whose byte size overflows is refused.
 * KCPP_ASSERT_EQ(kcpp::Layout::array<kcpp::u64>(~kcpp::usize(0) / 4).error(), kcpp::code::ENOMEM);
 * @endcode
 */
struct Layout {
  usize size;   ///< Bytes.
  usize align;  ///< Alignment in bytes, a power of two.

  /** @brief The layout of one @p T. */
  template <typename T>
  [[nodiscard]] static constexpr Layout of() {
    return Layout{sizeof(T), alignof(T)};
  }
  /** @brief The layout of @p n consecutive @p T; `ENOMEM` if the size overflows. */
  template <typename T>
  [[nodiscard]] static constexpr Result<Layout> array(usize n) {
    usize bytes = 0;
    if (__builtin_mul_overflow(n, sizeof(T), &bytes) || bytes > MAX_SIZE)
      return code::ENOMEM;
    return Layout{bytes, alignof(T)};
  }
  /** @brief The largest size any allocation may have (`PTRDIFF_MAX`). */
  static constexpr usize MAX_SIZE = static_cast<usize>(__PTRDIFF_MAX__);
};

/// @cond KCPP_INTERNAL
namespace detail {
constexpr bool is_power_of_two(usize v) {
  return v != 0 && (v & (v - 1)) == 0;
}

// The size to ask the kernel for so that the block is aligned to
// layout.align: kmalloc aligns a block to the largest power of two that
// divides its size (up to PAGE_SIZE), vmalloc to a page. Sizes are padded to
// a multiple of the alignment; alignments above a page are refused.
// The padding arithmetic alone, for layouts already known to be valid.
constexpr usize padded_size_unchecked(Layout layout) {
  return ((layout.size ? layout.size : layout.align) + layout.align - 1) & ~(layout.align - 1);
}

inline Result<usize> padded_size(Layout layout) {
  if (!is_power_of_two(layout.align) || layout.align > static_cast<usize>(KCPP_PAGE_SIZE))
    return code::EINVAL;
  usize size = layout.size == 0 ? layout.align : layout.size;
  usize padded = 0;
  if (__builtin_add_overflow(size, layout.align - 1, &padded))
    return code::ENOMEM;
  if (padded > Layout::MAX_SIZE)
    return code::ENOMEM;
  return padded_size_unchecked(layout);
}

inline Result<void*> non_null(void* p) {
  if (!p)
    return code::ENOMEM;
  return p;
}

inline usize min_size(usize a, usize b) {
  return a < b ? a : b;
}

// kmalloc of a size known at compile time: the entry of the smallest size
// class that holds it, so the cache is picked at compile time as in C.
// Returns nullptr with `handled` false for sizes beyond the classes.
[[gnu::always_inline]] inline void* kmalloc_by_class(usize size, u32 flags, int node, bool& handled) {
  handled = true;
  // GFP_KERNEL has entries of its own (the cache type folds in C); the
  // comparison folds away when the flags are a constant, as they mostly are.
  const bool kernel = flags == KCPP_GFP_KERNEL;
#define KCPP_KMALLOC_CLASS_CALL(n)                                                 \
  if (size <= n) {                                                                 \
    if (node != KCPP_NUMA_NO_NODE)                                                 \
      return kcpp_kmalloc_node_##n(size, flags, node);                             \
    return kernel ? kcpp_kmalloc_kernel_##n(size) : kcpp_kmalloc_##n(size, flags); \
  }
  KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_CLASS_CALL)
#undef KCPP_KMALLOC_CLASS_CALL
  handled = false;
  return nullptr;
}

// Moves a block to a new one from Alloc (for a node change, or a backend
// without an in-place realloc): alloc, copy, free.
template <typename Alloc>
Result<void*> move_block(void* ptr, Layout old, Layout layout, Gfp gfp, NumaNode node) {
  void* fresh = KCPP_TRY(Alloc::alloc(layout, gfp, node));
  if (ptr) {
    __builtin_memcpy(fresh, ptr, min_size(old.size, layout.size));
    Alloc::free(ptr);
  }
  return fresh;
}

// Resizes a block of Alloc: in place by the kernel's realloc (krealloc,
// kvrealloc) where it can, by moving where a node is asked for or there is
// no block yet. The kernel keeps the old block on failure. kernel_realloc
// is a lambda that calls the shim directly, so the call stays direct and
// inlines like C's.
template <typename Alloc, typename KernelRealloc>
Result<void*> resize(void* ptr, Layout old, Layout layout, Gfp gfp, NumaNode node,
                     KernelRealloc kernel_realloc) {
  const usize size = KCPP_TRY(padded_size(layout));
  if (!node.is_any() || !ptr)
    return move_block<Alloc>(ptr, old, layout, gfp, node);
  return non_null(kernel_realloc(ptr, padded_size_unchecked(old), size, gfp.as_raw()));
}

}  // namespace detail
/// @endcond

/**
 * @brief The slab allocator, `kmalloc_node()`/`krealloc()`/`kfree()`.
 *
 * Physically contiguous memory, usable for DMA with the streaming API.
 */
struct Kmalloc {
  /** @brief A new block for @p layout, on @p node unless it is any(). */
  [[nodiscard]] [[gnu::always_inline]] static Result<void*> alloc(Layout layout, Gfp gfp,
                                                                  NumaNode node = NumaNode::any()) {
    if (__builtin_constant_p(layout.size) && __builtin_constant_p(layout.align) &&
        detail::is_power_of_two(layout.align) && layout.align <= static_cast<usize>(KCPP_PAGE_SIZE) &&
        layout.size <= 8192) {
      // A layout known at compile time (KBox<T>): no checks left to run.
      const usize size = detail::padded_size_unchecked(layout);
      bool handled;
      void* p = detail::kmalloc_by_class(size, gfp.as_raw(), node.id(), handled);
      if (handled)
        return detail::non_null(p);
    }
    const usize size = KCPP_TRY(detail::padded_size(layout));
    return detail::non_null(kcpp_kmalloc_node(size, gfp.as_raw(), node.id()));
  }
  /**
   * @brief Resizes @p ptr (or allocates, if it is null). On failure the old
   * block is left as it was. With a specific @p node the block moves there.
   */
  [[nodiscard]] static Result<void*> realloc(void* ptr, Layout old, Layout layout, Gfp gfp,
                                             NumaNode node = NumaNode::any()) {
    return detail::resize<Kmalloc>(ptr, old, layout, gfp, node, [](const void* p, usize, usize n, u32 f) {
      return kcpp_krealloc(p, n, f);
    });
  }
  /** @brief Frees a block of this allocator; `nullptr` does nothing. */
  static void free(void* ptr) { kcpp_kfree(ptr); }
};

/**
 * @brief The vmalloc allocator, `__vmalloc()`/`vmalloc_node()`/`vfree()`.
 *
 * Virtually contiguous, page-granular memory for large buffers; not for DMA
 * without a scatter-gather mapping.
 */
struct Vmalloc {
  /** @brief A new block for @p layout, on @p node unless it is any(). */
  [[nodiscard]] static Result<void*> alloc(Layout layout, Gfp gfp, NumaNode node = NumaNode::any()) {
    const usize size = KCPP_TRY(detail::padded_size(layout));
    // Modules on 6.12 reach vmalloc on a node only through vmalloc_node()
    // and vzalloc_node(), which take no flags: a node with other flags than
    // GFP_KERNEL (and GFP_ZERO) cannot be honoured.
    if (!node.is_any() && (gfp & ~GFP_ZERO) != GFP_KERNEL)
      return code::EINVAL;
    return detail::non_null(kcpp_vmalloc_node(size, gfp.as_raw(), node.id()));
  }
  /** @brief Resizes by moving to a new block; on failure the old block is intact. */
  [[nodiscard]] static Result<void*> realloc(void* ptr, Layout old, Layout layout, Gfp gfp,
                                             NumaNode node = NumaNode::any()) {
    return detail::move_block<Vmalloc>(ptr, old, layout, gfp, node);
  }
  /** @brief Frees a block of this allocator; `nullptr` does nothing. */
  static void free(void* ptr) { kcpp_vfree(ptr); }
};

/**
 * @brief kmalloc with a vmalloc fallback, `kvmalloc_node()`/`kvrealloc()`/`kvfree()`.
 */
struct KVmalloc {
  /** @brief A new block for @p layout, on @p node unless it is any(). */
  [[nodiscard]] static Result<void*> alloc(Layout layout, Gfp gfp, NumaNode node = NumaNode::any()) {
    const usize size = KCPP_TRY(detail::padded_size(layout));
    return detail::non_null(kcpp_kvmalloc_node(size, gfp.as_raw(), node.id()));
  }
  /** @brief Resizes @p ptr; on failure the old block is intact. */
  [[nodiscard]] static Result<void*> realloc(void* ptr, Layout old, Layout layout, Gfp gfp,
                                             NumaNode node = NumaNode::any()) {
    return detail::resize<KVmalloc>(
        ptr, old, layout, gfp, node,
        [](const void* p, usize old_size, usize n, u32 f) { return kcpp_kvrealloc(p, old_size, n, f); });
  }
  /** @brief Frees a block of this allocator; `nullptr` does nothing. */
  static void free(void* ptr) { kcpp_kvfree(ptr); }
};

/** @brief What kcpp's containers require of an allocator backend. */
template <typename A>
concept Allocator = requires(void* p, Layout l, Gfp g, NumaNode n) {
  { A::alloc(l, g, n) } -> same_as<Result<void*>>;
  { A::realloc(p, l, l, g, n) } -> same_as<Result<void*>>;
  A::free(p);
};

static_assert(Allocator<Kmalloc> && Allocator<Vmalloc> && Allocator<KVmalloc>);

}  // namespace kcpp

#endif  // KCPP_ALLOC_ALLOCATOR_H
