// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the cluster commands' output (dmpoolctl/outcluster.c)
 * and top's rates (dmpoolctl/toprate.c): memory bars, member lists, the
 * stable "epoch E checksum HEX" line, tables and JSON.
 */
#include <stdlib.h>

#include "outcluster.h"
#include "toprate.h"
#include "unit-capture.h"
#include "unit.h"

/* The call writes something containing @want. */
#define CHECK_HAS(want, fn, ...)					\
	do {								\
		struct capture c_;					\
		const char *o_;						\
									\
		CHECK(fn(cap_open(&c_), __VA_ARGS__) == 0);		\
		o_ = cap_close(&c_);					\
		if (!strstr(o_, (want))) {				\
			printf("#   output \"%s\" lacks \"%s\"\n", o_, (want)); \
			unit_point_failed = 1;				\
		}							\
		free(c_.buf);						\
	} while (0)

static void test_mem_bar(void)
{
	char b[MEM_BAR_MAX];

	CHECK_STR(mem_bar(48, 100, 12, b, sizeof(b)), "[#####.......]  48%");
	CHECK_STR(mem_bar(0, 100, 12, b, sizeof(b)), "[............]   0%");
	CHECK_STR(mem_bar(100, 100, 12, b, sizeof(b)), "[############] 100%");
	CHECK_STR(mem_bar(1, 1000, 12, b, sizeof(b)), "[#...........]   0%");
	CHECK_STR(mem_bar(150, 100, 4, b, sizeof(b)), "[####] 150%");
	CHECK_STR(mem_bar(5, 0, 4, b, sizeof(b)), "[....]    -");
	CHECK_STR(mem_bar(1ULL << 40, 4ULL << 40, 8, b, sizeof(b)),
		  "[##......]  25%");
	/* A bad width takes the default. */
	CHECK_STR(mem_bar(0, 1, 0, b, sizeof(b)), "[............]   0%");
}

static void test_members_checksum(void)
{
	uint8_t sum[DMPOOL_CHECKSUM_LEN] = { 0x3f, 0xa1, [31] = 0x07 };
	char b[200];

	CHECK_STR(members_format(0, b, sizeof(b)), "none");
	CHECK_STR(members_format(0x13, b, sizeof(b)), "1,2,5");
	CHECK_STR(members_format(1ULL << 63, b, sizeof(b)), "64");
	CHECK_STR(checksum_hex(sum, b, sizeof(b)),
		  "3fa1000000000000000000000000000000000000000000000000000000000007");
}

static const struct ctl_cluster cl = {
	.has_name = true, .has_epoch = true, .has_checksum = true,
	.has_members = true, .has_quorate = true, .has_daemon = true,
	.has_age = true, .name = "lab", .epoch = 12,
	.checksum = { 0x3f, 0xa1 }, .members = 7, .quorate = true,
	.daemon = true, .age_ms = 850,
};

static void test_cluster_show(void)
{
	const struct ctl_cluster none = { .has_daemon = true };

	CHECK_OUT("daemon:   dmpoold running\n"
		  "cluster:  lab\n"
		  "members:  1,2,3\n"
		  "quorate:  yes\n"
		  "age:      850ms\n"
		  "epoch 12 checksum 3fa1000000000000000000000000000000000000000000000000000000000000\n",
		  out_cluster_show, &cl, false);
	CHECK_OUT("daemon:   no dmpoold running on this node (start it: systemctl start dmpoold)\n"
		  "no cluster state reported yet\n",
		  out_cluster_show, &none, false);
	CHECK_OUT("{\"daemon\":true,\"name\":\"lab\",\"epoch\":12,"
		  "\"checksum\":\"3fa1000000000000000000000000000000000000000000000000000000000000\","
		  "\"members\":[1,2,3],\"quorate\":true,\"age_ms\":850}\n",
		  out_cluster_show, &cl, true);
	CHECK_OUT("{\"daemon\":false}\n", out_cluster_show,
		  &(struct ctl_cluster){ .has_daemon = true }, true);
}

