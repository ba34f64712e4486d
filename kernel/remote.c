// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool remote pages: the client side of the data path to other nodes.
 *
 * The page cache (pagecache.c) asks this file to fill folios whose home is
 * another node and to write dirty ones back there.  A request moves up to
 * DMPOOL_WIRE_IO_MAX_PAGES contiguous pages of one extent: GET (reply: the
 * pages) and PUT (request: the pages).  Page data is copied straight
 * between the folios and the socket (msg.c, tcp.c): no bounce buffer on
 * the sending side, one copy out of the receive buffer on the other.
 *
 * Pipelines.  Readahead and write-back see a run of folios in index order.
 * A struct dmpool_rpipe groups them into requests (a new request starts at
 * a gap, at an extent boundary, at a change of home, or when one is full)
 * and keeps up to DMPOOL_RPIPE_DEPTH requests in flight, so a sequential
 * scan is limited by the link and not by one round trip per request.  The
 * folios of a request stay locked until its reply: a locked folio cannot
 * change under a PUT, nor be seen half-filled by a GET.  When a request is
 * done, the pipeline's owner decides what happens to its folios (mark
 * uptodate, end write-back, redirty) through its ->done callback.
 *
 * Readahead does not wait for its pipeline: dmpool_rpipe_drain_async()
 * hands the requests in flight to a work item (workqueue "dmpool_ra"),
 * which waits for them and completes their folios, while the reader goes
 * on with the pages it already has.  A reader that reaches a folio still
 * in flight sleeps on the folio lock, killable, as it would on a block
 * device's read; the work holds an inode reference until its last folio
 * is unlocked, and the module's exit drains the workqueue (after the
 * transport ended every request) before the pools' filesystem goes.
 *
 * Bounded waits.  Every request has a deadline, request_timeout_ms after
 * it was started; that bounds the wait for a connection to the home (a
 * peer that is reconnecting gets that long to come back) and for the
 * reply.  Waits are killable.  A request that fails is counted in the
 * pool's and the peer's io_errors; the caller turns it into -EIO (read,
 * SIGBUS on a fault) or a redirtied folio (write-back).
 *
 * Memory figures.  A delayed work asks every connected peer, once a
 * second, for its exposed memory (MEM); the last answers are kept here
 * for MEM_GET and placement.
 *
 * Locking: a pipeline belongs to one task at a time (its builder, then
 * the work that drains it, if any).  dmpool_remote_mem_lock
 * (spinlock) protects the table of peers' figures.
 */

#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "remote.h"

#define DMPOOL_MEM_INTERVAL_MS	1000

/* Completes readahead pipelines (dmpool_rpipe_drain_async()). */
static struct workqueue_struct *dmpool_ra_wq;
/*
 * Pipelines handed to it, at most DMPOOL_RA_ASYNC_MAX: past that, readahead
 * waits for its own requests again, so that readahead(2) or WILLNEED in a
 * loop cannot pile up locked folios and requests without bound.
 */
#define DMPOOL_RA_ASYNC_MAX	32
static atomic_t dmpool_ra_async = ATOMIC_INIT(0);

/* ---------------------------------------------------------------- calls */

/* Fill @rio's request head and message for pool @pool. */
static void dmpool_rio_prepare(struct dmpool_rio *rio,
			       struct dmpool_pool *pool)
{
	struct dmpool_msg_call *c = &rio->call;

	bool fenced = rio->write && rio->fence.file_id;

	dmpool_wire_put64(&rio->wire.head.pool_id, pool->id);
	dmpool_wire_put64(&rio->wire.head.index, rio->index);
	dmpool_wire_put32(&rio->wire.head.nr_pages, rio->nr);
	dmpool_wire_put32(&rio->wire.head.flags,
			  fenced ? DMPOOL_WIRE_IO_F_FENCED : 0);
	dmpool_wire_put64(&rio->wire.fence.file_id, rio->fence.file_id);
	dmpool_wire_put64(&rio->wire.fence.token, rio->fence.token);

