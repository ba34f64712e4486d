// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool transport, top layer: this node, its listener and its peers.
 *
 * Node.  DMPOOL_CMD_NODE_SET gives this node its ID (1..DMPOOL_NODES_MAX)
 * and the address its listener binds; it may change only while there are
 * no peers (the ID is part of every handshake).
 *
 * Peers.  Each peer has a node ID, an address and one kernel thread,
 * "dmpool-peerN", which owns the connection to it.  Exactly one
 * connection per pair: the node with the lower ID connects, the other
 * accepts.  The thread of a peer with a higher ID than ours
 * (@connector) loops: connect (3 s timeout), handshake (auth.c), run the
 * receive loop (msg.c) until the connection ends, wait a backoff (100 ms
 * doubling to 4 s, reset by a successful connection), again.  The thread
 * of a peer with a lower ID waits for the listener to hand it an accepted
 * and authenticated socket (@incoming), then runs the receive loop.  A
 * newer incoming connection replaces the current one (the peer restarted
 * before we noticed).
 *
 * Listener.  "dmpool-listen" accepts connections and queues each on the
 * transport workqueue, where the handshake runs (so a slow or hostile
 * client delays nobody else, and holds its slot for at most the
 * handshake's absolute deadline, DMPOOL_AUTH_TIMEOUT_MS in auth.c, however
 * slowly it dribbles bytes).  The handshake asks dmpool_peer_accept_check()
 * whether the claimed node ID is a peer of ours with a lower ID; only then
 * is a MAC computed.  Accepted sockets still in their handshake are listed
 * in dmpool_pending so that stopping the listener can shut them down.
 *
 * Liveness.  While connected, a delayed work pings the peer every
 * second (a PING request through msg.c); the round trip is the peer's
 * RTT.  A ping that times out (request_timeout_ms) kills the connection,
 * and so does a receive loop that hears nothing for the idle time: a
 * powered-off peer turns DOWN within a few seconds.
 *
 * States (DMPOOL_PEER_*): CONNECTING from PEER_ADD to the first
 * connection; CONNECTED while one is up; DOWN after it ended or an attempt
 * failed; AUTH_FAILED after a handshake we started failed authentication.
 *
 * Events.  Every change of @state goes through
 * dmpool_peer_set_state_locked() under peer->lock, which queues the
 * peer's @event_work on the transport workqueue if anyone is in the
 * "events" group.  The work reads @state under the lock and, if it
 * differs from @reported (the state it last sent), sends a PEER event
 * after dropping the lock (upcall.c allocates with GFP_KERNEL and takes
 * dmpool_events_sem).  A change nobody listens to resets @reported, so
 * that the next one is sent even if it returns to the state last sent
 * (to a listener that has left since).  Changes that come faster than
 * the work runs are coalesced, but a change always queues the work again
 * after it, so the last state is always sent.  PEER_ADD queues the first
 * event (CONNECTING).  No event is sent once the peer is @stopping:
 * stopping cancels the work (cancel_work_sync()) after the peer's thread
 * stopped and before the table's reference is put, so nothing queues it
 * again and it never runs on a freed peer; PEER_DEL returns only after
 * the peer's last event.
 *
 * Counters: per peer (struct dmpool_link_stats, reconnects, auth failures,
 * malformed frames) and per node: handshakes refused for a bad or missing
 * proof, connections dropped for malformed frames (including garbage from
 * clients that never said who they are), incoming nodes we do not know.
 * An incoming handshake that fails is counted per node only and never
 * touches a peer: until the MAC checks out, the node ID in its HELLO is
 * just a claim, and anyone could make it to knock a live peer over.
 *
 * Stopping (PEER_DEL, NODE_SET, unload) never waits for the network: the
 * peer is marked @stopping, its socket shut down (which wakes connect,
 * handshake and receive at once), its ping work cancelled and its thread
 * stopped.  At unload all peers are told first and then waited for.
 *
 * Locking order: dmpool_node_lock (mutex: node identity, listener, adding
 * and removing peers) → dmpool_peer_table_lock (spinlock: the table,
 * lookups take a reference) → peer->lock (mutex: @conn, @sock, @incoming,
 * @stopping, @state, @reported) → conn->lock (msg.c).  dmpool_pending_lock
 * (mutex) is taken alone or under dmpool_node_lock; the key lock of auth.c
 * is innermost.  Handshake and event works never take dmpool_node_lock, so
 * it may flush them; an event work takes peer->lock, drops it, then
 * dmpool_events_sem (upcall.c) alone.  At most DMPOOL_PENDING_MAX
 * handshakes run at once.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "transport.h"
