/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/devres.h
 * @brief `Revocable<T>` and `Devres<T>`: resources that die with the binding.
 *
 * Wraps `include/linux/device/devres.h` and RCU (`include/linux/rcupdate.h`).
 *
 * A `Revocable<T>` holds a `T` that can be taken away while others may still
 * hold a handle to it: readers get it through `try_access()`, which holds
 * the RCU read lock for as long as the returned guard lives, and
 * `revoke()` waits for those readers (`synchronize_rcu()`) before
 * destroying the object.
 *
 * A `Devres<T>` is a revocable `T` registered with a bound device: when the
 * driver unbinds, the device core revokes it, whoever still holds the
 * handle. This is how a mapped BAR or a requested interrupt stays safe when
 * a worker outlives the binding: the worker's next access fails with
 * `ENXIO` instead of touching an unmapped BAR. Code that holds a
 * `Device<Bound>` of the same device skips the check entirely
 * (`access(dev)`): the binding cannot end while that reference lives.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Revocable<int> r(42);
 * {
 *   kcpp::RevocableGuard<int> guard = r.try_access();
 *   KCPP_ASSERT(guard);
 *   KCPP_ASSERT_EQ(*guard, 42);
 * }
 * KCPP_ASSERT(r.revoke());
 * KCPP_ASSERT(!r.try_access());
 * KCPP_ASSERT(!r.revoke()); // once only
 * int seen = KCPP_TRY(kcpp::Revocable<int>(7).try_access_with([](int& v) { return v; }));
 * KCPP_ASSERT_EQ(seen, 7);
 * @endcode
 */
#ifndef KCPP_DEVRES_H
#define KCPP_DEVRES_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/new.h>
#include <kcpp/device.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/sync/arc.h>

namespace kcpp {

template <typename T>
class Revocable;

/**
 * @brief Access to a revocable object: the RCU read lock is held while it
 * lives, so the object cannot be revoked meanwhile. Empty when the object was
 * already revoked. Do not sleep while holding one.
 *
 * @par Invariants
 * A non-empty guard holds one RCU read-side section, entered before it saw
 * the object available, and points to that object: `revoke()` waits for the
 * section, so the object outlives the guard. An empty guard holds nothing.
 */
template <typename T>
class RevocableGuard {
 public:
  RevocableGuard(const RevocableGuard&) = delete;
  RevocableGuard& operator=(const RevocableGuard&) = delete;
  /** @brief Takes over @p other's read-side section. */
  RevocableGuard(RevocableGuard&& other) noexcept : obj_(exchange(other.obj_, nullptr)) {}
  ~RevocableGuard() {
    if (obj_)
      kcpp_rcu_read_unlock();
  }
  /** @brief Whether the object is there. */
  explicit operator bool() const { return obj_ != nullptr; }
  /** @brief The object; the guard must not be empty. */
  T& operator*() const { return *obj_; }
  /** @brief Member access; the guard must not be empty. */
  T* operator->() const { return obj_; }

 private:
  friend class Revocable<T>;
  explicit RevocableGuard(T* obj) : obj_(obj) {}
  T* obj_;
};

/**
 * @brief A `T` that can be revoked (destroyed) while handles to it remain.
 *
 * @par Invariants
 * The object exists until the first successful `revoke()` (or the
 * destruction of the `Revocable`); accesses through guards never overlap its
 * destruction. Not movable: readers refer to it by address.
 */
template <typename T>
class Revocable {
 public:
  /** @brief Holds a @p T built from @p args. */
  template <typename... Args>
  explicit Revocable(Args&&... args) {
    new (storage_) T(std::forward<Args>(args)...);
  }
  /** @brief An initializer that builds the object in place with @p init. */
  template <typename I>
    requires InitializerOf<I, T>
  static auto init(I&& init) {
    return init::from_fn<Revocable>([i = std::move(init)](Revocable* slot) mutable -> Result<void> {
      new (slot) Revocable(Empty{});
      // SAFETY: storage_ is sizeof(T) bytes aligned for T and holds no object yet (available_
      // is false), the raw slot an initializer writes its T into; on failure nothing is there.
      Result<void> r = std::move(i)(reinterpret_cast<T*>(slot->storage_));
      if (r.is_err()) {
        slot->~Revocable();
        return r.error();
      }
      __atomic_store_n(&slot->available_, true, __ATOMIC_RELEASE);
      return {};
    });
  }
  Revocable(const Revocable&) = delete;
  Revocable& operator=(const Revocable&) = delete;
  ~Revocable() {
    if (__atomic_load_n(&available_, __ATOMIC_RELAXED))
      object()->~T();
  }

