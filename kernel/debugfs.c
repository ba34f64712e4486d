// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool debugfs: the data-path counters as text, for people and scripts
 * on a node without dmpoolctl.  /sys/kernel/debug/dmpool/ holds
 *
 *	pools	one line per pool: its counters and the histogram of remote
 *		read round trips
 *	peers	one line per peer: pages in and out, failed requests, and
 *		the histogram of page request round trips
 *
 * Histograms are DMPOOL_LAT_BUCKETS numbers, bucket i counting round trips
 * of 2^i to 2^(i+1) - 1 microseconds.  The same figures come over netlink
 * (POOL_GET, PEER_GET); this file only formats them.  Read-only, root only
 * (debugfs).  A missing debugfs is not an error: the files are a
 * convenience.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "remote.h"

static struct dentry *dmpool_debugfs_dir;

static void dmpool_debugfs_hist(struct seq_file *m, const u64 *lat)
{
	unsigned int i;

	seq_puts(m, " lat_us_log2");
	for (i = 0; i < DMPOOL_LAT_BUCKETS; i++)
		seq_printf(m, "%c%llu", i ? ',' : '=', lat[i]);
	seq_putc(m, '\n');
}

static int dmpool_debugfs_pools_show(struct seq_file *m, void *v)
{
	struct dmpool_pool_stats *st;
	struct dmpool_pool *pool;
	u64 last = 0;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	while ((pool = dmpool_pool_get_next(last)) != NULL) {
		dmpool_pool_stats(pool, st);
		dmpool_pool_put(pool);
		last = st->id;
		seq_printf(m, "%llu %s size=%llu local=%llu faults=%llu in_local=%llu in_remote=%llu out_local=%llu out_remote=%llu io_errors=%llu",
			   st->id, st->name, st->size, st->local_bytes,
			   st->faults, st->pages_in_local, st->pages_in_remote,
			   st->pages_out_local, st->pages_out_remote,
			   st->io_errors);
		dmpool_debugfs_hist(m, st->lat);
	}
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmpool_debugfs_pools);

static int dmpool_debugfs_peers_show(struct seq_file *m, void *v)
{
	struct dmpool_peer_info *p;
	u32 last = 0;

	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	while (!dmpool_peer_get_next(last, p)) {
		last = p->id;
		seq_printf(m, "%u state=%u rtt_ns=%llu pages_in=%llu pages_out=%llu io_errors=%llu",
			   p->id, p->state, p->rtt_ns, p->pages_in,
			   p->pages_out, p->io_errors);
		dmpool_debugfs_hist(m, p->lat);
	}
	kfree(p);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmpool_debugfs_peers);

void dmpool_debugfs_init(void)
{
	dmpool_debugfs_dir = debugfs_create_dir("dmpool", NULL);
	debugfs_create_file("pools", 0400, dmpool_debugfs_dir, NULL,
			    &dmpool_debugfs_pools_fops);
	debugfs_create_file("peers", 0400, dmpool_debugfs_dir, NULL,
			    &dmpool_debugfs_peers_fops);
}

void dmpool_debugfs_exit(void)
{
	debugfs_remove(dmpool_debugfs_dir);
}
