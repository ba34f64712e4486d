// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink client behind dmpoolctl (libnl-3).
 *
 * Every command is one request and a bounded exchange:
 *
 *	doit:  request(NLM_F_ACK) -> [reply] -> ACK or error
 *	dump:  request(NLM_F_DUMP) -> reply* -> NLMSG_DONE (may carry an error)
 *
 * transact() sends the request and reads until the ACK, the error or the
 * DONE that ends it, matching replies to the request by sequence number;
 * a receive timeout bounds every wait, so dmpoolctl never hangs.
 * Replies are decoded strictly by reply.c; errors keep the kernel's
 * extended ACK message (extack.c) so the user sees the module's reason.
 * Auto-ACK is off so each request's flags are visible here, and the
 * socket asks for extended, capped ACKs (NETLINK_EXT_ACK, NETLINK_CAP_ACK):
 * the kernel's message without an echo of our own request.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "nlclient.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* How long to wait for each reply before giving up. */
#define CTL_REPLY_TIMEOUT_S 30

struct ctl_nl {
	struct nl_sock *sk;
	int family;
};

/* Called with the attributes of each reply. */
typedef int (*reply_fn)(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
			char *why, size_t len);

struct exchange {
	uint32_t seq;		/* of our request */
	bool done;		/* ACK, error or DONE seen */
	enum ctl_status status;
	struct ctl_err *err;
	reply_fn on_reply;
	void *arg;
};

static enum ctl_status local_err(struct ctl_err *err, const char *what,
				 int nlerr)
{
	snprintf(err->detail, sizeof(err->detail), "%s: %s", what,
		 nl_geterror(nlerr));
	return CTL_LOCAL;
}

enum ctl_status ctl_nl_open(struct ctl_nl **out, struct ctl_err *err)
{
	struct timeval timeout = { .tv_sec = CTL_REPLY_TIMEOUT_S };
	struct ctl_nl *nl;
	int one = 1, ret;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return local_err(err, "netlink", -NLE_NOMEM);
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return local_err(err, "netlink socket", -NLE_NOMEM);
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		ctl_nl_close(nl);
		return local_err(err, "generic netlink socket", ret);
	}
	nl_socket_disable_auto_ack(nl->sk);
	/* Replies with a pool's map exceed a page: size each read first. */
	nl_socket_enable_msg_peek(nl->sk);
	/* Best effort: without them we only lose the kernel's message. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Never wait forever for an answer that does not come. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVTIMEO,
		   &timeout, sizeof(timeout));

	nl->family = genl_ctrl_resolve(nl->sk, DMPOOL_GENL_NAME);
	if (nl->family < 0) {
		ret = nl->family;
		ctl_nl_close(nl);
		if (ret == -NLE_OBJ_NOTFOUND)
			return CTL_NO_FAMILY;
		return local_err(err, "resolving the dmpool netlink family", ret);
	}
	*out = nl;
	return CTL_OK;
}

void ctl_nl_close(struct ctl_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

static int seq_cb(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == ex->seq ? NL_OK : NL_SKIP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct exchange *ex = arg;
	struct genlmsghdr *gnlh;
	char why[200];

	/* After a first bad reply, drain the rest without decoding it. */
	if (ex->status != CTL_OK)
		return NL_SKIP;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		snprintf(ex->err->detail, sizeof(ex->err->detail),
			 "malformed reply from the module: short message");
		ex->status = CTL_BAD_REPLY;
		return NL_SKIP;
	}
	gnlh = nlmsg_data(nlh);
	if (reply_split(genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0),
			tb, why, sizeof(why)) < 0 ||
	    (ex->on_reply && ex->on_reply(tb, ex->arg, why, sizeof(why)) < 0)) {
		snprintf(ex->err->detail, sizeof(ex->err->detail),
			 "malformed reply from the module: %s", why);
		ex->status = CTL_BAD_REPLY;
	}
	return NL_SKIP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	(void)msg;
	ex->done = true;
	return NL_STOP;
}

