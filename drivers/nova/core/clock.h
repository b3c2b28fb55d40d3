/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file drivers/nova/core/clock.h
 * @brief The clock nova-core waits on: the kernel's on a real GPU, the
 * simulator's where BAR0 is simulated.
 *
 * Every wait of the probe and the unbind (GFW, falcon reset and halt, DMA,
 * scrubbing, the GSP's core, the command queue, the sequencer's polls and
 * delays) goes through these, with the BAR0 it waits for. A BAR type with
 * a `clock()` (the simulated GPU's) supplies its own, which advances when
 * the driver sleeps on it: a timeout then takes milliseconds, and a test
 * reads at what simulated time it came. Any other BAR (the real
 * `pci::Bar`) gets `kcpp::io::KernelClock`, which is empty and inlined: the
 * production code is the same as with plain `read_poll_timeout()`.
 *
 * @code{.cpp}
 * struct NoClockBar {};
 * static_assert(kcpp::same_as<decltype(nova::clock_of(NoClockBar{})), kcpp::io::KernelClock>);
 * int reads = 0;
 * auto v = nova::poll_timeout(NoClockBar{}, [&] { return ++reads; }, [](int n) { return n == 2; }, 1, 1000);
 * KCPP_ASSERT_EQ(*v, 2);
 * @endcode
 */
#ifndef NOVA_CORE_CLOCK_H
#define NOVA_CORE_CLOCK_H

#include <kcpp/io.h>

namespace nova {

/** The clock of @p bar: its own `clock()` if it has one, the kernel's otherwise. */
template <typename Bar>
[[nodiscard]] decltype(auto) clock_of(const Bar& bar) {
  if constexpr (requires { bar.clock(); })
    return bar.clock();
  else
    return kcpp::io::KernelClock{};
}

/** `read_poll_timeout()` on the clock of @p bar. */
template <typename Bar, typename Op, typename Cond>
[[nodiscard]] auto poll_timeout(const Bar& bar, Op&& op, Cond&& cond, unsigned long sleep_us,
                                unsigned long timeout_us, const char* file = __builtin_FILE(),
                                int line = __builtin_LINE()) {
  return kcpp::io::read_poll_timeout_on(clock_of(bar), op, cond, sleep_us, timeout_us, file, line);
}

/** `fsleep()` on the clock of @p bar. */
template <typename Bar>
void sleep_us(const Bar& bar, unsigned long us, const char* file = __builtin_FILE(),
              int line = __builtin_LINE()) {
  kcpp_might_sleep(file, line);
  clock_of(bar).sleep_us(us);
}

}  // namespace nova

#endif  // NOVA_CORE_CLOCK_H
