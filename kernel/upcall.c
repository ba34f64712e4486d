// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool relay to dmpoold, and events (DMPOOL_FEAT_CLUSTER).
 *
 * The relay.  A tool's CLUSTER_REQ (netlink_cluster.c) becomes a struct
 * dmpool_req in the table below, is multicast as REQ_NOTIFY to the
 * family's "daemon" group (only CAP_NET_ADMIN sockets may join it), and
 * the tool's handler sleeps until the daemon answers: REQ_ACCEPT within
 * DMPOOL_REQ_ACCEPT_MS, then REQ_DONE within DMPOOL_REQ_DONE_MS of the
 * accept.  A DONE without an ACCEPT counts as both.  The DONE handler
 * builds the tool's reply message (header with the tool's port and
 * sequence number, REQ_ID, REQ_STATUS, REQ_MESSAGE, REQ_RESULT) and hangs
 * it on the request; the tool's handler sends it.  This is the pattern of
 * net/handshake (notify, accept, done), with the tool's handler itself
 * waiting, so nothing is left over when the tool gives up.
 *
 * Who frees what: the request belongs to the handler that made it (the
 * waiter).  Only the waiter takes it off the table, under
 * dmpool_reqs_lock, and frees it afterwards; ACCEPT and DONE touch a
 * request only under that lock while it is on the table, so a DONE
 * racing the waiter's timeout either lands before the waiter takes the
 * lock (the waiter then replies with it: the daemon did finish) or finds
 * no request (-ENOENT, and the DONE handler frees its message).  A reply
 * hung on a request is the waiter's to send or free.  No reference
 * counts are needed.
 *
 * The waiter holds no lock while it sleeps (not dmpool_nl_lock either:
 * CLUSTER_REQ does not take it), so ACCEPT and DONE, which arrive on the
 * daemon's socket in the daemon's context, run meanwhile (the family is
 * parallel_ops).  A waiting handler also holds the core's cb_lock for
 * reading, so the family cannot be unregistered under it: at module
 * unload, dmpool_upcall_stop() first ends every wait (-ESHUTDOWN) and
 * refuses new requests, so that genl_unregister_family() does not wait
 * up to DMPOOL_REQ_DONE_MS for the waiters.
 *
 * Events.  dmpool_event_*() multicast an EVENT to the "events" group
 * (open to anyone).  They are hints (a listener that overflows gets
 * ENOBUFS and dumps the state), cost one bitmap test when nobody listens
 * (genl_has_listeners()), allocate with GFP_KERNEL and so must be called
 * where the caller may sleep, holding no spinlock.  They are sent only
 * between dmpool_upcall_start() and dmpool_upcall_stop(), while the
 * family is registered (dmpool_events_sem).  dmpool_event_listens() is
 * the bitmap test alone, for callers that defer an event to a work.
 *
 * Layering: this file sits below netlink.c and netlink_cluster.c (which
 * call it) and beside pool.c; it uses the family object (for its group
 * IDs) but calls nothing in the netlink layer.  chardev.c calls it for
 * ATTACH and DETACH, peer.c (from a per-peer work) for PEER.
 */

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "netlink.h"
#include "upcall.h"

/* The life of a relayed request; see the top of this file. */
enum dmpool_req_state {
	DMPOOL_REQ_WAITING,		/* notified, not yet accepted */
	DMPOOL_REQ_ACCEPTED,		/* the daemon took it */
	DMPOOL_REQ_FINISHED,		/* the daemon ended it: @reply is set */
	DMPOOL_REQ_ABORTED,		/* the module is unloading */
};

/**
 * struct dmpool_req - a request waiting for the daemon
 * @node:     entry in dmpool_reqs; protected by dmpool_reqs_lock
 * @id:       nonzero, unique while the module is loaded; immutable
 * @portid:   the requester's netlink port; immutable
 * @seq:      the request's sequence number; immutable
 * @state:    enum dmpool_req_state; written under dmpool_reqs_lock with
 *            WRITE_ONCE, read by the waiter's wait condition with
 *            READ_ONCE (decisions are taken under the lock)
 * @accepted: jiffies of the accept; protected by dmpool_reqs_lock
 * @reply:    the tool's reply, set with DMPOOL_REQ_FINISHED; protected
 *            by dmpool_reqs_lock; the waiter takes it
 * @wq:       the waiter sleeps here; woken on every change of @state
 */
