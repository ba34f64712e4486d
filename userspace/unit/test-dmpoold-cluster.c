// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoold's decisions (dmpoold/cluster.c): membership and
 * quorum, deterministic placement and ENOSPC, destroy (EBUSY, force), the
 * TTL decision and POOL_EXPIRE at apply time, decommission.
 */
#include <errno.h>
#include <stdlib.h>

#include "cluster.h"
#include "unit.h"

#define MiB (1ULL << 20)

static void three_nodes(struct snapshot *s, uint64_t cap)
{
	static const uint32_t members[] = { 1, 2, 3 };
	struct cl_outcome o;
	uint32_t i;

	CHECK(st_init(s) == 0);
	cl_membership(s, members, 3, "test", &o);
	CHECK(o.changed);
	for (i = 0; i < 3; i++) {
		struct cpgp_msg m = { .type = CPGP_NODE_ANNOUNCE, .node = i + 1,
				      .addr_len = 4, .port = 7470,
				      .capacity = cap };

		m.addr[0] = 10;
		m.addr[3] = (uint8_t)(i + 1);
		cl_apply(s, &m, true, true, &o);
		CHECK(o.changed && o.status == 0);
	}
}

static void create(struct snapshot *s, const char *name, uint64_t size,
		   struct cl_outcome *o)
{
	struct cpgp_msg m = { .type = CPGP_POOL_CREATE, .origin = 1, .req = 1,
			      .size = size, .replicas = 1, .ttl_ms = 60000 };

	snprintf(m.name, sizeof(m.name), "%s", name);
	cl_apply(s, &m, true, true, o);
}

static void test_membership_quorum(void)
{
	static const uint32_t two[] = { 1, 3 }, one[] = { 2 };
	struct snapshot s;
	struct cl_outcome o;
	uint64_t e;

	three_nodes(&s, 64 * MiB);
	CHECK_STR(s.name, "test");
	CHECK(cl_quorate(&s, two, 2));
	CHECK(!cl_quorate(&s, one, 1));
	e = s.epoch;
	cl_membership(&s, two, 2, "other", &o);
	CHECK(o.changed);
	CHECK_U64(s.epoch, e + 1);
	CHECK_STR(s.name, "test");
	CHECK_U64(st_node(&s, 2)->state, DMPOOL_NODE_DOWN);
	cl_membership(&s, two, 2, NULL, &o);
	CHECK(!o.changed);
	st_free(&s);
}

static void test_placement_deterministic(void)
{
	struct snapshot a, b;
	struct cl_outcome o1, o2;
	uint8_t s1[DMPOOL_CHECKSUM_LEN], s2[DMPOOL_CHECKSUM_LEN];
	struct st_pool *p;

	three_nodes(&a, 64 * MiB);
	three_nodes(&b, 64 * MiB);
	create(&a, "p", 96 * MiB, &o1);
	create(&b, "p", 96 * MiB, &o2);
	CHECK(o1.status == 0 && o2.status == 0);
	CHECK_U64(o1.pool, DMPOOL_POOL_ID_CLUSTER | 1);
	CHECK_U64(o1.pool, o2.pool);
	CHECK(st_checksum(&a, s1) == 0 && st_checksum(&b, s2) == 0);
	CHECK(!memcmp(s1, s2, sizeof(s1)));
	p = st_pool_by_name(&a, "p");
	CHECK(p != NULL);
	if (p) {
		CHECK(p->extent >= DMPOOL_EXTENT_SIZE_MIN);
		CHECK(!(p->extent & (p->extent - 1)));
		CHECK_U64(p->nmap, 96 * MiB / p->extent);
		CHECK_U64(p->map[0], 1);
		CHECK_U64(p->map[1], 2);
		CHECK_U64(p->map[2], 3);
	}
	CHECK_U64(st_node(&a, 1)->committed, 32 * MiB);
	/* The name is taken. */
	create(&a, "p", MiB, &o1);
	CHECK_U64(o1.status, EEXIST);
	CHECK_STR(o1.msg, "pool 'p' exists");
	st_free(&a);
	st_free(&b);
}

static void test_enospc(void)
{
	struct snapshot s;
	struct cl_outcome o;
	uint64_t e;

	three_nodes(&s, 32 * MiB);
	create(&s, "a", 64 * MiB, &o);
	CHECK_U64(o.status, 0);
	e = s.epoch;
	create(&s, "big", 64 * MiB, &o);
	CHECK_U64(o.status, ENOSPC);
	CHECK_STR(o.msg, "the cluster has 32 MiB free, pool 'big' needs 64 MiB");
	CHECK_U64(s.epoch, e);
	CHECK(!o.changed);
	st_free(&s);
}

