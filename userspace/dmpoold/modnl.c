// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink between dmpoold and its module (libnl-3).
 *
 * Two sockets: one that only listens to the multicast groups "daemon"
 * (REQ_NOTIFY: relayed requests; joining needs CAP_NET_ADMIN) and
 * "events" (EVENT: pools, attachments, peers), non-blocking and read from
 * the poll loop; and one for the daemon's own commands, each a bounded
 * request/ACK exchange (a receive timeout guards it).  Multicasts are
 * decoded strictly: a REQ_NOTIFY without a well-formed REQ_ID and
 * REQ_KIND is dropped with a log line (the module times the request out).
 * A lost multicast (ENOBUFS) is logged; events are hints and lifecycle.c
 * re-reads the module's pools on the next tick.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <syslog.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "daemon.h"
#include "modnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct modnl {
	struct nl_sock *cmd;
	struct nl_sock *mc;
	int family;
	bool has_relay;
	struct daemon *d;		/* during modnl_input() */
	bool lost;			/* ENOBUFS seen */
};

int modnl_fd(const struct modnl *mn)
{
	return nl_socket_get_fd(mn->mc);
}

bool modnl_has_relay(const struct modnl *mn)
{
	return mn->has_relay;
}

void modnl_close(struct modnl *mn)
{
	if (!mn)
		return;
	if (mn->cmd)
		nl_socket_free(mn->cmd);
	if (mn->mc)
		nl_socket_free(mn->mc);
	free(mn);
}

int modnl_open(struct modnl **out, char *why, size_t len)
{
	struct timeval tv = { .tv_sec = 10 };
	struct modnl *mn = calloc(1, sizeof(*mn));
	int one = 1, grp, ret;

	*out = NULL;
	if (!mn) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	mn->cmd = nl_socket_alloc();
	mn->mc = nl_socket_alloc();
	if (!mn->cmd || !mn->mc) {
		snprintf(why, len, "out of memory");
		goto fail;
	}
	ret = genl_connect(mn->cmd);
	if (ret >= 0)
		ret = genl_connect(mn->mc);
	if (ret < 0) {
		snprintf(why, len, "generic netlink: %s", nl_geterror(ret));
		goto fail;
	}
	nl_socket_disable_auto_ack(mn->cmd);
	setsockopt(nl_socket_get_fd(mn->cmd), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(mn->cmd), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	mn->family = genl_ctrl_resolve(mn->cmd, DMPOOL_GENL_NAME);
	if (mn->family < 0) {
		snprintf(why, len, "the dmpool module is not loaded (%s)",
			 nl_geterror(mn->family));
		goto fail;
	}
	nl_socket_disable_seq_check(mn->mc);
	nl_socket_enable_msg_peek(mn->mc);
	nl_socket_set_buffer_size(mn->mc, 4 << 20, 0);
	grp = genl_ctrl_resolve_grp(mn->cmd, DMPOOL_GENL_NAME,
				    DMPOOL_GENL_MCGRP_DAEMON);
	if (grp >= 0) {
		ret = nl_socket_add_membership(mn->mc, grp);
		if (ret < 0) {
			snprintf(why, len, "joining the \"daemon\" group: %s",
				 nl_geterror(ret));
			goto fail;
		}
		mn->has_relay = true;
	}
	grp = genl_ctrl_resolve_grp(mn->cmd, DMPOOL_GENL_NAME,
				    DMPOOL_GENL_MCGRP_EVENTS);
	if (grp >= 0 && nl_socket_add_membership(mn->mc, grp) < 0)
		logmsg(LOG_WARNING, "cannot join the module's \"events\" group");
	nl_socket_set_nonblocking(mn->mc);
	*out = mn;
	return 0;
fail:
	modnl_close(mn);
	return -1;
}

bool modnl_take_lost(struct modnl *mn)
{
	bool lost = mn->lost;

	mn->lost = false;
	return lost;
}

static uint64_t get_u64(struct nlattr *a, bool *ok)
{
	if (!a || nla_len(a) != 8) {
		*ok = false;
		return 0;
	}
	return nla_get_u64(a);
}

static uint32_t get_u32(struct nlattr *a, bool *ok)
{
	if (!a || nla_len(a) != 4) {
		*ok = false;
		return 0;
	}
	return nla_get_u32(a);
}

static int mc_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct modnl *mn = arg;
	struct genlmsghdr *g;
	bool ok = true;

	if (nlh->nlmsg_type != mn->family || !genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	g = nlmsg_data(nlh);
	if (nla_parse(tb, DMPOOL_A_MAX, genlmsg_attrdata(g, 0),
		      genlmsg_attrlen(g, 0), NULL) < 0) {
		logmsg(LOG_WARNING, "malformed multicast from the module");
		return NL_SKIP;
	}
	if (g->cmd == DMPOOL_CMD_REQ_NOTIFY) {
		uint64_t req = get_u64(tb[DMPOOL_A_REQ_ID], &ok);
		uint32_t kind = get_u32(tb[DMPOOL_A_REQ_KIND], &ok);

		if (!ok || !req) {
			logmsg(LOG_WARNING, "malformed REQ_NOTIFY dropped");
			return NL_SKIP;
		}
		/*
		 * A crawl blocks this daemon's loop for seconds and probes a
		 * network: root only, though the module lets anyone query.
		 */
		if (kind == DMPOOL_REQ_CRAWL &&
		    (!tb[DMPOOL_A_REQ_UID] || nla_len(tb[DMPOOL_A_REQ_UID]) != 4 ||
		     nla_get_u32(tb[DMPOOL_A_REQ_UID]) != 0)) {
			if (modnl_req_accept(mn, req) == 0)
				modnl_req_done(mn, req, EPERM, "crawl needs root",
					       NULL, NULL);
			return NL_SKIP;
		}
		relay_notify(mn->d, req, kind, tb[DMPOOL_A_REQ_ARGS]);
	} else if (g->cmd == DMPOOL_CMD_EVENT) {
		uint32_t kind = get_u32(tb[DMPOOL_A_EVENT_KIND], &ok);
		uint64_t pool;
		uint32_t att;

		if (!ok)
			return NL_SKIP;
		pool = get_u64(tb[DMPOOL_A_POOL_ID], &ok);
		att = tb[DMPOOL_A_POOL_ATTACHED] ?
		      get_u32(tb[DMPOOL_A_POOL_ATTACHED], &ok) : 0;
		if (ok)
			life_event(mn->d, kind, pool, att);
	}
	return NL_SKIP;
}

/* Multicasts carry no sequence numbers of ours. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

void modnl_input(struct modnl *mn, struct daemon *d)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return;
	mn->d = d;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, mc_valid, mn);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	for (;;) {
		ret = nl_recvmsgs(mn->mc, cb);
		if (ret == -NLE_AGAIN || ret == 0)
			break;
		if (ret == -NLE_NOMEM || ret == -NLE_DUMP_INTR) {
			logmsg(LOG_WARNING, "module multicasts lost (%s)",
			       nl_geterror(ret));
			mn->lost = true;
			continue;
		}
		if (ret < 0) {
			logmsg(LOG_WARNING, "reading module multicasts: %s",
			       nl_geterror(ret));
			break;
		}
	}
	nl_cb_put(cb);
}

/* One command/ACK exchange. */
struct ack_state {
	bool done;
	int error;
};

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct ack_state *st = arg;

	(void)msg;
	st->done = true;
	return NL_STOP;
}

