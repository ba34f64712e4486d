// SPDX-License-Identifier: GPL-2.0
/*
 * Strict decoding of the cluster's replies (DMPOOL_FEAT_CLUSTER).
 *
 * The daemon's REQ_RESULT travels through the module untouched, so it is
 * checked here as carefully as the module's own replies: every nest is
 * split with the family policy and exact lengths (reply_split()), and the
 * attributes each kind promises are required.  Pure: the unit tests build
 * the messages with libnl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "clreply.h"

static int missing(const char *what, char *why, size_t len)
{
	snprintf(why, len, "attribute %s missing", what);
	return -1;
}

/* A NUL-terminated string attribute (the policy checked that) into @buf. */
static void opt_str(struct nlattr *a, char *buf, size_t size)
{
	if (a)
		snprintf(buf, size, "%s", nla_get_string(a));
}

int reply_cluster(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_cluster *c,
		  char *why, size_t len)
{
	memset(c, 0, sizeof(*c));
	if (tb[DMPOOL_A_CLUSTER_DAEMON]) {
		c->has_daemon = true;
		c->daemon = nla_get_u32(tb[DMPOOL_A_CLUSTER_DAEMON]) != 0;
	}
	if (tb[DMPOOL_A_CLUSTER_NAME]) {
		c->has_name = true;
		opt_str(tb[DMPOOL_A_CLUSTER_NAME], c->name, sizeof(c->name));
	}
	if (tb[DMPOOL_A_CLUSTER_EPOCH]) {
		c->has_epoch = true;
		c->epoch = nla_get_u64(tb[DMPOOL_A_CLUSTER_EPOCH]);
	}
	if (tb[DMPOOL_A_CLUSTER_CHECKSUM]) {
		c->has_checksum = true;
		memcpy(c->checksum, nla_data(tb[DMPOOL_A_CLUSTER_CHECKSUM]),
		       sizeof(c->checksum));
	}
	if (tb[DMPOOL_A_CLUSTER_MEMBERS]) {
		c->has_members = true;
		c->members = nla_get_u64(tb[DMPOOL_A_CLUSTER_MEMBERS]);
	}
	if (tb[DMPOOL_A_CLUSTER_QUORATE]) {
		c->has_quorate = true;
		c->quorate = nla_get_u32(tb[DMPOOL_A_CLUSTER_QUORATE]) != 0;
	}
	if (tb[DMPOOL_A_CLUSTER_AGE_MS]) {
		c->has_age = true;
		c->age_ms = nla_get_u32(tb[DMPOOL_A_CLUSTER_AGE_MS]);
	}
	if (tb[DMPOOL_A_NODE_ID]) {
		c->has_self = true;
		c->self_id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
	}
	(void)why;
	(void)len;
	return 0;
}

int reply_req(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_req_reply *r,
	      char *why, size_t len)
{
	req_reply_free(r);
	memset(r, 0, sizeof(*r));
	if (!tb[DMPOOL_A_REQ_ID])
		return missing("REQ_ID", why, len);
	if (!tb[DMPOOL_A_REQ_STATUS])
		return missing("REQ_STATUS", why, len);
	r->id = nla_get_u64(tb[DMPOOL_A_REQ_ID]);
	r->status = nla_get_u32(tb[DMPOOL_A_REQ_STATUS]);
	opt_str(tb[DMPOOL_A_REQ_MESSAGE], r->message, sizeof(r->message));
	if (tb[DMPOOL_A_REQ_RESULT]) {
		size_t n = (size_t)nla_len(tb[DMPOOL_A_REQ_RESULT]);

		r->result = malloc(n ? n : 1);
		if (!r->result) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		memcpy(r->result, nla_data(tb[DMPOOL_A_REQ_RESULT]), n);
		r->result_len = n;
	}
	r->got = true;
	return 0;
}

void req_reply_free(struct ctl_req_reply *r)
{
	free(r->result);
	r->result = NULL;
	r->result_len = 0;
}

