// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool page cache: the address_space and vm operations of a pool.
 *
 * A pool's bytes live in its inode's page cache, backed by the store
 * (store.c).  This file is the only bridge between the two:
 *
 *  - a page-cache miss (read(2), a fault, readahead, a partial-page
 *    write(2)) reads the page from the store: ->read_folio, ->readahead,
 *    ->write_begin;
 *  - a dirty page goes back to the store when the flusher, sync(2) or
 *    fsync(2)/msync(2) asks for it: ->writepages.  There is no
 *    ->writepage: reclaim (kswapd) would call it with PF_MEMALLOC, and the
 *    store would then allocate its page from the emergency reserves to
 *    free one page-cache page.  Without it, reclaim activates a dirty
 *    folio and leaves it to the flusher, as for xfs and btrfs;
 *  - a page becomes dirty through write(2) (->write_end) or a write fault
 *    on a shared mapping (->page_mkwrite, through ->dirty_folio).
 *
 * Mappings fault through filemap_fault()/filemap_map_pages(), so mapped
 * pages are ordinary page-cache pages: two processes mapping a pool share
 * them, and pread/pwrite see the same bytes as loads and stores.
 *
 * In the next issue the store of a page may be another node: ->read_folio
 * and ->readahead become GET requests and write-back becomes PUT requests.
 * Write-back already follows the asynchronous protocol (start write-back,
 * unlock, complete with folio_end_writeback()); today the copy into the
 * local store is done before the unlock, which is also what keeps a
 * concurrent page_mkwrite() from changing the page in the middle of it.
 *
 * The operations find their pool through mapping->host->i_private.  The
 * inode owns the pool's memory (it is freed when the inode is evicted, see
 * pool.c), so the pointer is always valid here.  Pages never carry private
 * data, hence no ->invalidate_folio or ->release_folio.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/migrate.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/writeback.h>

#include "remote.h"

static struct dmpool_pool *dmpool_mapping_pool(struct address_space *mapping)
{
	return mapping->host->i_private;
}

/*
 * Fill a locked folio from its home (this node's store, or a peer) and
 * mark it uptodate.  Folios are single pages: the mapping never enables
 * large folios.
 */
static int dmpool_fill_folio(struct dmpool_pool *pool, struct folio *folio)
{
	u32 home = dmpool_map_home(pool->map, folio->index);
	int err;

	/* Destroyed (forced, or under a reader): no request for it. */
	if (READ_ONCE(pool->dead))
		return -ENXIO;
	if (home) {
		err = dmpool_remote_page(pool, home, folio->index,
					 folio_page(folio, 0), false, NULL);
		if (err)
			return -EIO;
	} else {
		err = dmpool_store_read(pool->area, folio);
		if (err)
			return err;
		atomic64_add(folio_nr_pages(folio), &pool->ctr.pages_in_local);
	}
	folio_mark_uptodate(folio);
	return 0;
}

static int dmpool_read_folio(struct file *file, struct folio *folio)
{
	struct dmpool_pool *pool = dmpool_mapping_pool(folio->mapping);
	int err;

	err = dmpool_fill_folio(pool, folio);
	folio_unlock(folio);
	return err;
}

/* A readahead GET ended: its folios are uptodate if it worked. */
static void dmpool_readahead_done(struct dmpool_rpipe *p,
				  struct dmpool_rio *rio, int err)
{
	u32 i;

	for (i = 0; i < rio->nr; i++) {
		struct folio *folio = page_folio(rio->pages[i]);

		if (!err)
			folio_mark_uptodate(folio);
		folio_unlock(folio);
	}
}

/*
 * Readahead: the folios arrive locked and already in the page cache, in
 * index order.  Pages homed here are read from the store at once; the
 * others go into a pipeline of GETs (remote.c), several in flight, which
 * a work item completes: readahead returns once the requests are sent, and
 * the reader consumes what it has while the rest arrives.  A folio that
 * cannot be read is left !uptodate and unlocked; the reader then calls
 * ->read_folio, which reports the error.
 */
