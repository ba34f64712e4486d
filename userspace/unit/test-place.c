// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the placement of a pool's extents (dmpoolctl/place.c):
 * default extent sizes, candidate nodes, counts in proportion to free
 * memory within each node's cap, the interleaved order, not enough
 * space, one node, one extent.
 */
#include <stdlib.h>

#include "place.h"
#include "unit.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static uint32_t map[DMPOOL_MAP_ENTRIES_MAX];
static char why[400];

/* "1,2,3" for the first @n entries of map. */
static const char *seq(size_t n)
{
	static char buf[256];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%u",
					 i ? "," : "", map[i]);
	return buf;
}

static void test_default_extent(void)
{
	CHECK_U64(place_default_extent(4096), 4 * MiB);
	CHECK_U64(place_default_extent(3 * GiB), 4 * MiB);
	/* 8192 extents of 4 MiB = 32 GiB: one byte more needs 8 MiB. */
	CHECK_U64(place_default_extent(32 * GiB), 4 * MiB);
	CHECK_U64(place_default_extent(32 * GiB + 1), 8 * MiB);
	CHECK_U64(place_default_extent(DMPOOL_POOL_SIZE_MAX), 128 * MiB);
	/* Capped, even if the pool then needs too many extents. */
	CHECK_U64(place_default_extent(UINT64_MAX), DMPOOL_EXTENT_SIZE_MAX);
	CHECK_U64(place_extents(4096, 4 * MiB), 1);
	CHECK_U64(place_extents(8 * MiB, 4 * MiB), 2);
	CHECK_U64(place_extents(8 * MiB + 1, 4 * MiB), 3);
}

static void test_extent_valid(void)
{
	CHECK(place_extent_valid(DMPOOL_EXTENT_SIZE_MIN));
	CHECK(place_extent_valid(DMPOOL_EXTENT_SIZE_MAX));
	CHECK(place_extent_valid(4 * MiB));
	CHECK(!place_extent_valid(32 << 10));
	CHECK(!place_extent_valid(2 * DMPOOL_EXTENT_SIZE_MAX));
	CHECK(!place_extent_valid(3 * MiB));
	CHECK(!place_extent_valid(0));
}

static void test_equal_nodes_interleave(void)
{
	struct place_node n[] = { { 1, 400 * MiB }, { 2, 400 * MiB },
				  { 3, 400 * MiB } };
	uint32_t cnt[3];

	CHECK(place_pool(36 * MiB, 4 * MiB, n, 3, map, cnt) == PLACE_OK);
	CHECK_STR(seq(9), "1,2,3,1,2,3,1,2,3");
	CHECK_U64(cnt[0], 3);
	CHECK_U64(cnt[1], 3);
	CHECK_U64(cnt[2], 3);
	/* The input order does not matter. */
	{
		struct place_node r[] = { n[2], n[0], n[1] };

		CHECK(place_pool(36 * MiB, 4 * MiB, r, 3, map, cnt) == PLACE_OK);
		CHECK_STR(seq(9), "1,2,3,1,2,3,1,2,3");
		CHECK_U64(cnt[0], 3);	/* node 3 */
	}
}

static void test_proportions(void)
{
	/* 2:1:1 free -> 2:1:1 extents, node 1 every other extent. */
	struct place_node n[] = { { 1, 800 * MiB }, { 2, 400 * MiB },
				  { 3, 400 * MiB } };
	uint32_t cnt[3];

	CHECK(place_pool(32 * MiB, 4 * MiB, n, 3, map, cnt) == PLACE_OK);
	CHECK_U64(cnt[0], 4);
	CHECK_U64(cnt[1], 2);
	CHECK_U64(cnt[2], 2);
	CHECK_STR(seq(8), "1,2,3,1,1,2,3,1");
	/* 1:1 over 2 nodes alternates from the first extent to the last. */
	{
		struct place_node m[] = { { 4, GiB }, { 8, GiB } };

		CHECK(place_pool(24 * MiB, 4 * MiB, m, 2, map, cnt) == PLACE_OK);
		CHECK_STR(seq(6), "4,8,4,8,4,8");
	}
}

