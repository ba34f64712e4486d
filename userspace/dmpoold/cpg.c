// SPDX-License-Identifier: GPL-2.0
/*
 * corosync CPG: membership, the sync of the snapshot, and the delivery of
 * change messages in total order.
 *
 * States of a daemon:
 *
 *	STANDALONE --cpg_join ok--> SYNCING --all SYNCs--> SYNCED
 *	     ^                        ^  |                    |
 *	     |                        |  +--joins--(restart)  |
 *	     +--corosync gone---------+--confchg with joins---+
 *
 * The sync rule.  A configuration change that adds members starts a sync
 * round on every member at the same point of the total order: each member
 * multicasts SYNC with its snapshot; a member that has received SYNC from
 * every current member adopts the one with the highest quorum generation,
 * then the highest epoch, ties to the lowest node ID (st_sync_pick), then
 * re-applies the membership to it.
 * Since CPG delivers the same messages in the same order to all members,
 * all adopt the same snapshot.  Change messages delivered during a round
 * are kept and applied in order after adoption, on every member alike.
 * Another change adding members restarts the round; one that only removes
 * members just stops waiting for them.
 *
 * Quorum is derived, not read from votequorum: a strict majority of the
 * commissioned nodes (the snapshot's nodes but a JOINING one, cl_quorate)
 * in the CPG membership.  It is a function of the snapshot and the
 * membership only, so every daemon decides alike whether a change may be
 * applied.  corosync's nodelist is read once, to seed an empty snapshot
 * (cl_seed), never to decide quorum.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cmap.h>
#include <corosync/cpg.h>

#include "daemon.h"
#include "modnl.h"

/* APPLIED messages kept for a retry; more are dropped (relay times out). */
#define CPG_APPLIED_RETRY	32

struct deferred {
	uint32_t from;
	uint8_t *buf;
	size_t len;
};

struct cpg_ctx {
	cpg_handle_t h;
	int fd;
	struct cl_round r;		/* member bitmaps of the round */
	uint8_t *best;			/* encoded snapshot to adopt so far */
	size_t best_len;
	uint64_t best_qgen, best_epoch;
	uint32_t best_id;
	struct deferred *q;
	size_t nq, capq;
	/* Sends that failed, retried every tick (cpg_tick). */
	bool sync_due, announce_due;
	struct cpgp_msg applied[CPG_APPLIED_RETRY];
	size_t napplied;
};

static struct daemon *the_daemon;

static uint64_t bit(uint32_t id)
{
	return id >= 1 && id <= 64 ? 1ULL << (id - 1) : 0;
}

static bool quorate_now(struct daemon *d)
{
	return cl_quorate(&d->snap, d->members, d->nmembers);
}

int cpg_send(struct daemon *d, const struct cpgp_msg *m)
{
	struct iovec iov;
	uint8_t *buf;
	size_t len;
	cs_error_t err;
	int tries;

	if (!d->cpg || !d->in_cpg)
		return -ENOTCONN;
	if (cpgp_encode(m, &buf, &len) < 0)
		return -ENOMEM;
	iov.iov_base = buf;
	iov.iov_len = len;
	for (tries = 0; tries < 200; tries++) {
		err = cpg_mcast_joined(d->cpg->h, CPG_TYPE_AGREED, &iov, 1);
		if (err != CS_ERR_TRY_AGAIN)
			break;
		usleep(10000);
	}
	free(buf);
	if (err != CS_OK) {
		logmsg(LOG_ERR, "sending %s: corosync error %d",
		       cpgp_type_name(m->type), err);
		return -EIO;
	}
	return 0;
}

/* Exit rather than diverge from the other daemons. */
static void out_of_memory(const char *what)
{
	logmsg(LOG_CRIT, "out of memory %s: exiting rather than diverging "
	       "from the cluster", what);
	exit(3);
}

static void send_applied(struct daemon *d, const struct cpgp_msg *m,
			 int status, const char *msg)
{
	struct cpg_ctx *c = d->cpg;
	struct cpgp_msg a = {
		.type = CPGP_APPLIED, .origin = m->origin, .req = m->req,
		.node = d->self_id, .status = (uint32_t)status,
	};

	snprintf(a.message, sizeof(a.message), "%s", msg ? msg : "");
	if (c->napplied || cpg_send(d, &a) < 0) {
		if (c->napplied < CPG_APPLIED_RETRY)
			c->applied[c->napplied++] = a;
		else
			logmsg(LOG_ERR, "APPLIED for node %u's request %llu "
			       "dropped: too many waiting for corosync",
			       a.origin, (unsigned long long)a.req);
	}
}