  /**
   * @brief The object, under the RCU read lock; an empty guard if revoked.
   */
  [[nodiscard]] RevocableGuard<T> try_access() const {
    kcpp_rcu_read_lock();
    if (__atomic_load_n(&available_, __ATOMIC_ACQUIRE))
      return RevocableGuard<T>(object());
    kcpp_rcu_read_unlock();
    return RevocableGuard<T>(nullptr);
  }
  /**
   * @brief Calls @p f with the object under the RCU read lock; `ENXIO` if
   * it was revoked. @p f must not sleep.
   */
  template <typename F>
  auto try_access_with(F&& f) const -> Result<decltype(f(declval<T&>()))> {
    RevocableGuard<T> g = try_access();
    if (!g)
      return code::ENXIO;
    if constexpr (is_void_v<decltype(f(declval<T&>()))>) {
      f(*g);
      return {};
    } else {
      return f(*g);
    }
  }
  /**
   * @brief The object without any check.
   *
   * @par Safety
   * The caller proves the object is not revoked for as long as it uses the
   * reference (a `Devres` does it with a `Device<Bound>`).
   */
  [[nodiscard]] T& unsafe_access() const { return *object(); }
  /**
   * @brief Revokes: waits for the readers inside `try_access()`, then
   * destroys the object. True if this call revoked it. May sleep.
   */
  bool revoke() const {
    if (!__atomic_exchange_n(&available_, false, __ATOMIC_ACQ_REL))
      return false;
    kcpp_synchronize_rcu();
    object()->~T();
    return true;
  }
  /**
   * @brief Revokes without waiting for readers.
   *
   * @par Safety
   * No reader can be inside `try_access()` (the caller holds the only way
   * to reach this object).
   */
  bool unsafe_revoke_nosync() const {
    if (!__atomic_exchange_n(&available_, false, __ATOMIC_ACQ_REL))
      return false;
    object()->~T();
    return true;
  }
  /** @brief Whether the object was revoked (a snapshot). */
  [[nodiscard]] bool is_revoked() const { return !__atomic_load_n(&available_, __ATOMIC_ACQUIRE); }