	memset(c, 0, sizeof(*c));
	c->type = rio->write ? DMPOOL_WIRE_PUT : DMPOOL_WIRE_GET;
	c->req = &rio->wire;
	c->req_len = sizeof(rio->wire.head) +
		     (fenced ? sizeof(rio->wire.fence) : 0);
	if (rio->write) {
		c->req_pages = rio->pages;
		c->req_nr = rio->nr;
	} else {
		c->reply_pages = rio->pages;
		c->reply_nr = rio->nr;
	}
}

/*
 * Send @rio's request to its home.  On failure @rio->err is set and the
 * request counts as done; there is nothing to finish.
 */
static void dmpool_rio_start(struct dmpool_rio *rio, struct dmpool_pool *pool)
{
	struct dmpool_conn *conn;
	int err;

	might_sleep();
	dmpool_rio_prepare(rio, pool);
	rio->call.deadline = jiffies + dmpool_request_timeout();
	rio->t0 = ktime_get_ns();
	rio->stats = NULL;
	rio->started = false;

	err = dmpool_peer_conn_get(rio->home, rio->call.deadline, &conn);
	if (err) {
		rio->err = err;
		return;
	}
	/* A peer without fencing gets the PUT unstamped. */
	if (!(conn->features & DMPOOL_WIRE_FEAT_FENCE)) {
		dmpool_wire_put32(&rio->wire.head.flags, 0);
		rio->call.req_len = sizeof(rio->wire.head);
	}
	/* The peer's counters: ours until finished, even if it is deleted. */
	rio->stats = conn->stats;
	dmpool_link_stats_get(rio->stats);
	err = dmpool_msg_start(conn, &rio->call);
	dmpool_conn_put(conn);		/* the call holds its own */
	if (err) {
		rio->err = err;
		return;
	}
	rio->started = true;
}

/* Wait for @rio's reply (if it was sent) and count the outcome. */
static int dmpool_rio_finish(struct dmpool_rio *rio, struct dmpool_pool *pool)
{
	struct dmpool_link_stats *stats = rio->stats;
	u64 ns;
	int err;

	err = rio->started ? dmpool_msg_finish(&rio->call) : rio->err;
	rio->started = false;
	rio->err = err;
	rio->stats = NULL;
	if (err) {
		/* A stale write-back refused by the home is no I/O error. */
		if (err != -ESTALE) {
			atomic64_inc(&pool->ctr.io_errors);
			if (stats)
				atomic64_inc(&stats->io_errors);
		}
		if (stats)
			dmpool_link_stats_put(stats);
		return err;
	}
	ns = ktime_get_ns() - rio->t0;
	if (rio->write) {
		atomic64_add(rio->nr, &pool->ctr.pages_out_remote);
		atomic64_add(rio->nr, &stats->pages_out);
	} else {
		atomic64_add(rio->nr, &pool->ctr.pages_in_remote);
		atomic64_add(rio->nr, &stats->pages_in);
		dmpool_lat_record(&pool->ctr.lat, ns);
	}
	dmpool_lat_record(&stats->lat, ns);
	dmpool_link_stats_put(stats);
	return 0;
}

/**
 * dmpool_remote_page() - read or write one page at its home, and wait
 * @pool:  the pool
 * @home:  the node holding @page's extent (not this one)
 * @index: the page's index in the pool
 * @page:  the page (of a locked folio)
 * @write: PUT if true, GET otherwise
 * @fence: a PUT's fencing stamp (fence.c), or NULL
 *
 * Return: 0 or the request's -errno (-ESTALE: the home refused a stale
 * PUT).
 */
