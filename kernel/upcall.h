/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool relay to dmpoold and events (upcall.c): what the netlink layer
 * and the chardev use.  See the top of upcall.c and "Relay to the daemon
 * and events" in Documentation/kernel-design.rst.
 */
#ifndef _DMPOOL_UPCALL_H
#define _DMPOOL_UPCALL_H

#include <linux/types.h>
#include <net/netlink.h>

struct sk_buff;

/* The family's multicast groups: indices into its mcgrps (netlink.c). */
enum dmpool_nl_group {
	DMPOOL_NL_GROUP_DAEMON,		/* DMPOOL_GENL_MCGRP_DAEMON */
	DMPOOL_NL_GROUP_EVENTS,		/* DMPOOL_GENL_MCGRP_EVENTS */
};

/**
 * struct dmpool_upcall_req - a tool's request, as the netlink layer took it
 * @kind:   DMPOOL_A_REQ_KIND, 1..255
 * @args:   DMPOOL_A_REQ_ARGS (validated by the family policy), or NULL
 * @uid:    the requester's fsuid in the initial user namespace
 * @gid:    the requester's fsgid in the initial user namespace
 * @portid: the requester's netlink port, for the reply's header
 * @seq:    the request's sequence number, for the reply's header
 */
struct dmpool_upcall_req {
	u32 kind;
	const struct nlattr *args;
	u32 uid;
	u32 gid;
	u32 portid;
	u32 seq;
};

void dmpool_upcall_start(void);
void dmpool_upcall_stop(void);

bool dmpool_upcall_daemon_listens(void);
int dmpool_upcall_request(const struct dmpool_upcall_req *r,
			  struct sk_buff **reply,
			  struct netlink_ext_ack *extack);
int dmpool_upcall_accept(u64 id);
int dmpool_upcall_done(u64 id, u32 status, const char *message,
		       const struct nlattr *result);

void dmpool_event_pool(u32 kind, u64 pool_id, const char *name);
void dmpool_event_attach(u32 kind, u64 pool_id, u32 attached);
void dmpool_event_cluster(u64 epoch, u64 members);
bool dmpool_event_listens(void);
void dmpool_event_peer(u32 node_id, u32 state);

#endif /* _DMPOOL_UPCALL_H */
