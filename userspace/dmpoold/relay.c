// SPDX-License-Identifier: GPL-2.0
/*
 * Requests the module relays from tools (CLUSTER_REQ -> REQ_NOTIFY).
 *
 * Every request is taken at once (REQ_ACCEPT).  Queries are answered
 * locally from the snapshot (STATUS) or by probing (CRAWL, crawl.c).
 * Changes are checked cheaply first (a bad name, size or policy is EINVAL
 * with a message, no quorum is EAGAIN "cluster not quorate"), then multicast
 * through CPG carrying (origin node, request ID).  The decision is made
 * when the message is applied, on every daemon alike (cluster.c); this
 * daemon, the origin, then waits for APPLIED from every member of the
 * membership at that point (or for it to leave), and ends the request
 * with REQ_DONE: the decision's status and message, or the first node
 * whose module failed to follow ("node 3: No space left on device ..."),
 * and the result listed at enum dmpool_req_kind.  No answer within
 * RELAY_WAIT_MS: REQ_DONE with what is known and a note.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <netlink/attr.h>

#include "daemon.h"
#include "modnl.h"
#include "size.h"

#include "../lib/dmpool.h"

#define RELAY_WAIT_MS	30000

/* snprintf that may cut its output short, on purpose (messages). */
static void setmsg(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void setmsg(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

/* Result builders: put attributes into the REQ_RESULT nest. */
static int put_policy_attrs(struct nl_msg *msg, const struct dpolicy *p)
{
	if (nla_put_u32(msg, DMPOOL_A_POOL_UID, p->uid) < 0 ||
	    nla_put_u32(msg, DMPOOL_A_POOL_GID, p->gid) < 0 ||
	    nla_put_u32(msg, DMPOOL_A_POOL_MODE, p->mode) < 0 ||
	    nla_put(msg, DMPOOL_A_GRANTS,
		    (int)(p->ngrants * sizeof(p->grants[0])), p->grants) < 0)
		return -1;
	return 0;
}

static int put_pool_attrs(struct nl_msg *msg, const struct st_pool *p,
			  bool with_map)
{
	if (nla_put_u64(msg, DMPOOL_A_POOL_ID, p->id) < 0 ||
	    nla_put_string(msg, DMPOOL_A_POOL_NAME, p->name) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_POOL_SIZE, p->size) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_POOL_EXTENT_SIZE, p->extent) < 0 ||
	    nla_put_u32(msg, DMPOOL_A_POOL_REPLICAS, p->replicas) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_POOL_TTL_MS, p->ttl_ms) < 0)
		return -1;
	if (put_policy_attrs(msg, &p->policy) < 0)
		return -1;
	if (with_map && p->nmap &&
	    nla_put(msg, DMPOOL_A_POOL_MAP, (int)(p->nmap * 4), p->map) < 0)
		return -1;
	return 0;
}

struct done_arg {
	struct daemon *d;
	struct pending_req *p;
	char *msg;			/* STATUS: its message, amended */
	size_t msg_size;
};

static int change_result(struct nl_msg *msg, void *arg)
{
	struct done_arg *a = arg;
	struct pending_req *p = a->p;

	if (p->kind == DMPOOL_REQ_NODE_COMMISSION &&
	    nla_put_u32(msg, DMPOOL_A_NODE_ID, p->node) < 0)
		return -1;
	if (p->kind == DMPOOL_REQ_POOL_CREATE && p->pool.id) {
		if (put_pool_attrs(msg, &p->pool, true) < 0)
			return -1;
	} else if (p->pool.id) {
		if (nla_put_u64(msg, DMPOOL_A_POOL_ID, p->pool.id) < 0)
			return -1;
		if (p->kind == DMPOOL_REQ_POOL_SET &&
		    (nla_put_u64(msg, DMPOOL_A_POOL_TTL_MS, p->pool.ttl_ms) < 0 ||
		     put_policy_attrs(msg, &p->pool.policy) < 0))
			return -1;
	}
	return nla_put_u64(msg, DMPOOL_A_CLUSTER_EPOCH, p->epoch);
}

