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
 *	netlink, chardev ─► upcall (relay to dmpoold, events; upcall.h)
 *	pool ─► pagecache (installs the address_space_operations)
 *	pagecache ─► store (reads and writes the pool's backing pages)
 *	chardev, netlink_files ─► files ─► lock (the kernel DLM)
 *	files, pagecache, remote, serve ─► fence
 *	pool ─► files (only to free a released pool's files and locks)
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
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <linux/dmpool.h>

#include "policy.h"
#include "stats.h"

#define DMPOOL_FEATURES		(DMPOOL_FEAT_LOCAL_POOLS | \
				 DMPOOL_FEAT_TRANSPORT | DMPOOL_FEAT_REMOTE | \
				 DMPOOL_FEAT_FILES | DMPOOL_FEAT_CLUSTER | \
				 DMPOOL_FEAT_POLICY)

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
u64 dmpool_store_used(void);
int dmpool_store_set_capacity(u64 bytes);
void dmpool_store_pages(struct dmpool_store_area *area, pgoff_t index,
			unsigned int nr, struct page **pages);
int dmpool_store_write_buf(struct dmpool_store_area *area, pgoff_t index,
			   unsigned int nr, const void *buf);

/* ---------------------------------------------------------------------
 * placement.c: the placement map of a pool spread over nodes
 */

/**
 * struct dmpool_map - the homes of a placed pool's extents; immutable
 * @extent_shift: log2 of the extent size in bytes (>= PAGE_SHIFT)
 * @replicas:     homes per extent
 * @nr_extents:   extents in the pool
 * @self:         this node's ID when the map was installed
 * @homes:        @nr_extents * @replicas node IDs; extent e's homes are
 *                @homes[e * @replicas ...], the first one serves reads
 */
struct dmpool_map {
	u32 extent_shift;
	u32 replicas;
	u32 nr_extents;
	u32 self;
	u32 homes[];
};

struct dmpool_map *dmpool_map_create(u64 size, u64 extent_size, u32 replicas,
				     const u32 *entries, u32 nr, u32 self,
				     const char **why);
void dmpool_map_free(struct dmpool_map *map);
void dmpool_map_nodes(const struct dmpool_map *map, unsigned long *nodes);
u64 dmpool_map_local_bytes(const struct dmpool_map *map, u64 size);

/* The extent holding page @index. */
static inline u32 dmpool_map_extent(const struct dmpool_map *map,
				    pgoff_t index)
{
	return index >> (map->extent_shift - PAGE_SHIFT);
}

/* The node that serves reads of extent @e. */
static inline u32 dmpool_map_extent_home(const struct dmpool_map *map, u32 e)
{
	return map->homes[e * map->replicas];
}

static inline bool dmpool_map_extent_local(const struct dmpool_map *map,
					   u32 e)
{
	return dmpool_map_extent_home(map, e) == map->self;
}

/*
 * The node holding page @index, 0 if it is this node (always so for a
 * pool that is not placed, @map NULL).  @index is inside the pool.
 */
static inline u32 dmpool_map_home(const struct dmpool_map *map, pgoff_t index)
{
	u32 home;

	if (!map)
		return 0;
	home = dmpool_map_extent_home(map, dmpool_map_extent(map, index));
	return home == map->self ? 0 : home;
}

/* The first page index after the extent holding page @index. */
static inline pgoff_t dmpool_map_extent_end(const struct dmpool_map *map,
					    pgoff_t index)
{
	return ((pgoff_t)dmpool_map_extent(map, index) + 1) <<
	       (map->extent_shift - PAGE_SHIFT);
}

/* ---------------------------------------------------------------------
 * fence.c: fencing tokens on write-backs, checked at the data's home
 */

/**
 * struct dmpool_fence_stamp - what a fenced write-back carries
 * @file_id: the file whose pages these are; 0: not fenced
 * @token:   the fencing token of the writer's latest grant of its mutex
 */
struct dmpool_fence_stamp {
	u64 file_id;
	u64 token;
};

struct dmpool_fences;

/* The largest fencing token: a home's table stores it as an xarray value. */
#define DMPOOL_TOKEN_MAX	((u64)LONG_MAX >> 1)

struct dmpool_fences *dmpool_fences_alloc(void);
void dmpool_fences_free(struct dmpool_fences *f);
void dmpool_fence_set(struct dmpool_fences *f, u64 file_id, pgoff_t first,
		      pgoff_t last, u64 token);
void dmpool_fence_grow(struct dmpool_fences *f, u64 file_id, pgoff_t first,
		       pgoff_t last);
void dmpool_fence_clear(struct dmpool_fences *f, u64 file_id);
void dmpool_fence_lookup(struct dmpool_fences *f, pgoff_t index,
			 struct dmpool_fence_stamp *stamp);
int dmpool_fence_admit(struct dmpool_fences *f,
		       const struct dmpool_fence_stamp *stamp);
int dmpool_fence_raise(struct dmpool_fences *f,
		       const struct dmpool_fence_stamp *stamp, u64 *before);

/* ---------------------------------------------------------------------
 * pool.c: the pool registry and the life cycle of a pool
 */

/**
 * struct dmpool_pool_counters - what the data path did with a pool
 * @faults:           page faults on its mappings
 * @pages_in_local:   pages read from this node's store
 * @pages_in_remote:  pages fetched from peers
 * @pages_out_local:  pages written back to this node's store
 * @pages_out_remote: pages written back to peers
 * @io_errors:        page requests to peers that failed
 * @stale_refused:    write-backs (PUTs and local) this node, as home,
 *                    refused for a stale fencing token
 * @stale_writes:     pages of this node's write-backs refused as stale
 * @lat:              round trips of page reads from peers
 */
struct dmpool_pool_counters {
	atomic64_t faults;
	atomic64_t pages_in_local;
	atomic64_t pages_in_remote;
	atomic64_t pages_out_local;
	atomic64_t pages_out_remote;
	atomic64_t io_errors;
	atomic64_t stale_refused;
	atomic64_t stale_writes;
	struct dmpool_lat_hist lat;
};

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
 * @area:     the backing copy in this node's store (of the extents homed
 *            here, for a placed pool); immutable.
 * @map:      where the extents live, or NULL if the pool lives wholly in
 *            this node's store; immutable.
 * @local_bytes: bytes committed in this node's store; immutable.
 * @ctr:      data-path counters (atomic, no lock).
 * @attached: files attached to this pool; protected by dmpool_pools_lock
 *            and written with WRITE_ONCE (read without the lock, with
 *            READ_ONCE, for reporting only).
 * @dead:     set once, under dmpool_pools_lock, when the pool is
 *            destroyed; read locklessly (READ_ONCE) by the data path,
 *            which also re-checks it under the inode lock for writes.
 * @fences:   fencing tokens, both sides (fence.c); immutable pointer,
 *            freed with the pool at eviction
 * @files_lock: serializes the creation of @files
 * @files:    the pool's files and locks (files.c), made on first use
 *            under @files_lock, freed with the pool
 * @policy_lock: protects @policy
 * @policy:   owner, group, mode and grants (policy.c); changed by
 *            POOL_SET, read as a snapshot (dmpool_pool_policy())
 */
