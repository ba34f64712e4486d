// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the module side of DMPOOL_FEAT_CLUSTER: a tool's CLUSTER_REQ is
 * relayed to a daemon listening on the "daemon" group and answered with
 * what the daemon gave, byte for byte; every way a request can end
 * (no daemon, no accept, signal, late or repeated answers, many at once)
 * gives its errno and extack; only CAP_NET_ADMIN may change the cluster
 * or play the daemon; CLUSTER_SET/GET keep the daemon's state; and the
 * "events" group reports pools, attachments, cluster changes and peers'
 * states.
 *
 * The daemon is faked by a thread of the test: one socket in the "daemon"
 * group receives REQ_NOTIFY, another sends REQ_ACCEPT and REQ_DONE.  For
 * the PEER events the test sets this node up as node 10 (as serve_test
 * does, on its own port) and plays its peers over loopback with the key
 * (wire_peer.h); it deletes them at the end.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"
#include "wire_peer.h"

#define BIG_BUF		(DMPOOL_REQ_RESULT_MAX + 8192)
#define NR_THREADS	16

/*
 * This node becomes node PEV_SELF (as serve_test's node 10, on its own
 * port); the test plays node PEV_IN, which connects to us (lower ID), and
 * node PEV_OUT, which we connect to, with the key.
 */
#define PEV_SELF	10
#define PEV_SELF_PORT	7473
#define PEV_IN		5
#define PEV_OUT		20
#define PEV_OUT_PORT	7474

/* ---- Parsing ------------------------------------------------------------ */

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type >= 0 && type <= DMPOOL_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (DMPOOL_A_MAX + 1));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
}

static uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

/* ---- Multicast groups ------------------------------------------------- */

struct groups {
	uint32_t daemon;
	uint32_t events;
};

static int grp_cb(const struct nlmsghdr *nlh, void *data)
{
	struct groups *g = data;
	struct nlattr *attr, *grp, *a;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, attr) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(a, grp) {
				if (mnl_attr_get_type(a) ==
				    CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(a);
				if (mnl_attr_get_type(a) ==
				    CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(a);
			}
			if (name && !strcmp(name, DMPOOL_GENL_MCGRP_DAEMON))
				g->daemon = id;
			if (name && !strcmp(name, DMPOOL_GENL_MCGRP_EVENTS))
				g->events = id;
		}
	}
	return MNL_CB_OK;
}

/* The family's group IDs, from CTRL_CMD_GETFAMILY; 0 or -errno. */
static int get_groups(struct dmnl *nl, struct groups *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint16_t family = nl->family;
	struct nlmsghdr *nlh;
	int err;

	memset(g, 0, sizeof(*g));
	nl->family = GENL_ID_CTRL;
	nlh = dmnl_start(nl, buf, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, DMPOOL_GENL_NAME);
	nl->family = family;
	err = dmnl_talk(nl, nlh, grp_cb, g);
	if (!err && (!g->daemon || !g->events))
		err = -ENOENT;
	return err;
}

/* 0 or -errno of NETLINK_ADD_MEMBERSHIP. */
static int join(struct mnl_socket *sk, uint32_t grp)
{
	return mnl_socket_setsockopt(sk, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp)) < 0 ? -errno : 0;
}

/* ---- The tool's side ---------------------------------------------------- */

struct reply {
	uint64_t id;
	uint32_t status;
	bool has_message;
	char message[DMPOOL_REQ_MESSAGE_MAX + 1];
	uint8_t *result;		/* payload of REQ_RESULT, malloc'ed */
	int result_len;			/* -1: no REQ_RESULT */
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct reply *r = data;

	parse(nlh, tb);
	if (!tb[DMPOOL_A_REQ_ID] || !tb[DMPOOL_A_REQ_STATUS] ||
	    tb[DMPOOL_A_REQ_UID] || tb[DMPOOL_A_REQ_KIND])
		return MNL_CB_ERROR;
	r->id = mnl_attr_get_u64(tb[DMPOOL_A_REQ_ID]);
	r->status = mnl_attr_get_u32(tb[DMPOOL_A_REQ_STATUS]);
	if (tb[DMPOOL_A_REQ_MESSAGE]) {
		r->has_message = true;
		snprintf(r->message, sizeof(r->message), "%s",
			 mnl_attr_get_str(tb[DMPOOL_A_REQ_MESSAGE]));
	}
	if (tb[DMPOOL_A_REQ_RESULT]) {
		const struct nlattr *res = tb[DMPOOL_A_REQ_RESULT];

		r->result_len = mnl_attr_get_payload_len(res);
		r->result = malloc(r->result_len + 1);
		if (!r->result)
			return MNL_CB_ERROR;
		memcpy(r->result, mnl_attr_get_payload(res), r->result_len);
	}
	return MNL_CB_OK;
}

/*
 * CLUSTER_REQ of @kind with, if @arg_size, REQ_ARGS { POOL_SIZE }; 0 or
 * -errno, with @r filled on success (free r->result).
 */
static int cluster_req(struct dmnl *nl, uint32_t kind, uint64_t arg_size,
		       struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	memset(r, 0, sizeof(*r));
	r->result_len = -1;
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, kind);
	if (arg_size) {
		nest = mnl_attr_nest_start(nlh, DMPOOL_A_REQ_ARGS);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, arg_size);
		mnl_attr_nest_end(nlh, nest);
	}
	return dmnl_talk(nl, nlh, reply_cb, r);
}

