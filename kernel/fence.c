// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool fencing: write-backs carry the fencing token of the lock they
 * were written under, and the data's home refuses one older than the
 * newest it has seen for that file.
 *
 * Two sides, one pool each, both in struct dmpool_fences:
 *
 *  - the writer's: for each file whose mutex this node was granted, the
 *    file's page range and the token of this node's latest grant
 *    (files.c sets it at every fresh grant).  The data path stamps each
 *    write-back of a page in that range with (file ID, token);
 *  - the home's: for each file, the newest token a write-back carried.
 *    A stamped write-back with an older token is refused with -ESTALE and
 *    counted; the data stays as it was.
 *
 * So a holder cut off from the cluster (its node stopped, or partitioned)
 * whose lock was granted meanwhile to another node that wrote the file
 * cannot overwrite that newer data when it comes back.  Write-backs of
 * pages outside every file, or of files this node never locked, carry no
 * stamp and are not fenced.
 *
 * This file sits below the data path (pagecache.c, remote.c, serve.c) and
 * files.c: it knows page ranges and numbers, nothing of locks.
 */

#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "dmpool.h"

/* One file this node holds a token for: pages @first..@last. */
struct dmpool_fence_range {
	pgoff_t first, last;
	struct dmpool_fence_stamp stamp;
};

/**
 * struct dmpool_fences - a pool's fencing state on this node
 * @lock:    protects @ranges and @nr
 * @ranges:  the writer's side, DMPOOL_FILES_MAX entries
 * @nr:      entries used
 * @newest:  the home's side: file ID → newest token seen (an xarray
 *           value; tokens stay far below its limit), under its xa_lock
 */
struct dmpool_fences {
	spinlock_t lock;	/* see above */
	struct dmpool_fence_range ranges[DMPOOL_FILES_MAX];
	u32 nr;
	struct xarray newest;
};

/**
 * dmpool_fences_alloc() - the fencing state of a new pool
 *
 * Return: the state, or NULL without memory.
 */
struct dmpool_fences *dmpool_fences_alloc(void)
{
	struct dmpool_fences *f = kvzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	xa_init(&f->newest);
	return f;
}

void dmpool_fences_free(struct dmpool_fences *f)
{
	if (!f)
		return;
	xa_destroy(&f->newest);
	kvfree(f);
}

/*
 * Record @file_id's range and token, under @f->lock; with @token 0 only
 * widen a range the file has (it grew while its mutex is held here).
 */
static void dmpool_fence_store(struct dmpool_fences *f, u64 file_id,
			       pgoff_t first, pgoff_t last, u64 token)
{
	struct dmpool_fence_range *r = NULL;
	u32 i = 0;

	lockdep_assert_held(&f->lock);
	for (i = 0; i < f->nr; i++) {
		if (f->ranges[i].stamp.file_id == file_id) {
			r = &f->ranges[i];
			break;
		}
	}
	if (!token) {
		if (!r)
			return;
		token = r->stamp.token;
	}
	/*
	 * Live files never overlap: a range of another file overlapping this
	 * one is of a file deleted (by another node) whose pages were reused.
	 */
	i = 0;
	while (i < f->nr) {
		struct dmpool_fence_range *o = &f->ranges[i];

		if (o->stamp.file_id != file_id && o->first <= last &&
		    first <= o->last) {
			*o = f->ranges[--f->nr];
			if (r == &f->ranges[f->nr])
				r = o;	/* ours moved into the hole */
		} else {
			i++;
		}
	}
	if (!r && f->nr < DMPOOL_FILES_MAX)
		r = &f->ranges[f->nr++];
	if (r) {
		r->first = first;
		r->last = last;
		r->stamp.file_id = file_id;
		r->stamp.token = token;
	}
}

/**
 * dmpool_fence_set() - this node's write-backs of a file carry @token
 * @f:       the pool's fencing state
 * @file_id: the file
 * @first:   its first page
 * @last:    its last page
 * @token:   the token of this node's latest grant of the file's mutex
 */
