// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool files: named files inside a pool, each with a cluster-wide mutex
 * and a counting semaphore, and the coherence of their pages.
 *
 * The directory.  The first DMPOOL_DIR_SIZE bytes of a pool hold its
 * directory: a header and DMPOOL_FILES_MAX entries of 512 bytes, little
 * endian (struct dmpool_dir_hdr, struct dmpool_dir_ent).  It lives in the
 * pool like any data, so every node reads the same directory through the
 * page cache and the pool's homes; it changes only under the pool's
 * directory lock (DLM resource "dir", EX).  Files take page-aligned ranges
 * of the rest of the pool, first fit; a file grows in place.  File IDs
 * count up from 1 and are never reused in a pool.
 *
 * Coherence (Documentation/kernel-design.rst says it for users).  A lock
 * whose DLM grant is fresh (not cached on this node) compares the version
 * in its lock value block with the version of the pages this node holds;
 * if they differ, this node's cached pages of the range (the directory,
 * or the file) are dropped and read again from their homes.  Releasing a
 * lock after the range may have changed writes the dirty pages home first
 * and bumps the version.  So data written under a file's mutex is seen by
 * the next holder on any node (release consistency); a semaphore permit,
 * which excludes nobody, writes back at release and drops the node's clean
 * pages of the file at every acquire.
 *
 * Fencing tokens.  Every fresh DLM grant of a file's mutex takes the next
 * token from the lock value block and gives it to the holder; a cached
 * re-grant on the same node keeps it.  When a holder's node died while it
 * held the lock, the DLM marks the value block invalid: the next acquirer
 * is told that the owner died (DMPOOL_LOCK_OWNER_DIED).  Every node that
 * knows a file holds its mutex at least at NL (dmpool_glock_anchor()), so
 * the DLM keeps the resource and can tell even when the holder's node was
 * the resource's master too.
 *
 * Open files.  An open file description of /dev/dmpool opens files by
 * name (struct dmpool_fd_files); they stay open until it is closed, which
 * also releases the locks it holds, as does process death.  Opening
 * needs the read right on the file (its owner, group, mode and grants, in
 * its directory entry: policy.c); the description remembers whether it
 * had the write right too, and chardev.c keeps a description from writing
 * the bytes of a file it opened without it.  A policy change (FILE_SET,
 * on any node) is seen at the next open: files already open keep the
 * rights they were opened with.  A node with
 * the file open holds a PR lock on resource "o<id>", so a delete, which
 * takes it EX without waiting, fails with -EBUSY while the file is open
 * (and so possibly mapped or locked) anywhere.
 *
 * Objects and locking.  struct dmpool_files is a pool's lockspace, its
 * directory lock and the files this node knows (struct dmpool_pfile), made
 * on the first use of files in the pool and freed with the pool.
 * dmpool_files.lock (a mutex) protects the list of pfiles and their open
 * counts and sizes; it is never held across a DLM wait.  Lock order:
 * directory glock → dmpool_files.lock; dmpool_fd_files.lock →
 * dmpool_files.lock.  A pfile lives until the pool goes, or until it is
 * unused and its file gone from the directory (pruned on open).
 */

#include <linux/cred.h>
#include <linux/dlm.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "dmpool.h"
#include "lock.h"
#include "remote.h"

#define DMPOOL_DIR_MAGIC	0x44504d44	/* "DMPD" */
#define DMPOOL_DIR_FORMAT	1
#define DMPOOL_DIR_SLOT		512

/* The header: slot 0 of the directory. */
struct dmpool_dir_hdr {
	__le32 magic;
	__le32 format;
	__le64 next_id;		/* the ID of the next file created */
	__le64 reserved[6];
};

/*
 * A per-user grant of a file (DMPOOL_FEAT_POLICY), in the entry's bytes
 * after the name: @rights 0 is an unused grant, so the zeroes that an
 * entry is created with (and that entries of older modules hold there)
 * mean no grants.
 */
struct dmpool_dir_grant {
	__le32 uid;
	__le32 rights;		/* DMPOOL_RIGHT_*, 0: unused */
};

/* An entry: slots 1..DMPOOL_FILES_MAX; @id 0 is a free slot. */
struct dmpool_dir_ent {
	__le64 id;
	__le64 offset;		/* bytes from the pool start, page-aligned */
	__le64 size;		/* bytes */
	__le32 permits;
	__le32 mode;
	__le32 uid;
	__le32 gid;
	__le32 name_len;
	__le32 flags;		/* 0 */
	__le64 reserved[2];
	u8 name[DMPOOL_FILE_NAME_MAX + 1];
	struct dmpool_dir_grant grants[DMPOOL_GRANTS_MAX];
};

static_assert(sizeof(struct dmpool_dir_hdr) <= DMPOOL_DIR_SLOT);
static_assert(sizeof(struct dmpool_dir_ent) <= DMPOOL_DIR_SLOT);
static_assert(DMPOOL_DIR_SLOT * (DMPOOL_FILES_MAX + 1) == DMPOOL_DIR_SIZE);

/* The lock value block of the directory lock and the file mutexes. */
struct dmpool_lvb {
	__le64 version;		/* of the range's data; 0 never written */
	__le64 token;		/* last fencing token granted (mutexes) */
	__le64 reserved[2];
};

static_assert(sizeof(struct dmpool_lvb) == DMPOOL_LVB_LEN);

/* "Pages of this version are cached here": no version yet. */
#define DMPOOL_VERSION_NONE	U64_MAX

/* How far a grant after a holder's death moves the fencing token on. */
#define DMPOOL_TOKEN_LOST_STEP	BIT_ULL(20)

/**
 * struct dmpool_pfile - a file of the pool as this node knows it
 * @node:     in dmpool_files.pfiles; under dmpool_files.lock
 * @id:       the file's ID; immutable
 * @offset:   its first byte in the pool; immutable
 * @size:     bytes; grows, under dmpool_files.lock (READ_ONCE to peek)
 * @permits:  semaphore permits; immutable
 * @opens:    open file descriptions on this node; under dmpool_files.lock
 * @open_lock: PR on "o<id>" while @opens > 0; changed under the
 *            directory glock
 * @mutex:    the file's mutex, resource "m<id>"
 * @version:  version of this file's pages cached here; under the @mutex
 *            glock (owner only)
 * @token:    fencing token of this node's latest mutex grant; owner only
 * @sem:      @permits glocks, resources "s<id>.<permit>"
 */
struct dmpool_pfile {
	struct list_head node;
	u64 id;
	u64 offset;
	u64 size;
	u32 permits;
	unsigned int opens;
	struct dmpool_plock open_lock;
	struct dmpool_glock mutex;
	u64 version;
	u64 token;
	struct dmpool_glock sem[];
};

/**
 * struct dmpool_files - the files of one pool on this node
 * @pool:    the pool, which owns this
 * @ls:      the pool's DLM lockspace
 * @dir:     the directory lock, resource "dir"; its owner is the task
 *           changing or reading the directory
 * @dir_version: version of the directory pages cached here; dir owner only
 * @lock:    protects @pfiles and the pfiles' @opens and @size
 * @pfiles:  struct dmpool_pfile
 */
struct dmpool_files {
	struct dmpool_pool *pool;
	struct dmpool_lockspace ls;
	struct dmpool_glock dir;
	u64 dir_version;
	struct mutex lock;	/* see above */
	struct list_head pfiles;
};