struct dmpool_req {
	struct list_head node;
	u64 id;
	u32 portid;
	u32 seq;
	enum dmpool_req_state state;
	unsigned long accepted;
	struct sk_buff *reply;
	wait_queue_head_t wq;
};

/* Protects the request table and each request's mutable fields. */
static DEFINE_MUTEX(dmpool_reqs_lock);
static LIST_HEAD(dmpool_reqs);		/* protected by dmpool_reqs_lock */
static unsigned int dmpool_reqs_nr;	/* protected by dmpool_reqs_lock */
static u64 dmpool_reqs_next_id;		/* protected by dmpool_reqs_lock */
static bool dmpool_reqs_open;		/* protected by dmpool_reqs_lock */

/* Events are sent only while the family is registered. */
static DECLARE_RWSEM(dmpool_events_sem);
static bool dmpool_events_open;		/* protected by dmpool_events_sem */

/**
 * dmpool_upcall_start() - open the relay and the events
 *
 * Called once the family is registered.
 */
void dmpool_upcall_start(void)
{
	mutex_lock(&dmpool_reqs_lock);
	dmpool_reqs_open = true;
	mutex_unlock(&dmpool_reqs_lock);
	down_write(&dmpool_events_sem);
	dmpool_events_open = true;
	up_write(&dmpool_events_sem);
}

/**
 * dmpool_upcall_stop() - end every wait, refuse new requests and events
 *
 * Called before the family is unregistered: the waiters return at once
 * (-ESHUTDOWN), so that genl_unregister_family(), which waits for every
 * handler of the family, does not wait for the daemon.
 */
void dmpool_upcall_stop(void)
{
	struct dmpool_req *req;

	down_write(&dmpool_events_sem);
	dmpool_events_open = false;
	up_write(&dmpool_events_sem);

	mutex_lock(&dmpool_reqs_lock);
	dmpool_reqs_open = false;
	list_for_each_entry(req, &dmpool_reqs, node) {
		if (req->state == DMPOOL_REQ_FINISHED)
			continue;	/* the waiter sends its reply */
		WRITE_ONCE(req->state, DMPOOL_REQ_ABORTED);
		wake_up(&req->wq);
	}
	mutex_unlock(&dmpool_reqs_lock);
}

/* Whether a socket (a daemon) is in the "daemon" group now. */
bool dmpool_upcall_daemon_listens(void)
{
	return genl_has_listeners(&dmpool_genl_family, &init_net,
				  DMPOOL_NL_GROUP_DAEMON) > 0;
}

static struct dmpool_req *dmpool_req_find(u64 id)
{
	struct dmpool_req *req;

	lockdep_assert_held(&dmpool_reqs_lock);
	list_for_each_entry(req, &dmpool_reqs, node) {
		if (req->id == id)
			return req;
	}
	return NULL;
}

/* Put @req on the table with a new ID: 0, -EBUSY or -ESHUTDOWN. */
static int dmpool_req_add(struct dmpool_req *req,
			  struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&dmpool_reqs_lock);
	if (!dmpool_reqs_open) {
		NL_SET_ERR_MSG(extack, "the dmpool module is being unloaded");
		err = -ESHUTDOWN;
	} else if (dmpool_reqs_nr >= DMPOOL_REQS_MAX) {
		NL_SET_ERR_MSG(extack,
			       "too many requests are waiting for dmpoold");
		err = -EBUSY;
	} else {
		if (!++dmpool_reqs_next_id)
			++dmpool_reqs_next_id;
		req->id = dmpool_reqs_next_id;
		list_add_tail(&req->node, &dmpool_reqs);
		dmpool_reqs_nr++;
	}
	mutex_unlock(&dmpool_reqs_lock);
	return err;
}

/* Take @req off the table; the reply hung on it, or NULL. */
static struct sk_buff *dmpool_req_del(struct dmpool_req *req)
{
	struct sk_buff *reply;