static void test_largest_remainder(void)
{
	/* 10 extents on equal nodes: 4,3,3; the extra one to the lowest ID. */
	struct place_node n[] = { { 5, GiB }, { 2, GiB }, { 9, GiB } };
	uint32_t cnt[3];

	CHECK(place_pool(40 * MiB, 4 * MiB, n, 3, map, cnt) == PLACE_OK);
	CHECK_U64(cnt[1], 4);	/* node 2 */
	CHECK_U64(cnt[0], 3);	/* node 5 */
	CHECK_U64(cnt[2], 3);	/* node 9 */
	CHECK_STR(seq(10), "2,5,9,2,5,9,2,5,9,2");

	/* Remainders decide: 3 extents over 50:30:20 are 1.5, .9, .6. */
	{
		struct place_node m[] = { { 1, 500 * MiB }, { 2, 300 * MiB },
					  { 3, 200 * MiB } };

		CHECK(place_pool(12 * MiB, 4 * MiB, m, 3, map, cnt) == PLACE_OK);
		CHECK_U64(cnt[0], 1);
		CHECK_U64(cnt[1], 1);
		CHECK_U64(cnt[2], 1);
		/* 5 extents: 2.5, 1.5, 1; the tie of .5 goes to node 1. */
		CHECK(place_pool(20 * MiB, 4 * MiB, m, 3, map, cnt) == PLACE_OK);
		CHECK_U64(cnt[0], 3);
		CHECK_U64(cnt[1], 1);
		CHECK_U64(cnt[2], 1);
		/* 4 extents: 2, 1.2, .8: the one left goes to node 3. */
		CHECK(place_pool(16 * MiB, 4 * MiB, m, 3, map, cnt) == PLACE_OK);
		CHECK_U64(cnt[0], 2);
		CHECK_U64(cnt[1], 1);
		CHECK_U64(cnt[2], 1);
	}
}

static void test_caps(void)
{
	/*
	 * Node 1 has the most free memory but only in small change: 7.9 MiB
	 * with 4 MiB extents is 1 extent.  Its proportional share (3 of 4)
	 * is capped, the rest goes to the others.
	 */
	struct place_node n[] = { { 1, 8 * MiB - 100 * 1024 }, { 2, 4 * MiB },
				  { 3, 4 * MiB } };
	uint32_t cnt[3];

	CHECK(place_pool(12 * MiB, 4 * MiB, n, 3, map, cnt) == PLACE_OK);
	CHECK_U64(cnt[0], 1);
	CHECK_U64(cnt[1], 1);
	CHECK_U64(cnt[2], 1);

	/* A big node capped, the remainder spread over the small ones. */
	{
		struct place_node m[] = { { 1, 1000 * MiB }, { 2, 20 * MiB },
					  { 3, 20 * MiB } };

		/* 260 extents: node 1 can take 250 of them. */
		CHECK(place_pool(1040 * MiB, 4 * MiB, m, 3, map, cnt) == PLACE_OK);
		CHECK_U64(cnt[0], 250);
		CHECK_U64(cnt[1], 5);
		CHECK_U64(cnt[2], 5);
	}
	/* Less than one extent free: no extents, no share of the weight. */
	{
		struct place_node m[] = { { 1, 3 * MiB }, { 2, 8 * MiB } };

		CHECK(place_pool(8 * MiB, 4 * MiB, m, 2, map, cnt) == PLACE_OK);
		CHECK_U64(cnt[0], 0);
		CHECK_U64(cnt[1], 2);
		CHECK_STR(seq(2), "2,2");
	}
}

static void test_exact_fit(void)
{
	struct place_node n[] = { { 1, 8 * MiB }, { 2, 4 * MiB } };
	uint32_t cnt[2];

	CHECK(place_pool(12 * MiB, 4 * MiB, n, 2, map, cnt) == PLACE_OK);
	CHECK_U64(cnt[0], 2);
	CHECK_U64(cnt[1], 1);
	CHECK_STR(seq(3), "1,2,1");
}