int reply_event(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_event *ev,
		char *why, size_t len)
{
	memset(ev, 0, sizeof(*ev));
	if (!tb[DMPOOL_A_EVENT_KIND])
		return missing("EVENT_KIND", why, len);
	ev->kind = nla_get_u32(tb[DMPOOL_A_EVENT_KIND]);
	if (tb[DMPOOL_A_POOL_ID]) {
		ev->has_pool = true;
		ev->pool_id = nla_get_u64(tb[DMPOOL_A_POOL_ID]);
	}
	if (tb[DMPOOL_A_POOL_NAME]) {
		ev->has_name = true;
		opt_str(tb[DMPOOL_A_POOL_NAME], ev->name, sizeof(ev->name));
	}
	if (tb[DMPOOL_A_POOL_ATTACHED]) {
		ev->has_attached = true;
		ev->attached = nla_get_u32(tb[DMPOOL_A_POOL_ATTACHED]);
	}
	if (tb[DMPOOL_A_NODE_ID]) {
		ev->has_node = true;
		ev->node_id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
	}
	if (tb[DMPOOL_A_PEER_STATE]) {
		ev->has_peer_state = true;
		ev->peer_state = nla_get_u32(tb[DMPOOL_A_PEER_STATE]);
	}
	if (tb[DMPOOL_A_CLUSTER_EPOCH]) {
		ev->has_epoch = true;
		ev->epoch = nla_get_u64(tb[DMPOOL_A_CLUSTER_EPOCH]);
	}
	if (tb[DMPOOL_A_CLUSTER_MEMBERS]) {
		ev->has_members = true;
		ev->members = nla_get_u64(tb[DMPOOL_A_CLUSTER_MEMBERS]);
	}
	return 0;
}

/* A pool of the cluster from split attributes. */
static int decode_cpool(struct nlattr *tb[DMPOOL_A_MAX + 1],
			struct ctl_cpool *cp, char *why, size_t len)
{
	struct ctl_map *map;
	size_t i, r;

	memset(cp, 0, sizeof(*cp));
	if (reply_pool(tb, &cp->p, why, len) < 0)
		return -1;
	if (tb[DMPOOL_A_POOL_TTL_MS]) {
		cp->has_ttl = true;
		cp->ttl_ms = nla_get_u64(tb[DMPOOL_A_POOL_TTL_MS]);
	}
	if (tb[DMPOOL_A_POOL_STATE]) {
		cp->has_state = true;
		cp->state = nla_get_u32(tb[DMPOOL_A_POOL_STATE]);
	}
	if (tb[DMPOOL_A_POOL_IDLE_MS]) {
		cp->has_idle = true;
		cp->idle_ms = nla_get_u64(tb[DMPOOL_A_POOL_IDLE_MS]);
	}
	if (tb[DMPOOL_A_CLUSTER_EPOCH]) {
		cp->has_epoch = true;
		cp->epoch = nla_get_u64(tb[DMPOOL_A_CLUSTER_EPOCH]);
	}
	cp->attached = cp->p.attached;
	if (!tb[DMPOOL_A_POOL_MAP])
		return 0;
	map = malloc(sizeof(*map));
	if (!map) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (reply_map(tb, map, why, len) < 0) {
		free(map);
		return -1;
	}
	r = cp->p.has_replicas ? cp->p.replicas : 1;
	if (map->n % r) {
		snprintf(why, len, "map of %zu entries for %zu replicas",
			 map->n, r);
		free(map);
		return -1;
	}
	cp->extents = map->n / r;
	for (i = 0; i < map->n; i++)
		cp->homes[map->node[i]]++;
	free(map);
	return 0;
}

/* Split the nest @a (or a whole result) into @tb. */
static int split_nest(const void *data, size_t n,
		      struct nlattr *tb[DMPOOL_A_MAX + 1], char *why,
		      size_t len)
{
	return reply_split((struct nlattr *)data, (int)n, tb, why, len);
}

int result_pool(const void *res, size_t res_len, struct ctl_cpool *pool,
		char *why, size_t len)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];

	if (!res)
		return missing("REQ_RESULT", why, len);
	if (split_nest(res, res_len, tb, why, len) < 0)
		return -1;
	return decode_cpool(tb, pool, why, len);
}

/* An ADDR attribute alone (4 or 16 bytes) into @a, port 0. */
static int addr_attr(struct nlattr *attr, struct node_addr *a, char *why,
		     size_t len)
{
	int alen = nla_len(attr);

	memset(a, 0, sizeof(*a));
	if (alen != 4 && alen != 16) {
		snprintf(why, len, "attribute ADDR has %d bytes, not 4 or 16",
			 alen);
		return -1;
	}
	a->family = alen == 4 ? AF_INET : AF_INET6;
	memcpy(a->addr, nla_data(attr), (size_t)alen);
	return 0;
}