/* NLMSG_DONE ends a dump; since Linux 4.20 it may carry an error too. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;
	struct nl_ack ack;

	ex->done = true;
	if (extack_parse(nlmsg_hdr(msg), &ack) == 0 && ack.error < 0) {
		ex->err->ack = ack;
		ex->status = CTL_KERNEL;
	}
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload; the header sits just before it. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	struct exchange *ex = arg;

	(void)who;
	ex->done = true;
	if (extack_parse(nlh, &ex->err->ack) < 0) {
		memset(&ex->err->ack, 0, sizeof(ex->err->ack));
		ex->err->ack.error = e->error;
	}
	ex->status = CTL_KERNEL;
	return NL_STOP;
}

/*
 * Send @msg (consumed) and read until its exchange ends.  @wipe: the
 * request holds a secret; zero it before freeing.
 */
static enum ctl_status transact_msg(struct ctl_nl *nl, struct nl_msg *msg,
				    bool wipe, reply_fn on_reply, void *arg,
				    struct ctl_err *err)
{
	struct exchange ex = {
		.status = CTL_OK, .err = err, .on_reply = on_reply, .arg = arg,
	};
	struct nl_cb *cb;
	int ret;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return local_err(err, "netlink", -NLE_NOMEM);
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_cb, &ex);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &ex);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &ex);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &ex);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &ex);

	ret = nl_send_auto(nl->sk, msg);
	ex.seq = nlmsg_hdr(msg)->nlmsg_seq;
	if (wipe)
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return local_err(err, "sending the request", ret);
	}
	while (!ex.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !ex.done) {
			nl_cb_put(cb);
			if (ret == -NLE_AGAIN) {
				snprintf(err->detail, sizeof(err->detail),
					 "no answer from the module within %d s",
					 CTL_REPLY_TIMEOUT_S);
				return CTL_LOCAL;
			}
			return local_err(err, "reading the reply", ret);
		}
	}
	nl_cb_put(cb);
	return ex.status;
}

static enum ctl_status transact(struct ctl_nl *nl, struct nl_msg *msg,
				reply_fn on_reply, void *arg,
				struct ctl_err *err)
{
	return transact_msg(nl, msg, false, on_reply, arg, err);
}

/* A request for @cmd with room for @size bytes; NULL if out of memory. */
static struct nl_msg *request_size(struct ctl_nl *nl, uint8_t cmd, int flags,
				   size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags, cmd, DMPOOL_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A request for @cmd; NULL on allocation failure. */
static struct nl_msg *request(struct ctl_nl *nl, uint8_t cmd, int flags)
{
	return request_size(nl, cmd, flags, 4096);
}

static int put_sel(struct nl_msg *msg, const struct pool_sel *sel)
{
	if (sel->by_id)
		return nla_put_u64(msg, DMPOOL_A_POOL_ID, sel->id);
	return nla_put_string(msg, DMPOOL_A_POOL_NAME, sel->name);
}

static int one_version(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		       char *why, size_t len)
{
	return reply_version(tb, arg, why, len);
}

static int one_pool(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		    char *why, size_t len)
{
	return reply_pool(tb, arg, why, len);
}

/* Check a doit that must have produced one reply. */
static enum ctl_status need_reply(enum ctl_status st, bool got,
				  struct ctl_err *err)
{
	if (st == CTL_OK && !got) {
		snprintf(err->detail, sizeof(err->detail),
			 "malformed reply from the module: no reply before the ACK");
		return CTL_BAD_REPLY;
	}
	return st;
}

/* The replies of a dump, each decoded into the next element. */
struct array {
	void *v;
	size_t n, cap;
	size_t size;		/* bytes of an element */
	reply_fn decode;	/* one reply into one element */
};

static int add_elem(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		    char *why, size_t len)
{
	struct array *a = arg;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *v = realloc(a->v, cap * a->size);

		if (!v) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		a->v = v;
		a->cap = cap;
	}
	if (a->decode(tb, (char *)a->v + a->n * a->size, why, len) < 0)
		return -1;
	a->n++;
	return 0;
}