	lockdep_assert_held(&dmpool_reqs_lock);
	list_del(&req->node);
	dmpool_reqs_nr--;
	reply = req->reply;
	req->reply = NULL;
	return reply;
}

/* Multicast REQ_NOTIFY for @req to the daemon group. */
static int dmpool_req_notify(const struct dmpool_req *req,
			     const struct dmpool_upcall_req *r,
			     struct netlink_ext_ack *extack)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			  3 * nla_total_size(sizeof(u32)) +
			  (r->args ? nla_total_size(nla_len(r->args)) : 0),
			  GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(extack, "out of memory");
		return -ENOMEM;
	}
	hdr = genlmsg_put(msg, 0, 0, &dmpool_genl_family, 0,
			  DMPOOL_CMD_REQ_NOTIFY);
	if (!hdr ||
	    nla_put_u64_64bit(msg, DMPOOL_A_REQ_ID, req->id, DMPOOL_A_PAD) ||
	    nla_put_u32(msg, DMPOOL_A_REQ_KIND, r->kind) ||
	    nla_put_u32(msg, DMPOOL_A_REQ_UID, r->uid) ||
	    nla_put_u32(msg, DMPOOL_A_REQ_GID, r->gid) ||
	    (r->args && nla_put(msg, DMPOOL_A_REQ_ARGS | NLA_F_NESTED,
				nla_len(r->args), nla_data(r->args)))) {
		/* The message was sized for these attributes. */
		WARN_ON_ONCE(1);
		nlmsg_free(msg);
		NL_SET_ERR_MSG(extack, "notify message too small");
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);

	err = genlmsg_multicast(&dmpool_genl_family, msg, 0,
				DMPOOL_NL_GROUP_DAEMON, GFP_KERNEL);
	if (err == -ESRCH) {
		/* The daemon left since the caller looked. */
		NL_SET_ERR_MSG(extack, "no dmpoold is running on this node");
		return -ENOTCONN;
	}
	if (err)
		NL_SET_ERR_MSG(extack,
			       "cannot pass the request to dmpoold: its socket is full");
	return err;
}

/*
 * Sleep until @req is finished, aborted, or its current deadline passes,
 * or a signal comes.  Return with dmpool_reqs_lock held: 0 (finished),
 * -ETIMEDOUT, -EINTR or -ESHUTDOWN, with the extack set.
 */
static int dmpool_req_wait(struct dmpool_req *req,
			   struct netlink_ext_ack *extack)
{
	enum dmpool_req_state seen = DMPOOL_REQ_WAITING;
	unsigned long deadline;
	long left;

	might_sleep();
	deadline = jiffies + msecs_to_jiffies(DMPOOL_REQ_ACCEPT_MS);
	for (;;) {
		left = time_after(deadline, jiffies) ? deadline - jiffies : 0;
		left = wait_event_interruptible_timeout(req->wq,
							READ_ONCE(req->state) !=
							seen, left);

		mutex_lock(&dmpool_reqs_lock);
		switch (req->state) {
		case DMPOOL_REQ_FINISHED:
			return 0;
		case DMPOOL_REQ_ABORTED:
			NL_SET_ERR_MSG(extack,
				       "the dmpool module is being unloaded");
			return -ESHUTDOWN;
		case DMPOOL_REQ_ACCEPTED:
			if (seen == DMPOOL_REQ_WAITING) {
				/* Now the daemon has DONE_MS from its accept. */
				seen = DMPOOL_REQ_ACCEPTED;
				deadline = req->accepted +
					   msecs_to_jiffies(DMPOOL_REQ_DONE_MS);
				mutex_unlock(&dmpool_reqs_lock);
				continue;
			}
			break;
		case DMPOOL_REQ_WAITING:
			break;
		}
		if (left < 0 || signal_pending(current)) {
			NL_SET_ERR_MSG(extack,
				       "interrupted while waiting for dmpoold; the request may still take effect");
			return -EINTR;
		}
		if (!time_before(jiffies, deadline)) {
			if (seen == DMPOOL_REQ_WAITING)
				NL_SET_ERR_MSG(extack,
					       "dmpoold did not take the request");
			else
				NL_SET_ERR_MSG(extack,
					       "dmpoold did not finish the request");
			return -ETIMEDOUT;
		}
		/* Woken early without a change for us: sleep on. */
		mutex_unlock(&dmpool_reqs_lock);
	}
}

