// SPDX-License-Identifier: GPL-2.0
/*
 * Making the module match the snapshot.
 *
 * After every change applied to the snapshot (and after a sync), the
 * daemon brings its own module in line, in an order the module accepts:
 *
 *  1. PEER_ADD every other commissioned node whose address is known and
 *     is not a peer yet; PEER_DEL peers that are no nodes of the cluster
 *     (a map may only name peers, so peers come first);
 *  2. POOL_NEW (POOL_ID, NAME, SIZE, EXTENT_SIZE, MAP, POOL_UID,
 *     POOL_GID, POOL_MODE, GRANTS) for every snapshot pool the module
 *     lacks: every node gets every pool; POOL_SET (owner, group, mode,
 *     grants) for every one it has whose policy differs from the
 *     snapshot's (a cluster set, or a change made by hand or missed while
 *     the daemon was down);
 *  3. POOL_DEL for module pools with DMPOOL_POOL_ID_CLUSTER that left the
 *     snapshot: by force only when the admin destroyed them with force;
 *     an expired TTL is never forced, so a pool attached here in the
 *     meantime stays in the module (POOL_DEL says EBUSY; it is logged and
 *     retried on the next change, and at its last detach).  Pools without
 *     that bit were made by hand and are never touched.  A module pool
 *     whose ID is the snapshot's but whose name, size or extent differ is
 *     not the snapshot's pool (an ID reused after a partition): it is
 *     deleted, without force, and the snapshot's pool created.  While the
 *     snapshot is unknown (the state file was missing or unreadable and no
 *     other node has synced with us), nothing is deleted;
 *  4. CLUSTER_SET: name, epoch, checksum, members, quorate.
 *
 * It is idempotent and never recreates a pool the module has, so a daemon
 * restart (which re-adopts the module as it is) disturbs no mapped pool.
 * Start-up (module_setup) does KEY_SET, NODE_SET (only when the module
 * has no ID yet, or a different one and no peers) and MEM_SET.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "daemon.h"
#include "modnl.h"
#include "nlclient.h"

static const char *ctl_why(enum ctl_status st, const struct ctl_err *err,
			   char *buf, size_t len)
{
	if (st == CTL_KERNEL)
		snprintf(buf, len, "%s%s%s", strerror(-err->ack.error),
			 err->ack.msg[0] ? ": " : "", err->ack.msg);
	else if (st == CTL_NO_FAMILY)
		snprintf(buf, len, "the dmpool module is not loaded");
	else
		snprintf(buf, len, "%s", err->detail);
	return buf;
}

static int ctl_errno(enum ctl_status st, const struct ctl_err *err)
{
	if (st == CTL_OK)
		return 0;
	if (st == CTL_KERNEL && err->ack.error < 0)
		return -err->ack.error;
	return EIO;
}

static int node_addr_of(const struct st_node *n, struct node_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (n->addr_len != 4 && n->addr_len != 16)
		return -1;
	a->family = n->addr_len == 4 ? AF_INET : AF_INET6;
	memcpy(a->addr, n->addr, n->addr_len);
	a->port = n->port;
	return 0;
}

static void ctl_policy_of(const struct dpolicy *d, struct ctl_policy *c)
{
	memset(c, 0, sizeof(*c));
	c->has_uid = c->has_gid = c->has_mode = c->has_grants = true;
	c->uid = d->uid;
	c->gid = d->gid;
	c->mode = d->mode;
	c->ngrants = d->ngrants;
	memcpy(c->grants, d->grants, d->ngrants * sizeof(c->grants[0]));
}

/*
 * Whether the module's pool @mp has policy @want; a module without
 * policies (nothing reported) has nothing to compare.
 */
static bool policy_matches(const struct ctl_pool *mp, const struct dpolicy *want)
{
	const struct ctl_policy *c = &mp->policy;
	struct dpolicy have;

	if (!c->has_uid || !c->has_gid || !c->has_mode || !c->has_grants)
		return true;
	have.uid = c->uid;
	have.gid = c->gid;
	have.mode = c->mode;
	have.ngrants = (uint32_t)c->ngrants;
	memcpy(have.grants, c->grants, sizeof(have.grants));
	return dpolicy_equal(&have, want);
}

