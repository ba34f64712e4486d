// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoold's configuration parsing (dmpoold/conf.c) and the
 * crawl protocol (dmpoold/crawlproto.c): datagrams, target lists, CIDRs.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "conf.h"
#include "crawlproto.h"
#include "unit.h"

static char why[400];

static void test_defaults(void)
{
	struct conf c;

	conf_defaults(&c);
	CHECK_U64(c.port, 7470);
	CHECK_U64(c.crawl_port, 7471);
	CHECK_U64(c.default_ttl_ms, 3600000);
	CHECK_STR(c.state_dir, "/var/lib/dmpool");
	CHECK_STR(c.key_file, "/etc/dmpool/cluster.key");
	CHECK(!c.manage_corosync);
}

static void test_parse(void)
{
	struct conf c;

	conf_defaults(&c);
	CHECK(conf_parse(&c,
			 "# comment\n\n node_id = 3\naddr=10.0.0.3\nport = 7000\n"
			 "memory = 256M\ndefault_ttl = 30s\nstate_dir = /tmp/s\n"
			 "manage_corosync = yes\njoin_command = dmpool-stack start\n",
			 why, sizeof(why)) == 0);
	CHECK_U64(c.node_id, 3);
	CHECK(c.has_addr && c.addr_family == AF_INET && c.addr[3] == 3);
	CHECK_U64(c.port, 7000);
	CHECK_U64(c.memory, 256ULL << 20);
	CHECK_U64(c.default_ttl_ms, 30000);
	CHECK_STR(c.state_dir, "/tmp/s");
	CHECK(c.manage_corosync);
	CHECK_STR(c.join_command, "dmpool-stack start");

	conf_defaults(&c);
	CHECK(conf_parse(&c, "bogus = 1\n", why, sizeof(why)) < 0);
	CHECK_STR(why, "line 1: unknown key 'bogus'");
	CHECK(conf_parse(&c, "\nnode_id = 65\n", why, sizeof(why)) < 0);
	CHECK_STR(why, "line 2: bad value for node_id: '65'");
	CHECK(conf_parse(&c, "port = 0\n", why, sizeof(why)) < 0);
	CHECK(conf_parse(&c, "addr = 10.0.0\n", why, sizeof(why)) < 0);
	CHECK(conf_parse(&c, "memory = 12Q\n", why, sizeof(why)) < 0);
	CHECK(conf_parse(&c, "state_dir = relative\n", why, sizeof(why)) < 0);
	CHECK(conf_parse(&c, "no equals sign\n", why, sizeof(why)) < 0);
	CHECK(conf_parse(&c, "manage_corosync = maybe\n", why, sizeof(why)) < 0);
}

static void test_duration(void)
{
	uint64_t ms;

	CHECK(conf_duration("1h", &ms) == 0 && ms == 3600000);
	CHECK(conf_duration("250ms", &ms) == 0 && ms == 250);
	CHECK(conf_duration("90", &ms) == 0 && ms == 90000);
	CHECK(conf_duration("2d", &ms) == 0 && ms == 2 * 86400000ULL);
	CHECK(conf_duration("forever", &ms) == 0 && ms == DMPOOL_TTL_FOREVER);
	CHECK(conf_duration("0s", &ms) < 0);
	CHECK(conf_duration("-1s", &ms) < 0);
	CHECK(conf_duration("1w", &ms) < 0);
	CHECK(conf_duration("", &ms) < 0);
	CHECK(conf_duration("99999999999999999999h", &ms) < 0);
}

static void test_crawl_msg(void)
{
	struct crawl_msg a = { .type = CRAWL_ANSWER, .nonce = 0x1122334455667788ULL,
			       .node_id = 4, .state = DMPOOL_NODE_UNCOMMISSIONED,
			       .capacity = 1 << 20, .committed = 4096 };
	struct crawl_msg b;
	uint8_t buf[CRAWL_DGRAM_MAX];
	int len, i;

	snprintf(a.version, sizeof(a.version), "dmpoold 0.1.0");
	snprintf(a.cluster, sizeof(a.cluster), "dmpool");
	len = crawl_encode(&a, buf, sizeof(buf));
	CHECK(len > 0);
	CHECK(crawl_decode(&b, buf, (size_t)len) == 0);
	CHECK_U64(b.nonce, a.nonce);
	CHECK_U64(b.node_id, 4);
	CHECK_U64(b.state, DMPOOL_NODE_UNCOMMISSIONED);
	CHECK_STR(b.version, "dmpoold 0.1.0");
	CHECK_STR(b.cluster, "dmpool");
	for (i = 0; i < len; i++)
		CHECK(crawl_decode(&b, buf, (size_t)i) < 0);
	buf[0] ^= 1;
	CHECK(crawl_decode(&b, buf, (size_t)len) < 0);
	a.type = CRAWL_PROBE;
	len = crawl_encode(&a, buf, sizeof(buf));
	CHECK_U64(len, 16);
	CHECK(crawl_decode(&b, buf, (size_t)len) == 0 && b.type == CRAWL_PROBE);
	CHECK(crawl_encode(&a, buf, 8) < 0);
}

