// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the cluster's replies (dmpoolctl/clreply.c): CLUSTER_GET,
 * the CLUSTER_REQ reply and its REQ_RESULT for POOL_CREATE, STATUS and
 * CRAWL, and EVENT messages, built with libnl as the module and dmpoold
 * would send them, then broken one way at a time.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "clreply.h"
#include "unit.h"

static char why[200];

static int split(struct nl_msg *msg, struct nlattr *tb[DMPOOL_A_MAX + 1])
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	why[0] = '\0';
	return reply_split(nlmsg_attrdata(nlh, 0), nlmsg_attrlen(nlh, 0), tb,
			   why, sizeof(why));
}

/* The attributes of @msg as a REQ_RESULT payload. */
#define RES(msg) nlmsg_attrdata(nlmsg_hdr(msg), 0), \
		 (size_t)nlmsg_attrlen(nlmsg_hdr(msg), 0)

#define CHECK_WHY(want)							\
	do {								\
		if (!strstr(why, (want))) {				\
			printf("#   reason \"%s\" lacks \"%s\"\n", why, (want)); \
			unit_point_failed = 1;				\
		}							\
	} while (0)

static const uint8_t sum[DMPOOL_CHECKSUM_LEN] = { 0x3f, 0xa1, [31] = 0x07 };

static void put_cluster(struct nl_msg *msg)
{
	nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, "lab");
	nla_put_u64(msg, DMPOOL_A_CLUSTER_EPOCH, 12);
	nla_put(msg, DMPOOL_A_CLUSTER_CHECKSUM, sizeof(sum), sum);
	nla_put_u64(msg, DMPOOL_A_CLUSTER_MEMBERS, 0x7);
	nla_put_u32(msg, DMPOOL_A_CLUSTER_QUORATE, 1);
}

static void test_cluster_get(void)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct nl_msg *msg = nlmsg_alloc();
	struct ctl_cluster c;

	nla_put_u32(msg, DMPOOL_A_CLUSTER_DAEMON, 1);
	put_cluster(msg);
	nla_put_u32(msg, DMPOOL_A_CLUSTER_AGE_MS, 850);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_cluster(tb, &c, why, sizeof(why)) == 0);
	CHECK(c.has_daemon && c.daemon);
	CHECK_STR(c.name, "lab");
	CHECK_U64(c.epoch, 12);
	CHECK(c.has_checksum && c.checksum[0] == 0x3f && c.checksum[31] == 7);
	CHECK_U64(c.members, 7);
	CHECK(c.quorate && c.has_age);
	CHECK_U64(c.age_ms, 850);
	nlmsg_free(msg);

	/* Before the first CLUSTER_SET: only CLUSTER_DAEMON. */
	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_CLUSTER_DAEMON, 0);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_cluster(tb, &c, why, sizeof(why)) == 0);
	CHECK(c.has_daemon && !c.daemon && !c.has_epoch && !c.has_name);
	nlmsg_free(msg);

	/* A short checksum is refused by the split. */
	msg = nlmsg_alloc();
	nla_put(msg, DMPOOL_A_CLUSTER_CHECKSUM, 16, sum);
	CHECK(split(msg, tb) < 0);
	CHECK_WHY("CLUSTER_CHECKSUM");
	nlmsg_free(msg);
}

static void test_req_reply(void)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct nl_msg *msg = nlmsg_alloc(), *res = nlmsg_alloc();
	struct ctl_req_reply r = { 0 };

	nla_put_u64(res, DMPOOL_A_POOL_ID, 5);
	nla_put_u64(msg, DMPOOL_A_REQ_ID, 99);
	nla_put_u32(msg, DMPOOL_A_REQ_STATUS, 28);
	nla_put_string(msg, DMPOOL_A_REQ_MESSAGE, "the cluster has 1 GiB free");
	nla_put_nested(msg, DMPOOL_A_REQ_RESULT, res);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_req(tb, &r, why, sizeof(why)) == 0);
	CHECK(r.got);
	CHECK_U64(r.id, 99);
	CHECK_U64(r.status, 28);
	CHECK_STR(r.message, "the cluster has 1 GiB free");
	CHECK(r.result && r.result_len == 12);
	req_reply_free(&r);
	CHECK(!r.result);
	nlmsg_free(msg);
	nlmsg_free(res);

	msg = nlmsg_alloc();
	nla_put_u64(msg, DMPOOL_A_REQ_ID, 99);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_req(tb, &r, why, sizeof(why)) < 0);
	CHECK_WHY("REQ_STATUS missing");
	nlmsg_free(msg);

	/* An unterminated message is refused. */
	msg = nlmsg_alloc();
	nla_put_u64(msg, DMPOOL_A_REQ_ID, 99);
	nla_put_u32(msg, DMPOOL_A_REQ_STATUS, 0);
	nla_put(msg, DMPOOL_A_REQ_MESSAGE, 3, "abc");
	CHECK(split(msg, tb) < 0);
	nlmsg_free(msg);
}

