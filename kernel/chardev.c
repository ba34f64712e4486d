// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool character device: /dev/dmpool, the applications' door to pools.
 *
 * An open file description starts unattached: only DMPOOL_IOC_VERSION and
 * DMPOOL_IOC_ATTACH work, everything else fails with -EBADFD.
 * DMPOOL_IOC_ATTACH binds it, once, to a pool: like blkdev_open(), it
 * points file->f_mapping at the pool inode's address_space, so that from
 * then on read(2)/write(2) (filemap_read()/generic_perform_write()) and
 * mmap(2) (filemap_fault()) work on the pool's page cache, exactly as for a
 * regular file of a fixed size.  close() detaches.
 *
 * Attachment publishes the pool with smp_store_release() after f_mapping,
 * f_ra and f_wb_err are set; the data path reads it with smp_load_acquire()
 * and never takes a lock of this file.  The per-file attach mutex only
 * makes a second DMPOOL_IOC_ATTACH fail with -EBUSY.  f_mapping changes
 * once, before the pool is published; mmap() is refused before that in
 * ->get_unmapped_area, ahead of the VFS code that reads f_mapping twice.
 *
 * Lock order: dmpool_file.attach_lock → mmap_lock (copy_to_user() while
 * attaching) and → dmpool_pools_lock.  ->mmap runs under mmap_lock and so
 * must not take attach_lock: it does not.  ->write_iter takes the pool
 * inode's i_rwsem, then (page faults on the user buffer) mmap_lock, as any
 * filesystem does.
 *
 * Access policies (policy.c): DMPOOL_IOC_ATTACH needs the read right on
 * the pool and records whether the description may write (@may_write);
 * write(2) and writable shared mappings need that, and neither may touch
 * the bytes of a file the description opened without the write right
 * (dmpool_fd_files_may_write()).  A mapping made without write loses
 * VM_MAYWRITE, so mprotect() cannot add it later.  The file ioctls that
 * change the directory need the admin right on the pool, checked at each
 * call.  The open of /dev/dmpool itself is governed by the device's mode.
 *
 * Every ioctl copies its argument in once, validates all of it (unknown
 * flags, nonzero reserved fields: -EINVAL), then acts.  An ioctl number with
 * a different size or direction is an unknown ioctl: -ENOTTY.
 */

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmpool.h"
#include "upcall.h"

/**
 * struct dmpool_file - per open file description of /dev/dmpool
 * @attach_lock: serializes DMPOOL_IOC_ATTACH on this file
 * @pool:        the attached pool, NULL before attach; written once under
 *               @attach_lock with smp_store_release(), read with
 *               smp_load_acquire() without any lock.  The attachment
 *               holds a pool reference until release.
 * @files:       the files of the pool this description opened, and the
 *               locks it holds (files.c); the description is their owner
 * @may_write:   the caller of DMPOOL_IOC_ATTACH had the write right on the
 *               pool; written before @pool is published, immutable after
 */
struct dmpool_file {
	struct mutex attach_lock;	/* serializes DMPOOL_IOC_ATTACH */
	struct dmpool_pool *pool;
	struct dmpool_fd_files files;
	bool may_write;
};

static struct dmpool_pool *dmpool_file_pool(struct file *file)
{
	struct dmpool_file *df = file->private_data;

	/* Pairs with smp_store_release() in dmpool_ioc_attach(). */
	return smp_load_acquire(&df->pool);
}

static int dmpool_open(struct inode *inode, struct file *file)
{
	struct dmpool_file *df;

	df = kzalloc(sizeof(*df), GFP_KERNEL);
	if (!df)
		return -ENOMEM;
	mutex_init(&df->attach_lock);
	dmpool_fd_files_init(&df->files);
	/* misc_open() left the miscdevice here; we do not need it. */
	file->private_data = df;
	return 0;
}