static void test_join_msg(void)
{
	static const uint8_t key[32] = "0123456789abcdef0123456789abcdef";
	static const char conf[] = "totem {\n}\nnodelist {\n}\n";
	struct crawl_msg j = { .type = CRAWL_JOIN, .nonce = 7, .node_id = 4,
			       .port = 7470, .conf = conf,
			       .conf_len = sizeof(conf) - 1 };
	struct crawl_msg r;
	uint8_t buf[CRAWL_DGRAM_MAX], mac[CRAWL_MAC_LEN];
	int len, i;

	memset(j.challenge, 0x5a, sizeof(j.challenge));
	CHECK(crawl_join_mac(&j, key, sizeof(key), j.mac) == 0);
	len = crawl_encode(&j, buf, sizeof(buf));
	CHECK(len > 0);
	CHECK(crawl_decode(&r, buf, (size_t)len) == 0);
	CHECK_U64(r.node_id, 4);
	CHECK_U64(r.port, 7470);
	CHECK_U64(r.conf_len, sizeof(conf) - 1);
	CHECK(r.conf && !memcmp(r.conf, conf, r.conf_len));
	/* The receiver's MAC matches; another key or challenge does not. */
	CHECK(crawl_join_mac(&r, key, sizeof(key), mac) == 0);
	CHECK(!memcmp(mac, r.mac, sizeof(mac)));
	CHECK(crawl_join_mac(&r, key, 16, mac) == 0);
	CHECK(memcmp(mac, r.mac, sizeof(mac)));
	r.challenge[0] ^= 1;
	CHECK(crawl_join_mac(&r, key, sizeof(key), mac) == 0);
	CHECK(memcmp(mac, r.mac, sizeof(mac)));
	for (i = 0; i < len; i++)
		CHECK(crawl_decode(&r, buf, (size_t)i) < 0);
	/* A node ID out of range. */
	j.node_id = 65;
	len = crawl_encode(&j, buf, sizeof(buf));
	CHECK(len > 0 && crawl_decode(&r, buf, (size_t)len) < 0);
	/* A conf larger than a JOIN may carry. */
	j.node_id = 4;
	j.conf_len = CRAWL_CONF_MAX + 1;
	CHECK(crawl_encode(&j, buf, sizeof(buf)) < 0);

	memset(&j, 0, sizeof(j));
	j.type = CRAWL_JOINED;
	j.status = 1;
	snprintf(j.message, sizeof(j.message), "authentication failed");
	len = crawl_encode(&j, buf, sizeof(buf));
	CHECK(crawl_decode(&r, buf, (size_t)len) == 0);
	CHECK_STR(r.message, "authentication failed");
}

static void test_targets(void)
{
	uint32_t *out = calloc(CRAWL_TARGETS_MAX, sizeof(*out));
	long n;

	n = crawl_parse_targets("10.0.0.1", out, CRAWL_TARGETS_MAX, why, sizeof(why));
	CHECK_U64(n, 1);
	CHECK_U64(out[0], 0x0a000001);
	n = crawl_parse_targets("10.0.0.9,10.0.0.0/29,10.0.0.1", out,
				CRAWL_TARGETS_MAX, why, sizeof(why));
	CHECK_U64(n, 7);			/* .1-.6 and .9, .1 once */
	CHECK_U64(out[0], 0x0a000001);
	CHECK_U64(out[6], 0x0a000009);
	n = crawl_parse_targets("192.168.7.0/31", out, CRAWL_TARGETS_MAX, why,
				sizeof(why));
	CHECK_U64(n, 2);
	n = crawl_parse_targets("172.16.0.0/16", out, CRAWL_TARGETS_MAX, why,
				sizeof(why));
	CHECK_U64(n, 65534);
	CHECK(crawl_parse_targets("10.0.0.0/15", out, CRAWL_TARGETS_MAX, why,
				  sizeof(why)) < 0);
	CHECK_STR(why, "10.0.0.0/15 is too large: /16 or longer prefixes only");
	CHECK(crawl_parse_targets("10.0.0.1,", out, 16, why, sizeof(why)) < 0);
	CHECK(crawl_parse_targets("", out, 16, why, sizeof(why)) < 0);
	CHECK(crawl_parse_targets("host.example", out, 16, why, sizeof(why)) < 0);
	CHECK(crawl_parse_targets("10.0.0.1/33", out, 16, why, sizeof(why)) < 0);
	CHECK(crawl_parse_targets("10.0.0.1/x", out, 16, why, sizeof(why)) < 0);
	CHECK(crawl_parse_targets("fd00::1", out, 16, why, sizeof(why)) < 0);
	CHECK(crawl_parse_targets("10.0.0.0/24", out, 16, why, sizeof(why)) < 0);
	free(out);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_parse);
	RUN(test_duration);
	RUN(test_crawl_msg);
	RUN(test_join_msg);
	RUN(test_targets);
	return unit_done();
}