/* A change message, in delivery order, with the snapshot synced. */
static void handle_change(struct daemon *d, const struct cpgp_msg *m)
{
	struct cl_outcome o;
	char why[300] = "";
	int mst = 0;

	if (m->type == CPGP_APPLIED) {
		relay_applied(d, m);
		return;
	}
	cl_apply(&d->snap, m, d->quorate, is_member(d, m->node), &o);
	/* COMMISSION, DECOMMISSION, an announce may change the total. */
	if (o.changed)
		d->quorate = quorate_now(d);
	if (d->verbose || (o.status && m->origin))
		logmsg(LOG_INFO, "%s: %s%s%s (epoch %llu)",
		       cpgp_type_name(m->type), o.status ? strerror(o.status) : "ok",
		       o.msg[0] ? ": " : "", o.msg,
		       (unsigned long long)d->snap.epoch);
	if (o.changed) {
		persist(d);
		mst = apply_module(d, &o, why, sizeof(why));
		life_snapshot_changed(d);
	}
	if (m->type == CPGP_COMMISSION || m->type == CPGP_DECOMMISSION)
		commission_applied(d, m, &o);
	if (m->origin) {
		if (m->origin == d->self_id)
			relay_change_done(d, m, &o, mst, why);
		send_applied(d, m, o.status ? o.status : mst,
			     o.status ? o.msg : why);
	}
}

static void announce_self(struct daemon *d)
{
	struct cpgp_msg m = { .type = CPGP_NODE_ANNOUNCE, .node = d->self_id };

	m.addr_len = d->conf.has_addr ?
		     (d->conf.addr_family == AF_INET ? 4 : 16) : 0;
	memcpy(m.addr, d->conf.addr, 16);
	m.port = d->conf.port;
	m.capacity = module_capacity(d);
	snprintf(m.version, sizeof(m.version), "%s", DMPOOLD_VERSION_STR);
	d->cpg->announce_due = cpg_send(d, &m) < 0;
}

static void adopt(struct daemon *d)
{
	struct cpg_ctx *c = d->cpg;
	struct cl_outcome o;
	char why[300], sum_s[17];
	uint8_t sum[DMPOOL_CHECKSUM_LEN];
	size_t i;

	c->r.syncing = false;
	if (c->best && st_decode(&d->snap, c->best, c->best_len, why,
				 sizeof(why)) < 0)
		logmsg(LOG_ERR, "adopting node %u's snapshot: %s", c->best_id, why);
	free(c->best);
	c->best = NULL;
	cl_membership(&d->snap, d->members, d->nmembers, d->cluster_name, &o);
	d->quorate = quorate_now(d);
	d->synced = true;
	if (d->snap_unknown && (c->r.got & ~bit(d->self_id))) {
		logmsg(LOG_NOTICE, "snapshot synced with other nodes: module "
		       "pools that left it may be removed again");
		d->snap_unknown = false;
	}
	st_checksum(&d->snap, sum);
	if (d->join_pending && d->nmembers > 1) {
		d->adopt_ms = (int64_t)(now_ms() - d->join_ms);
		logmsg(LOG_NOTICE, "joined cluster %s as node %u: state adopted in "
		       "%lld ms (epoch %llu, checksum %s, from node %u)",
		       d->snap.name, d->self_id, (long long)d->adopt_ms,
		       (unsigned long long)d->snap.epoch,
		       st_checksum_short(sum, sum_s), c->best_id);
		d->join_pending = false;
	} else if (d->join_pending) {
		logmsg(LOG_NOTICE, "alone in CPG group %s as node %u (epoch %llu, "
		       "checksum %s): waiting for the other nodes", CPGP_GROUP,
		       d->self_id, (unsigned long long)d->snap.epoch,
		       st_checksum_short(sum, sum_s));
	} else {
		logmsg(LOG_INFO, "synced: epoch %llu, checksum %s, %zu members%s",
		       (unsigned long long)d->snap.epoch,
		       st_checksum_short(sum, sum_s), d->nmembers,
		       d->quorate ? ", quorate" : ", not quorate");
	}
	persist(d);
	apply_module(d, NULL, NULL, 0);
	life_snapshot_changed(d);
	for (i = 0; i < c->nq && !c->r.syncing; i++) {
		struct cpgp_msg m;

		if (cpgp_decode(&m, c->q[i].buf, c->q[i].len, why,
				sizeof(why)) == 0)
			handle_change(d, &m);
	}
	for (i = 0; i < c->nq; i++)
		free(c->q[i].buf);
	c->nq = 0;
	announce_self(d);
	life_resend_counts(d);
}