 private:
  struct Empty {};
  // For init(): the object comes later.
  explicit Revocable(Empty) : available_(false) {}
  T* object() const {
    // SAFETY: storage_ is where the constructor or init() built the T (aligned and sized for
    // it); launder reaches that object. Callers use it only while it exists: after reading
    // available_ as true, or by the unsafe_access() contract.
    return std::launder(reinterpret_cast<T*>(storage_));
  }
  alignas(T) mutable unsigned char storage_[sizeof(T)];
  mutable bool available_ = true;
};

/// @cond KCPP_INTERNAL
namespace detail {
// Objects with a devres node of their own (irq::Registration), by
// themselves or in a box: a second, owning node would be released first
// and wait forever for the first one.
template <typename T>
inline constexpr bool TIED_BY_ITS_OWN_DEVRES = requires { T::NOT_DEVRES_OWNED; };
template <typename T, typename A>
inline constexpr bool TIED_BY_ITS_OWN_DEVRES<Box<T, A>> = requires { T::NOT_DEVRES_OWNED; };
}  // namespace detail
/// @endcond

/**
 * @brief A `T` owned by a bound device: revoked when the driver unbinds,
 * if the handle is still around then.
 *
 * Create it with a `Device<Bound>` (only a bound device has a binding to tie
 * the resource to). Destroying the handle first destroys the object then,
 * and removes it from the device. Share it with `Arc<Devres<T>>` when
 * something (a worker, a timer) may outlive the binding.
 *
 * @par Invariants
 * Unless moved from, `state_` shares the state (the revocable object and a
 * counted reference to the device it was made for) with the devres node
 * `node_ref_` names, which owns a count of its own until it runs at unbind
 * or the destructor takes it back unrun. The object is destroyed once.
 *
 * @par Examples
 * See kcpp/pci.h: a BAR mapping is a `Devres<pci::Bar<Size>>`, and
 * tests/pci_test.cpp unbinds a device under a worker that keeps reading it.
 *
 * An object with a devres node of its own cannot be owned by a second one:
 * @code{.cpp compile_fail}
 * // compile_fail: is tied to the binding by a devres node of its own
 * struct Quiet {
 *   kcpp::irq::Return handle(const kcpp::Device<kcpp::device::Bound>&) const {
 *     return kcpp::irq::Return::None;
 *   }
 * };
 * static_assert(sizeof(kcpp::Devres<kcpp::KBox<kcpp::irq::Registration<Quiet>>>) > 0);
 * @endcode
 */
template <typename T>
class Devres {
  static_assert(!detail::TIED_BY_ITS_OWN_DEVRES<T>,
                "kcpp: this object is tied to the binding by a devres node of its own; keep it in "
                "the driver data instead");
  // The device is counted: the handle may outlive the binding, and its
  // destructor still looks at the device's devres list.
  struct State {
    Revocable<T> res;
    ::device* dev;
    ~State() { kcpp_put_device(dev); }
  };

 public:
  /**
   * @brief Registers the @p T built by @p init with @p dev; the handle and
   * the devres node are allocated with @p gfp on NUMA node @p node (any by
   * default).
   */
  template <typename I>
    requires InitializerOf<I, T>
  [[nodiscard]] static Result<Devres> make(const Device<device::Bound>& dev, I&& init, Gfp gfp,
                                           NumaNode node = NumaNode::any()) {
    ::device* raw = dev.as_raw();
    Arc<State> state =
        KCPP_TRY(Arc<State>::pin_init(gfp, init::from_fn<State>([&init, raw](State* s) -> Result<void> {
                                        KCPP_TRY(Revocable<T>::init(std::move(init))(&s->res));
                                        kcpp_get_device(raw);
                                        s->dev = raw;
                                        return {};
                                      }),
                                      node));
    // SAFETY: the devres node holds a count of its own: this copy's count leaves as node_ref
    // and comes back once, to release() at unbind, to ~Devres() if it removes the node unrun,
    // or just below if the node cannot be added.
    void* node_ref = Arc<State>(state).into_raw();
    Result<void> added = to_result(kcpp_devres_add(raw, &release, node_ref, gfp.as_raw(), node.id()));
    if (added.is_err()) {
      // SAFETY: node_ref came from into_raw() above and was not handed out.
      (void)Arc<State>::unsafe_from_raw(node_ref);
      return added.error();
    }
    return Devres(std::move(state), node_ref);
  }
  /** @brief Registers @p value (moved) with @p dev. */
  [[nodiscard]] static Result<Devres> make(const Device<device::Bound>& dev, T&& value, Gfp gfp,
                                           NumaNode node = NumaNode::any()) {
    return make(dev, init::emplace<T>(std::move(value)), gfp, node);
  }

  /** @brief Takes over @p other's resource. */
  Devres(Devres&& other) noexcept
      : state_(std::move(other.state_)), node_ref_(exchange(other.node_ref_, nullptr)) {}
  Devres& operator=(Devres&&) = delete;
  Devres(const Devres&) = delete;