/* REQ_ACCEPT or (with @status >= 0) REQ_DONE of @id; 0 or -errno. */
static int answer(struct dmnl *nl, uint64_t id, int64_t status)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = dmnl_start(nl, buf, status < 0 ? DMPOOL_CMD_REQ_ACCEPT :
			 DMPOOL_CMD_REQ_DONE, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_REQ_ID, id);
	if (status >= 0)
		mnl_attr_put_u32(nlh, DMPOOL_A_REQ_STATUS, (uint32_t)status);
	return dmnl_talk(nl, nlh, NULL, NULL);
}

/* ---- The fake daemon ---------------------------------------------------- */

enum fake_mode {
	FAKE_ECHO,		/* ACCEPT, then DONE */
	FAKE_DONE_ONLY,		/* DONE without ACCEPT */
	FAKE_IGNORE,		/* record the request, answer nothing */
};

/* The pattern byte @i of the fake daemon's POOL_MAP result. */
static uint8_t fake_byte(size_t i)
{
	return (uint8_t)(i * 7 + (i >> 8) + 1);
}

struct fake {
	pthread_t thread;
	struct mnl_socket *listen;	/* in the "daemon" group */
	struct dmnl cmd;		/* sends ACCEPT and DONE */
	enum fake_mode mode;
	uint32_t status;		/* DONE: REQ_STATUS */
	const char *message;		/* DONE: REQ_MESSAGE, or NULL */
	size_t map_len;			/* DONE: POOL_MAP bytes in the result */
	volatile bool stop;

	pthread_mutex_t lock;		/* protects the fields below */
	uint64_t ids[256];		/* notified request IDs, in order */
	int nr_ids;
	int errors;			/* ACCEPT or DONE failed, bad NOTIFY */
	uint32_t kind, uid, gid;	/* of the last NOTIFY */
	uint8_t args[256];		/* REQ_ARGS payload of the last NOTIFY */
	int args_len;			/* -1: none */
};

/* REQ_DONE for @id: result = the request's args, then POOL_MAP. */
static int fake_done(struct fake *f, uint64_t id, const void *args,
		     int args_len)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t *map = NULL;
	char *buf;
	int err;

	buf = malloc(BIG_BUF);
	if (f->map_len)
		map = malloc(f->map_len);
	if (!buf || (f->map_len && !map)) {
		free(buf);
		free(map);
		return -ENOMEM;
	}
	for (size_t i = 0; i < f->map_len; i++)
		map[i] = fake_byte(i);
	nlh = dmnl_start(&f->cmd, buf, DMPOOL_CMD_REQ_DONE, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_REQ_ID, id);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_STATUS, f->status);
	if (f->message)
		mnl_attr_put_strz(nlh, DMPOOL_A_REQ_MESSAGE, f->message);
	nest = mnl_attr_nest_start(nlh, DMPOOL_A_REQ_RESULT);
	if (args_len > 0) {
		memcpy(mnl_nlmsg_get_payload_tail(nlh), args, args_len);
		nlh->nlmsg_len += MNL_ALIGN(args_len);
	}
	if (f->map_len)
		mnl_attr_put(nlh, DMPOOL_A_POOL_MAP, f->map_len, map);
	mnl_attr_nest_end(nlh, nest);
	err = dmnl_talk(&f->cmd, nlh, NULL, NULL);
	free(map);
	free(buf);
	return err;
}

static void fake_notify(struct fake *f, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1];
	const void *args = NULL;
	int args_len = -1;
	uint64_t id;
	int err = 0;

	parse(nlh, tb);
	if (genl_cmd(nlh) != DMPOOL_CMD_REQ_NOTIFY || !tb[DMPOOL_A_REQ_ID] ||
	    !tb[DMPOOL_A_REQ_KIND] || !tb[DMPOOL_A_REQ_UID] ||
	    !tb[DMPOOL_A_REQ_GID]) {
		pthread_mutex_lock(&f->lock);
		f->errors++;
		pthread_mutex_unlock(&f->lock);
		return;
	}
	id = mnl_attr_get_u64(tb[DMPOOL_A_REQ_ID]);
	if (tb[DMPOOL_A_REQ_ARGS]) {
		args = mnl_attr_get_payload(tb[DMPOOL_A_REQ_ARGS]);
		args_len = mnl_attr_get_payload_len(tb[DMPOOL_A_REQ_ARGS]);
	}
	pthread_mutex_lock(&f->lock);
	if (f->nr_ids < 256)
		f->ids[f->nr_ids++] = id;
	f->kind = mnl_attr_get_u32(tb[DMPOOL_A_REQ_KIND]);
	f->uid = mnl_attr_get_u32(tb[DMPOOL_A_REQ_UID]);
	f->gid = mnl_attr_get_u32(tb[DMPOOL_A_REQ_GID]);
	f->args_len = args_len;
	if (args_len > 0 && args_len <= (int)sizeof(f->args))
		memcpy(f->args, args, args_len);
	pthread_mutex_unlock(&f->lock);

	if (f->mode == FAKE_ECHO)
		err = answer(&f->cmd, id, -1);
	if (!err && f->mode != FAKE_IGNORE)
		err = fake_done(f, id, args, args_len);
	if (err) {
		pthread_mutex_lock(&f->lock);
		f->errors++;
		pthread_mutex_unlock(&f->lock);
	}
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	char *buf = malloc(BIG_BUF);
	struct pollfd pfd = { .fd = mnl_socket_get_fd(f->listen),
			      .events = POLLIN };

	while (buf && !f->stop) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		ssize_t len;
		int left;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		len = recv(pfd.fd, buf, BIG_BUF, MSG_DONTWAIT);
		if (len <= 0)
			continue;
		left = (int)len;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			fake_notify(f, nlh);
	}
	free(buf);
	return NULL;
}

