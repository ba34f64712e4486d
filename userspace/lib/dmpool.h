/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1 */
/*
 * libdmpool - the application interface to dmpool memory pools.
 *
 * A dmpool pool is a named, fixed-size range of bytes that lives in the
 * memory of the machines of a dmpool cluster.  The administrator creates
 * pools with dmpoolctl(8); an application attaches one and maps it:
 *
 *	struct dmp_pool *p = dmp_open();
 *	dmp_attach_name(p, "cache");
 *	char *mem = dmp_map(p, 0, dmp_size(p), PROT_READ | PROT_WRITE);
 *	...
 *	dmp_unmap(p, mem, dmp_size(p));
 *	dmp_close(p);
 *
 * This header is installed as <dmpool.h>.  It is distinct from the kernel's
 * <linux/dmpool.h>, which is the raw ioctl contract this library wraps; an
 * application needs only this one.
 *
 * Conventions: functions returning int return 0 on success and -1 with
 * errno set on failure; functions returning a pointer return NULL with
 * errno set.  dmp_strerror() turns an errno from this library into a
 * message that names the dmpool-specific cause.  A handle may be used by
 * several threads once attached; attaching is not thread-safe.
 * See libdmpool(3).
 */
#ifndef DMPOOL_H
#define DMPOOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's own version (not the kernel ABI version). */
#define DMP_LIB_VERSION_MAJOR	1
#define DMP_LIB_VERSION_MINOR	0

/* Longest pool name, in bytes without the NUL. */
#define DMP_NAME_MAX		63

/* An open handle on the dmpool device; opaque. */
struct dmp_pool;

/* What dmp_info() reports about the attached pool. */
struct dmp_info {
	uint64_t id;		/* the pool's ID, nonzero */
	uint64_t size;		/* bytes, a multiple of the page size */
	uint32_t attached;	/* attachments on this node, this one included */
	uint32_t abi_version;	/* the module's DMPOOL_ABI_VERSION */
	uint64_t features;	/* the module's DMPOOL_FEAT_* bits */
};

/*
 * Open /dev/dmpool and check that the module speaks this library's ABI.
 * Errors: ENODEV (no dmpool device: the module is not loaded), EPROTO (the
 * module's ABI version differs), ENOTTY (the path is not a dmpool device),
 * EACCES, ENOMEM, and those of open(2).
 */
struct dmp_pool *dmp_open(void);

/* As dmp_open(), for a device node at another path. */
struct dmp_pool *dmp_open_path(const char *path);

/*
 * Attach the handle to a pool, once per handle.  Errors: ENOENT (no such
 * pool), EINVAL (invalid name or ID 0), EBUSY (already attached, or the
 * pool is being destroyed), EBADF (no handle), EACCES (the pool's access
 * policy gives the caller no read right).  Whether the handle may write is
 * decided here too: without the write right, pwrite(2) and writable
 * mappings fail with EACCES.
 */
int dmp_attach_name(struct dmp_pool *pool, const char *name);
int dmp_attach_id(struct dmp_pool *pool, uint64_t id);

/*
 * Map @len bytes of the attached pool starting at byte @offset (any
 * offset: the library aligns the mapping itself).  @prot is PROT_READ,
 * PROT_WRITE or both.  The mapping is shared: every process attached to
 * the pool sees the same bytes.  Errors: EBADFD (not attached), EINVAL
 * (@len 0, bad @prot), ENXIO (the range passes the end of the pool),
 * EACCES (PROT_WRITE without the write right on the pool, or over a file
 * opened without it), ENOMEM, and those of mmap(2).
 */
void *dmp_map(struct dmp_pool *pool, uint64_t offset, size_t len, int prot);

/* Undo dmp_map(); @addr and @len exactly as dmp_map() got and returned. */
int dmp_unmap(struct dmp_pool *pool, void *addr, size_t len);

/* The attached pool's size in bytes and ID; 0 when not attached. */
uint64_t dmp_size(const struct dmp_pool *pool);
uint64_t dmp_id(const struct dmp_pool *pool);

/* Fresh facts about the attached pool from the module (EBADFD before attach). */
int dmp_info(struct dmp_pool *pool, struct dmp_info *info);

/*
 * The handle's file descriptor, for pread(2)/pwrite(2) at pool offsets and
 * for poll-free use with other system calls; owned by the handle.
 */
int dmp_fd(const struct dmp_pool *pool);