static struct ctl_cpool big(void)
{
	struct ctl_cpool p = {
		.p = { .id = DMPOOL_POOL_ID_CLUSTER | 1, .name = "big",
		       .size = 12ULL << 20, .has_extent_size = true,
		       .extent_size = 4ULL << 20, .has_replicas = true,
		       .replicas = 1, .has_attached = true },
		.has_ttl = true, .ttl_ms = 7200000, .has_epoch = true,
		.epoch = 13, .extents = 3, .attached = 3,
		.has_state = true, .state = DMPOOL_POOL_ACTIVE,
	};

	p.homes[1] = 2;
	p.homes[3] = 1;
	return p;
}

static void test_cluster_pool(void)
{
	struct ctl_cpool p = big();

	CHECK_OUT("created cluster pool big\n"
		  "id:       72057594037927937\n"
		  "size:     12 MiB\n"
		  "extent:   4 MiB (3 extents)\n"
		  "replicas: 1\n"
		  "ttl:      2h\n"
		  "epoch:    13\n"
		  "NODE  EXTENTS  BYTES\n"
		  "   1        2  8 MiB\n"
		  "   3        1  4 MiB\n",
		  out_cluster_pool, &p, false);
	CHECK_OUT("{\"id\":72057594037927937,\"name\":\"big\",\"size\":12582912,"
		  "\"extent_size\":4194304,\"replicas\":1,\"ttl_ms\":7200000,"
		  "\"epoch\":13,\"map\":[{\"node\":1,\"extents\":2,\"bytes\":8388608},"
		  "{\"node\":3,\"extents\":1,\"bytes\":4194304}]}\n",
		  out_cluster_pool, &p, true);
	p.ttl_ms = DMPOOL_TTL_FOREVER;
	CHECK_HAS("ttl:      forever\n", out_cluster_pool, &p, false);
	CHECK_HAS("\"ttl\":\"forever\"", out_cluster_pool, &p, true);
}

static void test_cluster_done(void)
{
	struct ctl_req_reply r = { .got = true };
	struct cli cli = { .cmd = CMD_CLUSTER_DESTROY,
			   .sel = { .name = "big" } };

	CHECK_OUT("destroyed cluster pool big\n", out_cluster_done, &cli, &r,
		  false);
	CHECK_OUT("{\"destroyed\":{\"name\":\"big\"}}\n", out_cluster_done,
		  &cli, &r, true);
	cli.cmd = CMD_CLUSTER_SET;
	cli.ttl_ms = 600000;
	cli.has_ttl = true;
	CHECK_OUT("cluster pool big: ttl 10m\n", out_cluster_done, &cli, &r,
		  false);
	CHECK_OUT("{\"set\":{\"name\":\"big\",\"ttl_ms\":600000}}\n",
		  out_cluster_done, &cli, &r, true);
	/* A policy change: what was set. */
	cli.has_ttl = false;
	cli.policy = (struct ctl_policy){ .has_mode = true, .mode = 0640,
					  .has_grants = true, .ngrants = 1,
					  .grants = { { 4000000000U,
							DMPOOL_RIGHT_READ } } };
	CHECK_OUT("cluster pool big: policy set\n"
		  "mode:   0640\n"
		  "grants: 4000000000:r\n", out_cluster_done, &cli, &r, false);
	CHECK_OUT("{\"set\":{\"name\":\"big\",\"mode\":416,\"grants\":"
		  "[{\"uid\":4000000000,\"rights\":\"r\"}]}}\n",
		  out_cluster_done, &cli, &r, true);
	memset(&cli.policy, 0, sizeof(cli.policy));
	cli.cmd = CMD_NODE_COMMISSION;
	cli.addr = (struct node_addr){ .family = AF_INET,
				       .addr = { 10, 0, 0, 4 }, .port = 7470 };
	snprintf(r.message, sizeof(r.message), "node 4 joins at epoch 14");
	CHECK_OUT("commissioned the node at 10.0.0.4:7470\n"
		  "node 4 joins at epoch 14\n", out_cluster_done, &cli, &r,
		  false);
	CHECK_OUT("{\"commissioned\":\"10.0.0.4:7470\",\"message\":\"node 4 joins at epoch 14\"}\n",
		  out_cluster_done, &cli, &r, true);
	cli.cmd = CMD_NODE_DECOMMISSION;
	cli.node_id = 4;
	r.message[0] = '\0';
	CHECK_OUT("decommissioned node 4\n", out_cluster_done, &cli, &r, false);
	CHECK_OUT("{\"decommissioned\":4}\n", out_cluster_done, &cli, &r, true);
}