/* Start the fake daemon in @mode; 0 or -errno. */
static int fake_start(struct fake *f, enum fake_mode mode,
		      const struct groups *g)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->mode = mode;
	f->args_len = -1;
	pthread_mutex_init(&f->lock, NULL);
	err = dmnl_open(&f->cmd);
	if (err)
		return err;
	f->listen = mnl_socket_open(NETLINK_GENERIC);
	if (!f->listen) {
		err = -errno;
		goto err_cmd;
	}
	if (mnl_socket_bind(f->listen, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto err_listen;
	}
	err = join(f->listen, g->daemon);
	if (err)
		goto err_listen;
	err = -pthread_create(&f->thread, NULL, fake_main, f);
	if (err)
		goto err_listen;
	return 0;

err_listen:
	mnl_socket_close(f->listen);
	f->listen = NULL;
err_cmd:
	dmnl_close(&f->cmd);
	return err;
}

static void fake_stop(struct fake *f)
{
	if (!f->listen)
		return;
	f->stop = true;
	pthread_join(f->thread, NULL);
	mnl_socket_close(f->listen);
	f->listen = NULL;
	dmnl_close(&f->cmd);
}

static int fake_nr_ids(struct fake *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->nr_ids;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static int fake_errors(struct fake *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->errors;
	pthread_mutex_unlock(&f->lock);
	return n;
}

/* ---- A tool in a thread ------------------------------------------------- */

struct tool {
	pthread_t thread;
	uint32_t kind;
	uint64_t arg_size;
	int err;
	double secs;			/* how long the CLUSTER_REQ took */
	struct reply r;
	char errmsg[256];
};

static void *tool_main(void *arg)
{
	struct tool *t = arg;
	struct dmnl nl;
	double t0;

	t->err = dmnl_open(&nl);
	if (t->err)
		return NULL;
	t0 = dm_now();
	t->err = cluster_req(&nl, t->kind, t->arg_size, &t->r);
	t->secs = dm_now() - t0;
	snprintf(t->errmsg, sizeof(t->errmsg), "%s", nl.errmsg);
	dmnl_close(&nl);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* ---- Fixture -------------------------------------------------------------- */

FIXTURE(cluster) {
	struct dmnl nl;
	struct groups g;
	struct fake fake;
};

FIXTURE_SETUP(cluster)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	ASSERT_EQ(0, get_groups(&self->nl, &self->g))
		TH_LOG("the family has no \"daemon\" and \"events\" groups");
	self->fake.listen = NULL;
}

FIXTURE_TEARDOWN(cluster)
{
	fake_stop(&self->fake);
	/* peer_events' peers, if it failed half-way. */
	dmnl_peer_del(&self->nl, PEV_IN);
	dmnl_peer_del(&self->nl, PEV_OUT);
	dmnl_close(&self->nl);
}

/* Parse a CLUSTER_GET reply into @tb (the attributes stay in @buf). */
struct cget {
	char buf[4096];
	int len;
};

static int cget_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cget *c = data;

	if (nlh->nlmsg_len > sizeof(c->buf))
		return MNL_CB_ERROR;
	memcpy(c->buf, nlh, nlh->nlmsg_len);
	c->len = (int)nlh->nlmsg_len;
	return MNL_CB_OK;
}

static int cluster_get(struct dmnl *nl, struct cget *c,
		       const struct nlattr **tb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	c->len = 0;
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_CLUSTER_GET, NLM_F_ACK);
	err = dmnl_talk(nl, nlh, cget_cb, c);
	if (!err && !c->len)
		err = -EBADMSG;
	if (!err)
		parse((const struct nlmsghdr *)c->buf, tb);
	return err;
}

/* Whether a real dmpoold listens (then these tests cannot play it). */
static bool daemon_running(struct dmnl *nl)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct cget c;

	if (cluster_get(nl, &c, tb) || !tb[DMPOOL_A_CLUSTER_DAEMON])
		return false;
	return mnl_attr_get_u32(tb[DMPOOL_A_CLUSTER_DAEMON]);
}

#define NEED_NO_DAEMON() do {						\
	if (daemon_running(&self->nl))					\
		SKIP(return, "a dmpoold listens on this node");	\
} while (0)

/* VERSION_GET reports the cluster feature. */
TEST_F(cluster, feature)
{
	struct dmnl_version v;

	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_TRUE(v.features & DMPOOL_FEAT_CLUSTER);
}

/* Without a daemon a request fails at once: ENOTCONN with the extack. */
TEST_F(cluster, no_daemon)
{
	struct reply r;
	double t0;

	NEED_NO_DAEMON();
	t0 = dm_now();
	EXPECT_EQ(-ENOTCONN, cluster_req(&self->nl, DMPOOL_REQ_STATUS, 0, &r));
	EXPECT_LT(dm_now() - t0, 1.0);
	EXPECT_STREQ("no dmpoold is running on this node", self->nl.errmsg);
}