static void dmpool_readahead(struct readahead_control *rac)
{
	struct dmpool_pool *pool = dmpool_mapping_pool(rac->mapping);
	struct dmpool_rpipe *pipe = NULL;
	struct folio *folio;
	u32 home;

	if (pool->map)
		pipe = dmpool_rpipe_alloc(pool, false, dmpool_readahead_done,
					  NULL);
	while ((folio = readahead_folio(rac)) != NULL) {
		home = dmpool_map_home(pool->map, folio->index);
		if (home && pipe) {
			dmpool_rpipe_add(pipe, home, folio, NULL);
			continue;
		}
		/* No pipeline (out of memory): readahead is only a hint. */
		if (!home)
			dmpool_fill_folio(pool, folio);
		folio_unlock(folio);
	}
	if (pipe)
		dmpool_rpipe_drain_async(pipe, rac->mapping->host);
}

/**
 * struct dmpool_wb - one ->writepages call
 * @pool: the pool
 * @wbc:  its write-back control
 * @pipe: PUTs in flight, or NULL (not placed, or out of memory)
 * @err:  the first error to return
 */
struct dmpool_wb {
	struct dmpool_pool *pool;
	struct writeback_control *wbc;
	struct dmpool_rpipe *pipe;
	int err;
};

/*
 * A folio could not be written back; its dirty bit was cleared.  Keep the
 * data: redirty it, so that a later write-back stores it, and record
 * nothing in the mapping, so that no later fsync(2) reports an error for
 * data that did reach its home.  Background write-back (WB_SYNC_NONE)
 * just moves on.  Data-integrity write-back (WB_SYNC_ALL: fsync,
 * msync(MS_SYNC), sync) reports the error: -ENOMEM (this node's store
 * could not allocate) makes do_writepages() wait for memory and write the
 * range again, so fsync() does not return before the data is stored; a
 * failed request to the home (timeout, no connection, an error there, the
 * home short of memory: callers pass -EIO for that, since only this
 * node's memory is worth waiting for in do_writepages()) returns -EIO at
 * once, and the data stays dirty in the page cache until the home answers
 * again or the pool is destroyed.  The folio is unlocked.
 */
static int dmpool_write_failed(struct dmpool_wb *wb, struct folio *folio,
			       int err)
{
	folio_redirty_for_writepage(wb->wbc, folio);
	folio_unlock(folio);
	if (wb->wbc->sync_mode != WB_SYNC_ALL)
		return 0;
	return err == -ENOMEM ? err : -EIO;
}

/* A locked folio reached its home: write-back is over.  Unlocks it. */
static void dmpool_write_done(struct folio *folio)
{
	folio_start_writeback(folio);
	folio_unlock(folio);
	folio_end_writeback(folio);
}

/*
 * The home refused a locked folio as stale (fence.c): a newer holder of
 * its file's lock wrote it.  Retrying cannot help, and the data must not
 * win: drop the write (the folio is clean again, its stale contents are
 * dropped by this node's next grant of the lock) and record -ESTALE in the
 * mapping, which the lock's release reports.  Unlocks the folio.
 */
static void dmpool_write_stale(struct dmpool_wb *wb, struct folio *folio)
{
	atomic64_add(folio_nr_pages(folio), &wb->pool->ctr.stale_writes);
	mapping_set_error(folio->mapping, -ESTALE);
	dmpool_write_done(folio);
}

/* A write-back PUT ended. */
static void dmpool_writeback_done(struct dmpool_rpipe *p,
				  struct dmpool_rio *rio, int err)
{
	struct dmpool_wb *wb = p->priv;
	u32 i;

	for (i = 0; i < rio->nr; i++) {
		struct folio *folio = page_folio(rio->pages[i]);
		int ret;

		if (!err) {
			dmpool_write_done(folio);
			continue;
		}
		if (err == -ESTALE) {
			dmpool_write_stale(wb, folio);
			continue;
		}
		/* The home short of memory: not ours to wait for (-EIO). */
		ret = dmpool_write_failed(wb, folio, err == -ENOMEM ? -EIO : err);
		if (ret && !wb->err)
			wb->err = ret;
	}
}

