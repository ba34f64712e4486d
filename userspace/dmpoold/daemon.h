/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoold's run-time state and the interfaces between its files:
 *
 *	main.c		options, start-up, the poll loop, signals, the timer
 *	conf.c		the configuration file
 *	state.c		the snapshot, its encoding, checksum, persistence
 *	cluster.c	decisions of changes on the snapshot (pure)
 *	cpgproto.c	the CPG message encoding (pure)
 *	cpg.c		corosync CPG: membership, sync, delivery, sending
 *	modnl.c		netlink to the module: multicasts, CLUSTER_SET,
 *			REQ_ACCEPT/REQ_DONE
 *	apply.c		make the module match the snapshot
 *	relay.c		requests relayed by the module
 *	lifecycle.c	attach counts and the TTL of idle pools
 *	crawl.c		the UDP crawl responder and crawler
 *	commission.c	adding and removing nodes, corosync.conf
 */
#ifndef DMPOOLD_DAEMON_H
#define DMPOOLD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/dmpool.h>

#include "cluster.h"
#include "conf.h"
#include "cpgproto.h"
#include "state.h"

struct ctl_nl;
struct modnl;
struct cpg_ctx;
struct nlattr;
struct crawl_msg;

#define DMPOOLD_VERSION_STR	"dmpoold " DMPOOL_VERSION

/* A relayed change this daemon started, waiting for APPLIED. */
struct pending_req {
	bool used;
	bool delivered;			/* our own message came back */
	uint64_t req;			/* module request ID */
	uint32_t kind;			/* DMPOOL_REQ_* */
	uint64_t waiting;		/* members whose APPLIED is due */
	uint64_t deadline_ms;		/* answer by then regardless */
	int status;			/* the decision, then first failure */
	char msg[DMPOOL_REQ_MESSAGE_MAX + 1];
	struct st_pool pool;		/* POOL_CREATE's result (map owned) */
	uint32_t node;			/* NODE_COMMISSION: the new node */
	uint8_t addr_len, addr[16];
	uint16_t port;
	uint64_t epoch;			/* after the change */
};

/* Local facts about a cluster pool, not in the snapshot. */
struct local_pool {
	uint64_t id;
	uint64_t idle_since_ms;		/* monotonic; 0: attached */
	uint64_t idle_epoch;		/* of the snapshot when noted */
	bool expire_sent;
};

struct daemon {
	struct conf conf;
	char conf_path[CONF_PATH_MAX];
	bool verbose;

	uint32_t self_id;		/* 0 until known */
	struct snapshot snap;
	bool synced;			/* the snapshot is the cluster's */
	/*
	 * The state file was missing or unreadable: no module pool is
	 * deleted until a sync round that included another node.
	 */
	bool snap_unknown;

	/* Membership, from the last configuration change. */
	bool in_cpg;
	uint32_t members[DMPOOL_NODES_MAX];
	size_t nmembers;
	bool quorate;
	char cluster_name[DMPOOL_CLUSTER_NAME_MAX + 1];
	struct cpg_ctx *cpg;

	/* Joining: when our own join was seen, how long adoption took. */
	uint64_t join_ms;
	bool join_pending;		/* not yet synced with other nodes */
	int64_t adopt_ms;		/* -1: not measured */
	bool decommissioned;		/* stay out of CPG until restart/HUP */

	struct ctl_nl *nl;		/* dmpoolctl's client: commands */
	struct modnl *mn;		/* multicasts, CLUSTER_SET, relay */

	struct pending_req reqs[DMPOOL_REQS_MAX];
	struct local_pool *lpools;	/* DMPOOL_POOLS_MAX */
	size_t nlpools;

	/*
	 * Pools the admin destroyed by force: delete them by force.  An
	 * entry goes once the module no longer has the pool.
	 */
	uint64_t force_del[64];
	size_t nforce_del;

	int crawl_fd;
	bool stop;
	bool leave_pending;		/* decommissioned: leave after apply */
	bool counts_due;		/* an ATTACH_COUNT failed to go out */
	uint8_t challenge[32];		/* JOIN: our last challenge */
	uint64_t challenge_ms;		/* when it was made; 0: none */
};

