// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool pools: the registry of this node's pools and their life cycle.
 *
 * A pool is created by netlink (POOL_NEW), looked up by ID or name,
 * attached by open files of /dev/dmpool, and destroyed by netlink
 * (POOL_DEL) or when the module is unloaded.
 *
 * Life cycle (see also Documentation/kernel-design.rst):
 *
 *   create   - the store commits the pool's size; the pool gets a new
 *              inode (its page cache), a new ID and a registry reference;
 *   attach   - a file takes a reference and counts in @attached;
 *   destroy  - refused with -EBUSY while attached, unless forced.  The pool
 *              is marked dead and leaves the registry (it can no longer be
 *              found or attached), and its page cache is truncated to size
 *              0: every mapping of it now raises SIGBUS, reads and writes
 *              through attached files fail with -ENXIO.  The registry's
 *              reference is dropped;
 *   release  - when the last reference goes (the registry's, or the last
 *              attached file's after a forced destroy): the pool's inode
 *              reference is put;
 *   evict    - the inode owns the pool's memory: when its last reference
 *              goes (usually at release, but sync(2) and drop_caches hold
 *              transient inode references that may outlive the pool's),
 *              eviction waits for write-back, frees the page cache, then
 *              (dmpool_pool_evict()) frees the store copy, returns the
 *              commitment and frees the pool.
 *
 * IDs are handed out by a 64-bit counter and never reused while the module
 * is loaded.  The registry is a list in ID order; with at most
 * DMPOOL_POOLS_MAX entries and lookups only on the control path, a list is
 * fast enough and easy to read.
 *
 * Locking: dmpool_pools_lock (a mutex) protects the list, the pool count,
 * the ID counter and each pool's @attached and @dead.  It nests inside the
 * per-file attach mutex of chardev.c and netlink.c's dmpool_nl_lock, and
 * outside dmpool_store_lock.  The last reference of a pool is never put
 * under it: releasing takes the inode's locks.  Each pool's @policy_lock
 * (a spinlock) protects its access policy and nests inside everything;
 * readers copy the policy out under it and decide on the copy.
 */

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmpool.h"

static DEFINE_MUTEX(dmpool_pools_lock);
static LIST_HEAD(dmpool_pools);		/* protected by dmpool_pools_lock */
static unsigned int dmpool_nr_pools;	/* protected by dmpool_pools_lock */
static unsigned int dmpool_nr_placed;	/* protected by dmpool_pools_lock */
static u64 dmpool_next_id = 1;		/* protected by dmpool_pools_lock */

/**
 * dmpool_pool_name_valid() - check a pool name against the uapi rules
 * @name: the name, not necessarily NUL-terminated
 * @len:  its length in bytes
 *
 * A name is 1..DMPOOL_POOL_NAME_MAX bytes of [A-Za-z0-9._-] and does not
 * start with '.' or '-'.  (Not isalnum(): the kernel's ctype also accepts
 * Latin-1 letters.)
 *
 * Return: true if valid.
 */
bool dmpool_pool_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len < 1 || len > DMPOOL_POOL_NAME_MAX)
		return false;
	if (name[0] == '.' || name[0] == '-')
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
			continue;
		return false;
	}
	return true;
}

/* The live pool with this ID (if @name is NULL) or name, or NULL. */
static struct dmpool_pool *dmpool_pool_find(u64 id, const char *name)
{
	struct dmpool_pool *pool;

	lockdep_assert_held(&dmpool_pools_lock);
	list_for_each_entry(pool, &dmpool_pools, node) {
		if (name ? !strcmp(pool->name, name) : pool->id == id)
			return pool;
	}
	return NULL;
}

/*
 * The last reference to the pool is gone: drop the pool's reference to
 * its inode.  The pool may be freed on return (dmpool_pool_evict()).
 */
static void dmpool_pool_release(struct kref *ref)
{
	struct dmpool_pool *pool = container_of(ref, struct dmpool_pool, ref);

	/* Unlock its DLM locks (writing their LVBs) and leave its lockspace. */
	dmpool_files_free(pool);
	mutex_destroy(&pool->files_lock);
	iput(pool->inode);
}

/**
 * dmpool_pool_evict() - free a pool whose inode is being evicted
 * @private: the pool (the inode's i_private)
 *
 * Called by fs.c's ->evict_inode, after write-back ended and the page
 * cache was freed: nothing can reach the pool through
 * mapping->host->i_private any more.  The inode owns the pool's memory,
 * so that an inode reference held by someone else (sync(2),
 * drop_caches) keeps the pool and its store copy alive.
 */
