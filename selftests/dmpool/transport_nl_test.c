// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the netlink contract of nodes, keys and peers: every malformed
 * NODE_SET, KEY_SET, PEER_ADD, PEER_DEL and PEER_GET request (bad or
 * missing IDs, bad addresses and ports, short and long keys, unknown and
 * output-only attributes) is refused with -EINVAL and an extack message;
 * state errors get their own errno (-ENOENT, -EEXIST, -EBUSY); the key is
 * never reported back; only CAP_NET_ADMIN may change anything.
 *
 * Runs in VM node 1.  It sets node 1's ID (1, on 127.0.0.1 and a private
 * port) and a key, and deletes every peer it adds; transport.bats reloads
 * the module before it sets the cluster up for real.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

#define TEST_PORT	7479	/* not DMPOOL_PORT_DEFAULT: ours alone */

FIXTURE(tnl) {
	struct dmnl nl;
	char buf[8192];		/* one request */
};

FIXTURE_SETUP(tnl)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
}

FIXTURE_TEARDOWN(tnl)
{
	dmnl_close(&self->nl);
}

static struct nlmsghdr *req(FIXTURE_DATA(tnl) *self, uint8_t cmd)
{
	return dmnl_start(&self->nl, self->buf, cmd, NLM_F_ACK);
}

static void put_v4(struct nlmsghdr *nlh, const char *addr, int port)
{
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	mnl_attr_put(nlh, DMPOOL_A_ADDR, sizeof(a), &a);
	if (port >= 0)
		mnl_attr_put_u16(nlh, DMPOOL_A_PORT, (uint16_t)port);
}

/* Send; return the errno and check that an extack message came with it. */
static int talk(FIXTURE_DATA(tnl) *self, struct nlmsghdr *nlh, bool *msg)
{
	int err = dmnl_talk(&self->nl, nlh, NULL, NULL);

	*msg = self->nl.errmsg[0] != '\0';
	return err;
}

/* NODE_SET 1 on 127.0.0.1:TEST_PORT (no peers may exist). */
static int node_set_ok(FIXTURE_DATA(tnl) *self)
{
	struct nlmsghdr *nlh = req(self, DMPOOL_CMD_NODE_SET);

	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	return dmnl_talk(&self->nl, nlh, NULL, NULL);
}

static int key_set(FIXTURE_DATA(tnl) *self, size_t len)
{
	struct nlmsghdr *nlh = req(self, DMPOOL_CMD_KEY_SET);
	uint8_t key[128];

	memset(key, 0x5a, sizeof(key));
	mnl_attr_put(nlh, DMPOOL_A_KEY, len, key);
	return dmnl_talk(&self->nl, nlh, NULL, NULL);
}

#define EXPECT_EINVAL_MSG(self, nlh) do {				\
		bool msg_;						\
		EXPECT_EQ(-EINVAL, talk(self, nlh, &msg_));		\
		EXPECT_TRUE(msg_);					\
	} while (0)

TEST_F(tnl, feature_bit)
{
	struct dmnl_version v;

	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_TRUE(v.features & DMPOOL_FEAT_TRANSPORT);
}

TEST_F(tnl, node_set_bad_input)
{
	struct nlmsghdr *nlh;
	uint8_t five[5] = { 10, 0, 0, 1, 0 };
	struct in6_addr mc6;

	/* IDs: missing, 0, past the maximum. */
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 0);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, DMPOOL_NODES_MAX + 1);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	/* A u64 where a u32 belongs. */
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u64(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);

	/* Addresses: missing, 5 bytes, multicast v4 and v6; port 0. */
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	mnl_attr_put(nlh, DMPOOL_A_ADDR, sizeof(five), five);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "224.0.0.1", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	inet_pton(AF_INET6, "ff02::1", &mc6);
	mnl_attr_put(nlh, DMPOOL_A_ADDR, sizeof(mc6), &mc6);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "127.0.0.1", 0);
	EXPECT_EINVAL_MSG(self, nlh);

	/* Unknown and output-only attributes. */
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	mnl_attr_put_u32(nlh, DMPOOL_A_MAX + 1, 1);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	mnl_attr_put_u32(nlh, DMPOOL_A_PEER_STATE, 1);
	EXPECT_EINVAL_MSG(self, nlh);

	/* An attribute of another command. */
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	put_v4(nlh, "127.0.0.1", TEST_PORT);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, "p");
	EXPECT_EINVAL_MSG(self, nlh);

	/* A good one works, and again (no peers: the listener restarts). */
	EXPECT_EQ(0, node_set_ok(self)) TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, node_set_ok(self)) TH_LOG("%s", self->nl.errmsg);
}

TEST_F(tnl, key_set_bad_input)
{
	struct nlmsghdr *nlh;
	bool msg;

	nlh = req(self, DMPOOL_CMD_KEY_SET);
	EXPECT_EINVAL_MSG(self, nlh);
	EXPECT_EQ(-EINVAL, key_set(self, 0));
	EXPECT_EQ(-EINVAL, key_set(self, DMPOOL_KEY_MIN - 1));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_EQ(-EINVAL, key_set(self, DMPOOL_KEY_MAX + 1));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	nlh = req(self, DMPOOL_CMD_KEY_SET);
	mnl_attr_put(nlh, DMPOOL_A_KEY, 32, self->buf + 1024);
	mnl_attr_put_u32(nlh, DMPOOL_A_KEY_SET, 1);
	EXPECT_EQ(-EINVAL, talk(self, nlh, &msg));
	EXPECT_TRUE(msg);

	nlh = req(self, DMPOOL_CMD_KEY_SET);
	mnl_attr_put(nlh, DMPOOL_A_KEY, 32, self->buf + 1024);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	EXPECT_EQ(-EINVAL, talk(self, nlh, &msg));
	EXPECT_TRUE(msg);

	EXPECT_EQ(0, key_set(self, DMPOOL_KEY_MIN));
	EXPECT_EQ(0, key_set(self, DMPOOL_KEY_MAX));
}

