// SPDX-License-Identifier: GPL-2.0
/*
 * The decisions of cluster-wide changes, made at apply time from the
 * snapshot alone.
 *
 * Every daemon calls cl_apply() for every change message in CPG's total
 * order; whatever it decides (the name is taken, there is no room, the
 * placement map, the new pool's ID) depends only on the snapshot and the
 * message, so all daemons decide alike and their snapshots stay equal.
 * Each change that alters the snapshot bumps the epoch by one; one applied
 * with quorum also bumps the quorum generation (qgen), which the sync rule
 * ranks first: a partition without quorum (whose epoch may run ahead with
 * attach counts, announcements and membership changes) never wins over
 * the side that could create and destroy pools.
 *
 * Quorum counts the snapshot's nodes except JOINING ones (commissioned,
 * never seen in the membership yet): a strict majority of the others must
 * be members.  Only one node may be JOINING at a time, so leaving it out
 * cannot give two partitions a majority each.
 *
 * A pool's access policy (owner, group, mode, grants) is checked again
 * here, whatever the origin checked: a bad one is EINVAL on every daemon
 * alike.  Its grants are stored sorted by uid, the canonical order.
 *
 * Placement reuses dmpoolctl's place.c on the members that announced
 * themselves: free = capacity - committed, where committed is derived from
 * the pools' maps (st_recompute_committed), not from the modules' figures,
 * which differ from node to node for a moment.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "place.h"
#include "size.h"

#include "../lib/dmpool.h"

static void bump(struct snapshot *s, struct cl_outcome *o)
{
	s->epoch++;
	o->changed = true;
}

/* After a change applied with quorum. */
static void bump_qgen(struct snapshot *s, const struct cl_outcome *o,
		      bool quorate)
{
	if (o->changed && quorate)
		s->qgen++;
}

static void fail(struct cl_outcome *o, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct cl_outcome *o, int status, const char *fmt, ...)
{
	va_list ap;

	o->status = status;
	va_start(ap, fmt);
	vsnprintf(o->msg, sizeof(o->msg), fmt, ap);
	va_end(ap);
}

uint64_t cl_extent_for(uint64_t size, uint32_t replicas)
{
	uint64_t e = DMPOOL_EXTENT_SIZE_MIN;

	if (!replicas)
		replicas = 1;
	while (e < DMPOOL_EXTENT_SIZE_MAX &&
	       (place_extents(size, e) > CL_EXTENTS_TARGET ||
		place_extents(size, e) * replicas > DMPOOL_MAP_ENTRIES_MAX))
		e <<= 1;
	return e;
}

bool cl_quorate(const struct snapshot *s, const uint32_t *members, size_t n)
{
	size_t i, in = 0, total = 0;

	for (i = 0; i < s->nnodes; i++)
		total += s->nodes[i].state != DMPOOL_NODE_JOINING;
	for (i = 0; i < n; i++) {
		const struct st_node *nd = st_node_c(s, members[i]);

		in += nd && nd->state != DMPOOL_NODE_JOINING;
	}
	return total && 2 * in > total;
}

void cl_seed(struct snapshot *s, const uint32_t *ids, size_t n)
{
	size_t i;

	if (s->nnodes)
		return;
	for (i = 0; i < n; i++) {
		struct st_node *nd = st_node_add(s, ids[i]);

		if (nd)
			nd->state = DMPOOL_NODE_DOWN;
	}
}

