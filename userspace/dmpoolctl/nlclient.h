/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl's generic netlink client: one request, its replies, its ACK.
 */
#ifndef DMPOOLCTL_NLCLIENT_H
#define DMPOOLCTL_NLCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "extack.h"
#include "reply.h"

/* How a request ended. */
enum ctl_status {
	CTL_OK,
	CTL_NO_FAMILY,	/* family "dmpool" unknown: module not loaded */
	CTL_KERNEL,	/* the module refused: err.ack.error, err.ack.msg */
	CTL_BAD_REPLY,	/* a reply failed strict decoding: err.detail */
	CTL_LOCAL,	/* socket or libnl failure: err.detail */
};

struct ctl_err {
	struct nl_ack ack;	/* CTL_KERNEL */
	char detail[256];	/* CTL_BAD_REPLY, CTL_LOCAL */
};

struct ctl_nl;

/* Connect, enable extended ACKs and resolve the "dmpool" family. */
enum ctl_status ctl_nl_open(struct ctl_nl **nl, struct ctl_err *err);
void ctl_nl_close(struct ctl_nl *nl);

enum ctl_status ctl_version_get(struct ctl_nl *nl, struct ctl_version *ver,
				struct ctl_err *err);
enum ctl_status ctl_pool_new(struct ctl_nl *nl, const char *name,
			     uint64_t size, struct ctl_pool *pool,
			     struct ctl_err *err);
/* One pool; with @map (may be NULL) also its POOL_MAP, if it has one. */
enum ctl_status ctl_pool_get(struct ctl_nl *nl, const struct pool_sel *sel,
			     struct ctl_pool *pool, struct ctl_map *map,
			     struct ctl_err *err);
enum ctl_status ctl_pool_del(struct ctl_nl *nl, const struct pool_sel *sel,
			     uint32_t flags, struct ctl_err *err);

enum ctl_status ctl_node_set(struct ctl_nl *nl, uint32_t id,
			     const struct node_addr *addr, struct ctl_err *err);
enum ctl_status ctl_node_get(struct ctl_nl *nl, struct ctl_node *node,
			     struct ctl_err *err);
/* The key is sent once; the request buffer is wiped before it is freed. */
enum ctl_status ctl_key_set(struct ctl_nl *nl, const uint8_t *key,
			    size_t len, struct ctl_err *err);
enum ctl_status ctl_peer_add(struct ctl_nl *nl, uint32_t id,
			     const struct node_addr *addr, struct ctl_err *err);
enum ctl_status ctl_peer_del(struct ctl_nl *nl, uint32_t id,
			     struct ctl_err *err);
/* All peers, by ID; *@peers is malloc'd (free() it), possibly NULL. */
enum ctl_status ctl_peer_dump(struct ctl_nl *nl, struct ctl_peer **peers,
			      size_t *n, struct ctl_err *err);

/*
 * A placed pool for POOL_NEW; id 0: the module picks it; policy NULL: the
 * module's default policy (else its given fields).
 */
struct ctl_pool_spec {
	uint64_t id;
	const char *name;
	uint64_t size;
	uint64_t extent_size;
	const uint32_t *map;
	size_t map_len;
	const struct ctl_policy *policy;
};

enum ctl_status ctl_pool_new_placed(struct ctl_nl *nl,
				    const struct ctl_pool_spec *spec,
				    struct ctl_pool *pool, struct ctl_err *err);
enum ctl_status ctl_peer_get(struct ctl_nl *nl, uint32_t id,
			     struct ctl_peer *peer, struct ctl_err *err);
enum ctl_status ctl_mem_set(struct ctl_nl *nl, uint64_t capacity,
			    struct ctl_err *err);
/* This node and every peer that reported; *@mem is malloc'd (free() it). */
enum ctl_status ctl_mem_dump(struct ctl_nl *nl, struct ctl_mem **mem,
			     size_t *n, struct ctl_err *err);

/* All pools; *@pools is malloc'd (free() it), possibly NULL with *@n 0. */
enum ctl_status ctl_pool_dump(struct ctl_nl *nl, struct ctl_pool **pools,
			      size_t *n, struct ctl_err *err);

/* A file for FILE_NEW: permits 0 and !has_mode take the module's defaults. */
struct ctl_file_spec {
	const char *name;
	uint64_t size;
	uint32_t permits;
	bool has_mode;
	uint32_t mode;
};

/* Files in the pool @sel names (DMPOOL_FEAT_FILES). */
enum ctl_status ctl_file_new(struct ctl_nl *nl, const struct pool_sel *sel,
			     const struct ctl_file_spec *spec,
			     struct ctl_file *file, struct ctl_err *err);
enum ctl_status ctl_file_get(struct ctl_nl *nl, const struct pool_sel *sel,
			     const char *name, struct ctl_file *file,
			     struct ctl_err *err);
enum ctl_status ctl_file_del(struct ctl_nl *nl, const struct pool_sel *sel,
			     const char *name, struct ctl_err *err);
/* All files of the pool; *@files is malloc'd (free() it), possibly NULL. */
enum ctl_status ctl_file_dump(struct ctl_nl *nl, const struct pool_sel *sel,
			      struct ctl_file **files, size_t *n,
			      struct ctl_err *err);

/*
 * For the cluster commands (cluster.c, monitor.c, top.c), which build
 * their own requests: a request for @cmd with room for @size bytes (NULL
 * if out of memory), and its exchange (@msg consumed; @on_reply called
 * with each reply's attributes, may be NULL).
 */
struct nl_msg *ctl_request(struct ctl_nl *nl, uint8_t cmd, int flags,
			   size_t size);
enum ctl_status ctl_transact(struct ctl_nl *nl, struct nl_msg *msg,
			     int (*on_reply)(struct nlattr *tb[DMPOOL_A_MAX + 1],
					     void *arg, char *why, size_t len),
			     void *arg, struct ctl_err *err);
/* Wait at most @seconds for each reply (default 30). */
void ctl_nl_timeout(struct ctl_nl *nl, unsigned int seconds);
/* The family's ID (the nlmsg_type of its messages). */
int ctl_nl_family(struct ctl_nl *nl);
/* The ID of the family's multicast group @name, or a negative libnl error. */
int ctl_nl_group(struct ctl_nl *nl, const char *name);

/*
 * Access policies (DMPOOL_FEAT_POLICY): POOL_NEW with @policy's given
 * fields (NULL: none), POOL_SET (@file NULL) or FILE_SET of file @file.
 */
enum ctl_status ctl_pool_new_policy(struct ctl_nl *nl, const char *name,
				    uint64_t size,
				    const struct ctl_policy *policy,
				    struct ctl_pool *pool, struct ctl_err *err);
enum ctl_status ctl_policy_set(struct ctl_nl *nl, const struct pool_sel *sel,
			       const char *file, const struct ctl_policy *p,
			       struct ctl_err *err);
/*
 * Put @p's given fields into @msg: POOL_UID, POOL_GID, POOL_MODE (@file
 * false) or the FILE_ ones, and GRANTS.  @p may be NULL.  0 or -1.
 */
int ctl_put_policy(struct nl_msg *msg, const struct ctl_policy *p, bool file);

#endif /* DMPOOLCTL_NLCLIENT_H */