int dmpool_remote_page(struct dmpool_pool *pool, u32 home, pgoff_t index,
		       struct page *page, bool write,
		       const struct dmpool_fence_stamp *fence)
{
	struct dmpool_rio *rio;
	int err;

	/* About 1 KiB: not on the stack of a page fault. */
	rio = kmalloc(sizeof(*rio), GFP_NOFS);
	if (!rio)
		return -ENOMEM;
	rio->home = home;
	rio->index = index;
	rio->nr = 1;
	rio->write = write;
	rio->err = 0;
	rio->pages[0] = page;
	rio->fence = fence ? *fence : (struct dmpool_fence_stamp){};
	dmpool_rio_start(rio, pool);
	err = dmpool_rio_finish(rio, pool);
	kfree(rio);
	return err;
}

/* ------------------------------------------------------------ pipelines */

/**
 * dmpool_rpipe_alloc() - a pipeline of page requests for one pool
 * @pool:  the pool
 * @write: PUT (write-back) or GET (readahead)
 * @done:  called for each request when it ended, in the order requests
 *         were made, with its folios still locked; it must unlock them
 * @priv:  for @done
 *
 * Return: the pipeline, or NULL if out of memory (the caller then moves
 * page by page with dmpool_remote_page()).
 */
struct dmpool_rpipe *dmpool_rpipe_alloc(struct dmpool_pool *pool, bool write,
					dmpool_rpipe_done_t done, void *priv)
{
	struct dmpool_rpipe *p;
	unsigned int nofs;

	/* About 10 KiB: vmalloc may help; no recursion into filesystems. */
	nofs = memalloc_nofs_save();
	p = kvmalloc(sizeof(*p), GFP_KERNEL | __GFP_NOWARN);
	memalloc_nofs_restore(nofs);
	if (!p)
		return NULL;
	p->pool = pool;
	p->write = write;
	p->done = done;
	p->priv = priv;
	p->first = 0;
	p->used = 0;
	p->building = NULL;
	p->failed_home = 0;
	return p;
}

/* Finish the oldest request and hand it to ->done. */
static void dmpool_rpipe_complete_oldest(struct dmpool_rpipe *p)
{
	struct dmpool_rio *rio = &p->rio[p->first];
	int err;

	err = dmpool_rio_finish(rio, p->pool);
	/* The home's own answers (ENOENT, ENXIO, ...) say nothing of it. */
	if (err == -ETIMEDOUT || err == -ECONNRESET || err == -ENOTCONN ||
	    err == -EHOSTUNREACH || err == -EINTR)
		p->failed_home = rio->home;
	p->done(p, rio, err);
	p->first = (p->first + 1) % DMPOOL_RPIPE_DEPTH;
	p->used--;
}

/* Send the request being built, if any. */
static void dmpool_rpipe_submit(struct dmpool_rpipe *p)
{
	if (!p->building)
		return;
	if (p->building->home == p->failed_home)
		p->building->err = -EIO;	/* counted when finished */
	else
		dmpool_rio_start(p->building, p->pool);
	p->building = NULL;
}

/* Can @rio take the page at @index of @home? */
static bool dmpool_rio_extends(const struct dmpool_rio *rio,
			       const struct dmpool_map *map, u32 home,
			       pgoff_t index,
			       const struct dmpool_fence_stamp *fence)
{
	return rio->home == home && rio->index + rio->nr == index &&
	       rio->fence.file_id == fence->file_id &&
	       rio->fence.token == fence->token &&
	       rio->nr < DMPOOL_WIRE_IO_MAX_PAGES &&
	       dmpool_map_extent(map, index) ==
	       dmpool_map_extent(map, rio->index);
}

/**
 * dmpool_rpipe_add() - queue a locked single-page folio for its home
 * @p:     the pipeline
 * @home:  the node holding the folio's extent (not this one)
 * @folio: the folio, locked; for write-back, with its dirty bit cleared
 * @fence: for write-back, the page's fencing stamp, or NULL; a request
 *         holds pages of one stamp only
 *
 * May send requests and complete older ones (calling ->done), so it may
 * sleep up to the request timeout.
 */