/* What an open file description opened: one per file. */
struct dmpool_fopen {
	struct list_head node;		/* in dmpool_fd_files.opens */
	struct dmpool_pfile *pf;
	int permit;			/* held permit, -1 none */
	bool sem_busy;			/* a semaphore wait in progress */
	bool mutex_busy;		/* a mutex lock or unlock in progress */
	bool may_write;			/* opened with the write right */
};

static u64 dmpool_lvb_get(const struct dmpool_glock *gl, size_t field)
{
	const __le64 *v = (const __le64 *)gl->lvb;

	return le64_to_cpu(v[field]);
}

static void dmpool_lvb_set(struct dmpool_glock *gl, size_t field, u64 val)
{
	__le64 *v = (__le64 *)gl->lvb;

	v[field] = cpu_to_le64(val);
}

/* Bytes a file of @size occupies. */
static u64 dmpool_file_span(u64 size)
{
	return round_up(size, PAGE_SIZE) ?: PAGE_SIZE;
}

#define LVB_VERSION	(offsetof(struct dmpool_lvb, version) / 8)
#define LVB_TOKEN	(offsetof(struct dmpool_lvb, token) / 8)

/* ---------------------------------------------------------------------
 * Bytes of the pool through its page cache
 */

static struct address_space *dmpool_files_mapping(struct dmpool_files *fs)
{
	return fs->pool->inode->i_mapping;
}

/*
 * Copy between @buf and the pool's bytes @off..@off+@len (inside one
 * page-aligned range of the pool), through the page cache: reads fetch
 * missing pages from their homes, writes dirty the pages.
 */
