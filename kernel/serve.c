// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool serve: the home side of the data path.
 *
 * Peers send GET and PUT requests for the pages of placed pools whose
 * extents this node homes, FENCE requests raising a file's newest fencing
 * token, and MEM requests for this node's exposed memory.  The handlers
 * run in the receive thread of the peer's connection (msg.c), one request
 * at a time per connection, and never wait for the network.
 *
 * Nothing from the wire is trusted: the payload length must match the
 * request exactly, the page range must lie inside the pool and inside one
 * extent whose first home is this node, and the pool must be installed
 * here.  Anything else is answered with an error status and the
 * connection carries on (a peer with a different map is a configuration
 * error, not an attack); only a malformed frame drops it (msg.c).
 */

#include <linux/overflow.h>

#include "remote.h"

/*
 * The request head (and a PUT's fencing stamp, file ID 0 if none),
 * checked against the payload length; -EINVAL if bad.  Return: the
 * offset of a PUT's pages in @req.
 */
static int dmpool_serve_parse(const void *req, u32 len, bool put,
			      u64 *pool_id, pgoff_t *index, u32 *nr,
			      struct dmpool_fence_stamp *stamp)
{
	const struct dmpool_wire_io *io = req;
	const struct dmpool_wire_fence *fence;
	u32 flags, head = sizeof(*io);
	u64 want;

	if (len < sizeof(*io))
		return -EINVAL;
	flags = dmpool_wire_get32(&io->flags);
	if (flags & ~(put ? DMPOOL_WIRE_IO_F_FENCED : 0))
		return -EINVAL;
	*nr = dmpool_wire_get32(&io->nr_pages);
	if (*nr < 1 || *nr > DMPOOL_WIRE_IO_MAX_PAGES)
		return -EINVAL;
	if (flags & DMPOOL_WIRE_IO_F_FENCED)
		head += sizeof(*fence);
	want = head + (put ? (u64)*nr * PAGE_SIZE : 0);
	if (len != want)
		return -EINVAL;
	*pool_id = dmpool_wire_get64(&io->pool_id);
	*index = dmpool_wire_get64(&io->index);
	stamp->file_id = 0;
	stamp->token = 0;
	if (flags & DMPOOL_WIRE_IO_F_FENCED) {
		fence = req + sizeof(*io);
		stamp->file_id = dmpool_wire_get64(&fence->file_id);
		stamp->token = dmpool_wire_get64(&fence->token);
		if (!stamp->file_id)
			return -EINVAL;
	}
	return head;
}

/*
 * The pool of a page request, referenced, if pages @index..@index+@nr-1
 * lie in it, in one extent homed here.
 */
static int dmpool_serve_pool(u64 pool_id, pgoff_t index, u32 nr,
			     struct dmpool_pool **poolp)
{
	struct dmpool_pool *pool;
	pgoff_t pages;
	int err = -ENXIO;

	pool = dmpool_pool_get(pool_id, NULL);
	if (!pool)
		return -ENOENT;
	pages = pool->size >> PAGE_SHIFT;
	if (!pool->map || index >= pages || nr > pages - index)
		goto out_put;
	if (dmpool_map_extent(pool->map, index) !=
	    dmpool_map_extent(pool->map, index + nr - 1))
		goto out_put;
	if (!dmpool_map_extent_local(pool->map,
				     dmpool_map_extent(pool->map, index)))
		goto out_put;
	*poolp = pool;
	return 0;
out_put:
	dmpool_pool_put(pool);
	return err;
}

/* The GET reply went out: the store pages may go with the pool. */
static void dmpool_serve_get_done(void *arg)
{
	dmpool_pool_put(arg);
}

/*
 * The reply is the store pages themselves (the zero page for pages never
 * written), sent without a copy into the reply buffer; the pool reference
 * keeps them until they are sent.
 */
static int dmpool_serve_get(struct dmpool_conn *conn, const void *req, u32 len,
			    void *reply, u32 *reply_len)
{
	struct dmpool_fence_stamp stamp;
	struct dmpool_pool *pool;
	pgoff_t index;
	u64 pool_id;
	u32 nr;
	int err;

	err = dmpool_serve_parse(req, len, false, &pool_id, &index, &nr,
				 &stamp);
	if (err < 0)
		return err;
	err = dmpool_serve_pool(pool_id, index, nr, &pool);
	if (err)
		return err;
	dmpool_store_pages(pool->area, index, nr,
			   dmpool_msg_reply_pages(conn, nr,
						  dmpool_serve_get_done, pool));
	*reply_len = 0;
	return 0;
}

