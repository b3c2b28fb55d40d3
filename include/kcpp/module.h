/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/module.h
 * @brief A kernel module as a C++ class: `KCPP_MODULE` and module metadata.
 *
 * Wraps `include/linux/module.h` (`module_init`, `module_exit`,
 * `MODULE_LICENSE`, ...). A module is a class with a static fallible factory
 * `static kcpp::Result<T> init()`; its destructor is the module's exit. The
 * object lives in static storage reserved at compile time (no allocation and
 * no global constructor: module loaders do not run those). The same source
 * builds as a loadable module or into the kernel: built in, the init runs as
 * a device initcall and the object is never destroyed.
 *
 * @par Examples
 * A whole module (shown, not run: it defines the module's entry points).
 * @code{.cpp no_run}
 * #include <kcpp/module.h>
 * #include <kcpp/print.h>
 *
 * class Hello {
 *  public:
 *   static kcpp::Result<Hello> init() {
 *     KCPP_PR_INFO("loaded\n");
 *     return Hello();
 *   }
 *   ~Hello() { KCPP_PR_INFO("unloaded\n"); }
 * };
 *
 * KCPP_MODULE(Hello);
 * KCPP_MODULE_LICENSE("GPL");
 * KCPP_MODULE_DESCRIPTION("Says hello");
 * @endcode
 *
 * What makes a class a module class:
 * @code{.cpp}
 * #^ struct Counter {
 * #^   static kcpp::Result<Counter> init() { return Counter(); }
 * #^   int loads = 1;
 * #^ };
 * static_assert(kcpp::ModuleClass<Counter>);
 * static_assert(!kcpp::ModuleClass<int>);
 * KCPP_ASSERT_EQ(KCPP_TRY(Counter::init()).loads, 1);
 * @endcode
 */
#ifndef KCPP_MODULE_H
#define KCPP_MODULE_H

#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/core/new.h>

namespace kcpp {

/**
 * @brief What `KCPP_MODULE` requires of a module class: a static
 * `init()` returning `Result<T>`, and a way to move the result into the
 * module's storage.
 */
template <typename T>
concept ModuleClass = requires {
  { T::init() } -> same_as<Result<T>>;
} && move_constructible<T>;

/// @cond KCPP_INTERNAL
namespace detail {
/// Static storage for the module object, constant-initialized (empty).
///
/// @par Invariants
/// `storage_` holds a live `T` exactly when `live_`: a successful `init()`
/// built it, and `exit()` destroys it once. Built into the kernel, nothing
/// calls `exit()`, and the slot has no destructor of its own to run.
template <typename T>
class ModuleSlot {
 public:
  constexpr ModuleSlot() = default;
  int init() {
    Result<T> r = T::init();
    if (r.is_err())
      return r.error().to_errno();
    new (storage_) T(std::move(r).expect("checked just above"));
    live_ = true;
    return 0;
  }
  void exit() {
    if (live_) {
      // SAFETY: live_ says init() placement-built the T in storage_ (aligned and sized for
      // it) and nothing destroyed it since; launder reaches that object, destroyed once here.
      std::launder(reinterpret_cast<T*>(storage_))->~T();
      live_ = false;
    }
  }

 private:
  alignas(T) unsigned char storage_[sizeof(T)] = {};
  bool live_ = false;
};
}  // namespace detail
/// @endcond

}  // namespace kcpp

/// @cond KCPP_INTERNAL
#ifdef MODULE
#define KCPP_MODINFO_PREFIX ""
#else
#define KCPP_MODINFO_PREFIX KBUILD_MODNAME "."
#endif

#define KCPP_MODULE_INFO_(id, tag, value)                                               \
  [[gnu::section(".modinfo"), gnu::used, gnu::aligned(1)]] static constexpr char id[] = \
      KCPP_MODINFO_PREFIX tag "=" value

#ifdef MODULE
// The loader calls init_module and cleanup_module through pointers in
// struct module; like module_init() in C, keep their addresses in the init
// and exit data so objtool sees them as indirect call targets (IBT).
#define KCPP_MODULE_ENTRY_POINTS_(slot)                                                     \
  extern "C" int init_module(void);                                                         \
  extern "C" void cleanup_module(void);                                                     \
  extern "C" int init_module(void) {                                                        \
    return slot.init();                                                                     \
  }                                                                                         \
  extern "C" void cleanup_module(void) {                                                    \
    slot.exit();                                                                            \
  }                                                                                         \
  /* SAFETY: the address is only stored, never called through void*: it marks */            \
  /* init_module as an indirect call target, as module_init() does in C. */                 \
  [[gnu::used, gnu::section(".init.data")]] static void* kcpp_addressable_init_module_ =    \
      reinterpret_cast<void*>(&init_module);                                                \
  /* SAFETY: as above, the address of cleanup_module is kept, never called. */              \
  [[gnu::used, gnu::section(".exit.data")]] static void* kcpp_addressable_cleanup_module_ = \
      reinterpret_cast<void*>(&cleanup_module);
#else
#define KCPP_INITCALL_FN_ KCPP_CONCAT(kcpp_initcall_, __KBUILD_MODNAME)
#if KCPP_CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
#define KCPP_INITCALL_ENTRY_ ".long " KCPP_STRINGIFY(KCPP_INITCALL_FN_) " - .\n"
#else
#define KCPP_INITCALL_ENTRY_ ".balign 8\n.quad " KCPP_STRINGIFY(KCPP_INITCALL_FN_) "\n"
#endif
// A device initcall, as module_init() makes of a built-in module's init.
#define KCPP_MODULE_ENTRY_POINTS_(slot)                  \
  extern "C" int KCPP_INITCALL_FN_(void);                \
  extern "C" [[gnu::used]] int KCPP_INITCALL_FN_(void) { \
    return slot.init();                                  \
  }                                                      \
  asm(".section \".initcall6.init\", \"a\"\n" KCPP_INITCALL_ENTRY_ ".previous\n");
#endif

/// @endcond

/**
 * @brief Makes the class @p T this translation unit's module.
 *
 * Loading the module calls `T::init()`; an error fails the load with that
 * errno. Unloading destroys the object. Use once per module.
 */
#define KCPP_MODULE(T)                                                                   \
  static_assert(::kcpp::ModuleClass<T>,                                                  \
                "kcpp: a module class needs `static kcpp::Result<T> init()` and a move " \
                "constructor.");                                                         \
  namespace {                                                                            \
  constinit ::kcpp::detail::ModuleSlot<T> kcpp_module_slot_;                             \
  }                                                                                      \
  KCPP_MODULE_ENTRY_POINTS_(kcpp_module_slot_)

/** @brief A `.modinfo` entry `tag=value`, as `MODULE_INFO()`. */
#define KCPP_MODULE_INFO(tag, value) KCPP_MODULE_INFO_(KCPP_UNIQUE_ID(kcpp_modinfo_), #tag, value)

/// @cond KCPP_INTERNAL
#ifdef MODULE
#define KCPP_MODULE_FILE_
#else
#define KCPP_MODULE_FILE_ KCPP_MODULE_INFO(file, KBUILD_MODFILE);
#endif
/// @endcond

/** @brief The module's license, as `MODULE_LICENSE()`; kcpp modules are GPL. */
#define KCPP_MODULE_LICENSE(spdx) KCPP_MODULE_FILE_ KCPP_MODULE_INFO(license, spdx)
/** @brief An author, as `MODULE_AUTHOR()`. */
#define KCPP_MODULE_AUTHOR(who) KCPP_MODULE_INFO(author, who)
/** @brief One line about the module, as `MODULE_DESCRIPTION()`. */
#define KCPP_MODULE_DESCRIPTION(line) KCPP_MODULE_INFO(description, line)
/** @brief An alias for module autoloading, as `MODULE_ALIAS()`. */
#define KCPP_MODULE_ALIAS(name) KCPP_MODULE_INFO(alias, name)
/** @brief A firmware file the module may request, as `MODULE_FIRMWARE()`. */
#define KCPP_MODULE_FIRMWARE(path) KCPP_MODULE_INFO(firmware, path)

#endif  // KCPP_MODULE_H