void dmpool_rpipe_add(struct dmpool_rpipe *p, u32 home, struct folio *folio,
		      const struct dmpool_fence_stamp *fence)
{
	static const struct dmpool_fence_stamp none;
	struct dmpool_rio *rio = p->building;

	if (!fence)
		fence = &none;
	if (rio && dmpool_rio_extends(rio, p->pool->map, home, folio->index,
				      fence)) {
		rio->pages[rio->nr++] = folio_page(folio, 0);
		return;
	}
	dmpool_rpipe_submit(p);
	if (p->used == DMPOOL_RPIPE_DEPTH)
		dmpool_rpipe_complete_oldest(p);

	rio = &p->rio[(p->first + p->used) % DMPOOL_RPIPE_DEPTH];
	p->used++;
	rio->home = home;
	rio->index = folio->index;
	rio->nr = 1;
	rio->write = p->write;
	rio->err = 0;
	rio->started = false;
	rio->stats = NULL;
	rio->pages[0] = folio_page(folio, 0);
	rio->fence = *fence;
	p->building = rio;
}

/**
 * dmpool_rpipe_drain() - send what is queued and complete everything
 * @p: the pipeline; freed on return
 */
void dmpool_rpipe_drain(struct dmpool_rpipe *p)
{
	dmpool_rpipe_submit(p);
	while (p->used)
		dmpool_rpipe_complete_oldest(p);
	kvfree(p);
}

static void dmpool_rpipe_drain_work(struct work_struct *work)
{
	struct dmpool_rpipe *p = container_of(work, struct dmpool_rpipe, work);
	struct inode *inode = p->inode;

	dmpool_rpipe_drain(p);
	atomic_dec(&dmpool_ra_async);
	/* May be the last reference: the pool goes with it. */
	iput(inode);
}

/**
 * dmpool_rpipe_drain_async() - send what is queued, complete it later
 * @p:     the pipeline; freed when its last request is done
 * @inode: the pool's inode, which must stay until then
 *
 * The requests are sent at once; a work item waits for their replies
 * (each until its deadline) and calls ->done for each.  With nothing in
 * flight @p is just freed.  If DMPOOL_RA_ASYNC_MAX pipelines are being
 * completed already, or @inode is being freed, this drains @p before it
 * returns instead.
 */
void dmpool_rpipe_drain_async(struct dmpool_rpipe *p, struct inode *inode)
{
	dmpool_rpipe_submit(p);
	if (!p->used) {
		kvfree(p);
		return;
	}
	if (atomic_inc_return(&dmpool_ra_async) > DMPOOL_RA_ASYNC_MAX)
		goto sync;
	p->inode = igrab(inode);
	if (!p->inode)
		goto sync;
	INIT_WORK(&p->work, dmpool_rpipe_drain_work);
	queue_work(dmpool_ra_wq, &p->work);
	return;
sync:
	atomic_dec(&dmpool_ra_async);
	dmpool_rpipe_drain(p);
}

/* ------------------------------------------------------------- fencing */

/*
 * Ask peer @id to raise the newest token of @stamp's file in @pool; *@newest
 * gets the peer's newest before.
 */
static int dmpool_remote_fence_one(struct dmpool_pool *pool, u32 id,
				   const struct dmpool_fence_stamp *stamp,
				   u64 *newest)
{
	struct dmpool_wire_fence_newest nw;
	struct dmpool_wire_fence_raise fr;
	struct dmpool_conn *conn;
	u32 len = 0;
	int err;

	err = dmpool_peer_conn_get(id, jiffies + dmpool_request_timeout(),
				   &conn);
	if (err)
		return err;
	err = -EOPNOTSUPP;
	if (conn->features & DMPOOL_WIRE_FEAT_FENCE_RAISE) {
		dmpool_wire_put64(&fr.pool_id, pool->id);
		dmpool_wire_put64(&fr.fence.file_id, stamp->file_id);
		dmpool_wire_put64(&fr.fence.token, stamp->token);
		err = dmpool_msg_call(conn, DMPOOL_WIRE_FENCE, &fr, sizeof(fr),
				      &nw, sizeof(nw), &len);
	}
	dmpool_conn_put(conn);
	if (!err && len != sizeof(nw))
		err = -EPROTO;
	if (!err) {
		*newest = dmpool_wire_get64(&nw.token);
		if (*newest > DMPOOL_TOKEN_MAX)
			err = -EPROTO;
	}
	return err;
}