void dmpool_pool_evict(void *private)
{
	struct dmpool_pool *pool = private;

	dmpool_store_area_free(pool->area);
	dmpool_store_uncommit(pool->local_bytes);
	dmpool_map_free(pool->map);
	dmpool_fences_free(pool->fences);
	kfree(pool);
}

/**
 * dmpool_pool_put() - drop a reference to a pool
 * @pool: the pool; may be freed on return
 *
 * Must not be called with dmpool_pools_lock held.
 */
void dmpool_pool_put(struct dmpool_pool *pool)
{
	might_sleep();
	lockdep_assert_not_held(&dmpool_pools_lock);
	kref_put(&pool->ref, dmpool_pool_release);
}

/*
 * Add @pool to the registry in ID order, which dmpool_pool_get_next()
 * walks: placed pools' IDs carry a node ID in their high bits, so a pool
 * created later may have a lower ID.
 */
static void dmpool_pool_insert(struct dmpool_pool *pool)
{
	struct dmpool_pool *next;

	lockdep_assert_held(&dmpool_pools_lock);
	list_for_each_entry(next, &dmpool_pools, node) {
		if (next->id > pool->id) {
			list_add_tail(&pool->node, &next->node);
			return;
		}
	}
	list_add_tail(&pool->node, &dmpool_pools);
}

/* A fresh pool ID; placed pools carry this node's ID in bits 48..55. */
static u64 dmpool_pool_new_id(const struct dmpool_map *map)
{
	u64 id;

	lockdep_assert_held(&dmpool_pools_lock);
	do {
		id = dmpool_next_id++;
		if (map)
			id |= (u64)map->self << 48;
	} while (dmpool_pool_find(id, NULL));
	return id;
}

/**
 * dmpool_pool_create() - create a pool and add it to the registry
 * @spec:  what the pool is to be; its map is the pool's from now on, also
 *         on failure
 * @poolp: out: the new pool, with a reference for the caller
 *
 * Return: 0, -EINVAL (bad name or size), -EMFILE (too many pools), -EEXIST
 * (name or ID taken), -ENOSPC (this node's store cannot hold its share) or
 * -ENOMEM.
 */
int dmpool_pool_create(const struct dmpool_pool_spec *spec,
		       struct dmpool_pool **poolp)
{
	struct dmpool_map *map = spec->map;
	struct dmpool_pool *pool;
	struct inode *inode;
	u64 size = spec->size;
	int err;

	might_sleep();
	if (!dmpool_pool_name_valid(spec->name, strlen(spec->name)) ||
	    size < DMPOOL_POOL_SIZE_MIN || size > DMPOOL_POOL_SIZE_MAX) {
		err = -EINVAL;
		goto err_free_map;
	}
	size = round_up(size, PAGE_SIZE);

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool) {
		err = -ENOMEM;
		goto err_free_map;
	}
	kref_init(&pool->ref);		/* the registry's reference */
	INIT_LIST_HEAD(&pool->node);
	mutex_init(&pool->files_lock);
	spin_lock_init(&pool->policy_lock);
	if (spec->policy)
		pool->policy = *spec->policy;
	else
		pool->policy.mode = DMPOOL_POLICY_DEFAULT_MODE;
	strscpy(pool->name, spec->name, sizeof(pool->name));
	pool->size = size;
	pool->map = map;
	pool->local_bytes = dmpool_map_local_bytes(map, size);

	pool->fences = dmpool_fences_alloc();
	if (!pool->fences) {
		err = -ENOMEM;
		goto err_free_pool;
	}
	pool->area = dmpool_store_area_alloc(size);
	if (!pool->area) {
		err = -ENOMEM;
		goto err_free_pool;
	}

	inode = dmpool_fs_new_inode();
	if (!inode) {
		err = -ENOMEM;
		goto err_free_area;
	}
	inode->i_private = pool;
	inode->i_mapping->a_ops = &dmpool_aops;
	i_size_write(inode, size);
	pool->inode = inode;

	mutex_lock(&dmpool_pools_lock);
	if (dmpool_nr_pools >= DMPOOL_POOLS_MAX) {
		err = -EMFILE;
		goto err_unlock;
	}
	if (dmpool_pool_find(0, spec->name) ||
	    (spec->id && dmpool_pool_find(spec->id, NULL))) {
		err = -EEXIST;
		goto err_unlock;
	}
	err = dmpool_store_commit(pool->local_bytes);
	if (err)
		goto err_unlock;
	pool->id = spec->id ?: dmpool_pool_new_id(map);
	dmpool_pool_insert(pool);
	dmpool_nr_pools++;
	if (map)
		dmpool_nr_placed++;
	kref_get(&pool->ref);		/* the caller's reference */
	mutex_unlock(&dmpool_pools_lock);

	*poolp = pool;
	return 0;