static int dmpool_release(struct inode *inode, struct file *file)
{
	struct dmpool_file *df = file->private_data;

	/* Releases this description's locks, writing back what they cover. */
	dmpool_fd_files_release(df->pool, &df->files);
	if (df->pool) {
		u64 id = df->pool->id;
		unsigned int attached;

		/* The pool inode may go with the detach: stop pointing at it. */
		file->f_mapping = inode->i_mapping;
		attached = dmpool_pool_detach(df->pool);
		dmpool_event_attach(DMPOOL_EVENT_DETACH, id, attached);
	}
	mutex_destroy(&df->attach_lock);
	kfree(df);
	return 0;
}

static long dmpool_ioc_version(struct dmpool_version __user *uarg)
{
	struct dmpool_version arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || memchr_inv(arg.reserved, 0, sizeof(arg.reserved)))
		return -EINVAL;

	arg.abi_version = DMPOOL_ABI_VERSION;
	arg.features = DMPOOL_FEATURES;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

/*
 * Validate an attach request; for DMPOOL_ATTACH_BY_NAME copy the name into
 * @name (NUL-terminated).
 */
static long dmpool_attach_check(const struct dmpool_attach *arg, char *name)
{
	if (arg->flags & ~DMPOOL_ATTACH_FLAGS_ALL ||
	    memchr_inv(arg->reserved, 0, sizeof(arg->reserved)))
		return -EINVAL;

	if (!(arg->flags & DMPOOL_ATTACH_BY_NAME)) {
		if (arg->name || arg->name_len)
			return -EINVAL;
		return 0;
	}

	if (arg->pool_id || arg->name_len < 1 ||
	    arg->name_len > DMPOOL_POOL_NAME_MAX)
		return -EINVAL;
	if (copy_from_user(name, u64_to_user_ptr(arg->name), arg->name_len))
		return -EFAULT;
	name[arg->name_len] = '\0';
	if (!dmpool_pool_name_valid(name, arg->name_len))
		return -EINVAL;
	return 0;
}

/*
 * The caller's rights on the pool an attach request names: -EACCES
 * without read.  Sets @arg->pool_id to the pool's ID for the attach.
 */
static long dmpool_attach_rights(struct dmpool_attach *arg, const char *name,
				 u32 *rights)
{
	struct dmpool_pool *pool;

	pool = dmpool_pool_get(arg->pool_id,
			       arg->flags & DMPOOL_ATTACH_BY_NAME ? name : NULL);
	if (!pool)
		return -ENOENT;
	arg->pool_id = pool->id;
	*rights = dmpool_pool_rights(pool);
	dmpool_pool_put(pool);
	return *rights & DMPOOL_RIGHT_READ ? 0 : -EACCES;
}

static long dmpool_ioc_attach(struct file *file,
			      struct dmpool_attach __user *uarg)
{
	struct dmpool_file *df = file->private_data;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	struct dmpool_attach arg;
	struct dmpool_pool *pool;
	u32 rights;
	long err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	err = dmpool_attach_check(&arg, name);
	if (err)
		return err;

	mutex_lock(&df->attach_lock);
	if (df->pool) {
		err = -EBUSY;
		goto out_unlock;
	}
	err = dmpool_attach_rights(&arg, name, &rights);
	if (err)
		goto out_unlock;
	/* By ID: the pool checked, or none if it was destroyed meanwhile. */
	pool = dmpool_pool_attach(arg.pool_id, NULL);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto out_unlock;
	}

	arg.pool_id = pool->id;
	arg.size = pool->size;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		err = -EFAULT;
		goto err_detach;
	}

	file->f_mapping = pool->inode->i_mapping;
	file_ra_state_init(&file->f_ra, file->f_mapping);
	file->f_wb_err = filemap_sample_wb_err(file->f_mapping);
	df->may_write = rights & DMPOOL_RIGHT_WRITE;
	/* Publish the pool after f_mapping & co; see dmpool_file_pool(). */
	smp_store_release(&df->pool, pool);
	mutex_unlock(&df->attach_lock);
	/* A hint: other files may attach or detach meanwhile. */
	dmpool_event_attach(DMPOOL_EVENT_ATTACH, pool->id,
			    READ_ONCE(pool->attached));
	return 0;

