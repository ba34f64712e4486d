// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoold's snapshot (dmpoold/state.c) and CPG messages
 * (dmpoold/cpgproto.c): encode/decode round trips, checksum stability,
 * truncated, garbage and oversized input refused, the sync rule,
 * persistence.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cpgproto.h"
#include "state.h"
#include "unit.h"

static char why[300];

static void make_snap(struct snapshot *s)
{
	static uint32_t map[4] = { 1, 2, 3, 1 };
	struct st_pool p = { 0 };
	struct st_node *n;

	CHECK(st_init(s) == 0);
	snprintf(s->name, sizeof(s->name), "dmpool");
	s->epoch = 42;
	n = st_node_add(s, 3);
	n->state = DMPOOL_NODE_MEMBER;
	n->addr_len = 4;
	n->addr[0] = 10;
	n->port = 7470;
	n->capacity = 1 << 30;
	snprintf(n->version, sizeof(n->version), "dmpoold 0.1.0");
	st_node_add(s, 1)->state = DMPOOL_NODE_MEMBER;
	st_node_add(s, 2)->state = DMPOOL_NODE_DOWN;
	p.id = DMPOOL_POOL_ID_CLUSTER | 7;
	snprintf(p.name, sizeof(p.name), "data");
	p.size = 4 * (64 << 10);
	p.extent = 64 << 10;
	p.replicas = 1;
	p.ttl_ms = 3600000;
	p.nmap = 4;
	p.map = map;
	p.attach[1] = 2;
	p.policy.uid = 1000;
	p.policy.gid = 100;
	p.policy.mode = 0640;
	p.policy.ngrants = 2;
	p.policy.grants[0] = (struct dmpool_grant){ 65534, DMPOOL_RIGHT_READ };
	p.policy.grants[1] = (struct dmpool_grant){ 70000, DMPOOL_RIGHTS_ALL };
	CHECK(st_pool_add(s, &p) == 0);
	st_recompute_committed(s);
}

/*
 * A version 1 encoding made from @buf (version 3, name "dmpool"): without
 * the quorum generation (8 bytes after the epoch, at 16 + 2 + 6 + 8) and
 * the @pol_len bytes of the one pool's policy at @pol_off.  malloc'd.
 */
static uint8_t *to_v1(const uint8_t *buf, size_t len, size_t pol_off,
		      size_t pol_len, size_t *v1len)
{
	size_t n = len - 8 - pol_len, i;
	uint8_t *v1 = malloc(len);

	if (!v1)
		return NULL;
	memcpy(v1, buf, 32);
	memcpy(v1 + 32, buf + 40, pol_off - 40);
	memcpy(v1 + pol_off - 8, buf + pol_off + pol_len,
	       len - pol_off - pol_len);
	v1[4] = 1;
	for (i = 0; i < 8; i++)
		v1[8 + i] = (uint8_t)((uint64_t)(n - 16) >> (8 * i));
	*v1len = n;
	return v1;
}

static void test_sorted(void)
{
	struct snapshot s;

	make_snap(&s);
	CHECK_U64(s.nnodes, 3);
	CHECK_U64(s.nodes[0].id, 1);
	CHECK_U64(s.nodes[2].id, 3);
	CHECK_U64(s.nodes[0].committed, 2 * (64 << 10));
	CHECK_U64(s.nodes[1].committed, 64 << 10);
	st_free(&s);
}

static void test_round_trip(void)
{
	struct snapshot s, t = { 0 };
	uint8_t a[DMPOOL_CHECKSUM_LEN], b[DMPOOL_CHECKSUM_LEN];
	uint8_t *buf, *buf2;
	size_t len, len2;

	make_snap(&s);
	CHECK(st_encode(&s, &buf, &len) == 0);
	CHECK(st_init(&t) == 0);
	CHECK(st_decode(&t, buf, len, why, sizeof(why)) == 0);
	CHECK(st_encode(&t, &buf2, &len2) == 0);
	CHECK(len == len2 && !memcmp(buf, buf2, len));
	CHECK(st_checksum(&s, a) == 0 && st_checksum(&t, b) == 0);
	CHECK(!memcmp(a, b, sizeof(a)));
	CHECK_U64(t.pools[0].attach[1], 2);
	CHECK_STR(t.nodes[2].version, "dmpoold 0.1.0");
	/* A change changes the checksum. */
	t.epoch++;
	CHECK(st_checksum(&t, b) == 0 && memcmp(a, b, sizeof(a)));
	free(buf);
	free(buf2);
	st_free(&s);
	st_free(&t);
}