static int status_result(struct nl_msg *msg, void *arg)
{
	struct done_arg *a = arg;
	struct daemon *d = a->d;
	const struct snapshot *s = &d->snap;
	uint8_t sum[DMPOOL_CHECKSUM_LEN];
	uint64_t now = now_ms();
	size_t i;

	if (st_checksum(s, sum) < 0)
		return -1;
	if ((s->name[0] && nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, s->name) < 0) ||
	    nla_put_u64(msg, DMPOOL_A_CLUSTER_EPOCH, s->epoch) < 0 ||
	    nla_put(msg, DMPOOL_A_CLUSTER_CHECKSUM, DMPOOL_CHECKSUM_LEN, sum) < 0 ||
	    nla_put_u64(msg, DMPOOL_A_CLUSTER_MEMBERS, members_mask(d)) < 0 ||
	    nla_put_u32(msg, DMPOOL_A_CLUSTER_QUORATE, d->quorate) < 0 ||
	    (d->self_id && nla_put_u32(msg, DMPOOL_A_NODE_ID, d->self_id) < 0))
		return -1;
	for (i = 0; i < s->nnodes; i++) {
		const struct st_node *n = &s->nodes[i];
		struct nlattr *nest = nla_nest_start(msg, DMPOOL_A_CLUSTER_NODE | NLA_F_NESTED);

		if (!nest ||
		    nla_put_u32(msg, DMPOOL_A_NODE_ID, n->id) < 0 ||
		    (n->addr_len && nla_put(msg, DMPOOL_A_ADDR, n->addr_len,
					    n->addr) < 0) ||
		    (n->port && nla_put_u16(msg, DMPOOL_A_PORT, n->port) < 0) ||
		    nla_put_u32(msg, DMPOOL_A_NODE_STATE, n->state) < 0 ||
		    nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, n->capacity) < 0 ||
		    nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, n->committed) < 0 ||
		    (n->version[0] && nla_put_string(msg, DMPOOL_A_VERSION,
						     n->version) < 0))
			return -1;
		nla_nest_end(msg, nest);
	}
	for (i = 0; i < s->npools; i++) {
		const struct st_pool *p = &s->pools[i];
		uint64_t att = st_pool_attached(p), idle = 0;
		struct nlattr *nest;
		size_t k;
		bool room;

		/* Full: stop here and say so, rather than send nothing. */
		if (nlmsg_hdr(msg)->nlmsg_len + 1024 >= DMPOOL_REQ_RESULT_MAX) {
			size_t used = strlen(a->msg);

			setmsg(a->msg + used, a->msg_size - used,
			       "%struncated: %zu of %zu pools", used ? "; " : "",
			       i, s->npools);
			break;
		}
		for (k = 0; k < d->nlpools; k++)
			if (d->lpools[k].id == p->id && d->lpools[k].idle_since_ms)
				idle = now - d->lpools[k].idle_since_ms;
		/* Leave maps out rather than overflow the result. */
		room = nlmsg_hdr(msg)->nlmsg_len + p->nmap * 4 + 512 <
		       DMPOOL_REQ_RESULT_MAX;
		nest = nla_nest_start(msg, DMPOOL_A_CLUSTER_POOL | NLA_F_NESTED);
		if (!nest || put_pool_attrs(msg, p, room) < 0 ||
		    nla_put_u32(msg, DMPOOL_A_POOL_STATE,
				att ? DMPOOL_POOL_ACTIVE : DMPOOL_POOL_IDLE) < 0 ||
		    nla_put_u32(msg, DMPOOL_A_POOL_ATTACHED,
				att > UINT32_MAX ? UINT32_MAX : (uint32_t)att) < 0 ||
		    (!att && nla_put_u64(msg, DMPOOL_A_POOL_IDLE_MS, idle) < 0))
			return -1;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static void done(struct daemon *d, uint64_t req, int status, const char *msg,
		 modnl_result_fn fn, void *arg)
{
	int ret = modnl_req_done(d->mn, req, status, msg, fn, arg);

	if (ret < 0)
		logmsg(LOG_WARNING, "REQ_DONE %llu: %s", (unsigned long long)req,
		       strerror(-ret));
}

static void answer_status(struct daemon *d, uint64_t req)
{
	char msg[DMPOOL_REQ_MESSAGE_MAX + 1] = "";
	struct done_arg a = { .d = d, .msg = msg, .msg_size = sizeof(msg) };

	if (!d->in_cpg)
		snprintf(msg, sizeof(msg), "node %u: standalone, corosync is "
			 "not running here", d->self_id);
	else if (!d->synced)
		snprintf(msg, sizeof(msg), "node %u: syncing with the cluster",
			 d->self_id);
	else if (d->adopt_ms >= 0)
		snprintf(msg, sizeof(msg), "node %u: state adopted in %lld ms "
			 "after joining", d->self_id, (long long)d->adopt_ms);
	done(d, req, 0, msg, status_result, &a);
}

static struct pending_req *pending_new(struct daemon *d, uint64_t req,
				       uint32_t kind)
{
	size_t i;

	for (i = 0; i < DMPOOL_REQS_MAX; i++) {
		struct pending_req *p = &d->reqs[i];

		if (p->used)
			continue;
		memset(p, 0, sizeof(*p));
		p->used = true;
		p->req = req;
		p->kind = kind;
		p->deadline_ms = now_ms() + RELAY_WAIT_MS;
		return p;
	}
	return NULL;
}

static struct pending_req *pending_find(struct daemon *d, uint64_t req)
{
	size_t i;

	for (i = 0; i < DMPOOL_REQS_MAX; i++)
		if (d->reqs[i].used && d->reqs[i].req == req)
			return &d->reqs[i];
	return NULL;
}

static void pending_finish(struct daemon *d, struct pending_req *p,
			   const char *note)
{
	struct done_arg a = { .d = d, .p = p };
	char msg[DMPOOL_REQ_MESSAGE_MAX + 1];

	setmsg(msg, sizeof(msg), "%s%s%s", p->msg, note && p->msg[0] ? "; " : "",
		 note ? note : "");
	done(d, p->req, p->status, msg, p->status ? NULL : change_result, &a);
	free(p->pool.map);
	memset(p, 0, sizeof(*p));
}

/* Arguments: strict lengths. */
static bool arg_u64(struct nlattr *a, uint64_t *v)
{
	if (!a || nla_len(a) != 8)
		return false;
	*v = nla_get_u64(a);
	return true;
}

static bool arg_u32(struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) != 4)
		return false;
	*v = nla_get_u32(a);
	return true;
}