/* NODE_GET reply: whether a key is set, and that no KEY attribute came. */
struct node_reply {
	bool key_set, has_key, has_id;
};

static int node_cb(const struct nlmsghdr *nlh, void *data)
{
	struct node_reply *r = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case DMPOOL_A_KEY_SET:
			r->key_set = mnl_attr_get_u32(a) != 0;
			break;
		case DMPOOL_A_KEY:
			r->has_key = true;
			break;
		case DMPOOL_A_NODE_ID:
			r->has_id = true;
			break;
		}
	}
	return MNL_CB_OK;
}

TEST_F(tnl, key_never_reported)
{
	struct node_reply r = { 0 };
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, key_set(self, 32));
	nlh = dmnl_start(&self->nl, self->buf, DMPOOL_CMD_NODE_GET, NLM_F_ACK);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, node_cb, &r));
	EXPECT_TRUE(r.key_set);
	EXPECT_FALSE(r.has_key);
}

static struct nlmsghdr *peer_req(FIXTURE_DATA(tnl) *self, uint8_t cmd,
				 int64_t id)
{
	struct nlmsghdr *nlh = req(self, cmd);

	if (id >= 0)
		mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, (uint32_t)id);
	return nlh;
}

TEST_F(tnl, peer_bad_input)
{
	struct nlmsghdr *nlh;
	bool msg;

	ASSERT_EQ(0, key_set(self, 32));
	ASSERT_EQ(0, node_set_ok(self)) TH_LOG("%s", self->nl.errmsg);

	/* PEER_ADD: IDs missing, 0, too big, our own; bad addresses. */
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, -1);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 0);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, DMPOOL_NODES_MAX + 1);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 1);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 2);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 2);
	put_v4(nlh, "0.0.0.0", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 2);
	put_v4(nlh, "255.255.255.255", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 2);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	mnl_attr_put_u64(nlh, DMPOOL_A_PEER_RTT_NS, 1);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 2);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	mnl_attr_put_u32(nlh, DMPOOL_A_MAX + 1, 1);
	EXPECT_EINVAL_MSG(self, nlh);

	/* Attributes PEER_DEL, PEER_GET and NODE_GET do not take. */
	nlh = peer_req(self, DMPOOL_CMD_PEER_DEL, 2);
	put_v4(nlh, "127.0.0.2", TEST_PORT);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_GET, 2);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, 1);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_NODE_GET, 2);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = dmnl_start(&self->nl, self->buf, DMPOOL_CMD_PEER_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 2);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* PEER_DEL and PEER_GET: IDs missing, 0, too big; unknown ID. */
	nlh = peer_req(self, DMPOOL_CMD_PEER_DEL, -1);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_DEL, 0);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_GET, DMPOOL_NODES_MAX + 1);
	EXPECT_EINVAL_MSG(self, nlh);
	nlh = peer_req(self, DMPOOL_CMD_PEER_DEL, 63);
	EXPECT_EQ(-ENOENT, talk(self, nlh, &msg));
	EXPECT_TRUE(msg);
	nlh = peer_req(self, DMPOOL_CMD_PEER_GET, 63);
	EXPECT_EQ(-ENOENT, talk(self, nlh, &msg));
	EXPECT_TRUE(msg);

	/* A good peer; twice is -EEXIST; NODE_SET is -EBUSY meanwhile. */
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 63);
	put_v4(nlh, "127.0.0.1", TEST_PORT + 1);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL))
		TH_LOG("%s", self->nl.errmsg);
	nlh = peer_req(self, DMPOOL_CMD_PEER_ADD, 63);
	put_v4(nlh, "127.0.0.1", TEST_PORT + 1);
	EXPECT_EQ(-EEXIST, talk(self, nlh, &msg));
	EXPECT_TRUE(msg);
	EXPECT_EQ(-EBUSY, node_set_ok(self));
	nlh = peer_req(self, DMPOOL_CMD_PEER_GET, 63);
	EXPECT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = peer_req(self, DMPOOL_CMD_PEER_DEL, 63);
	EXPECT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_EQ(0, node_set_ok(self));
}

TEST_F(tnl, unprivileged)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		FIXTURE_DATA(tnl) me;
		struct nlmsghdr *nlh;

		if (setgid(65534) || setuid(65534))
			_exit(1);
		if (dmnl_open(&me.nl))
			_exit(2);
		if (node_set_ok(&me) != -EPERM || key_set(&me, 32) != -EPERM)
			_exit(3);
		nlh = peer_req(&me, DMPOOL_CMD_PEER_ADD, 2);
		put_v4(nlh, "127.0.0.2", TEST_PORT);
		if (dmnl_talk(&me.nl, nlh, NULL, NULL) != -EPERM)
			_exit(4);
		nlh = peer_req(&me, DMPOOL_CMD_PEER_DEL, 2);
		if (dmnl_talk(&me.nl, nlh, NULL, NULL) != -EPERM)
			_exit(5);
		nlh = dmnl_start(&me.nl, me.buf, DMPOOL_CMD_NODE_GET,
				 NLM_F_ACK);
		if (dmnl_talk(&me.nl, nlh, NULL, NULL))
			_exit(6);
		nlh = dmnl_start(&me.nl, me.buf, DMPOOL_CMD_PEER_GET,
				 NLM_F_DUMP);
		if (dmnl_talk(&me.nl, nlh, NULL, NULL))
			_exit(7);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
