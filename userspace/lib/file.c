// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1
/*
 * libdmpool: files in a pool and their cluster-wide mutex and semaphore.
 *
 * Thin wrappers of the DMPOOL_IOC_FILE_* and DMPOOL_IOC_(UN)LOCK ioctls:
 * they fill the request, check what the library can check (NULL
 * pointers, the name), and turn the reply into a struct dmp_file.  The
 * locks belong to the handle (its open file description), as the kernel
 * defines them.  A grant whose previous holder's node died returns -1
 * with errno EOWNERDEAD while the lock IS held, as robust POSIX mutexes
 * do.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/dmpool.h>

#include "dmpool.h"

int dmp_file_name_valid(const char *name)
{
	size_t len;

	if (!name)
		return 0;
	len = strlen(name);
	if (len < 1 || len > DMP_FILE_NAME_MAX || strchr(name, '/'))
		return 0;
	return strcmp(name, ".") && strcmp(name, "..");
}

/* A name request for @name; -1 EINVAL for a bad name. */
static int name_req(const char *name, struct dmpool_file_req *req)
{
	memset(req, 0, sizeof(*req));
	if (!dmp_file_name_valid(name)) {
		errno = EINVAL;
		return -1;
	}
	req->name = (uint64_t)(uintptr_t)name;
	req->name_len = (uint32_t)strlen(name);
	return 0;
}

static void file_from_req(const struct dmpool_file_req *req,
			  struct dmp_file *file)
{
	if (!file)
		return;
	file->id = req->file_id;
	file->offset = req->offset;
	file->size = req->size;
	file->permits = req->permits;
	file->mode = req->mode;
	file->uid = req->uid;
	file->gid = req->gid;
}

static int file_ioctl(struct dmp_pool *pool, unsigned long cmd,
		      struct dmpool_file_req *req, struct dmp_file *file)
{
	if (ioctl(dmp_fd(pool), cmd, req) < 0)
		return -1;
	file_from_req(req, file);
	return 0;
}

int dmp_file_create(struct dmp_pool *pool, const char *name, uint64_t size,
		    unsigned int permits, unsigned int mode,
		    struct dmp_file *file)
{
	struct dmpool_file_req req;

	if (name_req(name, &req))
		return -1;
	req.size = size;
	req.permits = permits;
	req.mode = mode;
	return file_ioctl(pool, DMPOOL_IOC_FILE_CREATE, &req, file);
}

int dmp_file_open(struct dmp_pool *pool, const char *name,
		  struct dmp_file *file)
{
	struct dmpool_file_req req;

	if (name_req(name, &req))
		return -1;
	return file_ioctl(pool, DMPOOL_IOC_FILE_OPEN, &req, file);
}

int dmp_file_grow(struct dmp_pool *pool, struct dmp_file *file,
		  uint64_t size)
{
	struct dmpool_file_req req;

	if (!file) {
		errno = EINVAL;
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.file_id = file->id;
	req.size = size;
	return file_ioctl(pool, DMPOOL_IOC_FILE_GROW, &req, file);
}

int dmp_file_delete(struct dmp_pool *pool, const char *name)
{
	struct dmpool_file_req req;

	if (name_req(name, &req))
		return -1;
	return file_ioctl(pool, DMPOOL_IOC_FILE_DELETE, &req, NULL);
}

/* Issue DMPOOL_IOC_(UN)LOCK for @file; @req returns what the module said. */
static int lock_ioctl(struct dmp_pool *pool, unsigned long cmd,
		      const struct dmp_file *file, uint32_t kind,
		      uint32_t flags, uint64_t timeout_ns,
		      struct dmpool_lock *req)
{
	if (!file) {
		errno = EINVAL;
		return -1;
	}
	memset(req, 0, sizeof(*req));
	req->file_id = file->id;
	req->kind = kind;
	req->flags = flags;
	req->timeout_ns = timeout_ns;
	return ioctl(dmp_fd(pool), cmd, req) < 0 ? -1 : 0;
}

/* Take a lock: @flags DMPOOL_LOCK_*, @timeout_ns with DMPOOL_LOCK_TIMED. */
static int do_lock(struct dmp_pool *pool, const struct dmp_file *file,
		   uint32_t kind, uint32_t flags, uint64_t timeout_ns,
		   uint64_t *token)
{
	struct dmpool_lock req;

	if (lock_ioctl(pool, DMPOOL_IOC_LOCK, file, kind, flags, timeout_ns,
		       &req))
		return -1;
	if (token)
		*token = req.token;
	if (req.status & DMPOOL_LOCK_OWNER_DIED) {
		errno = EOWNERDEAD;
		return -1;
	}
	return 0;
}

static int do_unlock(struct dmp_pool *pool, const struct dmp_file *file,
		     uint32_t kind)
{
	struct dmpool_lock req;

	return lock_ioctl(pool, DMPOOL_IOC_UNLOCK, file, kind, 0, 0, &req);
}

int dmp_mutex_lock(struct dmp_pool *pool, const struct dmp_file *file,
		   uint64_t *token)
{
	return do_lock(pool, file, DMPOOL_LOCK_MUTEX, 0, 0, token);
}

int dmp_mutex_trylock(struct dmp_pool *pool, const struct dmp_file *file,
		      uint64_t *token)
{
	return do_lock(pool, file, DMPOOL_LOCK_MUTEX, DMPOOL_LOCK_TRY, 0,
		       token);
}

int dmp_mutex_timedlock(struct dmp_pool *pool, const struct dmp_file *file,
			uint64_t timeout_ns, uint64_t *token)
{
	return do_lock(pool, file, DMPOOL_LOCK_MUTEX, DMPOOL_LOCK_TIMED,
		       timeout_ns, token);
}

int dmp_mutex_unlock(struct dmp_pool *pool, const struct dmp_file *file)
{
	return do_unlock(pool, file, DMPOOL_LOCK_MUTEX);
}

int dmp_sem_wait(struct dmp_pool *pool, const struct dmp_file *file)
{
	return do_lock(pool, file, DMPOOL_LOCK_SEM, 0, 0, NULL);
}

int dmp_sem_trywait(struct dmp_pool *pool, const struct dmp_file *file)
{
	return do_lock(pool, file, DMPOOL_LOCK_SEM, DMPOOL_LOCK_TRY, 0, NULL);
}

int dmp_sem_timedwait(struct dmp_pool *pool, const struct dmp_file *file,
		      uint64_t timeout_ns)
{
	return do_lock(pool, file, DMPOOL_LOCK_SEM, DMPOOL_LOCK_TIMED,
		       timeout_ns, NULL);
}

int dmp_sem_post(struct dmp_pool *pool, const struct dmp_file *file)
{
	return do_unlock(pool, file, DMPOOL_LOCK_SEM);
}