/* POOL_SET the snapshot's policy of @p; 0 or an errno (@why set). */
static int push_policy(struct daemon *d, const struct st_pool *p, char *why,
		       size_t len)
{
	struct pool_sel sel = { .by_id = true, .id = p->id };
	struct ctl_policy cp;
	struct ctl_err err;
	enum ctl_status st;
	char buf[300], ps[64];

	ctl_policy_of(&p->policy, &cp);
	st = ctl_policy_set(d->nl, &sel, NULL, &cp, &err);
	if (st != CTL_OK) {
		ctl_why(st, &err, buf, sizeof(buf));
		logmsg(LOG_ERR, "pool '%s' (%#llx): POOL_SET: %s", p->name,
		       (unsigned long long)p->id, buf);
		snprintf(why, len, "node %u: %s", d->self_id, buf);
		return ctl_errno(st, &err);
	}
	logmsg(LOG_INFO, "pool '%s' (%#llx): policy set here to %s", p->name,
	       (unsigned long long)p->id, dpolicy_str(&p->policy, ps, sizeof(ps)));
	return 0;
}

static bool forced(struct daemon *d, uint64_t id)
{
	size_t i;

	for (i = 0; i < d->nforce_del; i++)
		if (d->force_del[i] == id)
			return true;
	return false;
}

/* Forget forced deletions of pools the module no longer has. */
static void prune_forced(struct daemon *d, const struct ctl_pool *pools,
			 size_t np)
{
	size_t i, j, k = 0;

	for (i = 0; i < d->nforce_del; i++) {
		bool there = false;

		for (j = 0; j < np; j++)
			there |= pools[j].id == d->force_del[i];
		if (there)
			d->force_del[k++] = d->force_del[i];
	}
	d->nforce_del = k;
}

/*
 * Module pools that carry a snapshot pool's ID but are another pool:
 * delete them (no force) so that the snapshot's pool can be created; one
 * still attached here stays and is logged.  The entry of one deleted gets
 * ID 0 in @pools, out of the way of the steps below.
 */
static void drop_impostors(struct daemon *d, struct ctl_pool *pools, size_t np)
{
	struct ctl_err err;
	enum ctl_status st;
	char buf[300];
	size_t j;

	for (j = 0; j < np; j++) {
		const struct st_pool *p = st_pool_by_id(&d->snap, pools[j].id);
		struct pool_sel sel = { .by_id = true, .id = pools[j].id };

		if (!p || cl_pool_same(p, pools[j].name, pools[j].size,
				       pools[j].has_extent_size ?
				       pools[j].extent_size : 0))
			continue;
		if (d->snap_unknown) {
			/* Its ID stays taken: nothing is created over it. */
			logmsg(LOG_WARNING, "pool '%s' (%#llx) here is not the "
			       "snapshot's '%s': kept until the snapshot is known",
			       pools[j].name, (unsigned long long)pools[j].id,
			       p->name);
			continue;
		}
		st = ctl_pool_del(d->nl, &sel, 0, &err);
		if (st != CTL_OK) {
			logmsg(LOG_ERR, "pool '%s' (%#llx) here is not the snapshot's "
			       "'%s', and cannot be removed: %s", pools[j].name,
			       (unsigned long long)pools[j].id, p->name,
			       ctl_why(st, &err, buf, sizeof(buf)));
			continue;
		}
		logmsg(LOG_WARNING, "pool '%s' (%#llx) removed here: the ID is the "
		       "snapshot's '%s'", pools[j].name,
		       (unsigned long long)pools[j].id, p->name);
		pools[j].id = 0;
	}
}

static void sync_peers(struct daemon *d)
{
	struct ctl_peer *peers = NULL;
	struct ctl_err err;
	enum ctl_status st;
	char why[300];
	size_t np = 0, i, j;

	st = ctl_peer_dump(d->nl, &peers, &np, &err);
	if (st != CTL_OK) {
		logmsg(LOG_ERR, "listing the module's peers: %s",
		       ctl_why(st, &err, why, sizeof(why)));
		return;
	}
	for (i = 0; i < d->snap.nnodes; i++) {
		const struct st_node *n = &d->snap.nodes[i];
		struct node_addr a;
		bool have = false;

		if (n->id == d->self_id || node_addr_of(n, &a) < 0)
			continue;
		for (j = 0; j < np; j++)
			have |= peers[j].id == n->id;
		if (have)
			continue;
		st = ctl_peer_add(d->nl, n->id, &a, &err);
		if (st != CTL_OK)
			logmsg(LOG_ERR, "peer add %u: %s", n->id,
			       ctl_why(st, &err, why, sizeof(why)));
		else
			logmsg(LOG_INFO, "peer %u added", n->id);
	}
	for (j = 0; j < np; j++) {
		if (st_node(&d->snap, peers[j].id))
			continue;
		st = ctl_peer_del(d->nl, peers[j].id, &err);
		if (st != CTL_OK)
			logmsg(LOG_ERR, "peer del %u: %s", peers[j].id,
			       ctl_why(st, &err, why, sizeof(why)));
		else
			logmsg(LOG_INFO, "peer %u removed: no node of the cluster",
			       peers[j].id);
	}
	free(peers);
}