/* A request goes to the daemon and its answer comes back byte for byte. */
TEST_F(cluster, round_trip)
{
	const char *msg = "fake daemon: pool created";
	size_t map_len = 1000;
	struct reply r;
	int off;

	NEED_NO_DAEMON();
	ASSERT_EQ(0, fake_start(&self->fake, FAKE_ECHO, &self->g));
	self->fake.status = 17;
	self->fake.message = msg;
	self->fake.map_len = map_len;

	ASSERT_EQ(0, cluster_req(&self->nl, DMPOOL_REQ_POOL_CREATE, 12345,
				 &r))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, fake_errors(&self->fake));
	/* What the daemon was told. */
	ASSERT_EQ(1, fake_nr_ids(&self->fake));
	EXPECT_EQ(self->fake.ids[0], r.id);
	EXPECT_NE(0, r.id);
	EXPECT_EQ(DMPOOL_REQ_POOL_CREATE, self->fake.kind);
	EXPECT_EQ(getuid(), self->fake.uid);
	EXPECT_EQ(getgid(), self->fake.gid);
	ASSERT_EQ(MNL_ATTR_HDRLEN + 8, self->fake.args_len);
	/* What the tool got: the daemon's attributes as they were. */
	EXPECT_EQ(17, r.status);
	EXPECT_TRUE(r.has_message);
	EXPECT_STREQ(msg, r.message);
	ASSERT_EQ(self->fake.args_len + MNL_ATTR_HDRLEN + (int)map_len,
		  r.result_len);
	EXPECT_EQ(0, memcmp(r.result, self->fake.args, self->fake.args_len));
	off = self->fake.args_len + MNL_ATTR_HDRLEN;
	for (size_t i = 0; i < map_len; i++)
		if (r.result[off + i] != fake_byte(i)) {
			EXPECT_EQ(fake_byte(i), r.result[off + i])
				TH_LOG("result byte %zu differs", i);
			break;
		}
	free(r.result);

	/* The request is gone: a late answer finds nothing. */
	EXPECT_EQ(-ENOENT, answer(&self->nl, r.id, 0));
	EXPECT_EQ(-ENOENT, answer(&self->nl, r.id, -1));
}

/* A result of DMPOOL_REQ_RESULT_MAX bytes passes; one byte more does not. */
TEST_F(cluster, result_max)
{
	struct reply r;

	NEED_NO_DAEMON();
	ASSERT_EQ(0, fake_start(&self->fake, FAKE_DONE_ONLY, &self->g));
	self->fake.map_len = DMPOOL_REQ_RESULT_MAX - MNL_ATTR_HDRLEN;
	ASSERT_EQ(0, cluster_req(&self->nl, DMPOOL_REQ_STATUS, 0, &r))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, fake_errors(&self->fake));
	EXPECT_FALSE(r.has_message);
	ASSERT_EQ(DMPOOL_REQ_RESULT_MAX, r.result_len);
	for (size_t i = 0; i < self->fake.map_len; i++)
		if (r.result[MNL_ATTR_HDRLEN + i] != fake_byte(i)) {
			EXPECT_EQ(fake_byte(i), r.result[MNL_ATTR_HDRLEN + i]);
			break;
		}
	free(r.result);

	/* 4 bytes more (attributes are aligned): refused, the tool waits on. */
	self->fake.map_len += 4;
	EXPECT_EQ(-ETIMEDOUT, cluster_req(&self->nl, DMPOOL_REQ_STATUS, 0, &r));
	EXPECT_EQ(1, fake_errors(&self->fake));
}

/* A daemon that never accepts: ETIMEDOUT after DMPOOL_REQ_ACCEPT_MS. */
TEST_F(cluster, accept_timeout)
{
	struct reply r;
	double t0, secs;

	NEED_NO_DAEMON();
	ASSERT_EQ(0, fake_start(&self->fake, FAKE_IGNORE, &self->g));
	t0 = dm_now();
	EXPECT_EQ(-ETIMEDOUT, cluster_req(&self->nl, DMPOOL_REQ_STATUS, 0, &r));
	secs = dm_now() - t0;
	EXPECT_STREQ("dmpoold did not take the request", self->nl.errmsg);
	EXPECT_GE(secs, 4.5);
	EXPECT_LT(secs, 15.0);
	ASSERT_EQ(1, fake_nr_ids(&self->fake));
	/* Too late now. */
	EXPECT_EQ(-ENOENT, answer(&self->nl, self->fake.ids[0], -1));
	EXPECT_EQ(-ENOENT, answer(&self->nl, self->fake.ids[0], 0));
}

/* An unknown ID is ENOENT; a second ACCEPT EALREADY; DONE ends the wait. */
TEST_F(cluster, accept_done_by_hand)
{
	struct tool t = { .kind = DMPOOL_REQ_STATUS };
	uint64_t id;
	int err;

	NEED_NO_DAEMON();
	EXPECT_EQ(-ENOENT, answer(&self->nl, 0x7fffffffffffULL, 0));
	EXPECT_STREQ("no request with this ID is waiting", self->nl.errmsg);
	EXPECT_EQ(-ENOENT, answer(&self->nl, 0x7fffffffffffULL, -1));
	EXPECT_EQ(-EINVAL, answer(&self->nl, 0, -1));

	ASSERT_EQ(0, fake_start(&self->fake, FAKE_IGNORE, &self->g));
	ASSERT_EQ(0, pthread_create(&t.thread, NULL, tool_main, &t));
	ASSERT_TRUE(dm_wait_until(fake_nr_ids(&self->fake) == 1, 5));
	id = self->fake.ids[0];
	EXPECT_EQ(0, answer(&self->nl, id, -1));
	EXPECT_EQ(-EALREADY, answer(&self->nl, id, -1));
	EXPECT_STREQ("the request is already accepted", self->nl.errmsg);
	EXPECT_EQ(0, answer(&self->nl, id, 5));
	/* A second DONE: still there (EALREADY) or gone (ENOENT). */
	err = answer(&self->nl, id, 0);
	EXPECT_TRUE(err == -EALREADY || err == -ENOENT) TH_LOG("%d", err);
	pthread_join(t.thread, NULL);
	EXPECT_EQ(0, t.err) TH_LOG("%s", t.errmsg);
	EXPECT_EQ(id, t.r.id);
	EXPECT_EQ(5, t.r.status);
	EXPECT_EQ(-1, t.r.result_len);
	EXPECT_FALSE(t.r.has_message);
}