/*
 * Close the handle: detaches from the pool.  Mappings made with dmp_map()
 * stay valid until unmapped.  Accepts NULL.  Returns 0 or -1 (close(2)).
 */
int dmp_close(struct dmp_pool *pool);

/* 1 if @name is a valid pool name, else 0. */
int dmp_name_valid(const char *name);

/*
 * Files in a pool and their cluster-wide locks (see libdmpool(3) and
 * Documentation/app-guide.rst).  A file is a range of the attached pool:
 * map it with dmp_map(pool, file.offset, file.size, prot).  Every file has
 * a mutex and a semaphore of file.permits permits; they belong to the
 * handle and are released by dmp_close() and process death.  Data written
 * under a file's mutex is seen by the next holder on any node.
 */

/* Longest file name, in bytes without the NUL. */
#define DMP_FILE_NAME_MAX	255

struct dmp_file {
	uint64_t id;		/* nonzero, never reused in the pool */
	uint64_t offset;	/* its first byte in the pool, page-aligned */
	uint64_t size;		/* bytes */
	uint32_t permits;	/* of its semaphore */
	uint32_t mode;		/* permission bits given at creation */
	uint32_t uid, gid;	/* its owner (the creator) and group */
};

/* 1 if @name is a valid file name (no '/', not "." or ".."), else 0. */
int dmp_file_name_valid(const char *name);

/*
 * Create a file of @size bytes (@permits 0 means 1; @mode <= 0777); @file
 * may be NULL.  Errors: EEXIST, ENOSPC (no room, or the directory is
 * full), ENOTCONN (no cluster lock manager on this node), EUCLEAN (the
 * pool's first 64 KiB are not a directory), EINVAL, EBADFD, EINTR, EIO,
 * EACCES (no admin right on the pool: create, grow and delete need it).
 */
int dmp_file_create(struct dmp_pool *pool, const char *name, uint64_t size,
		    unsigned int permits, unsigned int mode,
		    struct dmp_file *file);
/*
 * Open a file by name for this handle (until dmp_close()).  ENOENT, EACCES
 * (no read right on the file; without its write right the handle cannot
 * write the file's bytes).
 */
int dmp_file_open(struct dmp_pool *pool, const char *name,
		  struct dmp_file *file);
/* Grow an open file in place; @file is updated.  ENOSPC, EINVAL. */
int dmp_file_grow(struct dmp_pool *pool, struct dmp_file *file,
		  uint64_t size);
/* Delete a file open nowhere.  EBUSY (open on some node), ENOENT. */
int dmp_file_delete(struct dmp_pool *pool, const char *name);

/*
 * The file's mutex.  lock waits, interruptibly (EINTR); trylock fails with
 * EBUSY; timedlock waits at most @timeout_ns (ETIMEDOUT).  EDEADLK: this
 * handle holds it.  On success @token (may be NULL) is the grant's fencing
 * token (a re-lock on the node that held the mutex last keeps its token).  EOWNERDEAD: the lock IS held, but the previous holder's node died
 * holding it; its unreleased writes may be missing.  unlock writes the
 * file's dirty pages home, then releases (EPERM: not held; ESTALE: a newer
 * holder wrote the file, this node's pages were refused and dropped; EIO
 * and others: the write-back failed; the lock is released anyway).
 */
int dmp_mutex_lock(struct dmp_pool *pool, const struct dmp_file *file,
		   uint64_t *token);
int dmp_mutex_trylock(struct dmp_pool *pool, const struct dmp_file *file,
		      uint64_t *token);
int dmp_mutex_timedlock(struct dmp_pool *pool, const struct dmp_file *file,
			uint64_t timeout_ns, uint64_t *token);
int dmp_mutex_unlock(struct dmp_pool *pool, const struct dmp_file *file);

/*
 * One permit of the file's semaphore: a handle holds at most one
 * (EDEADLK).  Errors as for the mutex.
 */
int dmp_sem_wait(struct dmp_pool *pool, const struct dmp_file *file);
int dmp_sem_trywait(struct dmp_pool *pool, const struct dmp_file *file);
int dmp_sem_timedwait(struct dmp_pool *pool, const struct dmp_file *file,
		      uint64_t timeout_ns);
int dmp_sem_post(struct dmp_pool *pool, const struct dmp_file *file);

/* A message for an errno returned by this library, naming dmpool causes. */
const char *dmp_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* DMPOOL_H */