static void test_not_quorate(void)
{
	struct snapshot s;
	struct cl_outcome o;
	struct cpgp_msg m = { .type = CPGP_POOL_CREATE, .origin = 1, .size = MiB,
			      .replicas = 1, .ttl_ms = 1 };

	three_nodes(&s, 64 * MiB);
	snprintf(m.name, sizeof(m.name), "x");
	cl_apply(&s, &m, false, true, &o);
	CHECK_U64(o.status, EAGAIN);
	CHECK_STR(o.msg, "cluster not quorate");
	st_free(&s);
}

static void test_destroy_and_ttl(void)
{
	struct snapshot s;
	struct cl_outcome o;
	struct cpgp_msg att = { .type = CPGP_ATTACH_COUNT, .node = 2, .count = 1 };
	struct cpgp_msg del = { .type = CPGP_POOL_DESTROY, .origin = 1 };
	struct cpgp_msg exp = { .type = CPGP_POOL_EXPIRE };
	struct st_pool *p;
	uint64_t id, idle;

	three_nodes(&s, 64 * MiB);
	create(&s, "t", 8 * MiB, &o);
	id = o.pool;
	p = st_pool_by_id(&s, id);
	CHECK(p && p->idle_epoch == s.epoch);
	idle = p->idle_epoch;
	/* Attach: active; the old expiry is stale. */
	att.pool = id;
	cl_apply(&s, &att, true, true, &o);
	p = st_pool_by_id(&s, id);
	CHECK(p && p->idle_epoch == 0 && st_pool_attached(p) == 1);
	exp.pool = id;
	exp.epoch = idle;
	cl_apply(&s, &exp, true, true, &o);
	CHECK_U64(o.status, ESTALE);
	snprintf(del.name, sizeof(del.name), "t");
	cl_apply(&s, &del, true, true, &o);
	CHECK_U64(o.status, EBUSY);
	/* Detach: idle again, since a new epoch. */
	att.count = 0;
	cl_apply(&s, &att, true, true, &o);
	p = st_pool_by_id(&s, id);
	CHECK(p && p->idle_epoch == s.epoch);
	cl_apply(&s, &exp, true, true, &o);
	CHECK_U64(o.status, ESTALE);		/* the old idle epoch */
	exp.epoch = p->idle_epoch;
	cl_apply(&s, &exp, true, true, &o);
	CHECK_U64(o.status, 0);
	/* Never forced: a racing attach keeps the pool in that module. */
	CHECK(!o.force);
	CHECK(st_pool_by_id(&s, id) == NULL);
	CHECK_U64(st_node(&s, 1)->committed, 0);

	/* The local TTL decision. */
	CHECK(!cl_ttl_due(1000, 0, 0, 5000));		/* not idle */
	CHECK(!cl_ttl_due(1000, 1, 100, 5000));		/* attached */
	CHECK(!cl_ttl_due(1000, 0, 4500, 5000));	/* not yet */
	CHECK(cl_ttl_due(1000, 0, 4000, 5000));
	CHECK(!cl_ttl_due(DMPOOL_TTL_FOREVER, 0, 1, UINT64_MAX));
	st_free(&s);
}

static void test_force_destroy_and_decommission(void)
{
	struct snapshot s;
	struct cl_outcome o;
	struct cpgp_msg att = { .type = CPGP_ATTACH_COUNT, .node = 3, .count = 2 };
	struct cpgp_msg del = { .type = CPGP_POOL_DESTROY, .origin = 1,
				.flags = DMPOOL_POOL_DEL_FORCE };
	struct cpgp_msg dec = { .type = CPGP_DECOMMISSION, .origin = 1, .node = 2 };

	three_nodes(&s, 64 * MiB);
	create(&s, "f", 8 * MiB, &o);
	att.pool = o.pool;
	del.pool = o.pool;
	cl_apply(&s, &att, true, true, &o);
	cl_apply(&s, &dec, true, true, &o);
	CHECK_U64(o.status, EBUSY);
	CHECK_STR(o.msg, "node 2 homes extents of pool 'f'");
	cl_apply(&s, &del, true, true, &o);
	CHECK_U64(o.status, 0);
	CHECK(o.force);
	cl_apply(&s, &dec, true, true, &o);
	CHECK_U64(o.status, 0);
	CHECK(st_node(&s, 2) == NULL);
	CHECK_U64(s.nnodes, 2);
	st_free(&s);
}