/* A cluster pool's attributes: 3 extents of 4 MiB on nodes 1, 2, 1. */
static void put_pool(struct nl_msg *msg, int skip)
{
	static const uint32_t map[] = { 1, 2, 1 };

	if (skip != DMPOOL_A_POOL_ID)
		nla_put_u64(msg, DMPOOL_A_POOL_ID, DMPOOL_POOL_ID_CLUSTER | 1);
	nla_put_string(msg, DMPOOL_A_POOL_NAME, "big");
	nla_put_u64(msg, DMPOOL_A_POOL_SIZE, 12ULL << 20);
	nla_put_u64(msg, DMPOOL_A_POOL_EXTENT_SIZE, 4ULL << 20);
	nla_put_u32(msg, DMPOOL_A_POOL_REPLICAS, 1);
	nla_put_u64(msg, DMPOOL_A_POOL_TTL_MS, 7200000);
	if (skip != DMPOOL_A_POOL_MAP)
		nla_put(msg, DMPOOL_A_POOL_MAP, sizeof(map), map);
}

static void test_result_pool(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ctl_cpool p;
	uint32_t bad = 0;

	put_pool(msg, 0);
	nla_put_u64(msg, DMPOOL_A_CLUSTER_EPOCH, 13);
	CHECK(result_pool(RES(msg), &p, why, sizeof(why)) == 0);
	CHECK_U64(p.p.id, DMPOOL_POOL_ID_CLUSTER | 1);
	CHECK_STR(p.p.name, "big");
	CHECK_U64(p.p.extent_size, 4ULL << 20);
	CHECK(p.has_ttl && p.has_epoch);
	CHECK_U64(p.ttl_ms, 7200000);
	CHECK_U64(p.epoch, 13);
	CHECK_U64(p.extents, 3);
	CHECK_U64(p.homes[1], 2);
	CHECK_U64(p.homes[2], 1);
	CHECK_U64(p.homes[3], 0);
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	put_pool(msg, DMPOOL_A_POOL_ID);
	CHECK(result_pool(RES(msg), &p, why, sizeof(why)) < 0);
	CHECK_WHY("POOL_ID missing");
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	put_pool(msg, DMPOOL_A_POOL_MAP);
	nla_put(msg, DMPOOL_A_POOL_MAP, sizeof(bad), &bad);
	CHECK(result_pool(RES(msg), &p, why, sizeof(why)) < 0);
	CHECK_WHY("node ID 0 out of range");
	nlmsg_free(msg);

	CHECK(result_pool(NULL, 0, &p, why, sizeof(why)) < 0);
	CHECK_WHY("REQ_RESULT missing");
}

static void put_node(struct nl_msg *msg, uint32_t id, uint32_t state)
{
	struct nlattr *n = nla_nest_start(msg, DMPOOL_A_CLUSTER_NODE);
	uint8_t addr[4] = { 10, 0, 0, (uint8_t)id };

	nla_put_u32(msg, DMPOOL_A_NODE_ID, id);
	nla_put(msg, DMPOOL_A_ADDR, 4, addr);
	nla_put_u16(msg, DMPOOL_A_PORT, 7470);
	nla_put_u32(msg, DMPOOL_A_NODE_STATE, state);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 4ULL << 30);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 1ULL << 30);
	nla_put_string(msg, DMPOOL_A_VERSION, "0.2.0");
	nla_nest_end(msg, n);
}