static bool in_list(const uint32_t *v, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

void cl_membership(struct snapshot *s, const uint32_t *members, size_t n,
		   const char *cluster_name, struct cl_outcome *o)
{
	bool changed = false;
	size_t i;

	memset(o, 0, sizeof(*o));
	if (!s->name[0] && cluster_name && cluster_name[0]) {
		snprintf(s->name, sizeof(s->name), "%s", cluster_name);
		changed = true;
	}
	for (i = 0; i < n; i++) {
		struct st_node *nd = st_node(s, members[i]);

		if (!nd) {
			nd = st_node_add(s, members[i]);
			if (!nd)
				continue;
			changed = true;
		}
		if (nd->state != DMPOOL_NODE_MEMBER) {
			nd->state = DMPOOL_NODE_MEMBER;
			changed = true;
		}
	}
	for (i = 0; i < s->nnodes; i++) {
		if (s->nodes[i].state == DMPOOL_NODE_MEMBER &&
		    !in_list(members, n, s->nodes[i].id)) {
			s->nodes[i].state = DMPOOL_NODE_DOWN;
			changed = true;
		}
	}
	if (changed) {
		bump(s, o);
		bump_qgen(s, o, cl_quorate(s, members, n));
	}
}

bool cl_ttl_due(uint64_t ttl_ms, uint64_t attached, uint64_t idle_since_ms,
		uint64_t now_ms)
{
	if (attached || !idle_since_ms || ttl_ms == DMPOOL_TTL_FOREVER ||
	    now_ms < idle_since_ms)
		return false;
	return now_ms - idle_since_ms >= ttl_ms;
}

bool cl_pool_same(const struct st_pool *p, const char *name, uint64_t size,
		  uint64_t extent)
{
	return !strcmp(p->name, name) && p->size == size &&
	       (!extent || p->extent == extent);
}

bool cl_round_confchg(struct cl_round *r, uint64_t members, bool joined)
{
	bool drop = r->syncing && joined;

	if (joined) {
		r->syncing = true;
		r->expect = members;
		r->got = 0;
	} else if (r->syncing) {
		r->expect &= members;
	}
	return drop;
}

bool cl_round_done(const struct cl_round *r)
{
	return r->syncing && (r->got & r->expect) == r->expect;
}

bool cl_sync_name_ok(const char *ours, const char *theirs)
{
	return !ours[0] || !theirs[0] || !strcmp(ours, theirs);
}

uint64_t cl_free_bytes(const struct snapshot *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		const struct st_node *n = &s->nodes[i];

		if (n->state == DMPOOL_NODE_MEMBER && n->addr_len &&
		    n->capacity > n->committed)
			sum += n->capacity - n->committed;
	}
	return sum;
}

static void pool_create(struct snapshot *s, const struct cpgp_msg *m,
			struct cl_outcome *o)
{
	struct place_node nodes[DMPOOL_NODES_MAX];
	static uint32_t map[DMPOOL_MAP_ENTRIES_MAX];
	uint64_t size = (m->size + 4095) / 4096 * 4096;
	struct st_pool p;
	char a[32], b[32], why[160];
	size_t i, n = 0;

	if (!dmp_name_valid(m->name) || m->size < DMPOOL_POOL_SIZE_MIN ||
	    m->size > DMPOOL_POOL_SIZE_MAX || m->replicas != 1 ||
	    !m->ttl_ms) {
		fail(o, EINVAL, "invalid pool request");
		return;
	}
	if (dpolicy_check(&m->policy, why, sizeof(why)) < 0) {
		fail(o, EINVAL, "pool '%s': %s", m->name, why);
		return;
	}
	if (st_pool_by_name(s, m->name)) {
		fail(o, EEXIST, "pool '%s' exists", m->name);
		return;
	}
	if (s->npools >= DMPOOL_POOLS_MAX) {
		fail(o, ENOSPC, "the cluster has %d pools already",
		     DMPOOL_POOLS_MAX);
		return;
	}
	for (i = 0; i < s->nnodes; i++) {
		const struct st_node *nd = &s->nodes[i];

		if (nd->state != DMPOOL_NODE_MEMBER || !nd->addr_len ||
		    nd->capacity <= nd->committed)
			continue;
		nodes[n].id = nd->id;
		nodes[n].free = nd->capacity - nd->committed;
		n++;
	}
	memset(&p, 0, sizeof(p));
	p.extent = cl_extent_for(size, m->replicas);
	if (!n || place_pool(size, p.extent, nodes, n, map, NULL) != PLACE_OK) {
		fail(o, ENOSPC, "the cluster has %s free, pool '%s' needs %s",
		     size_format(cl_free_bytes(s), a, sizeof(a)), m->name,
		     size_format(size, b, sizeof(b)));
		return;
	}
	p.id = DMPOOL_POOL_ID_CLUSTER | (s->next_seq & ((1ULL << 48) - 1));
	snprintf(p.name, sizeof(p.name), "%s", m->name);
	p.size = size;
	p.replicas = m->replicas;
	p.ttl_ms = m->ttl_ms;
	p.policy = m->policy;
	dpolicy_sort(&p.policy);
	p.nmap = (uint32_t)place_extents(size, p.extent);
	p.map = map;
	bump(s, o);
	p.idle_epoch = s->epoch;	/* nobody attached yet */
	if (st_pool_add(s, &p) < 0) {
		s->epoch--;
		o->changed = false;
		fail(o, ENOMEM, "out of memory");
		return;
	}
	s->next_seq++;
	st_recompute_committed(s);
	o->pool = p.id;
	snprintf(o->msg, sizeof(o->msg), "pool '%s' created", p.name);
}

