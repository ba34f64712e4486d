// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool transport: messages on an authenticated connection.
 *
 * A struct dmpool_conn wraps one socket after the handshake (auth.c) and
 * carries frames (proto.h) in both directions:
 *
 *  - Requests.  dmpool_msg_call() gives the request a fresh tag, records a
 *    waiter under that tag in @conn->reqs, sends the frame and sleeps until
 *    the reply arrives, the request times out (module parameter
 *    request_timeout_ms, 0644, 10 ms to 10 min: takes effect for the next
 *    request and the next connection's send timeout) or the connection
 *    dies.  Any number of callers may have requests in flight
 *    on one connection; their frames are serialized by @send_lock and
 *    never interleave.
 *
 *  - Replies.  The receive loop looks the tag up, removes the waiter and
 *    copies the payload into the waiter's buffer, then completes it.  A
 *    reply whose tag is unknown (its request timed out) is dropped.  A
 *    page reply (a GET's) whose call waits with pages of exactly that size
 *    is received straight into those pages instead: the call is claimed
 *    (removed from @reqs) before its payload is read, so its owner waits
 *    for the read to end before it touches or frees the pages.
 *
 *  - Pages out.  A request may carry whole pages after its head (a PUT,
 *    from the folios), and a handler may attach pages to its reply
 *    (dmpool_msg_reply_pages(): the home answers a GET from its store
 *    pages); both are sent with a copying sendmsg, no bounce buffer.
 *
 *  - Incoming requests go to the handler registered for their type
 *    (dmpool_msg_register()), and the handler's answer goes back as a
 *    reply with the same tag: at once if the socket has room for it, else
 *    queued for the connection's tx_work (workqueue "dmpool_tx"); an
 *    unregistered type gets -EOPNOTSUPP.  The receive loop never blocks on
 *    sending: if it did, two nodes whose sockets are full in both
 *    directions would each wait for the other to read.  So
 *    the transport knows nothing of pools: upper layers (peer.c's PING
 *    today, the store's GET/PUT later) plug in their handlers.
 *
 * The receive loop (dmpool_conn_receive()) runs in the thread of the peer
 * that owns the connection (peer.c), one per connection.  It returns when
 * the stream breaks, a frame is malformed (-EPROTO: the caller counts it),
 * nothing arrives for the idle time, or someone called dmpool_conn_kill().
 * Nothing received from the wire is used before it is bounded: the header
 * by dmpool_wire_hdr_check(), a reply's status against MAX_ERRNO, a reply
 * longer than its waiter's buffer fails that request with -EMSGSIZE.
 *
 * Timeout race: a waiter that times out removes itself from @reqs under
 * @lock.  If it is no longer there, the receive loop (or kill) has taken
 * it and is about to complete it; the waiter then waits for that so that
 * its buffer is not written after it returned.  That wait is short, except
 * when a page reply is being read into the call's pages from a peer that
 * stalls: after DMPOOL_CLAIM_GRACE_MS the waiter kills the connection,
 * which ends the read at once.
 *
 * Locking: @lock (spinlock) protects @reqs, @next_tag and @dead; the
 * xarray's own lock nests inside it.  @send_lock (mutex) is taken with no
 * other lock held.  The handler table is written only before the
 * transport starts and at exit (module init/exit), read with READ_ONCE.
 */

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "transport.h"

#define DMPOOL_TIMEOUT_MIN_MS	10
#define DMPOOL_TIMEOUT_MAX_MS	600000
/* How long a timed-out call waits for a reply being received for it. */
#define DMPOOL_CLAIM_GRACE_MS	100
/* Largest answer the receive loop sends itself (see dmpool_conn_reply_now). */
#define DMPOOL_MSG_INLINE_MAX	(64U * 1024)

unsigned int dmpool_request_timeout_ms = 5000;

/* request_timeout_ms: an unsigned number of ms, 10 ms to 10 minutes. */
static int dmpool_timeout_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int err;

	err = kstrtouint(val, 0, &ms);
	if (err)
		return err;
	if (ms < DMPOOL_TIMEOUT_MIN_MS || ms > DMPOOL_TIMEOUT_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, ms);
	return 0;
}

static const struct kernel_param_ops dmpool_timeout_ops = {
	.set	= dmpool_timeout_set,
	.get	= param_get_uint,
};

module_param_cb(request_timeout_ms, &dmpool_timeout_ops,
		&dmpool_request_timeout_ms, 0644);
MODULE_PARM_DESC(request_timeout_ms,
		 "a request to a peer fails after this many milliseconds without reply (10 to 600000, default 5000)");

static dmpool_msg_handler_t dmpool_msg_handlers[DMPOOL_WIRE_TYPES];
/* Runs the connections' tx_work: sends answers to peers' requests. */
static struct workqueue_struct *dmpool_msg_wq;

/* The per-request timeout, in jiffies. */
unsigned long dmpool_request_timeout(void)
{
	return msecs_to_jiffies(READ_ONCE(dmpool_request_timeout_ms));
}

/* A peer's counters, with one reference. */
struct dmpool_link_stats *dmpool_link_stats_alloc(void)
{
	struct dmpool_link_stats *stats = kzalloc(sizeof(*stats), GFP_KERNEL);

	if (stats)
		kref_init(&stats->ref);
	return stats;
}

void dmpool_link_stats_get(struct dmpool_link_stats *stats)
{
	kref_get(&stats->ref);
}

static void dmpool_link_stats_free(struct kref *ref)
{
	kfree(container_of(ref, struct dmpool_link_stats, ref));
}

void dmpool_link_stats_put(struct dmpool_link_stats *stats)
{
	kref_put(&stats->ref, dmpool_link_stats_free);
}

/**
 * dmpool_msg_register - handle incoming requests of @type
 * @type:    a DMPOOL_WIRE_* request type other than HELLO and AUTH
 * @handler: the handler; see dmpool_msg_handler_t
 *
 * Call before the first connection can exist (module init).
 */
void dmpool_msg_register(u16 type, dmpool_msg_handler_t handler)
{
	if (WARN_ON(type <= DMPOOL_WIRE_AUTH || type >= DMPOOL_WIRE_TYPES))
		return;
	WRITE_ONCE(dmpool_msg_handlers[type], handler);
}

/**
 * dmpool_msg_reply_pages - send whole pages after a handler's reply bytes
 * @conn:    the connection whose request the handler is answering
 * @nr:      how many; the reply bytes plus the pages must fit in
 *           DMPOOL_WIRE_MAX_PAYLOAD
 * @release: called once the reply went out (or failed, or the handler
 *           returned an error), with
 * @arg:     its argument
 *
 * For request handlers only, in the receive thread: the home serves a GET
 * from its store pages without copying them into a reply buffer.
 *
 * Return: the array of @nr page pointers for the caller to fill (read
 * while the reply is sent).
 */
struct page **dmpool_msg_reply_pages(struct dmpool_conn *conn, u32 nr,
				     void (*release)(void *arg), void *arg)
{
	if (WARN_ON(nr > DMPOOL_WIRE_IO_MAX_PAGES))
		nr = 0;
	conn->out.nr = nr;
	conn->out.release = release;
	conn->out.arg = arg;
	return conn->out.pages;
}

/* Set up the reply workqueue; before the first connection. */
int dmpool_msg_init(void)
{
	/* Write-back on the peers waits for our answers: WQ_MEM_RECLAIM. */
	dmpool_msg_wq = alloc_workqueue("dmpool_tx",
					WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return dmpool_msg_wq ? 0 : -ENOMEM;
}

/* After the last connection was killed: send or drop what is queued. */
void dmpool_msg_exit(void)
{
	destroy_workqueue(dmpool_msg_wq);
}

/* Forget @type's handler (module exit, after the last connection). */
void dmpool_msg_unregister(u16 type)
{
	if (type < DMPOOL_WIRE_TYPES)
		WRITE_ONCE(dmpool_msg_handlers[type], NULL);
}

/**
 * struct dmpool_msg_reply - an answer to a peer's request, queued to send
 * @node:   in conn->replies
 * @type:   the request's type
 * @status: 0 or a positive errno
 * @tag:    the request's tag
 * @len:    bytes in @buf
 * @buf:    the handler's reply bytes
 * @out:    the pages sent after them, and their release
 */
struct dmpool_msg_reply {
	struct list_head node;
	u16 type;
	u32 status;
	u64 tag;
	u32 len;
	u8 buf[DMPOOL_MSG_REPLY_MAX];
	struct dmpool_msg_out out;
};

static int dmpool_conn_send(struct dmpool_conn *conn, u16 type, u16 flags,
			    u32 status, u64 tag, const void *payload, u32 len,
			    struct page **pages, u32 nr);

/*
 * Send the queued replies of a connection, in order.  The receive loop
 * never blocks sending a reply itself: with both directions of a
 * connection full, a receive loop blocked on sending would stop reading,
 * and the peer's receive loop likewise, until the send timeout broke the
 * connection.  It sends only what fits in the socket at once
 * (dmpool_conn_reply_now()) and queues the rest here.
 */
static void dmpool_conn_tx_work(struct work_struct *work)
{
	struct dmpool_conn *conn = container_of(work, struct dmpool_conn,
						tx_work);
	struct dmpool_msg_reply *r;

	for (;;) {
		spin_lock(&conn->lock);
		r = list_first_entry_or_null(&conn->replies,
					     struct dmpool_msg_reply, node);
		if (r)
			list_del(&r->node);
		spin_unlock(&conn->lock);
		if (!r)
			break;
		/* After a failure the connection is dead: the rest fail fast. */
		dmpool_conn_send(conn, r->type, DMPOOL_WIRE_F_REPLY, r->status,
				 r->tag, r->buf, r->len, r->out.pages,
				 r->out.nr);
		if (r->out.release)
			r->out.release(r->out.arg);
		kfree(r);
	}
	dmpool_conn_put(conn);	/* the queued work's reference */
}

/**
 * dmpool_conn_create - wrap an authenticated socket
 * @sock:  the socket; owned by the connection from now on (released with
 *         it), also on failure
 * @res:   what the handshake established
 * @stats: the peer's counters; the connection takes a reference
 *
 * Return: the connection with one reference, or NULL (no memory).
 */
struct dmpool_conn *dmpool_conn_create(struct socket *sock,
				       const struct dmpool_auth_result *res,
				       struct dmpool_link_stats *stats)
{
	struct dmpool_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		goto err_sock;
	conn->rx_buf = kvmalloc(DMPOOL_WIRE_MAX_PAYLOAD, GFP_KERNEL);
	if (!conn->rx_buf)
		goto err_conn;

	kref_init(&conn->ref);
	conn->sock = sock;
	conn->peer_id = res->peer_id;
	conn->features = res->features;
	dmpool_link_stats_get(stats);
	conn->stats = stats;
	mutex_init(&conn->send_lock);
	spin_lock_init(&conn->lock);
	xa_init(&conn->reqs);
	INIT_LIST_HEAD(&conn->replies);
	INIT_WORK(&conn->tx_work, dmpool_conn_tx_work);
	return conn;

err_conn:
	kfree(conn);
err_sock:
	dmpool_tcp_release(sock);
	return NULL;
}

static void dmpool_conn_release(struct kref *ref)
{
	struct dmpool_conn *conn = container_of(ref, struct dmpool_conn, ref);

	WARN_ON(!xa_empty(&conn->reqs));
	WARN_ON(!list_empty(&conn->replies));
	xa_destroy(&conn->reqs);
	dmpool_tcp_release(conn->sock);
	dmpool_link_stats_put(conn->stats);
	kvfree(conn->rx_buf);
	mutex_destroy(&conn->send_lock);
	kfree(conn);
}

/* Drop a reference; the last one closes the socket and frees @conn. */
void dmpool_conn_put(struct dmpool_conn *conn)
{
	kref_put(&conn->ref, dmpool_conn_release);
}

/**
 * dmpool_conn_kill - end a connection
 * @conn: the connection
 *
 * Fails every request in flight with -ECONNRESET, refuses new ones and
 * shuts the socket down, which ends the receive loop.  Idempotent; any
 * thread.  The memory goes with the last dmpool_conn_put().
 */
void dmpool_conn_kill(struct dmpool_conn *conn)
{
	struct dmpool_msg_call *c;
	unsigned long tag;

	spin_lock(&conn->lock);
	WRITE_ONCE(conn->dead, true);
	xa_for_each(&conn->reqs, tag, c) {
		xa_erase(&conn->reqs, tag);
		c->err = -ECONNRESET;
		complete(&c->done);
	}
	spin_unlock(&conn->lock);
	dmpool_tcp_shutdown(conn->sock);
}

/* Send one frame with conn->send_lock held; the caller kills @conn on error. */
static int dmpool_conn_send_locked(struct dmpool_conn *conn,
				   const struct dmpool_wire_hdr *hdr,
				   const void *payload, u32 len,
				   struct page **pages, u32 nr)
{
	int err;

	lockdep_assert_held(&conn->send_lock);
	if (nr) {
		err = dmpool_tcp_send_more(conn->sock, hdr, sizeof(*hdr),
					   payload, len) ?:
		      dmpool_tcp_send_pages(conn->sock, pages, nr);
	} else {
		err = dmpool_tcp_send(conn->sock, hdr, sizeof(*hdr), payload,
				      len);
	}
	if (!err) {
		atomic64_inc(&conn->stats->frames_out);
		atomic64_add(sizeof(*hdr) + dmpool_wire_get32(&hdr->len),
			     &conn->stats->bytes_out);
	}
	return err;
}

/*
 * Send one frame: @len payload bytes, then @nr whole pages.  A failed send
 * breaks the stream, so it kills @conn.
 */
static int dmpool_conn_send(struct dmpool_conn *conn, u16 type, u16 flags,
			    u32 status, u64 tag, const void *payload, u32 len,
			    struct page **pages, u32 nr)
{
	struct dmpool_wire_hdr hdr;
	sigset_t mask, old;
	int err;

	dmpool_wire_hdr_init(&hdr, type, flags, len + nr * (u32)PAGE_SIZE,
			     status, tag);
	/*
	 * Requests are sent by the task that needs the page.  A signal
	 * arriving while the socket is full would end the send in the
	 * middle of a frame and so break the connection for everyone: block
	 * signals while the frame goes out, as the SMB client does.  (Only a
	 * fatal signal still interrupts it.)
	 */
	sigfillset(&mask);
	sigprocmask(SIG_BLOCK, &mask, &old);
	mutex_lock(&conn->send_lock);
	err = dmpool_conn_send_locked(conn, &hdr, payload, len, pages, nr);
	mutex_unlock(&conn->send_lock);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (err)
		dmpool_conn_kill(conn);
	return err;
}

/*
 * Answer a request from the receive loop at once if that cannot block: no
 * one else is sending and the socket has room for the whole frame.  Small
 * answers (most of them, and a 4 KiB GET's) then skip the reply work and
 * its wake-up.  Return: true if sent (or failed: @conn is then killed).
 */
static bool dmpool_conn_reply_now(struct dmpool_conn *conn, u16 type,
				  u32 status, u64 tag, const void *payload,
				  u32 len, struct page **pages, u32 nr)
{
	u32 total = len + nr * (u32)PAGE_SIZE;
	struct dmpool_wire_hdr hdr;
	int err;

	if (total > DMPOOL_MSG_INLINE_MAX || !mutex_trylock(&conn->send_lock))
		return false;
	if (sk_stream_wspace(conn->sock->sk) < (int)(sizeof(hdr) + total)) {
		mutex_unlock(&conn->send_lock);
		return false;
	}
	dmpool_wire_hdr_init(&hdr, type, DMPOOL_WIRE_F_REPLY, total, status,
			     tag);
	err = dmpool_conn_send_locked(conn, &hdr, payload, len, pages, nr);
	mutex_unlock(&conn->send_lock);
	if (err)
		dmpool_conn_kill(conn);
	return true;
}

/**
 * dmpool_msg_start - send a request without waiting for its reply
 * @conn: the connection; the call holds a reference until
 *        dmpool_msg_finish()
 * @c:    the request, filled as struct dmpool_msg_call says; it must stay
 *        in place until dmpool_msg_finish()
 *
 * Several calls may be started before the first is finished: that is how
 * readahead keeps many page requests in flight on one connection.
 *
 * Return: 0, and dmpool_msg_finish() must follow; or -ENOTCONN (dead
 * connection), -ENOMEM, -EINVAL (too large), and nothing must follow.
 */
int dmpool_msg_start(struct dmpool_conn *conn, struct dmpool_msg_call *c)
{
	int err;

	if (WARN_ON(c->req_len + c->req_nr * (u64)PAGE_SIZE >
		    DMPOOL_WIRE_MAX_PAYLOAD ||
		    c->req_nr > DMPOOL_WIRE_IO_MAX_PAGES ||
		    c->reply_nr > DMPOOL_WIRE_IO_MAX_PAGES))
		return -EINVAL;
	init_completion(&c->done);
	c->err = 0;
	c->reply_len = 0;

	spin_lock(&conn->lock);
	if (conn->dead) {
		spin_unlock(&conn->lock);
		return -ENOTCONN;
	}
	c->tag = ++conn->next_tag;
	err = xa_insert(&conn->reqs, c->tag, c, GFP_ATOMIC);
	spin_unlock(&conn->lock);
	if (err)
		return err == -EBUSY ? -EAGAIN : err;

	kref_get(&conn->ref);
	c->conn = conn;
	/* On failure the connection is killed, which completes @c. */
	dmpool_conn_send(conn, c->type, 0, 0, c->tag, c->req, c->req_len,
			 c->req_pages, c->req_nr);
	return 0;
}

/**
 * dmpool_msg_finish - wait for the reply of a started request
 * @c: the request
 *
 * Sleeps (killable) until @c->deadline at most.  On return the reply (if
 * any) is in @c's buffer or pages, and nothing will write them any more.
 *
 * Return: 0; the peer handler's -errno; -ETIMEDOUT; -EINTR (fatal
 * signal); -ECONNRESET (the connection ended); -EMSGSIZE (the reply did
 * not fit, or had the wrong size for @c->reply_pages).
 */
int dmpool_msg_finish(struct dmpool_msg_call *c)
{
	struct dmpool_conn *conn = c->conn;
	long left = (long)(c->deadline - jiffies);
	int err;

	if (left > 0)
		left = wait_for_completion_killable_timeout(&c->done, left);
	else
		left = try_wait_for_completion(&c->done) ? 1 : 0;
	if (left <= 0) {
		spin_lock(&conn->lock);
		if (xa_load(&conn->reqs, c->tag) == c) {
			xa_erase(&conn->reqs, c->tag);
			spin_unlock(&conn->lock);
			err = left ? -EINTR : -ETIMEDOUT;
			goto out;
		}
		spin_unlock(&conn->lock);
		/*
		 * Taken by the receive loop or kill: it completes soon -
		 * unless the receive loop is reading a page reply straight
		 * into our pages and the peer stalls in the middle of it.
		 * Then end the connection, which ends that read at once.
		 */
		if (!wait_for_completion_timeout(&c->done,
						 msecs_to_jiffies(DMPOOL_CLAIM_GRACE_MS)))
			dmpool_conn_kill(conn);
		wait_for_completion(&c->done);
	}
	err = c->err;
out:
	c->conn = NULL;
	dmpool_conn_put(conn);
	return err;
}

/**
 * dmpool_msg_call - send a request and wait for its reply
 * @conn:      the connection
 * @type:      the request type
 * @req:       payload, may be NULL if @len is 0
 * @len:       payload bytes, at most DMPOOL_WIRE_MAX_PAYLOAD
 * @reply:     buffer for the reply payload, may be NULL if @reply_max is 0
 * @reply_max: its size
 * @reply_len: out: reply bytes stored
 *
 * Sleeps (killable) for at most request_timeout_ms.
 *
 * Return: as dmpool_msg_start() and dmpool_msg_finish().
 */
int dmpool_msg_call(struct dmpool_conn *conn, u16 type,
		    const void *req, u32 len,
		    void *reply, u32 reply_max, u32 *reply_len)
{
	struct dmpool_msg_call c = {
		.type = type,
		.req = req,
		.req_len = len,
		.reply = reply,
		.reply_max = reply_max,
		.deadline = jiffies + dmpool_request_timeout(),
	};
	int err;

	err = dmpool_msg_start(conn, &c);
	if (err)
		return err;
	err = dmpool_msg_finish(&c);
	if (!err)
		*reply_len = c.reply_len;
	return err;
}

/* Copy a reply payload to where its call wants it; -errno if it cannot. */
static int dmpool_conn_copy_reply(struct dmpool_conn *conn,
				  struct dmpool_msg_call *c, u32 len)
{
	/*
	 * A page reply of the right size was claimed and received straight
	 * into the call's pages (dmpool_conn_claim_pages()): one that gets
	 * here has the wrong size.
	 */
	if (c->reply_pages || len > c->reply_max)
		return -EMSGSIZE;
	if (len)
		memcpy(c->reply, conn->rx_buf, len);
	c->reply_len = len;
	return 0;
}

/* A reply came: hand it to its call, if that still waits. */
static int dmpool_conn_reply(struct dmpool_conn *conn,
			     const struct dmpool_wire_hdr *hdr, u32 len)
{
	u32 status = dmpool_wire_get32(&hdr->status);
	u64 tag = dmpool_wire_get64(&hdr->tag);
	struct dmpool_msg_call *c;

	if (status > MAX_ERRNO)
		return -EPROTO;
	spin_lock(&conn->lock);
	c = xa_erase(&conn->reqs, tag);
	spin_unlock(&conn->lock);
	if (!c)
		return 0;	/* timed out meanwhile: drop it */

	c->err = status ? -(int)status : dmpool_conn_copy_reply(conn, c, len);
	complete(&c->done);
	return 0;
}

/*
 * A request came: run its handler and send the answer if that cannot
 * block, else queue it for tx_work.  Out of memory for the queue entry,
 * the answer is sent at once anyway.
 */
static int dmpool_conn_request(struct dmpool_conn *conn,
			       const struct dmpool_wire_hdr *hdr, u32 len)
{
	u16 type = dmpool_wire_get16(&hdr->type);
	u64 tag = dmpool_wire_get64(&hdr->tag);
	struct dmpool_msg_out *out = &conn->out;
	u8 buf[DMPOOL_MSG_REPLY_MAX];
	struct dmpool_msg_reply *r;
	dmpool_msg_handler_t handler;
	u32 reply_len = 0;
	bool queued, dead;
	int ret;

	/* Set-up frames after set-up are a protocol violation. */
	if (type == DMPOOL_WIRE_HELLO || type == DMPOOL_WIRE_AUTH)
		return -EPROTO;
	out->nr = 0;
	out->release = NULL;
	handler = READ_ONCE(dmpool_msg_handlers[type]);
	if (!handler) {
		ret = -EOPNOTSUPP;
	} else {
		ret = handler(conn, conn->rx_buf, len, buf, &reply_len);
		if (WARN_ON_ONCE(reply_len > DMPOOL_MSG_REPLY_MAX))
			ret = -EIO;
	}
	if (ret) {
		reply_len = 0;
		out->nr = 0;
	}

	/* Answers already queued go first. */
	spin_lock(&conn->lock);
	queued = !list_empty(&conn->replies);
	spin_unlock(&conn->lock);
	if (!queued &&
	    dmpool_conn_reply_now(conn, type, (u32)-ret, tag, buf, reply_len,
				  out->pages, out->nr)) {
		if (out->release)
			out->release(out->arg);
		return 0;
	}

	/* The receive loop serves write-back: no I/O for its memory. */
	r = kmalloc(sizeof(*r), GFP_NOIO | __GFP_NOWARN);
	if (!r) {
		ret = dmpool_conn_send(conn, type, DMPOOL_WIRE_F_REPLY,
				       (u32)-ret, tag, buf, reply_len,
				       out->pages, out->nr);
		if (out->release)
			out->release(out->arg);
		return ret;
	}
	r->type = type;
	r->status = (u32)-ret;
	r->tag = tag;
	r->len = reply_len;
	memcpy(r->buf, buf, reply_len);
	r->out = *out;

	spin_lock(&conn->lock);
	dead = conn->dead;
	if (!dead)
		list_add_tail(&r->node, &conn->replies);
	spin_unlock(&conn->lock);
	if (dead) {
		if (r->out.release)
			r->out.release(r->out.arg);
		kfree(r);
		return -ECONNRESET;
	}
	kref_get(&conn->ref);	/* for the queued work; see tx_work */
	if (!queue_work(dmpool_msg_wq, &conn->tx_work))
		dmpool_conn_put(conn);	/* already queued: not the last */
	return 0;
}

/*
 * A page reply whose call waits with its pages: claim the call (so that
 * nobody else completes it, and its owner waits for us) and receive the
 * payload straight into its pages.  NULL if this reply is not such a one.
 */
static struct dmpool_msg_call *
dmpool_conn_claim_pages(struct dmpool_conn *conn,
			const struct dmpool_wire_hdr *hdr, u32 len)
{
	u64 tag = dmpool_wire_get64(&hdr->tag);
	struct dmpool_msg_call *c;

	if (!(dmpool_wire_get16(&hdr->flags) & DMPOOL_WIRE_F_REPLY) || !len ||
	    dmpool_wire_get32(&hdr->status))
		return NULL;
	spin_lock(&conn->lock);
	c = xa_load(&conn->reqs, tag);
	if (c && c->reply_pages && len == c->reply_nr * (u32)PAGE_SIZE)
		xa_erase(&conn->reqs, tag);
	else
		c = NULL;
	spin_unlock(&conn->lock);
	return c;
}

/* Receive a claimed page reply into its call's pages and complete it. */
static int dmpool_conn_recv_pages(struct dmpool_conn *conn,
				  struct dmpool_msg_call *c, u32 len)
{
	int err;

	err = dmpool_tcp_recv_pages(conn->sock, c->reply_pages, c->reply_nr);
	if (err) {
		c->err = -ECONNRESET;
		complete(&c->done);
		return err == -ECONNRESET ? -EBADMSG : err;
	}
	c->reply_len = len;
	c->err = 0;
	complete(&c->done);
	return 0;
}

/**
 * dmpool_conn_receive - the receive loop of a connection
 * @conn:    the connection
 * @idle_ms: end the connection if nothing arrives for this long
 *
 * Runs until the connection ends; the caller then kills and puts it.
 *
 * Return: why it ended: -EPROTO a malformed or truncated frame (count it),
 * -ECONNRESET closed (or killed), -ETIMEDOUT idle, another -errno.
 */
int dmpool_conn_receive(struct dmpool_conn *conn, unsigned int idle_ms)
{
	struct dmpool_msg_call *c;
	struct dmpool_wire_hdr hdr;
	u32 len;
	int err;

	dmpool_tcp_set_timeouts(conn->sock, idle_ms,
				READ_ONCE(dmpool_request_timeout_ms));
	for (;;) {
		err = dmpool_tcp_recv(conn->sock, &hdr, sizeof(hdr));
		if (err)
			break;
		if (dmpool_wire_hdr_check(&hdr, &len)) {
			err = -EPROTO;
			break;
		}
		c = dmpool_conn_claim_pages(conn, &hdr, len);
		if (c) {
			err = dmpool_conn_recv_pages(conn, c, len);
			if (err)
				break;
			atomic64_inc(&conn->stats->frames_in);
			atomic64_add(sizeof(hdr) + len,
				     &conn->stats->bytes_in);
			continue;
		}
		if (len) {
			err = dmpool_tcp_recv(conn->sock, conn->rx_buf, len);
			if (err == -ECONNRESET)
				err = -EBADMSG;	/* the header promised more */
			if (err)
				break;
		}
		atomic64_inc(&conn->stats->frames_in);
		atomic64_add(sizeof(hdr) + len, &conn->stats->bytes_in);

		if (dmpool_wire_get16(&hdr.flags) & DMPOOL_WIRE_F_REPLY)
			err = dmpool_conn_reply(conn, &hdr, len);
		else
			err = dmpool_conn_request(conn, &hdr, len);
		if (err)
			break;
	}
	/* A stream cut in the middle of a frame is a malformed frame. */
	if (err == -EBADMSG)
		err = -EPROTO;
	return err;
}