#include "upcall.h"

#define DMPOOL_CONNECT_TIMEOUT_MS	3000
#define DMPOOL_BACKOFF_MIN_MS		100
#define DMPOOL_BACKOFF_MAX_MS		4000
#define DMPOOL_PING_INTERVAL_MS		1000

/* peer->reported before the first PEER event: no DMPOOL_PEER_* value. */
#define DMPOOL_PEER_STATE_NONE		U32_MAX

/**
 * struct dmpool_peer - a peer node and its connection
 * @ref:        one for the table, one per lookup in progress
 * @id:         node ID; immutable
 * @addr:       address and port; immutable
 * @connector:  we connect to it (its ID is higher than ours); immutable
 * @thread:     the peer's thread; immutable; stopped before the peer is
 *              freed
 * @ping_work:  periodic PING while connected
 * @wait:       the thread waits here for @incoming
 * @conn_wait:  page requests wait here for a live @conn
 * @conn_gen:   changes whenever @conn does (WRITE_ONCE under @lock)
 * @lock:       protects @conn, @sock, @incoming, @incoming_res,
 *              @stopping, @state and @reported
 * @conn:       the live connection (its owner reference), or NULL
 * @sock:       a socket the thread is connecting or authenticating
 * @incoming:   an accepted, authenticated socket for the thread
 * @incoming_res: its handshake result
 * @stopping:   set once when the peer is deleted
 * @state:      DMPOOL_PEER_*; changed only by
 *              dmpool_peer_set_state_locked()
 * @reported:   the state the last PEER event carried, or
 *              DMPOOL_PEER_STATE_NONE; protected by @lock
 * @event_work: sends a PEER event when @state differs from @reported;
 *              cancelled before the peer is freed
 * @rtt_ns:     last PING round trip (WRITE_ONCE/READ_ONCE)
 * @stats:      traffic counters (a reference; connections and page
 *              requests hold their own)
 * @reconnects: connections after the first
 * @auth_failures: failed handshakes with this peer
 * @malformed:  connections with this peer dropped for a malformed frame
 * @connected_once: the thread had a connection before (thread only)
 */
struct dmpool_peer {
	struct kref ref;
	u32 id;
	struct sockaddr_storage addr;
	bool connector;
	struct task_struct *thread;
	struct delayed_work ping_work;
	wait_queue_head_t wait;
	wait_queue_head_t conn_wait;
	u32 conn_gen;
	struct mutex lock;	/* protects the seven fields below */
	struct dmpool_conn *conn;
	struct socket *sock;
	struct socket *incoming;
	struct dmpool_auth_result incoming_res;
	bool stopping;
	u32 state;
	u32 reported;
	struct work_struct event_work;
	u64 rtt_ns;
	struct dmpool_link_stats *stats;
	atomic64_t reconnects;
	atomic64_t auth_failures;
	atomic64_t malformed;
	bool connected_once;
};

/* An accepted socket in its handshake. */
struct dmpool_pending {
	struct list_head node;
	struct socket *sock;
	struct work_struct work;
};

static DEFINE_MUTEX(dmpool_node_lock);
/* This node; written under dmpool_node_lock, read with READ_ONCE. */
static u32 dmpool_node_id;
static struct sockaddr_storage dmpool_node_addr;
/* The listener; protected by dmpool_node_lock. */
static struct socket *dmpool_listen_sock;
static struct task_struct *dmpool_listener;

static DEFINE_SPINLOCK(dmpool_peer_table_lock);
/* Protected by dmpool_peer_table_lock; changed also under node_lock. */
static struct dmpool_peer *dmpool_peer_table[DMPOOL_NODES_MAX + 1];
static unsigned int dmpool_nr_peers;

/*
 * At most this many accepted sockets wait for their handshake at once;
 * more are closed at once, so a flood of idle clients costs little.
 */
#define DMPOOL_PENDING_MAX		64

static DEFINE_MUTEX(dmpool_pending_lock);
/* Both protected by dmpool_pending_lock. */
static LIST_HEAD(dmpool_pending);
static unsigned int dmpool_nr_pending;

static struct workqueue_struct *dmpool_transport_wq;

static atomic64_t dmpool_rejected_auth;
static atomic64_t dmpool_rejected_malformed;
static atomic64_t dmpool_rejected_unknown;

/* ---------------------------------------------------------------- table */

static void dmpool_peer_free(struct kref *ref)
{
	struct dmpool_peer *peer = container_of(ref, struct dmpool_peer, ref);

	if (peer->stats)
		dmpool_link_stats_put(peer->stats);
	mutex_destroy(&peer->lock);
	kfree(peer);
}