static void test_result_status(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ctl_cstatus st;
	struct nlattr *p;

	put_cluster(msg);
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 2);
	put_node(msg, 1, DMPOOL_NODE_MEMBER);
	put_node(msg, 2, DMPOOL_NODE_DOWN);
	p = nla_nest_start(msg, DMPOOL_A_CLUSTER_POOL);
	put_pool(msg, 0);
	nla_put_u32(msg, DMPOOL_A_POOL_STATE, DMPOOL_POOL_IDLE);
	nla_put_u64(msg, DMPOOL_A_POOL_IDLE_MS, 300000);
	nla_put_u32(msg, DMPOOL_A_POOL_ATTACHED, 0);
	nla_nest_end(msg, p);
	CHECK(result_status(RES(msg), &st, why, sizeof(why)) == 0);
	CHECK_STR(st.cl.name, "lab");
	CHECK_U64(st.cl.epoch, 12);
	CHECK(st.cl.has_self);
	CHECK_U64(st.cl.self_id, 2);
	CHECK_U64(st.nnodes, 2);
	CHECK_U64(st.nodes[1].id, 2);
	CHECK_U64(st.nodes[1].state, DMPOOL_NODE_DOWN);
	CHECK_U64(st.nodes[0].addr.port, 7470);
	CHECK_U64(st.nodes[0].capacity, 4ULL << 30);
	CHECK_STR(st.nodes[0].version, "0.2.0");
	CHECK_U64(st.npools, 1);
	CHECK_STR(st.pools[0].p.name, "big");
	CHECK(st.pools[0].has_idle && st.pools[0].p.has_attached);
	CHECK_U64(st.pools[0].idle_ms, 300000);
	status_free(&st);
	nlmsg_free(msg);

	/* A node without NODE_ID fails the whole status. */
	msg = nlmsg_alloc();
	put_cluster(msg);
	p = nla_nest_start(msg, DMPOOL_A_CLUSTER_NODE);
	nla_put_u32(msg, DMPOOL_A_NODE_STATE, 0);
	nla_nest_end(msg, p);
	CHECK(result_status(RES(msg), &st, why, sizeof(why)) < 0);
	CHECK_WHY("NODE_ID missing");
	CHECK(!st.nodes && !st.pools);
	nlmsg_free(msg);

	/* No epoch: not a status. */
	msg = nlmsg_alloc();
	nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, "lab");
	CHECK(result_status(RES(msg), &st, why, sizeof(why)) < 0);
	CHECK_WHY("CLUSTER_EPOCH missing");
	nlmsg_free(msg);
}

static void test_result_crawl(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	uint8_t a1[4] = { 10, 0, 0, 1 }, a2[4] = { 10, 0, 0, 9 };
	struct ctl_crawl_host *h;
	struct nlattr *n;
	size_t count;

	n = nla_nest_start(msg, DMPOOL_A_CRAWL_HOST);
	nla_put(msg, DMPOOL_A_ADDR, 4, a1);
	nla_put_u32(msg, DMPOOL_A_CRAWL_STATE, DMPOOL_CRAWL_DAEMON);
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 1);
	nla_put_u32(msg, DMPOOL_A_NODE_STATE, DMPOOL_NODE_UNCOMMISSIONED);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 1ULL << 30);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 0);
	nla_put_string(msg, DMPOOL_A_VERSION, "0.2.0");
	nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, "other");
	nla_nest_end(msg, n);
	n = nla_nest_start(msg, DMPOOL_A_CRAWL_HOST);
	nla_put(msg, DMPOOL_A_ADDR, 4, a2);
	nla_put_u32(msg, DMPOOL_A_CRAWL_STATE, DMPOOL_CRAWL_NO_DAEMON);
	nla_nest_end(msg, n);
	CHECK(result_crawl(RES(msg), &h, &count, why, sizeof(why)) == 0);
	CHECK_U64(count, 2);
	CHECK(h[0].has_id && h[0].has_mem && h[0].has_node_state);
	CHECK_STR(h[0].cluster, "other");
	CHECK(!h[1].has_id && !h[1].has_mem);
	CHECK_U64(h[1].state, DMPOOL_CRAWL_NO_DAEMON);
	CHECK_U64(h[1].addr.addr[3], 9);
	free(h);
	nlmsg_free(msg);

	CHECK(result_crawl(NULL, 0, &h, &count, why, sizeof(why)) == 0);
	CHECK(!h && count == 0);

	msg = nlmsg_alloc();
	n = nla_nest_start(msg, DMPOOL_A_CRAWL_HOST);
	nla_put(msg, DMPOOL_A_ADDR, 3, a1);
	nla_put_u32(msg, DMPOOL_A_CRAWL_STATE, DMPOOL_CRAWL_DAEMON);
	nla_nest_end(msg, n);
	CHECK(result_crawl(RES(msg), &h, &count, why, sizeof(why)) < 0);
	CHECK_WHY("ADDR has 3 bytes");
	CHECK(!h && count == 0);
	nlmsg_free(msg);
}

/* A genl EVENT message of family @family in @msg. */
static struct nl_msg *event_msg(int family, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, family, 0, 0, cmd, DMPOOL_GENL_VERSION);
	return msg;
}

struct seen {
	int n;
	struct ctl_event last[4];
	int stop_after;
};