err_unlock:
	mutex_unlock(&dmpool_pools_lock);
	/* Nothing was committed: free the pool here, not at eviction. */
	inode->i_private = NULL;
	iput(inode);
err_free_area:
	dmpool_store_area_free(pool->area);
err_free_pool:
	dmpool_fences_free(pool->fences);
	kfree(pool);
err_free_map:
	dmpool_map_free(map);
	return err;
}

/**
 * dmpool_pools_placed() - whether any placed pool exists
 *
 * Such pools name this node's ID in their maps, so it must not change.
 */
bool dmpool_pools_placed(void)
{
	bool placed;

	mutex_lock(&dmpool_pools_lock);
	placed = dmpool_nr_placed != 0;
	mutex_unlock(&dmpool_pools_lock);
	return placed;
}

/* Make every mapping fault with SIGBUS and drop the page cache. */
static void dmpool_pool_truncate(struct dmpool_pool *pool)
{
	struct inode *inode = pool->inode;

	inode_lock(inode);
	filemap_invalidate_lock(inode->i_mapping);
	truncate_setsize(inode, 0);
	filemap_invalidate_unlock(inode->i_mapping);
	inode_unlock(inode);
}

/**
 * dmpool_pool_destroy() - remove a pool from the registry
 * @pool:  the pool; the caller holds a reference, which it still puts
 * @force: destroy even if files are attached
 *
 * After a forced destroy the attached files keep the (dead) pool alive
 * until they are closed; their mappings raise SIGBUS and their reads and
 * writes fail with -ENXIO.
 *
 * Return: 0, -EBUSY if attached and not @force, -ENOENT if the pool was
 * destroyed meanwhile.
 */
int dmpool_pool_destroy(struct dmpool_pool *pool, bool force)
{
	might_sleep();
	mutex_lock(&dmpool_pools_lock);
	if (pool->dead) {
		mutex_unlock(&dmpool_pools_lock);
		return -ENOENT;
	}
	if (pool->attached && !force) {
		mutex_unlock(&dmpool_pools_lock);
		return -EBUSY;
	}
	WRITE_ONCE(pool->dead, true);
	list_del_init(&pool->node);
	dmpool_nr_pools--;
	if (pool->map)
		dmpool_nr_placed--;
	mutex_unlock(&dmpool_pools_lock);

	dmpool_pool_truncate(pool);
	dmpool_pool_put(pool);		/* the registry's reference */
	return 0;
}

/**
 * dmpool_pool_get() - look up a live pool
 * @id:   the pool ID, used if @name is NULL
 * @name: the pool name, NUL-terminated, or NULL
 *
 * Return: the pool with a reference the caller puts, or NULL.
 */
struct dmpool_pool *dmpool_pool_get(u64 id, const char *name)
{
	struct dmpool_pool *pool;

	mutex_lock(&dmpool_pools_lock);
	pool = dmpool_pool_find(id, name);
	if (pool)
		kref_get(&pool->ref);
	mutex_unlock(&dmpool_pools_lock);
	return pool;
}

/**
 * dmpool_pool_get_next() - the live pool with the smallest ID > @after_id
 * @after_id: 0 for the first pool
 *
 * Used to walk the registry without holding its lock (netlink dumps).
 *
 * Return: the pool with a reference the caller puts, or NULL at the end.
 */
struct dmpool_pool *dmpool_pool_get_next(u64 after_id)
{
	struct dmpool_pool *pool;

	mutex_lock(&dmpool_pools_lock);
	list_for_each_entry(pool, &dmpool_pools, node) {
		if (pool->id > after_id) {
			kref_get(&pool->ref);
			mutex_unlock(&dmpool_pools_lock);
			return pool;
		}
	}
	mutex_unlock(&dmpool_pools_lock);
	return NULL;
}

/**
 * dmpool_pool_attach() - look up a live pool and count an attachment
 * @id:   the pool ID, used if @name is NULL
 * @name: the pool name, NUL-terminated, or NULL
 *
 * Lookup and attachment are one step under dmpool_pools_lock, so a pool
 * being destroyed is either found and attached before the destroy checks
 * @attached, or not found at all.
 *
 * Return: the pool with a reference owned by the attachment (released by
 * dmpool_pool_detach()), or ERR_PTR(-ENOENT).
 */
struct dmpool_pool *dmpool_pool_attach(u64 id, const char *name)
{
	struct dmpool_pool *pool;

	mutex_lock(&dmpool_pools_lock);
	pool = dmpool_pool_find(id, name);
	if (pool) {
		kref_get(&pool->ref);
		/* Read locklessly for reporting: see struct dmpool_pool. */
		WRITE_ONCE(pool->attached, pool->attached + 1);
	}
	mutex_unlock(&dmpool_pools_lock);
	return pool ?: ERR_PTR(-ENOENT);
}

