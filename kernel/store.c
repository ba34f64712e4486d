// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool store: the memory this node lends to pools.
 *
 * The store holds the backing copy of each pool's pages.  The page cache
 * (pagecache.c) is a cache in front of it: a page-cache miss reads a page
 * from the store, write-back writes a dirty page into it.  In this issue
 * every pool lives in this node's store; later issues put remote stores
 * behind the same two calls, dmpool_store_read() and dmpool_store_write(),
 * which move the pages of one folio of pool P at page offset O.
 *
 * Capacity: the node lends at most `capacity` bytes (module parameter
 * store_mb).  A pool commits its whole size when it is created, so a pool
 * that was created can always be written in full; the commitment is
 * returned when the pool is freed.  Memory itself is allocated lazily, one
 * page at a time, when write-back first stores a page; a page never written
 * reads as zeroes.  An allocation failure is reported to the caller
 * (-ENOMEM), which keeps the page dirty and retries later; it never oopses.
 *
 * Locking: dmpool_store_lock (a spinlock, innermost of all dmpool locks)
 * protects the capacity and the committed byte count.  Each area's xarray
 * has its own lock.  A store page is only freed together with its area,
 * when the pool is freed, so readers copy from it without further locking,
 * and a new page is filled before it is inserted, so no reader sees it
 * empty.  On one node, write-back of a page and reading it into the page
 * cache exclude each other (both hold the folio locked); a peer's PUT or
 * GET of the same page may race with them (or two peers' PUTs with each
 * other) as the applications' accesses race: the bytes may mix, but the
 * store stays consistent.  Ordering them is the job of cluster locks.
 */

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "dmpool.h"

/* Allocations of store pages and of the xarray nodes that index them. */
#define DMPOOL_STORE_GFP	(GFP_NOFS | __GFP_NOMEMALLOC)

static DEFINE_SPINLOCK(dmpool_store_lock);
/* Both protected by dmpool_store_lock; read alone with READ_ONCE. */
static u64 dmpool_store_cap;		/* bytes lent (exposed) */
static u64 dmpool_store_committed_bytes; /* of which promised to pools */
static atomic_long_t dmpool_store_used_pages;	/* allocated store pages */

/**
 * dmpool_store_init() - set up this node's store
 * @capacity: bytes of this node's memory that pools may use
 *
 * Return: 0.
 */
int dmpool_store_init(u64 capacity)
{
	dmpool_store_cap = capacity;
	dmpool_store_committed_bytes = 0;
	return 0;
}

void dmpool_store_exit(void)
{
	/* Every pool returned its commitment when it was freed. */
	WARN_ON(dmpool_store_committed_bytes != 0);
}

u64 dmpool_store_capacity(void)
{
	return READ_ONCE(dmpool_store_cap);
}

/* Bytes of store pages allocated, all pools together. */
u64 dmpool_store_used(void)
{
	return (u64)atomic_long_read(&dmpool_store_used_pages) << PAGE_SHIFT;
}

/**
 * dmpool_store_set_capacity() - change how much this node lends (MEM_SET)
 * @bytes: the new capacity, rounded down to the page size
 *
 * Return: 0, or -EBUSY if pools have more than @bytes committed.
 */
int dmpool_store_set_capacity(u64 bytes)
{
	int err = 0;

	bytes = round_down(bytes, PAGE_SIZE);
	spin_lock(&dmpool_store_lock);
	if (bytes < dmpool_store_committed_bytes)
		err = -EBUSY;
	else
		WRITE_ONCE(dmpool_store_cap, bytes);
	spin_unlock(&dmpool_store_lock);
	return err;
}

u64 dmpool_store_committed(void)
{
	u64 committed;

	spin_lock(&dmpool_store_lock);
	committed = dmpool_store_committed_bytes;
	spin_unlock(&dmpool_store_lock);
	return committed;
}

/**
 * dmpool_store_commit() - promise @bytes of the store to a new pool
 * @bytes: size of the pool
 *
 * Return: 0, or -ENOSPC if the store cannot hold @bytes more.
 */
int dmpool_store_commit(u64 bytes)
{
	int err = 0;

	spin_lock(&dmpool_store_lock);
	if (bytes > dmpool_store_cap - dmpool_store_committed_bytes)
		err = -ENOSPC;
	else
		dmpool_store_committed_bytes += bytes;
	spin_unlock(&dmpool_store_lock);
	return err;
}

/**
 * dmpool_store_uncommit() - return a freed pool's bytes to the store
 * @bytes: the size passed to dmpool_store_commit()
 */
void dmpool_store_uncommit(u64 bytes)
{
	spin_lock(&dmpool_store_lock);
	if (!WARN_ON(bytes > dmpool_store_committed_bytes))
		dmpool_store_committed_bytes -= bytes;
	spin_unlock(&dmpool_store_lock);
}

/**
 * dmpool_store_area_alloc() - create the (empty) backing copy of a pool
 * @size: bytes of the pool, committed by the caller
 *
 * Return: the area, or NULL if out of memory.
 */
struct dmpool_store_area *dmpool_store_area_alloc(u64 size)
{
	struct dmpool_store_area *area;

	might_sleep();
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;
	xa_init(&area->pages);
	atomic_long_set(&area->nr_pages, 0);
	area->size = size;
	return area;
}