/*
 * Send the dump request @msg (consumed; NULL: out of memory) and collect
 * its replies, each decoded by @decode into an element of @size bytes, in
 * a malloc'd array *@out (NULL with *@n 0 when there are none).
 */
static enum ctl_status dump(struct ctl_nl *nl, struct nl_msg *msg,
			    size_t size, reply_fn decode, void **out,
			    size_t *n, struct ctl_err *err)
{
	struct array a = { .size = size, .decode = decode };
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	*n = 0;
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	st = transact(nl, msg, add_elem, &a, err);
	if (st != CTL_OK) {
		free(a.v);
		return st;
	}
	*out = a.v;
	*n = a.n;
	return CTL_OK;
}

enum ctl_status ctl_version_get(struct ctl_nl *nl, struct ctl_version *ver,
				struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	memset(ver, 0, sizeof(*ver));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	/* abi_version 0 is never valid: it tells us whether a reply came. */
	st = transact(nl, msg, one_version, ver, err);
	return need_reply(st, ver->abi_version != 0, err);
}

enum ctl_status ctl_pool_new(struct ctl_nl *nl, const char *name,
			     uint64_t size, struct ctl_pool *pool,
			     struct ctl_err *err)
{
	return ctl_pool_new_policy(nl, name, size, NULL, pool, err);
}

/*
 * The policy attributes @p gives: POOL_* (@file false) or FILE_* ones,
 * and GRANTS; 0 or -1.
 */
int ctl_put_policy(struct nl_msg *msg, const struct ctl_policy *p, bool file)
{
	if (!p)
		return 0;
	if ((p->has_uid &&
	     nla_put_u32(msg, file ? DMPOOL_A_FILE_UID : DMPOOL_A_POOL_UID,
			 p->uid) < 0) ||
	    (p->has_gid &&
	     nla_put_u32(msg, file ? DMPOOL_A_FILE_GID : DMPOOL_A_POOL_GID,
			 p->gid) < 0) ||
	    (p->has_mode &&
	     nla_put_u32(msg, file ? DMPOOL_A_FILE_MODE : DMPOOL_A_POOL_MODE,
			 p->mode) < 0) ||
	    (p->has_grants &&
	     nla_put(msg, DMPOOL_A_GRANTS,
		     (int)(p->ngrants * sizeof(p->grants[0])), p->grants) < 0))
		return -1;
	return 0;
}

enum ctl_status ctl_pool_new_policy(struct ctl_nl *nl, const char *name,
				    uint64_t size,
				    const struct ctl_policy *policy,
				    struct ctl_pool *pool, struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	memset(pool, 0, sizeof(*pool));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (nla_put_string(msg, DMPOOL_A_POOL_NAME, name) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_POOL_SIZE, size) < 0 ||
	    ctl_put_policy(msg, policy, false) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	st = transact(nl, msg, one_pool, pool, err);
	return need_reply(st, pool->id != 0, err);
}

struct pool_map_reply {
	struct ctl_pool *pool;
	struct ctl_map *map;
};

static int one_pool_map(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
			char *why, size_t len)
{
	struct pool_map_reply *r = arg;

	if (reply_pool(tb, r->pool, why, len) < 0)
		return -1;
	return r->map ? reply_map(tb, r->map, why, len) : 0;
}