/* A signal ends a waiting request with EINTR; a late DONE gets ENOENT. */
TEST_F(cluster, signal)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tool t = { .kind = DMPOOL_REQ_STATUS };

	NEED_NO_DAEMON();
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */
	ASSERT_EQ(0, fake_start(&self->fake, FAKE_IGNORE, &self->g));
	ASSERT_EQ(0, pthread_create(&t.thread, NULL, tool_main, &t));
	ASSERT_TRUE(dm_wait_until(fake_nr_ids(&self->fake) == 1, 5));
	EXPECT_EQ(0, answer(&self->nl, self->fake.ids[0], -1));
	ASSERT_EQ(0, pthread_kill(t.thread, SIGUSR1));
	pthread_join(t.thread, NULL);
	EXPECT_EQ(-EINTR, t.err);
	EXPECT_LT(t.secs, 4.0);
	EXPECT_EQ(-ENOENT, answer(&self->nl, self->fake.ids[0], 0));
}

/* 16 requests in flight at once all get their own answers. */
TEST_F(cluster, many_in_flight)
{
	struct tool t[NR_THREADS];
	int i;

	NEED_NO_DAEMON();
	ASSERT_EQ(0, fake_start(&self->fake, FAKE_DONE_ONLY, &self->g));
	self->fake.status = 3;
	for (i = 0; i < NR_THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].kind = DMPOOL_REQ_STATUS;
		t[i].arg_size = 1000 + i;
		ASSERT_EQ(0, pthread_create(&t[i].thread, NULL, tool_main,
					    &t[i]));
	}
	for (i = 0; i < NR_THREADS; i++) {
		uint64_t size;

		pthread_join(t[i].thread, NULL);
		EXPECT_EQ(0, t[i].err) TH_LOG("%d: %s", i, t[i].errmsg);
		if (t[i].err)
			continue;
		EXPECT_EQ(3, t[i].r.status);
		/* The result echoes this thread's args: POOL_SIZE. */
		ASSERT_EQ(MNL_ATTR_HDRLEN + 8, t[i].r.result_len);
		memcpy(&size, t[i].r.result + MNL_ATTR_HDRLEN, 8);
		EXPECT_EQ(1000 + i, size);
		free(t[i].r.result);
	}
	EXPECT_EQ(NR_THREADS, fake_nr_ids(&self->fake));
	EXPECT_EQ(0, fake_errors(&self->fake));
}

/* Bad requests: each gets EINVAL with an extack. */
TEST_F(cluster, bad_requests)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	/* No kind. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("a request kind is required", self->nl.errmsg);
	/* Kind 0 and 256. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, 0);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, 256);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("request kind must be 1 to 255", self->nl.errmsg);
	/* An output-only attribute. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, DMPOOL_REQ_STATUS);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_UID, 0);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("output-only attribute", self->nl.errmsg);
	/* An attribute the command does not use. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, DMPOOL_REQ_STATUS);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_STATUS, 0);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("REQ_STATUS is not used by this command", self->nl.errmsg);
	/* Args are checked against the family policy: a bad type inside. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, DMPOOL_REQ_STATUS);
	nest = mnl_attr_nest_start(nlh, DMPOOL_A_REQ_ARGS);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_SIZE, 1);	/* a u64 */
	mnl_attr_nest_end(nlh, nest);
	EXPECT_NE(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	/* ... and output-only attributes inside too. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_REQ, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_REQ_KIND, DMPOOL_REQ_STATUS);
	nest = mnl_attr_nest_start(nlh, DMPOOL_A_REQ_ARGS);
	mnl_attr_put_u32(nlh, DMPOOL_A_CLUSTER_DAEMON, 1);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("output-only attribute", self->nl.errmsg);
	/* The old commands refuse the new attributes. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_CLUSTER_EPOCH, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("CLUSTER_EPOCH is not used by this command",
		     self->nl.errmsg);
}

/* CLUSTER_SET with all five attributes, or EINVAL; into @nlh's buffer. */
static struct nlmsghdr *cluster_set_msg(struct dmnl *nl, char *buf,
					const char *name, uint64_t epoch,
					int sum_len, uint64_t members,
					uint32_t quorate)
{
	struct nlmsghdr *nlh;
	uint8_t sum[64];

	for (int i = 0; i < 64; i++)
		sum[i] = (uint8_t)(epoch + i);
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_CLUSTER_SET, NLM_F_ACK);
	if (name)
		mnl_attr_put_strz(nlh, DMPOOL_A_CLUSTER_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_CLUSTER_EPOCH, epoch);
	if (sum_len >= 0)
		mnl_attr_put(nlh, DMPOOL_A_CLUSTER_CHECKSUM, sum_len, sum);
	mnl_attr_put_u64(nlh, DMPOOL_A_CLUSTER_MEMBERS, members);
	mnl_attr_put_u32(nlh, DMPOOL_A_CLUSTER_QUORATE, quorate);
	return nlh;
}