struct dmpool_pool {
	struct kref ref;
	struct list_head node;
	u64 id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	u64 size;
	struct inode *inode;
	struct dmpool_store_area *area;
	struct dmpool_map *map;
	u64 local_bytes;
	struct dmpool_pool_counters ctr;
	unsigned int attached;
	bool dead;
	struct dmpool_fences *fences;
	struct mutex files_lock;	/* see above */
	struct dmpool_files *files;
	spinlock_t policy_lock;		/* see above */
	struct dmpool_policy policy;	/* protected by policy_lock */
};

/**
 * struct dmpool_pool_stats - a consistent snapshot of a pool for reporting
 * @id:       pool ID
 * @name:     pool name
 * @size:     bytes
 * @attached: attached files on this node
 * @cached:   bytes of the pool in this node's page cache
 * @stored:   bytes of the pool held by the store
 * @placed:   the pool has a placement map; then
 * @extent_size: bytes per extent, and
 * @replicas: homes per extent
 * @local_bytes: bytes homed (committed) on this node
 * @faults, @pages_in_local, @pages_in_remote, @pages_out_local,
 * @pages_out_remote, @io_errors, @stale_refused, @stale_writes, @lat:
 * struct dmpool_pool_counters
 * @policy:   the pool's access policy
 */
struct dmpool_pool_stats {
	u64 id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	u64 size;
	u32 attached;
	u64 cached;
	u64 stored;
	bool placed;
	u64 extent_size;
	u32 replicas;
	u64 local_bytes;
	u64 faults, pages_in_local, pages_in_remote;
	u64 pages_out_local, pages_out_remote, io_errors;
	u64 stale_refused, stale_writes;
	u64 lat[DMPOOL_LAT_BUCKETS];
	struct dmpool_policy policy;
};

