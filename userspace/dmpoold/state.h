/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster snapshot: what every dmpoold agrees on, its canonical
 * encoding, its checksum, and its persistence.  Pure data and pure
 * functions (no I/O but st_save()/st_load()), so unit tests cover it.
 */
#ifndef DMPOOLD_STATE_H
#define DMPOOLD_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/dmpool.h>

#include "dpolicy.h"

#define ST_MAGIC		0x53504d44U	/* "DMPS" little-endian */
#define ST_VERSION		3U	/* 3: quorum generation, pool policies */
#define ST_VERSION_V1		1U	/* decoded: qgen 0, policies root:root 0666 */
/* No encoding is larger: 1024 pools with 8192-entry maps fit. */
#define ST_ENCODED_MAX		(48U << 20)
#define ST_VERSION_STR_MAX	63

struct st_node {
	uint32_t id;			/* 1..DMPOOL_NODES_MAX */
	uint32_t state;			/* DMPOOL_NODE_MEMBER/DOWN/JOINING */
	uint8_t addr_len;		/* 0 (not announced yet), 4 or 16 */
	uint8_t addr[16];		/* network byte order */
	uint16_t port;
	uint64_t capacity;		/* exposed bytes (NODE_ANNOUNCE) */
	uint64_t committed;		/* sum of its shares of the pools */
	char version[ST_VERSION_STR_MAX + 1];
};

struct st_pool {
	uint64_t id;			/* DMPOOL_POOL_ID_CLUSTER | seq */
	char name[DMPOOL_POOL_NAME_MAX + 1];
	uint64_t size;			/* bytes, a multiple of 4096 */
	uint64_t extent;		/* bytes per extent */
	uint32_t replicas;
	uint64_t ttl_ms;		/* DMPOOL_TTL_FOREVER: never */
	uint64_t idle_epoch;		/* epoch it became idle (0: active) */
	struct dpolicy policy;		/* owner, group, mode, sorted grants */
	uint32_t nmap;
	uint32_t *map;			/* nmap node IDs */
	uint32_t attach[DMPOOL_NODES_MAX];	/* per node ID - 1 */
};

struct snapshot {
	char name[DMPOOL_CLUSTER_NAME_MAX + 1];
	uint64_t epoch;
	/*
	 * The quorum generation: one more for every change applied with
	 * quorum (cluster.c).  A partition without quorum never raises it,
	 * so the sync rule prefers the snapshot of the side that could
	 * change pools.
	 */
	uint64_t qgen;
	uint64_t next_seq;		/* the next pool's sequence number */
	size_t nnodes;			/* sorted by id */
	struct st_node nodes[DMPOOL_NODES_MAX];
	size_t npools;			/* sorted by id */
	struct st_pool *pools;		/* DMPOOL_POOLS_MAX of them */
};

/* An empty snapshot (pools array allocated); -1 out of memory. */
int st_init(struct snapshot *s);
void st_free(struct snapshot *s);
/* Empty @s (a machine joining another cluster forgets this one); 0 or -1. */
int st_reset(struct snapshot *s);
/* Deep copy into @dst (st_init'ed or zeroed and freed after); 0 or -1. */
int st_copy(struct snapshot *dst, const struct snapshot *src);

struct st_node *st_node(struct snapshot *s, uint32_t id);
const struct st_node *st_node_c(const struct snapshot *s, uint32_t id);
/* Find or add node @id (state JOINING); NULL if the table is full. */
struct st_node *st_node_add(struct snapshot *s, uint32_t id);
void st_node_remove(struct snapshot *s, uint32_t id);

struct st_pool *st_pool_by_id(struct snapshot *s, uint64_t id);
struct st_pool *st_pool_by_name(struct snapshot *s, const char *name);
/* Insert a copy of @p (the map is copied); -1 on error. */
int st_pool_add(struct snapshot *s, const struct st_pool *p);
void st_pool_remove(struct snapshot *s, uint64_t id);
/* Attachments of @p on all nodes. */
uint64_t st_pool_attached(const struct st_pool *p);

/* Recompute every node's committed bytes from the pools' maps. */
void st_recompute_committed(struct snapshot *s);

/*
 * The canonical encoding: little-endian, fixed field order, nodes and
 * pools sorted by ID, attach counts as (node, count) pairs of nonzero
 * counts.  *@buf is malloc'd.  0 or -1 (out of memory).
 */
int st_encode(const struct snapshot *s, uint8_t **buf, size_t *len);
/*
 * Decode @len bytes into @s (st_init'ed; replaced).  Every length is
 * checked before use; 0, or -1 with a reason in @why (and @s left empty).
 * Version 1 (before policies) is upgraded: its pools get the module's
 * default policy, root:root 0666 without grants.
 */
int st_decode(struct snapshot *s, const uint8_t *buf, size_t len,
	      char *why, size_t whylen);
/* SHA-256 of the canonical encoding; 0 or -1. */
int st_checksum(const struct snapshot *s, uint8_t out[DMPOOL_CHECKSUM_LEN]);
/* The first 8 bytes of the checksum in hex, for logs. */
const char *st_checksum_short(const uint8_t sum[DMPOOL_CHECKSUM_LEN],
			      char buf[17]);

/*
 * Persist atomically in @dir: state.tmp, fsync, rename to "state", fsync
 * the directory.  0 or -1 with errno.
 */
int st_save(const struct snapshot *s, const char *dir);
/* Load @dir/state: 0, 1 when there is none, -1 with a reason. */
int st_load(struct snapshot *s, const char *dir, char *why, size_t len);

/*
 * The sync rule: of @n candidate snapshots from node @ids, the one to
 * adopt: highest quorum generation, then highest epoch, ties to the
 * lowest node ID.  Returns its index.
 */
size_t st_sync_pick(const uint64_t *qgens, const uint64_t *epochs,
		    const uint32_t *ids, size_t n);

#endif /* DMPOOLD_STATE_H */