static int dmpool_serve_put(struct dmpool_conn *conn, const void *req, u32 len,
			    void *reply, u32 *reply_len)
{
	struct dmpool_fence_stamp stamp;
	struct dmpool_pool *pool;
	unsigned int nofs;
	pgoff_t index;
	u64 pool_id;
	int head, err;
	u32 nr;

	head = dmpool_serve_parse(req, len, true, &pool_id, &index, &nr,
				  &stamp);
	if (head < 0)
		return head;
	/* A stamp only where both ends offered fencing. */
	if (stamp.file_id && !(conn->features & DMPOOL_WIRE_FEAT_FENCE))
		return -EINVAL;
	err = dmpool_serve_pool(pool_id, index, nr, &pool);
	if (err)
		return err;
	/* Fencing: a writer whose lock went to a newer holder is refused. */
	err = dmpool_fence_admit(pool->fences, &stamp);
	if (err == -ESTALE)
		atomic64_inc(&pool->ctr.stale_refused);
	if (err)
		goto out_put;
	/* As in write-back: this thread must not recurse into filesystems. */
	nofs = memalloc_nofs_save();
	err = dmpool_store_write_buf(pool->area, index, nr, req + head);
	memalloc_nofs_restore(nofs);
out_put:
	*reply_len = 0;
	dmpool_pool_put(pool);
	return err;
}

static int dmpool_serve_mem(struct dmpool_conn *conn, const void *req, u32 len,
			    void *reply, u32 *reply_len)
{
	struct dmpool_wire_mem *m = reply;

	if (len)
		return -EINVAL;
	dmpool_wire_put64(&m->capacity, dmpool_store_capacity());
	dmpool_wire_put64(&m->committed, dmpool_store_committed());
	dmpool_wire_put64(&m->used, dmpool_store_used());
	*reply_len = sizeof(*m);
	return 0;
}

/*
 * FENCE: a file's mutex went to a new holder after the node of the last
 * one died; from now on older tokens of the file are refused here.  The
 * answer is the file's newest token here before.
 */
static int dmpool_serve_fence(struct dmpool_conn *conn, const void *req,
			      u32 len, void *reply, u32 *reply_len)
{
	const struct dmpool_wire_fence_raise *fr = req;
	struct dmpool_wire_fence_newest *nw = reply;
	struct dmpool_fence_stamp stamp;
	struct dmpool_pool *pool;
	u64 newest;
	int err;

	*reply_len = 0;
	if (!(conn->features & DMPOOL_WIRE_FEAT_FENCE_RAISE) ||
	    len != sizeof(*fr))
		return -EINVAL;
	stamp.file_id = dmpool_wire_get64(&fr->fence.file_id);
	stamp.token = dmpool_wire_get64(&fr->fence.token);
	if (!stamp.file_id)
		return -EINVAL;
	pool = dmpool_pool_get(dmpool_wire_get64(&fr->pool_id), NULL);
	if (!pool)
		return -ENOENT;
	/* Only a home of some of the pool's pages keeps tokens. */
	err = -ENXIO;
	if (pool->map && dmpool_map_local_bytes(pool->map, pool->size))
		err = dmpool_fence_raise(pool->fences, &stamp, &newest);
	dmpool_pool_put(pool);
	if (err)
		return err;
	dmpool_wire_put64(&nw->token, newest);
	*reply_len = sizeof(*nw);
	return 0;
}

/* Register the handlers; before the first connection can exist. */
void dmpool_serve_init(void)
{
	dmpool_msg_register(DMPOOL_WIRE_GET, dmpool_serve_get);
	dmpool_msg_register(DMPOOL_WIRE_PUT, dmpool_serve_put);
	dmpool_msg_register(DMPOOL_WIRE_MEM, dmpool_serve_mem);
	dmpool_msg_register(DMPOOL_WIRE_FENCE, dmpool_serve_fence);
}

/* After the last connection is gone. */
void dmpool_serve_exit(void)
{
	dmpool_msg_unregister(DMPOOL_WIRE_FENCE);
	dmpool_msg_unregister(DMPOOL_WIRE_MEM);
	dmpool_msg_unregister(DMPOOL_WIRE_PUT);
	dmpool_msg_unregister(DMPOOL_WIRE_GET);
}