static bool arg_str(struct nlattr *a, char *out, size_t size)
{
	const char *s;
	int n;

	if (!a)
		return false;
	s = nla_data(a);
	n = nla_len(a);
	if (n < 1 || (size_t)n > size || s[n - 1] != '\0' ||
	    strlen(s) != (size_t)n - 1)
		return false;
	memcpy(out, s, (size_t)n);
	return true;
}

/*
 * The policy arguments of POOL_CREATE and POOL_SET into @m->policy (over
 * what it holds) and the CPGP_SET_* bits of those given into @m->set.
 * 0 or EINVAL with @why.
 */
static int policy_args(struct nlattr **tb, struct cpgp_msg *m, char *why,
		       size_t len)
{
	static const struct {
		int attr;
		uint32_t bit;
		const char *name;
	} ids[] = {
		{ DMPOOL_A_POOL_UID, CPGP_SET_UID, "POOL_UID" },
		{ DMPOOL_A_POOL_GID, CPGP_SET_GID, "POOL_GID" },
		{ DMPOOL_A_POOL_MODE, CPGP_SET_MODE, "POOL_MODE" },
	};
	uint32_t *val[] = { &m->policy.uid, &m->policy.gid, &m->policy.mode };
	struct nlattr *g = tb[DMPOOL_A_GRANTS];
	char pwhy[160];
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (!tb[ids[i].attr])
			continue;
		if (!arg_u32(tb[ids[i].attr], val[i])) {
			snprintf(why, len, "%s must be a u32", ids[i].name);
			return EINVAL;
		}
		m->set |= ids[i].bit;
	}
	if (g) {
		if (nla_len(g) % (int)sizeof(struct dmpool_grant) ||
		    nla_len(g) > (int)sizeof(m->policy.grants)) {
			snprintf(why, len, "GRANTS has %d bytes: at most %d grants of 8 bytes",
				 nla_len(g), DMPOOL_GRANTS_MAX);
			return EINVAL;
		}
		m->policy.ngrants = (uint32_t)(nla_len(g) /
					       (int)sizeof(struct dmpool_grant));
		memcpy(m->policy.grants, nla_data(g), (size_t)nla_len(g));
		m->set |= CPGP_SET_GRANTS;
	}
	if (dpolicy_check(&m->policy, pwhy, sizeof(pwhy)) < 0) {
		snprintf(why, len, "invalid policy: %s", pwhy);
		return EINVAL;
	}
	return 0;
}