static int err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct ack_state *st = arg;

	(void)who;
	st->done = true;
	st->error = e->error;
	return NL_STOP;
}

static int doit(struct modnl *mn, struct nl_msg *msg)
{
	struct ack_state st = { 0 };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &st);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &st);
	ret = nl_send_auto(mn->cmd, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!st.done) {
		ret = nl_recvmsgs(mn->cmd, cb);
		if (ret < 0 && !st.done) {
			nl_cb_put(cb);
			return ret == -NLE_AGAIN ? -ETIMEDOUT : -EIO;
		}
	}
	nl_cb_put(cb);
	return st.error;
}

static struct nl_msg *request(struct modnl *mn, uint8_t cmd, size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, mn->family, 0,
			 NLM_F_ACK, cmd, DMPOOL_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int modnl_cluster_set(struct modnl *mn, const char *name, uint64_t epoch,
		      const uint8_t sum[DMPOOL_CHECKSUM_LEN], uint64_t members,
		      bool quorate)
{
	struct nl_msg *msg = request(mn, DMPOOL_CMD_CLUSTER_SET, 4096);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, name) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_CLUSTER_EPOCH, epoch) < 0 ||
	    nla_put(msg, DMPOOL_A_CLUSTER_CHECKSUM, DMPOOL_CHECKSUM_LEN, sum) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_CLUSTER_MEMBERS, members) < 0 ||
	    nla_put_u32(msg, DMPOOL_A_CLUSTER_QUORATE, quorate) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return doit(mn, msg);
}

int modnl_req_accept(struct modnl *mn, uint64_t req)
{
	struct nl_msg *msg = request(mn, DMPOOL_CMD_REQ_ACCEPT, 256);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, DMPOOL_A_REQ_ID, req) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return doit(mn, msg);
}

int modnl_req_done(struct modnl *mn, uint64_t req, int status,
		   const char *message, modnl_result_fn fn, void *arg)
{
	struct nl_msg *msg = request(mn, DMPOOL_CMD_REQ_DONE,
				     DMPOOL_REQ_RESULT_MAX + 4096);
	struct nlattr *nest;
	char m[DMPOOL_REQ_MESSAGE_MAX + 1];

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, DMPOOL_A_REQ_ID, req) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	/*
	 * The result first: @fn may amend @message (a truncation note).  A
	 * result that does not fit still ends the request, with EMSGSIZE.
	 */
	if (fn) {
		nest = nla_nest_start(msg, DMPOOL_A_REQ_RESULT | NLA_F_NESTED);
		if (nest && fn(msg, arg) == 0) {
			nla_nest_end(msg, nest);
		} else {
			if (nest)
				nla_nest_cancel(msg, nest);
			status = EMSGSIZE;
			message = "the result does not fit in a reply";
		}
	}
	snprintf(m, sizeof(m), "%s", message ? message : "");
	if (nla_put_u32(msg, DMPOOL_A_REQ_STATUS, (uint32_t)status) < 0 ||
	    (m[0] && nla_put_string(msg, DMPOOL_A_REQ_MESSAGE, m) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return doit(mn, msg);
}