static struct st_pool *find_pool(struct snapshot *s, const struct cpgp_msg *m,
				 struct cl_outcome *o)
{
	struct st_pool *p = m->pool ? st_pool_by_id(s, m->pool) :
				      st_pool_by_name(s, m->name);

	if (!p) {
		if (m->pool)
			fail(o, ENOENT, "no pool with ID %#llx",
			     (unsigned long long)m->pool);
		else
			fail(o, ENOENT, "no pool '%s'", m->name);
	}
	return p;
}

static void pool_destroy(struct snapshot *s, const struct cpgp_msg *m,
			 struct cl_outcome *o)
{
	struct st_pool *p = find_pool(s, m, o);
	uint64_t att;
	size_t i;

	if (!p)
		return;
	att = st_pool_attached(p);
	if (att && !(m->flags & DMPOOL_POOL_DEL_FORCE)) {
		for (i = 0; i < DMPOOL_NODES_MAX && !p->attach[i]; i++)
			;
		fail(o, EBUSY, "pool '%s' is attached %llu time(s) (node %zu: %u)",
		     p->name, (unsigned long long)att, i + 1,
		     i < DMPOOL_NODES_MAX ? p->attach[i] : 0);
		return;
	}
	o->pool = p->id;
	o->force = att != 0;
	snprintf(o->msg, sizeof(o->msg), "pool '%s' destroyed", p->name);
	st_pool_remove(s, p->id);
	st_recompute_committed(s);
	bump(s, o);
}

static void pool_set(struct snapshot *s, const struct cpgp_msg *m,
		     struct cl_outcome *o)
{
	struct st_pool *p = find_pool(s, m, o);
	struct dpolicy pol;
	char why[160];

	if (!p)
		return;
	o->pool = p->id;
	if (!m->set || (m->set & ~CPGP_SET_ALL)) {
		fail(o, EINVAL, "pool '%s': nothing to set", p->name);
		return;
	}
	if ((m->set & CPGP_SET_TTL) && !m->ttl_ms) {
		fail(o, EINVAL, "invalid TTL");
		return;
	}
	pol = p->policy;
	if (m->set & CPGP_SET_UID)
		pol.uid = m->policy.uid;
	if (m->set & CPGP_SET_GID)
		pol.gid = m->policy.gid;
	if (m->set & CPGP_SET_MODE)
		pol.mode = m->policy.mode;
	if (m->set & CPGP_SET_GRANTS) {
		pol.ngrants = m->policy.ngrants;
		memcpy(pol.grants, m->policy.grants, sizeof(pol.grants));
	}
	if (dpolicy_check(&pol, why, sizeof(why)) < 0) {
		fail(o, EINVAL, "pool '%s': %s", p->name, why);
		return;
	}
	dpolicy_sort(&pol);
	if ((m->set & CPGP_SET_TTL) && p->ttl_ms != m->ttl_ms) {
		p->ttl_ms = m->ttl_ms;
		o->changed = true;
	}
	if (!dpolicy_equal(&p->policy, &pol)) {
		p->policy = pol;
		o->changed = true;
	}
	if (o->changed) {
		o->changed = false;
		bump(s, o);
	}
}

static void attach_count(struct snapshot *s, const struct cpgp_msg *m,
			 struct cl_outcome *o)
{
	struct st_pool *p = st_pool_by_id(s, m->pool);
	bool was_idle;

	if (!p || m->node < 1 || m->node > DMPOOL_NODES_MAX) {
		fail(o, ENOENT, "no such pool");
		return;
	}
	if (p->attach[m->node - 1] == m->count)
		return;
	was_idle = st_pool_attached(p) == 0;
	p->attach[m->node - 1] = m->count;
	bump(s, o);
	o->pool = p->id;
	if (st_pool_attached(p) == 0 && !was_idle)
		p->idle_epoch = s->epoch;
	else if (st_pool_attached(p))
		p->idle_epoch = 0;
}

static void pool_expire(struct snapshot *s, const struct cpgp_msg *m,
			struct cl_outcome *o)
{
	struct st_pool *p = st_pool_by_id(s, m->pool);

	if (!p || st_pool_attached(p) || p->idle_epoch != m->epoch ||
	    p->ttl_ms == DMPOOL_TTL_FOREVER) {
		fail(o, ESTALE, "pool %#llx is no longer idle since epoch %llu",
		     (unsigned long long)m->pool, (unsigned long long)m->epoch);
		return;
	}
	/*
	 * Never by force: a node that attached it after the expiry was sent
	 * (its ATTACH_COUNT still on the way) keeps it in its module.
	 */
	o->pool = p->id;
	snprintf(o->msg, sizeof(o->msg), "pool '%s' expired", p->name);
	st_pool_remove(s, p->id);
	st_recompute_committed(s);
	bump(s, o);
}