/**
 * dmpool_write_folio() - write one locked, dirty-cleared folio home
 * @page:  the folio's page, locked; write_cache_pages() has cleared its
 *         dirty bit (and write-protected its mappings)
 * @wbc:   the write-back control
 * @data:  the struct dmpool_wb of this ->writepages call
 *
 * A page homed here is copied into the store at once.  A page homed on a
 * peer joins the PUT pipeline and stays locked until the reply (so it
 * cannot change under the PUT); dmpool_writeback_done() finishes it.  See
 * dmpool_write_failed() for what a failure does.
 *
 * Return: 0 or a negative errno.
 */
static int dmpool_write_folio(struct page *page, struct writeback_control *wbc,
			      void *data)
{
	struct folio *folio = page_folio(page);
	struct dmpool_wb *wb = data;
	struct dmpool_pool *pool = wb->pool;
	u32 home = dmpool_map_home(pool->map, folio->index);
	struct dmpool_fence_stamp fence;
	int err;

	dmpool_fence_lookup(pool->fences, folio->index, &fence);
	if (home && wb->pipe) {
		dmpool_rpipe_add(wb->pipe, home, folio, &fence);
		return 0;
	}
	if (home) {
		err = dmpool_remote_page(pool, home, folio->index,
					 folio_page(folio, 0), true, &fence);
		if (err == -ENOMEM)
			err = -EIO;	/* the home's, see dmpool_write_failed() */
	} else {
		/* This node is the home: the same check as for a peer's PUT. */
		err = dmpool_fence_admit(pool->fences, &fence);
		if (err == -ESTALE)
			atomic64_inc(&pool->ctr.stale_refused);
		if (!err)
			err = dmpool_store_write(pool->area, folio);
	}
	if (err == -ESTALE) {
		dmpool_write_stale(wb, folio);
		return 0;
	}
	if (err)
		return dmpool_write_failed(wb, folio, err);
	if (!home)
		atomic64_add(folio_nr_pages(folio), &pool->ctr.pages_out_local);
	dmpool_write_done(folio);
	return 0;
}

/*
 * The flusher, sync(2) and fsync(2) write dirty pages through here.  The
 * store allocates under memalloc_nofs_save(): write-back may be reached
 * from a filesystem holding its locks (sync from inside a transaction,
 * balance_dirty_pages()), so reclaim must not recurse into filesystems.
 */
static int dmpool_writepages(struct address_space *mapping,
			     struct writeback_control *wbc)
{
	struct dmpool_wb wb = {
		.pool = dmpool_mapping_pool(mapping),
		.wbc = wbc,
	};
	unsigned int nofs;
	int err;

	nofs = memalloc_nofs_save();
	if (wb.pool->map)
		wb.pipe = dmpool_rpipe_alloc(wb.pool, true,
					     dmpool_writeback_done, &wb);
	err = write_cache_pages(mapping, wbc, dmpool_write_folio, &wb);
	if (wb.pipe)
		dmpool_rpipe_drain(wb.pipe);
	memalloc_nofs_restore(nofs);
	return err ?: wb.err;
}

/**
 * dmpool_write_begin() - prepare a page-cache page for write(2)
 * @file:   the file written to
 * @mapping: the pool's mapping
 * @pos:    byte offset of the write
 * @len:    bytes to write into this page (the write never crosses a page)
 * @pagep:  out: the locked page
 * @fsdata: unused
 *
 * A write that covers only part of a page which is not in the page cache
 * must not lose the rest of the page: read it from the store first.
 * (simple_write_begin() would zero it instead.)  A full-page write needs
 * no read; dmpool_write_end() handles a short copy into such a page.
 *
 * Return: 0 or a negative errno.
 */
