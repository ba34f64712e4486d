// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster commands (DMPOOL_FEAT_CLUSTER).  dmpoolctl still talks only
 * to the local module: cluster-wide commands are CLUSTER_REQ messages the
 * module relays to this node's dmpoold, and their answer comes back as
 * the reply (REQ_STATUS, REQ_MESSAGE, REQ_RESULT):
 *
 *	cluster show		CLUSTER_GET (no daemon needed)
 *	cluster create		REQ_POOL_CREATE: prints the pool and its map
 *	cluster destroy, set	REQ_POOL_DESTROY, REQ_POOL_SET
 *	node commission		REQ_NODE_COMMISSION
 *	node decommission	REQ_NODE_DECOMMISSION
 *	crawl			REQ_CRAWL: a table of the hosts that answered
 *	status			REQ_STATUS and this node's POOL_GET dump; without
 *				dmpoold, this node's MEM_GET and POOL_GET
 *	monitor, top		monitor.c, top.c
 *
 * A request the daemon refused (REQ_STATUS nonzero) prints its message
 * and exits 1; so does a node without dmpoold (-ENOTCONN).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "clreply.h"
#include "output.h"
#include "outcluster.h"
#include "run.h"

#define NO_DAEMON_MSG \
	"no dmpoold is running on this node (start it: systemctl start dmpoold)"

const char *errmsg_no_cluster(void)
{
	return "this dmpool module has no cluster support (feature 'cluster' missing): load a newer dmpool.ko";
}

static int one_cluster(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		       char *why, size_t len)
{
	return reply_cluster(tb, arg, why, len);
}

static int one_req(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg, char *why,
		   size_t len)
{
	return reply_req(tb, arg, why, len);
}

/* The request's arguments, by kind, from the command line. */
static int put_args(struct nl_msg *msg, uint32_t kind, const struct cli *cli)
{
	struct nlattr *args;
	int ret = 0;

	if (kind == DMPOOL_REQ_STATUS)
		return 0;
	args = nla_nest_start(msg, DMPOOL_A_REQ_ARGS);
	if (!args)
		return -1;
	switch (kind) {
	case DMPOOL_REQ_POOL_CREATE:
		ret = nla_put_string(msg, DMPOOL_A_POOL_NAME, cli->sel.name);
		if (!ret)
			ret = nla_put_u64(msg, DMPOOL_A_POOL_SIZE, cli->size);
		if (!ret && cli->replicas)
			ret = nla_put_u32(msg, DMPOOL_A_POOL_REPLICAS,
					  cli->replicas);
		break;
	case DMPOOL_REQ_POOL_DESTROY:
	case DMPOOL_REQ_POOL_SET:
		if (cli->sel.by_id)
			ret = nla_put_u64(msg, DMPOOL_A_POOL_ID, cli->sel.id);
		else
			ret = nla_put_string(msg, DMPOOL_A_POOL_NAME,
					     cli->sel.name);
		if (!ret && kind == DMPOOL_REQ_POOL_DESTROY && cli->force)
			ret = nla_put_u32(msg, DMPOOL_A_POOL_FLAGS,
					  DMPOOL_POOL_DEL_FORCE);
		break;
	case DMPOOL_REQ_NODE_COMMISSION:
		ret = nla_put(msg, DMPOOL_A_ADDR,
			      cli->addr.family == AF_INET ? 4 : 16,
			      cli->addr.addr);
		if (!ret && cli->node_id)
			ret = nla_put_u32(msg, DMPOOL_A_NODE_ID, cli->node_id);
		if (!ret && cli->has_port)
			ret = nla_put_u16(msg, DMPOOL_A_PORT, cli->addr.port);
		break;
	case DMPOOL_REQ_NODE_DECOMMISSION:
		ret = nla_put_u32(msg, DMPOOL_A_NODE_ID, cli->node_id);
		break;
	case DMPOOL_REQ_CRAWL:
		ret = nla_put_string(msg, DMPOOL_A_CRAWL_TARGETS, cli->crawl);
		break;
	}
	if (!ret && cli->has_ttl && (kind == DMPOOL_REQ_POOL_CREATE ||
				     kind == DMPOOL_REQ_POOL_SET))
		ret = nla_put_u64(msg, DMPOOL_A_POOL_TTL_MS, cli->ttl_ms);
	if (!ret && (kind == DMPOOL_REQ_POOL_CREATE ||
		     kind == DMPOOL_REQ_POOL_SET))
		ret = ctl_put_policy(msg, &cli->policy, false);
	if (ret)
		return -1;
	nla_nest_end(msg, args);
	return 0;
}

