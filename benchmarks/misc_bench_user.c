// SPDX-License-Identifier: GPL-2.0
/*
 * The misc-device benchmark's user side, run by make bench's boot while
 * kcpp_bench is loaded: 100,000 syscalls (write then read of 64 bytes, in
 * pairs) on /dev/kcpp-bench-cpp and on /dev/kcpp-bench-c, in ten
 * alternating rounds each, timed on CLOCK_MONOTONIC (which the benchmark
 * boot's instruction counting drives). Prints
 * "KCPP-BENCH misc <kcpp ns> <C ns> <syscalls>", or an error line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define SYSCALLS 100000
#define ROUNDS 10
#define LEN 64

static int node(const char *name, const char *path)
{
	char sys[128];
	unsigned int major, minor;
	FILE *f;
	int n;

	snprintf(sys, sizeof(sys), "/sys/class/misc/%s/dev", name);
	f = fopen(sys, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%u:%u", &major, &minor);
	fclose(f);
	if (n != 2)
		return -1;
	unlink(path);
	if (mknod(path, S_IFCHR | 0600, makedev(major, minor)))
		return -1;
	return open(path, O_RDWR);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One round: pairs of write and read; -1 if a call did not move LEN bytes. */
static long long round_ns(int fd, int calls)
{
	char out[LEN], in[LEN];
	long long t0 = now_ns();
	int i;

	memset(out, 'k', sizeof(out));
	for (i = 0; i < calls / 2; i++) {
		if (write(fd, out, LEN) != LEN || read(fd, in, LEN) != LEN)
			return -1;
	}
	return now_ns() - t0;
}

int main(void)
{
	int cpp = node("kcpp-bench-cpp", "/dev/kcpp-bench-cpp");
	int c = node("kcpp-bench-c", "/dev/kcpp-bench-c");
	long long total_cpp = 0, total_c = 0, t;
	int r;

	if (cpp < 0 || c < 0) {
		printf("KCPP-BENCH misc error: no device (%d %d)\n", cpp, c);
		return 1;
	}
	/* A warm-up round each, not counted. */
	round_ns(cpp, 1000);
	round_ns(c, 1000);
	for (r = 0; r < ROUNDS; r++) {
		t = round_ns(r % 2 ? c : cpp, SYSCALLS / ROUNDS);
		if (t < 0) {
			printf("KCPP-BENCH misc error: a syscall failed\n");
			return 1;
		}
		if (r % 2)
			total_c += t;
		else
			total_cpp += t;
		t = round_ns(r % 2 ? cpp : c, SYSCALLS / ROUNDS);
		if (t < 0) {
			printf("KCPP-BENCH misc error: a syscall failed\n");
			return 1;
		}
		if (r % 2)
			total_cpp += t;
		else
			total_c += t;
	}
	printf("KCPP-BENCH misc %lld %lld %d\n", total_cpp, total_c, SYSCALLS);
	return 0;
}