void dmpool_fence_set(struct dmpool_fences *f, u64 file_id, pgoff_t first,
		      pgoff_t last, u64 token)
{
	spin_lock(&f->lock);
	dmpool_fence_store(f, file_id, first, last, token);
	spin_unlock(&f->lock);
}

/**
 * dmpool_fence_grow() - a file grew: widen its range if this node holds it
 * @f:       the pool's fencing state
 * @file_id: the file
 * @first:   its first page
 * @last:    its new last page
 *
 * Only while a process here holds the file's mutex (the range exists) do
 * the new pages' write-backs carry its token; otherwise nothing changes.
 */
void dmpool_fence_grow(struct dmpool_fences *f, u64 file_id, pgoff_t first,
		       pgoff_t last)
{
	spin_lock(&f->lock);
	dmpool_fence_store(f, file_id, first, last, 0);
	spin_unlock(&f->lock);
}

/**
 * dmpool_fence_clear() - forget a file (deleted)
 * @f:       the pool's fencing state
 * @file_id: the file
 */
void dmpool_fence_clear(struct dmpool_fences *f, u64 file_id)
{
	u32 i;

	spin_lock(&f->lock);
	for (i = 0; i < f->nr; i++) {
		if (f->ranges[i].stamp.file_id == file_id) {
			f->ranges[i] = f->ranges[--f->nr];
			break;
		}
	}
	spin_unlock(&f->lock);
}

/**
 * dmpool_fence_lookup() - the stamp a write-back of page @index carries
 * @f:     the pool's fencing state, or NULL
 * @index: the page
 * @stamp: out: file ID and token; file ID 0 when the page is not fenced
 */
void dmpool_fence_lookup(struct dmpool_fences *f, pgoff_t index,
			 struct dmpool_fence_stamp *stamp)
{
	u32 i;

	stamp->file_id = 0;
	stamp->token = 0;
	if (!f)
		return;
	spin_lock(&f->lock);
	for (i = 0; i < f->nr; i++) {
		if (f->ranges[i].first <= index && index <= f->ranges[i].last) {
			*stamp = f->ranges[i].stamp;
			break;
		}
	}
	spin_unlock(&f->lock);
}

/**
 * dmpool_fence_raise() - a home learns a file's new holder's token
 * @f:      the pool's fencing state
 * @stamp:  the file (nonzero) and the token
 * @before: out: the file's newest token here before (0 if none); the
 *          newest is now the larger of it and @stamp's
 *
 * Return: 0, -EINVAL (file 0, a token above DMPOOL_TOKEN_MAX), -ENOMEM.
 */
int dmpool_fence_raise(struct dmpool_fences *f,
		       const struct dmpool_fence_stamp *stamp, u64 *before)
{
	void *old;
	int err = 0;

	if (!stamp->file_id || stamp->token > DMPOOL_TOKEN_MAX)
		return -EINVAL;
	xa_lock(&f->newest);
	old = xa_load(&f->newest, stamp->file_id);
	*before = old ? xa_to_value(old) : 0;
	if (stamp->token > *before)
		err = xa_err(__xa_store(&f->newest, stamp->file_id,
					xa_mk_value(stamp->token), GFP_ATOMIC));
	xa_unlock(&f->newest);
	return err;
}

/**
 * dmpool_fence_admit() - the home's check of a stamped write-back
 * @f:     the pool's fencing state
 * @stamp: what the write-back carries; file ID 0: not fenced
 *
 * Records @stamp's token as the file's newest when it is newer.
 *
 * Return: 0, -ESTALE when a newer token of the file was seen (nothing is
 * stored), -EINVAL a token above DMPOOL_TOKEN_MAX, -ENOMEM.
 */
int dmpool_fence_admit(struct dmpool_fences *f,
		       const struct dmpool_fence_stamp *stamp)
{
	u64 before;
	int err;

	if (!stamp->file_id)
		return 0;
	err = dmpool_fence_raise(f, stamp, &before);
	if (!err && stamp->token < before)
		err = -ESTALE;
	return err;
}
