// SPDX-License-Identifier: GPL-2.0
/*
 * The core: diagnostics (kcpp_warn(), kcpp_bug()), time, sleeping and
 * polling, kernel threads and number parsing.
 */
#include <linux/version.h>
#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/printk.h>
#include <kunit/test-bug.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

void kcpp_warn(const char *file, int line, const char *what)
{
	if (kcpp_fault_warning_expected()) {
		pr_info("kcpp: expected warning: %s at %s:%d\n", what, file, line);
		return;
	}
	WARN(1, "kcpp: %s at %s:%d\n", what, file, line);
	/*
	 * The caller carries on with a safe answer, which a KUnit case might
	 * mistake for the one it expects: a warning nobody announced fails the
	 * case that is running, if any.
	 */
#if IS_ENABLED(CONFIG_KUNIT)
	kunit_fail_current_test("kcpp: %s at %s:%d", what, file, line);
#endif
}

void kcpp_bug(const char *file, int line, const char *what)
{
	pr_emerg("kcpp: %s at %s:%d\n", what, file, line);
	BUG();
}

u64 kcpp_ktime_get_ns(void)
{
	return ktime_get_ns();
}

void kcpp_fsleep(unsigned long usecs)
{
	fsleep(usecs);
}

void kcpp_udelay(unsigned long usecs)
{
	udelay(usecs);
}

void kcpp_might_sleep(const char *file, int line)
{
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	__might_sleep(file, line);
#endif
	might_resched();
}

void kcpp_cpu_relax(void)
{
	cpu_relax();
}

struct task_struct *kcpp_kthread_run(int (*fn)(void *), void *data, const char *name)
{
	struct task_struct *t = kthread_run(fn, data, "%s", name);

	return IS_ERR(t) ? NULL : t;
}

/* kstrtoull() of a sysfs write (trailing newline allowed). */
int kcpp_kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	return kstrtoull(s, base, res);
}