/* Build the change message for @kind from @tb; 0 or an errno + @why. */
static int build_change(struct daemon *d, uint32_t kind,
			struct nlattr **tb, struct cpgp_msg *m,
			char *why, size_t len)
{
	char buf[32];
	int ret;

	switch (kind) {
	case DMPOOL_REQ_POOL_CREATE:
		m->type = CPGP_POOL_CREATE;
		if (!arg_str(tb[DMPOOL_A_POOL_NAME], m->name, sizeof(m->name)) ||
		    !dmp_name_valid(m->name)) {
			snprintf(why, len, "a pool needs a valid name: 1 to %d "
				 "bytes of [A-Za-z0-9._-], not starting with '.' "
				 "or '-'", DMPOOL_POOL_NAME_MAX);
			return EINVAL;
		}
		if (!arg_u64(tb[DMPOOL_A_POOL_SIZE], &m->size) ||
		    m->size < DMPOOL_POOL_SIZE_MIN || m->size > DMPOOL_POOL_SIZE_MAX) {
			snprintf(why, len, "pool size must be 4 KiB to %s",
				 size_format(DMPOOL_POOL_SIZE_MAX, buf, sizeof(buf)));
			return EINVAL;
		}
		m->replicas = 1;
		if (tb[DMPOOL_A_POOL_REPLICAS] &&
		    (!arg_u32(tb[DMPOOL_A_POOL_REPLICAS], &m->replicas) ||
		     m->replicas < 1 || m->replicas > DMPOOL_REPLICAS_MAX)) {
			snprintf(why, len, "replicas must be 1 to %d",
				 DMPOOL_REPLICAS_MAX);
			return EINVAL;
		}
		if (m->replicas != 1) {
			snprintf(why, len, "replication is not implemented yet");
			return EOPNOTSUPP;
		}
		m->ttl_ms = 0;
		if (tb[DMPOOL_A_POOL_TTL_MS] &&
		    !arg_u64(tb[DMPOOL_A_POOL_TTL_MS], &m->ttl_ms)) {
			snprintf(why, len, "bad TTL");
			return EINVAL;
		}
		if (!m->ttl_ms)
			m->ttl_ms = d->conf.default_ttl_ms;
		dpolicy_default(&m->policy);
		return policy_args(tb, m, why, len);
	case DMPOOL_REQ_POOL_DESTROY:
	case DMPOOL_REQ_POOL_SET:
		m->type = kind == DMPOOL_REQ_POOL_SET ? CPGP_POOL_SET :
			  CPGP_POOL_DESTROY;
		if (!arg_u64(tb[DMPOOL_A_POOL_ID], &m->pool) &&
		    !arg_str(tb[DMPOOL_A_POOL_NAME], m->name, sizeof(m->name))) {
			snprintf(why, len, "which pool? give POOL_ID or POOL_NAME");
			return EINVAL;
		}
		if (kind == DMPOOL_REQ_POOL_DESTROY) {
			if (tb[DMPOOL_A_POOL_FLAGS] &&
			    (!arg_u32(tb[DMPOOL_A_POOL_FLAGS], &m->flags) ||
			     (m->flags & ~DMPOOL_POOL_DEL_FORCE))) {
				snprintf(why, len, "unknown pool flags");
				return EINVAL;
			}
			return 0;
		}
		if (tb[DMPOOL_A_POOL_TTL_MS]) {
			if (!arg_u64(tb[DMPOOL_A_POOL_TTL_MS], &m->ttl_ms)) {
				snprintf(why, len, "POOL_TTL_MS must be a u64");
				return EINVAL;
			}
			if (!m->ttl_ms)
				m->ttl_ms = d->conf.default_ttl_ms;
			m->set |= CPGP_SET_TTL;
		}
		/* Fields not given are checked as the defaults, then ignored. */
		dpolicy_default(&m->policy);
		ret = policy_args(tb, m, why, len);
		if (ret)
			return ret;
		if (!m->set) {
			snprintf(why, len, "nothing to set: give POOL_TTL_MS, POOL_UID, POOL_GID, POOL_MODE or GRANTS");
			return EINVAL;
		}
		return 0;
	case DMPOOL_REQ_NODE_DECOMMISSION:
		m->type = CPGP_DECOMMISSION;
		if (!arg_u32(tb[DMPOOL_A_NODE_ID], &m->node) || m->node < 1 ||
		    m->node > DMPOOL_NODES_MAX) {
			snprintf(why, len, "decommission needs a NODE_ID 1..%d",
				 DMPOOL_NODES_MAX);
			return EINVAL;
		}
		return 0;
	default:
		snprintf(why, len, "unknown request kind %u", kind);
		return EOPNOTSUPP;
	}
}