uint64_t now_ms(void);
/* mkdir -p: @path (mode 0700) and its missing parents; 0 or -1. */
int mkdir_p(const char *path);
void logmsg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool is_member(const struct daemon *d, uint32_t id);
uint64_t members_mask(const struct daemon *d);

/* cpg.c */
int cpg_start(struct daemon *d);	/* 0 joined, -1 not (retry later) */
int cpg_fd(struct daemon *d);
void cpg_dispatch_all(struct daemon *d);
void cpg_stop(struct daemon *d);
/* Every second: retry the sends that failed (SYNC, APPLIED, ...). */
void cpg_tick(struct daemon *d);
int cpg_send(struct daemon *d, const struct cpgp_msg *m);

/* apply.c */
/* Called after every change; @o (may be NULL) the change's outcome. */
int apply_module(struct daemon *d, const struct cl_outcome *o, char *why,
		 size_t len);
void apply_cluster_set(struct daemon *d);
int module_setup(struct daemon *d);
/* The change that was just applied (from cpg.c, in delivery order). */
void applied_change(struct daemon *d, const struct cpgp_msg *m,
		    const struct cl_outcome *o);
void persist(struct daemon *d);
/* The exposed memory this node offers: memory, else the module's. */
uint64_t module_capacity(struct daemon *d);
/* Read the cluster key file: 0, or -1 with errno. */
int load_key(const char *path, uint8_t key[DMPOOL_KEY_MAX + 1], size_t *len);

/* relay.c */
void relay_notify(struct daemon *d, uint64_t req, uint32_t kind,
		  struct nlattr *args);
void relay_applied(struct daemon *d, const struct cpgp_msg *m);
void relay_change_done(struct daemon *d, const struct cpgp_msg *m,
		       const struct cl_outcome *o, int module_status,
		       const char *module_msg);
void relay_membership(struct daemon *d);
/* End request @req if pending here: its change was dropped undecided. */
void relay_abort(struct daemon *d, uint64_t req, int status, const char *msg);
void relay_tick(struct daemon *d);
void relay_free(struct daemon *d);

/* lifecycle.c */
void life_event(struct daemon *d, uint32_t kind, uint64_t pool,
		uint32_t attached);
void life_resend_counts(struct daemon *d);
void life_snapshot_changed(struct daemon *d);
void life_tick(struct daemon *d);

/* crawl.c */
int crawl_open(struct daemon *d);
void crawl_input(struct daemon *d);
/* DMPOOL_REQ_CRAWL: probe the targets, answer with REQ_DONE. */
void crawl_request(struct daemon *d, uint64_t req, struct nlattr *targets);
/* Probe one IPv4 address (host order): 0 and its answer, or -1. */
int crawl_probe_one(struct daemon *d, uint32_t addr, struct crawl_msg *ans);

/* commission.c */
/*
 * NODE_COMMISSION at the origin: check the arguments (@tb: REQ_ARGS
 * split), probe the address, fill the COMMISSION message @m.  0, or an
 * errno with a message in @why.
 */
int commission_prepare(struct daemon *d, struct nlattr **tb,
		       struct cpgp_msg *m, char *why, size_t len);
/*
 * After every member applied the COMMISSION: hand the new node its
 * corosync.conf (JOIN over the crawl port).  0, or an errno + @why.
 */
int commission_join(struct daemon *d, const struct pending_req *p,
		    char *why, size_t len);
/* The target side of HELLO and JOIN (from crawl_input). */
void commission_datagram(struct daemon *d, int fd, const struct crawl_msg *m,
			 const void *from, unsigned int fromlen);
void commission_applied(struct daemon *d, const struct cpgp_msg *m,
			const struct cl_outcome *o);
/* Leave CPG and run leave_command (outside CPG callbacks). */
void commission_leave(struct daemon *d);

#endif /* DMPOOLD_DAEMON_H */