/* CLUSTER_SET is kept and read back by CLUSTER_GET; bad input is EINVAL. */
TEST_F(cluster, set_get)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1];
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint64_t epoch = (uint64_t)time(NULL) << 8;
	uint8_t sum[DMPOOL_CHECKSUM_LEN];
	struct cget c;

	nlh = cluster_set_msg(&self->nl, buf, "testclu", epoch, 32, 0x5, 1);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cluster_get(&self->nl, &c, tb));
	ASSERT_TRUE(tb[DMPOOL_A_CLUSTER_DAEMON] && tb[DMPOOL_A_CLUSTER_NAME] &&
		    tb[DMPOOL_A_CLUSTER_EPOCH] &&
		    tb[DMPOOL_A_CLUSTER_CHECKSUM] &&
		    tb[DMPOOL_A_CLUSTER_MEMBERS] &&
		    tb[DMPOOL_A_CLUSTER_QUORATE] &&
		    tb[DMPOOL_A_CLUSTER_AGE_MS]);
	EXPECT_STREQ("testclu", mnl_attr_get_str(tb[DMPOOL_A_CLUSTER_NAME]));
	EXPECT_EQ(epoch, mnl_attr_get_u64(tb[DMPOOL_A_CLUSTER_EPOCH]));
	for (int i = 0; i < DMPOOL_CHECKSUM_LEN; i++)
		sum[i] = (uint8_t)(epoch + i);
	ASSERT_EQ(DMPOOL_CHECKSUM_LEN,
		  mnl_attr_get_payload_len(tb[DMPOOL_A_CLUSTER_CHECKSUM]));
	EXPECT_EQ(0, memcmp(sum,
			    mnl_attr_get_payload(tb[DMPOOL_A_CLUSTER_CHECKSUM]),
			    DMPOOL_CHECKSUM_LEN));
	EXPECT_EQ(0x5, mnl_attr_get_u64(tb[DMPOOL_A_CLUSTER_MEMBERS]));
	EXPECT_EQ(1, mnl_attr_get_u32(tb[DMPOOL_A_CLUSTER_QUORATE]));
	EXPECT_LT(mnl_attr_get_u32(tb[DMPOOL_A_CLUSTER_AGE_MS]), 5000);

	/* Wrong checksum lengths, a missing attribute, bad values. */
	nlh = cluster_set_msg(&self->nl, buf, "testclu", epoch, 31, 5, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("the checksum must be 32 bytes (SHA-256)",
		     self->nl.errmsg);
	nlh = cluster_set_msg(&self->nl, buf, "testclu", epoch, 33, 5, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = cluster_set_msg(&self->nl, buf, "testclu", epoch, -1, 5, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = cluster_set_msg(&self->nl, buf, NULL, epoch, 32, 5, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = cluster_set_msg(&self->nl, buf, "", epoch, 32, 5, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = cluster_set_msg(&self->nl, buf, "testclu", epoch, 32, 5, 2);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("quorate must be 0 or 1", self->nl.errmsg);
	nlh = cluster_set_msg(&self->nl, buf, "testclu", epoch, 32, 5, 1);
	mnl_attr_put_u32(nlh, DMPOOL_A_CLUSTER_AGE_MS, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_STREQ("output-only attribute", self->nl.errmsg);
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_CLUSTER_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_CLUSTER_DAEMON, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* The failed SETs changed nothing. */
	ASSERT_EQ(0, cluster_get(&self->nl, &c, tb));
	EXPECT_EQ(epoch, mnl_attr_get_u64(tb[DMPOOL_A_CLUSTER_EPOCH]));
}

/* ---- Events ----------------------------------------------------------- */

struct event {
	uint32_t kind;
	uint64_t pool_id;
	uint32_t attached;
	uint64_t epoch, members;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	uint32_t node_id, peer_state;
};

/* Whether @ev is one a caller of next_event_if() waits for. */
typedef bool (*event_match)(const struct event *ev, uint64_t key);

/* An event of pool @key, or with @key 0 a CLUSTER event. */
static bool pool_or_cluster(const struct event *ev, uint64_t key)
{
	return key ? ev->pool_id == key : ev->kind == DMPOOL_EVENT_CLUSTER;
}

/* A PEER event of node @key. */
static bool peer_of(const struct event *ev, uint64_t key)
{
	return ev->kind == DMPOOL_EVENT_PEER && ev->node_id == key;
}

/*
 * The next event on @sk within @secs seconds for which @match(ev, @key)
 * holds; 0 or -ETIMEDOUT.
 */
static int next_event_if(struct mnl_socket *sk, event_match match,
			 uint64_t key, double secs, struct event *ev)
{
	static char buf[8192];
	static int len, off;
	double end = dm_now() + secs;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(sk), .events = POLLIN };
	int ms;

	for (;;) {
		while (off < len) {
			const struct nlmsghdr *nlh = (void *)(buf + off);
			const struct nlattr *tb[DMPOOL_A_MAX + 1];

			if (!mnl_nlmsg_ok(nlh, len - off)) {
				off = len;
				break;
			}
			off += NLMSG_ALIGN(nlh->nlmsg_len);
			parse(nlh, tb);
			if (genl_cmd(nlh) != DMPOOL_CMD_EVENT ||
			    !tb[DMPOOL_A_EVENT_KIND])
				continue;
			memset(ev, 0, sizeof(*ev));
			ev->kind = mnl_attr_get_u32(tb[DMPOOL_A_EVENT_KIND]);
			if (tb[DMPOOL_A_POOL_ID])
				ev->pool_id = mnl_attr_get_u64(tb[DMPOOL_A_POOL_ID]);
			if (tb[DMPOOL_A_POOL_ATTACHED])
				ev->attached = mnl_attr_get_u32(tb[DMPOOL_A_POOL_ATTACHED]);
			if (tb[DMPOOL_A_POOL_NAME])
				snprintf(ev->name, sizeof(ev->name), "%s",
					 mnl_attr_get_str(tb[DMPOOL_A_POOL_NAME]));
			if (tb[DMPOOL_A_CLUSTER_EPOCH])
				ev->epoch = mnl_attr_get_u64(tb[DMPOOL_A_CLUSTER_EPOCH]);
			if (tb[DMPOOL_A_CLUSTER_MEMBERS])
				ev->members = mnl_attr_get_u64(tb[DMPOOL_A_CLUSTER_MEMBERS]);
			if (tb[DMPOOL_A_NODE_ID])
				ev->node_id = mnl_attr_get_u32(tb[DMPOOL_A_NODE_ID]);
			if (tb[DMPOOL_A_PEER_STATE])
				ev->peer_state = mnl_attr_get_u32(tb[DMPOOL_A_PEER_STATE]);
			if (match(ev, key))
				return 0;
		}
		ms = (int)((end - dm_now()) * 1000);
		if (ms <= 0 || poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		len = (int)recv(pfd.fd, buf, sizeof(buf), 0);
		off = 0;
		if (len < 0)
			len = 0;
	}
}

/*
 * The next event on @sk within @secs seconds that concerns @pool_id (or,
 * with @pool_id 0, is a CLUSTER event); 0 or -ETIMEDOUT.
 */
static int next_event(struct mnl_socket *sk, uint64_t pool_id, double secs,
		      struct event *ev)
{
	return next_event_if(sk, pool_or_cluster, pool_id, secs, ev);
}

/* A socket in the events group, or NULL. */
static struct mnl_socket *events_open(const struct groups *g)
{
	struct mnl_socket *sk = mnl_socket_open(NETLINK_GENERIC);

	if (sk && (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) ||
		   join(sk, g->events))) {
		mnl_socket_close(sk);
		sk = NULL;
	}
	return sk;
}

/* A pool's life shows as POOL_NEW, ATTACH(1), DETACH(0), POOL_DEL. */
TEST_F(cluster, events)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], name[64];
	struct mnl_socket *sk;
	struct nlmsghdr *nlh;
	struct dmnl_pool p;
	struct event ev;
	int fd;

	sk = events_open(&self->g);
	ASSERT_NE(NULL, sk);

	dm_name(name, sizeof(name), "ev");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, 4 * PAGE, &p))
		TH_LOG("%s", self->nl.errmsg);
	fd = dm_open_attached(p.id);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL, -1));

	ASSERT_EQ(0, next_event(sk, p.id, 5, &ev));
	EXPECT_EQ(DMPOOL_EVENT_POOL_NEW, ev.kind);
	EXPECT_STREQ(name, ev.name);
	ASSERT_EQ(0, next_event(sk, p.id, 5, &ev));
	EXPECT_EQ(DMPOOL_EVENT_ATTACH, ev.kind);
	EXPECT_EQ(1, ev.attached);
	ASSERT_EQ(0, next_event(sk, p.id, 5, &ev));
	EXPECT_EQ(DMPOOL_EVENT_DETACH, ev.kind);
	EXPECT_EQ(0, ev.attached);
	ASSERT_EQ(0, next_event(sk, p.id, 5, &ev));
	EXPECT_EQ(DMPOOL_EVENT_POOL_DEL, ev.kind);
	EXPECT_STREQ(name, ev.name);

	/* CLUSTER_SET shows as a CLUSTER event. */
	nlh = cluster_set_msg(&self->nl, buf, "evclu", 4242, 32, 0x3, 1);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	ASSERT_EQ(0, next_event(sk, 0, 5, &ev));
	EXPECT_EQ(4242, ev.epoch);
	EXPECT_EQ(0x3, ev.members);
	mnl_socket_close(sk);
}

