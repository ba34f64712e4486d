/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny generic netlink client for the dmpool selftests (libmnl), so that
 * the kernel tests do not depend on dmpoolctl or libdmpool.
 *
 * Two levels:
 *  - raw: dmnl_start() begins a request in a caller buffer, the caller adds
 *    any attributes (also malformed ones) with mnl_attr_put*(), and
 *    dmnl_talk() sends it and collects replies, returning 0 or -errno and
 *    leaving the extack message in nl->errmsg;
 *  - helpers for the common commands, filling struct dmnl_pool.
 */
#ifndef DMPOOL_SELFTEST_NL_H
#define DMPOOL_SELFTEST_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/dmpool.h>

struct dmnl {
	struct mnl_socket *sk;
	uint16_t family;
	uint32_t seq;
	char errmsg[256];	/* extack text of the last error, or "" */
};

struct dmnl_pool {
	uint64_t id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	uint64_t size;
	uint32_t attached;
	uint64_t cached;
	uint64_t stored;
};

struct dmnl_version {
	uint32_t abi_version;
	uint64_t features;
	uint64_t capacity;
	uint64_t committed;
};

/* Called for each reply message; return MNL_CB_OK or MNL_CB_ERROR. */
typedef int (*dmnl_cb)(const struct nlmsghdr *nlh, void *data);

int dmnl_open(struct dmnl *nl);
void dmnl_close(struct dmnl *nl);
struct nlmsghdr *dmnl_start(struct dmnl *nl, void *buf, uint8_t cmd,
			    uint16_t flags);
int dmnl_talk(struct dmnl *nl, struct nlmsghdr *nlh, dmnl_cb cb, void *data);

/* Parse one pool message into @pool. */
int dmnl_parse_pool(const struct nlmsghdr *nlh, struct dmnl_pool *pool);

int dmnl_version(struct dmnl *nl, struct dmnl_version *v);
int dmnl_pool_new(struct dmnl *nl, const char *name, uint64_t size,
		  struct dmnl_pool *pool);
/* @name NULL: by @id.  @flags < 0: no FLAGS attribute. */
int dmnl_pool_get(struct dmnl *nl, uint64_t id, const char *name,
		  struct dmnl_pool *pool);
int dmnl_pool_del(struct dmnl *nl, uint64_t id, const char *name,
		  int64_t flags);
/* ADDR (IPv4 @addr) and PORT attributes. */
void dmnl_put_v4(struct nlmsghdr *nlh, const char *addr, int port);
/* PEER_ADD of node @id at IPv4 @addr:@port; 0 or -errno. */
int dmnl_peer_add(struct dmnl *nl, uint32_t id, const char *addr, int port);
/* PEER_DEL of node @id; 0 or -errno. */
int dmnl_peer_del(struct dmnl *nl, uint32_t id);
/* Dump all pools into @pools (at most @max); returns the count or -errno. */
int dmnl_pool_dump(struct dmnl *nl, struct dmnl_pool *pools, int max);

#endif /* DMPOOL_SELFTEST_NL_H */
