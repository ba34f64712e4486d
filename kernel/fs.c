// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool pseudo filesystem: the home of the pools' inodes.
 *
 * Each pool is one regular inode on an internal filesystem, mounted once
 * with kern_mount() and never visible to user space (the type is not
 * registered, the super block is SB_NOUSER).  The inode's address_space is
 * the pool's page cache; /dev/dmpool points an attached file at it.
 *
 * Unlike the usual pseudo filesystems (init_pseudo()), whose super block
 * uses noop_backing_dev_info, this one sets up a real backing_dev_info with
 * super_setup_bdi().  That makes the pools' dirty pages count as dirty page
 * cache: the flusher threads write them back (->writepages), sync(2) and
 * fsync(2) work, dirty throttling applies and reclaim treats the pages as
 * it treats those of a network filesystem.  For the flusher to see an inode
 * it must be hashed (__mark_inode_dirty() skips unhashed inodes), so pool
 * inodes are put in the inode hash (see dmpool_fs_new_inode() for why not
 * a fake hash); and they are deleted, not cached, on their last iput
 * (generic_delete_inode), which unhashes them and truncates their page
 * cache.
 *
 * An inode owns what its i_private points to: ->evict_inode, once the
 * page cache is gone, hands it to the function given to dmpool_fs_init()
 * (pool.c's, which frees the pool).  So a transient inode reference taken
 * by the VFS (sync(2)'s wait_sb_inodes(), drop_caches) keeps the pool
 * alive as long as the page-cache operations may still run.
 *
 * The super block asks for stable pages (SB_I_STABLE_WRITES): a page under
 * write-back is not modified until the write-back ends.
 *
 * dmpool_fs_writeback_async() starts writing an inode's dirty pages back
 * from a work item (munmap() of a shared mapping uses it, so that pages
 * written through a mapping reach their homes soon after it goes, without
 * blocking munmap on the network).  The work holds an inode reference;
 * dmpool_fs_exit() drains the workqueue before it unmounts.
 */

#include <linux/backing-dev.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mount.h>
#include <linux/pagemap.h>

#include <linux/slab.h>
#include <linux/workqueue.h>

#include "dmpool.h"

#define DMPOOL_FS_MAGIC	0x646d706c	/* "dmpl" */

static struct vfsmount *dmpool_mnt;
static struct workqueue_struct *dmpool_fs_wq;
static void (*dmpool_fs_evict_private)(void *private);

static void dmpool_fs_evict_inode(struct inode *inode)
{
	/* evict() already waited for write-back in flight. */
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (inode->i_private)
		dmpool_fs_evict_private(inode->i_private);
}

static const struct super_operations dmpool_fs_super_ops = {
	.statfs		= simple_statfs,
	.drop_inode	= generic_delete_inode,
	.evict_inode	= dmpool_fs_evict_inode,
};

static int dmpool_fs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct inode *root;
	int err;

	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = DMPOOL_FS_MAGIC;
	sb->s_op = &dmpool_fs_super_ops;
	sb->s_time_gran = 1;
	sb->s_iflags |= SB_I_STABLE_WRITES;

	/* Freed by generic_shutdown_super(), also if we fail below. */
	err = super_setup_bdi(sb);
	if (err)
		return err;
	/*
	 * Readahead of 4 MiB: a remote sequential read then keeps the GET
	 * pipeline full (8 requests of 128 pages in flight, see remote.c)
	 * instead of waiting one round trip per 128 KiB.  The sysfs knob
	 * (/sys/class/bdi/dmpoolfs-N/read_ahead_kb) still applies.
	 */
	sb->s_bdi->ra_pages = (4 << 20) / PAGE_SIZE;
	sb->s_bdi->io_pages = sb->s_bdi->ra_pages;

	root = new_inode(sb);
	if (!root)
		return -ENOMEM;
	/* Not a fixed number: it could be one of get_next_ino()'s. */
	root->i_ino = get_next_ino();
	root->i_mode = S_IFDIR | 0500;
	root->i_atime = current_time(root);
	root->i_mtime = root->i_atime;
	root->i_ctime = root->i_atime;
	root->i_op = &simple_dir_inode_operations;
	root->i_fop = &simple_dir_operations;
	set_nlink(root, 2);
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return -ENOMEM;
	return 0;
}

static int dmpool_fs_get_tree(struct fs_context *fc)
{
	return get_tree_nodev(fc, dmpool_fs_fill_super);
}

static const struct fs_context_operations dmpool_fs_context_ops = {
	.get_tree	= dmpool_fs_get_tree,
};

static int dmpool_fs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &dmpool_fs_context_ops;
	fc->sb_flags |= SB_NOUSER;
	fc->s_iflags |= SB_I_NOEXEC;
	fc->global = true;
	return 0;
}