/**
 * dmpool_remote_fence_raise() - tell a file's homes its mutex has a new holder
 * @pool:  a placed pool
 * @stamp: the file and the new holder's token
 * @first: the file's first page
 * @last:  its last page
 * @newest: out: the newest token of the file the homes reached had before
 *          (0 if none)
 *
 * Every node homing a page of @first..@last raises the file's newest token
 * to @stamp's: this node in its own table, peers by a FENCE request, one
 * after another, each within the request timeout.  A home that had seen
 * @stamp's token or a newer one already says so in *@newest.
 *
 * Context: process, may sleep.
 * Return: 0, or the first error; *@newest covers the homes that answered.
 */
int dmpool_remote_fence_raise(struct dmpool_pool *pool,
			      const struct dmpool_fence_stamp *stamp,
			      pgoff_t first, pgoff_t last, u64 *newest)
{
	const struct dmpool_map *map = pool->map;
	DECLARE_BITMAP(nodes, DMPOOL_NODES_MAX + 1);
	u32 e, r, id;
	int err, ret = 0;
	u64 n;

	might_sleep();
	bitmap_zero(nodes, DMPOOL_NODES_MAX + 1);
	for (e = dmpool_map_extent(map, first);
	     e <= dmpool_map_extent(map, last); e++)
		for (r = 0; r < map->replicas; r++)
			__set_bit(map->homes[e * map->replicas + r], nodes);
	*newest = 0;
	for_each_set_bit(id, nodes, DMPOOL_NODES_MAX + 1) {
		if (id == map->self)
			err = dmpool_fence_raise(pool->fences, stamp, &n);
		else
			err = dmpool_remote_fence_one(pool, id, stamp, &n);
		if (!err)
			*newest = max(*newest, n);
		else if (!ret)
			ret = err;
	}
	return ret;
}

/* ------------------------------------------------------ memory figures */

/**
 * struct dmpool_remote_mem - the last MEM answer of one peer
 * @valid:     an answer arrived
 * @when:      jiffies when it arrived
 * @capacity:  the peer's exposed bytes
 * @committed: of which promised to pools
 * @used:      of which allocated
 */
struct dmpool_remote_mem {
	bool valid;
	unsigned long when;
	u64 capacity, committed, used;
};

static DEFINE_SPINLOCK(dmpool_remote_mem_lock);
/* Protected by dmpool_remote_mem_lock; index: node ID. */
static struct dmpool_remote_mem dmpool_remote_mems[DMPOOL_NODES_MAX + 1];
/* Bumped by forget, so that a poll in flight then stores nothing. */
static u32 dmpool_remote_mem_gen[DMPOOL_NODES_MAX + 1];
static struct delayed_work dmpool_mem_work;
static bool dmpool_mem_stopping;	/* READ_ONCE; set once at exit */