/**
 * dmpool_store_area_free() - free a pool's backing copy and its pages
 * @area: the area; nobody may read or write it any more
 */
void dmpool_store_area_free(struct dmpool_store_area *area)
{
	struct page *page;
	unsigned long index;

	might_sleep();
	xa_for_each(&area->pages, index, page) {
		__free_page(page);
		atomic_long_dec(&dmpool_store_used_pages);
		cond_resched();
	}
	xa_destroy(&area->pages);
	kfree(area);
}

u64 dmpool_store_area_stored(struct dmpool_store_area *area)
{
	return (u64)atomic_long_read(&area->nr_pages) << PAGE_SHIFT;
}

/**
 * dmpool_store_read() - fill a locked folio from the store
 * @area:  the pool's backing copy
 * @folio: locked, not uptodate folio of the pool's mapping; its index and
 *         size say which pages of the pool to read
 *
 * Pages never written read as zeroes.  The caller marks the folio uptodate.
 *
 * Return: 0, or -EIO if the folio lies outside the pool.
 */
int dmpool_store_read(struct dmpool_store_area *area, struct folio *folio)
{
	pgoff_t first = folio->index;
	long i, nr = folio_nr_pages(folio);

	if (folio_pos(folio) + folio_size(folio) > area->size)
		return -EIO;

	for (i = 0; i < nr; i++) {
		struct page *dst = folio_page(folio, i);
		struct page *src = xa_load(&area->pages, first + i);

		if (src)
			copy_highpage(dst, src);
		else
			clear_highpage(dst);
	}
	return 0;
}

/*
 * Store one page of data at @index: into the page already there, or into
 * a new page that is filled before it is published, so that no reader
 * (the page cache here, a peer's GET) ever sees a page without its data.
 */
static int dmpool_store_put(struct dmpool_store_area *area, pgoff_t index,
			    const void *src)
{
	struct page *page, *old;

	page = xa_load(&area->pages, index);
	if (page) {
		memcpy_to_page(page, 0, src, PAGE_SIZE);
		return 0;
	}

	/*
	 * Write-back runs under memory pressure: do not recurse into
	 * filesystems, never dip into the emergency reserves (a task in
	 * reclaim, PF_MEMALLOC, would otherwise take them to store a page),
	 * and let the caller retry rather than warn here.
	 */
	page = alloc_page(DMPOOL_STORE_GFP | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;
	memcpy_to_page(page, 0, src, PAGE_SIZE);

	old = xa_cmpxchg(&area->pages, index, NULL, page, DMPOOL_STORE_GFP);
	if (xa_is_err(old)) {
		__free_page(page);
		return xa_err(old);
	}
	if (old) {
		/* Two writers of one page (two nodes): the later copy wins. */
		__free_page(page);
		memcpy_to_page(old, 0, src, PAGE_SIZE);
		return 0;
	}
	atomic_long_inc(&area->nr_pages);
	atomic_long_inc(&dmpool_store_used_pages);
	return 0;
}

/**
 * dmpool_store_write() - store the content of a folio under write-back
 * @area:  the pool's backing copy
 * @folio: folio of the pool's mapping, under write-back
 *
 * Return: 0, -EIO if the folio lies outside the pool, -ENOMEM if a store
 * page could not be allocated (pages before it were stored).
 */
int dmpool_store_write(struct dmpool_store_area *area, struct folio *folio)
{
	pgoff_t first = folio->index;
	long i, nr = folio_nr_pages(folio);
	void *src;
	int err;

	if (folio_pos(folio) + folio_size(folio) > area->size)
		return -EIO;

	for (i = 0; i < nr; i++) {
		src = kmap_local_page(folio_page(folio, i));
		err = dmpool_store_put(area, first + i, src);
		kunmap_local(src);
		if (err)
			return err;
	}
	return 0;
}

/**
 * dmpool_store_pages() - the store pages holding pages of a pool
 * @area:  the pool's backing copy
 * @index: first page
 * @nr:    pages, inside the pool (checked by the caller)
 * @pages: out: @nr pages to read; the shared zero page for a page never
 *         written
 *
 * Serves a peer's GET without a copy: the transport sends from these
 * pages.  They stay valid while the area does (the caller holds the pool).
 */
void dmpool_store_pages(struct dmpool_store_area *area, pgoff_t index,
			unsigned int nr, struct page **pages)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		pages[i] = xa_load(&area->pages, index + i) ?: ZERO_PAGE(0);
}

/**
 * dmpool_store_write_buf() - store pages of a pool given in a buffer
 * @area:  the pool's backing copy
 * @index: first page
 * @nr:    pages, inside the pool (checked by the caller)
 * @buf:   @nr * PAGE_SIZE bytes
 *
 * Serves a peer's PUT.  PUTs of one page from one node never overlap (that
 * node holds the page locked until the reply); PUTs from two nodes that
 * both wrote the page race as the applications did (cluster locks order
 * them), and the store stays consistent: the page is inserted once.
 *
 * Return: 0, or -ENOMEM (pages before the failing one were stored).
 */
int dmpool_store_write_buf(struct dmpool_store_area *area, pgoff_t index,
			   unsigned int nr, const void *buf)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++, buf += PAGE_SIZE) {
		err = dmpool_store_put(area, index + i, buf);
		if (err)
			return err;
	}
	return 0;
}