static void dmpool_peer_put(struct dmpool_peer *peer)
{
	kref_put(&peer->ref, dmpool_peer_free);
}

/* The peer with node ID @id, with a reference, or NULL. */
static struct dmpool_peer *dmpool_peer_lookup(u32 id)
{
	struct dmpool_peer *peer = NULL;

	if (id == 0 || id > DMPOOL_NODES_MAX)
		return NULL;
	spin_lock(&dmpool_peer_table_lock);
	peer = dmpool_peer_table[id];
	if (peer)
		kref_get(&peer->ref);
	spin_unlock(&dmpool_peer_table_lock);
	return peer;
}

/*
 * Set the state PEER_GET reports, unless the peer is stopping, and have
 * the change sent as an event (see "Events" at the top).
 */
static void dmpool_peer_set_state_locked(struct dmpool_peer *peer, u32 state)
{
	lockdep_assert_held(&peer->lock);
	if (peer->stopping || peer->state == state)
		return;
	peer->state = state;
	if (dmpool_event_listens())
		queue_work(dmpool_transport_wq, &peer->event_work);
	else
		/* Nobody saw it: the next change is news whatever it is. */
		peer->reported = DMPOOL_PEER_STATE_NONE;
}

static void dmpool_peer_set_state(struct dmpool_peer *peer, u32 state)
{
	mutex_lock(&peer->lock);
	dmpool_peer_set_state_locked(peer, state);
	mutex_unlock(&peer->lock);
}

/* Send the peer's state as a PEER event if it changed since the last. */
static void dmpool_peer_event_work(struct work_struct *work)
{
	struct dmpool_peer *peer = container_of(work, struct dmpool_peer,
						event_work);
	bool send;
	u32 state;

	mutex_lock(&peer->lock);
	state = peer->state;
	send = !peer->stopping && state != peer->reported;
	if (send)
		peer->reported = state;
	mutex_unlock(&peer->lock);
	if (send)
		dmpool_event_peer(peer->id, state);
}

/*
 * Count a failed handshake or a dropped connection by its reason; @peer
 * (may be NULL) is the peer it is charged to, never one merely claimed
 * by an unauthenticated client.
 */
static void dmpool_peer_count(struct dmpool_peer *peer, int err)
{
	switch (err) {
	case -EKEYREJECTED:
	case -ENOKEY:
		atomic64_inc(&dmpool_rejected_auth);
		if (peer) {
			atomic64_inc(&peer->auth_failures);
			dmpool_peer_set_state(peer, DMPOOL_PEER_AUTH_FAILED);
		}
		break;
	case -EPROTO:
		atomic64_inc(&dmpool_rejected_malformed);
		if (peer)
			atomic64_inc(&peer->malformed);
		break;
	case -ENOENT:
	case -EPERM:
		atomic64_inc(&dmpool_rejected_unknown);
		break;
	}
}

/* ----------------------------------------------------------------- ping */

static int dmpool_peer_ping_handler(struct dmpool_conn *conn, const void *req,
				    u32 len, void *reply, u32 *reply_len)
{
	*reply_len = 0;
	return 0;
}

static void dmpool_peer_ping(struct work_struct *work)
{
	struct dmpool_peer *peer = container_of(to_delayed_work(work),
						struct dmpool_peer, ping_work);
	struct dmpool_conn *conn;
	u32 reply_len;
	u64 t0;
	int err;

	mutex_lock(&peer->lock);
	conn = peer->conn;
	if (conn)
		kref_get(&conn->ref);
	mutex_unlock(&peer->lock);
	if (!conn)
		return;	/* the next connection re-arms it */

	t0 = ktime_get_ns();
	err = dmpool_msg_call(conn, DMPOOL_WIRE_PING, NULL, 0, NULL, 0,
			      &reply_len);
	if (!err)
		WRITE_ONCE(peer->rtt_ns, max_t(u64, ktime_get_ns() - t0, 1));
	else if (err == -ETIMEDOUT)
		dmpool_conn_kill(conn);	/* the peer is gone or stuck */

	mutex_lock(&peer->lock);
	if (!peer->stopping && peer->conn == conn)
		queue_delayed_work(dmpool_transport_wq, &peer->ping_work,
				   msecs_to_jiffies(DMPOOL_PING_INTERVAL_MS));
	mutex_unlock(&peer->lock);
	dmpool_conn_put(conn);
}

/* --------------------------------------------------------- peer thread */