/* ---- PEER events ------------------------------------------------------- */

static const uint8_t pev_key[32] = "dmpool cluster_nl_test peer key";

static int pev_state_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1];

	parse(nlh, tb);
	if (!tb[DMPOOL_A_PEER_STATE])
		return MNL_CB_ERROR;
	*(int *)data = (int)mnl_attr_get_u32(tb[DMPOOL_A_PEER_STATE]);
	return MNL_CB_OK;
}

/* Peer @id's PEER_STATE as PEER_GET reports it, or -errno. */
static int pev_state(struct dmnl *nl, uint32_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int state = -1, err;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_PEER_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, id);
	err = dmnl_talk(nl, nlh, pev_state_cb, &state);
	return err ? err : state;
}

/* NODE_SET PEV_SELF, KEY_SET pev_key; 0 or -errno (-EBUSY: peers exist). */
static int pev_node(struct dmnl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_NODE_SET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, PEV_SELF);
	dmnl_put_v4(nlh, "127.0.0.1", PEV_SELF_PORT);
	err = dmnl_talk(nl, nlh, NULL, NULL);
	if (err)
		return err;
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_KEY_SET, NLM_F_ACK);
	mnl_attr_put(nlh, DMPOOL_A_KEY, sizeof(pev_key), pev_key);
	return dmnl_talk(nl, nlh, NULL, NULL);
}

/* A listening socket on 127.0.0.1:@port, or -1. */
static int pev_listen(int port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
	};
	int fd, one = 1;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The next connection on @lfd within 5 s, or -1. */
static int pev_accept(int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	int fd;

	if (poll(&pfd, 1, 5000) != 1)
		return -1;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		wire_peer_sockopts(fd);
	return fd;
}

/* Wait for the next PEER event of node @id; its PEER_STATE or -ETIMEDOUT. */
static int pev_next(struct mnl_socket *sk, uint32_t id, double secs)
{
	struct event ev;
	int err = next_event_if(sk, peer_of, id, secs, &ev);

	return err ? err : (int)ev.peer_state;
}

/*
 * A peer's state changes show as PEER events, each matching PEER_GET:
 * CONNECTING at PEER_ADD, CONNECTED and DOWN as the peer connects to us
 * and leaves, AUTH_FAILED and DOWN for a peer we dial that gives a wrong
 * proof and then refuses; no event after PEER_DEL.
 */