static int decode_cnode(struct nlattr *tb[DMPOOL_A_MAX + 1],
			struct ctl_cnode *n, char *why, size_t len)
{
	memset(n, 0, sizeof(*n));
	if (!tb[DMPOOL_A_NODE_ID])
		return missing("NODE_ID", why, len);
	n->id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
	if (n->id < 1 || n->id > DMPOOL_NODES_MAX) {
		snprintf(why, len, "node ID %u out of range", n->id);
		return -1;
	}
	if (tb[DMPOOL_A_ADDR]) {
		if (addr_attr(tb[DMPOOL_A_ADDR], &n->addr, why, len) < 0)
			return -1;
		n->addr.port = tb[DMPOOL_A_PORT] ?
			       nla_get_u16(tb[DMPOOL_A_PORT]) :
			       DMPOOL_PORT_DEFAULT;
		n->has_addr = true;
	}
	if (tb[DMPOOL_A_NODE_STATE]) {
		n->has_state = true;
		n->state = nla_get_u32(tb[DMPOOL_A_NODE_STATE]);
	}
	if (tb[DMPOOL_A_STORE_CAPACITY] && tb[DMPOOL_A_STORE_COMMITTED]) {
		n->has_mem = true;
		n->capacity = nla_get_u64(tb[DMPOOL_A_STORE_CAPACITY]);
		n->committed = nla_get_u64(tb[DMPOOL_A_STORE_COMMITTED]);
	}
	opt_str(tb[DMPOOL_A_VERSION], n->version, sizeof(n->version));
	return 0;
}

/* Append a zeroed element of @size to *@v (*@n of them); NULL if no memory. */
static void *grow(void **v, size_t *n, size_t size)
{
	void *nv = realloc(*v, (*n + 1) * size);

	if (!nv)
		return NULL;
	*v = nv;
	return memset((char *)nv + (*n)++ * size, 0, size);
}

int result_status(const void *res, size_t res_len, struct ctl_cstatus *st,
		  char *why, size_t len)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1], *pos;
	int rem;

	memset(st, 0, sizeof(*st));
	if (!res)
		return missing("REQ_RESULT", why, len);
	if (split_nest(res, res_len, tb, why, len) < 0)
		return -1;
	reply_cluster(tb, &st->cl, why, len);
	if (!st->cl.has_epoch)
		return missing("CLUSTER_EPOCH", why, len);
	nla_for_each_attr(pos, (struct nlattr *)res, (int)res_len, rem) {
		struct nlattr *sub[DMPOOL_A_MAX + 1];
		int type = nla_type(pos);
		void *item;

		if (type != DMPOOL_A_CLUSTER_NODE &&
		    type != DMPOOL_A_CLUSTER_POOL)
			continue;
		if (split_nest(nla_data(pos), (size_t)nla_len(pos), sub, why,
			       len) < 0)
			goto bad;
		if (type == DMPOOL_A_CLUSTER_NODE)
			item = grow((void **)&st->nodes, &st->nnodes,
				    sizeof(*st->nodes));
		else
			item = grow((void **)&st->pools, &st->npools,
				    sizeof(*st->pools));
		if (!item) {
			snprintf(why, len, "out of memory");
			goto bad;
		}
		if (type == DMPOOL_A_CLUSTER_NODE ?
		    decode_cnode(sub, item, why, len) < 0 :
		    decode_cpool(sub, item, why, len) < 0)
			goto bad;
	}
	return 0;
bad:
	status_free(st);
	return -1;
}

void status_free(struct ctl_cstatus *st)
{
	free(st->nodes);
	free(st->pools);
	st->nodes = NULL;
	st->pools = NULL;
	st->nnodes = st->npools = 0;
}

static int decode_host(struct nlattr *tb[DMPOOL_A_MAX + 1],
		       struct ctl_crawl_host *h, char *why, size_t len)
{
	if (!tb[DMPOOL_A_ADDR])
		return missing("ADDR", why, len);
	if (!tb[DMPOOL_A_CRAWL_STATE])
		return missing("CRAWL_STATE", why, len);
	if (addr_attr(tb[DMPOOL_A_ADDR], &h->addr, why, len) < 0)
		return -1;
	h->state = nla_get_u32(tb[DMPOOL_A_CRAWL_STATE]);
	if (tb[DMPOOL_A_NODE_ID]) {
		h->has_id = true;
		h->node_id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
	}
	if (tb[DMPOOL_A_NODE_STATE]) {
		h->has_node_state = true;
		h->node_state = nla_get_u32(tb[DMPOOL_A_NODE_STATE]);
	}
	if (tb[DMPOOL_A_STORE_CAPACITY] && tb[DMPOOL_A_STORE_COMMITTED]) {
		h->has_mem = true;
		h->capacity = nla_get_u64(tb[DMPOOL_A_STORE_CAPACITY]);
		h->committed = nla_get_u64(tb[DMPOOL_A_STORE_COMMITTED]);
	}
	opt_str(tb[DMPOOL_A_VERSION], h->version, sizeof(h->version));
	opt_str(tb[DMPOOL_A_CLUSTER_NAME], h->cluster, sizeof(h->cluster));
	return 0;
}