int apply_module(struct daemon *d, const struct cl_outcome *o, char *why,
		 size_t len)
{
	struct ctl_pool *pools = NULL, made;
	struct ctl_policy cp;
	struct ctl_err err;
	enum ctl_status st;
	char buf[300], pwhy[320];
	size_t np = 0, i, j;
	int ret = 0, pret;

	if (why && len)
		why[0] = '\0';
	if (o && o->pool && o->force && d->nforce_del < 64)
		d->force_del[d->nforce_del++] = o->pool;
	if (!d->self_id)
		return 0;
	sync_peers(d);
	st = ctl_pool_dump(d->nl, &pools, &np, &err);
	if (st != CTL_OK) {
		logmsg(LOG_ERR, "listing the module's pools: %s",
		       ctl_why(st, &err, buf, sizeof(buf)));
		return ctl_errno(st, &err);
	}
	if (d->snap_unknown) {
		bool any = false;

		for (j = 0; j < np; j++)
			any |= !!(pools[j].id & DMPOOL_POOL_ID_CLUSTER);
		/* Nothing to lose: the snapshot is as good as known. */
		if (!any)
			d->snap_unknown = false;
	}
	drop_impostors(d, pools, np);
	for (i = 0; i < d->snap.npools; i++) {
		const struct st_pool *p = &d->snap.pools[i];
		struct ctl_pool_spec spec = {
			.id = p->id, .name = p->name, .size = p->size,
			.extent_size = p->extent, .map = p->map,
			.map_len = p->nmap, .policy = &cp,
		};
		const struct ctl_pool *have = NULL;

		for (j = 0; j < np; j++)
			if (pools[j].id == p->id)
				have = &pools[j];
		if (have) {
			if (policy_matches(have, &p->policy))
				continue;
			pret = push_policy(d, p, pwhy, sizeof(pwhy));
			if (pret && o && o->pool == p->id && !ret) {
				ret = pret;
				if (why)
					snprintf(why, len, "%s", pwhy);
			}
			continue;
		}
		ctl_policy_of(&p->policy, &cp);
		st = ctl_pool_new_placed(d->nl, &spec, &made, &err);
		if (st != CTL_OK) {
			ctl_why(st, &err, buf, sizeof(buf));
			logmsg(LOG_ERR, "pool '%s' (%#llx): POOL_NEW: %s", p->name,
			       (unsigned long long)p->id, buf);
			if (o && o->pool == p->id) {
				ret = ctl_errno(st, &err);
				if (why)
					snprintf(why, len, "node %u: %s", d->self_id,
						 buf);
			}
		} else {
			logmsg(LOG_INFO, "pool '%s' (%#llx) created here",
			       p->name, (unsigned long long)p->id);
		}
	}
	for (j = 0; j < np; j++) {
		struct pool_sel sel = { .by_id = true, .id = pools[j].id };
		bool force;

		if (!(pools[j].id & DMPOOL_POOL_ID_CLUSTER) ||
		    st_pool_by_id(&d->snap, pools[j].id))
			continue;
		if (d->snap_unknown) {
			logmsg(LOG_WARNING, "pool '%s' (%#llx) is not in the "
			       "snapshot, kept: the snapshot is unknown until "
			       "another node syncs with us", pools[j].name,
			       (unsigned long long)pools[j].id);
			continue;
		}
		force = forced(d, pools[j].id);
		st = ctl_pool_del(d->nl, &sel, force ? DMPOOL_POOL_DEL_FORCE : 0,
				  &err);
		if (st == CTL_KERNEL && err.ack.error == -EBUSY)
			logmsg(LOG_WARNING, "pool '%s' (%#llx) left the cluster but "
			       "is attached here: kept until detached",
			       pools[j].name, (unsigned long long)pools[j].id);
		else if (st != CTL_OK)
			logmsg(LOG_ERR, "pool '%s' (%#llx): POOL_DEL: %s",
			       pools[j].name, (unsigned long long)pools[j].id,
			       ctl_why(st, &err, buf, sizeof(buf)));
		else
			logmsg(LOG_INFO, "pool '%s' (%#llx) removed here%s",
			       pools[j].name, (unsigned long long)pools[j].id,
			       force ? " (forced)" : "");
	}
	prune_forced(d, pools, np);
	free(pools);
	apply_cluster_set(d);
	return ret;
}