/* Handshake check on the connecting side: the peer must be who we dialled. */
static int dmpool_peer_connect_check(u32 peer_id, void *arg)
{
	struct dmpool_peer *peer = arg;

	return peer_id == peer->id ? 0 : -ENOENT;
}

/* Connect to @peer and authenticate; a connection, or NULL. */
static struct dmpool_conn *dmpool_peer_connect(struct dmpool_peer *peer)
{
	struct dmpool_auth_result res;
	struct socket *sock;
	int err;

	err = dmpool_tcp_create(peer->addr.ss_family, &sock);
	if (err)
		return NULL;
	mutex_lock(&peer->lock);
	if (peer->stopping) {
		mutex_unlock(&peer->lock);
		dmpool_tcp_release(sock);
		return NULL;
	}
	peer->sock = sock;	/* so that stopping can shut it down */
	mutex_unlock(&peer->lock);

	err = dmpool_tcp_connect(sock, &peer->addr, DMPOOL_CONNECT_TIMEOUT_MS);
	if (!err)
		err = dmpool_auth_handshake(sock, READ_ONCE(dmpool_node_id),
					    dmpool_peer_connect_check, peer,
					    &res);

	mutex_lock(&peer->lock);
	peer->sock = NULL;
	mutex_unlock(&peer->lock);

	if (err) {
		dmpool_tcp_release(sock);
		dmpool_peer_count(peer, err);
		if (err != -EKEYREJECTED && err != -ENOKEY) {
			mutex_lock(&peer->lock);
			if (peer->state != DMPOOL_PEER_CONNECTING)
				dmpool_peer_set_state_locked(peer,
							     DMPOOL_PEER_DOWN);
			mutex_unlock(&peer->lock);
		}
		return NULL;
	}
	return dmpool_conn_create(sock, &res, peer->stats);
}

/* Wait for the listener to hand in a connection; NULL when stopping. */
static struct dmpool_conn *dmpool_peer_wait_incoming(struct dmpool_peer *peer)
{
	struct dmpool_auth_result res;
	struct socket *sock;

	wait_event_interruptible(peer->wait, READ_ONCE(peer->incoming) ||
				 kthread_should_stop());
	mutex_lock(&peer->lock);
	sock = peer->incoming;
	res = peer->incoming_res;
	peer->incoming = NULL;
	mutex_unlock(&peer->lock);
	if (!sock)
		return NULL;
	return dmpool_conn_create(sock, &res, peer->stats);
}

/* Use @conn until it ends, then drop it. */
static void dmpool_peer_run(struct dmpool_peer *peer, struct dmpool_conn *conn)
{
	unsigned int idle_ms;
	int err;

	mutex_lock(&peer->lock);
	if (peer->stopping) {
		mutex_unlock(&peer->lock);
		dmpool_conn_kill(conn);
		dmpool_conn_put(conn);
		return;
	}
	WRITE_ONCE(peer->conn, conn);
	WRITE_ONCE(peer->conn_gen, peer->conn_gen + 1);
	dmpool_peer_set_state_locked(peer, DMPOOL_PEER_CONNECTED);
	wake_up_all(&peer->conn_wait);
	if (peer->connected_once)
		atomic64_inc(&peer->reconnects);
	peer->connected_once = true;
	mod_delayed_work(dmpool_transport_wq, &peer->ping_work, 0);
	mutex_unlock(&peer->lock);

	/* Pings arrive every second: silence this long means trouble. */
	idle_ms = max(4 * DMPOOL_PING_INTERVAL_MS,
		      2 * READ_ONCE(dmpool_request_timeout_ms));
	err = dmpool_conn_receive(conn, idle_ms);
	if (err == -EPROTO)
		dmpool_peer_count(peer, err);

	mutex_lock(&peer->lock);
	WRITE_ONCE(peer->conn, NULL);
	WRITE_ONCE(peer->conn_gen, peer->conn_gen + 1);
	dmpool_peer_set_state_locked(peer, DMPOOL_PEER_DOWN);
	mutex_unlock(&peer->lock);
	wake_up_all(&peer->conn_wait);
	dmpool_conn_kill(conn);
	dmpool_conn_put(conn);
}

/* Sleep @ms unless the thread is being stopped. */
static void dmpool_peer_backoff(unsigned int ms)
{
	set_current_state(TASK_INTERRUPTIBLE);
	if (!kthread_should_stop())
		schedule_timeout(msecs_to_jiffies(ms));
	__set_current_state(TASK_RUNNING);
}

