/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shim's records of deferred work (deferred.c), which C++ embeds: each
 * is a kernel object and the C++ callback it runs. constants.c gives C++
 * their sizes and offsets, so C++ reserves the space in its own objects
 * and the shim never allocates. Included by C files only, after
 * linux/workqueue.h and linux/hrtimer.h.
 */
#ifndef KCPP_SHIM_DEFERRED_H
#define KCPP_SHIM_DEFERRED_H

/* A work item: work runs fn(data) in a worker thread. */
struct kcpp_work {
	struct work_struct work;
	void (*fn)(void *data);
	void *data;
};

/* A delayed work item: dwork runs fn(data) in a worker, after its delay. */
struct kcpp_delayed_work {
	struct delayed_work dwork;
	void (*fn)(void *data);
	void *data;
};

/* A high-resolution timer: fn(data) returns nonzero to run again. */
struct kcpp_hrtimer {
	struct hrtimer timer;
	int (*fn)(void *data);
	void *data;
};

#endif /* KCPP_SHIM_DEFERRED_H */