err_detach:
	dmpool_pool_detach(pool);
out_unlock:
	mutex_unlock(&df->attach_lock);
	return err;
}

static long dmpool_ioc_info(struct file *file, struct dmpool_info __user *uarg)
{
	struct dmpool_pool *pool;
	struct dmpool_info arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || memchr_inv(arg.reserved, 0, sizeof(arg.reserved)))
		return -EINVAL;

	pool = dmpool_file_pool(file);
	if (!pool)
		return -EBADFD;
	if (READ_ONCE(pool->dead))
		return -ENXIO;

	arg.pool_id = pool->id;
	arg.size = pool->size;
	arg.attached = READ_ONCE(pool->attached);
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

/*
 * The file ioctls: copy and check the request, act, report the file.
 * GROW names the file by ID, the others by name.
 */
static long dmpool_ioc_file(struct file *file, unsigned int cmd,
			    struct dmpool_file_req __user *uarg)
{
	struct dmpool_file *df = file->private_data;
	struct dmpool_file_info *info;
	struct dmpool_file_req arg;
	struct dmpool_pool *pool;
	bool by_name = cmd != DMPOOL_IOC_FILE_GROW;
	long err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || memchr_inv(arg.reserved, 0, sizeof(arg.reserved)))
		return -EINVAL;
	if (by_name ? arg.name_len < 1 || arg.name_len > DMPOOL_FILE_NAME_MAX
		    : arg.name || arg.name_len || !arg.file_id)
		return -EINVAL;
	if (cmd == DMPOOL_IOC_FILE_CREATE &&
	    (!arg.size || arg.permits > DMPOOL_PERMITS_MAX ||
	     arg.mode & ~0777U))
		return -EINVAL;
	pool = dmpool_file_pool(file);
	if (!pool)
		return -EBADFD;
	/* Changing the directory is the pool admin's (its owner's) right. */
	if (cmd != DMPOOL_IOC_FILE_OPEN &&
	    !(dmpool_pool_rights(pool) & DMPOOL_RIGHT_ADMIN))
		return -EACCES;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	if (by_name) {
		err = -EFAULT;
		if (copy_from_user(info->name, u64_to_user_ptr(arg.name),
				   arg.name_len))
			goto out_free;
		err = -EINVAL;
		if (!dmpool_file_name_valid(info->name, arg.name_len))
			goto out_free;
	}

	switch (cmd) {
	case DMPOOL_IOC_FILE_CREATE:
		err = dmpool_files_create(pool, info->name, arg.name_len,
					  arg.size, arg.permits ?: 1, arg.mode,
					  info);
		break;
	case DMPOOL_IOC_FILE_OPEN:
		err = dmpool_files_open(pool, &df->files, info->name,
					arg.name_len, info);
		break;
	case DMPOOL_IOC_FILE_GROW:
		err = dmpool_files_grow(pool, &df->files, arg.file_id,
					arg.size, info);
		break;
	default:
		err = dmpool_files_delete(pool, info->name, arg.name_len);
		goto out_free;
	}
	if (err)
		goto out_free;

	arg.file_id = info->id;
	arg.offset = info->offset;
	arg.size = info->size;
	arg.permits = info->permits;
	arg.mode = info->mode;
	arg.uid = info->uid;
	arg.gid = info->gid;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		err = -EFAULT;
out_free:
	kfree(info);
	return err;
}