int result_crawl(const void *res, size_t res_len,
		 struct ctl_crawl_host **hosts, size_t *n, char *why,
		 size_t len)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1], *pos;
	void *v = NULL;
	int rem;

	*hosts = NULL;
	*n = 0;
	if (!res)
		return 0;	/* nobody answered */
	if (split_nest(res, res_len, tb, why, len) < 0)
		return -1;
	nla_for_each_attr(pos, (struct nlattr *)res, (int)res_len, rem) {
		struct nlattr *sub[DMPOOL_A_MAX + 1];
		struct ctl_crawl_host *h;

		if (nla_type(pos) != DMPOOL_A_CRAWL_HOST)
			continue;
		if (split_nest(nla_data(pos), (size_t)nla_len(pos), sub, why,
			       len) < 0)
			goto bad;
		h = grow(&v, n, sizeof(*h));
		if (!h) {
			snprintf(why, len, "out of memory");
			goto bad;
		}
		if (decode_host(sub, h, why, len) < 0)
			goto bad;
	}
	*hosts = v;
	return 0;
bad:
	free(v);
	*n = 0;
	return -1;
}

/* @names[@v], or "state N" / "kind N" for one this program does not know. */
static const char *enum_str(const char *const *names, size_t count,
			    uint32_t v, const char *what, char *buf,
			    size_t len)
{
	if (v < count && names[v])
		snprintf(buf, len, "%s", names[v]);
	else
		snprintf(buf, len, "%s %u", what, v);
	return buf;
}

#define ENUM_STR(names, v, what, buf, len) \
	enum_str(names, sizeof(names) / sizeof(names[0]), v, what, buf, len)

const char *node_state_str(uint32_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[DMPOOL_NODE_MEMBER] = "member",
		[DMPOOL_NODE_DOWN] = "down",
		[DMPOOL_NODE_JOINING] = "joining",
		[DMPOOL_NODE_UNCOMMISSIONED] = "uncommissioned",
	};

	return ENUM_STR(names, state, "state", buf, len);
}

const char *cpool_state_str(uint32_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[DMPOOL_POOL_ACTIVE] = "active",
		[DMPOOL_POOL_IDLE] = "idle",
	};

	return ENUM_STR(names, state, "state", buf, len);
}

const char *crawl_state_str(uint32_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[DMPOOL_CRAWL_DAEMON] = "dmpoold",
		[DMPOOL_CRAWL_NO_DAEMON] = "no dmpoold",
	};

	return ENUM_STR(names, state, "state", buf, len);
}

const char *event_kind_str(uint32_t kind, char *buf, size_t len)
{
	static const char *const names[] = {
		[DMPOOL_EVENT_POOL_NEW] = "POOL_NEW",
		[DMPOOL_EVENT_POOL_DEL] = "POOL_DEL",
		[DMPOOL_EVENT_ATTACH] = "ATTACH",
		[DMPOOL_EVENT_DETACH] = "DETACH",
		[DMPOOL_EVENT_PEER] = "PEER",
		[DMPOOL_EVENT_CLUSTER] = "CLUSTER",
	};

	return ENUM_STR(names, kind, "kind", buf, len);
}

int monitor_parse(const void *buf, size_t len, int family,
		  int (*on_event)(const struct ctl_event *ev, void *arg),
		  void *arg, char *why, size_t why_len)
{
	const struct nlmsghdr *nlh;
	int n = 0, rem = (int)len;

	for (nlh = buf; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
		struct nlattr *tb[DMPOOL_A_MAX + 1];
		const struct genlmsghdr *g;
		struct ctl_event ev;
		int ret;

		if (nlh->nlmsg_type != family)
			continue;
		if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
			snprintf(why, why_len, "short event message");
			return -1;
		}
		g = NLMSG_DATA(nlh);
		if (g->cmd != DMPOOL_CMD_EVENT)
			continue;
		if (reply_split((struct nlattr *)((const char *)g + GENL_HDRLEN),
				(int)(nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)),
				tb, why, why_len) < 0 ||
		    reply_event(tb, &ev, why, why_len) < 0)
			return -1;
		ret = on_event(&ev, arg);
		if (ret < 0)
			return -1;
		n++;
		if (ret > 0)
			break;	/* enough */
	}
	return n;
}