static void test_checksum_known(void)
{
	struct snapshot s;
	uint8_t a[DMPOOL_CHECKSUM_LEN], b[DMPOOL_CHECKSUM_LEN];
	char hex[17];

	/* The same content built in another order: the same checksum. */
	make_snap(&s);
	CHECK(st_checksum(&s, a) == 0);
	st_free(&s);
	make_snap(&s);
	CHECK(st_checksum(&s, b) == 0);
	CHECK(!memcmp(a, b, sizeof(a)));
	CHECK_U64(strlen(st_checksum_short(a, hex)), 16);
	st_free(&s);
}

static void test_decode_refuses(void)
{
	struct snapshot s, t = { 0 };
	uint8_t *buf;
	size_t len, i;

	make_snap(&s);
	CHECK(st_encode(&s, &buf, &len) == 0);
	CHECK(st_init(&t) == 0);
	/* Every truncation fails. */
	for (i = 0; i < len; i++)
		CHECK(st_decode(&t, buf, i, why, sizeof(why)) < 0);
	/* Trailing garbage. */
	buf = realloc(buf, len + 1);
	buf[len] = 0;
	CHECK(st_decode(&t, buf, len + 1, why, sizeof(why)) < 0);
	/* A map count far beyond the data. */
	{
		uint8_t *c = malloc(len);

		memcpy(c, buf, len);
		c[0] ^= 1;
		CHECK(st_decode(&t, c, len, why, sizeof(why)) < 0);
		free(c);
	}
	/* Random garbage never crashes and is refused. */
	srand(1);
	for (i = 0; i < 2000; i++) {
		uint8_t g[64];
		size_t k;

		for (k = 0; k < sizeof(g); k++)
			g[k] = (uint8_t)rand();
		CHECK(st_decode(&t, g, sizeof(g), why, sizeof(why)) < 0);
		/* With a valid header and length: still refused or valid. */
		memcpy(g, buf, 8);
		g[8] = sizeof(g) - 16;
		memset(g + 9, 0, 7);
		(void)st_decode(&t, g, sizeof(g), why, sizeof(why));
	}
	/* Flip each byte: decode may succeed or fail but must not crash. */
	for (i = 16; i < len; i++) {
		buf[i] ^= 0xff;
		(void)st_decode(&t, buf, len, why, sizeof(why));
		buf[i] ^= 0xff;
	}
	CHECK(st_decode(&t, buf, len, why, sizeof(why)) == 0);
	free(buf);
	st_free(&s);
	st_free(&t);
}

static bool policy_is(const struct dpolicy *p, uint32_t uid, uint32_t gid,
		      uint32_t mode, uint32_t ngrants)
{
	return p->uid == uid && p->gid == gid && p->mode == mode &&
	       p->ngrants == ngrants;
}