static void announce(struct snapshot *s, const struct cpgp_msg *m,
		     bool is_member, struct cl_outcome *o)
{
	struct st_node *n = st_node(s, m->node);
	bool same;

	if (!n && is_member)
		n = st_node_add(s, m->node);
	if (!n) {
		fail(o, ENOENT, "node %u is not commissioned", m->node);
		return;
	}
	/* Field by field: the struct has padding. */
	same = n->addr_len == m->addr_len &&
	       !memcmp(n->addr, m->addr, m->addr_len) && n->port == m->port &&
	       n->capacity == m->capacity &&
	       !strncmp(n->version, m->version, sizeof(n->version) - 1) &&
	       (!is_member || n->state == DMPOOL_NODE_MEMBER);
	n->addr_len = m->addr_len;
	memset(n->addr, 0, sizeof(n->addr));
	memcpy(n->addr, m->addr, m->addr_len);
	n->port = m->port;
	n->capacity = m->capacity;
	snprintf(n->version, sizeof(n->version), "%s", m->version);
	if (is_member)
		n->state = DMPOOL_NODE_MEMBER;
	if (!same)
		bump(s, o);
}

static void commission(struct snapshot *s, const struct cpgp_msg *m,
		       struct cl_outcome *o)
{
	struct st_node *n;
	size_t i;

	if (m->node < 1 || m->node > DMPOOL_NODES_MAX) {
		fail(o, EINVAL, "node ID %u out of range", m->node);
		return;
	}
	if (st_node(s, m->node)) {
		fail(o, EEXIST, "node %u is commissioned already", m->node);
		return;
	}
	for (i = 0; i < s->nnodes; i++) {
		if (s->nodes[i].state == DMPOOL_NODE_JOINING) {
			fail(o, EBUSY, "node %u is still joining: wait for it, or "
			     "decommission it", s->nodes[i].id);
			return;
		}
	}
	n = st_node_add(s, m->node);
	if (!n) {
		fail(o, ENOSPC, "the cluster has %d nodes", DMPOOL_NODES_MAX);
		return;
	}
	n->addr_len = m->addr_len;
	memcpy(n->addr, m->addr, m->addr_len);
	n->port = m->port;
	bump(s, o);
	snprintf(o->msg, sizeof(o->msg), "node %u commissioned", m->node);
}

static void decommission(struct snapshot *s, const struct cpgp_msg *m,
			 struct cl_outcome *o)
{
	struct st_node *n = st_node(s, m->node);
	size_t i, j;

	if (!n) {
		fail(o, ENOENT, "node %u is not commissioned", m->node);
		return;
	}
	for (i = 0; i < s->npools; i++) {
		for (j = 0; j < s->pools[i].nmap; j++) {
			if (s->pools[i].map[j] == m->node) {
				fail(o, EBUSY, "node %u homes extents of pool '%s'",
				     m->node, s->pools[i].name);
				return;
			}
		}
	}
	st_node_remove(s, m->node);
	for (i = 0; i < s->npools; i++)
		s->pools[i].attach[m->node - 1] = 0;
	bump(s, o);
	snprintf(o->msg, sizeof(o->msg), "node %u decommissioned", m->node);
}

void cl_apply(struct snapshot *s, const struct cpgp_msg *m, bool quorate,
	      bool is_member, struct cl_outcome *o)
{
	memset(o, 0, sizeof(*o));
	switch (m->type) {
	case CPGP_NODE_ANNOUNCE:
		announce(s, m, is_member, o);
		bump_qgen(s, o, quorate);
		return;
	case CPGP_ATTACH_COUNT:
		attach_count(s, m, o);
		bump_qgen(s, o, quorate);
		return;
	default:
		break;
	}
	if (!quorate) {
		fail(o, EAGAIN, "cluster not quorate");
		return;
	}
	switch (m->type) {
	case CPGP_POOL_CREATE:
		pool_create(s, m, o);
		break;
	case CPGP_POOL_DESTROY:
		pool_destroy(s, m, o);
		break;
	case CPGP_POOL_SET:
		pool_set(s, m, o);
		break;
	case CPGP_POOL_EXPIRE:
		pool_expire(s, m, o);
		break;
	case CPGP_COMMISSION:
		commission(s, m, o);
		break;
	case CPGP_DECOMMISSION:
		decommission(s, m, o);
		break;
	default:
		fail(o, EINVAL, "not a change: %s", cpgp_type_name(m->type));
	}
	bump_qgen(s, o, quorate);
}