void relay_notify(struct daemon *d, uint64_t req, uint32_t kind,
		  struct nlattr *args)
{
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	char why[DMPOOL_REQ_MESSAGE_MAX + 1] = "";
	struct cpgp_msg m;
	struct pending_req *p;
	int ret;

	ret = modnl_req_accept(d->mn, req);
	if (ret < 0) {
		logmsg(LOG_WARNING, "REQ_ACCEPT %llu: %s", (unsigned long long)req,
		       strerror(-ret));
		return;
	}
	memset(tb, 0, sizeof(tb));
	if (args && nla_parse_nested(tb, DMPOOL_A_MAX, args, NULL) < 0) {
		done(d, req, EINVAL, "malformed request arguments", NULL, NULL);
		return;
	}
	if (kind == DMPOOL_REQ_STATUS) {
		answer_status(d, req);
		return;
	}
	if (kind == DMPOOL_REQ_CRAWL) {
		crawl_request(d, req, tb[DMPOOL_A_CRAWL_TARGETS]);
		return;
	}
	memset(&m, 0, sizeof(m));
	if (kind != DMPOOL_REQ_NODE_COMMISSION) {
		/* Cheap checks first: a bad name is EINVAL even alone. */
		ret = build_change(d, kind, tb, &m, why, sizeof(why));
		if (ret) {
			done(d, req, ret, why, NULL, NULL);
			return;
		}
	}
	if (!d->in_cpg) {
		done(d, req, EAGAIN, "cluster not quorate: corosync is not "
		     "running on this node", NULL, NULL);
		return;
	}
	if (!d->synced || !d->quorate) {
		done(d, req, EAGAIN, d->synced ? "cluster not quorate" :
		     "cluster not quorate: still syncing", NULL, NULL);
		return;
	}
	ret = kind == DMPOOL_REQ_NODE_COMMISSION ?
	      commission_prepare(d, tb, &m, why, sizeof(why)) : 0;
	if (ret) {
		done(d, req, ret, why, NULL, NULL);
		return;
	}
	p = pending_new(d, req, kind);
	if (!p) {
		done(d, req, EBUSY, "too many requests in flight", NULL, NULL);
		return;
	}
	m.origin = d->self_id;
	m.req = req;
	p->node = m.node;
	p->addr_len = m.addr_len;
	memcpy(p->addr, m.addr, sizeof(p->addr));
	p->port = m.port;
	if (cpg_send(d, &m) < 0) {
		memset(p, 0, sizeof(*p));
		done(d, req, EAGAIN, "cannot reach corosync", NULL, NULL);
	}
}