static void test_crawl(void)
{
	struct ctl_crawl_host h[2] = {
		{ .addr = { .family = AF_INET, .addr = { 10, 0, 0, 1 } },
		  .state = DMPOOL_CRAWL_DAEMON, .has_id = true, .node_id = 1,
		  .has_node_state = true, .node_state = DMPOOL_NODE_MEMBER,
		  .has_mem = true, .capacity = 4ULL << 30,
		  .committed = 1ULL << 30, .version = "0.2.0",
		  .cluster = "lab" },
		{ .addr = { .family = AF_INET, .addr = { 10, 0, 0, 9 } },
		  .state = DMPOOL_CRAWL_NO_DAEMON },
	};

	CHECK_OUT("ADDRESS   STATE       NODE  NODE STATE  MEMORY         VERSION  CLUSTER\n"
		  "10.0.0.1  dmpoold        1  member      1 GiB / 4 GiB  0.2.0    lab\n"
		  "10.0.0.9  no dmpoold     -  -           -              -        -\n",
		  out_crawl, h, 2, false);
	CHECK_OUT("{\"hosts\":[{\"addr\":\"10.0.0.1\",\"state\":\"dmpoold\",\"node\":1,"
		  "\"node_state\":\"member\",\"capacity\":4294967296,"
		  "\"committed\":1073741824,\"version\":\"0.2.0\",\"cluster\":\"lab\"},"
		  "{\"addr\":\"10.0.0.9\",\"state\":\"no dmpoold\"}]}\n",
		  out_crawl, h, 2, true);
	CHECK_OUT("no host answered\n", out_crawl, h, 0, false);
}

static void test_status(void)
{
	struct ctl_cnode nodes[1] = {
		{ .id = 1, .has_addr = true,
		  .addr = { .family = AF_INET, .addr = { 10, 0, 0, 1 },
			    .port = 7470 },
		  .has_state = true, .state = DMPOOL_NODE_MEMBER,
		  .has_mem = true, .capacity = 4ULL << 30,
		  .committed = 1ULL << 30, .version = "0.2.0" },
	};
	struct ctl_cpool pools[2] = { big(), big() };
	struct ctl_pool local[1] = {
		{ .id = DMPOOL_POOL_ID_CLUSTER | 1, .has_attached = true,
		  .attached = 2 },
	};
	struct ctl_cstatus st = {
		.cl = cl, .nodes = nodes, .nnodes = 1, .pools = pools,
		.npools = 2,
	};

	pools[1].p.id = DMPOOL_POOL_ID_CLUSTER | 2;
	snprintf(pools[1].p.name, sizeof(pools[1].p.name), "old");
	pools[1].state = DMPOOL_POOL_IDLE;
	pools[1].has_idle = true;
	pools[1].idle_ms = 300000;
	pools[1].ttl_ms = DMPOOL_TTL_FOREVER;
	pools[1].attached = 0;
	pools[0].p.policy = (struct ctl_policy){
		.has_uid = true, .uid = 0, .has_gid = true, .gid = 4000000000U,
		.has_mode = true, .mode = 0640, .has_grants = true,
		.ngrants = 2,
		.grants = { { 4000000000U, DMPOOL_RIGHT_READ },
			    { 4000000001U, DMPOOL_RIGHTS_ALL } } };
	pools[1].p.policy = (struct ctl_policy){
		.has_uid = true, .has_gid = true, .has_mode = true,
		.mode = 0666, .has_grants = true };
	CHECK_OUT("cluster lab, members 1,2,3, quorate\n"
		  "epoch 12 checksum 3fa1000000000000000000000000000000000000000000000000000000000000\n"
		  "\n"
		  "NODE  ADDRESS        STATE   MEMORY               COMMITTED / EXPOSED  VERSION\n"
		  "   1  10.0.0.1:7470  member  [###.........]  25%  1 GiB / 4 GiB        0.2.0\n"
		  "\n"
		  "               ID  NAME    SIZE  REPLICAS  TTL      STATE    ATTACHED  HERE  OWNER            MODE  GRANTS\n"
		  "72057594037927937  big   12 MiB         1  2h       active          3     2  root:4000000000  0640  4000000000:r,4000000001:rwa\n"
		  "72057594037927938  old   12 MiB         1  forever  idle 5m         0     -  root:root        0666  none\n",
		  out_status, &st, local, 1, false);
	CHECK_HAS("\"nodes\":[{\"id\":1,\"addr\":\"10.0.0.1:7470\",\"state\":\"member\","
		  "\"capacity\":4294967296,\"committed\":1073741824,\"version\":\"0.2.0\"}]",
		  out_status, &st, local, 1, true);
	CHECK_HAS("{\"id\":72057594037927938,\"name\":\"old\",\"size\":12582912,"
		  "\"replicas\":1,\"ttl\":\"forever\",\"state\":\"idle\","
		  "\"idle_ms\":300000,\"attached\":0,\"uid\":0,\"gid\":0,"
		  "\"mode\":438,\"grants\":[]}",
		  out_status, &st, local, 1, true);
	CHECK_HAS("\"attached\":3,\"attached_here\":2,\"uid\":0,"
		  "\"gid\":4000000000,\"mode\":416,\"grants\":["
		  "{\"uid\":4000000000,\"rights\":\"r\"},"
		  "{\"uid\":4000000001,\"rights\":\"rwa\"}]}", out_status, &st,
		  local, 1, true);
	st.npools = 0;
	CHECK_HAS("\nno cluster pools\n", out_status, &st, local, 1, false);
}