static int dmpool_peer_thread(void *data)
{
	struct dmpool_peer *peer = data;
	unsigned int backoff = DMPOOL_BACKOFF_MIN_MS;
	struct dmpool_conn *conn;

	while (!kthread_should_stop()) {
		if (!peer->connector) {
			conn = dmpool_peer_wait_incoming(peer);
			if (conn)
				dmpool_peer_run(peer, conn);
			continue;
		}
		conn = dmpool_peer_connect(peer);
		if (conn) {
			dmpool_peer_run(peer, conn);
			backoff = DMPOOL_BACKOFF_MIN_MS;
		}
		dmpool_peer_backoff(backoff);
		backoff = min(2 * backoff, DMPOOL_BACKOFF_MAX_MS);
	}
	return 0;
}

/*
 * Stopping a peer in two steps, so that many can be stopped at once:
 * begin wakes everything up without waiting, end waits.
 */
static void dmpool_peer_stop_begin(struct dmpool_peer *peer)
{
	mutex_lock(&peer->lock);
	WRITE_ONCE(peer->stopping, true);
	wake_up_all(&peer->conn_wait);
	if (peer->sock)
		dmpool_tcp_shutdown(peer->sock);
	if (peer->conn)
		dmpool_conn_kill(peer->conn);
	if (peer->incoming) {
		dmpool_tcp_release(peer->incoming);
		peer->incoming = NULL;
	}
	mutex_unlock(&peer->lock);
}

/*
 * After the thread (which changes @state) is gone and with @stopping set
 * (so nothing queues either work again), cancel the works, then put.
 */
static void dmpool_peer_stop_end(struct dmpool_peer *peer)
{
	kthread_stop(peer->thread);
	cancel_delayed_work_sync(&peer->ping_work);
	cancel_work_sync(&peer->event_work);
	dmpool_peer_put(peer);	/* the table's reference */
}

/* ------------------------------------------------------------- listener */

/* Handshake check on the accepting side: a known peer with a lower ID. */
static int dmpool_peer_accept_check(u32 peer_id, void *arg)
{
	struct dmpool_peer *peer = dmpool_peer_lookup(peer_id);
	int err = 0;

	if (!peer)
		return -ENOENT;
	if (peer->connector)
		err = -EPERM;	/* we connect to it, not it to us */
	dmpool_peer_put(peer);
	return err;
}

/* Hand an authenticated socket to the peer's thread. */
static int dmpool_peer_incoming(struct dmpool_peer *peer, struct socket *sock,
				const struct dmpool_auth_result *res)
{
	mutex_lock(&peer->lock);
	if (peer->stopping) {
		mutex_unlock(&peer->lock);
		return -ESHUTDOWN;
	}
	if (peer->incoming)
		dmpool_tcp_release(peer->incoming);
	peer->incoming = sock;
	peer->incoming_res = *res;
	/* The peer connected again: whatever we had is stale. */
	if (peer->conn)
		dmpool_conn_kill(peer->conn);
	mutex_unlock(&peer->lock);
	wake_up(&peer->wait);
	return 0;
}

static void dmpool_accept_work(struct work_struct *work)
{
	struct dmpool_pending *p = container_of(work, struct dmpool_pending,
						work);
	struct dmpool_auth_result res;
	struct dmpool_peer *peer;
	int err;

	err = dmpool_auth_handshake(p->sock, READ_ONCE(dmpool_node_id),
				    dmpool_peer_accept_check, NULL, &res);

	mutex_lock(&dmpool_pending_lock);
	list_del(&p->node);
	dmpool_nr_pending--;
	mutex_unlock(&dmpool_pending_lock);

	/* Only an authenticated node ID names a peer (see the top). */
	if (!err) {
		peer = dmpool_peer_lookup(res.peer_id);
		err = peer ? dmpool_peer_incoming(peer, p->sock, &res) : -ENOENT;
		if (!err)
			p->sock = NULL;	/* the peer's now */
		if (peer)
			dmpool_peer_put(peer);
	}
	if (err) {
		dmpool_peer_count(NULL, err);
		dmpool_tcp_release(p->sock);
	}
	kfree(p);
}