static void test_not_enough_space(void)
{
	struct place_node n[] = { { 1, 400 * MiB }, { 2, 400 * MiB },
				  { 3, 400 * MiB + 3 * MiB } };

	CHECK(place_pool(3 * GiB, 4 * MiB, n, 3, map, NULL) == PLACE_NOSPACE);
	CHECK_STR(place_nospace_msg("big", 3 * GiB, 4 * MiB, n, 3, why,
				    sizeof(why)),
		  "cannot place pool 'big' of 3 GiB: the cluster has 1.2 GiB free in 4 MiB extents (node 1: 400 MiB, node 2: 400 MiB, node 3: 400 MiB)");
	/* One extent short. */
	{
		struct place_node m[] = { { 1, 8 * MiB }, { 2, 8 * MiB - 1 } };

		CHECK(place_pool(16 * MiB, 4 * MiB, m, 2, map, NULL) == PLACE_NOSPACE);
		CHECK(place_pool(12 * MiB, 4 * MiB, m, 2, map, NULL) == PLACE_OK);
	}
	/* Truncated, never overrun. */
	CHECK(strlen(place_nospace_msg("big", 3 * GiB, 4 * MiB, n, 3, why, 20)) == 19);
}

static void test_single_node_and_one_extent(void)
{
	struct place_node one = { 7, GiB };
	struct place_node n[] = { { 1, GiB }, { 2, 2 * GiB } };
	uint32_t cnt[2];

	CHECK(place_pool(20 * MiB, 4 * MiB, &one, 1, map, cnt) == PLACE_OK);
	CHECK_STR(seq(5), "7,7,7,7,7");
	CHECK_U64(cnt[0], 5);
	/* A pool smaller than one extent is one extent, on the freest node. */
	CHECK(place_pool(4096, 4 * MiB, n, 2, map, cnt) == PLACE_OK);
	CHECK_STR(seq(1), "2");
	CHECK_U64(cnt[0], 0);
	CHECK_U64(cnt[1], 1);
}

static void test_invalid(void)
{
	struct place_node n[] = { { 1, GiB }, { 1, GiB } };

	CHECK(place_pool(0, 4 * MiB, n, 1, map, NULL) == PLACE_INVALID);
	CHECK(place_pool(4096, 3 * MiB, n, 1, map, NULL) == PLACE_INVALID);
	CHECK(place_pool(4096, 4 * MiB, n, 0, map, NULL) == PLACE_INVALID);
	CHECK(place_pool(4096, 4 * MiB, n, 2, map, NULL) == PLACE_INVALID);
	CHECK(place_pool(DMPOOL_POOL_SIZE_MAX, DMPOOL_EXTENT_SIZE_MIN, n, 1,
			 map, NULL) == PLACE_TOO_MANY);
}

static void test_largest_map_is_complete(void)
{
	struct place_node n[DMPOOL_NODES_MAX];
	uint32_t cnt[DMPOOL_NODES_MAX];
	uint64_t seen[DMPOOL_NODES_MAX + 1] = { 0 }, sum = 0;
	size_t i;

	for (i = 0; i < DMPOOL_NODES_MAX; i++) {
		n[i].id = (uint32_t)(i + 1);
		n[i].free = (uint64_t)(i + 1) * 37 * GiB;	/* uneven */
	}
	CHECK(place_pool(DMPOOL_POOL_SIZE_MAX, 128 * MiB, n, DMPOOL_NODES_MAX,
			 map, cnt) == PLACE_OK);
	for (i = 0; i < DMPOOL_MAP_ENTRIES_MAX; i++) {
		CHECK(map[i] >= 1 && map[i] <= DMPOOL_NODES_MAX);
		if (map[i] >= 1 && map[i] <= DMPOOL_NODES_MAX)
			seen[map[i]]++;
	}
	for (i = 0; i < DMPOOL_NODES_MAX; i++) {
		CHECK_U64(seen[i + 1], cnt[i]);
		sum += cnt[i];
	}
	CHECK_U64(sum, DMPOOL_MAP_ENTRIES_MAX);
	/* Proportional: node 64 has 64 times node 1's memory. */
	CHECK(cnt[63] >= 63 * cnt[0] && cnt[63] <= 65 * (cnt[0] + 1));
}