/* A snapshot's policies: kept, checksummed, checked, old version upgraded. */
static void test_policy(void)
{
	struct snapshot s, t = { 0 };
	uint8_t a[DMPOOL_CHECKSUM_LEN], b[DMPOOL_CHECKSUM_LEN];
	struct dpolicy *pol;
	uint8_t *buf, *v1;
	size_t len, v1len, off;

	make_snap(&s);
	CHECK(st_init(&t) == 0);
	CHECK(st_encode(&s, &buf, &len) == 0);
	CHECK(st_decode(&t, buf, len, why, sizeof(why)) == 0);
	pol = &t.pools[0].policy;
	CHECK(policy_is(pol, 1000, 100, 0640, 2));
	CHECK_U64(pol->grants[1].uid, 70000);
	CHECK_U64(pol->grants[1].rights, DMPOOL_RIGHTS_ALL);
	CHECK(st_checksum(&s, a) == 0);
	/* Each policy field is covered by the checksum. */
	s.pools[0].policy.mode = 0600;
	CHECK(st_checksum(&s, b) == 0 && memcmp(a, b, sizeof(a)));
	s.pools[0].policy.mode = 0640;
	s.pools[0].policy.grants[0].rights |= DMPOOL_RIGHT_WRITE;
	CHECK(st_checksum(&s, b) == 0 && memcmp(a, b, sizeof(a)));
	s.pools[0].policy.grants[0].rights = DMPOOL_RIGHT_READ;
	s.pools[0].policy.uid = 0;
	CHECK(st_checksum(&s, b) == 0 && memcmp(a, b, sizeof(a)));
	s.pools[0].policy.uid = 1000;
	CHECK(st_checksum(&s, b) == 0 && !memcmp(a, b, sizeof(a)));
	free(buf);

	/* A bad policy or unsorted grants are refused. */
	s.pools[0].policy.mode = 01000;
	CHECK(st_encode(&s, &buf, &len) == 0);
	CHECK(st_decode(&t, buf, len, why, sizeof(why)) < 0);
	CHECK_STR(why, "pool 0x100000000000007: mode 01000 is above 0777");
	free(buf);
	s.pools[0].policy.mode = 0640;
	s.pools[0].policy.grants[0].uid = 80000;
	CHECK(st_encode(&s, &buf, &len) == 0);
	CHECK(st_decode(&t, buf, len, why, sizeof(why)) < 0);
	CHECK_STR(why, "pool 0x100000000000007: grants out of order");
	free(buf);
	s.pools[0].policy.grants[0].uid = 70000;
	CHECK(st_encode(&s, &buf, &len) == 0);
	CHECK(st_decode(&t, buf, len, why, sizeof(why)) < 0);
	CHECK_STR(why, "pool 0x100000000000007: uid 70000 is granted twice");
	free(buf);
	s.pools[0].policy.grants[0].uid = 65534;

	/*
	 * Version 1 (no policy): the same bytes without the policy's
	 * 4 + 4 + 4 + 1 + 2 * 8 bytes; decoded with root:root 0666.
	 */
	CHECK(st_encode(&s, &buf, &len) == 0);
	/* The policy follows the pool's idle_epoch: find it by its uid. */
	for (off = 16; off + 4 <= len; off++)
		if (!memcmp(buf + off, "\xe8\x03\x00\x00\x64\x00\x00\x00", 8))
			break;
	CHECK(off + 4 < len && off > 40);
	v1 = to_v1(buf, len, off, 29, &v1len);
	CHECK(v1 != NULL);
	if (!v1)
		return;
	CHECK(st_decode(&t, v1, v1len, why, sizeof(why)) == 0);
	CHECK(policy_is(&t.pools[0].policy, 0, 0, 0666, 0));
	CHECK_U64(t.pools[0].attach[1], 2);
	v1[4] = 2;	/* never released */
	CHECK(st_decode(&t, v1, v1len, why, sizeof(why)) < 0);
	CHECK_STR(why, "not a dmpool snapshot of version 1 or 3");
	free(v1);
	free(buf);
	st_free(&s);
	st_free(&t);
}

static void test_sync_rule(void)
{
	uint64_t g1[] = { 0, 0, 0, 0 }, e1[] = { 5, 9, 9, 3 };
	uint32_t i1[] = { 1, 3, 2, 4 };
	uint64_t g2[] = { 0 }, e2[] = { 0 };
	uint32_t i2[] = { 7 };
	uint64_t g3[] = { 1, 1, 1 }, e3[] = { 4, 4, 4 };
	uint32_t i3[] = { 3, 2, 5 };
	/*
	 * A minority partition churned attach counts (epoch 50) but could
	 * not change pools; the majority (lower epoch) applied changes with
	 * quorum: the majority's snapshot wins, whatever the node IDs.
	 */
	uint64_t g4[] = { 7, 9, 9 }, e4[] = { 50, 20, 20 };
	uint32_t i4[] = { 1, 3, 2 };

	CHECK_U64(st_sync_pick(g1, e1, i1, 4), 2);	/* epoch 9, lower ID 2 */
	CHECK_U64(st_sync_pick(g2, e2, i2, 1), 0);
	CHECK_U64(st_sync_pick(g3, e3, i3, 3), 1);
	CHECK_U64(st_sync_pick(g4, e4, i4, 3), 2);
}