TEST_F(cluster, peer_events)
{
	struct mnl_socket *sk;
	int fd, lfd, err;

	NEED_NO_DAEMON();
	dmnl_peer_del(&self->nl, PEV_IN);
	dmnl_peer_del(&self->nl, PEV_OUT);
	err = pev_node(&self->nl);
	if (err == -EBUSY)
		SKIP(return, "this node has peers");
	ASSERT_EQ(0, err) TH_LOG("%s", self->nl.errmsg);
	sk = events_open(&self->g);
	ASSERT_NE(NULL, sk);

	/* Node 5 connects to us: nothing listens at its own address. */
	ASSERT_EQ(0, dmnl_peer_add(&self->nl, PEV_IN, "127.0.0.5",
				   PEV_SELF_PORT - 2))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(DMPOOL_PEER_CONNECTING, pev_next(sk, PEV_IN, 5));
	fd = wire_peer_connect(PEV_SELF_PORT, PEV_IN, pev_key, sizeof(pev_key));
	ASSERT_LE(0, fd);
	EXPECT_EQ(DMPOOL_PEER_CONNECTED, pev_next(sk, PEV_IN, 5));
	EXPECT_EQ(DMPOOL_PEER_CONNECTED, pev_state(&self->nl, PEV_IN));
	close(fd);
	EXPECT_EQ(DMPOOL_PEER_DOWN, pev_next(sk, PEV_IN, 5));
	EXPECT_EQ(DMPOOL_PEER_DOWN, pev_state(&self->nl, PEV_IN));
	/* Again; then deleted while connected: no DOWN, nothing at all. */
	fd = wire_peer_connect(PEV_SELF_PORT, PEV_IN, pev_key, sizeof(pev_key));
	ASSERT_LE(0, fd);
	EXPECT_EQ(DMPOOL_PEER_CONNECTED, pev_next(sk, PEV_IN, 5));
	EXPECT_EQ(0, dmnl_peer_del(&self->nl, PEV_IN));
	close(fd);
	EXPECT_EQ(-ETIMEDOUT, pev_next(sk, PEV_IN, 1.5));

	/* Node 20 we dial: a wrong proof, then a refused connection. */
	lfd = pev_listen(PEV_OUT_PORT);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, dmnl_peer_add(&self->nl, PEV_OUT, "127.0.0.1", PEV_OUT_PORT))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(DMPOOL_PEER_CONNECTING, pev_next(sk, PEV_OUT, 5));
	fd = pev_accept(lfd);
	EXPECT_LE(0, fd);
	if (fd >= 0) {
		wire_peer_handshake(fd, PEV_OUT, pev_key, sizeof(pev_key),
				    true);
		EXPECT_EQ(DMPOOL_PEER_AUTH_FAILED, pev_next(sk, PEV_OUT, 5));
		EXPECT_EQ(DMPOOL_PEER_AUTH_FAILED,
			  pev_state(&self->nl, PEV_OUT));
		close(fd);
	}
	close(lfd);
	EXPECT_EQ(DMPOOL_PEER_DOWN, pev_next(sk, PEV_OUT, 10));
	EXPECT_EQ(DMPOOL_PEER_DOWN, pev_state(&self->nl, PEV_OUT));
	EXPECT_EQ(0, dmnl_peer_del(&self->nl, PEV_OUT));
	EXPECT_EQ(-ETIMEDOUT, pev_next(sk, PEV_OUT, 1.5));
	mnl_socket_close(sk);
}

/* ---- Without CAP_NET_ADMIN ---------------------------------------------- */

/* In a child as nobody: what may and may not be done; the failed step. */
static int unprivileged(const struct groups *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *sk;
	struct nlmsghdr *nlh;
	struct reply r;
	struct dmnl nl;

	if (setgid(65534) || setuid(65534))
		return 1;
	if (dmnl_open(&nl))
		return 2;
	/* Changing the cluster: EPERM, before anything else is looked at. */
	if (cluster_req(&nl, DMPOOL_REQ_POOL_CREATE, 0, &r) != -EPERM)
		return 3;
	if (strcmp(nl.errmsg, "changing the cluster needs CAP_NET_ADMIN"))
		return 4;
	/* A query is allowed: the fake daemon answers. */
	if (cluster_req(&nl, DMPOOL_REQ_STATUS, 0, &r) || r.status != 9)
		return 5;
	free(r.result);
	/* Playing the daemon is not. */
	if (answer(&nl, 1, -1) != -EPERM || answer(&nl, 1, 0) != -EPERM)
		return 6;
	nlh = cluster_set_msg(&nl, buf, "x", 1, 32, 1, 1);
	if (dmnl_talk(&nl, nlh, NULL, NULL) != -EPERM)
		return 7;
	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID))
		return 8;
	if (join(sk, g->daemon) != -EPERM)
		return 9;
	/* Events are for anyone; so is CLUSTER_GET. */
	if (join(sk, g->events))
		return 10;
	nlh = dmnl_start(&nl, buf, DMPOOL_CMD_CLUSTER_GET, NLM_F_ACK);
	if (dmnl_talk(&nl, nlh, NULL, NULL))
		return 11;
	mnl_socket_close(sk);
	dmnl_close(&nl);
	return 0;
}

/* Without CAP_NET_ADMIN: queries only; no ACCEPT, DONE, SET, daemon group. */
TEST_F(cluster, unprivileged)
{
	int status;
	pid_t pid;

	NEED_NO_DAEMON();
	ASSERT_EQ(0, fake_start(&self->fake, FAKE_ECHO, &self->g));
	self->fake.status = 9;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(unprivileged(&self->g));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("failed step %d",
						 WEXITSTATUS(status));
	/* The query was relayed with the requester's credentials. */
	EXPECT_EQ(1, fake_nr_ids(&self->fake));
	EXPECT_EQ(65534, self->fake.uid);
	EXPECT_EQ(65534, self->fake.gid);
	EXPECT_EQ(DMPOOL_REQ_STATUS, self->fake.kind);
}

TEST_HARNESS_MAIN
