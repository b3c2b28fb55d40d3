/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The user-space interface of examples/misc's /dev/kcpp-ring, in C: the
 * ioctl numbers and their argument. The driver checks its own numbers
 * against these at compile time; ringtest.c uses them.
 */
#ifndef KCPP_EXAMPLES_RING_UAPI_H
#define KCPP_EXAMPLES_RING_UAPI_H

#define KCPP_RING_CAPACITY 4096

/* The C names of the interface, also in C++. */
/* NOLINTBEGIN(readability-identifier-naming) */
struct kcpp_ring_stats {
  unsigned long long capacity;  /* bytes the ring holds */
  unsigned long long used;      /* bytes in it now */
  unsigned long long read;      /* bytes read since load (or clear) */
  unsigned long long written;   /* bytes written since load (or clear) */
  unsigned long long max_write; /* the largest write accepted */
};

/* _IOR('r', 1, struct kcpp_ring_stats), _IO('r', 2), _IOW('r', 3, unsigned int) */
#define KCPP_RING_GET_STATS 0x80287201u
#define KCPP_RING_CLEAR 0x00007202u
#define KCPP_RING_SET_MAX_WRITE 0x40047203u

/* NOLINTEND(readability-identifier-naming) */

#endif /* KCPP_EXAMPLES_RING_UAPI_H */
