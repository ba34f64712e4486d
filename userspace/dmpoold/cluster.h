/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Applying agreed changes to the snapshot: pure functions of the snapshot
 * and the message, the same on every daemon (no clock, no I/O, no local
 * state), so every daemon that applies the same messages in the same order
 * holds the same snapshot.
 */
#ifndef DMPOOLD_CLUSTER_H
#define DMPOOLD_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpgproto.h"
#include "state.h"

/* Pools are cut into at most this many extents (fewer map entries). */
#define CL_EXTENTS_TARGET	1024

/* What applying a change did. */
struct cl_outcome {
	int status;			/* 0 or a positive errno */
	char msg[CPGP_MSG_MAX + 1];	/* for the admin, with status */
	bool changed;			/* the snapshot changed: epoch bumped */
	uint64_t pool;			/* the pool created/destroyed/set */
	bool force;			/* destroyed regardless of attachments */
};

/* The extent size of a new pool of @size bytes and @replicas. */
uint64_t cl_extent_for(uint64_t size, uint32_t replicas);

/*
 * Quorate: a strict majority of the snapshot's nodes, JOINING ones (never
 * seen yet) left out, are in @members.  A function of the snapshot and
 * the membership only, so every daemon decides alike.
 */
bool cl_quorate(const struct snapshot *s, const uint32_t *members, size_t n);

/*
 * An empty snapshot (a new cluster, or the state was lost) takes @ids,
 * corosync's nodelist, as DOWN nodes: one node alone is then not a
 * quorate cluster of one.  No-op if the snapshot has nodes.
 */
void cl_seed(struct snapshot *s, const uint32_t *ids, size_t n);

/*
 * A configuration change: nodes in @members become MEMBER (added if new:
 * corosync's nodelist is the commissioned set), MEMBER nodes not in it
 * become DOWN.  Sets the name if the snapshot has none.  Bumps the quorum
 * generation too if the snapshot changed and the new membership is
 * quorate.
 */
void cl_membership(struct snapshot *s, const uint32_t *members, size_t n,
		   const char *cluster_name, struct cl_outcome *o);

/*
 * Apply one change message (not SYNC, not APPLIED).  @quorate as from
 * cl_quorate() at this point of the order: changes other than
 * NODE_ANNOUNCE and ATTACH_COUNT are refused (EAGAIN) without quorum.
 * Every change applied with quorum bumps the quorum generation.
 * @is_member: whether @m->node is in the membership (NODE_ANNOUNCE).
 */
void cl_apply(struct snapshot *s, const struct cpgp_msg *m, bool quorate,
	      bool is_member, struct cl_outcome *o);

/*
 * The TTL decision: a pool with @attached attachments, idle on this
 * daemon's clock since @idle_since_ms (0: not idle), is due to expire at
 * @now_ms.  A TTL of DMPOOL_TTL_FOREVER never expires.
 */
bool cl_ttl_due(uint64_t ttl_ms, uint64_t attached, uint64_t idle_since_ms,
		uint64_t now_ms);

/*
 * Whether a module pool (@name, @size, @extent; 0: not reported) with
 * @p's ID is @p, not another pool that got the same ID.
 */
bool cl_pool_same(const struct st_pool *p, const char *name, uint64_t size,
		  uint64_t extent);

/*
 * A sync round: the members whose SYNC is due (@expect) and those whose
 * SYNC came (@got), as bitmaps of node ID - 1.
 */
struct cl_round {
	bool syncing;
	uint64_t expect, got;
};

/*
 * A configuration change to @members; @joined: it added members, which
 * (re)starts the round.  Returns true when the change messages deferred
 * in the round so far must be dropped: a round restarted while syncing.
 * The members that join now never saw them, so applying them after the
 * adoption on the old members only would make the snapshots differ.
 * Every member of the old round drops them at the same point of the
 * order.
 */
bool cl_round_confchg(struct cl_round *r, uint64_t members, bool joined);

/* The round is complete: every expected SYNC came. */
bool cl_round_done(const struct cl_round *r);

/*
 * Whether a SYNC of cluster @theirs may be adopted by a daemon of cluster
 * @ours: names equal, or either unknown (empty).
 */
bool cl_sync_name_ok(const char *ours, const char *theirs);

/* Free bytes of the cluster's members (for messages and placement). */
uint64_t cl_free_bytes(const struct snapshot *s);

#endif /* DMPOOLD_CLUSTER_H */