enum ctl_status ctl_pool_get(struct ctl_nl *nl, const struct pool_sel *sel,
			     struct ctl_pool *pool, struct ctl_map *map,
			     struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	struct pool_map_reply r = { .pool = pool, .map = map };
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	memset(pool, 0, sizeof(*pool));
	if (map)
		map->n = 0;
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (put_sel(msg, sel) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	st = transact(nl, msg, one_pool_map, &r, err);
	return need_reply(st, pool->id != 0, err);
}

enum ctl_status ctl_pool_new_placed(struct ctl_nl *nl,
				    const struct ctl_pool_spec *spec,
				    struct ctl_pool *pool, struct ctl_err *err)
{
	size_t bytes = spec->map_len * sizeof(uint32_t);
	struct nl_msg *msg = request_size(nl, DMPOOL_CMD_POOL_NEW, NLM_F_ACK,
					  bytes + 4096);
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	memset(pool, 0, sizeof(*pool));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if ((spec->id && nla_put_u64(msg, DMPOOL_A_POOL_ID, spec->id) < 0) ||
	    nla_put_string(msg, DMPOOL_A_POOL_NAME, spec->name) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_POOL_SIZE, spec->size) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_POOL_EXTENT_SIZE, spec->extent_size) < 0 ||
	    nla_put(msg, DMPOOL_A_POOL_MAP, (int)bytes, spec->map) < 0 ||
	    ctl_put_policy(msg, spec->policy, false) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	st = transact(nl, msg, one_pool, pool, err);
	return need_reply(st, pool->id != 0, err);
}

enum ctl_status ctl_pool_del(struct ctl_nl *nl, const struct pool_sel *sel,
			     uint32_t flags, struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_POOL_DEL, NLM_F_ACK);

	memset(err, 0, sizeof(*err));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (put_sel(msg, sel) < 0 ||
	    (flags && nla_put_u32(msg, DMPOOL_A_POOL_FLAGS, flags) < 0)) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	return transact(nl, msg, NULL, NULL, err);
}

enum ctl_status ctl_pool_dump(struct ctl_nl *nl, struct ctl_pool **pools,
			      size_t *n, struct ctl_err *err)
{
	void *v;
	enum ctl_status st;

	st = dump(nl, request(nl, DMPOOL_CMD_POOL_GET, NLM_F_DUMP),
		  sizeof(**pools), one_pool, &v, n, err);
	*pools = v;
	return st;
}

static int put_node(struct nl_msg *msg, uint32_t id,
		    const struct node_addr *addr)
{
	if (nla_put_u32(msg, DMPOOL_A_NODE_ID, id) < 0)
		return -1;
	if (!addr)
		return 0;
	if (nla_put(msg, DMPOOL_A_ADDR, addr->family == AF_INET ? 4 : 16,
		    addr->addr) < 0 ||
	    nla_put_u16(msg, DMPOOL_A_PORT, addr->port) < 0)
		return -1;
	return 0;
}

/* A doit carrying NODE_ID (and ADDR/PORT), answered by an ACK only. */
static enum ctl_status node_cmd(struct ctl_nl *nl, uint8_t cmd, uint32_t id,
				const struct node_addr *addr,
				struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, cmd, NLM_F_ACK);

	memset(err, 0, sizeof(*err));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (put_node(msg, id, addr) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	return transact(nl, msg, NULL, NULL, err);
}

enum ctl_status ctl_node_set(struct ctl_nl *nl, uint32_t id,
			     const struct node_addr *addr, struct ctl_err *err)
{
	return node_cmd(nl, DMPOOL_CMD_NODE_SET, id, addr, err);
}

struct node_reply {
	struct ctl_node *node;
	bool got;
};

static int one_node(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		    char *why, size_t len)
{
	struct node_reply *r = arg;

	r->got = true;
	return reply_node(tb, r->node, why, len);
}

enum ctl_status ctl_node_get(struct ctl_nl *nl, struct ctl_node *node,
			     struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_NODE_GET, NLM_F_ACK);
	struct node_reply r = { .node = node };
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	memset(node, 0, sizeof(*node));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	st = transact(nl, msg, one_node, &r, err);
	return need_reply(st, r.got, err);
}

enum ctl_status ctl_key_set(struct ctl_nl *nl, const uint8_t *key,
			    size_t len, struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_KEY_SET, NLM_F_ACK);

	memset(err, 0, sizeof(*err));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (nla_put(msg, DMPOOL_A_KEY, (int)len, key) < 0) {
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	return transact_msg(nl, msg, true, NULL, NULL, err);
}

enum ctl_status ctl_peer_add(struct ctl_nl *nl, uint32_t id,
			     const struct node_addr *addr, struct ctl_err *err)
{
	return node_cmd(nl, DMPOOL_CMD_PEER_ADD, id, addr, err);
}

