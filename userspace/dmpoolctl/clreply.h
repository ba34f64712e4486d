/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster (DMPOOL_FEAT_CLUSTER) as the module's replies describe it:
 * CLUSTER_GET, the CLUSTER_REQ reply and its REQ_RESULT, EVENT messages.
 * Decoded strictly, like reply.c, by pure functions.
 */
#ifndef DMPOOLCTL_CLREPLY_H
#define DMPOOLCTL_CLREPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <linux/dmpool.h>

#include "reply.h"

#define VERSION_STR_MAX 64	/* DMPOOL_A_VERSION, NUL included */

/* CLUSTER_GET, or the cluster part of a DMPOOL_REQ_STATUS result. */
struct ctl_cluster {
	bool has_name, has_epoch, has_checksum, has_members, has_quorate;
	bool has_daemon, has_age, has_self;
	char name[DMPOOL_CLUSTER_NAME_MAX + 1];
	uint64_t epoch;
	uint8_t checksum[DMPOOL_CHECKSUM_LEN];
	uint64_t members;	/* bit K - 1 for node K */
	bool quorate;
	bool daemon;		/* CLUSTER_GET: a dmpoold listens */
	uint32_t age_ms;	/* since the daemon's last CLUSTER_SET */
	uint32_t self_id;	/* STATUS: NODE_ID, this node */
};

/* One node of a STATUS result (CLUSTER_NODE). */
struct ctl_cnode {
	uint32_t id;
	bool has_addr, has_state, has_mem;
	struct node_addr addr;
	uint32_t state;		/* enum dmpool_node_state */
	uint64_t capacity, committed;
	char version[VERSION_STR_MAX];
};

/* A pool of the cluster: a STATUS CLUSTER_POOL or a POOL_CREATE result. */
struct ctl_cpool {
	struct ctl_pool p;	/* ID, name, size, extent size, replicas */
	bool has_ttl, has_state, has_idle, has_epoch;
	uint64_t ttl_ms;	/* DMPOOL_TTL_FOREVER: never dissolved */
	uint32_t state;		/* enum dmpool_pool_state */
	uint64_t idle_ms;
	uint64_t epoch;		/* POOL_CREATE: the snapshot's epoch */
	uint32_t attached;	/* POOL_ATTACHED, summed over nodes */
	/* From POOL_MAP: the extents, and how many each node homes. */
	size_t extents;
	uint32_t homes[DMPOOL_NODES_MAX + 1];
};

/* A DMPOOL_REQ_STATUS result. */
struct ctl_cstatus {
	struct ctl_cluster cl;
	struct ctl_cnode *nodes;
	size_t nnodes;
	struct ctl_cpool *pools;
	size_t npools;
};

/* One crawled address that answered (CRAWL_HOST). */
struct ctl_crawl_host {
	struct node_addr addr;	/* port 0 */
	uint32_t state;		/* enum dmpool_crawl_state */
	bool has_id, has_node_state, has_mem;
	uint32_t node_id, node_state;
	uint64_t capacity, committed;
	char version[VERSION_STR_MAX];
	char cluster[DMPOOL_CLUSTER_NAME_MAX + 1];
};

/* The CLUSTER_REQ reply: how the daemon ended the request. */
struct ctl_req_reply {
	bool got;
	uint64_t id;
	uint32_t status;	/* 0 or a positive errno */
	char message[DMPOOL_REQ_MESSAGE_MAX + 1];	/* "" if none */
	void *result;		/* REQ_RESULT's payload, malloc'd; or NULL */
	size_t result_len;
};

/* An EVENT message. */
struct ctl_event {
	uint32_t kind;		/* enum dmpool_event_kind */
	bool has_pool, has_name, has_attached, has_node, has_peer_state;
	bool has_epoch, has_members;
	uint64_t pool_id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	uint32_t attached, node_id, peer_state;
	uint64_t epoch, members;
};

/* CLUSTER_GET: CLUSTER_DAEMON required, the rest optional. */
int reply_cluster(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_cluster *c,
		  char *why, size_t len);
/* REQ_ID and REQ_STATUS required; copies REQ_RESULT (free with ..._free). */
int reply_req(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_req_reply *r,
	      char *why, size_t len);
void req_reply_free(struct ctl_req_reply *r);
/* EVENT_KIND required. */
int reply_event(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_event *ev,
		char *why, size_t len);

/*
 * A REQ_RESULT payload (@res, @res_len bytes of attributes) decoded: the
 * pool POOL_CREATE made; a STATUS (free with status_free()); the hosts of
 * a CRAWL (*@hosts malloc'd, possibly NULL).  0, or -1 with @why.
 */
int result_pool(const void *res, size_t res_len, struct ctl_cpool *pool,
		char *why, size_t len);
int result_status(const void *res, size_t res_len, struct ctl_cstatus *st,
		  char *why, size_t len);
void status_free(struct ctl_cstatus *st);
int result_crawl(const void *res, size_t res_len,
		 struct ctl_crawl_host **hosts, size_t *n, char *why,
		 size_t len);

/*
 * Walk the netlink messages in @buf (@len bytes, as one recv() returned
 * them); for each DMPOOL_CMD_EVENT of the family @family, decode it and
 * call @on_event, which returns 0 to go on, 1 to stop after this one, -1
 * to fail.  Other messages are skipped.  Returns the events handed to
 * @on_event, or -1 (a malformed event: @why says how; or @on_event failed).
 */
int monitor_parse(const void *buf, size_t len, int family,
		  int (*on_event)(const struct ctl_event *ev, void *arg),
		  void *arg, char *why, size_t why_len);

/* Names of the enums, "state N" (in @buf) for unknown values. */
const char *node_state_str(uint32_t state, char *buf, size_t len);
const char *cpool_state_str(uint32_t state, char *buf, size_t len);
const char *crawl_state_str(uint32_t state, char *buf, size_t len);
const char *event_kind_str(uint32_t kind, char *buf, size_t len);

#endif /* DMPOOLCTL_CLREPLY_H */