static void test_decode_v1(void)
{
	struct snapshot s, t = { 0 };
	uint8_t *buf, *v1;
	size_t len, v1len, off;

	/* Version 1: no qgen, no policy (29 bytes: two grants) in the pool. */
	make_snap(&s);
	s.qgen = 0;
	s.pools[0].policy.uid = 0x11111111;
	s.pools[0].policy.gid = 0x22222222;
	CHECK(st_encode(&s, &buf, &len) == 0);
	for (off = 40; off + 8 <= len; off++)
		if (!memcmp(buf + off, "\x11\x11\x11\x11\x22\x22\x22\x22", 8))
			break;
	CHECK(off + 8 < len);
	v1 = to_v1(buf, len, off, 29, &v1len);
	CHECK(v1 != NULL);
	if (!v1)
		return;
	CHECK(st_init(&t) == 0);
	CHECK(st_decode(&t, v1, v1len, why, sizeof(why)) == 0);
	CHECK_U64(t.qgen, 0);
	CHECK_U64(t.epoch, 42);
	CHECK_U64(t.npools, 1);
	CHECK(t.npools == 1 && t.pools[0].policy.uid == 0 &&
	      t.pools[0].policy.mode == 0666);
	free(buf);
	free(v1);
	st_free(&s);
	st_free(&t);
}

static void test_persist(void)
{
	char dir[] = "/tmp/dmpoold-unit-XXXXXX", path[64];
	struct snapshot s, t = { 0 };
	uint8_t a[DMPOOL_CHECKSUM_LEN], b[DMPOOL_CHECKSUM_LEN];

	CHECK(mkdtemp(dir) != NULL);
	CHECK(st_init(&t) == 0);
	CHECK(st_load(&t, dir, why, sizeof(why)) == 1);
	make_snap(&s);
	CHECK(st_save(&s, dir) == 0);
	CHECK(st_load(&t, dir, why, sizeof(why)) == 0);
	CHECK(st_checksum(&s, a) == 0 && st_checksum(&t, b) == 0);
	CHECK(!memcmp(a, b, sizeof(a)));
	snprintf(path, sizeof(path), "%s/state.tmp", dir);
	CHECK(access(path, F_OK) != 0);
	snprintf(path, sizeof(path), "%s/state", dir);
	unlink(path);
	rmdir(dir);
	st_free(&s);
	st_free(&t);
}

static void test_cpg_round_trip(void)
{
	struct cpgp_msg m = { .type = CPGP_POOL_CREATE, .origin = 2, .req = 99,
			      .size = 1 << 20, .replicas = 1, .ttl_ms = 5000 };
	struct cpgp_msg d;
	uint8_t *buf;
	size_t len, i;

	snprintf(m.name, sizeof(m.name), "p1");
	CHECK(cpgp_encode(&m, &buf, &len) == 0);
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) == 0);
	CHECK_U64(d.type, CPGP_POOL_CREATE);
	CHECK_U64(d.origin, 2);
	CHECK_U64(d.req, 99);
	CHECK_STR(d.name, "p1");
	CHECK_U64(d.size, 1 << 20);
	CHECK_U64(d.ttl_ms, 5000);
	for (i = 0; i < len; i++)
		CHECK(cpgp_decode(&d, buf, i, why, sizeof(why)) < 0);
	/* A length field that lies. */
	buf[8]++;
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) < 0);
	free(buf);

	memset(&m, 0, sizeof(m));
	m.type = CPGP_APPLIED;
	m.origin = 1;
	m.req = 5;
	m.node = 3;
	m.status = 28;
	snprintf(m.message, sizeof(m.message), "no room");
	CHECK(cpgp_encode(&m, &buf, &len) == 0);
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) == 0);
	CHECK_STR(d.message, "no room");
	CHECK_U64(d.status, 28);
	free(buf);

	memset(&m, 0, sizeof(m));
	m.type = CPGP_NODE_ANNOUNCE;
	m.node = 4;
	m.addr_len = 4;
	m.addr[0] = 192;
	m.port = 7470;
	m.capacity = 123;
	CHECK(cpgp_encode(&m, &buf, &len) == 0);
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) == 0);
	CHECK_U64(d.addr[0], 192);
	CHECK_U64(d.port, 7470);
	/* A bad address length. */
	buf[CPGP_HDR_LEN + 4] = 7;
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) < 0);
	free(buf);

	m.type = 99;
	CHECK(cpgp_encode(&m, &buf, &len) < 0);
}

