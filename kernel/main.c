// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool: distributed memory pools — module entry points.
 *
 * dmpool aggregates the memory of networked machines into named pools that
 * applications map through /dev/dmpool.  This issue builds the single-node
 * foundation: pools held in this node's store, served through the page
 * cache (see Documentation/kernel-design.rst).
 *
 * Initialization order, each step depending on the ones before it:
 *
 *   store       - the memory this node lends (module parameter store_mb);
 *   pseudo fs   - the internal mount holding one inode per pool;
 *   chardev     - /dev/dmpool, which attaches files to pools;
 *   auth, peer  - the transport: the HMAC transform for the cluster key,
 *                 the workqueue and message handlers; idle until user
 *                 space sets a node ID and adds peers;
 *   serve, remote - the handlers of peers' GET, PUT and MEM requests,
 *                 the once-a-second poll of peers' memory figures and the
 *                 workqueue completing readahead;
 *   debugfs     - /sys/kernel/debug/dmpool: the counters as text;
 *   netlink     - the "dmpool" family, last: once it is registered user
 *                 space can create pools, so everything must be ready.
 *
 * Exit runs in reverse: netlink first (no new pools or peers, no request
 * in flight), then the transport (every connection closed, every thread
 * stopped, without waiting for the network; a memory poll in flight then
 * fails at once, so stopping it after the transport never waits for a
 * silent peer; nor does draining the readahead works, whose requests the
 * transport's end completed), then the chardev (no file
 * can be open: each holds a module reference), then the remaining pools
 * are destroyed and freed, then the mount and the store go.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/genetlink.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "dmpool.h"
#include "lock.h"
#include "remote.h"

static unsigned long store_mb;
module_param(store_mb, ulong, 0444);
MODULE_PARM_DESC(store_mb,
		 "MiB of this node's RAM lent to the pool store, at most all of it (default: half of RAM)");

/*
 * The store's capacity in bytes: store_mb MiB, or half of RAM by default.
 * More than the node's RAM is refused: the store would promise pools
 * memory that write-back could never get.
 */
static int dmpool_store_bytes(u64 *capacity)
{
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	if (!store_mb) {
		*capacity = ram / 2;
		return 0;
	}
	if (store_mb > ram >> 20) {
		pr_err("store_mb=%lu is more than this node's %llu MiB of RAM\n",
		       store_mb, ram >> 20);
		return -EINVAL;
	}
	*capacity = (u64)store_mb << 20;
	return 0;
}

static int __init dmpool_init(void)
{
	u64 capacity;
	int err;

	err = dmpool_store_bytes(&capacity);
	if (err)
		return err;
	err = dmpool_store_init(capacity);
	if (err)
		return err;
	err = dmpool_fs_init(dmpool_pool_evict);
	if (err)
		goto err_store;
	err = dmpool_lock_init();
	if (err)
		goto err_fs;
	err = dmpool_chardev_init();
	if (err)
		goto err_lock;
	err = dmpool_auth_init();
	if (err)
		goto err_chardev;
	err = dmpool_peer_init();
	if (err)
		goto err_auth;
	dmpool_serve_init();
	err = dmpool_remote_init();
	if (err)
		goto err_serve;
	dmpool_debugfs_init();
	err = dmpool_netlink_init();
	if (err)
		goto err_debugfs;

	pr_info("ABI %u, store of %llu MiB\n", DMPOOL_ABI_VERSION,
		capacity >> 20);
	return 0;

err_debugfs:
	dmpool_debugfs_exit();
	dmpool_peer_exit();
	dmpool_remote_exit();
	dmpool_serve_exit();
	goto err_auth;
err_serve:
	dmpool_peer_exit();	/* before the handlers go, as at exit */
	dmpool_serve_exit();
err_auth:
	dmpool_auth_exit();
err_chardev:
	dmpool_chardev_exit();
err_lock:
	dmpool_lock_exit();
err_fs:
	dmpool_fs_exit();
err_store:
	dmpool_store_exit();
	return err;
}

static void __exit dmpool_exit(void)
{
	dmpool_netlink_exit();
	dmpool_debugfs_exit();
	dmpool_peer_exit();
	dmpool_remote_exit();
	dmpool_serve_exit();
	dmpool_auth_exit();
	dmpool_chardev_exit();
	dmpool_pools_exit();
	dmpool_lock_exit();
	dmpool_fs_exit();
	dmpool_store_exit();
}

module_init(dmpool_init);
module_exit(dmpool_exit);

MODULE_DESCRIPTION("dmpool: distributed memory pools");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(DMPOOL_GENL_NAME);