/*
 * No .owner: the mount lives exactly as long as the module, and a module
 * reference held by its own mount would make rmmod impossible.
 */
static struct file_system_type dmpool_fs_type = {
	.name			= "dmpoolfs",
	.init_fs_context	= dmpool_fs_init_fs_context,
	.kill_sb		= kill_anon_super,
};

/**
 * dmpool_fs_init() - mount the pseudo filesystem
 * @evict_private: called with an evicted inode's i_private (if not NULL),
 *                 after its page cache was freed; frees what it points to
 *
 * Return: 0 or a negative errno.
 */
int dmpool_fs_init(void (*evict_private)(void *private))
{
	dmpool_fs_evict_private = evict_private;
	dmpool_fs_wq = alloc_workqueue("dmpool_wb", WQ_UNBOUND | WQ_MEM_RECLAIM,
				       0);
	if (!dmpool_fs_wq)
		return -ENOMEM;
	dmpool_mnt = kern_mount(&dmpool_fs_type);
	if (IS_ERR(dmpool_mnt)) {
		destroy_workqueue(dmpool_fs_wq);
		return PTR_ERR(dmpool_mnt);
	}
	return 0;
}

/*
 * dmpool_pools_exit() ran before: the last inode references are those of
 * write-back works, which the drain drops.
 */
void dmpool_fs_exit(void)
{
	destroy_workqueue(dmpool_fs_wq);
	kern_unmount(dmpool_mnt);
}

/* A write-back started by dmpool_fs_writeback_async(). */
struct dmpool_fs_wb {
	struct work_struct work;
	struct inode *inode;
};

static void dmpool_fs_wb_work(struct work_struct *work)
{
	struct dmpool_fs_wb *wb = container_of(work, struct dmpool_fs_wb,
					       work);

	filemap_fdatawrite(wb->inode->i_mapping);
	iput(wb->inode);
	kfree(wb);
}

/**
 * dmpool_fs_writeback_async() - write an inode's dirty pages back soon
 * @inode: a pool inode
 *
 * Queues a work that starts write-back (WB_SYNC_NONE) of every dirty page
 * of @inode, holding a reference to it meanwhile.  Does nothing if no page
 * is dirty, or if memory is short (the flusher will do it).
 */
void dmpool_fs_writeback_async(struct inode *inode)
{
	struct dmpool_fs_wb *wb;

	if (!mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY))
		return;
	wb = kmalloc(sizeof(*wb), GFP_KERNEL | __GFP_NOWARN);
	if (!wb)
		return;
	wb->inode = igrab(inode);
	if (!wb->inode) {
		kfree(wb);
		return;
	}
	INIT_WORK(&wb->work, dmpool_fs_wb_work);
	queue_work(dmpool_fs_wq, &wb->work);
}

/**
 * dmpool_fs_new_inode() - a new, empty regular inode for a pool
 *
 * The caller sets i_private, i_size and the address_space_operations and
 * drops the inode with iput(), which deletes it and hands i_private to the
 * evict_private function given to dmpool_fs_init().
 *
 * Return: the inode, or NULL if out of memory.
 */
struct inode *dmpool_fs_new_inode(void)
{
	struct inode *inode;

	might_sleep();
	inode = new_inode(dmpool_mnt->mnt_sb);
	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	inode->i_atime = current_time(inode);
	inode->i_mtime = inode->i_atime;
	inode->i_ctime = inode->i_atime;
	/*
	 * Hashed inodes only are put on the bdi's dirty lists.  A real hash,
	 * not inode_fake_hash(): evict() does not unhash a fake-hashed
	 * inode, and our inodes come from the shared inode_cachep, so the
	 * next inode allocated in the freed slot (a pipe's, say) would look
	 * hashed and be cached by iput() instead of freed.
	 */
	insert_inode_hash(inode);
	return inode;
}