static int dmpool_write_begin(struct file *file, struct address_space *mapping,
			      loff_t pos, unsigned int len,
			      struct page **pagep, void **fsdata)
{
	struct dmpool_pool *pool = dmpool_mapping_pool(mapping);
	struct folio *folio;
	struct page *page;
	int err;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	folio = page_folio(page);

	if (!folio_test_uptodate(folio) && len != PAGE_SIZE) {
		err = dmpool_fill_folio(pool, folio);
		if (err) {
			folio_unlock(folio);
			folio_put(folio);
			return err;
		}
	}
	*pagep = page;
	return 0;
}

static int dmpool_write_end(struct file *file, struct address_space *mapping,
			    loff_t pos, unsigned int len, unsigned int copied,
			    struct page *page, void *fsdata)
{
	struct folio *folio = page_folio(page);

	if (!folio_test_uptodate(folio)) {
		/*
		 * A full-page write into a page that was not read: if the
		 * copy from user space came up short, the rest of the page
		 * is garbage.  Accept nothing; generic_perform_write() then
		 * retries with the shorter length, which reads the page.
		 */
		if (copied < len) {
			copied = 0;
			goto out;
		}
		folio_mark_uptodate(folio);
	}
	if (copied)
		folio_mark_dirty(folio);
out:
	/* A pool never grows: no i_size update. */
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

const struct address_space_operations dmpool_aops = {
	.read_folio		= dmpool_read_folio,
	.readahead		= dmpool_readahead,
	.writepages		= dmpool_writepages,
	.dirty_folio		= filemap_dirty_folio,
	.write_begin		= dmpool_write_begin,
	.write_end		= dmpool_write_end,
	.migrate_folio		= filemap_migrate_folio,
	.error_remove_page	= generic_error_remove_page,
};

/**
 * dmpool_page_mkwrite() - a shared mapping is about to write a page
 * @vmf: the fault
 *
 * Mark the folio dirty so that write-back will store it, unless the pool
 * was truncated under us by a forced destroy: then the fault is retried and
 * ends in SIGBUS because the page now lies beyond i_size.  The wait for the
 * folio lock is killable.  The folio is
 * returned locked, which keeps it from being written back before the PTE
 * is made writable.
 *
 * Return: VM_FAULT_LOCKED, or VM_FAULT_NOPAGE to retry the fault.
 */
static vm_fault_t dmpool_page_mkwrite(struct vm_fault *vmf)
{
	struct folio *folio = page_folio(vmf->page);
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct inode *inode = mapping->host;
	vm_fault_t ret = VM_FAULT_LOCKED;

	sb_start_pagefault(inode->i_sb);
	/*
	 * The folio may be locked for a PUT to its home for up to the request
	 * timeout: wait killably; a fatal signal retries the fault, and the
	 * task dies on its way back to user space.
	 */
	if (folio_lock_killable(folio)) {
		ret = VM_FAULT_NOPAGE;
		goto out;
	}
	if (folio->mapping != mapping ||
	    folio_pos(folio) >= i_size_read(inode)) {
		folio_unlock(folio);
		ret = VM_FAULT_NOPAGE;
		goto out;
	}
	folio_mark_dirty(folio);
	folio_wait_stable(folio);
out:
	sb_end_pagefault(inode->i_sb);
	return ret;
}

/* Count the fault, then let the page cache handle it. */
static vm_fault_t dmpool_fault(struct vm_fault *vmf)
{
	struct dmpool_pool *pool = dmpool_mapping_pool(vmf->vma->vm_file->f_mapping);

	atomic64_inc(&pool->ctr.faults);
	return filemap_fault(vmf);
}

/*
 * A shared mapping goes (munmap, exit): start writing its dirty pages to
 * their homes now rather than at the flusher's next pass, without making
 * munmap wait for the network.
 */
static void dmpool_vm_close(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED)
		dmpool_fs_writeback_async(vma->vm_file->f_mapping->host);
}

const struct vm_operations_struct dmpool_vm_ops = {
	.close		= dmpool_vm_close,
	.fault		= dmpool_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= dmpool_page_mkwrite,
};