static void test_status_local(void)
{
	struct ctl_mem mem[2] = {
		{ .node_id = 1, .self = true, .capacity = 100,
		  .committed = 50 },
		{ .node_id = 2, .has_state = true,
		  .state = DMPOOL_PEER_CONNECTED, .capacity = 0 },
	};
	struct ctl_pool pools[1] = {
		{ .id = 3, .name = "p", .size = 4096, .has_attached = true,
		  .attached = 1 },
	};

	CHECK_HAS("this node's view only: the cluster view needs dmpoold",
		  out_status_local, mem, 2, pools, 1, false);
	CHECK_HAS("   1  self       [######......]  50%", out_status_local,
		  mem, 2, pools, 1, false);
	CHECK_HAS("   2  connected  [............]    -", out_status_local,
		  mem, 2, pools, 1, false);
	CHECK_HAS("no pools on this node\n", out_status_local, mem, 0, pools,
		  0, false);
	CHECK_OUT("{\"daemon\":false,\"nodes\":[{\"id\":1,\"self\":true,"
		  "\"capacity\":100,\"committed\":50}],\"pools\":[{\"id\":3,"
		  "\"name\":\"p\",\"size\":4096,\"attached_here\":1}]}\n",
		  out_status_local, mem, 1, pools, 1, true);
}

static void test_events(void)
{
	struct ctl_event ev = {
		.kind = DMPOOL_EVENT_ATTACH, .has_pool = true, .pool_id = 7,
		.has_name = true, .name = "p", .has_attached = true,
		.attached = 2,
	};
	struct ctl_event peer = {
		.kind = DMPOOL_EVENT_PEER, .has_node = true, .node_id = 3,
		.has_peer_state = true, .peer_state = DMPOOL_PEER_DOWN,
	};
	struct ctl_event clev = {
		.kind = DMPOOL_EVENT_CLUSTER, .has_epoch = true, .epoch = 5,
		.has_members = true, .members = 3,
	};

	CHECK_OUT("12:00:00.000 ATTACH pool 7 (p) attached 2\n", out_event,
		  "12:00:00.000", &ev, false);
	CHECK_OUT("{\"time\":\"t\",\"kind\":\"ATTACH\",\"pool_id\":7,\"pool\":\"p\","
		  "\"attached\":2}\n", out_event, "t", &ev, true);
	CHECK_OUT("t PEER node 3 down\n", out_event, "t", &peer, false);
	CHECK_OUT("{\"time\":\"t\",\"kind\":\"PEER\",\"node\":3,\"peer_state\":\"down\"}\n",
		  out_event, "t", &peer, true);
	CHECK_OUT("t CLUSTER epoch 5 members 1,2\n", out_event, "t", &clev,
		  false);
	CHECK_OUT("{\"time\":\"t\",\"kind\":\"CLUSTER\",\"epoch\":5,\"members\":[1,2]}\n",
		  out_event, "t", &clev, true);
	CHECK_OUT("t events lost (the kernel dropped some: dump the state to resync)\n",
		  out_events_lost, "t", false);
	CHECK_OUT("{\"time\":\"t\",\"kind\":\"LOST\"}\n", out_events_lost,
		  "t", true);
}