void apply_cluster_set(struct daemon *d)
{
	uint8_t sum[DMPOOL_CHECKSUM_LEN];
	int ret;

	if (!d->mn || !modnl_has_relay(d->mn) || !d->snap.name[0])
		return;
	if (st_checksum(&d->snap, sum) < 0)
		return;
	ret = modnl_cluster_set(d->mn, d->snap.name, d->snap.epoch, sum,
				members_mask(d), d->quorate);
	if (ret < 0)
		logmsg(LOG_ERR, "CLUSTER_SET: %s", strerror(-ret));
}

uint64_t module_capacity(struct daemon *d)
{
	struct ctl_mem *mem = NULL;
	struct ctl_err err;
	uint64_t cap = d->conf.memory;
	size_t n = 0, i;

	if (cap || ctl_mem_dump(d->nl, &mem, &n, &err) != CTL_OK)
		return cap;
	for (i = 0; i < n; i++)
		if (mem[i].self)
			cap = mem[i].capacity;
	free(mem);
	return cap;
}

void persist(struct daemon *d)
{
	if (st_save(&d->snap, d->conf.state_dir) < 0)
		logmsg(LOG_ERR, "saving the snapshot in %s: %s",
		       d->conf.state_dir, strerror(errno));
}

/* Read the cluster key: DMPOOL_KEY_MIN..DMPOOL_KEY_MAX bytes. */
int load_key(const char *path, uint8_t key[DMPOOL_KEY_MAX + 1], size_t *len)
{
	FILE *f = fopen(path, "rbe");
	size_t n;

	if (!f)
		return -1;
	setvbuf(f, NULL, _IONBF, 0);
	n = fread(key, 1, DMPOOL_KEY_MAX + 1, f);
	fclose(f);
	if (n < DMPOOL_KEY_MIN || n > DMPOOL_KEY_MAX) {
		explicit_bzero(key, DMPOOL_KEY_MAX + 1);
		errno = EINVAL;
		return -1;
	}
	*len = n;
	return 0;
}

int module_setup(struct daemon *d)
{
	uint8_t key[DMPOOL_KEY_MAX + 1];
	struct ctl_node node;
	struct ctl_err err;
	enum ctl_status st;
	char why[300];
	size_t klen;

	if (load_key(d->conf.key_file, key, &klen) == 0) {
		st = ctl_key_set(d->nl, key, klen, &err);
		explicit_bzero(key, sizeof(key));
		if (st != CTL_OK)
			logmsg(LOG_ERR, "KEY_SET: %s",
			       ctl_why(st, &err, why, sizeof(why)));
	} else {
		logmsg(LOG_WARNING, "no cluster key from %s (%s): the transport "
		       "stays as configured", d->conf.key_file, strerror(errno));
	}
	if (d->conf.memory) {
		st = ctl_mem_set(d->nl, d->conf.memory, &err);
		if (st != CTL_OK)
			logmsg(LOG_ERR, "MEM_SET: %s",
			       ctl_why(st, &err, why, sizeof(why)));
	}
	if (!d->self_id || (!d->conf.has_addr && !d->conf.node_id))
		return 0;
	st = ctl_node_get(d->nl, &node, &err);
	if (st != CTL_OK) {
		logmsg(LOG_ERR, "NODE_GET: %s", ctl_why(st, &err, why, sizeof(why)));
		return -1;
	}
	if (node.has_id && node.id == d->self_id &&
	    (!d->conf.has_addr ||
	     !memcmp(node.addr.addr, d->conf.addr,
		     d->conf.addr_family == AF_INET ? 4 : 16)) &&
	    node.addr.port == d->conf.port)
		return 0;
	if (node.has_id && node.peers) {
		logmsg(LOG_WARNING, "the module is node %u with %u peers: "
		       "NODE_SET left alone", node.id, node.peers);
		return 0;
	}
	if (d->conf.has_addr) {
		struct node_addr a = { .family = d->conf.addr_family,
				       .port = d->conf.port };

		memcpy(a.addr, d->conf.addr, 16);
		st = ctl_node_set(d->nl, d->self_id, &a, &err);
		if (st != CTL_OK) {
			logmsg(LOG_ERR, "NODE_SET: %s",
			       ctl_why(st, &err, why, sizeof(why)));
			return -1;
		}
		logmsg(LOG_INFO, "module set up as node %u", d->self_id);
	}
	return 0;
}