/* POOL_CREATE and POOL_SET carry a policy with grants, bounded. */
static void test_cpg_policy(void)
{
	struct cpgp_msg m = { .type = CPGP_POOL_CREATE, .origin = 1, .req = 7,
			      .size = 1 << 20, .replicas = 1, .ttl_ms = 5000,
			      .policy = { .uid = 1000, .gid = 100, .mode = 0640,
					  .ngrants = 2 } };
	struct cpgp_msg d;
	uint8_t *buf;
	size_t len, i;

	m.policy.grants[0] = (struct dmpool_grant){ 65534, DMPOOL_RIGHT_READ };
	m.policy.grants[1] = (struct dmpool_grant){ 7, DMPOOL_RIGHTS_ALL };
	snprintf(m.name, sizeof(m.name), "pp");
	CHECK(cpgp_encode(&m, &buf, &len) == 0);
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) == 0);
	CHECK(!memcmp(&d.policy, &m.policy, sizeof(m.policy)));
	/* The grant count is the byte after uid, gid, mode: too many. */
	CHECK_U64(buf[len - 17], 2);
	buf[len - 17] = DMPOOL_GRANTS_MAX + 1;
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) < 0);
	CHECK_STR(why, "POOL_CREATE: truncated or oversized field");
	free(buf);

	m.type = CPGP_POOL_SET;
	m.pool = DMPOOL_POOL_ID_CLUSTER | 3;
	m.set = CPGP_SET_MODE | CPGP_SET_GRANTS;
	m.policy.ngrants = DMPOOL_GRANTS_MAX;
	for (i = 0; i < DMPOOL_GRANTS_MAX; i++)
		m.policy.grants[i] = (struct dmpool_grant){ (uint32_t)i + 1,
							    DMPOOL_RIGHT_READ };
	CHECK(cpgp_encode(&m, &buf, &len) == 0);
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) == 0);
	CHECK_U64(d.set, CPGP_SET_MODE | CPGP_SET_GRANTS);
	CHECK_U64(d.pool, DMPOOL_POOL_ID_CLUSTER | 3);
	CHECK(!memcmp(&d.policy, &m.policy, sizeof(m.policy)));
	for (i = 0; i < len; i++)
		CHECK(cpgp_decode(&d, buf, i, why, sizeof(why)) < 0);
	free(buf);
	/* More grants than fit cannot be encoded. */
	m.policy.ngrants = DMPOOL_GRANTS_MAX + 1;
	CHECK(cpgp_encode(&m, &buf, &len) < 0);
	/* Another version's messages are refused with a reason. */
	m.policy.ngrants = 0;
	CHECK(cpgp_encode(&m, &buf, &len) == 0);
	buf[4] = 1;
	CHECK(cpgp_decode(&d, buf, len, why, sizeof(why)) < 0);
	CHECK_STR(why, "message version 1, this dmpoold speaks 2: run the same dmpoold on every node");
	free(buf);
}

static void test_cpg_garbage(void)
{
	struct cpgp_msg d;
	uint8_t g[80];
	size_t i, k;

	srand(2);
	for (i = 0; i < 5000; i++) {
		for (k = 0; k < sizeof(g); k++)
			g[k] = (uint8_t)rand();
		/* Mostly valid headers, to reach the bodies. */
		g[0] = 0x44; g[1] = 0x4d; g[2] = 0x50; g[3] = 0x4d;
		g[4] = CPGP_VERSION; g[5] = 0;
		g[6] = (uint8_t)(1 + i % CPGP_TYPE_MAX); g[7] = 0;
		k = 12 + (size_t)rand() % (sizeof(g) - 12);
		g[8] = (uint8_t)(k - 12); g[9] = g[10] = g[11] = 0;
		(void)cpgp_decode(&d, g, k, why, sizeof(why));
	}
	CHECK(cpgp_decode(&d, g, 3, why, sizeof(why)) < 0);
}

int main(void)
{
	RUN(test_sorted);
	RUN(test_round_trip);
	RUN(test_checksum_known);
	RUN(test_decode_refuses);
	RUN(test_policy);
	RUN(test_sync_rule);
	RUN(test_decode_v1);
	RUN(test_persist);
	RUN(test_cpg_round_trip);
	RUN(test_cpg_policy);
	RUN(test_cpg_garbage);
	return unit_done();
}