static int dmpool_listener_thread(void *data)
{
	struct socket *lsock = data;
	struct dmpool_pending *p;
	struct socket *sock;
	int err;

	while (!kthread_should_stop()) {
		err = dmpool_tcp_accept(lsock, &sock);
		if (err) {
			/* Shut down (we are stopping) or a passing error. */
			dmpool_peer_backoff(DMPOOL_BACKOFF_MIN_MS);
			continue;
		}
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p) {
			dmpool_tcp_release(sock);
			continue;
		}
		p->sock = sock;
		INIT_WORK(&p->work, dmpool_accept_work);
		mutex_lock(&dmpool_pending_lock);
		if (dmpool_nr_pending >= DMPOOL_PENDING_MAX) {
			mutex_unlock(&dmpool_pending_lock);
			dmpool_tcp_release(sock);
			kfree(p);
			continue;
		}
		list_add(&p->node, &dmpool_pending);
		dmpool_nr_pending++;
		mutex_unlock(&dmpool_pending_lock);
		queue_work(dmpool_transport_wq, &p->work);
	}
	return 0;
}

/* Stop the listener and abort handshakes in progress.  node_lock held. */
static void dmpool_listener_stop(void)
{
	struct dmpool_pending *p;

	if (!dmpool_listener)
		return;
	dmpool_tcp_shutdown(dmpool_listen_sock);
	kthread_stop(dmpool_listener);
	dmpool_listener = NULL;
	dmpool_tcp_release(dmpool_listen_sock);
	dmpool_listen_sock = NULL;

	mutex_lock(&dmpool_pending_lock);
	list_for_each_entry(p, &dmpool_pending, node)
		dmpool_tcp_shutdown(p->sock);
	mutex_unlock(&dmpool_pending_lock);
	flush_workqueue(dmpool_transport_wq);
}

/* ------------------------------------------------------------ interface */

/**
 * dmpool_node_set - set this node's ID and listen address
 * @id:   1..DMPOOL_NODES_MAX
 * @addr: AF_INET or AF_INET6 address with a nonzero port
 *
 * (Re)starts the listener.  If listening fails, the node is left without
 * an identity.
 *
 * Return: 0; -EBUSY peers exist; the -errno of bind or listen.
 */
int dmpool_node_set(u32 id, const struct sockaddr_storage *addr)
{
	struct task_struct *thread;
	struct socket *lsock;
	int err;

	mutex_lock(&dmpool_node_lock);
	if (dmpool_nr_peers) {
		err = -EBUSY;
		goto out_unlock;
	}
	dmpool_listener_stop();
	WRITE_ONCE(dmpool_node_id, 0);

	err = dmpool_tcp_listen(addr, &lsock);
	if (err)
		goto out_unlock;
	/* Handshakes read the ID: publish it before the first accept. */
	WRITE_ONCE(dmpool_node_id, id);
	thread = kthread_run(dmpool_listener_thread, lsock, "dmpool-listen");
	if (IS_ERR(thread)) {
		err = PTR_ERR(thread);
		WRITE_ONCE(dmpool_node_id, 0);
		dmpool_tcp_release(lsock);
		goto out_unlock;
	}
	dmpool_listen_sock = lsock;
	dmpool_listener = thread;
	dmpool_node_addr = *addr;
	pr_info("node %u listening\n", id);
out_unlock:
	mutex_unlock(&dmpool_node_lock);
	return err;
}

/* This node's identity and counters. */
void dmpool_node_get(struct dmpool_node_info *info)
{
	memset(info, 0, sizeof(*info));
	mutex_lock(&dmpool_node_lock);
	info->id = dmpool_node_id;
	info->addr = dmpool_node_addr;
	info->peers = dmpool_nr_peers;
	mutex_unlock(&dmpool_node_lock);
	info->key_set = dmpool_auth_has_key();
	info->rejected_auth = atomic64_read(&dmpool_rejected_auth);
	info->rejected_malformed = atomic64_read(&dmpool_rejected_malformed);
	info->rejected_unknown = atomic64_read(&dmpool_rejected_unknown);
}

/**
 * dmpool_peer_add - add a peer and start connecting to it
 * @id:   its node ID, not ours
 * @addr: its address and port
 *
 * Return: 0; -ENOTCONN no NODE_SET yet; -ENOKEY no key; -EINVAL our own
 * ID; -EEXIST known; -ENOMEM, or the error of creating its thread.
 */