/**
 * struct dmpool_pool_spec - what a new pool is to be
 * @name: valid pool name, NUL-terminated
 * @size: bytes, DMPOOL_POOL_SIZE_MIN..DMPOOL_POOL_SIZE_MAX; rounded up to
 *        the page size
 * @id:   the pool's ID as chosen by the node that created it, or 0 to
 *        pick one here
 * @map:  the placement map (made for the rounded size), or NULL for a
 *        pool held wholly by this node; dmpool_pool_create() takes it
 * @policy: the pool's access policy (copied), or NULL for root:root
 *        0666 without grants
 */
struct dmpool_pool_spec {
	const char *name;
	u64 size;
	u64 id;
	struct dmpool_map *map;
	const struct dmpool_policy *policy;
};

bool dmpool_pool_name_valid(const char *name, size_t len);
int dmpool_pool_create(const struct dmpool_pool_spec *spec,
		       struct dmpool_pool **poolp);
bool dmpool_pools_placed(void);
int dmpool_pool_destroy(struct dmpool_pool *pool, bool force);
struct dmpool_pool *dmpool_pool_get(u64 id, const char *name);
struct dmpool_pool *dmpool_pool_get_next(u64 after_id);
void dmpool_pool_put(struct dmpool_pool *pool);
struct dmpool_pool *dmpool_pool_attach(u64 id, const char *name);
unsigned int dmpool_pool_detach(struct dmpool_pool *pool);
void dmpool_pool_stats(struct dmpool_pool *pool,
		       struct dmpool_pool_stats *stats);
void dmpool_pool_evict(void *private);
void dmpool_pools_exit(void);
void dmpool_pool_policy(struct dmpool_pool *pool, struct dmpool_policy *p);
void dmpool_pool_set_policy(struct dmpool_pool *pool,
			    const struct dmpool_policy *p, u32 mask);
u32 dmpool_pool_rights(struct dmpool_pool *pool);

/* ---------------------------------------------------------------------
 * files.c: files in pools and their cluster locks
 */

/**
 * struct dmpool_fd_files - the files an open file description opened
 * @lock:  protects @opens and the records' lock state
 * @opens: struct dmpool_fopen records, one per file
 */
struct dmpool_fd_files {
	struct mutex lock;	/* see above */
	struct list_head opens;
};

/* A file as the directory describes it. */
struct dmpool_file_info {
	u64 id, offset, size;
	u32 permits, mode, uid, gid;
	u32 name_len;
	char name[DMPOOL_FILE_NAME_MAX + 1];
	u32 nr_grants;
	struct dmpool_grant grants[DMPOOL_GRANTS_MAX];
};

bool dmpool_file_name_valid(const char *name, size_t len);
int dmpool_files_create(struct dmpool_pool *pool, const char *name, u32 len,
			u64 size, u32 permits, u32 mode,
			struct dmpool_file_info *info);
int dmpool_files_open(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
		      const char *name, u32 len, struct dmpool_file_info *info);
int dmpool_files_grow(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
		      u64 id, u64 size, struct dmpool_file_info *info);
int dmpool_files_delete(struct dmpool_pool *pool, const char *name, u32 len);
int dmpool_files_list(struct dmpool_pool *pool, unsigned int start,
		      int (*fn)(const struct dmpool_file_info *, void *),
		      void *arg);
int dmpool_files_lock(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
		      u64 id, u32 kind, bool try, unsigned long deadline,
		      u64 *token, u32 *status);
int dmpool_files_unlock(struct dmpool_pool *pool, struct dmpool_fd_files *ff,
			u64 id, u32 kind);
void dmpool_fd_files_init(struct dmpool_fd_files *ff);
void dmpool_fd_files_release(struct dmpool_pool *pool,
			     struct dmpool_fd_files *ff);
void dmpool_files_free(struct dmpool_pool *pool);
int dmpool_files_set(struct dmpool_pool *pool, const char *name, u32 len,
		     const struct dmpool_policy *p, u32 mask,
		     struct dmpool_file_info *info);
bool dmpool_fd_files_may_write(struct dmpool_fd_files *ff, u64 off, u64 len);

/* ---------------------------------------------------------------------
 * fs.c: the internal pseudo filesystem holding one inode per pool
 */
int dmpool_fs_init(void (*evict_private)(void *private));
void dmpool_fs_exit(void);
struct inode *dmpool_fs_new_inode(void);
void dmpool_fs_writeback_async(struct inode *inode);

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
