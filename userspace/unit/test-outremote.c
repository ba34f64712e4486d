// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the output of remote memory and placed pools
 * (dmpoolctl/outremote.c, and the placed columns of output.c): mem show,
 * pool stats, peer show, pool export, the created and installed lines,
 * with and without the attributes an older module leaves out.
 */
#include <stdlib.h>

#include "output.h"
#include "unit-capture.h"
#include "unit.h"

#define MiB (1ULL << 20)

static const struct ctl_mem mem[] = {
	{ .node_id = 1, .self = true, .capacity = 1024 * MiB,
	  .committed = 256 * MiB, .has_used = true, .used = 12 * MiB },
	{ .node_id = 2, .has_state = true, .state = DMPOOL_PEER_CONNECTED,
	  .has_age = true, .age_ms = 420, .capacity = 512 * MiB },
	{ .node_id = 3, .has_state = true, .state = DMPOOL_PEER_DOWN,
	  .has_age = true, .age_ms = 61000, .capacity = 512 * MiB,
	  .committed = 600 * MiB },
};

static void test_mem_show(void)
{
	struct capture c;
	struct ctl_mem noid = { .self = true, .capacity = 0 };

	CHECK(out_mem_show(cap_open(&c), mem, 3, false) == 0);
	CHECK_STR(cap_close(&c),
		  "NODE  STATE      EXPOSED  COMMITTED     FREE  ALLOCATED  AGE\n"
		  "   1  self         1 GiB    256 MiB  768 MiB     12 MiB  -\n"
		  "   2  connected  512 MiB        0 B  512 MiB          -  420 ms\n"
		  "   3  down       512 MiB    600 MiB      0 B          -  61.0 s\n");
	free(c.buf);

	CHECK(out_mem_show(cap_open(&c), mem, 2, true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"nodes\":[{\"id\":1,\"self\":true,\"exposed\":1073741824,"
		  "\"committed\":268435456,\"free\":805306368,\"allocated\":12582912},"
		  "{\"id\":2,\"self\":false,\"state\":\"connected\","
		  "\"exposed\":536870912,\"committed\":0,\"free\":536870912,"
		  "\"age_ms\":420}]}\n");
	free(c.buf);

	/* This node before node set: no ID. */
	CHECK(out_mem_show(cap_open(&c), &noid, 1, false) == 0);
	CHECK_STR(cap_close(&c),
		  "NODE  STATE  EXPOSED  COMMITTED  FREE  ALLOCATED  AGE\n"
		  "   -  self       0 B        0 B   0 B          -  -\n");
	free(c.buf);
}

static struct ctl_pool placed(void)
{
	struct ctl_pool p = {
		.id = (1ULL << 48) + 1, .name = "big", .size = 36 * MiB,
		.has_attached = true, .has_cached = true, .has_stored = true,
		.stored = 12 * MiB,
		.has_extent_size = true, .extent_size = 4 * MiB,
		.has_replicas = true, .replicas = 1,
		.has_local_bytes = true, .local_bytes = 12 * MiB,
	};
	return p;
}

static void test_pool_show_list_placed(void)
{
	struct ctl_pool p[2] = { placed(), { .id = 2, .name = "loc",
					     .size = 4096 } };
	struct capture c;

	CHECK(out_pool_show(cap_open(&c), &p[0], false) == 0);
	CHECK_STR(cap_close(&c),
		  "id:       281474976710657\n"
		  "name:     big\n"
		  "size:     36 MiB (37748736 bytes)\n"
		  "attached: 0\n"
		  "cached:   0 B (0 bytes)\n"
		  "stored:   12 MiB (12582912 bytes)\n"
		  "extent:   4 MiB (4194304 bytes)\n"
		  "replicas: 1\n"
		  "local:    12 MiB (12582912 bytes)\n");
	free(c.buf);

	CHECK(out_pool_show(cap_open(&c), &p[0], true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"id\":281474976710657,\"name\":\"big\",\"size\":37748736,"
		  "\"attached\":0,\"cached\":0,\"stored\":12582912,"
		  "\"extent_size\":4194304,\"replicas\":1,\"local_bytes\":12582912}\n");
	free(c.buf);

	CHECK(out_pool_list(cap_open(&c), p, 2, false) == 0);
	CHECK_STR(cap_close(&c),
		  "             ID  NAME    SIZE  ATTACHED  CACHED  STORED  EXTENT  REPLICAS   LOCAL\n"
		  "281474976710657  big   36 MiB         0     0 B  12 MiB   4 MiB         1  12 MiB\n"
		  "              2  loc    4 KiB         -       -       -       -         -       -\n");
	free(c.buf);
}

static void test_pool_stats(void)
{
	struct ctl_pool p = placed();
	struct capture c;

	p.has_counter[POOL_CTR_FAULTS] = true;
	p.counter[POOL_CTR_FAULTS] = 40;
	p.has_counter[POOL_CTR_IN_REMOTE] = true;
	p.counter[POOL_CTR_IN_REMOTE] = 30;
	p.lat.has = true;
	p.lat.bucket[6] = 25;	/* 64-127 us */
	p.lat.bucket[8] = 5;	/* 256-511 us */
	CHECK(out_pool_stats(cap_open(&c), &p, false) == 0);
	CHECK_STR(cap_close(&c),
		  "pool:             big (ID 281474976710657)\n"
		  "faults:           40\n"
		  "pages in remote:  30\n"
		  "remote reads:     30, p50 ~ 102 us, p99 ~ 512 us\n"
		  "  64 us - 128 us              25   83.3%\n"
		  "  128 us - 256 us              0    0.0%\n"
		  "  256 us - 512 us              5   16.7%\n");
	free(c.buf);

	CHECK(out_pool_stats(cap_open(&c), &p, true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"id\":281474976710657,\"name\":\"big\",\"faults\":40,"
		  "\"pages_in_remote\":30,\"latency\":{\"count\":30,\"p50_us\":102,"
		  "\"p99_us\":512,\"buckets\":[0,0,0,0,0,0,25,0,5,0,0,0,0,0,0,0,"
		  "0,0,0,0,0,0,0,0]}}\n");
	free(c.buf);

	/* An older module: only the name. */
	p = placed();
	CHECK(out_pool_stats(cap_open(&c), &p, false) == 0);
	CHECK_STR(cap_close(&c), "pool:             big (ID 281474976710657)\n");
	free(c.buf);
	/* No requests yet. */
	p.lat.has = true;
	CHECK(out_pool_stats(cap_open(&c), &p, false) == 0);
	CHECK_STR(cap_close(&c),
		  "pool:             big (ID 281474976710657)\n"
		  "remote reads:     none\n");
	free(c.buf);
}

static void test_peer_show_and_list(void)
{
	struct ctl_peer p = {
		.id = 2, .addr = { .family = 2, .addr = { 10, 0, 0, 2 },
				   .port = 7470 },
		.state = DMPOOL_PEER_CONNECTED, .rtt_ns = 250000,
		.has_pages_in = true, .pages_in = 7,
		.has_pages_out = true, .pages_out = 8,
		.has_io_errors = true, .io_errors = 1,
	};
	struct capture c;

	CHECK(out_peer_list(cap_open(&c), &p, 1, false) == 0);
	CHECK_STR(cap_close(&c),
		  "ID  ADDRESS        STATE         RTT  BYTES_IN  BYTES_OUT  FRAMES_IN  FRAMES_OUT  RECONNECTS  AUTH_FAIL  MALFORMED  PAGES_IN  PAGES_OUT  IO_ERRORS\n"
		  " 2  10.0.0.2:7470  connected  250 us       0 B        0 B          0           0           0          0          0         7          8          1\n");
	free(c.buf);

	CHECK(out_peer_list(cap_open(&c), &p, 1, true) == 0);
	CHECK(strstr(cap_close(&c), "\"malformed\":0,\"pages_in\":7,\"pages_out\":8,\"io_errors\":1}") != NULL);
	free(c.buf);

	p.lat.has = true;
	p.lat.bucket[2] = 4;
	CHECK(out_peer_show(cap_open(&c), &p, false) == 0);
	CHECK_STR(cap_close(&c),
		  "peer:             2\n"
		  "address:          10.0.0.2:7470\n"
		  "state:            connected\n"
		  "rtt:              250 us\n"
		  "bytes in:         0 B\n"
		  "bytes out:        0 B\n"
		  "frames in:        0\n"
		  "frames out:       0\n"
		  "reconnects:       0\n"
		  "auth failures:    0\n"
		  "malformed:        0\n"
		  "pages in:         7\n"
		  "pages out:        8\n"
		  "io errors:        1\n"
		  "page requests:    4, p50 ~ 6 us, p99 ~ 8 us\n"
		  "  4 us - 8 us                  4  100.0%\n");
	free(c.buf);

	CHECK(out_peer_show(cap_open(&c), &p, true) == 0);
	CHECK(strstr(cap_close(&c), "\"io_errors\":1,\"latency\":{\"count\":4,") != NULL);
	free(c.buf);

	/* An older module: no page columns. */
	p.has_pages_in = p.has_pages_out = p.has_io_errors = false;
	CHECK(out_peer_list(cap_open(&c), &p, 1, false) == 0);
	CHECK(strstr(cap_close(&c), "PAGES_IN") == NULL);
	free(c.buf);
}

static void test_export(void)
{
	static struct ctl_map map = { .n = 7, .node = { 1, 2, 3, 1, 1, 1, 1 } };
	struct ctl_pool p = placed();
	struct capture c;

	p.size = 28 * MiB;
	CHECK(out_pool_export(cap_open(&c), &p, &map, false) == 0);
	CHECK_STR(cap_close(&c),
		  "big 29360128 --id 281474976710657 --extent-size 4194304 --map 1,2,3,1*4\n");
	free(c.buf);
	CHECK(out_pool_export(cap_open(&c), &p, &map, true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"name\":\"big\",\"size\":29360128,\"id\":281474976710657,"
		  "\"extent_size\":4194304,\"map\":[1,2,3,1,1,1,1]}\n");
	free(c.buf);
}

static void test_created_installed(void)
{
	uint32_t nodes[] = { 1, 2, 3 }, count[] = { 3, 3, 3 }, none[] = { 9, 0, 0 };
	struct ctl_pool p = placed();
	struct capture c;

	CHECK(out_pool_placed(cap_open(&c), &p, nodes, count, 3, 1, false) == 0);
	CHECK_STR(cap_close(&c),
		  "created pool big: ID 281474976710657, 36 MiB in 9 extents of 4 MiB: node 1: 3, node 2: 3, node 3: 3\n"
		  "install it on nodes 2 3 and on every node that maps it, with the arguments that\n"
		  "'dmpoolctl pool export big' prints on node 1:\n"
		  "  dmpoolctl pool install $(dmpoolctl pool export big)\n");
	free(c.buf);

	/* All on this node: nothing to install elsewhere. */
	CHECK(out_pool_placed(cap_open(&c), &p, nodes, none, 3, 1, false) == 0);
	CHECK_STR(cap_close(&c),
		  "created pool big: ID 281474976710657, 36 MiB in 9 extents of 4 MiB: node 1: 9\n");
	free(c.buf);

	CHECK(out_pool_placed(cap_open(&c), &p, nodes, count, 3, 1, true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"id\":281474976710657,\"name\":\"big\",\"size\":37748736,"
		  "\"extent_size\":4194304,\"extents\":[{\"node\":1,\"extents\":3},"
		  "{\"node\":2,\"extents\":3},{\"node\":3,\"extents\":3}]}\n");
	free(c.buf);

	CHECK(out_pool_installed(cap_open(&c), &p, false) == 0);
	CHECK_STR(cap_close(&c),
		  "installed pool big: ID 281474976710657, 36 MiB, 12 MiB homed on this node\n");
	free(c.buf);

	CHECK(out_mem_exposed(cap_open(&c), 512 * MiB, false) == 0);
	CHECK_STR(cap_close(&c), "exposing 512 MiB of this node's memory to pools\n");
	free(c.buf);
	CHECK(out_mem_exposed(cap_open(&c), 512 * MiB, true) == 0);
	CHECK_STR(cap_close(&c), "{\"exposed\":536870912}\n");
	free(c.buf);
}

int main(void)
{
	RUN(test_mem_show);
	RUN(test_pool_show_list_placed);
	RUN(test_pool_stats);
	RUN(test_peer_show_and_list);
	RUN(test_export);
	RUN(test_created_installed);
	return unit_done();
}