static int on_event(const struct ctl_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->last[s->n] = *ev;
	s->n++;
	return s->stop_after && s->n >= s->stop_after ? 1 : 0;
}

static void test_events(void)
{
	struct nl_msg *a = event_msg(30, DMPOOL_CMD_EVENT);
	struct nl_msg *b = event_msg(31, DMPOOL_CMD_EVENT);	/* other family */
	struct nl_msg *c = event_msg(30, DMPOOL_CMD_EVENT);
	struct seen s = { 0 };
	char buf[4096];
	size_t len = 0;
	struct nl_msg *m[3] = { a, b, c };
	int i;

	nla_put_u32(a, DMPOOL_A_EVENT_KIND, DMPOOL_EVENT_ATTACH);
	nla_put_u64(a, DMPOOL_A_POOL_ID, 7);
	nla_put_u32(a, DMPOOL_A_POOL_ATTACHED, 2);
	nla_put_u32(b, DMPOOL_A_EVENT_KIND, DMPOOL_EVENT_PEER);
	nla_put_u32(c, DMPOOL_A_EVENT_KIND, DMPOOL_EVENT_CLUSTER);
	nla_put_u64(c, DMPOOL_A_CLUSTER_EPOCH, 4);
	nla_put_u64(c, DMPOOL_A_CLUSTER_MEMBERS, 3);
	for (i = 0; i < 3; i++) {
		struct nlmsghdr *h = nlmsg_hdr(m[i]);

		memcpy(buf + len, h, h->nlmsg_len);
		len += NLMSG_ALIGN(h->nlmsg_len);
	}
	CHECK(monitor_parse(buf, len, 30, on_event, &s, why, sizeof(why)) == 2);
	CHECK_U64(s.n, 2);
	CHECK_U64(s.last[0].kind, DMPOOL_EVENT_ATTACH);
	CHECK(s.last[0].has_pool && s.last[0].has_attached && !s.last[0].has_node);
	CHECK_U64(s.last[0].attached, 2);
	CHECK_U64(s.last[1].kind, DMPOOL_EVENT_CLUSTER);
	CHECK_U64(s.last[1].epoch, 4);
	CHECK_U64(s.last[1].members, 3);

	/* on_event may stop the walk (monitor --count). */
	memset(&s, 0, sizeof(s));
	s.stop_after = 1;
	CHECK(monitor_parse(buf, len, 30, on_event, &s, why, sizeof(why)) == 1);

	/* An event without EVENT_KIND is malformed. */
	for (i = 0; i < 3; i++)
		nlmsg_free(m[i]);
	a = event_msg(30, DMPOOL_CMD_EVENT);
	nla_put_u64(a, DMPOOL_A_POOL_ID, 7);
	CHECK(monitor_parse(nlmsg_hdr(a), nlmsg_hdr(a)->nlmsg_len, 30, on_event,
			    &s, why, sizeof(why)) < 0);
	CHECK_WHY("EVENT_KIND missing");
	nlmsg_free(a);

	/* Other commands of the family are skipped. */
	a = event_msg(30, DMPOOL_CMD_REQ_NOTIFY);
	CHECK(monitor_parse(nlmsg_hdr(a), nlmsg_hdr(a)->nlmsg_len, 30, on_event,
			    &s, why, sizeof(why)) == 0);
	nlmsg_free(a);
}

static void test_enum_names(void)
{
	char b[32];

	CHECK_STR(node_state_str(DMPOOL_NODE_MEMBER, b, sizeof(b)), "member");
	CHECK_STR(node_state_str(DMPOOL_NODE_UNCOMMISSIONED, b, sizeof(b)),
		  "uncommissioned");
	CHECK_STR(node_state_str(9, b, sizeof(b)), "state 9");
	CHECK_STR(cpool_state_str(DMPOOL_POOL_IDLE, b, sizeof(b)), "idle");
	CHECK_STR(crawl_state_str(DMPOOL_CRAWL_NO_DAEMON, b, sizeof(b)),
		  "no dmpoold");
	CHECK_STR(event_kind_str(DMPOOL_EVENT_POOL_DEL, b, sizeof(b)),
		  "POOL_DEL");
	CHECK_STR(event_kind_str(0, b, sizeof(b)), "kind 0");
}

int main(void)
{
	RUN(test_cluster_get);
	RUN(test_req_reply);
	RUN(test_result_pool);
	RUN(test_result_status);
	RUN(test_result_crawl);
	RUN(test_events);
	RUN(test_enum_names);
	return unit_done();
}