int dmpool_peer_add(u32 id, const struct sockaddr_storage *addr)
{
	struct dmpool_peer *peer;
	int err;

	mutex_lock(&dmpool_node_lock);
	if (!dmpool_node_id) {
		err = -ENOTCONN;
		goto out_unlock;
	}
	if (!dmpool_auth_has_key()) {
		err = -ENOKEY;
		goto out_unlock;
	}
	if (id == dmpool_node_id) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (dmpool_peer_table[id]) {
		err = -EEXIST;
		goto out_unlock;
	}

	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer) {
		err = -ENOMEM;
		goto out_unlock;
	}
	kref_init(&peer->ref);
	peer->id = id;
	peer->addr = *addr;
	peer->connector = dmpool_node_id < id;
	INIT_DELAYED_WORK(&peer->ping_work, dmpool_peer_ping);
	INIT_WORK(&peer->event_work, dmpool_peer_event_work);
	init_waitqueue_head(&peer->wait);
	init_waitqueue_head(&peer->conn_wait);
	mutex_init(&peer->lock);
	peer->state = DMPOOL_PEER_CONNECTING;
	peer->reported = DMPOOL_PEER_STATE_NONE;
	peer->stats = dmpool_link_stats_alloc();
	if (!peer->stats) {
		dmpool_peer_put(peer);
		err = -ENOMEM;
		goto out_unlock;
	}

	peer->thread = kthread_create(dmpool_peer_thread, peer,
				      "dmpool-peer%u", id);
	if (IS_ERR(peer->thread)) {
		err = PTR_ERR(peer->thread);
		dmpool_peer_put(peer);
		goto out_unlock;
	}
	spin_lock(&dmpool_peer_table_lock);
	dmpool_peer_table[id] = peer;
	dmpool_nr_peers++;
	spin_unlock(&dmpool_peer_table_lock);
	/* The new peer's first event: CONNECTING. */
	if (dmpool_event_listens())
		queue_work(dmpool_transport_wq, &peer->event_work);
	wake_up_process(peer->thread);
	err = 0;
out_unlock:
	mutex_unlock(&dmpool_node_lock);
	return err;
}

/**
 * dmpool_peer_del - forget a peer and close its connection
 * @id: its node ID
 *
 * Return: 0 or -ENOENT.
 */
int dmpool_peer_del(u32 id)
{
	struct dmpool_peer *peer;

	mutex_lock(&dmpool_node_lock);
	spin_lock(&dmpool_peer_table_lock);
	peer = dmpool_peer_table[id];
	if (peer) {
		dmpool_peer_table[id] = NULL;
		dmpool_nr_peers--;
	}
	spin_unlock(&dmpool_peer_table_lock);
	if (peer) {
		dmpool_peer_stop_begin(peer);
		dmpool_peer_stop_end(peer);
	}
	mutex_unlock(&dmpool_node_lock);
	return peer ? 0 : -ENOENT;
}

static void dmpool_peer_snapshot(struct dmpool_peer *peer,
				 struct dmpool_peer_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = peer->id;
	info->addr = peer->addr;
	mutex_lock(&peer->lock);
	info->state = peer->state;
	mutex_unlock(&peer->lock);
	info->rtt_ns = READ_ONCE(peer->rtt_ns);
	info->bytes_in = atomic64_read(&peer->stats->bytes_in);
	info->bytes_out = atomic64_read(&peer->stats->bytes_out);
	info->frames_in = atomic64_read(&peer->stats->frames_in);
	info->frames_out = atomic64_read(&peer->stats->frames_out);
	info->reconnects = atomic64_read(&peer->reconnects);
	info->auth_failures = atomic64_read(&peer->auth_failures);
	info->malformed = atomic64_read(&peer->malformed);
	info->pages_in = atomic64_read(&peer->stats->pages_in);
	info->pages_out = atomic64_read(&peer->stats->pages_out);
	info->io_errors = atomic64_read(&peer->stats->io_errors);
	dmpool_lat_read(&peer->stats->lat, info->lat);
}

/**
 * dmpool_peer_get - a snapshot of peer @id
 * @id:   node ID
 * @info: out
 *
 * Return: 0 or -ENOENT.
 */
int dmpool_peer_get(u32 id, struct dmpool_peer_info *info)
{
	struct dmpool_peer *peer = dmpool_peer_lookup(id);

	if (!peer)
		return -ENOENT;
	dmpool_peer_snapshot(peer, info);
	dmpool_peer_put(peer);
	return 0;
}

/**
 * dmpool_peer_get_next - a snapshot of the peer after node ID @after_id
 * @after_id: 0 for the first
 * @info:     out
 *
 * Return: 0, or -ENOENT when there is none.
 */
int dmpool_peer_get_next(u32 after_id, struct dmpool_peer_info *info)
{
	struct dmpool_peer *peer = NULL;
	u32 id;

	spin_lock(&dmpool_peer_table_lock);
	for (id = after_id + 1; id <= DMPOOL_NODES_MAX && !peer; id++) {
		peer = dmpool_peer_table[id];
		if (peer)
			kref_get(&peer->ref);
	}
	spin_unlock(&dmpool_peer_table_lock);
	if (!peer)
		return -ENOENT;
	dmpool_peer_snapshot(peer, info);
	dmpool_peer_put(peer);
	return 0;
}