static int dmpool_files_rw(struct dmpool_files *fs, u64 off, void *buf,
			   size_t len, bool write)
{
	struct address_space *mapping = dmpool_files_mapping(fs);

	while (len) {
		size_t in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		struct folio *folio;
		void *addr;

		if (READ_ONCE(fs->pool->dead))
			return -ENXIO;
		folio = read_mapping_folio(mapping, off >> PAGE_SHIFT, NULL);
		if (IS_ERR(folio))
			return PTR_ERR(folio);
		/* The pool's folios are single pages. */
		addr = kmap_local_folio(folio, in);
		if (write) {
			folio_lock(folio);
			memcpy(addr, buf, n);
			folio_mark_dirty(folio);
			folio_unlock(folio);
		} else {
			memcpy(buf, addr, n);
		}
		kunmap_local(addr);
		folio_put(folio);
		off += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Write the range's dirty pages home and wait.  Return: 0, -ESTALE when a
 * home refused pages as stale (fence.c), or another write-back error.
 */
static int dmpool_files_flush(struct dmpool_files *fs, u64 off, u64 len)
{
	struct address_space *mapping = dmpool_files_mapping(fs);
	errseq_t since = filemap_sample_wb_err(mapping);
	int err;

	if (!len)
		return 0;
	err = filemap_write_and_wait_range(mapping, off, off + len - 1);
	/* The mapping's error sequence keeps the errno; AS_EIO would not. */
	return filemap_check_wb_err(mapping, since) ?: err;
}

/* Drop this node's cached pages of a range (writing dirty ones first). */
static int dmpool_files_drop(struct dmpool_files *fs, u64 off, u64 len)
{
	struct address_space *mapping = dmpool_files_mapping(fs);
	int err;

	if (!len)
		return 0;
	err = dmpool_files_flush(fs, off, len);
	if (err)
		return err;
	err = invalidate_inode_pages2_range(mapping, off >> PAGE_SHIFT,
					    (off + len - 1) >> PAGE_SHIFT);
	/*
	 * -EBUSY: a page was dirtied again, here, since the flush: by a
	 * local writer racing the lock (no lock covers it).  Keep it.
	 */
	return err == -EBUSY ? 0 : err;
}

/* ---------------------------------------------------------------------
 * The directory
 */

/**
 * struct dmpool_dir - a copy of the directory, read under its lock
 * @buf:   DMPOOL_DIR_SIZE bytes: header, entries
 * @dirty: slots changed (bit i: slot i), to write back
 */
struct dmpool_dir {
	u8 *buf;
	DECLARE_BITMAP(dirty, DMPOOL_FILES_MAX + 1);
};

static struct dmpool_dir_hdr *dmpool_dir_hdr(struct dmpool_dir *d)
{
	return (struct dmpool_dir_hdr *)d->buf;
}

static struct dmpool_dir_ent *dmpool_dir_ent(struct dmpool_dir *d,
					     unsigned int slot)
{
	return (struct dmpool_dir_ent *)(d->buf + slot * DMPOOL_DIR_SLOT);
}

/*
 * Entry @slot of the directory @d, read from the pool, is sane (anything
 * could be written there): its fields in range, its ID below the header's
 * next one and unique, its range inside the pool and apart from the
 * ranges of the entries before it.
 */
static bool dmpool_dir_ent_valid(struct dmpool_files *fs,
				 const struct dmpool_dir_ent *e,
				 struct dmpool_dir *d, unsigned int slot)
{
	u64 off = le64_to_cpu(e->offset), size = le64_to_cpu(e->size);
	u32 len = le32_to_cpu(e->name_len), permits = le32_to_cpu(e->permits);
	u64 id = le64_to_cpu(e->id), end;
	unsigned int i;

	if (off < DMPOOL_DIR_SIZE || !PAGE_ALIGNED(off) ||
	    off > fs->pool->size || size > fs->pool->size - off || !size ||
	    len < 1 || len > DMPOOL_FILE_NAME_MAX ||
	    permits < 1 || permits > DMPOOL_PERMITS_MAX ||
	    id >= le64_to_cpu(dmpool_dir_hdr(d)->next_id))
		return false;
	for (i = 0; i < DMPOOL_GRANTS_MAX; i++)
		if (le32_to_cpu(e->grants[i].rights) & ~DMPOOL_RIGHTS_ALL)
			return false;
	end = off + dmpool_file_span(size);
	for (i = 1; i < slot; i++) {
		const struct dmpool_dir_ent *o = dmpool_dir_ent(d, i);
		u64 ooff = le64_to_cpu(o->offset);

		if (!o->id)
			continue;
		if (o->id == e->id ||
		    (ooff < end &&
		     off < ooff + dmpool_file_span(le64_to_cpu(o->size))))
			return false;
	}
	return true;
}

/*
 * Read the directory (the caller holds the directory lock).  An all-zero
 * directory is an empty one; anything else that is not a directory of
 * ours: -EUCLEAN.
 */
static int dmpool_dir_read(struct dmpool_files *fs, struct dmpool_dir *d)
{
	struct dmpool_dir_hdr *h;
	unsigned int slot;
	int err;

	if (fs->pool->size <= DMPOOL_DIR_SIZE)
		return -ENOSPC;
	d->buf = kvmalloc(DMPOOL_DIR_SIZE, GFP_KERNEL);
	if (!d->buf)
		return -ENOMEM;
	bitmap_zero(d->dirty, DMPOOL_FILES_MAX + 1);
	err = dmpool_files_rw(fs, 0, d->buf, DMPOOL_DIR_SIZE, false);
	if (err)
		goto err_free;

	h = dmpool_dir_hdr(d);
	if (!h->magic && !memchr_inv(d->buf, 0, DMPOOL_DIR_SIZE)) {
		h->magic = cpu_to_le32(DMPOOL_DIR_MAGIC);
		h->format = cpu_to_le32(DMPOOL_DIR_FORMAT);
		h->next_id = cpu_to_le64(1);
		__set_bit(0, d->dirty);
		return 0;
	}
	err = -EUCLEAN;
	if (h->magic != cpu_to_le32(DMPOOL_DIR_MAGIC) ||
	    h->format != cpu_to_le32(DMPOOL_DIR_FORMAT))
		goto err_free;
	for (slot = 1; slot <= DMPOOL_FILES_MAX; slot++) {
		struct dmpool_dir_ent *e = dmpool_dir_ent(d, slot);

		if (e->id && !dmpool_dir_ent_valid(fs, e, d, slot))
			goto err_free;
	}
	return 0;

err_free:
	kvfree(d->buf);
	d->buf = NULL;
	return err;
}

/* Write the changed slots back to the pool's page cache. */
static int dmpool_dir_write(struct dmpool_files *fs, struct dmpool_dir *d)
{
	unsigned int slot;
	int err;

	for_each_set_bit(slot, d->dirty, DMPOOL_FILES_MAX + 1) {
		err = dmpool_files_rw(fs, slot * DMPOOL_DIR_SLOT,
				      d->buf + slot * DMPOOL_DIR_SLOT,
				      DMPOOL_DIR_SLOT, true);
		if (err)
			return err;
	}
	return 0;
}

static void dmpool_dir_free(struct dmpool_dir *d)
{
	kvfree(d->buf);
}

/* The slot of file @name (@len bytes), 0 if none. */
static unsigned int dmpool_dir_find(struct dmpool_dir *d, const char *name,
				    u32 len)
{
	unsigned int slot;

	for (slot = 1; slot <= DMPOOL_FILES_MAX; slot++) {
		struct dmpool_dir_ent *e = dmpool_dir_ent(d, slot);

		if (e->id && le32_to_cpu(e->name_len) == len &&
		    !memcmp(e->name, name, len))
			return slot;
	}
	return 0;
}

static unsigned int dmpool_dir_find_id(struct dmpool_dir *d, u64 id)
{
	unsigned int slot;

	for (slot = 1; slot <= DMPOOL_FILES_MAX; slot++)
		if (le64_to_cpu(dmpool_dir_ent(d, slot)->id) == id)
			return slot;
	return 0;
}

/*
 * The end of the free space after byte @from of the pool: the start of
 * the next file at or after @from, or the pool's end.  @skip: a slot to
 * ignore.
 */
static u64 dmpool_dir_free_end(struct dmpool_files *fs, struct dmpool_dir *d,
			       u64 from, unsigned int skip)
{
	u64 end = fs->pool->size;
	unsigned int slot;

	for (slot = 1; slot <= DMPOOL_FILES_MAX; slot++) {
		struct dmpool_dir_ent *e = dmpool_dir_ent(d, slot);
		u64 off = le64_to_cpu(e->offset);

		if (slot != skip && e->id && off >= from && off < end)
			end = off;
	}
	return end;
}

/* First fit: the lowest offset with @span free bytes, or 0 if none. */
static u64 dmpool_dir_alloc(struct dmpool_files *fs, struct dmpool_dir *d,
			    u64 span)
{
	u64 cand = DMPOOL_DIR_SIZE;
	unsigned int slot;

	for (;;) {
		bool moved = false;

		/* Move past any file covering @cand. */
		for (slot = 1; slot <= DMPOOL_FILES_MAX; slot++) {
			struct dmpool_dir_ent *e = dmpool_dir_ent(d, slot);
			u64 off = le64_to_cpu(e->offset);
			u64 end = off + dmpool_file_span(le64_to_cpu(e->size));

			if (e->id && off <= cand && cand < end) {
				cand = end;
				moved = true;
			}
		}
		if (cand >= fs->pool->size)
			return 0;
		if (!moved && dmpool_dir_free_end(fs, d, cand, 0) - cand >= span)
			return cand;
		if (!moved)
			cand = dmpool_dir_free_end(fs, d, cand, 0);
	}
}

/* ---------------------------------------------------------------------
 * The directory lock
 */

/*
 * A grant of the directory lock.  If the value block was lost with a node
 * that held the lock, its version may be older than the directory a node
 * cached: step it far forward, so that every node drops its copy.
 */
static void dmpool_dir_granted(struct dmpool_files *fs, bool fresh)
{
	if (!fresh || !dmpool_glock_lvb_lost(&fs->dir))
		return;
	dmpool_lvb_set(&fs->dir, LVB_VERSION,
		       dmpool_lvb_get(&fs->dir, LVB_VERSION) +
		       DMPOOL_TOKEN_LOST_STEP);
	fs->dir_version = DMPOOL_VERSION_NONE;
}

/*
 * Take the directory lock and read the directory.  A version other than
 * that of our cached directory pages drops them first.
 */
static int dmpool_dir_lock(struct dmpool_files *fs, struct dmpool_dir *d)
{
	bool fresh;
	int err;

	err = dmpool_glock_acquire(&fs->dir, current, 0, 0, &fresh);
	if (err)
		return err;
	dmpool_dir_granted(fs, fresh);
	/*
	 * Cached grants compare too: a grant whose check failed, or one taken
	 * only to close a file, left our pages unchecked.
	 */
	if (dmpool_lvb_get(&fs->dir, LVB_VERSION) != fs->dir_version) {
		err = dmpool_files_drop(fs, 0, DMPOOL_DIR_SIZE);
		if (err)
			goto err_release;
		fs->dir_version = dmpool_lvb_get(&fs->dir, LVB_VERSION);
	}
	err = dmpool_dir_read(fs, d);
	if (err)
		goto err_release;
	return 0;

err_release:
	/* Our pages may not be current: look again next time. */
	fs->dir_version = DMPOOL_VERSION_NONE;
	dmpool_glock_release(&fs->dir, current);
	return err;
}

/*
 * Write the directory's changes home (if @commit and any), bump its
 * version, free the copy and release the lock.
 */
static int dmpool_dir_unlock(struct dmpool_files *fs, struct dmpool_dir *d,
			     bool commit)
{
	int err = 0;

	if (commit && !bitmap_empty(d->dirty, DMPOOL_FILES_MAX + 1)) {
		err = dmpool_dir_write(fs, d);
		if (!err)
			err = dmpool_files_flush(fs, 0, DMPOOL_DIR_SIZE);
		if (err) {
			/* Whatever reached home, our copy is suspect. */
			dmpool_files_drop(fs, 0, DMPOOL_DIR_SIZE);
			fs->dir_version = DMPOOL_VERSION_NONE;
		} else {
			fs->dir_version = dmpool_lvb_get(&fs->dir,
							 LVB_VERSION) + 1;
		}
		/* Others must look again either way. */
		dmpool_lvb_set(&fs->dir, LVB_VERSION,
			       dmpool_lvb_get(&fs->dir, LVB_VERSION) + 1);
	}
	dmpool_dir_free(d);
	dmpool_glock_release(&fs->dir, current);
	return err;
}

/* ---------------------------------------------------------------------
 * The pool's files object
 */

/*
 * The files of @pool, made (and the lockspace joined) on first use.
 * Return: the object (owned by the pool) or an ERR_PTR.
 */
static struct dmpool_files *dmpool_files_get(struct dmpool_pool *pool)
{
	struct dmpool_files *fs;
	int err;

	if (READ_ONCE(pool->dead))
		return ERR_PTR(-ENXIO);
	mutex_lock(&pool->files_lock);
	fs = pool->files;
	if (fs)
		goto out;
	if (pool->size <= DMPOOL_DIR_SIZE) {
		fs = ERR_PTR(-ENOSPC);
		goto out;
	}
	fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	if (!fs) {
		fs = ERR_PTR(-ENOMEM);
		goto out;
	}
	err = dmpool_lockspace_join(&fs->ls, pool->id, !pool->map);
	if (err) {
		kfree(fs);
		fs = ERR_PTR(err);
		goto out;
	}
	fs->pool = pool;
	dmpool_glock_init(&fs->dir, &fs->ls, "dir");
	fs->dir_version = DMPOOL_VERSION_NONE;
	mutex_init(&fs->lock);
	INIT_LIST_HEAD(&fs->pfiles);
	pool->files = fs;
out:
	mutex_unlock(&pool->files_lock);
	return fs;
}

static void dmpool_pfile_free(struct dmpool_files *fs, struct dmpool_pfile *pf)
{
	u32 i;

	dmpool_plock_unlock(&fs->ls, &pf->open_lock);
	dmpool_glock_destroy(&pf->mutex);
	for (i = 0; i < pf->permits; i++)
		dmpool_glock_destroy(&pf->sem[i]);
	kfree(pf);
}

/**
 * dmpool_files_free() - free a pool's files and leave its lockspace
 * @pool: a pool whose last reference went (no file is attached)
 */
void dmpool_files_free(struct dmpool_pool *pool)
{
	struct dmpool_files *fs = pool->files;
	struct dmpool_pfile *pf, *tmp;

	if (!fs)
		return;
	list_for_each_entry_safe(pf, tmp, &fs->pfiles, node) {
		WARN_ON(pf->opens);
		list_del(&pf->node);
		dmpool_pfile_free(fs, pf);
	}
	dmpool_glock_destroy(&fs->dir);
	dmpool_lockspace_leave(&fs->ls);
	mutex_destroy(&fs->lock);
	kfree(fs);
	pool->files = NULL;
}

static struct dmpool_pfile *dmpool_pfile_find(struct dmpool_files *fs, u64 id)
{
	struct dmpool_pfile *pf;

	lockdep_assert_held(&fs->lock);
	list_for_each_entry(pf, &fs->pfiles, node)
		if (pf->id == id)
			return pf;
	return NULL;
}

static struct dmpool_pfile *dmpool_pfile_alloc(struct dmpool_files *fs,
					       const struct dmpool_dir_ent *e)
{
	u32 permits = le32_to_cpu(e->permits), i;
	u64 id = le64_to_cpu(e->id);
	char name[DLM_RESNAME_MAXLEN + 1];
	struct dmpool_pfile *pf;

	pf = kzalloc(struct_size(pf, sem, permits), GFP_KERNEL);
	if (!pf)
		return NULL;
	pf->id = id;
	pf->offset = le64_to_cpu(e->offset);
	pf->size = le64_to_cpu(e->size);
	pf->permits = permits;
	pf->version = DMPOOL_VERSION_NONE;
	snprintf(pf->open_lock.name, sizeof(pf->open_lock.name), "o%llu", id);
	pf->open_lock.mode = DLM_LOCK_IV;
	snprintf(name, sizeof(name), "m%llu", id);
	dmpool_glock_init(&pf->mutex, &fs->ls, name);
	for (i = 0; i < permits; i++) {
		snprintf(name, sizeof(name), "s%llu.%u", id, i);
		dmpool_glock_init(&pf->sem[i], &fs->ls, name);
	}
	return pf;
}

/*
 * Free the pfiles nobody here uses whose files are gone from the
 * directory @d (deleted by another node).  Directory lock held.
 */
static void dmpool_files_prune(struct dmpool_files *fs, struct dmpool_dir *d)
{
	struct dmpool_pfile *pf, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&fs->lock);
	list_for_each_entry_safe(pf, tmp, &fs->pfiles, node)
		if (!pf->opens && !dmpool_dir_find_id(d, pf->id))
			list_move(&pf->node, &gone);
	mutex_unlock(&fs->lock);
	list_for_each_entry_safe(pf, tmp, &gone, node) {
		list_del(&pf->node);
		dmpool_fence_clear(fs->pool->fences, pf->id);
		dmpool_pfile_free(fs, pf);
	}
}

/* The access policy in directory entry @e. */
static void dmpool_dir_ent_policy(const struct dmpool_dir_ent *e,
				  struct dmpool_policy *p)
{
	unsigned int i;

	p->uid = le32_to_cpu(e->uid);
	p->gid = le32_to_cpu(e->gid);
	p->mode = le32_to_cpu(e->mode) & 0777;
	p->nr_grants = 0;
	for (i = 0; i < DMPOOL_GRANTS_MAX; i++) {
		u32 rights = le32_to_cpu(e->grants[i].rights);

		if (!rights)
			continue;
		p->grants[p->nr_grants].uid = le32_to_cpu(e->grants[i].uid);
		p->grants[p->nr_grants++].rights = rights;
	}
}

/* Store @p in directory entry @e. */
static void dmpool_dir_ent_set_policy(struct dmpool_dir_ent *e,
				      const struct dmpool_policy *p)
{
	unsigned int i;

	e->uid = cpu_to_le32(p->uid);
	e->gid = cpu_to_le32(p->gid);
	e->mode = cpu_to_le32(p->mode);
	memset(e->grants, 0, sizeof(e->grants));
	for (i = 0; i < p->nr_grants; i++) {
		e->grants[i].uid = cpu_to_le32(p->grants[i].uid);
		e->grants[i].rights = cpu_to_le32(p->grants[i].rights);
	}
}

static void dmpool_file_info_fill(const struct dmpool_dir_ent *e,
				  struct dmpool_file_info *info)
{
	struct dmpool_policy p;

	dmpool_dir_ent_policy(e, &p);
	info->nr_grants = p.nr_grants;
	memcpy(info->grants, p.grants, sizeof(info->grants));
	info->id = le64_to_cpu(e->id);
	info->offset = le64_to_cpu(e->offset);
	info->size = le64_to_cpu(e->size);
	info->permits = le32_to_cpu(e->permits);
	info->mode = le32_to_cpu(e->mode);
	info->uid = le32_to_cpu(e->uid);
	info->gid = le32_to_cpu(e->gid);
	info->name_len = le32_to_cpu(e->name_len);
	memcpy(info->name, e->name, info->name_len);
	info->name[info->name_len] = '\0';
}

/**
 * dmpool_file_name_valid() - check a file name against the uapi rules
 * @name: the name, not necessarily NUL-terminated
 * @len:  its length in bytes
 *
 * Return: true for 1..DMPOOL_FILE_NAME_MAX bytes without NUL or '/',
 * other than "." and "..".
 */
bool dmpool_file_name_valid(const char *name, size_t len)
{
	if (len < 1 || len > DMPOOL_FILE_NAME_MAX)
		return false;
	if (memchr(name, '\0', len) || memchr(name, '/', len))
		return false;
	return !(len == 1 && name[0] == '.') &&
	       !(len == 2 && name[0] == '.' && name[1] == '.');
}

/* ---------------------------------------------------------------------
 * Directory operations
 */

/* The files of @pool, with the directory locked and read into @d. */
static struct dmpool_files *dmpool_files_begin(struct dmpool_pool *pool,
					       struct dmpool_dir *d)
{
	struct dmpool_files *fs = dmpool_files_get(pool);
	int err;

	if (IS_ERR(fs))
		return fs;
	err = dmpool_dir_lock(fs, d);
	return err ? ERR_PTR(err) : fs;
}

/**
 * dmpool_files_create() - create a file in a pool
 * @pool:    the pool, referenced by the caller
 * @name:    valid file name, @len bytes
 * @len:     its length
 * @size:    bytes, at least 1; the file takes whole pages
 * @permits: semaphore permits, 1..DMPOOL_PERMITS_MAX
 * @mode:    permission bits, 0..0777
 * @info:    out: the new file
 *
 * Context: process; waits for the directory lock (interruptibly).
 * Return: 0, -EEXIST (name taken, on any node), -ENOSPC (no room in the
 * pool, or the directory is full), -EUCLEAN (the pool's first
 * DMPOOL_DIR_SIZE bytes are not a directory), -ENOTCONN (no cluster lock
 * manager), -EINTR, -EIO and others of the data path.
 */
int dmpool_files_create(struct dmpool_pool *pool, const char *name, u32 len,
			u64 size, u32 permits, u32 mode,
			struct dmpool_file_info *info)
{
	struct dmpool_dir_hdr *h;
	struct dmpool_dir_ent *e;
	struct dmpool_files *fs;
	struct dmpool_dir d;
	unsigned int slot;
	u64 off, id;
	int err;

	fs = dmpool_files_begin(pool, &d);
	if (IS_ERR(fs))
		return PTR_ERR(fs);

	err = -EEXIST;
	if (dmpool_dir_find(&d, name, len))
		goto out_unlock;
	err = -ENOSPC;
	slot = dmpool_dir_find_id(&d, 0);
	if (!slot || size > pool->size)
		goto out_unlock;
	off = dmpool_dir_alloc(fs, &d, dmpool_file_span(size));
	if (!off)
		goto out_unlock;

	h = dmpool_dir_hdr(&d);
	id = le64_to_cpu(h->next_id);
	h->next_id = cpu_to_le64(id + 1);
	e = dmpool_dir_ent(&d, slot);
	memset(e, 0, DMPOOL_DIR_SLOT);
	e->id = cpu_to_le64(id);
	e->offset = cpu_to_le64(off);
	e->size = cpu_to_le64(size);
	e->permits = cpu_to_le32(permits);
	e->mode = cpu_to_le32(mode);
	e->uid = cpu_to_le32(from_kuid(&init_user_ns, current_fsuid()));
	e->gid = cpu_to_le32(from_kgid(&init_user_ns, current_fsgid()));
	e->name_len = cpu_to_le32(len);
	memcpy(e->name, name, len);
	__set_bit(0, d.dirty);
	__set_bit(slot, d.dirty);
	dmpool_file_info_fill(e, info);
	err = 0;

out_unlock:
	return dmpool_dir_unlock(fs, &d, !err) ?: err;
}

/*
 * This node's directory says file @pf is @size bytes: remember it if the
 * file grew.  A process learns a file's size only by opening it (again),
 * and the flushes and drops of the file's pages cover the size its node
 * knows, so they cover whatever a process here may have mapped.
 */
static void dmpool_pfile_saw_size(struct dmpool_files *fs,
				  struct dmpool_pfile *pf, u64 size)
{
	mutex_lock(&fs->lock);
	if (size > pf->size)
		pf->size = size;
	mutex_unlock(&fs->lock);
}

/**
 * dmpool_files_open() - open a file by name for an open file description
 * @pool: the pool @ff's description is attached to
 * @ff:   the description's open files
 * @name: valid file name, @len bytes
 * @len:  its length
 * @info: out: the file
 *
 * Needs the read right on the file; the description may write the file's
 * bytes if the caller has the write right too.  Opening a file twice
 * through one description is not an error, and takes the rights anew.
 * Return: 0, -ENOENT (no such file), -EACCES (no read right), and the
 * errors of create.
 */
int dmpool_files_open(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
		      const char *name, u32 len, struct dmpool_file_info *info)
{
	struct dmpool_fopen *fo = NULL, *it;
	struct dmpool_pfile *pf, *fresh = NULL;
	struct dmpool_policy *policy;
	struct dmpool_dir_ent *e;
	struct dmpool_files *fs;
	struct dmpool_dir d;
	unsigned int slot;
	u32 rights;
	int err;

	policy = kmalloc(sizeof(*policy), GFP_KERNEL);
	if (!policy)
		return -ENOMEM;
	fs = dmpool_files_begin(pool, &d);
	if (IS_ERR(fs)) {
		kfree(policy);
		return PTR_ERR(fs);
	}
	dmpool_files_prune(fs, &d);

	err = -ENOENT;
	slot = dmpool_dir_find(&d, name, len);
	if (!slot)
		goto out_unlock;
	e = dmpool_dir_ent(&d, slot);
	dmpool_file_info_fill(e, info);
	dmpool_dir_ent_policy(e, policy);
	rights = dmpool_policy_rights(policy);
	err = -EACCES;
	if (!(rights & DMPOOL_RIGHT_READ))
		goto out_unlock;

	mutex_lock(&ff->lock);
	list_for_each_entry(it, &ff->opens, node) {
		if (it->pf->id == info->id) {
			err = 0;	/* already open here: take today's right */
			it->may_write = rights & DMPOOL_RIGHT_WRITE;
			dmpool_pfile_saw_size(fs, it->pf, info->size);
			goto out_ff;
		}
	}
	err = -ENOMEM;
	fo = kzalloc(sizeof(*fo), GFP_KERNEL);
	if (!fo)
		goto out_ff;
	fo->permit = -1;

	mutex_lock(&fs->lock);
	pf = dmpool_pfile_find(fs, info->id);
	mutex_unlock(&fs->lock);
	if (!pf) {
		fresh = dmpool_pfile_alloc(fs, e);
		if (!fresh)
			goto out_ff;
		pf = fresh;
		/* So that the death of the mutex's holder is always told. */
		err = dmpool_glock_anchor(&pf->mutex);
		if (err)
			goto out_ff;
	}
	/* The open lock: only we change it, under the directory lock. */
	if (pf->open_lock.mode == DLM_LOCK_IV) {
		err = dmpool_plock_lock(&fs->ls, &pf->open_lock, DLM_LOCK_PR,
					false);
		if (err)
			goto out_ff;
	}
	mutex_lock(&fs->lock);
	if (fresh)
		list_add(&pf->node, &fs->pfiles);
	fresh = NULL;
	pf->opens++;
	mutex_unlock(&fs->lock);
	dmpool_pfile_saw_size(fs, pf, info->size);
	fo->pf = pf;
	fo->may_write = rights & DMPOOL_RIGHT_WRITE;
	list_add_tail(&fo->node, &ff->opens);
	fo = NULL;
	err = 0;
out_ff:
	mutex_unlock(&ff->lock);
	kfree(fo);
	if (fresh)
		dmpool_pfile_free(fs, fresh);
out_unlock:
	kfree(policy);
	return dmpool_dir_unlock(fs, &d, false) ?: err;
}

/* The open record of file @id of @ff, with @ff->lock held. */
static struct dmpool_fopen *dmpool_fopen_find(struct dmpool_fd_files *ff,
					      u64 id)
{
	struct dmpool_fopen *fo;

	lockdep_assert_held(&ff->lock);
	list_for_each_entry(fo, &ff->opens, node)
		if (fo->pf->id == id)
			return fo;
	return NULL;
}

/**
 * dmpool_files_grow() - make an open file larger, in place
 * @pool: the pool
 * @ff:   the open files of the caller's description; @id among them
 * @id:   the file
 * @size: the new size, not below the current one
 * @info: out: the file
 *
 * Return: 0, -ENOENT (@id not open here, or deleted), -EINVAL (smaller),
 * -ENOSPC (the space after the file is taken), and the directory errors.
 */
int dmpool_files_grow(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
		      u64 id, u64 size, struct dmpool_file_info *info)
{
	struct dmpool_dir_ent *e;
	struct dmpool_files *fs;
	struct dmpool_fopen *fo;
	struct dmpool_dir d;
	unsigned int slot;
	u64 off;
	int err;

	mutex_lock(&ff->lock);
	fo = dmpool_fopen_find(ff, id);
	mutex_unlock(&ff->lock);
	if (!fo)
		return -ENOENT;
	fs = dmpool_files_begin(pool, &d);
	if (IS_ERR(fs))
		return PTR_ERR(fs);
	err = -ENOENT;
	slot = dmpool_dir_find_id(&d, id);
	if (!slot)
		goto out_unlock;
	e = dmpool_dir_ent(&d, slot);
	off = le64_to_cpu(e->offset);
	err = -EINVAL;
	if (size < le64_to_cpu(e->size))
		goto out_unlock;
	err = -ENOSPC;
	if (size > pool->size - off ||
	    dmpool_file_span(size) > dmpool_dir_free_end(fs, &d, off + 1, slot) - off)
		goto out_unlock;
	if (size != le64_to_cpu(e->size)) {
		e->size = cpu_to_le64(size);
		__set_bit(slot, d.dirty);
	}
	dmpool_file_info_fill(e, info);
	dmpool_pfile_saw_size(fs, fo->pf, size);
	/* If the mutex is held here, the new pages' write-backs are fenced. */
	dmpool_fence_grow(pool->fences, id, off >> PAGE_SHIFT,
			  (off + dmpool_file_span(size) - 1) >> PAGE_SHIFT);
	err = 0;
out_unlock:
	return dmpool_dir_unlock(fs, &d, !err) ?: err;
}

/**
 * dmpool_files_delete() - delete a file that is open nowhere
 * @pool: the pool
 * @name: valid file name, @len bytes
 * @len:  its length
 *
 * Its bytes in the pool are not cleared: the next file there starts with
 * whatever they hold.
 * Return: 0, -ENOENT, -EBUSY (open on some node), and the directory errors.
 */
int dmpool_files_delete(struct dmpool_pool *pool, const char *name, u32 len)
{
	struct dmpool_plock open_lock = { .mode = DLM_LOCK_IV };
	struct dmpool_pfile *pf;
	struct dmpool_files *fs;
	struct dmpool_dir d;
	unsigned int slot;
	u64 id;
	int err;

	fs = dmpool_files_begin(pool, &d);
	if (IS_ERR(fs))
		return PTR_ERR(fs);
	err = -ENOENT;
	slot = dmpool_dir_find(&d, name, len);
	if (!slot)
		goto out_unlock;
	id = le64_to_cpu(dmpool_dir_ent(&d, slot)->id);

	/* Not open here: forget what we know of it, cached locks too. */
	mutex_lock(&fs->lock);
	pf = dmpool_pfile_find(fs, id);
	if (pf && pf->opens) {
		mutex_unlock(&fs->lock);
		err = -EBUSY;
		goto out_unlock;
	}
	if (pf)
		list_del(&pf->node);
	mutex_unlock(&fs->lock);
	if (pf)
		dmpool_pfile_free(fs, pf);
	dmpool_fence_clear(pool->fences, id);

	snprintf(open_lock.name, sizeof(open_lock.name), "o%llu", id);
	err = dmpool_plock_lock(&fs->ls, &open_lock, DLM_LOCK_EX, true);
	if (err)
		goto out_unlock;
	memset(dmpool_dir_ent(&d, slot), 0, DMPOOL_DIR_SLOT);
	__set_bit(slot, d.dirty);
	err = dmpool_dir_unlock(fs, &d, true);
	dmpool_plock_unlock(&fs->ls, &open_lock);
	return err;

out_unlock:
	return dmpool_dir_unlock(fs, &d, false) ?: err;
}

/**
 * dmpool_files_list() - the files of a pool
 * @pool:  the pool
 * @start: the first slot to report (0 first)
 * @fn:    called for each file, from slot @start on, with the directory
 *         lock held; a nonzero return stops the walk
 * @arg:   for @fn
 *
 * Return: 0, the slot after the last one @fn took when it stopped the walk
 * (to resume there), or a negative errno of the directory.
 */
int dmpool_files_list(struct dmpool_pool *pool, unsigned int start,
		      int (*fn)(const struct dmpool_file_info *, void *),
		      void *arg)
{
	struct dmpool_file_info *info;
	struct dmpool_files *fs;
	struct dmpool_dir d;
	unsigned int slot;
	int err, ret = 0;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	fs = dmpool_files_begin(pool, &d);
	if (IS_ERR(fs)) {
		err = PTR_ERR(fs);
		goto out_free;
	}
	for (slot = max(start, 1U); slot <= DMPOOL_FILES_MAX; slot++) {
		struct dmpool_dir_ent *e = dmpool_dir_ent(&d, slot);

		if (!e->id)
			continue;
		dmpool_file_info_fill(e, info);
		if (fn(info, arg)) {
			ret = slot;
			break;
		}
	}
	err = dmpool_dir_unlock(fs, &d, false);
out_free:
	kfree(info);
	return err ?: ret;
}

/**
 * dmpool_files_set() - change a file's owner, group, mode or grants
 * @pool: the pool, referenced by the caller
 * @name: valid file name, @len bytes
 * @len:  its length
 * @p:    the new values, checked (MODE at most 0777, grants as
 *        dmpool_policy_grants_parse() takes them)
 * @mask: DMPOOL_POLICY_SET_* bits: which fields of @p to take
 * @info: out: the file as changed
 *
 * Under the directory lock, so every node sees the change at its next
 * open of the file; descriptions that have it open keep their rights.
 * Return: 0, -ENOENT, and the directory errors.
 */
int dmpool_files_set(struct dmpool_pool *pool, const char *name, u32 len,
		     const struct dmpool_policy *p, u32 mask,
		     struct dmpool_file_info *info)
{
	struct dmpool_policy *cur;
	struct dmpool_dir_ent *e;
	struct dmpool_files *fs;
	struct dmpool_dir d;
	unsigned int slot;
	int err;

	cur = kmalloc(sizeof(*cur), GFP_KERNEL);
	if (!cur)
		return -ENOMEM;
	fs = dmpool_files_begin(pool, &d);
	if (IS_ERR(fs)) {
		err = PTR_ERR(fs);
		goto out_free;
	}
	err = -ENOENT;
	slot = dmpool_dir_find(&d, name, len);
	if (!slot)
		goto out_unlock;
	e = dmpool_dir_ent(&d, slot);
	dmpool_dir_ent_policy(e, cur);
	dmpool_policy_update(cur, p, mask);
	dmpool_dir_ent_set_policy(e, cur);
	__set_bit(slot, d.dirty);
	dmpool_file_info_fill(e, info);
	err = 0;
out_unlock:
	err = dmpool_dir_unlock(fs, &d, !err) ?: err;
out_free:
	kfree(cur);
	return err;
}

/**
 * dmpool_fd_files_may_write() - may a description write these pool bytes
 * @ff:  the open files of the description
 * @off: the first byte
 * @len: bytes
 *
 * Return: false if the bytes overlap a file @ff opened without the write
 * right (at the size this node knows the file to have).
 */
bool dmpool_fd_files_may_write(struct dmpool_fd_files *ff, u64 off, u64 len)
{
	struct dmpool_fopen *fo;
	bool ok = true;

	if (!len)
		return true;
	mutex_lock(&ff->lock);
	list_for_each_entry(fo, &ff->opens, node) {
		u64 start = fo->pf->offset;
		u64 end = start + dmpool_file_span(READ_ONCE(fo->pf->size));

		if (!fo->may_write && off < end && start < off + len) {
			ok = false;
			break;
		}
	}
	mutex_unlock(&ff->lock);
	return ok;
}

/* ---------------------------------------------------------------------
 * Locks of files
 */

/*
 * Tell the homes of @pf's pages the token of our grant, before we write (or
 * even read) anything, when the holder before us may live on, cut off from
 * the cluster (its node was dropped while it held the mutex), or when the
 * value block never held a token (@unknown: a new file; or every node that
 * knew the file died, and the block with them).  If a home had seen our
 * token or a newer one, some holder we know nothing of may have it; and
 * without a value block, a holder cut off before it wrote back may have a
 * token above anything the homes saw: in both cases take one far above,
 * and tell the homes again.  A home not reached refuses the old tokens
 * once our write-backs reach it.  Return: 0, -EOVERFLOW (no token left).
 */
static int dmpool_files_fence_homes(struct dmpool_files *fs,
				    struct dmpool_pfile *pf, bool unknown)
{
	struct dmpool_fence_stamp stamp = {
		.file_id = pf->id,
		.token = pf->token,
	};
	u64 span = dmpool_file_span(READ_ONCE(pf->size)), before;
	pgoff_t first = pf->offset >> PAGE_SHIFT;
	pgoff_t last = (pf->offset + span - 1) >> PAGE_SHIFT;
	int err;

	if (!fs->pool->map)	/* the pages live here: nobody to outlive us */
		return 0;
	err = dmpool_remote_fence_raise(fs->pool, &stamp, first, last, &before);
	if (unknown || before >= stamp.token) {
		stamp.token = max(before, stamp.token) + DMPOOL_TOKEN_LOST_STEP;
		if (stamp.token > DMPOOL_TOKEN_MAX)
			return -EOVERFLOW;
		pf->token = stamp.token;
		dmpool_lvb_set(&pf->mutex, LVB_TOKEN, pf->token);
		err = dmpool_remote_fence_raise(fs->pool, &stamp, first, last,
						&before);
	}
	if (err)
		pr_warn_ratelimited("dmpool: pool %llu file %llu: not every home knows the new fencing token: %d\n",
				    fs->pool->id, pf->id, err);
	return 0;
}

/*
 * A mutex grant: a fresh one takes the next fencing token; any drops our
 * pages of the file unless the lock value block says they are current.
 */
static int dmpool_mutex_granted(struct dmpool_files *fs,
				struct dmpool_pfile *pf, bool fresh,
				u32 *status)
{
	struct dmpool_glock *gl = &pf->mutex;
	u64 version = dmpool_lvb_get(gl, LVB_VERSION);

	if (fresh) {
		bool unknown = !dmpool_lvb_get(gl, LVB_TOKEN);

		pf->token = dmpool_lvb_get(gl, LVB_TOKEN) + 1;
		if (dmpool_glock_lvb_lost(gl)) {
			*status |= DMPOOL_LOCK_OWNER_DIED;
			/* Every node drops its copy of the file (see dir). */
			version += DMPOOL_TOKEN_LOST_STEP;
			dmpool_lvb_set(gl, LVB_VERSION, version);
			pf->version = DMPOOL_VERSION_NONE;
			/*
			 * The dead holder took the token after the one in the
			 * value block, if the block survived: step far past
			 * it.  (The block may be an old copy: the homes then
			 * know better, see dmpool_files_fence_homes().)
			 */
			pf->token += DMPOOL_TOKEN_LOST_STEP;
		}
		if (pf->token > DMPOOL_TOKEN_MAX)
			return -EOVERFLOW;
		dmpool_lvb_set(gl, LVB_TOKEN, pf->token);
		if (unknown || (*status & DMPOOL_LOCK_OWNER_DIED)) {
			int err = dmpool_files_fence_homes(fs, pf, unknown);

			if (err)
				return err;
		}
	}
	/*
	 * While held, this node's write-backs of the file carry the token.
	 * A grow here by another description between our reading the size
	 * and the set found no range to widen: widen it now.
	 */
	dmpool_fence_set(fs->pool->fences, pf->id, pf->offset >> PAGE_SHIFT,
			 (pf->offset + dmpool_file_span(READ_ONCE(pf->size)) - 1) >>
			 PAGE_SHIFT, pf->token);
	dmpool_fence_grow(fs->pool->fences, pf->id, pf->offset >> PAGE_SHIFT,
			  (pf->offset + dmpool_file_span(READ_ONCE(pf->size)) - 1) >>
			  PAGE_SHIFT);
	if (version != pf->version) {
		int err = dmpool_files_drop(fs, pf->offset,
					    dmpool_file_span(READ_ONCE(pf->size)));

		if (err)
			return err;
		pf->version = version;
	}
	return 0;
}

/* Try each permit once, from @start on; Return: 0 with *@got set, or -EBUSY. */
static int dmpool_sem_try_all(struct dmpool_pfile *pf, void *owner, u32 start,
			      u32 *got)
{
	bool fresh;
	u32 i;

	for (i = 0; i < pf->permits; i++) {
		u32 p = (start + i) % pf->permits;
		int err = dmpool_glock_acquire(&pf->sem[p], owner,
					       DMPOOL_GLOCK_TRY, 0, &fresh);

		if (!err) {
			*got = p;
			return 0;
		}
		if (err != -EBUSY)
			return err;
	}
	return -EBUSY;
}

/*
 * Wait for a permit: try them all, then queue on one for a short slice
 * and try them all again, so a permit freed anywhere is found.
 */
static int dmpool_sem_wait(struct dmpool_pfile *pf, void *owner, bool try,
			   unsigned long deadline, u32 *got)
{
	u32 start = get_random_u32_below(pf->permits);
	unsigned long slice;
	bool fresh;
	int err;

	for (;;) {
		err = dmpool_sem_try_all(pf, owner, start, got);
		if (err != -EBUSY || try)
			return err;
		slice = jiffies + HZ / 4;
		if (deadline && time_before(deadline, slice))
			slice = deadline;
		err = dmpool_glock_acquire(&pf->sem[start], owner, 0, slice,
					   &fresh);
		if (!err) {
			*got = start;
			return 0;
		}
		if (err != -ETIMEDOUT)
			return err;
		if (deadline && !time_before(jiffies, deadline))
			return -ETIMEDOUT;
		start = (start + 1) % pf->permits;
	}
}

/**
 * dmpool_files_lock() - take a file's mutex or a permit of its semaphore
 * @pool:     the pool
 * @ff:       the open files of the caller's description, the owner
 * @id:       a file open in @ff
 * @kind:     DMPOOL_LOCK_MUTEX or DMPOOL_LOCK_SEM
 * @try:      do not wait
 * @deadline: jiffies to give up at (-ETIMEDOUT), 0 never
 * @token:    out: the fencing token of the grant (mutex), else 0
 * @status:   out: DMPOOL_LOCK_* status bits
 *
 * Return: 0, -ENOENT (not open in @ff), -EDEADLK (held by @ff already, or
 * being locked by another thread through @ff),
 * -EBUSY (@try), -ETIMEDOUT, -EINTR, and errors of the DLM and the data
 * path (dropping stale pages).
 */
int dmpool_files_lock(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
		      u64 id, u32 kind, bool try, unsigned long deadline,
		      u64 *token, u32 *status)
{
	struct dmpool_files *fs = pool->files;
	struct dmpool_pfile *pf;
	struct dmpool_fopen *fo;
	bool fresh;
	u32 got;
	int err;

	*token = 0;
	*status = 0;
	/*
	 * One lock or unlock of each kind at a time per description: another
	 * thread's lock in progress counts as held (-EDEADLK).
	 */
	mutex_lock(&ff->lock);
	fo = dmpool_fopen_find(ff, id);
	if (fo && kind == DMPOOL_LOCK_SEM) {
		if (fo->permit >= 0 || fo->sem_busy)
			fo = ERR_PTR(-EDEADLK);
		else
			fo->sem_busy = true;
	} else if (fo) {
		if (fo->mutex_busy)
			fo = ERR_PTR(-EDEADLK);
		else
			fo->mutex_busy = true;
	}
	mutex_unlock(&ff->lock);
	if (IS_ERR_OR_NULL(fo))
		return fo ? PTR_ERR(fo) : -ENOENT;
	pf = fo->pf;

	if (kind == DMPOOL_LOCK_MUTEX) {
		err = dmpool_glock_acquire(&pf->mutex, ff,
					   try ? DMPOOL_GLOCK_TRY : 0, deadline,
					   &fresh);
		if (!err) {
			err = dmpool_mutex_granted(fs, pf, fresh, status);
			if (err)
				dmpool_glock_release(&pf->mutex, ff);
			else
				*token = pf->token;
		}
		mutex_lock(&ff->lock);
		fo->mutex_busy = false;
		mutex_unlock(&ff->lock);
		return err;
	}

	err = dmpool_sem_wait(pf, ff, try, deadline, &got);
	if (!err) {
		/* A permit excludes nobody: never trust our cached pages. */
		err = dmpool_files_drop(fs, pf->offset,
					dmpool_file_span(READ_ONCE(pf->size)));
		if (err)
			dmpool_glock_release(&pf->sem[got], ff);
	}
	mutex_lock(&ff->lock);
	fo->sem_busy = false;
	if (!err)
		fo->permit = got;
	mutex_unlock(&ff->lock);
	return err;
}

/* Write the file's dirty pages home; the caller then releases. */
static int dmpool_files_release_flush(struct dmpool_files *fs,
				      struct dmpool_pfile *pf)
{
	return dmpool_files_flush(fs, pf->offset,
				  dmpool_file_span(READ_ONCE(pf->size)));
}

/* Release @pf's mutex held by @ff: write back, bump the version. */
static int dmpool_mutex_unlock(struct dmpool_files *fs,
			       struct dmpool_pfile *pf,
			       struct dmpool_fd_files *ff)
{
	int err;

	if (!dmpool_glock_held(&pf->mutex, ff))
		return -EPERM;
	err = dmpool_files_release_flush(fs, pf);
	/*
	 * Only write-backs made while the mutex is held carry its token: a
	 * holder cut off from the cluster still holds it; a node's writes
	 * after the release (under a permit, say) are not fenced.
	 */
	dmpool_fence_clear(fs->pool->fences, pf->id);
	pf->version = dmpool_lvb_get(&pf->mutex, LVB_VERSION) + 1;
	dmpool_lvb_set(&pf->mutex, LVB_VERSION, pf->version);
	if (err)	/* what reached home is unknown: reread next time */
		pf->version = DMPOOL_VERSION_NONE;
	dmpool_glock_release(&pf->mutex, ff);
	return err;
}

/**
 * dmpool_files_unlock() - release a file's mutex or semaphore permit
 * @pool: the pool
 * @ff:   the owner
 * @id:   a file open in @ff
 * @kind: DMPOOL_LOCK_MUTEX or DMPOOL_LOCK_SEM
 *
 * The file's dirty pages are written home first; the lock is released
 * even if that fails.
 * Return: 0, -ENOENT (not open in @ff), -EPERM (not held by @ff), or the
 * error of the write-back (-EIO, ...).
 */
int dmpool_files_unlock(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
			u64 id, u32 kind)
{
	struct dmpool_files *fs = pool->files;
	struct dmpool_fopen *fo;
	int permit, err;

	mutex_lock(&ff->lock);
	fo = dmpool_fopen_find(ff, id);
	if (!fo) {
		mutex_unlock(&ff->lock);
		return -ENOENT;
	}
	if (kind == DMPOOL_LOCK_MUTEX) {
		/* Another thread locking or unlocking: not held for us. */
		if (fo->mutex_busy) {
			mutex_unlock(&ff->lock);
			return -EPERM;
		}
		fo->mutex_busy = true;
		mutex_unlock(&ff->lock);
		err = dmpool_mutex_unlock(fs, fo->pf, ff);
		mutex_lock(&ff->lock);
		fo->mutex_busy = false;
		mutex_unlock(&ff->lock);
		return err;
	}
	permit = fo->permit;
	fo->permit = -1;
	mutex_unlock(&ff->lock);
	if (permit < 0)
		return -EPERM;
	err = dmpool_files_release_flush(fs, fo->pf);
	dmpool_glock_release(&fo->pf->sem[permit], ff);
	return err;
}

/**
 * dmpool_fd_files_init() - no files open yet
 * @ff: the open files of a new open file description
 */
void dmpool_fd_files_init(struct dmpool_fd_files *ff)
{
	mutex_init(&ff->lock);
	INIT_LIST_HEAD(&ff->opens);
}

/**
 * dmpool_fd_files_release() - close the files of a closing description
 * @pool: the pool it is attached to, or NULL
 * @ff:   its open files
 *
 * Releases the locks it holds (writing back what they cover), then closes
 * each file: the last close on this node unlocks the open lock.
 */
void dmpool_fd_files_release(struct dmpool_pool *pool,
			     struct dmpool_fd_files *ff)
{
	struct dmpool_files *fs = pool ? pool->files : NULL;
	struct dmpool_fopen *fo, *tmp;

	list_for_each_entry_safe(fo, tmp, &ff->opens, node) {
		struct dmpool_pfile *pf = fo->pf;
		bool last, fresh, locked;

		if (dmpool_glock_held(&pf->mutex, ff))
			dmpool_mutex_unlock(fs, pf, ff);
		if (fo->permit >= 0) {
			dmpool_files_release_flush(fs, pf);
			dmpool_glock_release(&pf->sem[fo->permit], ff);
		}
		/*
		 * Close under the directory lock, which orders it against
		 * opens, deletes and prunes (they free unused pfiles under
		 * it).  Uninterruptible: a close must not leave the file
		 * busy.  Should the DLM fail us, close all the same.
		 */
		locked = !dmpool_glock_acquire(&fs->dir, current,
					       DMPOOL_GLOCK_NOINTR, 0, &fresh);
		if (locked)
			dmpool_dir_granted(fs, fresh);
		mutex_lock(&fs->lock);
		last = !--pf->opens;
		mutex_unlock(&fs->lock);
		if (last)
			dmpool_plock_unlock(&fs->ls, &pf->open_lock);
		if (locked)
			dmpool_glock_release(&fs->dir, current);
		list_del(&fo->node);
		kfree(fo);
	}
	mutex_destroy(&ff->lock);
}
