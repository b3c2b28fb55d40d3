// SPDX-License-Identifier: GPL-2.0
/*
 * User-space test of /dev/kcpp-ring (examples/misc), run by make check's
 * boot scripts while kcpp_misc is loaded. Built static, so busybox's
 * initramfs can run it (gcc -static -O2 -o ringtest ./ringtest.c).
 *
 * Each check prints "KCPP-MISC <name> ok" or "KCPP-MISC <name> FAIL
 * <why>"; the last line is "KCPP-MISC done failures=<n>". With an argument
 * N it also unbinds the driver under a writer asleep on the full ring,
 * then N times while a child process sleeps in read(); each sleeper must
 * then fail with ENODEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring_uapi.h"

#define DEV "/dev/kcpp-ring"
#define DRIVER "/sys/bus/platform/drivers/kcpp_misc_ring"
#define DEVICE_NAME "kcpp-misc-ring"

static int failures;
/* NULL, from where the compiler cannot see it (it refuses a literal NULL buffer). */
__attribute__((noipa)) static void *null_pointer(void)
{
	return NULL;
}

static void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("KCPP-MISC %s ok\n", name);
	} else {
		failures++;
		printf("KCPP-MISC %s FAIL ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

/*
 * The device node, made from the minor in sysfs (the test machines mount
 * no devtmpfs); again after each rebind, which may change the minor.
 */
static int make_node(void)
{
	unsigned int major, minor;
	FILE *f = fopen("/sys/class/misc/kcpp-ring/dev", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%u:%u", &major, &minor);
	fclose(f);
	if (n != 2)
		return -1;
	unlink(DEV);
	return mknod(DEV, S_IFCHR | 0666, makedev(major, minor));
}

static int open_ring(int flags)
{
	return open(DEV, flags);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* The state letter of /proc/<pid>/stat ('S': sleeping). */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void round_trips(void)
{
	char buf[64];
	int fd = open_ring(O_RDWR);
	ssize_t n;

	check("open", fd >= 0, "errno %d", errno);
	if (fd < 0)
		return;
	n = write(fd, "hello, ring", 11);
	check("write", n == 11, "wrote %zd errno %d", n, errno);
	memset(buf, 0, sizeof(buf));
	n = read(fd, buf, sizeof(buf));
	check("read returns what was written", n == 11 && memcmp(buf, "hello, ring", 11) == 0,
	      "read %zd '%.*s'", n, (int)(n > 0 ? n : 0), buf);
	/* A short read: the rest stays for the next one. */
	n = write(fd, "0123456789", 10);
	check("write 10", n == 10, "wrote %zd", n);
	n = read(fd, buf, 4);
	check("short read takes 4", n == 4 && memcmp(buf, "0123", 4) == 0, "read %zd", n);
	n = read(fd, buf, sizeof(buf));
	check("next read takes the other 6", n == 6 && memcmp(buf, "456789", 6) == 0,
	      "read %zd", n);
	/* Wrapping around the end of the ring. */
	{
		static char big[KCPP_RING_CAPACITY];
		static char back[KCPP_RING_CAPACITY];
		size_t i;

		for (i = 0; i < sizeof(big); i++)
			big[i] = (char)(i * 7 + 3);
		n = write(fd, big, 3000);
		n += read(fd, back, 3000);
		check("3000 in and out", n == 6000, "moved %zd", n);
		n = write(fd, big, sizeof(big));
		check("a full ring in one write (wraps)", n == (ssize_t)sizeof(big),
		      "wrote %zd", n);
		n = read(fd, back, sizeof(back));
		check("a full ring out in one read", n == (ssize_t)sizeof(back) &&
		      memcmp(big, back, sizeof(big)) == 0, "read %zd", n);
	}
	close(fd);
}

static void ioctls(void)
{
	struct kcpp_ring_stats st;
	unsigned int max;
	int fd = open_ring(O_RDWR);
	int r;

	if (fd < 0) {
		check("ioctl open", 0, "errno %d", errno);
		return;
	}
	r = ioctl(fd, KCPP_RING_CLEAR);
	check("ioctl CLEAR", r == 0, "r %d errno %d", r, errno);
	r = (int)write(fd, "abc", 3);
	memset(&st, 0xff, sizeof(st));
	r = ioctl(fd, KCPP_RING_GET_STATS, &st);
	check("ioctl GET_STATS", r == 0 && st.capacity == KCPP_RING_CAPACITY && st.used == 3 &&
	      st.written == 3 && st.read == 0 && st.max_write == KCPP_RING_CAPACITY,
	      "r %d cap %llu used %llu written %llu read %llu", r, st.capacity, st.used,
	      st.written, st.read);
	max = 8;
	r = ioctl(fd, KCPP_RING_SET_MAX_WRITE, &max);
	check("ioctl SET_MAX_WRITE 8", r == 0, "r %d errno %d", r, errno);
	r = (int)write(fd, "0123456789", 10);
	check("a write over the maximum: EINVAL", r == -1 && errno == EINVAL,
	      "r %d errno %d", r, errno);
	max = 0;
	r = ioctl(fd, KCPP_RING_SET_MAX_WRITE, &max);
	check("SET_MAX_WRITE 0: EINVAL", r == -1 && errno == EINVAL, "r %d errno %d", r, errno);
	max = KCPP_RING_CAPACITY + 1;
	r = ioctl(fd, KCPP_RING_SET_MAX_WRITE, &max);
	check("SET_MAX_WRITE over the capacity: EINVAL", r == -1 && errno == EINVAL,
	      "r %d errno %d", r, errno);
	max = KCPP_RING_CAPACITY;
	r = ioctl(fd, KCPP_RING_SET_MAX_WRITE, &max);
	check("SET_MAX_WRITE back", r == 0, "r %d", r);
	r = ioctl(fd, KCPP_RING_GET_STATS, null_pointer());
	check("GET_STATS to NULL: EFAULT", r == -1 && errno == EFAULT, "r %d errno %d", r, errno);
	r = ioctl(fd, KCPP_RING_SET_MAX_WRITE, (void *)8);
	check("SET_MAX_WRITE from a bad pointer: EFAULT", r == -1 && errno == EFAULT,
	      "r %d errno %d", r, errno);
	r = ioctl(fd, 0x7204u);
	check("an unknown ioctl: ENOTTY", r == -1 && errno == ENOTTY, "r %d errno %d", r, errno);
	/* GET_STATS's number with another size is another command. */
	r = ioctl(fd, KCPP_RING_GET_STATS + (1u << 16), &st);
	check("GET_STATS with a wrong size: ENOTTY", r == -1 && errno == ENOTTY, "r %d errno %d", r,
	      errno);
	r = ioctl(fd, KCPP_RING_CLEAR);
	close(fd);
}

static void bad_buffers(void)
{
	char buf[16];
	void *gone;
	int fd = open_ring(O_RDWR);
	ssize_t n;

	if (fd < 0) {
		check("bad buffers open", 0, "errno %d", errno);
		return;
	}
	n = write(fd, null_pointer(), 10);
	check("write from NULL: EFAULT", n == -1 && errno == EFAULT, "n %zd errno %d", n, errno);
	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	n = write(fd, gone, 10);
	check("write from unmapped memory: EFAULT", n == -1 && errno == EFAULT, "n %zd errno %d", n,
	      errno);
	n = write(fd, "keep", 4);
	n = read(fd, null_pointer(), 4);
	check("read into NULL: EFAULT", n == -1 && errno == EFAULT, "n %zd errno %d", n, errno);
	n = read(fd, gone, 4);
	check("read into unmapped memory: EFAULT", n == -1 && errno == EFAULT, "n %zd errno %d", n,
	      errno);
	n = read(fd, buf, sizeof(buf));
	check("a failed read loses nothing", n == 4 && memcmp(buf, "keep", 4) == 0, "n %zd", n);
	{
		static char over[KCPP_RING_CAPACITY + 1];

		n = write(fd, over, sizeof(over));
	}
	check("a write larger than the ring: EINVAL", n == -1 && errno == EINVAL,
	      "n %zd errno %d", n, errno);
	check("lseek: ESPIPE", lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE, "errno %d", errno);
	close(fd);
}

static void nonblocking_and_poll(void)
{
	struct pollfd p;
	char buf[8];
	int fd = open_ring(O_RDWR | O_NONBLOCK);
	ssize_t n;
	int r;

	if (fd < 0) {
		check("poll open", 0, "errno %d", errno);
		return;
	}
	n = read(fd, buf, sizeof(buf));
	check("non-blocking read of an empty ring: EAGAIN", n == -1 && errno == EAGAIN,
	      "n %zd errno %d", n, errno);
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	r = poll(&p, 1, 0);
	check("poll empty: writable only", r == 1 && p.revents == POLLOUT, "r %d revents %x", r,
	      p.revents);
	n = write(fd, "x", 1);
	r = poll(&p, 1, 0);
	check("poll with data: readable and writable", r == 1 && p.revents == (POLLIN | POLLOUT),
	      "r %d revents %x", r, p.revents);
	n = read(fd, buf, sizeof(buf));
	close(fd);
}

/* A child sleeps in read() until the parent writes, in another process. */
static void two_processes(void)
{
	int fd = open_ring(O_RDWR);
	pid_t pid;
	int status = 0, r;

	if (fd < 0) {
		check("two processes open", 0, "errno %d", errno);
		return;
	}
	pid = fork();
	if (pid == 0) {
		char buf[8];
		int cfd = open_ring(O_RDONLY);
		ssize_t n = read(cfd, buf, sizeof(buf));

		_exit(n == 4 && memcmp(buf, "ping", 4) == 0 ? 0 : 1);
	}
	/* Wait until the child sleeps (in read), then wake it. */
	for (r = 0; r < 200 && proc_state(pid) != 'S'; r++)
		sleep_ms(10);
	check("the reader in the other process sleeps", proc_state(pid) == 'S', "state %c",
	      proc_state(pid));
	r = (int)write(fd, "ping", 4);
	waitpid(pid, &status, 0);
	check("a sleeping reader in another process gets the write",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
	close(fd);
}

/* A poll that blocks is woken by a write from another process. */
static void blocking_poll(void)
{
	struct pollfd p;
	int fd = open_ring(O_RDWR);
	pid_t pid;
	int status = 0, r;
	char buf[8];

	if (fd < 0) {
		check("blocking poll open", 0, "errno %d", errno);
		return;
	}
	pid = fork();
	if (pid == 0) {
		int cfd = open_ring(O_WRONLY);

		sleep_ms(100);
		_exit(write(cfd, "poke", 4) == 4 ? 0 : 1);
	}
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	r = poll(&p, 1, 5000);
	check("a blocking poll wakes for a write from another process",
	      r == 1 && (p.revents & POLLIN), "r %d revents %x", r, p.revents);
	waitpid(pid, &status, 0);
	r = (int)read(fd, buf, sizeof(buf));
	close(fd);
}

/* Set by the handler: a lock-free atomic, which a signal handler may store. */
static int got_signal;
static int signal_pipe[2] = { -1, -1 };

/* Notes the signal, and tells the parent it was handled. */
static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&got_signal, write(signal_pipe[1], "s", 1) == 1 ? 1 : 2, __ATOMIC_RELAXED);
}

static int signalled(void)
{
	return __atomic_load_n(&got_signal, __ATOMIC_RELAXED) == 1;
}

/* Waits until pid sleeps ('S'), for up to two seconds. */
static int wait_sleeping(pid_t pid)
{
	int tries;

	for (tries = 0; tries < 200 && proc_state(pid) != 'S'; tries++)
		sleep_ms(10);
	return proc_state(pid) == 'S';
}

/*
 * A child that reads 4 bytes from fd (O_RDWR, blocking) with a SIGUSR1
 * handler, SA_RESTART or not, and exits 0 when the read did what the
 * handler's flags promise: EINTR without SA_RESTART, or the bytes "late"
 * after the restart. -1 if fork() failed.
 */
static pid_t signalled_reader(int fd, int restart)
{
	pid_t pid = fork();
	struct sigaction sa;
	char buf[8];
	ssize_t n;

	if (pid != 0)
		return pid;
	close(signal_pipe[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	n = read(fd, buf, sizeof(buf));
	if (restart)
		_exit(signalled() && n == 4 && memcmp(buf, "late", 4) == 0 ? 0 : 1);
	_exit(signalled() && n == -1 && errno == EINTR ? 0 : 1);
}

/*
 * Signals pid once it sleeps and waits (two seconds at most) for its
 * handler to run; 1 if it slept and the handler ran. A child that never
 * sleeps is not signalled (its default action would kill it) and is
 * killed instead, so that no check hangs.
 */
static int signal_sleeper(pid_t pid)
{
	struct pollfd p = { .fd = signal_pipe[0], .events = POLLIN };
	char c;

	if (!wait_sleeping(pid) || kill(pid, SIGUSR1) != 0 || poll(&p, 1, 2000) != 1 ||
	    read(signal_pipe[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		return 0;
	}
	return 1;
}

static int child_ok(pid_t pid)
{
	int status = 0;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * A signal reaches a reader asleep on the empty ring. Without SA_RESTART the
 * read fails with EINTR; with it the kernel restarts the read once the
 * handler has run (the driver must say ERESTARTSYS, not EINTR), and the
 * restarted read gets the bytes written after the handler ran. With
 * contended set, another reader holds the ring's reader lock first, so the
 * signalled one sleeps waiting for that lock instead of for data.
 */
static void signal_during_read(int restart, int contended)
{
	const char *name = contended ? "a read waiting for another reader goes on after a signal" :
			   restart   ? "a read under SA_RESTART goes on after a signal" :
				       "a signal ends a sleeping read with EINTR";
	int fd = open_ring(O_RDWR), ok = 0;
	pid_t first = -1, pid = -1;
	char buf[8];
	ssize_t n;

	if (fd < 0 || pipe(signal_pipe) != 0) {
		check(name, 0, "open or pipe: errno %d", errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	if (contended) {
		/* An ordinary reader, asleep in read() with the reader lock held. */
		first = fork();
		if (first == 0)
			_exit(read(fd, buf, 4) == 4 && memcmp(buf, "head", 4) == 0 ? 0 : 1);
		ok = first > 0 && wait_sleeping(first);
	}
	if (!contended || ok)
		pid = signalled_reader(fd, restart);
	close(signal_pipe[1]);
	ok = pid > 0 && signal_sleeper(pid);
	/* Under SA_RESTART the read sleeps again after the handler. */
	if (ok && restart)
		ok = wait_sleeping(pid);
	/* The first reader gets its bytes; the signalled one then waits for data. */
	if (ok && contended) {
		ok = write(fd, "head", 4) == 4;
		if (ok) {
			ok = child_ok(first);
			first = -1;
		}
		ok = ok && wait_sleeping(pid);
	}
	if (ok && restart)
		ok = write(fd, "late", 4) == 4;
	/* Whatever failed, no child is left asleep for waitpid() to wait on. */
	if (!ok && pid > 0)
		kill(pid, SIGKILL);
	if (pid > 0)
		ok = child_ok(pid) && ok;
	if (first > 0) {
		kill(first, SIGKILL);
		waitpid(first, NULL, 0);
	}
	check(name, ok, "%s", "no sleep, no signal, or the wrong end of the read");
	if (!restart) {
		/* The interrupted read took nothing: the ring still works as before. */
		n = write(fd, "kept", 4);
		n = n == 4 ? read(fd, buf, sizeof(buf)) : -1;
		ok = n == 4 && memcmp(buf, "kept", 4) == 0;
		check("the ring works after an interrupted read", ok, "n %zd", n);
	}
	close(signal_pipe[0]);
	close(fd);
}

/*
 * A writer asleep on a full ring when the driver unbinds gets ENODEV, as a
 * reader does; binding again gives an empty, working ring.
 */
static void unbind_under_writer(void)
{
	int fd = open_ring(O_RDWR | O_NONBLOCK), status = 0, slept, filled = 0, ok;
	char chunk[512], c = 0;
	pid_t pid;

	if (fd < 0) {
		check("unbind under a writer: open", 0, "errno %d", errno);
		return;
	}
	memset(chunk, 'f', sizeof(chunk));
	while (write(fd, chunk, sizeof(chunk)) > 0)
		filled++;
	ok = errno == EAGAIN;
	pid = fork();
	if (pid == 0) {
		int cfd = open_ring(O_WRONLY);
		ssize_t n = write(cfd, "w", 1);

		_exit(n == -1 && errno == ENODEV ? 0 : 1);
	}
	slept = wait_sleeping(pid);
	write_file(DRIVER "/unbind", DEVICE_NAME);
	waitpid(pid, &status, 0);
	check("a writer asleep on a full ring gets ENODEV at unbind",
	      ok && slept && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "filled %d chunks (EAGAIN %d), slept %d, status %x", filled, ok, slept, status);
	close(fd);
	write_file(DRIVER "/bind", DEVICE_NAME);
	make_node();
	fd = open_ring(O_RDWR | O_NONBLOCK);
	ok = fd >= 0 && read(fd, &c, 1) == -1 && errno == EAGAIN && write(fd, "z", 1) == 1 &&
	     read(fd, &c, 1) == 1 && c == 'z';
	check("the rebound ring starts empty and works", ok, "errno %d", errno);
	if (fd >= 0)
		close(fd);
}

/* What one open file wrote stays for the next. */
static void close_with_data_pending(void)
{
	char buf[16];
	int fd = open_ring(O_WRONLY);
	ssize_t n;

	n = write(fd, "pending", 7);
	close(fd);
	fd = open_ring(O_RDONLY | O_NONBLOCK);
	n = read(fd, buf, sizeof(buf));
	check("data written before a close is read after", n == 7 && memcmp(buf, "pending", 7) == 0,
	      "n %zd", n);
	close(fd);
}

/*
 * Unbind the platform driver while a child is in read(): the child gets
 * ENODEV, the parent's open file too; binding again makes a new device.
 */
static void unbind_under_use(int rounds)
{
	int i, in_read = 0, enodev = 0, rebound = 0;

	for (i = 0; i < rounds; i++) {
		int fd = open_ring(O_RDWR);
		int status = 0, tries;
		char c;
		pid_t pid;

		if (fd < 0)
			break;
		pid = fork();
		if (pid == 0) {
			ssize_t n = read(fd, &c, 1);

			_exit(n == -1 && errno == ENODEV ? 0 : 1);
		}
		for (tries = 0; tries < 200 && proc_state(pid) != 'S'; tries++)
			sleep_ms(2);
		in_read += proc_state(pid) == 'S';
		write_file(DRIVER "/unbind", DEVICE_NAME);
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && read(fd, &c, 1) == -1 &&
		    errno == ENODEV && write(fd, "x", 1) == -1 && errno == ENODEV)
			enodev++;
		close(fd);
		write_file(DRIVER "/bind", DEVICE_NAME);
		make_node();
		fd = open_ring(O_RDWR | O_NONBLOCK);
		if (fd >= 0 && write(fd, "y", 1) == 1 && read(fd, &c, 1) == 1 && c == 'y')
			rebound++;
		if (fd >= 0)
			close(fd);
	}
	check("unbind under a sleeping reader", in_read == rounds, "%d of %d in read", in_read,
	      rounds);
	check("every reader and the open file got ENODEV", enodev == rounds, "%d of %d", enodev,
	      rounds);
	check("rebinding gives a working device", rebound == rounds, "%d of %d", rebound, rounds);
	printf("KCPP-MISC unbind rounds %d\n", rounds);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 0;

	check("device node from sysfs", make_node() == 0, "errno %d", errno);
	round_trips();
	ioctls();
	bad_buffers();
	nonblocking_and_poll();
	two_processes();
	blocking_poll();
	signal_during_read(0, 0);
	signal_during_read(1, 0);
	signal_during_read(1, 1);
	close_with_data_pending();
	if (rounds > 0) {
		unbind_under_writer();
		unbind_under_use(rounds);
	}
	printf("KCPP-MISC done failures=%d\n", failures);
	return failures ? 1 : 0;
}