/* This node's ID, 0 before NODE_SET. */
u32 dmpool_node_id_get(void)
{
	return READ_ONCE(dmpool_node_id);
}

/*
 * The live connection of @peer with a reference, or NULL; *@gen is the
 * generation of @peer->conn seen (a dead connection not yet cleared by
 * the peer's thread counts as none: wait for the generation to change).
 */
static struct dmpool_conn *dmpool_peer_conn_ref(struct dmpool_peer *peer,
						bool *stopping, u32 *gen)
{
	struct dmpool_conn *conn;

	mutex_lock(&peer->lock);
	conn = peer->conn;
	if (conn && READ_ONCE(conn->dead))
		conn = NULL;
	if (conn)
		kref_get(&conn->ref);
	*stopping = peer->stopping;
	*gen = peer->conn_gen;
	mutex_unlock(&peer->lock);
	return conn;
}

/**
 * dmpool_peer_conn_get - the connection to peer @id, for a page request
 * @id:       the peer's node ID
 * @deadline: jiffies; if the peer is not connected, wait for it until then
 * @connp:    out: the connection, with a reference the caller puts
 *
 * A peer that is reconnecting (after a drop, or just added) gets until
 * @deadline to come back; the wait is killable.  A failure is counted in
 * the peer's io_errors, unless the caller did not want to wait (a
 * @deadline already passed: a poll, not a page request).
 *
 * Return: 0; -EHOSTUNREACH no such peer (or being deleted); -ETIMEDOUT
 * not connected by @deadline; -EINTR fatal signal.
 */
int dmpool_peer_conn_get(u32 id, unsigned long deadline,
			 struct dmpool_conn **connp)
{
	struct dmpool_peer *peer = dmpool_peer_lookup(id);
	struct dmpool_conn *conn;
	bool stopping, count;
	long left;
	u32 gen;
	int err = 0;

	might_sleep();
	if (!peer)
		return -EHOSTUNREACH;
	count = time_after(deadline, jiffies);
	for (;;) {
		conn = dmpool_peer_conn_ref(peer, &stopping, &gen);
		if (conn || stopping)
			break;
		left = (long)(deadline - jiffies);
		if (left <= 0) {
			err = -ETIMEDOUT;
			break;
		}
		left = wait_event_killable_timeout(peer->conn_wait,
						   READ_ONCE(peer->conn_gen) != gen ||
						   READ_ONCE(peer->stopping),
						   left);
		if (left < 0) {
			err = -EINTR;
			break;
		}
	}
	if (!conn && !err)
		err = -EHOSTUNREACH;
	if (err && count)
		atomic64_inc(&peer->stats->io_errors);
	dmpool_peer_put(peer);
	*connp = conn;
	return err;
}

/**
 * dmpool_peer_init - set up the transport's workqueues and PING handler
 *
 * Return: 0 or -ENOMEM.
 */
int dmpool_peer_init(void)
{
	int err;

	err = dmpool_msg_init();
	if (err)
		return err;
	dmpool_transport_wq = alloc_workqueue("dmpool_transport",
					      WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!dmpool_transport_wq) {
		dmpool_msg_exit();
		return -ENOMEM;
	}
	dmpool_msg_register(DMPOOL_WIRE_PING, dmpool_peer_ping_handler);
	return 0;
}

/* Close every connection, stop every thread; never waits for the network. */
void dmpool_peer_exit(void)
{
	struct dmpool_peer *peers[DMPOOL_NODES_MAX + 1];
	unsigned int id;

	mutex_lock(&dmpool_node_lock);
	spin_lock(&dmpool_peer_table_lock);
	for (id = 1; id <= DMPOOL_NODES_MAX; id++) {
		peers[id] = dmpool_peer_table[id];
		dmpool_peer_table[id] = NULL;
	}
	dmpool_nr_peers = 0;
	spin_unlock(&dmpool_peer_table_lock);

	for (id = 1; id <= DMPOOL_NODES_MAX; id++)
		if (peers[id])
			dmpool_peer_stop_begin(peers[id]);
	for (id = 1; id <= DMPOOL_NODES_MAX; id++)
		if (peers[id])
			dmpool_peer_stop_end(peers[id]);
	dmpool_listener_stop();
	WRITE_ONCE(dmpool_node_id, 0);
	mutex_unlock(&dmpool_node_lock);

	destroy_workqueue(dmpool_transport_wq);
	dmpool_msg_exit();
	dmpool_msg_unregister(DMPOOL_WIRE_PING);
}
