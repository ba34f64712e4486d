// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1
/*
 * libdmpool: the device handle - open, attach, map, close.
 *
 * A struct dmp_pool is one open file description of /dev/dmpool plus what
 * the attach ioctl told us (pool ID and size).  The kernel does all the
 * real checking; this file adds three things an application should not
 * have to write itself:
 *
 *  - an ABI check at open (DMPOOL_IOC_VERSION), so a library built for
 *    another module version fails early with EPROTO instead of issuing
 *    ioctls the module would misread;
 *  - errno values that name the dmpool cause (ENODEV when the device node
 *    is missing, i.e. the module is not loaded);
 *  - byte-granular mapping: dmp_map() takes any offset, maps from the page
 *    below it and returns a pointer to the requested byte; dmp_unmap()
 *    undoes the same arithmetic.
 *
 * Every function sets errno and returns -1 or NULL on failure, so the
 * library behaves like the system calls it wraps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dmpool.h>

#include "dmpool.h"

struct dmp_pool {
	int fd;
	bool attached;
	uint64_t id;
	uint64_t size;
};

static long page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? ps : 4096;
}

/* Query the module's ABI version and features through @fd. */
static int query_version(int fd, struct dmpool_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	if (ioctl(fd, DMPOOL_IOC_VERSION, ver) < 0)
		return -1;
	return 0;
}

struct dmp_pool *dmp_open_path(const char *path)
{
	struct dmpool_version ver;
	struct dmp_pool *pool;
	int saved;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NULL;

	pool->fd = open(path, O_RDWR | O_CLOEXEC);
	if (pool->fd < 0) {
		saved = errno;
		/* No node, or a node without a driver: the module is not loaded. */
		if (saved == ENOENT || saved == ENXIO)
			saved = ENODEV;
		goto fail;
	}
	if (query_version(pool->fd, &ver) < 0) {
		saved = errno;
		/* EINVAL/ENOTTY: some other device answered our ioctl. */
		if (saved == EINVAL)
			saved = ENOTTY;
		goto fail;
	}
	if (ver.abi_version != DMPOOL_ABI_VERSION) {
		saved = EPROTO;
		goto fail;
	}
	return pool;

fail:
	if (pool->fd >= 0)
		close(pool->fd);
	free(pool);
	errno = saved;
	return NULL;
}

struct dmp_pool *dmp_open(void)
{
	return dmp_open_path(DMPOOL_DEVICE_PATH);
}

/* Issue DMPOOL_IOC_ATTACH with @att and record the result in @pool. */
static int do_attach(struct dmp_pool *pool, struct dmpool_attach *att)
{
	if (!pool) {
		errno = EBADF;
		return -1;
	}
	if (pool->attached) {
		errno = EBUSY;
		return -1;
	}
	if (ioctl(pool->fd, DMPOOL_IOC_ATTACH, att) < 0)
		return -1;
	pool->attached = true;
	pool->id = att->pool_id;
	pool->size = att->size;
	return 0;
}

int dmp_attach_name(struct dmp_pool *pool, const char *name)
{
	struct dmpool_attach att;

	if (!name || !dmp_name_valid(name)) {
		errno = EINVAL;
		return -1;
	}
	memset(&att, 0, sizeof(att));
	att.flags = DMPOOL_ATTACH_BY_NAME;
	att.name = (uint64_t)(uintptr_t)name;
	att.name_len = (uint32_t)strlen(name);
	return do_attach(pool, &att);
}

int dmp_attach_id(struct dmp_pool *pool, uint64_t id)
{
	struct dmpool_attach att;

	if (id == 0) {
		errno = EINVAL;
		return -1;
	}
	memset(&att, 0, sizeof(att));
	att.pool_id = id;
	return do_attach(pool, &att);
}

void *dmp_map(struct dmp_pool *pool, uint64_t offset, size_t len, int prot)
{
	uint64_t ps = (uint64_t)page_size();
	uint64_t start, lead, total;
	void *addr;

	if (!pool) {
		errno = EBADF;
		return NULL;
	}
	if (!pool->attached) {
		errno = EBADFD;
		return NULL;
	}
	if (len == 0 || (prot & ~(PROT_READ | PROT_WRITE)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	/* The range must lie inside the pool; written to avoid overflow. */
	if (offset > pool->size || len > pool->size - offset) {
		errno = ENXIO;
		return NULL;
	}
	start = offset & ~(ps - 1);
	lead = offset - start;
	total = lead + len;
	if (total > SIZE_MAX || (off_t)start < 0) {
		errno = ENOMEM;
		return NULL;
	}
	addr = mmap(NULL, (size_t)total, prot, MAP_SHARED, pool->fd,
		    (off_t)start);
	if (addr == MAP_FAILED)
		return NULL;
	return (char *)addr + lead;
}

int dmp_unmap(struct dmp_pool *pool, void *addr, size_t len)
{
	uintptr_t ps = (uintptr_t)page_size();
	uintptr_t a = (uintptr_t)addr;
	uintptr_t start;

	(void)pool;
	if (!addr || len == 0) {
		errno = EINVAL;
		return -1;
	}
	start = a & ~(ps - 1);
	if (len > SIZE_MAX - (a - start)) {
		errno = EINVAL;
		return -1;
	}
	return munmap((void *)start, len + (a - start));
}

uint64_t dmp_size(const struct dmp_pool *pool)
{
	return pool && pool->attached ? pool->size : 0;
}

uint64_t dmp_id(const struct dmp_pool *pool)
{
	return pool && pool->attached ? pool->id : 0;
}

int dmp_info(struct dmp_pool *pool, struct dmp_info *info)
{
	struct dmpool_version ver;
	struct dmpool_info in;

	if (!pool) {
		errno = EBADF;
		return -1;
	}
	if (!info) {
		errno = EINVAL;
		return -1;
	}
	memset(&in, 0, sizeof(in));
	if (ioctl(pool->fd, DMPOOL_IOC_INFO, &in) < 0)
		return -1;
	if (query_version(pool->fd, &ver) < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	info->id = in.pool_id;
	info->size = in.size;
	info->attached = in.attached;
	info->abi_version = ver.abi_version;
	info->features = ver.features;
	return 0;
}

int dmp_fd(const struct dmp_pool *pool)
{
	if (!pool) {
		errno = EBADF;
		return -1;
	}
	return pool->fd;
}

int dmp_close(struct dmp_pool *pool)
{
	int ret;

	if (!pool)
		return 0;
	ret = close(pool->fd);
	free(pool);
	return ret;
}