static void maybe_adopt(struct daemon *d)
{
	struct cpg_ctx *c = d->cpg;

	if (cl_round_done(&c->r))
		adopt(d);
}

static void on_sync(struct daemon *d, uint32_t from, const struct cpgp_msg *m)
{
	struct cpg_ctx *c = d->cpg;
	uint64_t qgens[2], epochs[2];
	uint32_t ids[2];
	struct snapshot tmp;
	char why[200];

	if (!c->r.syncing || !(c->r.expect & bit(from)) || (c->r.got & bit(from)))
		return;
	/* Check it decodes before it may win. */
	if (st_init(&tmp) < 0)
		out_of_memory("checking a SYNC");
	if (st_decode(&tmp, m->snap, m->snap_len, why, sizeof(why)) < 0) {
		logmsg(LOG_ERR, "SYNC from node %u refused: %s", from, why);
		c->r.got |= bit(from);
		st_free(&tmp);
		maybe_adopt(d);
		return;
	}
	c->r.got |= bit(from);
	if (!cl_sync_name_ok(d->snap.name[0] ? d->snap.name : d->cluster_name,
			     tmp.name)) {
		logmsg(LOG_ERR, "SYNC from node %u refused: it is of cluster '%s', "
		       "this node of '%s'", from, tmp.name,
		       d->snap.name[0] ? d->snap.name : d->cluster_name);
		st_free(&tmp);
		maybe_adopt(d);
		return;
	}
	qgens[0] = c->best_qgen;
	epochs[0] = c->best_epoch;
	ids[0] = c->best_id;
	qgens[1] = tmp.qgen;
	epochs[1] = tmp.epoch;
	ids[1] = from;
	if (!c->best || st_sync_pick(qgens, epochs, ids, 2) == 1) {
		uint8_t *copy = malloc(m->snap_len);

		if (!copy)
			out_of_memory("keeping a SYNC");
		memcpy(copy, m->snap, m->snap_len);
		free(c->best);
		c->best = copy;
		c->best_len = m->snap_len;
		c->best_qgen = tmp.qgen;
		c->best_epoch = tmp.epoch;
		c->best_id = from;
	}
	st_free(&tmp);
	maybe_adopt(d);
}

static void defer(struct cpg_ctx *c, uint32_t from, const void *msg,
		  size_t len)
{
	if (c->nq == c->capq) {
		size_t cap = c->capq ? c->capq * 2 : 32;
		struct deferred *q = realloc(c->q, cap * sizeof(*q));

		if (!q)
			out_of_memory("deferring a message");
		c->q = q;
		c->capq = cap;
	}
	c->q[c->nq].buf = malloc(len);
	if (!c->q[c->nq].buf)
		out_of_memory("deferring a message");
	memcpy(c->q[c->nq].buf, msg, len);
	c->q[c->nq].len = len;
	c->q[c->nq].from = from;
	c->nq++;
}

static void deliver_cb(cpg_handle_t h, const struct cpg_name *group,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct daemon *d = the_daemon;
	struct cpgp_msg m;
	char why[200];

	(void)h;
	(void)group;
	(void)pid;
	if (cpgp_decode(&m, msg, len, why, sizeof(why)) < 0) {
		logmsg(LOG_WARNING, "CPG message from node %u dropped: %s",
		       nodeid, why);
		return;
	}
	if (m.type == CPGP_SYNC) {
		if (nodeid == d->self_id)
			d->cpg->sync_due = false;
		on_sync(d, nodeid, &m);
		return;
	}
	/* A node speaks only for itself. */
	if ((m.type == CPGP_NODE_ANNOUNCE || m.type == CPGP_ATTACH_COUNT ||
	     m.type == CPGP_APPLIED) && m.node != nodeid)
		return;
	/* A request's change comes from its origin (APPLIED from anyone). */
	if (m.type != CPGP_APPLIED && m.origin && m.origin != nodeid)
		return;
	/*
	 * APPLIED changes no snapshot and always follows, in the order, its
	 * change as applied here: never deferred (nor dropped with the
	 * deferred messages of a restarted round).
	 */
	if (m.type == CPGP_APPLIED) {
		relay_applied(d, &m);
		return;
	}
	if (d->cpg->r.syncing || !d->synced) {
		defer(d->cpg, nodeid, msg, len);
		return;
	}
	handle_change(d, &m);
}