/* Create and set with policies: the same decisions on two daemons. */
static void test_policy(void)
{
	struct snapshot a, b;
	struct cl_outcome o;
	struct cpgp_msg m = { .type = CPGP_POOL_CREATE, .origin = 1, .req = 1,
			      .size = 8 * MiB, .replicas = 1, .ttl_ms = 60000,
			      .policy = { .uid = 1000, .gid = 100, .mode = 0640,
					  .ngrants = 2 } };
	struct cpgp_msg set = { .type = CPGP_POOL_SET, .origin = 2, .req = 2 };
	uint8_t ca[DMPOOL_CHECKSUM_LEN], cb[DMPOOL_CHECKSUM_LEN];
	struct st_pool *p;
	uint64_t e;
	int k;

	m.policy.grants[0] = (struct dmpool_grant){ 65534, DMPOOL_RIGHT_READ };
	m.policy.grants[1] = (struct dmpool_grant){ 7, DMPOOL_RIGHTS_ALL };
	snprintf(m.name, sizeof(m.name), "pol");
	snprintf(set.name, sizeof(set.name), "pol");
	three_nodes(&a, 64 * MiB);
	three_nodes(&b, 64 * MiB);
	for (k = 0; k < 2; k++) {
		struct snapshot *s = k ? &b : &a;

		cl_apply(s, &m, true, true, &o);
		CHECK_U64(o.status, 0);
		p = st_pool_by_name(s, "pol");
		CHECK(p && p->policy.uid == 1000 && p->policy.mode == 0640);
		/* Stored in the canonical order. */
		CHECK(p && p->policy.grants[0].uid == 7 &&
		      p->policy.grants[1].uid == 65534);
		/* Mode only: owner and grants stay. */
		set.set = CPGP_SET_MODE;
		set.policy.mode = 0600;
		e = s->epoch;
		cl_apply(s, &set, true, true, &o);
		CHECK_U64(o.status, 0);
		CHECK(o.changed && s->epoch == e + 1);
		CHECK(p->policy.mode == 0600 && p->policy.uid == 1000 &&
		      p->policy.ngrants == 2);
		/* The same again: no change, no new epoch. */
		cl_apply(s, &set, true, true, &o);
		CHECK(o.status == 0 && !o.changed && s->epoch == e + 1);
		/* Grants replaced, TTL too, in one change. */
		set.set = CPGP_SET_GRANTS | CPGP_SET_TTL;
		set.ttl_ms = 5000;
		set.policy.ngrants = 1;
		set.policy.grants[0] = (struct dmpool_grant){ 42, DMPOOL_RIGHT_WRITE };
		cl_apply(s, &set, true, true, &o);
		CHECK(o.status == 0 && o.changed && s->epoch == e + 2);
		CHECK(p->policy.ngrants == 1 && p->policy.grants[0].uid == 42 &&
		      p->ttl_ms == 5000 && p->policy.mode == 0600);
	}
	CHECK(st_checksum(&a, ca) == 0 && st_checksum(&b, cb) == 0);
	CHECK(!memcmp(ca, cb, sizeof(ca)));

	/* Bad policies: refused alike, nothing changes. */
	e = a.epoch;
	set.set = CPGP_SET_MODE;
	set.policy.mode = 01777;
	cl_apply(&a, &set, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	CHECK_STR(o.msg, "pool 'pol': mode 01777 is above 0777");
	set.set = CPGP_SET_GRANTS;
	set.policy.ngrants = 2;
	set.policy.grants[1] = set.policy.grants[0];
	cl_apply(&a, &set, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	CHECK_STR(o.msg, "pool 'pol': uid 42 is granted twice");
	set.policy.ngrants = 1;
	set.policy.grants[0].rights = 0;
	cl_apply(&a, &set, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	set.set = CPGP_SET_UID;
	set.policy.uid = UINT32_MAX;
	cl_apply(&a, &set, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	CHECK_STR(o.msg, "pool 'pol': owner 4294967295 is not an ID (0 to 4294967294)");
	set.set = 0;
	cl_apply(&a, &set, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	CHECK_STR(o.msg, "pool 'pol': nothing to set");
	set.set = 1U << 9;
	cl_apply(&a, &set, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	CHECK(a.epoch == e);
	m.policy.mode = 01000;
	snprintf(m.name, sizeof(m.name), "bad");
	cl_apply(&a, &m, true, true, &o);
	CHECK_U64(o.status, EINVAL);
	CHECK_STR(o.msg, "pool 'bad': mode 01000 is above 0777");
	CHECK(a.epoch == e && !st_pool_by_name(&a, "bad"));
	st_free(&a);
	st_free(&b);
}

/*
 * A partition: the majority {1,2} applies a pool change with quorum, the
 * minority {3} churns attach counts and announcements (a higher epoch).
 * The sync rule must pick the majority's snapshot.
 */
static void test_partition_qgen(void)
{
	static const uint32_t maj[] = { 1, 2 }, min[] = { 3 };
	struct snapshot a, b = { 0 };
	struct cl_outcome o;
	struct cpgp_msg att = { .type = CPGP_ATTACH_COUNT, .node = 3 };
	uint64_t g[2], e[2];
	uint32_t ids[2] = { 3, 1 };
	uint32_t k;

	three_nodes(&a, 64 * MiB);
	create(&a, "kept", 8 * MiB, &o);
	CHECK(st_copy(&b, &a) == 0);
	CHECK_U64(a.qgen, b.qgen);
	cl_membership(&a, maj, 2, "test", &o);
	CHECK(cl_quorate(&a, maj, 2));
	create(&a, "majority", 8 * MiB, &o);
	CHECK_U64(o.status, 0);
	cl_membership(&b, min, 1, "test", &o);
	CHECK(!cl_quorate(&b, min, 1));
	att.pool = st_pool_by_name(&b, "kept")->id;
	for (k = 0; k < 20; k++) {
		att.count = (k & 1) ^ 1;
		cl_apply(&b, &att, false, true, &o);
		CHECK(o.changed);
	}
	CHECK(b.epoch > a.epoch);
	CHECK(a.qgen > b.qgen);
	g[0] = b.qgen;
	e[0] = b.epoch;
	g[1] = a.qgen;
	e[1] = a.epoch;
	CHECK_U64(st_sync_pick(g, e, ids, 2), 1);
	/* Refused changes do not count. */
	k = (uint32_t)b.qgen;
	{
		struct cpgp_msg m = { .type = CPGP_POOL_CREATE, .origin = 3,
				      .size = MiB, .replicas = 1, .ttl_ms = 1 };

		snprintf(m.name, sizeof(m.name), "y");
		cl_apply(&b, &m, false, true, &o);
		CHECK_U64(o.status, EAGAIN);
	}
	CHECK_U64(b.qgen, k);
	st_free(&a);
	st_free(&b);
}

/* Quorum depends on the snapshot and the membership, nothing else. */
static void test_quorum_snapshot_only(void)
{
	static const uint32_t one[] = { 1 }, nodelist[] = { 1, 2, 3 };
	struct snapshot s;
	struct cl_outcome o;

	/* A fresh snapshot seeded from a 3-node nodelist: 1 of 3. */
	CHECK(st_init(&s) == 0);
	cl_seed(&s, nodelist, 3);
	CHECK_U64(s.nnodes, 3);
	CHECK_U64(st_node(&s, 2)->state, DMPOOL_NODE_DOWN);
	cl_membership(&s, one, 1, "test", &o);
	CHECK(!cl_quorate(&s, one, 1));
	CHECK_U64(s.qgen, 0);
	/* Seeding never touches a snapshot that has nodes. */
	cl_seed(&s, one, 1);
	CHECK_U64(s.nnodes, 3);
	st_free(&s);
}

/*
 * Commissioning node 2 into a cluster of one keeps quorum; a second
 * commission waits for the first; decommissioning the JOINING node works.
 */
static void test_joining_not_counted(void)
{
	static const uint32_t one[] = { 1 }, both[] = { 1, 2 };
	struct snapshot s;
	struct cl_outcome o;
	struct cpgp_msg com = { .type = CPGP_COMMISSION, .origin = 1, .node = 2,
				.addr_len = 4, .port = 7470 };
	struct cpgp_msg dec = { .type = CPGP_DECOMMISSION, .origin = 1,
				.node = 2 };

	CHECK(st_init(&s) == 0);
	cl_membership(&s, one, 1, "test", &o);
	CHECK(cl_quorate(&s, one, 1));
	cl_apply(&s, &com, true, true, &o);
	CHECK_U64(o.status, 0);
	CHECK_U64(st_node(&s, 2)->state, DMPOOL_NODE_JOINING);
	CHECK(cl_quorate(&s, one, 1));
	com.node = 3;
	cl_apply(&s, &com, true, true, &o);
	CHECK_U64(o.status, EBUSY);
	CHECK_STR(o.msg, "node 2 is still joining: wait for it, or "
		  "decommission it");
	/* The join failed: decommission it, with quorum. */
	cl_apply(&s, &dec, cl_quorate(&s, one, 1), true, &o);
	CHECK_U64(o.status, 0);
	CHECK(st_node(&s, 2) == NULL);
	/* Seen once: counted from then on, also when down. */
	com.node = 2;
	cl_apply(&s, &com, true, true, &o);
	cl_membership(&s, both, 2, "test", &o);
	CHECK(cl_quorate(&s, both, 2));
	cl_membership(&s, one, 1, "test", &o);
	CHECK(!cl_quorate(&s, one, 1));
	st_free(&s);
}

/* A module pool with a snapshot pool's ID is that pool only if alike. */
static void test_pool_identity(void)
{
	struct snapshot s;
	struct cl_outcome o;
	const struct st_pool *p;

	three_nodes(&s, 64 * MiB);
	create(&s, "mine", 8 * MiB, &o);
	p = st_pool_by_id(&s, o.pool);
	CHECK(p != NULL);
	if (p) {
		CHECK(cl_pool_same(p, "mine", 8 * MiB, p->extent));
		CHECK(cl_pool_same(p, "mine", 8 * MiB, 0));
		CHECK(!cl_pool_same(p, "theirs", 8 * MiB, p->extent));
		CHECK(!cl_pool_same(p, "mine", 16 * MiB, p->extent));
		CHECK(!cl_pool_same(p, "mine", 8 * MiB, 2 * p->extent));
	}
	st_free(&s);
}

/*
 * Node A joins (round 1), a change is deferred, node B joins before round
 * 1 completes: the old members and A drop what they deferred (B never
 * saw it); a change that only removes members keeps the round and its
 * messages and stops waiting for the leaver.
 */
static void test_round_restart_drops(void)
{
	struct cl_round old = { 0 }, a = { 0 }, b = { 0 };

	/* Synced old members {1,2}; A = 3 joins. */
	CHECK(!cl_round_confchg(&old, 0x7, true));
	CHECK(!cl_round_confchg(&a, 0x7, true));
	CHECK(old.syncing && old.expect == 0x7 && a.expect == 0x7);
	old.got = a.got = 0x1;
	/* B = 4 joins: everyone who was syncing drops, B has nothing. */
	CHECK(cl_round_confchg(&old, 0xf, true));
	CHECK(cl_round_confchg(&a, 0xf, true));
	CHECK(!cl_round_confchg(&b, 0xf, true));
	CHECK(old.got == 0 && old.expect == 0xf);
	CHECK(!cl_round_done(&old));
	/* Node 2 leaves: no drop, no longer waited for. */
	old.got = 0x9;
	CHECK(!cl_round_done(&old));
	CHECK(!cl_round_confchg(&old, 0xd, false));
	CHECK_U64(old.expect, 0xd);
	old.got |= 0x4;
	CHECK(cl_round_done(&old));
	/* Outside a round a change drops nothing and starts nothing. */
	old.syncing = false;
	CHECK(!cl_round_confchg(&old, 0x5, false));
	CHECK(!old.syncing && !cl_round_done(&old));
}

/*
 * A machine accepting a JOIN forgets its old cluster: its snapshot, reset,
 * cannot win the new cluster's sync; and a SYNC of another cluster is
 * refused.
 */
static void test_join_resets(void)
{
	struct snapshot old, theirs;
	struct cl_outcome o;
	uint64_t g[2], e[2];
	uint32_t ids[2] = { 2, 1 };

	three_nodes(&old, 64 * MiB);
	create(&old, "stale", 8 * MiB, &o);
	CHECK(old.qgen > 0 && old.epoch > 0);
	three_nodes(&theirs, 64 * MiB);
	CHECK(st_reset(&old) == 0);
	CHECK(!old.name[0] && !old.nnodes && !old.npools);
	CHECK_U64(old.epoch, 0);
	CHECK_U64(old.qgen, 0);
	CHECK_U64(old.next_seq, 1);
	g[0] = old.qgen;
	e[0] = old.epoch;
	g[1] = theirs.qgen;
	e[1] = theirs.epoch;
	CHECK_U64(st_sync_pick(g, e, ids, 2), 1);
	CHECK(cl_sync_name_ok("test", "test"));
	CHECK(cl_sync_name_ok("", "test"));
	CHECK(cl_sync_name_ok("test", ""));
	CHECK(!cl_sync_name_ok("test", "other"));
	st_free(&old);
	st_free(&theirs);
}

int main(void)
{
	RUN(test_membership_quorum);
	RUN(test_placement_deterministic);
	RUN(test_enospc);
	RUN(test_not_quorate);
	RUN(test_destroy_and_ttl);
	RUN(test_force_destroy_and_decommission);
	RUN(test_policy);
	RUN(test_partition_qgen);
	RUN(test_quorum_snapshot_only);
	RUN(test_joining_not_counted);
	RUN(test_pool_identity);
	RUN(test_round_restart_drops);
	RUN(test_join_resets);
	return unit_done();
}
