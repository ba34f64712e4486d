/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module's generic netlink replies say, decoded and checked.
 */
#ifndef DMPOOLCTL_REPLY_H
#define DMPOOLCTL_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <linux/dmpool.h>

#include "cli.h"

/* A latency histogram (DMPOOL_A_LAT_HIST): bucket i = [2^i, 2^(i+1)) us. */
struct ctl_hist {
	bool has;
	uint64_t bucket[DMPOOL_LAT_BUCKETS];
};

/* The page-traffic counters of a pool, in attribute order. */
enum pool_counter {
	POOL_CTR_FAULTS,
	POOL_CTR_IN_LOCAL,
	POOL_CTR_IN_REMOTE,
	POOL_CTR_OUT_LOCAL,
	POOL_CTR_OUT_REMOTE,
	POOL_CTR_IO_ERRORS,
	POOL_CTR_STALE_REFUSED,
	POOL_CTR_STALE_WRITES,
	POOL_NCOUNTERS
};

/* One pool, as DMPOOL_CMD_POOL_GET/POOL_NEW describe it. */
struct ctl_pool {
	uint64_t id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	uint64_t size;
	bool has_attached, has_cached, has_stored;
	uint32_t attached;
	uint64_t cached;
	uint64_t stored;
	/* A placed pool (DMPOOL_FEAT_REMOTE): has_extent_size. */
	bool has_extent_size, has_replicas, has_local_bytes;
	uint64_t extent_size;
	uint32_t replicas;
	uint64_t local_bytes;
	bool has_counter[POOL_NCOUNTERS];
	uint64_t counter[POOL_NCOUNTERS];
	struct ctl_hist lat;
	struct ctl_policy policy;	/* DMPOOL_FEAT_POLICY, if reported */
};

/* A placed pool's map (DMPOOL_A_POOL_MAP): n == 0 when absent. */
struct ctl_map {
	size_t n;
	uint32_t node[DMPOOL_MAP_ENTRIES_MAX];
};

/* One entry of a DMPOOL_CMD_MEM_GET dump: this node or a peer. */
struct ctl_mem {
	uint32_t node_id;	/* 0: this node before node set */
	bool self;		/* MEM_SELF */
	bool has_state, has_age, has_used;
	uint32_t state;		/* DMPOOL_PEER_*, peers only */
	uint32_t age_ms;	/* peers only */
	uint64_t capacity;	/* STORE_CAPACITY: exposed bytes */
	uint64_t committed;	/* STORE_COMMITTED */
	uint64_t used;		/* STORE_USED: store pages allocated */
};

/* One file of a pool, as DMPOOL_CMD_FILE_GET/FILE_NEW describe it. */
struct ctl_file {
	uint64_t pool_id;
	uint64_t id;
	char name[DMPOOL_FILE_NAME_MAX + 1];
	uint64_t offset;	/* its first byte in the pool */
	uint64_t size;		/* bytes, as created */
	uint32_t permits;	/* of its semaphore */
	uint32_t mode;		/* permission bits */
	uint32_t uid, gid;	/* its owner (the creator) and group */
	struct ctl_policy policy;	/* grants (DMPOOL_FEAT_POLICY) */
};

/* The module, as DMPOOL_CMD_VERSION_GET describes it. */
struct ctl_version {
	uint32_t abi_version;
	uint64_t features;
	bool has_capacity, has_committed;
	uint64_t store_capacity;
	uint64_t store_committed;
};

/* This node, as DMPOOL_CMD_NODE_GET describes it. */
struct ctl_node {
	bool has_id;		/* NODE_SET done: id and addr are valid */
	uint32_t id;
	struct node_addr addr;
	bool key_set;
	uint32_t peers;
	uint32_t req_timeout_ms;
	uint64_t rejected_auth;
	uint64_t rejected_malformed;
	uint64_t rejected_unknown;
};

/* One peer, as DMPOOL_CMD_PEER_GET describes it. */
struct ctl_peer {
	uint32_t id;
	struct node_addr addr;
	uint32_t state;		/* DMPOOL_PEER_* */
	uint64_t rtt_ns;	/* 0: not measured yet */
	uint64_t bytes_in, bytes_out;
	uint64_t frames_in, frames_out;
	uint64_t reconnects;
	uint64_t auth_failures;
	uint64_t malformed;
	/* DMPOOL_FEAT_REMOTE */
	bool has_pages_in, has_pages_out, has_io_errors;
	uint64_t pages_in, pages_out, io_errors;
	struct ctl_hist lat;
};

/*
 * Decode attributes already split by type (tb[DMPOOL_A_*], as from
 * nla_parse()).  Strict: every attribute present must have exactly its
 * type's length; a pool needs ID (nonzero), NAME (NUL-terminated, valid)
 * and SIZE; a version needs ABI_VERSION.  Attributes newer than this
 * program are ignored by nla_parse(), as the uapi's append-only rule
 * allows.  Return 0, or -1 with a reason in @why.
 */
int reply_pool(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_pool *pool,
	       char *why, size_t len);
int reply_version(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_version *ver,
		  char *why, size_t len);

/*
 * A node needs KEY_SET and the counters, and NODE_ID with ADDR and PORT
 * or none of them; a peer needs NODE_ID (1..DMPOOL_NODES_MAX), ADDR, PORT
 * and PEER_STATE; missing counters read as 0.
 */
int reply_node(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_node *node,
	       char *why, size_t len);
int reply_peer(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_peer *peer,
	       char *why, size_t len);

/*
 * A pool's optional placement, counters and histogram are decoded by
 * reply_pool(); replicas must be 1..DMPOOL_REPLICAS_MAX.  reply_map()
 * decodes POOL_MAP, if present, into @map: a nonzero multiple of 4 bytes,
 * at most DMPOOL_MAP_ENTRIES_MAX entries, each 1..DMPOOL_NODES_MAX.
 */
int reply_map(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_map *map,
	      char *why, size_t len);

/*
 * A memory entry needs NODE_ID (0..DMPOOL_NODES_MAX, 0 only on the entry
 * of this node), STORE_CAPACITY and STORE_COMMITTED; the rest is optional.
 */
int reply_mem(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_mem *mem,
	      char *why, size_t len);

/*
 * A file needs all of POOL_ID and FILE_ID (both nonzero), FILE_NAME (valid
 * as dmp_file_name_valid() says), FILE_OFFSET, FILE_SIZE, FILE_PERMITS
 * (1..DMPOOL_PERMITS_MAX), FILE_MODE (at most 0777), FILE_UID and FILE_GID.
 */
int reply_file(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_file *file,
	       char *why, size_t len);

/* Bytes of @m's exposed memory not committed to pools (never negative). */
uint64_t mem_free(const struct ctl_mem *m);

/* "connected", ...; "state N" for one this program does not know. */
const char *peer_state_str(uint32_t state, char *buf, size_t len);

/* Split a genl message's attributes into @tb (0 or -1 with @why). */
int reply_split(struct nlattr *attrs, int attrlen,
		struct nlattr *tb[DMPOOL_A_MAX + 1], char *why, size_t len);

#endif /* DMPOOLCTL_REPLY_H */
