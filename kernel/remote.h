/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool remote pages: the data path between nodes (remote.c, the client
 * side used by pagecache.c; serve.c, the home side registered with msg.c)
 * and the exchange of exposed-memory figures.
 */
#ifndef _DMPOOL_REMOTE_H
#define _DMPOOL_REMOTE_H

#include <linux/workqueue.h>

#include "dmpool.h"
#include "transport.h"

/* Requests a pipeline keeps in flight. */
#define DMPOOL_RPIPE_DEPTH	8

/**
 * struct dmpool_rio - one GET or PUT of contiguous pages of one extent
 * @home:    the node asked
 * @index:   first page
 * @nr:      pages, 1..DMPOOL_WIRE_IO_MAX_PAGES
 * @write:   PUT, else GET
 * @started: the request was sent and must be finished
 * @err:     the outcome, once finished
 * @t0:      ktime_get_ns() when started
 * @stats:   the home's link counters (a reference, from connected to
 *           finished)
 * @pages:   the pages, each of a locked single-page folio
 * @fence:   a PUT's fencing stamp (file ID 0: none); every page of the
 *           request has the same
 * @wire:    the request head on the wire, and a PUT's stamp
 * @call:    the message in flight
 */
struct dmpool_rio {
	u32 home;
	pgoff_t index;
	u32 nr;
	bool write;
	bool started;
	int err;
	u64 t0;
	struct dmpool_link_stats *stats;
	struct page *pages[DMPOOL_WIRE_IO_MAX_PAGES];
	struct dmpool_fence_stamp fence;
	struct {
		struct dmpool_wire_io head;
		struct dmpool_wire_fence fence;
	} __packed wire;
	struct dmpool_msg_call call;
};

struct dmpool_rpipe;

/* Called for each finished request with its folios locked; unlocks them. */
typedef void (*dmpool_rpipe_done_t)(struct dmpool_rpipe *p,
				    struct dmpool_rio *rio, int err);

/**
 * struct dmpool_rpipe - requests of one readahead or write-back, in order
 * @pool:     the pool
 * @write:    PUT pipeline, else GET
 * @done:     the owner's completion callback
 * @priv:     for @done
 * @first:    ring index of the oldest request
 * @used:     requests in the ring (in flight, and the one being built)
 * @building: the newest request, still taking pages, or NULL
 * @failed_home: a home whose request failed (0: none): the pipeline's
 *            later requests to it fail at once, so that a dead home costs
 *            one timeout per readahead or write-back, not one per request
 * @inode:    for dmpool_rpipe_drain_async(): the pool's inode (a
 *            reference, until the last request is done)
 * @work:     for dmpool_rpipe_drain_async()
 * @rio:      the ring
 */
struct dmpool_rpipe {
	struct dmpool_pool *pool;
	bool write;
	dmpool_rpipe_done_t done;
	void *priv;
	unsigned int first;
	unsigned int used;
	struct dmpool_rio *building;
	u32 failed_home;
	struct inode *inode;
	struct work_struct work;
	struct dmpool_rio rio[DMPOOL_RPIPE_DEPTH];
};

/**
 * struct dmpool_mem_figures - a node's exposed memory
 * @capacity:  bytes its store lends
 * @committed: bytes promised to pools
 * @used:      bytes of store pages allocated
 */
struct dmpool_mem_figures {
	u64 capacity;
	u64 committed;
	u64 used;
};

int dmpool_remote_page(struct dmpool_pool *pool, u32 home, pgoff_t index,
		       struct page *page, bool write,
		       const struct dmpool_fence_stamp *fence);
struct dmpool_rpipe *dmpool_rpipe_alloc(struct dmpool_pool *pool, bool write,
					dmpool_rpipe_done_t done, void *priv);
void dmpool_rpipe_add(struct dmpool_rpipe *p, u32 home, struct folio *folio,
		      const struct dmpool_fence_stamp *fence);
void dmpool_rpipe_drain(struct dmpool_rpipe *p);
void dmpool_rpipe_drain_async(struct dmpool_rpipe *p, struct inode *inode);
int dmpool_remote_fence_raise(struct dmpool_pool *pool,
			      const struct dmpool_fence_stamp *stamp,
			      pgoff_t first, pgoff_t last, u64 *newest);
bool dmpool_remote_mem_get(u32 id, struct dmpool_mem_figures *out,
			   u32 *age_ms);
void dmpool_remote_mem_forget(u32 id);
int dmpool_remote_init(void);
void dmpool_remote_exit(void);

void dmpool_serve_init(void);
void dmpool_serve_exit(void);

void dmpool_debugfs_init(void);
void dmpool_debugfs_exit(void);

#endif /* _DMPOOL_REMOTE_H */
