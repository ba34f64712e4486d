// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoolctl's node, key and peer commands: the command
 * line (addresses, ports, node IDs, where the key may come from), strict
 * decoding of NODE_GET and PEER_GET replies, the exact peer table, node
 * lines and JSON, and the error messages naming the peer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <netlink/msg.h>

#include "cli.h"
#include "errmsg.h"
#include "output.h"
#include "reply.h"
#include "unit.h"

#include "unit-cli.h"

static char why[200];

static const char *fmt(const struct node_addr *a)
{
	static char buf[ADDR_FMT_MAX];

	return addr_format(a, true, buf, sizeof(buf));
}

static void test_addr_parse(void)
{
	struct node_addr a;

	CHECK(addr_parse("10.0.0.1", false, &a, err, sizeof(err)) == CLI_OK);
	CHECK(a.family == AF_INET);
	CHECK_U64(a.port, DMPOOL_PORT_DEFAULT);
	CHECK(a.addr[0] == 10 && a.addr[3] == 1);
	CHECK_STR(fmt(&a), "10.0.0.1:7470");
	CHECK(addr_parse("10.0.0.1:9", false, &a, err, sizeof(err)) == CLI_OK);
	CHECK_STR(fmt(&a), "10.0.0.1:9");
	CHECK(addr_parse("fd00::1", false, &a, err, sizeof(err)) == CLI_OK);
	CHECK(a.family == AF_INET6);
	CHECK_STR(fmt(&a), "[fd00::1]:7470");
	CHECK(addr_parse("[fd00::2]:65535", false, &a, err, sizeof(err)) ==
	      CLI_OK);
	CHECK_STR(fmt(&a), "[fd00::2]:65535");
	CHECK(addr_parse("[::1]", false, &a, err, sizeof(err)) == CLI_OK);
	CHECK_STR(fmt(&a), "[::1]:7470");

	/* The wildcard only where allowed (a listen address). */
	CHECK(addr_parse("0.0.0.0", true, &a, err, sizeof(err)) == CLI_OK);
	CHECK(addr_parse("0.0.0.0", false, &a, err, sizeof(err)) == CLI_USAGE);
	CHECK(strstr(err, "wildcard") != NULL);
	CHECK(addr_parse("::", true, &a, err, sizeof(err)) == CLI_OK);
	CHECK(addr_parse("[::]:1", false, &a, err, sizeof(err)) == CLI_USAGE);

	/* Bad forms. */
	CHECK(addr_parse("", false, &a, err, sizeof(err)) == CLI_USAGE);
	CHECK(addr_parse("node2", false, &a, err, sizeof(err)) == CLI_USAGE);
	CHECK(strstr(err, "invalid address 'node2'") != NULL);
	CHECK(addr_parse("10.0.0", false, &a, err, sizeof(err)) == CLI_USAGE);
	CHECK(addr_parse("10.0.0.1:", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
	CHECK(addr_parse("10.0.0.1:0", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
	CHECK(strstr(err, "invalid port") != NULL);
	CHECK(addr_parse("10.0.0.1:65536", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
	CHECK(addr_parse("10.0.0.1:-1", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
	CHECK(addr_parse("10.0.0.1:7x", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
	CHECK(addr_parse("[fd00::1", false, &a, err, sizeof(err)) == CLI_USAGE);
	CHECK(addr_parse("[fd00::1]x", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
	CHECK(addr_parse("[10.0.0.1]:5", false, &a, err, sizeof(err)) ==
	      CLI_USAGE);
}

static void test_node_peer_commands(void)
{
	struct cli c;

	CHECK(parse(&c, "node", "set", "3", "10.0.0.3:7000", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_NODE_SET);
	CHECK_U64(c.node_id, 3);
	CHECK_STR(fmt(&c.addr), "10.0.0.3:7000");
	CHECK(parse(&c, "node", "show", "-j", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_NODE_SHOW && c.json);
	CHECK(parse(&c, "peer", "add", "64", "fd00::64", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_PEER_ADD);
	CHECK_U64(c.node_id, 64);
	CHECK(parse(&c, "peer", "del", "1", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_PEER_DEL);
	CHECK(parse(&c, "--json", "peer", "list", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_PEER_LIST && c.json);

	CHECK_USAGE("invalid node ID '0'", "peer", "del", "0");
	CHECK_USAGE("invalid node ID '65'", "peer", "del", "65");
	CHECK_USAGE("invalid node ID '007'", "peer", "del", "007");
	CHECK_USAGE("invalid node ID 'x'", "node", "set", "x", "10.0.0.1");
	CHECK_USAGE("missing argument", "peer", "add", "2");
	CHECK_USAGE("unexpected argument", "peer", "list", "2");
	CHECK_USAGE("wildcard", "peer", "add", "2", "0.0.0.0");
	CHECK_USAGE("missing node command", "node");
	CHECK_USAGE("unknown node command 'get'", "node", "get");
	CHECK_USAGE("missing peer command", "peer");
	CHECK_USAGE("unknown peer command 'remove'", "peer", "remove", "2");
	CHECK_USAGE("--force only applies", "peer", "del", "2", "-f");
}

static void test_key_command(void)
{
	struct cli c;

	CHECK(parse(&c, "key", "set", "--file", "/etc/dmpool/key", NULL) ==
	      CLI_OK);
	CHECK(c.cmd == CMD_KEY_SET);
	CHECK_STR(c.key_file, "/etc/dmpool/key");
	CHECK(parse(&c, "key", "set", "--file=/k", NULL) == CLI_OK);
	CHECK_STR(c.key_file, "/k");
	CHECK(parse(&c, "key", "set", "-", NULL) == CLI_OK);
	CHECK_STR(c.key_file, "-");

	CHECK_USAGE("never taken from the command line", "key", "set",
		    "s3cr3t-s3cr3t-s3cr3t");
	CHECK_USAGE("key set (--file FILE | -)", "key", "set");
	CHECK_USAGE("key set (--file FILE | -)", "key", "set", "--file", "/k",
		    "-");
	CHECK_USAGE("--file needs a file name", "key", "set", "--file");
	CHECK_USAGE("--file needs a file name", "key", "set", "--file=");
	CHECK_USAGE("--file only applies to key set", "peer", "list",
		    "--file", "/k");
	CHECK_USAGE("missing key command", "key");
	CHECK_USAGE("unknown key command 'show'", "key", "show");
}

/* ---- replies ---- */

static int decode(struct nl_msg *msg, struct ctl_node *node,
		  struct ctl_peer *peer)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	why[0] = '\0';
	ret = reply_split(nlmsg_attrdata(nlh, 0), nlmsg_attrlen(nlh, 0), tb,
			  why, sizeof(why));
	if (ret == 0)
		ret = node ? reply_node(tb, node, why, sizeof(why)) :
			     reply_peer(tb, peer, why, sizeof(why));
	nlmsg_free(msg);
	return ret;
}

static const uint8_t v4[4] = { 10, 213, 0, 12 };

/* A peer message without @skip; @alen bytes of address. */
static struct nl_msg *peer_msg(int skip, int alen, uint32_t id)
{
	struct nl_msg *msg = nlmsg_alloc();
	uint8_t a[16] = { 0 };

	memcpy(a, v4, sizeof(v4));
	if (skip != DMPOOL_A_NODE_ID)
		nla_put_u32(msg, DMPOOL_A_NODE_ID, id);
	if (skip != DMPOOL_A_ADDR)
		nla_put(msg, DMPOOL_A_ADDR, alen, a);
	if (skip != DMPOOL_A_PORT)
		nla_put_u16(msg, DMPOOL_A_PORT, 7470);
	if (skip != DMPOOL_A_PEER_STATE)
		nla_put_u32(msg, DMPOOL_A_PEER_STATE, DMPOOL_PEER_CONNECTED);
	nla_put_u64(msg, DMPOOL_A_PEER_RTT_NS, 1500000);
	nla_put_u64(msg, DMPOOL_A_PEER_BYTES_IN, 2048);
	nla_put_u64(msg, DMPOOL_A_PEER_FRAMES_IN, 12);
	nla_put_u64(msg, DMPOOL_A_PEER_RECONNECTS, 1);
	return msg;
}

static void test_reply_peer(void)
{
	struct ctl_peer p;
	struct nl_msg *msg;

	CHECK(decode(peer_msg(0, 4, 2), NULL, &p) == 0);
	CHECK_U64(p.id, 2);
	CHECK_STR(fmt(&p.addr), "10.213.0.12:7470");
	CHECK_U64(p.state, DMPOOL_PEER_CONNECTED);
	CHECK_U64(p.rtt_ns, 1500000);
	CHECK_U64(p.bytes_in, 2048);
	CHECK_U64(p.bytes_out, 0);
	CHECK_U64(p.reconnects, 1);

	CHECK(decode(peer_msg(DMPOOL_A_NODE_ID, 4, 2), NULL, &p) < 0);
	CHECK(strstr(why, "NODE_ID missing") != NULL);
	CHECK(decode(peer_msg(DMPOOL_A_ADDR, 4, 2), NULL, &p) < 0);
	CHECK(decode(peer_msg(DMPOOL_A_PORT, 4, 2), NULL, &p) < 0);
	CHECK(decode(peer_msg(DMPOOL_A_PEER_STATE, 4, 2), NULL, &p) < 0);
	CHECK(decode(peer_msg(0, 5, 2), NULL, &p) < 0);
	CHECK(strstr(why, "not 4 or 16") != NULL);
	CHECK(decode(peer_msg(0, 4, 0), NULL, &p) < 0);
	CHECK(decode(peer_msg(0, 4, DMPOOL_NODES_MAX + 1), NULL, &p) < 0);

	/* Counters of the wrong size, short and long. */
	msg = peer_msg(0, 4, 2);
	nla_put_u32(msg, DMPOOL_A_PEER_MALFORMED, 1);
	CHECK(decode(msg, NULL, &p) < 0);
	msg = peer_msg(0, 4, 2);
	nla_put(msg, DMPOOL_A_PEER_MALFORMED, 12, "twelve bytes");
	CHECK(decode(msg, NULL, &p) < 0);
	CHECK(strstr(why, "PEER_MALFORMED has 12 bytes") != NULL);
}

static void test_reply_node(void)
{
	struct ctl_node n;
	struct nl_msg *msg;

	/* Before NODE_SET: no ID, no address. */
	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_KEY_SET, 0);
	nla_put_u32(msg, DMPOOL_A_PEERS, 0);
	CHECK(decode(msg, &n, NULL) == 0);
	CHECK(!n.has_id && !n.key_set);

	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 1);
	nla_put(msg, DMPOOL_A_ADDR, 4, v4);
	nla_put_u16(msg, DMPOOL_A_PORT, 7470);
	nla_put_u32(msg, DMPOOL_A_KEY_SET, 1);
	nla_put_u32(msg, DMPOOL_A_PEERS, 2);
	nla_put_u64(msg, DMPOOL_A_REJECTED_AUTH, 3);
	nla_put_u32(msg, DMPOOL_A_REQ_TIMEOUT_MS, 5000);
	CHECK(decode(msg, &n, NULL) == 0);
	CHECK(n.has_id && n.key_set);
	CHECK_U64(n.id, 1);
	CHECK_U64(n.peers, 2);
	CHECK_U64(n.rejected_auth, 3);
	CHECK_U64(n.req_timeout_ms, 5000);

	/* An ID without its address; no KEY_SET. */
	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 1);
	nla_put_u32(msg, DMPOOL_A_KEY_SET, 1);
	CHECK(decode(msg, &n, NULL) < 0);
	CHECK(strstr(why, "ADDR missing") != NULL);
	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_PEERS, 1);
	CHECK(decode(msg, &n, NULL) < 0);
	CHECK(strstr(why, "KEY_SET missing") != NULL);
}

/* ---- output ---- */

static char *capture_buf;
static size_t capture_len;

static FILE *cap(void)
{
	return open_memstream(&capture_buf, &capture_len);
}

static const char *done(FILE *f)
{
	fclose(f);
	return capture_buf;
}

static void test_rtt_format(void)
{
	char b[32];

	CHECK_STR(rtt_format(0, b, sizeof(b)), "-");
	CHECK_STR(rtt_format(900, b, sizeof(b)), "900 ns");
	CHECK_STR(rtt_format(1500000, b, sizeof(b)), "1500 us");
	CHECK_STR(rtt_format(25000000, b, sizeof(b)), "25 ms");
}

static void test_peer_table_and_json(void)
{
	struct ctl_peer p[2] = {
		{ .id = 2, .addr = { AF_INET, { 10, 213, 0, 12 }, 7470 },
		  .state = DMPOOL_PEER_CONNECTED, .rtt_ns = 1500000,
		  .bytes_in = 2048, .bytes_out = 4096, .frames_in = 12,
		  .frames_out = 13, .reconnects = 1 },
		{ .id = 33, .addr = { AF_INET6, { 0xfd, [15] = 1 }, 9 },
		  .state = DMPOOL_PEER_AUTH_FAILED, .auth_failures = 4 },
	};
	FILE *f;

	f = cap();
	CHECK(out_peer_list(f, p, 2, false) == 0);
	CHECK_STR(done(f),
		  "ID  ADDRESS           STATE            RTT  BYTES_IN  BYTES_OUT  FRAMES_IN  FRAMES_OUT  RECONNECTS  AUTH_FAIL  MALFORMED\n"
		  " 2  10.213.0.12:7470  connected    1500 us     2 KiB      4 KiB         12          13           1          0          0\n"
		  "33  [fd00::1]:9       auth-failed        -       0 B        0 B          0           0           0          4          0\n");
	free(capture_buf);

	f = cap();
	CHECK(out_peer_list(f, p, 1, true) == 0);
	CHECK_STR(done(f),
		  "{\"peers\":[{\"id\":2,\"address\":\"10.213.0.12\",\"port\":7470,"
		  "\"state\":\"connected\",\"rtt_ns\":1500000,\"bytes_in\":2048,"
		  "\"bytes_out\":4096,\"frames_in\":12,\"frames_out\":13,"
		  "\"reconnects\":1,\"auth_failures\":0,\"malformed\":0}]}\n");
	free(capture_buf);

	f = cap();
	CHECK(out_peer_list(f, NULL, 0, true) == 0);
	CHECK_STR(done(f), "{\"peers\":[]}\n");
	free(capture_buf);
}

static void test_node_show(void)
{
	struct ctl_node n = {
		.has_id = true, .id = 1,
		.addr = { AF_INET, { 10, 213, 0, 11 }, 7470 },
		.key_set = true, .peers = 2, .req_timeout_ms = 5000,
		.rejected_malformed = 7,
	};
	struct ctl_node unset = { .req_timeout_ms = 5000 };
	FILE *f;

	f = cap();
	CHECK(out_node_show(f, &n, false) == 0);
	CHECK_STR(done(f),
		  "node:               1\n"
		  "listening on:       10.213.0.11:7470\n"
		  "cluster key:        set\n"
		  "peers:              2\n"
		  "request timeout:    5000 ms\n"
		  "rejected auth:      0\n"
		  "rejected malformed: 7\n"
		  "rejected unknown:   0\n");
	free(capture_buf);

	f = cap();
	CHECK(out_node_show(f, &unset, true) == 0);
	CHECK_STR(done(f),
		  "{\"key_set\":false,\"peers\":0,\"request_timeout_ms\":5000,"
		  "\"rejected_auth\":0,\"rejected_malformed\":0,"
		  "\"rejected_unknown\":0}\n");
	free(capture_buf);
}

static void test_done_and_errors(void)
{
	struct ctl_err e = { .ack = { .error = -ENOENT } };
	char buf[ERRMSG_MAX];
	struct cli c;
	FILE *f;

	CHECK(parse(&c, "peer", "add", "2", "10.0.0.2", NULL) == CLI_OK);
	f = cap();
	CHECK(out_done(f, &c, false) == 0);
	CHECK_STR(done(f), "added peer 2 at 10.0.0.2:7470\n");
	free(capture_buf);
	f = cap();
	CHECK(out_done(f, &c, true) == 0);
	CHECK_STR(done(f),
		  "{\"added_peer\":{\"id\":2,\"address\":\"10.0.0.2\",\"port\":7470}}\n");
	free(capture_buf);

	/* Peer messages name the peer, not a pool. */
	CHECK_STR(errmsg(CMD_PEER_DEL, "peer 9", CTL_KERNEL, &e, buf,
			 sizeof(buf)), "peer 9: no such peer");
	e.ack.error = -ENOKEY;
	CHECK_STR(errmsg(CMD_PEER_ADD, "peer 2", CTL_KERNEL, &e, buf,
			 sizeof(buf)),
		  "peer 2: no cluster key is set (dmpoolctl key set)");
	snprintf(e.ack.msg, sizeof(e.ack.msg), "the port is in use");
	e.ack.error = -EADDRINUSE;
	CHECK_STR(errmsg(CMD_NODE_SET, "node 1", CTL_KERNEL, &e, buf,
			 sizeof(buf)), "node 1: the port is in use");
}

int main(void)
{
	RUN(test_addr_parse);
	RUN(test_node_peer_commands);
	RUN(test_key_command);
	RUN(test_reply_peer);
	RUN(test_reply_node);
	RUN(test_rtt_format);
	RUN(test_peer_table_and_json);
	RUN(test_node_show);
	RUN(test_done_and_errors);
	return unit_done();
}