static void send_sync(struct daemon *d)
{
	struct cpgp_msg m = { .type = CPGP_SYNC, .node = d->self_id };
	uint8_t *buf;
	size_t len;

	if (st_encode(&d->snap, &buf, &len) < 0)
		out_of_memory("encoding our SYNC");
	m.snap = buf;
	m.snap_len = len;
	/* Until it is sent, the round cannot complete: retried every tick. */
	d->cpg->sync_due = cpg_send(d, &m) < 0;
	free(buf);
}

/*
 * A round restarted: drop its deferred messages (cl_round_confchg), and
 * end this daemon's requests among them; the attach counts among them
 * are re-sent after the adoption anyway.
 */
static void drop_deferred(struct daemon *d)
{
	struct cpg_ctx *c = d->cpg;
	char why[200];
	size_t i;

	if (c->nq)
		logmsg(LOG_NOTICE, "sync round restarted: %zu deferred messages "
		       "dropped", c->nq);
	for (i = 0; i < c->nq; i++) {
		struct cpgp_msg m;

		if (cpgp_decode(&m, c->q[i].buf, c->q[i].len, why,
				sizeof(why)) == 0 && m.origin == d->self_id)
			relay_abort(d, m.req, EAGAIN,
				    "cluster membership changed, retry");
		free(c->q[i].buf);
	}
	c->nq = 0;
}

static void confchg_cb(cpg_handle_t h, const struct cpg_name *group,
		       const struct cpg_address *members, size_t nmembers,
		       const struct cpg_address *left, size_t nleft,
		       const struct cpg_address *joined, size_t njoined)
{
	struct daemon *d = the_daemon;
	struct cpg_ctx *c = d->cpg;
	struct cl_outcome o;
	size_t i;

	size_t before = d->nmembers;

	(void)h;
	(void)group;
	d->nmembers = 0;
	for (i = 0; i < nmembers && i < DMPOOL_NODES_MAX; i++)
		d->members[d->nmembers++] = members[i].nodeid;
	/*
	 * The join is measured from our own join, or, if corosync first
	 * formed a membership of this node alone, from the change that
	 * brings the others.
	 */
	for (i = 0; i < njoined; i++) {
		if (joined[i].nodeid == d->self_id && !d->synced) {
			d->join_ms = now_ms();
			d->join_pending = true;
		}
	}
	if (d->join_pending && before <= 1 && d->nmembers > 1)
		d->join_ms = now_ms();
	for (i = 0; i < nleft; i++)
		logmsg(LOG_INFO, "node %u left", left[i].nodeid);
	for (i = 0; i < njoined; i++)
		logmsg(LOG_INFO, "node %u joined", joined[i].nodeid);
	cl_membership(&d->snap, d->members, d->nmembers, d->cluster_name, &o);
	d->quorate = quorate_now(d);
	relay_membership(d);
	if (cl_round_confchg(&c->r, members_mask(d), njoined > 0))
		drop_deferred(d);
	if (njoined) {
		free(c->best);
		c->best = NULL;
		c->best_qgen = 0;
		c->best_epoch = 0;
		c->best_id = 0;
		send_sync(d);
		return;
	}
	if (c->r.syncing) {
		maybe_adopt(d);
		return;
	}
	if (o.changed)
		persist(d);
	apply_cluster_set(d);
	life_snapshot_changed(d);
}

static void read_cmap(struct daemon *d)
{
	cmap_handle_t cm;
	char key[128], *s = NULL;
	uint32_t id, ids[DMPOOL_NODES_MAX];
	size_t count = 0;
	int i;

	if (cmap_initialize(&cm) != CS_OK)
		return;
	if (cmap_get_string(cm, "totem.cluster_name", &s) == CS_OK && s) {
		snprintf(d->cluster_name, sizeof(d->cluster_name), "%s", s);
		free(s);
	}
	for (i = 0; i < 256; i++) {
		snprintf(key, sizeof(key), "nodelist.node.%d.nodeid", i);
		if (cmap_get_uint32(cm, key, &id) != CS_OK)
			break;
		if (count < DMPOOL_NODES_MAX)
			ids[count++] = id;
		if (id != d->self_id || d->conf.has_addr)
			continue;
		snprintf(key, sizeof(key), "nodelist.node.%d.ring0_addr", i);
		s = NULL;
		if (cmap_get_string(cm, key, &s) == CS_OK && s) {
			if (inet_pton(AF_INET, s, d->conf.addr) == 1) {
				d->conf.addr_family = AF_INET;
				d->conf.has_addr = true;
			} else if (inet_pton(AF_INET6, s, d->conf.addr) == 1) {
				d->conf.addr_family = AF_INET6;
				d->conf.has_addr = true;
			}
			free(s);
		}
	}
	cmap_finalize(cm);
	cl_seed(&d->snap, ids, count);
}

