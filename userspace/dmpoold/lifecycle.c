// SPDX-License-Identifier: GPL-2.0
/*
 * A pool's life: attach counts and the TTL of idle pools.
 *
 * The module multicasts ATTACH/DETACH events with this node's attachment
 * count of the pool; the daemon forwards it as ATTACH_COUNT through CPG,
 * so every snapshot holds every node's count.  A pool whose counts add up
 * to 0 is idle; the snapshot records the epoch at which it became idle
 * (idle_epoch), each daemon notes on its own clock when it saw that
 * (struct local_pool, not in the snapshot).  The daemon of the lowest-ID
 * member runs the timer: once a pool has been idle for its TTL it sends
 * POOL_EXPIRE(pool, idle_epoch).  At apply time the pool is dissolved only
 * if it is still idle since that same epoch (cluster.c), so a re-attach
 * within the TTL whose ATTACH_COUNT is applied before the POOL_EXPIRE
 * cancels it on every node.  One that races it (attached here, its
 * ATTACH_COUNT ordered after the POOL_EXPIRE) cannot cancel it: the pool
 * leaves the snapshot, but the expiry is never forced, so the module of
 * the attached node keeps it (POOL_DEL: EBUSY) until its last detach,
 * when it is removed there too.  The other nodes drop their copies, so
 * I/O to extents they homed fails from then on: a pool used near the end
 * of its TTL should get a longer one.
 * After a restart (or a sync) the counts are re-sent from the module's
 * dump, and the idle clock restarts: a TTL is never cut short by a
 * change of the node that times it.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon.h"
#include "nlclient.h"

void life_event(struct daemon *d, uint32_t kind, uint64_t pool,
		uint32_t attached)
{
	struct cpgp_msg m = { .type = CPGP_ATTACH_COUNT };

	if (kind != DMPOOL_EVENT_ATTACH && kind != DMPOOL_EVENT_DETACH)
		return;
	if (!(pool & DMPOOL_POOL_ID_CLUSTER) || !d->in_cpg || !d->synced)
		return;
	/* Kept because it was attached when it left the cluster: remove it. */
	if (!attached && !st_pool_by_id(&d->snap, pool)) {
		apply_module(d, NULL, NULL, 0);
		return;
	}
	m.node = d->self_id;
	m.pool = pool;
	m.count = attached;
	/* Lost: the next tick re-sends every count from the module's dump. */
	if (cpg_send(d, &m) < 0)
		d->counts_due = true;
}

void life_resend_counts(struct daemon *d)
{
	struct ctl_pool *pools = NULL;
	struct ctl_err err;
	size_t n = 0, i, j;

	d->counts_due = false;
	if (!d->in_cpg || !d->self_id)
		return;
	if (ctl_pool_dump(d->nl, &pools, &n, &err) != CTL_OK) {
		d->counts_due = true;
		return;
	}
	for (i = 0; i < d->snap.npools; i++) {
		const struct st_pool *p = &d->snap.pools[i];
		struct cpgp_msg m = { .type = CPGP_ATTACH_COUNT,
				      .node = d->self_id, .pool = p->id };

		for (j = 0; j < n; j++)
			if (pools[j].id == p->id)
				m.count = pools[j].attached;
		if (p->attach[d->self_id - 1] != m.count && cpg_send(d, &m) < 0)
			d->counts_due = true;
	}
	free(pools);
}

void life_snapshot_changed(struct daemon *d)
{
	uint64_t now = now_ms();
	size_t i, k, n = 0;
	struct local_pool *next;

	next = calloc(DMPOOL_POOLS_MAX, sizeof(*next));
	if (!next)
		return;
	for (i = 0; i < d->snap.npools; i++) {
		const struct st_pool *p = &d->snap.pools[i];
		struct local_pool lp = { .id = p->id };

		for (k = 0; k < d->nlpools; k++)
			if (d->lpools[k].id == p->id)
				lp = d->lpools[k];
		if (st_pool_attached(p)) {
			lp.idle_since_ms = 0;
			lp.expire_sent = false;
		} else if (!lp.idle_since_ms || lp.idle_epoch != p->idle_epoch) {
			lp.idle_since_ms = now;
			lp.idle_epoch = p->idle_epoch;
			lp.expire_sent = false;
		}
		next[n++] = lp;
	}
	free(d->lpools);
	d->lpools = next;
	d->nlpools = n;
}

static bool lowest_member(const struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nmembers; i++)
		if (d->members[i] < d->self_id)
			return false;
	return d->nmembers > 0;
}

void life_tick(struct daemon *d)
{
	uint64_t now = now_ms();
	size_t i;

	if (!d->in_cpg || !d->synced || !d->quorate || !lowest_member(d))
		return;
	for (i = 0; i < d->nlpools; i++) {
		struct local_pool *lp = &d->lpools[i];
		const struct st_pool *p = st_pool_by_id(&d->snap, lp->id);
		struct cpgp_msg m = { .type = CPGP_POOL_EXPIRE };

		if (!p || lp->expire_sent ||
		    !cl_ttl_due(p->ttl_ms, st_pool_attached(p),
				lp->idle_since_ms, now))
			continue;
		m.pool = p->id;
		m.epoch = p->idle_epoch;
		if (cpg_send(d, &m) == 0) {
			lp->expire_sent = true;
			logmsg(LOG_INFO, "pool '%s' idle for its TTL (%llu ms): "
			       "expiring", p->name, (unsigned long long)p->ttl_ms);
		}
	}
}