/**
 * dmpool_pool_detach() - end an attachment made by dmpool_pool_attach()
 * @pool: the pool; may be freed on return
 *
 * Return: the pool's attachments on this node after this one ended (for
 * the DETACH event).
 */
unsigned int dmpool_pool_detach(struct dmpool_pool *pool)
{
	unsigned int attached;

	mutex_lock(&dmpool_pools_lock);
	if (!WARN_ON(!pool->attached))
		WRITE_ONCE(pool->attached, pool->attached - 1);
	attached = pool->attached;
	mutex_unlock(&dmpool_pools_lock);
	dmpool_pool_put(pool);
	return attached;
}

/**
 * dmpool_pool_stats() - a snapshot of a pool for reporting
 * @pool:  the pool, referenced by the caller
 * @stats: out
 */
void dmpool_pool_stats(struct dmpool_pool *pool,
		       struct dmpool_pool_stats *stats)
{
	stats->id = pool->id;
	strscpy(stats->name, pool->name, sizeof(stats->name));
	stats->size = pool->size;
	stats->attached = READ_ONCE(pool->attached);
	stats->cached = (u64)READ_ONCE(pool->inode->i_mapping->nrpages) <<
			PAGE_SHIFT;
	stats->stored = dmpool_store_area_stored(pool->area);
	stats->placed = pool->map;
	if (pool->map) {
		stats->extent_size = 1ULL << pool->map->extent_shift;
		stats->replicas = pool->map->replicas;
	}
	stats->local_bytes = pool->local_bytes;
	stats->faults = atomic64_read(&pool->ctr.faults);
	stats->pages_in_local = atomic64_read(&pool->ctr.pages_in_local);
	stats->pages_in_remote = atomic64_read(&pool->ctr.pages_in_remote);
	stats->pages_out_local = atomic64_read(&pool->ctr.pages_out_local);
	stats->pages_out_remote = atomic64_read(&pool->ctr.pages_out_remote);
	stats->io_errors = atomic64_read(&pool->ctr.io_errors);
	stats->stale_refused = atomic64_read(&pool->ctr.stale_refused);
	stats->stale_writes = atomic64_read(&pool->ctr.stale_writes);
	dmpool_lat_read(&pool->ctr.lat, stats->lat);
	dmpool_pool_policy(pool, &stats->policy);
}

/**
 * dmpool_pool_policy() - a snapshot of a pool's access policy
 * @pool: the pool, referenced by the caller
 * @p:    out
 */
void dmpool_pool_policy(struct dmpool_pool *pool, struct dmpool_policy *p)
{
	spin_lock(&pool->policy_lock);
	*p = pool->policy;
	spin_unlock(&pool->policy_lock);
}

/**
 * dmpool_pool_set_policy() - change a pool's access policy (POOL_SET)
 * @pool: the pool, referenced by the caller
 * @p:    the new values, checked
 * @mask: DMPOOL_POLICY_SET_* bits: which fields of @p to take
 *
 * Attached files keep the rights they were given at attach; new attaches
 * and the file ioctls from now on see the new policy.
 */
void dmpool_pool_set_policy(struct dmpool_pool *pool,
			    const struct dmpool_policy *p, u32 mask)
{
	spin_lock(&pool->policy_lock);
	dmpool_policy_update(&pool->policy, p, mask);
	spin_unlock(&pool->policy_lock);
}

/**
 * dmpool_pool_rights() - what the calling task may do with a pool now
 * @pool: the pool, referenced by the caller
 *
 * Context: process (the capability check).
 * Return: DMPOOL_RIGHT_* bits (dmpool_policy_rights()).
 */
u32 dmpool_pool_rights(struct dmpool_pool *pool)
{
	struct dmpool_policy p;

	dmpool_pool_policy(pool, &p);
	return dmpool_policy_rights(&p);
}

/**
 * dmpool_pools_exit() - destroy every pool on module unload
 *
 * Runs after the netlink family and /dev/dmpool are gone; since no file of
 * /dev/dmpool can be open (each holds a module reference), the registry
 * holds the only reference to each pool, and every pool is freed here.
 */
void dmpool_pools_exit(void)
{
	struct dmpool_pool *pool;

	while ((pool = dmpool_pool_get_next(0)) != NULL) {
		/* The registry's reference and ours, nothing else. */
		WARN_ON(kref_read(&pool->ref) != 2);
		dmpool_pool_destroy(pool, true);
		dmpool_pool_put(pool);
	}
}