int cpg_start(struct daemon *d)
{
	static cpg_callbacks_t cbs = {
		.cpg_deliver_fn = deliver_cb,
		.cpg_confchg_fn = confchg_cb,
	};
	struct cpg_name name;
	unsigned int local;
	struct cpg_ctx *c;

	the_daemon = d;
	if (!d->cpg) {
		d->cpg = calloc(1, sizeof(*d->cpg));
		if (!d->cpg)
			return -1;
		d->cpg->fd = -1;
	}
	c = d->cpg;
	if (cpg_initialize(&c->h, &cbs) != CS_OK)
		return -1;
	if (cpg_local_get(c->h, &local) != CS_OK || local < 1 ||
	    local > DMPOOL_NODES_MAX) {
		logmsg(LOG_ERR, "corosync node ID out of range 1..%d",
		       DMPOOL_NODES_MAX);
		cpg_finalize(c->h);
		return -1;
	}
	if (d->conf.node_id && d->conf.node_id != local)
		logmsg(LOG_WARNING, "node_id %u in the configuration, corosync "
		       "says %u: using corosync's", d->conf.node_id, local);
	d->self_id = local;
	read_cmap(d);
	module_setup(d);
	snprintf(name.value, sizeof(name.value), "%s", CPGP_GROUP);
	name.length = (uint32_t)strlen(CPGP_GROUP);
	if (cpg_join(c->h, &name) != CS_OK ||
	    cpg_fd_get(c->h, &c->fd) != CS_OK) {
		cpg_finalize(c->h);
		return -1;
	}
	d->in_cpg = true;
	d->synced = false;
	logmsg(LOG_INFO, "joined CPG group %s as node %u", CPGP_GROUP, local);
	return 0;
}

int cpg_fd(struct daemon *d)
{
	return d->cpg && d->in_cpg ? d->cpg->fd : -1;
}

static void gone(struct daemon *d)
{
	struct cpg_ctx *c = d->cpg;
	size_t i;

	cpg_finalize(c->h);
	d->in_cpg = false;
	d->synced = false;
	d->nmembers = 0;
	d->quorate = false;
	c->r.syncing = false;
	free(c->best);
	c->best = NULL;
	for (i = 0; i < c->nq; i++)
		free(c->q[i].buf);
	c->nq = 0;
	c->sync_due = c->announce_due = false;
	c->napplied = 0;
	relay_membership(d);
	apply_cluster_set(d);
}

void cpg_dispatch_all(struct daemon *d)
{
	cs_error_t err;

	if (!d->in_cpg)
		return;
	err = cpg_dispatch(d->cpg->h, CS_DISPATCH_ALL);
	if (err != CS_OK && err != CS_ERR_TRY_AGAIN) {
		logmsg(LOG_WARNING, "lost corosync (error %d): standalone", err);
		gone(d);
	}
}

void cpg_tick(struct daemon *d)
{
	struct cpg_ctx *c = d->cpg;
	size_t i, n = 0;

	if (!c || !d->in_cpg)
		return;
	if (c->r.syncing && c->sync_due && !(c->r.got & bit(d->self_id)))
		send_sync(d);
	if (c->announce_due && d->synced)
		announce_self(d);
	for (i = 0; i < c->napplied; i++) {
		/* In order: stop at the first that fails again. */
		if (n || cpg_send(d, &c->applied[i]) < 0)
			c->applied[n++] = c->applied[i];
	}
	c->napplied = n;
	if (d->counts_due && d->synced)
		life_resend_counts(d);
}

void cpg_stop(struct daemon *d)
{
	struct cpg_name name;

	if (!d->cpg)
		return;
	if (d->in_cpg) {
		snprintf(name.value, sizeof(name.value), "%s", CPGP_GROUP);
		name.length = (uint32_t)strlen(CPGP_GROUP);
		cpg_leave(d->cpg->h, &name);
		gone(d);
	}
	free(d->cpg->q);
	free(d->cpg);
	d->cpg = NULL;
}
