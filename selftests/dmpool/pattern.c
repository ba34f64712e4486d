// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool-pattern: write or verify a data pattern in a pool, for the
 * multi-node tests (remote.bats).  Not a test by itself.
 *
 *	dmpool-pattern write  POOL OFFSET LENGTH SEED   mmap, fill, msync
 *	dmpool-pattern verify POOL OFFSET LENGTH SEED   mmap, compare
 *	dmpool-pattern pread  POOL OFFSET LENGTH SEED   pread, compare
 *
 * With DMPOOL_PATTERN_HOLD=PATH in the environment, "write" keeps the
 * pool attached (the file open, the mapping gone) after printing its
 * result until PATH exists, for at most 300 s: another node can then read
 * what this one wrote while it is still attached.  With
 * DMPOOL_PATTERN_NOSYNC=1, "write" does not msync: the pages go home at
 * munmap or close.
 *
 * The pattern is a function of (SEED, byte offset in the pool), so any
 * node can check any range another node wrote.  Every 8-byte word is
 * checked.  Output: one line, "ok <bytes> <ms>" or the failure.
 *
 * Exit status: 0 ok; 1 a mismatch (the first one is printed); 2 usage or
 * set-up error; 3 SIGBUS on a mapped access (its offset and the time it
 * took are printed); 4 an I/O error from pread or msync (errno printed).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/dmpool.h>

static sigjmp_buf bus_jmp;
static volatile uint64_t cur_off;

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

static uint64_t word_at(uint64_t seed, uint64_t off)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ off;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x | 1;	/* never zero: an unwritten page never matches */
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int attach(const char *name)
{
	struct dmpool_attach a = {
		.name = (uintptr_t)name,
		.name_len = (uint32_t)strlen(name),
		.flags = DMPOOL_ATTACH_BY_NAME,
	};
	int fd = open(DMPOOL_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, DMPOOL_IOC_ATTACH, &a) < 0) {
		fprintf(stderr, "dmpool-pattern: attach %s: %s\n", name,
			strerror(errno));
		exit(2);
	}
	return fd;
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "dmpool-pattern: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

/* Wait for $DMPOOL_PATTERN_HOLD to exist (300 s at most), if it is set. */
static void hold(void)
{
	const char *path = getenv("DMPOOL_PATTERN_HOLD");
	double end = now_ms() + 300e3;

	fflush(stdout);
	while (path && access(path, F_OK) && now_ms() < end)
		usleep(50000);
}

static int do_pread(int fd, uint64_t off, uint64_t len, uint64_t seed,
		    double t0)
{
	static uint64_t buf[65536 / 8];
	uint64_t done = 0, i;

	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t r = pread(fd, buf, n, (off_t)(off + done));

		if (r < 0) {
			printf("error pread at %" PRIu64 ": %s after %.0f ms\n",
			       off + done, strerror(errno), now_ms() - t0);
			return 4;
		}
		if ((size_t)r != n) {
			printf("short pread at %" PRIu64 "\n", off + done);
			return 1;
		}
		for (i = 0; i < n / 8; i++) {
			uint64_t o = off + done + i * 8;

			if (buf[i] != word_at(seed, o)) {
				printf("mismatch at %" PRIu64 "\n", o);
				return 1;
			}
		}
		done += n;
	}
	printf("ok %" PRIu64 " %.0f\n", len, now_ms() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t off, len, seed, i;
	volatile uint64_t *p;
	struct sigaction sa;
	const char *mode;
	double t0;
	void *map;
	int fd;

	if (argc != 6) {
		fprintf(stderr, "usage: dmpool-pattern write|verify|pread POOL OFFSET LENGTH SEED\n");
		return 2;
	}
	mode = argv[1];
	off = num(argv[3]);
	len = num(argv[4]);
	seed = num(argv[5]);
	if (off % 4096 || len % 8 || !len) {
		fprintf(stderr, "dmpool-pattern: OFFSET must be page aligned, LENGTH a nonzero multiple of 8\n");
		return 2;
	}
	fd = attach(argv[2]);
	t0 = now_ms();
	if (!strcmp(mode, "pread"))
		return do_pread(fd, off, len, seed, t0);

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)off);
	if (map == MAP_FAILED) {
		fprintf(stderr, "dmpool-pattern: mmap: %s\n", strerror(errno));
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_bus;
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1)) {
		printf("sigbus at %" PRIu64 " after %.0f ms\n", cur_off,
		       now_ms() - t0);
		return 3;
	}
	p = map;
	if (!strcmp(mode, "write")) {
		for (i = 0; i < len / 8; i++) {
			cur_off = off + i * 8;
			p[i] = word_at(seed, off + i * 8);
		}
		if (!getenv("DMPOOL_PATTERN_NOSYNC") &&
		    msync(map, len, MS_SYNC)) {
			printf("error msync: %s after %.0f ms\n",
			       strerror(errno), now_ms() - t0);
			return 4;
		}
	} else if (!strcmp(mode, "verify")) {
		for (i = 0; i < len / 8; i++) {
			cur_off = off + i * 8;
			if (p[i] != word_at(seed, off + i * 8)) {
				printf("mismatch at %" PRIu64 "\n", off + i * 8);
				return 1;
			}
		}
	} else {
		fprintf(stderr, "dmpool-pattern: unknown mode %s\n", mode);
		return 2;
	}
	printf("ok %" PRIu64 " %.0f\n", len, now_ms() - t0);
	munmap(map, len);
	hold();
	if (close(fd)) {
		printf("error close: %s\n", strerror(errno));
		return 4;
	}
	return 0;
}