  /**
   * @brief Destroys the object now (if unbind did not already) and takes the
   * node back from the device.
   */
  ~Devres() {
    if (!node_ref_)
      return;
    if (kcpp_devres_remove(state_->dev, &release, node_ref_)) {
      // SAFETY: the node was removed unrun, so its count is ours to drop;
      // state_ still holds another, so the State outlives the next line.
      (void)Arc<State>::unsafe_from_raw(node_ref_);
      // SAFETY: this handle is being destroyed and is the only way readers reach the
      // object (the node, and release() with it, is gone), so no reader is inside try_access().
      state_->res.unsafe_revoke_nosync();
    }
    // Otherwise unbind is revoking it right now; the node's count keeps the
    // state alive until that finishes.
  }

  /**
   * @brief The object, for code holding the bound device it belongs to:
   * the binding cannot end meanwhile. `EINVAL` for a different device,
   * `ENXIO` for a handle of an earlier binding (revoked at its unbind).
   * @p dev is a `Device<Bound>` or a bus device (such as a
   * `pci::Device<Bound>`) in a bound context.
   */
  template <typename D>
  [[nodiscard]] Result<T*> access(const D& dev) const {
    const Device<device::Bound>& bound = to_device(dev);
    if (bound.as_raw() != state_->dev)
      return code::EINVAL;
    // A handle of an earlier binding of the same device: revoked at its
    // unbind, whatever binding the caller holds now.
    if (state_->res.is_revoked())
      return code::ENXIO;
    // SAFETY: not revoked, so this is the caller's binding (an earlier one would have revoked it
    // at its unbind), and revocation runs at unbind, which cannot complete while the caller
    // holds a bound reference to this very device.
    return &state_->res.unsafe_access();
  }
  /** @brief The object under the RCU read lock; empty after unbind. */
  [[nodiscard]] RevocableGuard<T> try_access() const { return state_->res.try_access(); }
  /** @brief Calls @p f with the object (no sleeping in @p f); `ENXIO` after unbind. */
  template <typename F>
  auto try_access_with(F&& f) const {
    return state_->res.try_access_with(std::forward<F>(f));
  }
  /** @brief Whether unbind revoked it (a snapshot). */
  [[nodiscard]] bool is_revoked() const { return state_->res.is_revoked(); }

 private:
  Devres(Arc<State> state, void* node_ref) : state_(std::move(state)), node_ref_(node_ref) {}
  // Runs at unbind (devres release), possibly while the handle lives on.
  static void release(void* node_ref) {
    // SAFETY: the devres node owned this count since make().
    Arc<State> state = Arc<State>::unsafe_from_raw(node_ref);
    state->res.revoke();
  }
  Arc<State> state_;
  void* node_ref_;
};

namespace devres {
/**
 * @brief Hands @p value to @p dev: destroyed at unbind, not before
 * (`devm_add_action_or_reset()`). On failure @p value is destroyed at once.
 */
template <typename T>
[[nodiscard]] Result<void> register_owned(const Device<device::Bound>& dev, KBox<T> value, Gfp gfp) {
  static_assert(!detail::TIED_BY_ITS_OWN_DEVRES<T>,
                "kcpp: this object is tied to the binding by a devres node of its own; keep it in "
                "the driver data instead");
  // SAFETY: ownership passes to the devres node added below; drop takes it back exactly once,
  // when the node is released at unbind, or right here if kcpp_devres_add() fails (it does
  // not call release on failure).
  T* raw = std::move(value).into_raw();
  // SAFETY: p is the pointer into_raw() gave, released exactly once, by
  // the devres node or right below on failure.
  auto drop = [](void* p) { (void)KBox<T>::unsafe_from_raw(static_cast<T*>(p)); };
  Result<void> r = to_result(kcpp_devres_add(dev.as_raw(), drop, raw, gfp.as_raw(), KCPP_NUMA_NO_NODE));
  if (r.is_err())
    drop(raw);
  return r;
}
}  // namespace devres

}  // namespace kcpp

#endif  // KCPP_DEVRES_H