/**
 * dmpool_upcall_request() - relay a tool's request to the daemon and wait
 * @r:      the request
 * @reply:  out: on success, the tool's reply message, for the caller to
 *          send (genlmsg_reply()) or free
 * @extack: where to say what went wrong
 *
 * Sleeps up to DMPOOL_REQ_ACCEPT_MS + DMPOOL_REQ_DONE_MS; a signal ends
 * the wait.  The request is gone from the table on return, whatever the
 * outcome: a late ACCEPT or DONE gets -ENOENT.
 *
 * Return: 0 with *@reply set, or -ENOTCONN (no daemon), -EBUSY (too many
 * waiting), -ETIMEDOUT, -EINTR, -ESHUTDOWN, -ENOMEM, -ENOBUFS, with the
 * extack set.
 */
int dmpool_upcall_request(const struct dmpool_upcall_req *r,
			  struct sk_buff **reply,
			  struct netlink_ext_ack *extack)
{
	struct dmpool_req *req;
	struct sk_buff *msg;
	int err;

	might_sleep();
	*reply = NULL;
	if (!dmpool_upcall_daemon_listens()) {
		NL_SET_ERR_MSG(extack, "no dmpoold is running on this node");
		return -ENOTCONN;
	}
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req) {
		NL_SET_ERR_MSG(extack, "out of memory");
		return -ENOMEM;
	}
	req->portid = r->portid;
	req->seq = r->seq;
	req->state = DMPOOL_REQ_WAITING;
	init_waitqueue_head(&req->wq);
	err = dmpool_req_add(req, extack);
	if (err)
		goto err_free;

	err = dmpool_req_notify(req, r, extack);
	if (err) {
		mutex_lock(&dmpool_reqs_lock);
	} else {
		/* Returns with dmpool_reqs_lock held. */
		err = dmpool_req_wait(req, extack);
	}
	msg = dmpool_req_del(req);
	mutex_unlock(&dmpool_reqs_lock);
	if (!err)
		*reply = msg;
	else
		nlmsg_free(msg);	/* NULL unless finished */
err_free:
	kfree(req);
	return err;
}

/**
 * dmpool_upcall_accept() - the daemon takes request @id
 * @id: the request's ID
 *
 * Return: 0, -ENOENT no such request is waiting (unknown, expired, or
 * the module is unloading), -EALREADY accepted or finished already.
 */
int dmpool_upcall_accept(u64 id)
{
	struct dmpool_req *req;
	int err = 0;

	mutex_lock(&dmpool_reqs_lock);
	req = dmpool_req_find(id);
	if (!req || req->state == DMPOOL_REQ_ABORTED) {
		err = -ENOENT;
	} else if (req->state != DMPOOL_REQ_WAITING) {
		err = -EALREADY;
	} else {
		req->accepted = jiffies;
		WRITE_ONCE(req->state, DMPOOL_REQ_ACCEPTED);
		wake_up(&req->wq);
	}
	mutex_unlock(&dmpool_reqs_lock);
	return err;
}

/**
 * dmpool_upcall_done() - the daemon ends request @id
 * @id:      the request's ID
 * @status:  REQ_STATUS, 0 or a positive errno
 * @message: REQ_MESSAGE (NUL-terminated), or NULL
 * @result:  REQ_RESULT (a nest, at most DMPOOL_REQ_RESULT_MAX bytes), or
 *           NULL
 *
 * Builds the tool's reply with the daemon's attributes as they are and
 * hands it to the waiter.  A request not accepted yet is accepted by this.
 *
 * Return: 0, -ENOMEM, -ENOENT no such request is waiting, -EALREADY it
 * is finished already.
 */
