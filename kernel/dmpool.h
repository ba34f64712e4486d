/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool internal header: the objects shared between the files of dmpool.ko
 * and the functions each file offers to the others.
 *
 * Layering (calls go down, never back up):
 *
 *	main ─► netlink ─► pool ─► fs, store
 *	main ─► netlink ─► peer ─► auth, msg ─► tcp  (transport.h)
 *	main ─► chardev ─► pool, pagecache (vm_ops)
 *	pool ─► pagecache (installs the address_space_operations)
 *	pagecache ─► store (reads and writes the pool's backing pages)
 *
 * The page-cache operations find their pool through
 * mapping->host->i_private and use only the pool's immutable fields and
 * @dead; they never call into pool.c.  fs.c does not know pools: its
 * ->evict_inode hands i_private to the function main.c gave it
 * (dmpool_pool_evict()), so the inode owns the pool's memory.  See Documentation/kernel-design.rst
 * for the life cycle of a pool and the locking order.
 */
#ifndef _DMPOOL_INTERNAL_H
#define _DMPOOL_INTERNAL_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <linux/dmpool.h>

#define DMPOOL_FEATURES		(DMPOOL_FEAT_LOCAL_POOLS | DMPOOL_FEAT_TRANSPORT)

/* ---------------------------------------------------------------------
 * store.c: this node's store of exposed memory
 */

/**
 * struct dmpool_store_area - the backing copy of one pool in the store
 * @pages:    page index → struct page * holding that page of the pool;
 *            an absent index reads as zeroes.  Has its own (xa_lock)
 *            lock; pages are added by write-back and only freed with the
 *            area, so a page found by xa_load() stays valid while the
 *            area lives.
 * @nr_pages: number of pages in @pages (for the STORED counter).
 * @size:     bytes of the pool; immutable.
 */
struct dmpool_store_area {
	struct xarray pages;
	atomic_long_t nr_pages;
	u64 size;
};

int dmpool_store_init(u64 capacity);
void dmpool_store_exit(void);
u64 dmpool_store_capacity(void);
u64 dmpool_store_committed(void);
int dmpool_store_commit(u64 bytes);
void dmpool_store_uncommit(u64 bytes);
struct dmpool_store_area *dmpool_store_area_alloc(u64 size);
void dmpool_store_area_free(struct dmpool_store_area *area);
u64 dmpool_store_area_stored(struct dmpool_store_area *area);
int dmpool_store_read(struct dmpool_store_area *area, struct folio *folio);
int dmpool_store_write(struct dmpool_store_area *area, struct folio *folio);

/* ---------------------------------------------------------------------
 * pool.c: the pool registry and the life cycle of a pool
 */

/**
 * struct dmpool_pool - one pool on this node
 * @ref:      references: one for the registry while the pool is listed,
 *            one per attached file, one per in-flight lookup.  When the
 *            last one is put, the pool's inode reference is put.
 * @node:     entry in the registry list; protected by dmpool_pools_lock.
 * @id:       nonzero, unique while the module is loaded; immutable.
 * @name:     NUL-terminated; immutable.
 * @size:     bytes, a multiple of PAGE_SIZE; immutable.
 * @inode:    the pool's inode on the dmpool pseudo filesystem; its
 *            i_mapping is the pool's page cache; i_private points back
 *            here; immutable.  The inode owns the pool: evicting it frees
 *            the pool (dmpool_pool_evict()).
 * @area:     the backing copy in this node's store; immutable.
 * @attached: files attached to this pool; protected by dmpool_pools_lock
 *            and written with WRITE_ONCE (read without the lock, with
 *            READ_ONCE, for reporting only).
 * @dead:     set once, under dmpool_pools_lock, when the pool is
 *            destroyed; read locklessly (READ_ONCE) by the data path,
 *            which also re-checks it under the inode lock for writes.
 */
struct dmpool_pool {
	struct kref ref;
	struct list_head node;
	u64 id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	u64 size;
	struct inode *inode;
	struct dmpool_store_area *area;
	unsigned int attached;
	bool dead;
};

/**
 * struct dmpool_pool_stats - a consistent snapshot of a pool for reporting
 * @id:       pool ID
 * @name:     pool name
 * @size:     bytes
 * @attached: attached files on this node
 * @cached:   bytes of the pool in this node's page cache
 * @stored:   bytes of the pool held by the store
 */
struct dmpool_pool_stats {
	u64 id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	u64 size;
	u32 attached;
	u64 cached;
	u64 stored;
};

bool dmpool_pool_name_valid(const char *name, size_t len);
int dmpool_pool_create(const char *name, u64 size, struct dmpool_pool **poolp);
int dmpool_pool_destroy(struct dmpool_pool *pool, bool force);
struct dmpool_pool *dmpool_pool_get(u64 id, const char *name);
struct dmpool_pool *dmpool_pool_get_next(u64 after_id);
void dmpool_pool_put(struct dmpool_pool *pool);
struct dmpool_pool *dmpool_pool_attach(u64 id, const char *name);
void dmpool_pool_detach(struct dmpool_pool *pool);
void dmpool_pool_stats(struct dmpool_pool *pool,
		       struct dmpool_pool_stats *stats);
void dmpool_pool_evict(void *private);
void dmpool_pools_exit(void);

/* ---------------------------------------------------------------------
 * fs.c: the internal pseudo filesystem holding one inode per pool
 */
int dmpool_fs_init(void (*evict_private)(void *private));
void dmpool_fs_exit(void);
struct inode *dmpool_fs_new_inode(void);

/* ---------------------------------------------------------------------
 * pagecache.c: address_space and vm operations of a pool's mapping
 */
extern const struct address_space_operations dmpool_aops;
extern const struct vm_operations_struct dmpool_vm_ops;

/* ---------------------------------------------------------------------
 * chardev.c: /dev/dmpool
 */
int dmpool_chardev_init(void);
void dmpool_chardev_exit(void);

/* ---------------------------------------------------------------------
 * netlink.c: the generic netlink family
 */
int dmpool_netlink_init(void);
void dmpool_netlink_exit(void);

#endif /* _DMPOOL_INTERNAL_H */