enum ctl_status ctl_peer_del(struct ctl_nl *nl, uint32_t id,
			     struct ctl_err *err)
{
	return node_cmd(nl, DMPOOL_CMD_PEER_DEL, id, NULL, err);
}

static int dec_peer(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		    char *why, size_t len)
{
	return reply_peer(tb, arg, why, len);
}

enum ctl_status ctl_peer_dump(struct ctl_nl *nl, struct ctl_peer **peers,
			      size_t *n, struct ctl_err *err)
{
	void *v;
	enum ctl_status st;

	st = dump(nl, request(nl, DMPOOL_CMD_PEER_GET, NLM_F_DUMP),
		  sizeof(**peers), dec_peer, &v, n, err);
	*peers = v;
	return st;
}

struct peer_reply {
	struct ctl_peer *peer;
	bool got;
};

static int one_peer(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		    char *why, size_t len)
{
	struct peer_reply *r = arg;

	r->got = true;
	return reply_peer(tb, r->peer, why, len);
}

enum ctl_status ctl_peer_get(struct ctl_nl *nl, uint32_t id,
			     struct ctl_peer *peer, struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_PEER_GET, NLM_F_ACK);
	struct peer_reply r = { .peer = peer };
	enum ctl_status st;

	memset(err, 0, sizeof(*err));
	memset(peer, 0, sizeof(*peer));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (put_node(msg, id, NULL) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	st = transact(nl, msg, one_peer, &r, err);
	return need_reply(st, r.got, err);
}

enum ctl_status ctl_mem_set(struct ctl_nl *nl, uint64_t capacity,
			    struct ctl_err *err)
{
	struct nl_msg *msg = request(nl, DMPOOL_CMD_MEM_SET, NLM_F_ACK);

	memset(err, 0, sizeof(*err));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if (nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, capacity) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	return transact(nl, msg, NULL, NULL, err);
}

static int dec_mem(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		   char *why, size_t len)
{
	return reply_mem(tb, arg, why, len);
}

enum ctl_status ctl_mem_dump(struct ctl_nl *nl, struct ctl_mem **mem,
			     size_t *n, struct ctl_err *err)
{
	void *v;
	enum ctl_status st;

	st = dump(nl, request(nl, DMPOOL_CMD_MEM_GET, NLM_F_DUMP),
		  sizeof(**mem), dec_mem, &v, n, err);
	*mem = v;
	return st;
}