int dmpool_upcall_done(u64 id, u32 status, const char *message,
		       const struct nlattr *result)
{
	struct dmpool_req *req;
	struct sk_buff *msg;
	void *hdr;
	int err = 0;

	might_sleep();
	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(sizeof(u32)) +
			  (message ? nla_total_size(strlen(message) + 1) : 0) +
			  (result ? nla_total_size(nla_len(result)) : 0),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&dmpool_reqs_lock);
	req = dmpool_req_find(id);
	if (!req || req->state == DMPOOL_REQ_ABORTED) {
		err = -ENOENT;
		goto out_unlock;
	}
	if (req->state == DMPOOL_REQ_FINISHED) {
		err = -EALREADY;
		goto out_unlock;
	}
	hdr = genlmsg_put(msg, req->portid, req->seq, &dmpool_genl_family, 0,
			  DMPOOL_CMD_CLUSTER_REQ);
	if (!hdr ||
	    nla_put_u64_64bit(msg, DMPOOL_A_REQ_ID, id, DMPOOL_A_PAD) ||
	    nla_put_u32(msg, DMPOOL_A_REQ_STATUS, status) ||
	    (message && nla_put_string(msg, DMPOOL_A_REQ_MESSAGE, message)) ||
	    (result && nla_put(msg, DMPOOL_A_REQ_RESULT | NLA_F_NESTED,
			       nla_len(result), nla_data(result)))) {
		/* The message was sized for these attributes. */
		WARN_ON_ONCE(1);
		err = -EMSGSIZE;
		goto out_unlock;
	}
	genlmsg_end(msg, hdr);
	req->reply = msg;
	msg = NULL;
	WRITE_ONCE(req->state, DMPOOL_REQ_FINISHED);
	wake_up(&req->wq);
out_unlock:
	mutex_unlock(&dmpool_reqs_lock);
	nlmsg_free(msg);
	return err;
}

/* ------------------------------------------------------------------------
 * Events
 */

/**
 * struct dmpool_event - one EVENT's attributes
 * @kind:     DMPOOL_A_EVENT_KIND
 * @pool_id:  DMPOOL_A_POOL_ID, if nonzero
 * @name:     DMPOOL_A_POOL_NAME, if not NULL
 * @attached: DMPOOL_A_POOL_ATTACHED, if @has_attached
 * @has_attached: see @attached
 * @epoch:    DMPOOL_A_CLUSTER_EPOCH and
 * @members:  DMPOOL_A_CLUSTER_MEMBERS, for DMPOOL_EVENT_CLUSTER
 * @node_id:  DMPOOL_A_NODE_ID and
 * @peer_state: DMPOOL_A_PEER_STATE, for DMPOOL_EVENT_PEER
 */
struct dmpool_event {
	u32 kind;
	u64 pool_id;
	const char *name;
	u32 attached;
	bool has_attached;
	u64 epoch;
	u64 members;
	u32 node_id;
	u32 peer_state;
};

static int dmpool_event_fill(struct sk_buff *msg, const struct dmpool_event *ev)
{
	if (nla_put_u32(msg, DMPOOL_A_EVENT_KIND, ev->kind) ||
	    (ev->pool_id &&
	     nla_put_u64_64bit(msg, DMPOOL_A_POOL_ID, ev->pool_id,
			       DMPOOL_A_PAD)) ||
	    (ev->name && nla_put_string(msg, DMPOOL_A_POOL_NAME, ev->name)) ||
	    (ev->has_attached &&
	     nla_put_u32(msg, DMPOOL_A_POOL_ATTACHED, ev->attached)))
		return -EMSGSIZE;
	if (ev->kind == DMPOOL_EVENT_CLUSTER &&
	    (nla_put_u64_64bit(msg, DMPOOL_A_CLUSTER_EPOCH, ev->epoch,
			       DMPOOL_A_PAD) ||
	     nla_put_u64_64bit(msg, DMPOOL_A_CLUSTER_MEMBERS, ev->members,
			       DMPOOL_A_PAD)))
		return -EMSGSIZE;
	if (ev->kind == DMPOOL_EVENT_PEER &&
	    (nla_put_u32(msg, DMPOOL_A_NODE_ID, ev->node_id) ||
	     nla_put_u32(msg, DMPOOL_A_PEER_STATE, ev->peer_state)))
		return -EMSGSIZE;
	return 0;
}