static long dmpool_ioc_lock(struct file *file, unsigned int cmd,
			    struct dmpool_lock __user *uarg)
{
	struct dmpool_file *df = file->private_data;
	unsigned long deadline = 0;
	struct dmpool_pool *pool;
	struct dmpool_lock arg;
	long err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~DMPOOL_LOCK_FLAGS_ALL || arg.reserved0 ||
	    memchr_inv(arg.reserved, 0, sizeof(arg.reserved)) ||
	    arg.kind > DMPOOL_LOCK_SEM || !arg.file_id ||
	    (arg.timeout_ns && !(arg.flags & DMPOOL_LOCK_TIMED)) ||
	    (cmd == DMPOOL_IOC_UNLOCK && arg.flags) ||
	    (arg.flags & DMPOOL_LOCK_TRY && arg.flags & DMPOOL_LOCK_TIMED))
		return -EINVAL;
	pool = dmpool_file_pool(file);
	if (!pool)
		return -EBADFD;

	if (cmd == DMPOOL_IOC_UNLOCK)
		return dmpool_files_unlock(pool, &df->files, arg.file_id,
					   arg.kind);

	if (arg.flags & DMPOOL_LOCK_TIMED) {
		/* At least one jiffy: 0 would mean no deadline. */
		deadline = jiffies + max(nsecs_to_jiffies(arg.timeout_ns), 1UL);
	}
	err = dmpool_files_lock(pool, &df->files, arg.file_id, arg.kind,
				arg.flags & DMPOOL_LOCK_TRY, deadline,
				&arg.token, &arg.status);
	if (err)
		return err;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		dmpool_files_unlock(pool, &df->files, arg.file_id, arg.kind);
		return -EFAULT;
	}
	return 0;
}

static long dmpool_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case DMPOOL_IOC_VERSION:
		return dmpool_ioc_version(argp);
	case DMPOOL_IOC_ATTACH:
		return dmpool_ioc_attach(file, argp);
	case DMPOOL_IOC_INFO:
		return dmpool_ioc_info(file, argp);
	case DMPOOL_IOC_FILE_CREATE:
	case DMPOOL_IOC_FILE_OPEN:
	case DMPOOL_IOC_FILE_GROW:
	case DMPOOL_IOC_FILE_DELETE:
		return dmpool_ioc_file(file, cmd, argp);
	case DMPOOL_IOC_LOCK:
	case DMPOOL_IOC_UNLOCK:
		return dmpool_ioc_lock(file, cmd, argp);
	default:
		return -ENOTTY;
	}
}

static ssize_t dmpool_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct dmpool_pool *pool = dmpool_file_pool(iocb->ki_filp);

	if (!pool)
		return -EBADFD;
	if (READ_ONCE(pool->dead))
		return -ENXIO;
	if (iocb->ki_pos >= pool->size || !iov_iter_count(to))
		return 0;
	iov_iter_truncate(to, pool->size - iocb->ki_pos);
	return filemap_read(iocb, to, 0);
}

/*
 * Whether the attached description may write the pool's bytes @off..
 * @off+@len: it had the write right at attach, and no file it opened
 * without the write right overlaps them.
 */
static bool dmpool_file_may_write(struct file *file, u64 off, u64 len)
{
	struct dmpool_file *df = file->private_data;

	return df->may_write && dmpool_fd_files_may_write(&df->files, off, len);
}

static ssize_t dmpool_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct dmpool_pool *pool = dmpool_file_pool(iocb->ki_filp);
	struct inode *inode;
	ssize_t ret;

	if (!pool)
		return -EBADFD;
	inode = pool->inode;
	if (!dmpool_file_may_write(iocb->ki_filp, iocb->ki_pos,
				   iov_iter_count(from)))
		return -EACCES;

	/* The lock orders us against a forced destroy's truncation. */
	inode_lock(inode);
	if (READ_ONCE(pool->dead)) {
		ret = -ENXIO;
		goto out_unlock;
	}
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = pool->size;
	if (!iov_iter_count(from)) {
		ret = 0;
		goto out_unlock;
	}
	if (iocb->ki_pos >= pool->size) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	iov_iter_truncate(from, pool->size - iocb->ki_pos);
	/*
	 * The checks of any file write, on what is left: RLIMIT_FSIZE
	 * (SIGXFSZ and -EFBIG at or past it, a shorter write across it),
	 * O_LARGEFILE, and IOCB_NOWAIT (-EINVAL: this write may block).
	 * IOCB_APPEND was handled above, so it finds ki_pos at i_size.
	 */
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto out_unlock;
	/* Advances iocb->ki_pos. */
	ret = generic_perform_write(iocb, from);
out_unlock:
	inode_unlock(inode);

	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