/* Ask peer @id for its figures; forget them if it has none to give. */
static void dmpool_remote_mem_poll(u32 id)
{
	struct dmpool_remote_mem m = { .valid = true };
	struct dmpool_wire_mem reply;
	struct dmpool_conn *conn;
	u32 len = 0, gen;
	int err;

	spin_lock(&dmpool_remote_mem_lock);
	gen = dmpool_remote_mem_gen[id];
	spin_unlock(&dmpool_remote_mem_lock);
	/* No wait for a connection: the next round will see it. */
	err = dmpool_peer_conn_get(id, jiffies, &conn);
	if (err)
		return;
	err = -EOPNOTSUPP;
	if (conn->features & DMPOOL_WIRE_FEAT_MEM)
		err = dmpool_msg_call(conn, DMPOOL_WIRE_MEM, NULL, 0, &reply,
				      sizeof(reply), &len);
	dmpool_conn_put(conn);
	if (err || len != sizeof(reply))
		return;
	m.when = jiffies;
	m.capacity = dmpool_wire_get64(&reply.capacity);
	m.committed = dmpool_wire_get64(&reply.committed);
	m.used = dmpool_wire_get64(&reply.used);
	spin_lock(&dmpool_remote_mem_lock);
	if (dmpool_remote_mem_gen[id] == gen)
		dmpool_remote_mems[id] = m;
	spin_unlock(&dmpool_remote_mem_lock);
}

static void dmpool_remote_mem_work(struct work_struct *work)
{
	struct dmpool_peer_info *info;
	u32 id = 0;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (info) {
		while (!READ_ONCE(dmpool_mem_stopping) &&
		       !dmpool_peer_get_next(id, info)) {
			id = info->id;
			if (info->state == DMPOOL_PEER_CONNECTED)
				dmpool_remote_mem_poll(id);
		}
		kfree(info);
	}
	if (!READ_ONCE(dmpool_mem_stopping))
		queue_delayed_work(system_unbound_wq, &dmpool_mem_work,
				   msecs_to_jiffies(DMPOOL_MEM_INTERVAL_MS));
}

/**
 * dmpool_remote_mem_get() - the last memory figures reported by peer @id
 * @id:     the peer's node ID
 * @out:    out: its figures
 * @age_ms: out: how old they are
 *
 * Return: true if the peer ever answered.
 */
bool dmpool_remote_mem_get(u32 id, struct dmpool_mem_figures *out,
			   u32 *age_ms)
{
	struct dmpool_remote_mem m;

	if (id == 0 || id > DMPOOL_NODES_MAX)
		return false;
	spin_lock(&dmpool_remote_mem_lock);
	m = dmpool_remote_mems[id];
	spin_unlock(&dmpool_remote_mem_lock);
	if (!m.valid)
		return false;
	out->capacity = m.capacity;
	out->committed = m.committed;
	out->used = m.used;
	*age_ms = min_t(u64, jiffies_to_msecs(jiffies - m.when), U32_MAX);
	return true;
}

/* Forget what peer @id reported (it was deleted). */
void dmpool_remote_mem_forget(u32 id)
{
	if (id == 0 || id > DMPOOL_NODES_MAX)
		return;
	spin_lock(&dmpool_remote_mem_lock);
	dmpool_remote_mems[id].valid = false;
	dmpool_remote_mem_gen[id]++;
	spin_unlock(&dmpool_remote_mem_lock);
}

/* Return: 0, or -ENOMEM. */
int dmpool_remote_init(void)
{
	/* A rescuer: readers (and reclaim) may wait for these folios. */
	dmpool_ra_wq = alloc_workqueue("dmpool_ra", WQ_UNBOUND | WQ_MEM_RECLAIM,
				       0);
	if (!dmpool_ra_wq)
		return -ENOMEM;
	INIT_DELAYED_WORK(&dmpool_mem_work, dmpool_remote_mem_work);
	queue_delayed_work(system_unbound_wq, &dmpool_mem_work,
			   msecs_to_jiffies(DMPOOL_MEM_INTERVAL_MS));
	return 0;
}

/*
 * Stop polling and wait for the readahead works; call after the transport
 * ended (every request in flight is then done) and before the pools go.
 */
void dmpool_remote_exit(void)
{
	WRITE_ONCE(dmpool_mem_stopping, true);
	cancel_delayed_work_sync(&dmpool_mem_work);
	destroy_workqueue(dmpool_ra_wq);
}