static void test_top_rates(void)
{
	struct ctl_pool prev[1] = { { .id = 1, .name = "a" } };
	struct ctl_pool cur[2] = { { .id = 1, .name = "a" },
				   { .id = 2, .name = "b" } };
	struct ctl_peer pprev[1] = { { .id = 2, .bytes_in = 1000,
				       .bytes_out = 5000, .pages_in = 10 } };
	struct ctl_peer pcur[1] = { { .id = 2, .bytes_in = 3001000,
				      .bytes_out = 4000, .pages_in = 30 } };
	struct top_pool_rate r[2];
	struct top_peer_rate n[1];

	prev[0].counter[POOL_CTR_FAULTS] = 100;
	cur[0].counter[POOL_CTR_FAULTS] = 300;
	prev[0].counter[POOL_CTR_IN_REMOTE] = 10;
	cur[0].counter[POOL_CTR_IN_REMOTE] = 20;
	cur[0].counter[POOL_CTR_OUT_LOCAL] = 4;
	cur[1].counter[POOL_CTR_FAULTS] = 8;	/* new: counts from 0 */
	top_pool_rates(prev, 1, cur, 2, 2.0, 4096, r);
	CHECK(r[0].faults == 100.0);
	CHECK(r[0].in_remote == 5 * 4096.0);
	CHECK(r[0].out_local == 2 * 4096.0);
	CHECK(r[0].in_local == 0);
	CHECK_STR(r[1].name, "b");
	CHECK(r[1].faults == 4.0);

	top_peer_rates(pprev, 1, pcur, 1, 2.0, n);
	CHECK(n[0].bytes_in == 1500000.0);
	CHECK(n[0].bytes_out == 0);	/* a counter going down gives 0 */
	CHECK(n[0].pages_in == 10.0);

	CHECK_OUT("{\"sample\":1,\"interval_ms\":2000,\"pools\":[{\"id\":1,\"name\":\"a\","
		  "\"faults_per_s\":100,\"in_local_bytes_per_s\":0,"
		  "\"in_remote_bytes_per_s\":20480,\"out_local_bytes_per_s\":8192,"
		  "\"out_remote_bytes_per_s\":0}],\"peers\":[{\"id\":2,"
		  "\"in_bytes_per_s\":1500000,\"out_bytes_per_s\":0,"
		  "\"pages_in_per_s\":10,\"pages_out_per_s\":0}]}\n",
		  out_top, 1, 2.0, r, 1, n, 1, false, true);
	CHECK_OUT("dmpoolctl top: sample 3, over 2.0 s\n\n"
		  "ID  POOL  FAULTS/S  IN LOCAL MB/S  IN REMOTE MB/S  OUT LOCAL MB/S  OUT REMOTE MB/S\n"
		  " 1  a          100           0.00            0.02            0.01             0.00\n"
		  "\n"
		  "PEER  IN MB/S  OUT MB/S  PAGES IN/S  PAGES OUT/S\n"
		  "   2     1.50      0.00          10            0\n\n",
		  out_top, 3, 2.0, r, 1, n, 1, false, false);
	CHECK_HAS("\033[H\033[2Jdmpoolctl top", out_top, 1, 1.0, r, 0, n, 0,
		  true, false);
	CHECK_HAS("no pools\n\nno peers\n", out_top, 1, 1.0, r, 0, n, 0,
		  false, false);
}

int main(void)
{
	RUN(test_mem_bar);
	RUN(test_members_checksum);
	RUN(test_cluster_show);
	RUN(test_cluster_pool);
	RUN(test_cluster_done);
	RUN(test_crawl);
	RUN(test_status);
	RUN(test_status_local);
	RUN(test_events);
	RUN(test_top_rates);
	return unit_done();
}