static int dmpool_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct dmpool_pool *pool = dmpool_file_pool(file);

	if (!pool)
		return -EBADFD;
	if (READ_ONCE(pool->dead))
		return -ENXIO;
	return file_write_and_wait_range(file, start, end);
}

/*
 * close(2) of a descriptor of an attached, writable file: write the pool's
 * dirty pages to their homes and report a failure, as NFS does at close,
 * so that what a process wrote before close() can be read after it on any
 * node that has no older copy of those pages cached (invalidating such
 * copies is the job of the cluster locks).  Dirty pages of mappings that
 * outlive the descriptor go at munmap, see pagecache.c.
 */
static int dmpool_flush(struct file *file, fl_owner_t id)
{
	struct dmpool_pool *pool = dmpool_file_pool(file);

	if (!pool || READ_ONCE(pool->dead) || !(file->f_mode & FMODE_WRITE))
		return 0;
	return filemap_write_and_wait(file->f_mapping);
}

/*
 * mmap() calls this before mmap_region(), which takes a writable-mapping
 * count on file->f_mapping before ->mmap and drops it again afterwards
 * (and munmap drops the count taken on vma->vm_file->f_mapping).  Both
 * must see the same mapping: refusing here, before attach, ensures that
 * f_mapping no longer changes once mmap_region() looks at it.
 */
static unsigned long dmpool_get_unmapped_area(struct file *file,
					      unsigned long addr,
					      unsigned long len,
					      unsigned long pgoff,
					      unsigned long flags)
{
	if (!dmpool_file_pool(file))
		return -EBADFD;
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
}

/*
 * MAP_SHARED only (VM_MAYSHARE: VM_SHARED is cleared for a read-only
 * file), and the whole range inside the pool.  VM_DONTEXPAND: mremap()
 * cannot grow a mapping (-EFAULT), so no mapping ever reaches past the
 * pool; map the pool again to see more of it.  Without the write right
 * on the range (see dmpool_file_may_write()) a writable mapping is
 * -EACCES and a read-only one loses VM_MAYWRITE.
 */
static int dmpool_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dmpool_pool *pool = dmpool_file_pool(file);
	unsigned long end;

	if (!pool)
		return -EBADFD;
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (READ_ONCE(pool->dead))
		return -ENXIO;
	if (check_add_overflow(vma->vm_pgoff, vma_pages(vma), &end) ||
	    end > pool->size >> PAGE_SHIFT)
		return -ENXIO;
	if (!dmpool_file_may_write(file, (u64)vma->vm_pgoff << PAGE_SHIFT,
				   vma->vm_end - vma->vm_start)) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}

	file_accessed(file);
	vma->vm_flags |= VM_DONTEXPAND;
	vma->vm_ops = &dmpool_vm_ops;
	return 0;
}

static loff_t dmpool_llseek(struct file *file, loff_t offset, int whence)
{
	struct dmpool_pool *pool = dmpool_file_pool(file);

	if (!pool)
		return -EBADFD;
	return fixed_size_llseek(file, offset, whence, pool->size);
}

static const struct file_operations dmpool_fops = {
	.owner		= THIS_MODULE,
	.open		= dmpool_open,
	.release	= dmpool_release,
	.unlocked_ioctl	= dmpool_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.read_iter	= dmpool_read_iter,
	.write_iter	= dmpool_write_iter,
	.fsync		= dmpool_fsync,
	.flush		= dmpool_flush,
	.get_unmapped_area = dmpool_get_unmapped_area,
	.mmap		= dmpool_mmap,
	.llseek		= dmpool_llseek,
};

static struct miscdevice dmpool_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "dmpool",
	.fops	= &dmpool_fops,
	/*
	 * Root only by default; an admin who opens the device to users
	 * (udev) leaves the rest to the pools' access policies.
	 */
	.mode	= 0600,
};

int dmpool_chardev_init(void)
{
	return misc_register(&dmpool_miscdev);
}

void dmpool_chardev_exit(void)
{
	misc_deregister(&dmpool_miscdev);
}
