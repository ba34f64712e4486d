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

#include "dmpool.h"

static struct dmpool_pool *dmpool_mapping_pool(struct address_space *mapping)
{
	return mapping->host->i_private;
}

/* Fill a locked folio from the store and mark it uptodate. */
static int dmpool_fill_folio(struct dmpool_pool *pool, struct folio *folio)
{
	int err;

	err = dmpool_store_read(pool->area, folio);
	if (err)
		return err;
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

/*
 * Readahead: the folios arrive locked and already in the page cache.  A
 * folio that cannot be read is left !uptodate and unlocked; the reader then
 * calls ->read_folio, which reports the error.
 */
static void dmpool_readahead(struct readahead_control *rac)
{
	struct dmpool_pool *pool = dmpool_mapping_pool(rac->mapping);
	struct folio *folio;

	while ((folio = readahead_folio(rac)) != NULL) {
		dmpool_fill_folio(pool, folio);
		folio_unlock(folio);
	}
}

/**
 * dmpool_write_folio() - write one locked, dirty-cleared folio to the store
 * @folio: the folio, locked; write_cache_pages() has cleared its dirty bit
 *         (and write-protected its mappings)
 * @wbc:   the write-back control
 * @pool:  the pool the folio belongs to
 *
 * Out of memory (-ENOMEM from the store) is temporary: the folio is
 * redirtied, so that its data stays in the page cache and a later
 * write-back stores it, and nothing is recorded in the mapping, so that no
 * later fsync(2) reports an error for data that did reach the store.
 * Background write-back (WB_SYNC_NONE) just moves on (0).  Data-integrity
 * write-back (WB_SYNC_ALL: fsync, msync(MS_SYNC), sync) gets -ENOMEM,
 * which makes do_writepages() wait for memory and write the range again:
 * fsync() does not return before the data is in the store.
 *
 * Any other error is permanent (none today; -EIO from the network later):
 * it is recorded in the mapping with mapping_set_error(), so that
 * fsync(2)/msync(2) report it, and the folio is left clean, as a
 * filesystem leaves a page after a write error.
 *
 * The folio is always unlocked.
 *
 * Return: 0 or a negative errno.
 */
static int dmpool_write_folio(struct folio *folio,
			      struct writeback_control *wbc,
			      struct dmpool_pool *pool)
{
	int err;

	err = dmpool_store_write(pool->area, folio);
	if (err == -ENOMEM) {
		folio_redirty_for_writepage(wbc, folio);
		folio_unlock(folio);
		return wbc->sync_mode == WB_SYNC_ALL ? err : 0;
	}
	if (err) {
		mapping_set_error(folio->mapping, err);
		folio_unlock(folio);
		return err;
	}
	folio_start_writeback(folio);
	folio_unlock(folio);
	folio_end_writeback(folio);
	return 0;
}

static int dmpool_writepage_cb(struct page *page,
			       struct writeback_control *wbc, void *data)
{
	return dmpool_write_folio(page_folio(page), wbc, data);
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
	struct dmpool_pool *pool = dmpool_mapping_pool(mapping);
	unsigned int nofs;
	int err;

	nofs = memalloc_nofs_save();
	err = write_cache_pages(mapping, wbc, dmpool_writepage_cb, pool);
	memalloc_nofs_restore(nofs);
	return err;
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
 * ends in SIGBUS because the page now lies beyond i_size.  The folio is
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
	folio_lock(folio);
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

const struct vm_operations_struct dmpool_vm_ops = {
	.fault		= filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= dmpool_page_mkwrite,
};
