/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the dmpool selftests: /dev/dmpool access, unique pool
 * names, data patterns and deadline-bounded waits.  Each test program
 * includes kselftest_harness.h first, then this header.
 */
#ifndef DMPOOL_SELFTEST_H
#define DMPOOL_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/dmpool.h>

#include "dmpool_nl.h"

#define PAGE		4096UL
#define MiB		(1024UL * 1024)

/* Open /dev/dmpool read-write; -errno on failure. */
static inline int dm_open(void)
{
	int fd = open(DMPOOL_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* ioctl returning 0 or -errno. */
static inline int dm_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static inline int dm_attach_id(int fd, uint64_t id, uint64_t *size)
{
	struct dmpool_attach a = { .pool_id = id };
	int err = dm_ioctl(fd, DMPOOL_IOC_ATTACH, &a);

	if (!err && size)
		*size = a.size;
	return err;
}

static inline int dm_attach_name(int fd, const char *name, uint64_t *id)
{
	struct dmpool_attach a = {
		.name = (uintptr_t)name,
		.name_len = (uint32_t)strlen(name),
		.flags = DMPOOL_ATTACH_BY_NAME,
	};
	int err = dm_ioctl(fd, DMPOOL_IOC_ATTACH, &a);

	if (!err && id)
		*id = a.pool_id;
	return err;
}

/* Open and attach in one go; the fd or -errno. */
static inline int dm_open_attached(uint64_t id)
{
	int fd = dm_open(), err;

	if (fd < 0)
		return fd;
	err = dm_attach_id(fd, id, NULL);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* A pool name unique to this process and call: "st-<tag>-<pid>-<n>". */
static inline const char *dm_name(char *buf, size_t len, const char *tag)
{
	static unsigned int n;

	snprintf(buf, len, "st-%s-%d-%u", tag, (int)getpid(), n++);
	return buf;
}

/* The pattern byte of @seed at byte @off: changes with both. */
static inline uint8_t dm_pat(uint32_t seed, uint64_t off)
{
	uint64_t x = off * 0x9e3779b97f4a7c15ULL + seed;

	return (uint8_t)(x >> 56 ^ x >> 24 ^ seed);
}

static inline void dm_fill(uint8_t *p, uint64_t off, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = dm_pat(seed, off + i);
}

/* Offset of the first byte that differs from the pattern, or -1. */
static inline long dm_check(const uint8_t *p, uint64_t off, size_t len,
			    uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != dm_pat(seed, off + i))
			return (long)i;
	return -1;
}

static inline long dm_check_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return (long)i;
	return -1;
}

static inline double dm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Evaluate @cond until it is true or @secs seconds passed, polling every
 * 10 ms; evaluates to the final value of @cond.
 */
#define dm_wait_until(cond, secs) ({					\
	double __end = dm_now() + (secs);				\
	bool __ok;							\
	while (!(__ok = (cond)) && dm_now() < __end)			\
		usleep(10000);						\
	__ok;								\
})

/* Write @val to a /proc or /sys file; 0 or -errno. */
static inline int dm_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Read a small /proc or /sys file into @buf (NUL-terminated); 0 or -errno. */
static inline int dm_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

#endif /* DMPOOL_SELFTEST_H */