/* Send CLUSTER_REQ of @kind and wait for the daemon's answer in @r. */
static enum ctl_status cluster_req(struct ctl_nl *nl, uint32_t kind,
				   const struct cli *cli,
				   struct ctl_req_reply *r, struct ctl_err *err)
{
	struct nl_msg *msg = ctl_request(nl, DMPOOL_CMD_CLUSTER_REQ,
					 NLM_F_ACK, 8192);
	enum ctl_status st;

	memset(r, 0, sizeof(*r));
	if (msg && (nla_put_u32(msg, DMPOOL_A_REQ_KIND, kind) < 0 ||
		    put_args(msg, kind, cli) < 0)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	/* The module bounds the wait: accept, then done, then some slack. */
	ctl_nl_timeout(nl, (DMPOOL_REQ_ACCEPT_MS + DMPOOL_REQ_DONE_MS) / 1000 +
		       15);
	st = ctl_transact(nl, msg, one_req, r, err);
	if (st == CTL_OK && !r->got) {
		snprintf(err->detail, sizeof(err->detail),
			 "malformed reply from the module: no reply before the ACK");
		st = CTL_BAD_REPLY;
	}
	if (st != CTL_OK)
		req_reply_free(r);
	return st;
}

/* A failed CLUSTER_REQ: no daemon, or the module's reason. */
static int req_fail(const struct cli *cli, const char *subject,
		    enum ctl_status st, const struct ctl_err *err)
{
	if (st == CTL_KERNEL && err->ack.error == -ENOTCONN) {
		fprintf(stderr, "dmpoolctl: %s\n", NO_DAEMON_MSG);
		return EXIT_FAILED;
	}
	return run_fail(cli->cmd, subject, st, err);
}

/* The daemon refused: its message, or the errno's text. */
static int refused(const struct ctl_req_reply *r)
{
	fprintf(stderr, "dmpoolctl: %s\n",
		r->message[0] ? r->message : strerror((int)r->status));
	return EXIT_FAILED;
}

static int bad_result(const char *why)
{
	fprintf(stderr, "dmpoolctl: malformed result from dmpoold: %s\n", why);
	return EXIT_FAILED;
}

static int run_cluster_show(struct ctl_nl *nl, const struct cli *cli)
{
	struct ctl_cluster c;
	struct ctl_err err;
	enum ctl_status st;

	memset(&c, 0, sizeof(c));
	st = ctl_transact(nl, ctl_request(nl, DMPOOL_CMD_CLUSTER_GET,
					  NLM_F_ACK, 4096),
			  one_cluster, &c, &err);
	if (st == CTL_OK && !c.has_daemon) {
		snprintf(err.detail, sizeof(err.detail),
			 "malformed reply from the module: no CLUSTER_DAEMON");
		st = CTL_BAD_REPLY;
	}
	if (st != CTL_OK)
		return run_fail(cli->cmd, NULL, st, &err);
	return run_written(out_cluster_show(stdout, &c, cli->json));
}

/* cluster create, destroy, set; node commission, decommission; crawl. */
static int run_request(struct ctl_nl *nl, const struct cli *cli,
		       uint32_t kind)
{
	char subject[DMPOOL_POOL_NAME_MAX + 32], why[200];
	struct ctl_crawl_host *hosts;
	struct ctl_req_reply r;
	struct ctl_cpool pool;
	struct ctl_err err;
	enum ctl_status st;
	size_t n;
	int ret;

	pool_sel_str(&cli->sel, subject, sizeof(subject));
	st = cluster_req(nl, kind, cli, &r, &err);
	if (st != CTL_OK)
		return req_fail(cli, kind <= DMPOOL_REQ_POOL_SET ? subject : NULL,
				st, &err);
	if (r.status) {
		ret = refused(&r);
	} else if (kind == DMPOOL_REQ_POOL_CREATE) {
		ret = result_pool(r.result, r.result_len, &pool, why,
				  sizeof(why)) < 0 ? bad_result(why) :
		      run_written(out_cluster_pool(stdout, &pool, cli->json));
	} else if (kind == DMPOOL_REQ_CRAWL) {
		if (result_crawl(r.result, r.result_len, &hosts, &n, why,
				 sizeof(why)) < 0) {
			ret = bad_result(why);
		} else {
			ret = run_written(out_crawl(stdout, hosts, n, cli->json));
			free(hosts);
		}
	} else {
		ret = run_written(out_cluster_done(stdout, cli, &r, cli->json));
	}
	req_reply_free(&r);
	return ret;
}

/* status without dmpoold: what this node knows. */
static int run_status_local(struct ctl_nl *nl, const struct cli *cli,
			    const struct ctl_version *ver)
{
	struct ctl_mem *mem = NULL;
	struct ctl_pool *pools;
	struct ctl_err err;
	enum ctl_status st;
	size_t nmem = 0, npools;
	int ret;

	if ((ver->features & DMPOOL_FEAT_REMOTE) &&
	    ctl_mem_dump(nl, &mem, &nmem, &err) != CTL_OK) {
		mem = NULL;
		nmem = 0;
	}
	st = ctl_pool_dump(nl, &pools, &npools, &err);
	if (st != CTL_OK) {
		free(mem);
		return run_fail(CMD_POOL_LIST, NULL, st, &err);
	}
	ret = run_written(out_status_local(stdout, mem, nmem, pools, npools,
					   cli->json));
	free(mem);
	free(pools);
	return ret;
}

static int run_status(struct ctl_nl *nl, const struct cli *cli,
		      const struct ctl_version *ver)
{
	struct ctl_pool *local = NULL;
	struct ctl_req_reply r;
	struct ctl_cstatus sts;
	struct ctl_err err;
	enum ctl_status st;
	size_t nlocal = 0;
	char why[200];
	int ret;

	if (!(ver->features & DMPOOL_FEAT_CLUSTER))
		return run_status_local(nl, cli, ver);
	st = cluster_req(nl, DMPOOL_REQ_STATUS, cli, &r, &err);
	if (st == CTL_KERNEL && err.ack.error == -ENOTCONN)
		return run_status_local(nl, cli, ver);
	if (st != CTL_OK)
		return req_fail(cli, NULL, st, &err);
	if (r.status) {
		ret = refused(&r);
		req_reply_free(&r);
		return ret;
	}
	ret = result_status(r.result, r.result_len, &sts, why, sizeof(why));
	req_reply_free(&r);
	if (ret < 0)
		return bad_result(why);
	if (ctl_pool_dump(nl, &local, &nlocal, &err) != CTL_OK) {
		local = NULL;
		nlocal = 0;
	}
	ret = run_written(out_status(stdout, &sts, local, nlocal, cli->json));
	free(local);
	status_free(&sts);
	return ret;
}

int run_cluster(struct ctl_nl *nl, const struct cli *cli,
		const struct ctl_version *ver)
{
	if (cli->cmd == CMD_TOP)
		return run_top(nl, cli);
	if (cli->cmd == CMD_STATUS)
		return run_status(nl, cli, ver);
	if (!(ver->features & DMPOOL_FEAT_CLUSTER)) {
		fprintf(stderr, "dmpoolctl: %s\n", errmsg_no_cluster());
		return EXIT_FAILED;
	}
	switch (cli->cmd) {
	case CMD_CLUSTER_SHOW:
		return run_cluster_show(nl, cli);
	case CMD_CLUSTER_CREATE:
		return run_request(nl, cli, DMPOOL_REQ_POOL_CREATE);
	case CMD_CLUSTER_DESTROY:
		return run_request(nl, cli, DMPOOL_REQ_POOL_DESTROY);
	case CMD_CLUSTER_SET:
		return run_request(nl, cli, DMPOOL_REQ_POOL_SET);
	case CMD_NODE_COMMISSION:
		return run_request(nl, cli, DMPOOL_REQ_NODE_COMMISSION);
	case CMD_NODE_DECOMMISSION:
		return run_request(nl, cli, DMPOOL_REQ_NODE_DECOMMISSION);
	case CMD_CRAWL:
		return run_request(nl, cli, DMPOOL_REQ_CRAWL);
	case CMD_MONITOR:
		return run_monitor(nl, cli);
	default:
		return EXIT_USAGE;
	}
}