static void maybe_finish(struct daemon *d, struct pending_req *p)
{
	char why[DMPOOL_REQ_MESSAGE_MAX + 1];
	int ret;

	if (!p->delivered || (p->waiting & members_mask(d)))
		return;
	if (p->kind == DMPOOL_REQ_NODE_COMMISSION && !p->status) {
		ret = commission_join(d, p, why, sizeof(why));
		p->status = ret;
		setmsg(p->msg, sizeof(p->msg), "%s", why);
	}
	pending_finish(d, p, NULL);
}

void relay_change_done(struct daemon *d, const struct cpgp_msg *m,
		       const struct cl_outcome *o, int module_status,
		       const char *module_msg)
{
	struct pending_req *p = pending_find(d, m->req);
	struct st_pool *pool;

	if (!p)
		return;
	p->delivered = true;
	p->waiting = members_mask(d);
	p->epoch = d->snap.epoch;
	p->status = o->status ? o->status : module_status;
	snprintf(p->msg, sizeof(p->msg), "%s",
		 o->status || !module_status ? o->msg : module_msg);
	pool = o->pool ? st_pool_by_id(&d->snap, o->pool) : NULL;
	if (pool) {
		p->pool = *pool;
		p->pool.map = NULL;
		if (pool->nmap) {
			p->pool.map = malloc(pool->nmap * 4);
			if (p->pool.map)
				memcpy(p->pool.map, pool->map, pool->nmap * 4);
			else
				p->pool.nmap = 0;
		}
	} else if (o->pool) {
		p->pool.id = o->pool;
	}
}

void relay_applied(struct daemon *d, const struct cpgp_msg *m)
{
	struct pending_req *p;

	if (m->origin != d->self_id)
		return;
	p = pending_find(d, m->req);
	if (!p)
		return;
	p->waiting &= ~(m->node >= 1 && m->node <= 64 ? 1ULL << (m->node - 1) : 0);
	if (m->status && !p->status) {
		p->status = (int)m->status;
		setmsg(p->msg, sizeof(p->msg), "node %u: %s", m->node,
			 m->message[0] ? m->message : strerror((int)m->status));
	}
	maybe_finish(d, p);
}

void relay_membership(struct daemon *d)
{
	size_t i;

	for (i = 0; i < DMPOOL_REQS_MAX; i++) {
		struct pending_req *p = &d->reqs[i];

		if (!p->used)
			continue;
		if (!d->in_cpg) {
			if (!p->status && !p->delivered) {
				p->status = EAGAIN;
				snprintf(p->msg, sizeof(p->msg),
					 "lost corosync before the change was agreed");
			}
			pending_finish(d, p, NULL);
			continue;
		}
		maybe_finish(d, p);
	}
}

void relay_abort(struct daemon *d, uint64_t req, int status, const char *msg)
{
	struct pending_req *p = pending_find(d, req);

	if (!p || p->delivered)
		return;
	p->status = status;
	setmsg(p->msg, sizeof(p->msg), "%s", msg);
	pending_finish(d, p, NULL);
}

void relay_tick(struct daemon *d)
{
	uint64_t now = now_ms();
	size_t i;

	for (i = 0; i < DMPOOL_REQS_MAX; i++) {
		struct pending_req *p = &d->reqs[i];

		if (!p->used || now < p->deadline_ms)
			continue;
		if (!p->delivered) {
			p->status = ETIMEDOUT;
			snprintf(p->msg, sizeof(p->msg),
				 "the change was not agreed within %d s; outcome "
				 "unknown: it may still take effect", RELAY_WAIT_MS / 1000);
			pending_finish(d, p, NULL);
		} else {
			pending_finish(d, p, "some nodes did not confirm in time");
		}
	}
}

void relay_free(struct daemon *d)
{
	size_t i;

	for (i = 0; i < DMPOOL_REQS_MAX; i++)
		free(d->reqs[i].pool.map);
}
