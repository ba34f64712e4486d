// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for map lists (dmpoolctl/maplist.c): "1,2,3,1*4" in and
 * out, and a precise refusal for each way to get one wrong.
 */
#include <stdlib.h>

#include <linux/dmpool.h>

#include "maplist.h"
#include "unit.h"

static uint32_t map[DMPOOL_MAP_ENTRIES_MAX];
static char why[200];
static size_t n;

#define CHECK_BAD(s, want)						\
	do {								\
		CHECK(maplist_parse((s), map, DMPOOL_MAP_ENTRIES_MAX, &n, \
				    why, sizeof(why)) < 0);		\
		if (!strstr(why, (want))) {				\
			printf("#   '%s': reason \"%s\" lacks \"%s\"\n",	\
			       (s), why, (want));			\
			unit_point_failed = 1;				\
		}							\
	} while (0)

static void test_parse(void)
{
	CHECK(maplist_parse("1,2,3,1*4", map, DMPOOL_MAP_ENTRIES_MAX, &n, why,
			    sizeof(why)) == 0);
	CHECK_U64(n, 7);
	CHECK_U64(map[0], 1);
	CHECK_U64(map[2], 3);
	CHECK_U64(map[3], 1);
	CHECK_U64(map[6], 1);
	CHECK(maplist_parse("64", map, 1, &n, why, sizeof(why)) == 0);
	CHECK_U64(n, 1);
	CHECK_U64(map[0], 64);
	CHECK(maplist_parse("2*8192", map, DMPOOL_MAP_ENTRIES_MAX, &n, why,
			    sizeof(why)) == 0);
	CHECK_U64(n, 8192);
	CHECK_U64(map[8191], 2);
	CHECK(maplist_parse("007*1", map, 4, &n, why, sizeof(why)) == 0);
	CHECK_U64(map[0], 7);
}

static void test_parse_errors(void)
{
	CHECK_BAD("", "empty list");
	CHECK_BAD(",1", "'' is not a node ID");
	CHECK_BAD("1,", "empty item");
	CHECK_BAD("1,,2", "empty item");
	CHECK_BAD("0", "node ID '0' out of range: use 1-64");
	CHECK_BAD("1,65", "node ID '65' out of range");
	CHECK_BAD("99999999999999999999999", "out of range");
	CHECK_BAD("1,a", "'a' is not a node ID");
	CHECK_BAD("1 2", "'1 2' is not ID or ID*COUNT");
	CHECK_BAD("-1", "is not a node ID");
	CHECK_BAD("+1", "is not a node ID");
	CHECK_BAD("1*", "a count must follow '*'");
	CHECK_BAD("1*x", "a count must follow '*'");
	CHECK_BAD("1*0", "the count must be at least 1");
	CHECK_BAD("1*2*3", "is not ID or ID*COUNT");
	CHECK_BAD("1;2", "is not ID or ID*COUNT");
	CHECK_BAD("1*8193", "more than 8192 entries");
	CHECK_BAD("1*8192,2", "more than 8192 entries");
	CHECK_BAD("1*99999999999999999999999", "more than 8192 entries");
	CHECK_BAD("1*4294967296", "more than 8192 entries");
	/* Long items are cut in the message, never overrun. */
	CHECK_BAD("1,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		  "is not a node ID");
}

static void test_format(void)
{
	static char buf[MAPLIST_FMT_MAX];
	uint32_t m[] = { 1, 2, 3, 1, 1, 1, 1 };
	size_t i;

	CHECK(maplist_format(m, 7, buf, sizeof(buf)) == 9);
	CHECK_STR(buf, "1,2,3,1*4");
	CHECK(maplist_format(m, 0, buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "");
	/* Too small: -1 and an empty string. */
	CHECK(maplist_format(m, 7, buf, 9) < 0);
	CHECK_STR(buf, "");
	CHECK(maplist_format(m, 7, buf, 10) == 9);

	/* The worst case fits MAPLIST_FMT_MAX; and parses back. */
	for (i = 0; i < DMPOOL_MAP_ENTRIES_MAX; i++)
		map[i] = i % 2 ? 63 : 64;
	CHECK(maplist_format(map, DMPOOL_MAP_ENTRIES_MAX, buf, sizeof(buf)) > 0);
	CHECK(maplist_parse(buf, map, DMPOOL_MAP_ENTRIES_MAX, &n, why,
			    sizeof(why)) == 0);
	CHECK_U64(n, DMPOOL_MAP_ENTRIES_MAX);
	CHECK_U64(map[8191], 63);
}

static void test_nodelist(void)
{
	uint32_t nodes[DMPOOL_NODES_MAX];

	CHECK(nodelist_parse("1,3", nodes, DMPOOL_NODES_MAX, &n, why,
			     sizeof(why)) == 0);
	CHECK_U64(n, 2);
	CHECK_U64(nodes[1], 3);
	CHECK(nodelist_parse("1,3,1", nodes, DMPOOL_NODES_MAX, &n, why,
			     sizeof(why)) < 0);
	CHECK_STR(why, "node 1 is listed twice");
	CHECK(nodelist_parse("1*2", nodes, DMPOOL_NODES_MAX, &n, why,
			     sizeof(why)) < 0);
	CHECK_STR(why, "'1*2' is not a node ID");
	CHECK(nodelist_parse("0", nodes, DMPOOL_NODES_MAX, &n, why,
			     sizeof(why)) < 0);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_parse_errors);
	RUN(test_format);
	RUN(test_nodelist);
	return unit_done();
}