static void test_candidates(void)
{
	struct ctl_mem m[] = {
		{ .node_id = 2, .self = true, .capacity = GiB,
		  .committed = 256 * MiB },
		{ .node_id = 3, .has_state = true, .state = DMPOOL_PEER_CONNECTED,
		  .has_age = true, .age_ms = 900, .capacity = GiB },
		{ .node_id = 1, .has_state = true, .state = DMPOOL_PEER_CONNECTED,
		  .has_age = true, .age_ms = 5000, .capacity = 2 * GiB,
		  .committed = 3 * GiB },
		{ .node_id = 4, .has_state = true, .state = DMPOOL_PEER_DOWN,
		  .has_age = true, .age_ms = 10, .capacity = GiB },
		{ .node_id = 5, .has_state = true, .state = DMPOOL_PEER_CONNECTED,
		  .has_age = true, .age_ms = 5001, .capacity = GiB },
	};
	struct place_node out[DMPOOL_NODES_MAX];
	uint32_t only[2];
	size_t n;

	CHECK(place_candidates(m, 5, NULL, 0, out, &n, why, sizeof(why)) == 0);
	CHECK_U64(n, 3);
	CHECK_U64(out[0].id, 1);
	CHECK_U64(out[0].free, 0);	/* over-committed: never negative */
	CHECK_U64(out[1].id, 2);
	CHECK_U64(out[1].free, 768 * MiB);
	CHECK_U64(out[2].id, 3);

	only[0] = 3;
	only[1] = 2;
	CHECK(place_candidates(m, 5, only, 2, out, &n, why, sizeof(why)) == 0);
	CHECK_U64(n, 2);
	CHECK_U64(out[0].id, 2);
	CHECK_U64(out[1].id, 3);

	only[0] = 4;
	CHECK(place_candidates(m, 5, only, 1, out, &n, why, sizeof(why)) < 0);
	CHECK_STR(why, "node 4 cannot take part: it is down, not connected");
	only[0] = 5;
	CHECK(place_candidates(m, 5, only, 1, out, &n, why, sizeof(why)) < 0);
	CHECK_STR(why, "node 5 cannot take part: its memory report is 5001 ms old (at most 5000)");
	only[0] = 9;
	CHECK(place_candidates(m, 5, only, 1, out, &n, why, sizeof(why)) < 0);
	CHECK(strstr(why, "node 9 cannot take part") != NULL);

	/* This node without an ID. */
	m[0].node_id = 0;
	CHECK(place_candidates(m, 5, NULL, 0, out, &n, why, sizeof(why)) < 0);
	CHECK(strstr(why, "dmpoolctl node set") != NULL);
	CHECK(place_candidates(m + 1, 4, NULL, 0, out, &n, why, sizeof(why)) < 0);
}

static void test_share(void)
{
	uint32_t m[] = { 1, 2, 1 };

	/* 9 MiB in 4 MiB extents: node 1 has extent 0 and the 1 MiB tail. */
	CHECK_U64(place_share(9 * MiB, 4 * MiB, m, 3, 1), 5 * MiB);
	CHECK_U64(place_share(9 * MiB, 4 * MiB, m, 3, 2), 4 * MiB);
	CHECK_U64(place_share(9 * MiB, 4 * MiB, m, 3, 3), 0);
	/* The size is rounded up to whole pages first. */
	CHECK_U64(place_share(8 * MiB + 1, 4 * MiB, m, 3, 1), 4 * MiB + 4096);
}

int main(void)
{
	RUN(test_default_extent);
	RUN(test_extent_valid);
	RUN(test_equal_nodes_interleave);
	RUN(test_proportions);
	RUN(test_largest_remainder);
	RUN(test_caps);
	RUN(test_exact_fit);
	RUN(test_not_enough_space);
	RUN(test_single_node_and_one_extent);
	RUN(test_invalid);
	RUN(test_largest_map_is_complete);
	RUN(test_candidates);
	RUN(test_share);
	return unit_done();
}