/**
 * dmpool_event_listens() - whether a socket is in the events group now
 *
 * A bitmap test, lock-free: may be called in any context, also under a
 * spinlock, to skip the work of preparing an event nobody would get.
 */
bool dmpool_event_listens(void)
{
	return genl_has_listeners(&dmpool_genl_family, &init_net,
				  DMPOOL_NL_GROUP_EVENTS) > 0;
}

/*
 * Multicast @ev to the events group, if anyone listens and the family is
 * registered.  Events are hints: no memory, nobody left (-ESRCH) or a
 * listener that overflowed (-ENOBUFS) drop it quietly.
 */
static void dmpool_event_send(const struct dmpool_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	might_sleep();
	down_read(&dmpool_events_sem);
	if (!dmpool_events_open || !dmpool_event_listens())
		goto out_unlock;
	/* KIND; ATTACHED, NODE_ID, PEER_STATE; POOL_ID, EPOCH, MEMBERS */
	msg = genlmsg_new(nla_total_size(sizeof(u32)) +
			  3 * nla_total_size(sizeof(u32)) +
			  3 * nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(DMPOOL_POOL_NAME_MAX + 1),
			  GFP_KERNEL);
	if (!msg)
		goto out_unlock;
	hdr = genlmsg_put(msg, 0, 0, &dmpool_genl_family, 0,
			  DMPOOL_CMD_EVENT);
	/* The message was sized for every kind of event. */
	if (WARN_ON_ONCE(!hdr || dmpool_event_fill(msg, ev))) {
		nlmsg_free(msg);
		goto out_unlock;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&dmpool_genl_family, msg, 0, DMPOOL_NL_GROUP_EVENTS,
			  GFP_KERNEL);
out_unlock:
	up_read(&dmpool_events_sem);
}

/**
 * dmpool_event_pool() - a pool was created or destroyed on this node
 * @kind:    DMPOOL_EVENT_POOL_NEW or DMPOOL_EVENT_POOL_DEL
 * @pool_id: the pool's ID
 * @name:    the pool's name
 *
 * May sleep; the caller holds no spinlock.
 */
void dmpool_event_pool(u32 kind, u64 pool_id, const char *name)
{
	struct dmpool_event ev = {
		.kind = kind, .pool_id = pool_id, .name = name,
	};

	dmpool_event_send(&ev);
}

/**
 * dmpool_event_attach() - a file attached to or detached from a pool
 * @kind:     DMPOOL_EVENT_ATTACH or DMPOOL_EVENT_DETACH
 * @pool_id:  the pool's ID
 * @attached: this node's attachments of the pool after the event
 *
 * May sleep; the caller holds no spinlock.
 */
void dmpool_event_attach(u32 kind, u64 pool_id, u32 attached)
{
	struct dmpool_event ev = {
		.kind = kind, .pool_id = pool_id,
		.attached = attached, .has_attached = true,
	};

	dmpool_event_send(&ev);
}

/**
 * dmpool_event_cluster() - the daemon reported a new cluster state
 * @epoch:   CLUSTER_EPOCH
 * @members: CLUSTER_MEMBERS
 *
 * May sleep; the caller holds no spinlock.
 */
void dmpool_event_cluster(u64 epoch, u64 members)
{
	struct dmpool_event ev = {
		.kind = DMPOOL_EVENT_CLUSTER, .epoch = epoch,
		.members = members,
	};

	dmpool_event_send(&ev);
}

/**
 * dmpool_event_peer() - a peer's state (as PEER_GET reports it) changed
 * @node_id: the peer's node ID
 * @state:   its DMPOOL_PEER_* now
 *
 * May sleep; the caller holds no lock (peer.c sends from a work).
 */
void dmpool_event_peer(u32 node_id, u32 state)
{
	struct dmpool_event ev = {
		.kind = DMPOOL_EVENT_PEER, .node_id = node_id,
		.peer_state = state,
	};

	dmpool_event_send(&ev);
}