/* A request for the file commands: the pool, and @name unless NULL. */
static struct nl_msg *file_request(struct ctl_nl *nl, uint8_t cmd, int flags,
				   const struct pool_sel *sel,
				   const char *name)
{
	struct nl_msg *msg = request(nl, cmd, flags);

	if (msg && (put_sel(msg, sel) < 0 ||
		    (name && nla_put_string(msg, DMPOOL_A_FILE_NAME, name) < 0))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int one_file(struct nlattr *tb[DMPOOL_A_MAX + 1], void *arg,
		    char *why, size_t len)
{
	return reply_file(tb, arg, why, len);
}

/* Send @msg (consumed), a doit answered by one file, decoded into @file. */
static enum ctl_status file_doit(struct ctl_nl *nl, struct nl_msg *msg,
				 struct ctl_file *file, struct ctl_err *err)
{
	enum ctl_status st;

	memset(file, 0, sizeof(*file));
	/* File IDs are never 0: a nonzero one tells that a reply came. */
	st = transact(nl, msg, one_file, file, err);
	return need_reply(st, file->id != 0, err);
}

enum ctl_status ctl_file_new(struct ctl_nl *nl, const struct pool_sel *sel,
			     const struct ctl_file_spec *spec,
			     struct ctl_file *file, struct ctl_err *err)
{
	struct nl_msg *msg = file_request(nl, DMPOOL_CMD_FILE_NEW, NLM_F_ACK,
					  sel, spec->name);

	memset(err, 0, sizeof(*err));
	memset(file, 0, sizeof(*file));
	if (!msg)
		return local_err(err, "building the request", -NLE_NOMEM);
	if (nla_put_u64(msg, DMPOOL_A_FILE_SIZE, spec->size) < 0 ||
	    (spec->permits &&
	     nla_put_u32(msg, DMPOOL_A_FILE_PERMITS, spec->permits) < 0) ||
	    (spec->has_mode &&
	     nla_put_u32(msg, DMPOOL_A_FILE_MODE, spec->mode) < 0)) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	return file_doit(nl, msg, file, err);
}

enum ctl_status ctl_file_get(struct ctl_nl *nl, const struct pool_sel *sel,
			     const char *name, struct ctl_file *file,
			     struct ctl_err *err)
{
	struct nl_msg *msg = file_request(nl, DMPOOL_CMD_FILE_GET, NLM_F_ACK,
					  sel, name);

	memset(err, 0, sizeof(*err));
	memset(file, 0, sizeof(*file));
	if (!msg)
		return local_err(err, "building the request", -NLE_NOMEM);
	return file_doit(nl, msg, file, err);
}

enum ctl_status ctl_file_del(struct ctl_nl *nl, const struct pool_sel *sel,
			     const char *name, struct ctl_err *err)
{
	struct nl_msg *msg = file_request(nl, DMPOOL_CMD_FILE_DEL, NLM_F_ACK,
					  sel, name);

	memset(err, 0, sizeof(*err));
	if (!msg)
		return local_err(err, "building the request", -NLE_NOMEM);
	return transact(nl, msg, NULL, NULL, err);
}

enum ctl_status ctl_file_dump(struct ctl_nl *nl, const struct pool_sel *sel,
			      struct ctl_file **files, size_t *n,
			      struct ctl_err *err)
{
	void *v;
	enum ctl_status st;

	st = dump(nl, file_request(nl, DMPOOL_CMD_FILE_GET, NLM_F_DUMP, sel,
				   NULL),
		  sizeof(**files), one_file, &v, n, err);
	*files = v;
	return st;
}

/* ---- for the cluster commands ------------------------------------------ */

struct nl_msg *ctl_request(struct ctl_nl *nl, uint8_t cmd, int flags,
			   size_t size)
{
	return request_size(nl, cmd, flags, size);
}

enum ctl_status ctl_transact(struct ctl_nl *nl, struct nl_msg *msg,
			     reply_fn on_reply, void *arg, struct ctl_err *err)
{
	memset(err, 0, sizeof(*err));
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	return transact(nl, msg, on_reply, arg, err);
}

void ctl_nl_timeout(struct ctl_nl *nl, unsigned int seconds)
{
	struct timeval timeout = { .tv_sec = seconds };

	setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVTIMEO,
		   &timeout, sizeof(timeout));
}

int ctl_nl_group(struct ctl_nl *nl, const char *name)
{
	return genl_ctrl_resolve_grp(nl->sk, DMPOOL_GENL_NAME, name);
}

int ctl_nl_family(struct ctl_nl *nl)
{
	return nl->family;
}

/* POOL_SET and FILE_SET (DMPOOL_FEAT_POLICY): the ack only. */
enum ctl_status ctl_policy_set(struct ctl_nl *nl, const struct pool_sel *sel,
			       const char *file, const struct ctl_policy *p,
			       struct ctl_err *err)
{
	struct nl_msg *msg;

	memset(err, 0, sizeof(*err));
	msg = file ? file_request(nl, DMPOOL_CMD_FILE_SET, NLM_F_ACK, sel, file) :
		     request(nl, DMPOOL_CMD_POOL_SET, NLM_F_ACK);
	if (!msg)
		return local_err(err, "netlink", -NLE_NOMEM);
	if ((!file && put_sel(msg, sel) < 0) ||
	    ctl_put_policy(msg, p, file != NULL) < 0) {
		nlmsg_free(msg);
		return local_err(err, "building the request", -NLE_NOMEM);
	}
	return transact(nl, msg, NULL, NULL, err);
}
