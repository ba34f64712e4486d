/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool transport: the interfaces between its layers, bottom up.
 *
 *	netlink ─► peer ─► auth ─► tcp
 *	             └───► msg ─► tcp
 *
 *  - tcp.c   sockets only: create, listen, accept, connect, send and
 *            receive whole buffers, shut down.  Setting a socket up is
 *            separate from using it, so a socket made elsewhere (a later
 *            kTLS socket handed in from user space) drops in.
 *  - auth.c  the cluster key and the set-up handshake (HELLO, AUTH) on a
 *            connected socket.
 *  - msg.c   a connection after set-up: framing, tagged requests with a
 *            timeout, replies matched by tag, a table of request handlers
 *            that upper layers register, the receive loop.
 *  - peer.c  this node's identity, the listener, the peer table, one
 *            thread per peer that connects (or waits for the peer to
 *            connect), reconnects with backoff, pings, and statistics.
 *
 * The wire format is in proto.h.  Locking order (outer first):
 * dmpool_node_lock → dmpool_peer_table_lock → peer->lock → conn->lock;
 * conn->send_lock is taken alone (never with a spinlock held).
 */
#ifndef _DMPOOL_TRANSPORT_H
#define _DMPOOL_TRANSPORT_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <linux/dmpool.h>

#include "proto.h"
#include "stats.h"

struct page;
struct socket;

/* ---------------------------------------------------------------------
 * tcp.c
 */
int dmpool_tcp_create(int family, struct socket **sockp);
int dmpool_tcp_listen(const struct sockaddr_storage *addr,
		      struct socket **sockp);
int dmpool_tcp_accept(struct socket *lsock, struct socket **sockp);
int dmpool_tcp_connect(struct socket *sock, const struct sockaddr_storage *addr,
		       unsigned int timeout_ms);
void dmpool_tcp_set_timeouts(struct socket *sock, unsigned int rcv_ms,
			     unsigned int snd_ms);
int dmpool_tcp_send(struct socket *sock, const void *hdr, size_t hdr_len,
		    const void *payload, size_t len);
int dmpool_tcp_send_more(struct socket *sock, const void *hdr, size_t hdr_len,
			 const void *payload, size_t len);
int dmpool_tcp_send_pages(struct socket *sock, struct page **pages,
			  unsigned int nr);
int dmpool_tcp_recv(struct socket *sock, void *buf, size_t len);
int dmpool_tcp_recv_pages(struct socket *sock, struct page **pages,
			  unsigned int nr);
int dmpool_tcp_send_by(struct socket *sock, const void *hdr, size_t hdr_len,
		       const void *payload, size_t len, unsigned long deadline);
int dmpool_tcp_recv_by(struct socket *sock, void *buf, size_t len,
		       unsigned long deadline);
void dmpool_tcp_shutdown(struct socket *sock);
void dmpool_tcp_release(struct socket *sock);
int dmpool_tcp_addrlen(const struct sockaddr_storage *addr);

/* ---------------------------------------------------------------------
 * auth.c
 */

/**
 * struct dmpool_auth_result - what a successful handshake established
 * @peer_id:  the node ID the peer proved (with the key) it is
 * @features: DMPOOL_WIRE_FEAT_* both ends offered
 */
struct dmpool_auth_result {
	u32 peer_id;
	u64 features;
};

/*
 * Decides, in the middle of the handshake, whether the peer that said
 * HELLO may continue (return 0) or must be refused (-errno): peer.c checks
 * that it knows the node ID and that the direction is right.
 */
typedef int (*dmpool_auth_check_t)(u32 peer_id, void *arg);

int dmpool_auth_init(void);
void dmpool_auth_exit(void);
int dmpool_auth_set_key(const u8 *key, size_t len);
bool dmpool_auth_has_key(void);
int dmpool_auth_handshake(struct socket *sock, u32 my_id,
			  dmpool_auth_check_t check, void *arg,
			  struct dmpool_auth_result *res);

/* ---------------------------------------------------------------------
 * msg.c
 */

/**
 * struct dmpool_link_stats - traffic counters of one peer, all connections
 * @ref:        one for the peer, one per connection, one per page request
 *              that counts into it: a request may end after its peer was
 *              deleted
 * @bytes_in:   bytes received, headers included
 * @bytes_out:  bytes sent
 * @frames_in:  frames received
 * @frames_out: frames sent
 * @pages_in:   pool pages fetched from the peer (GET replies)
 * @pages_out:  pool pages written back to the peer (PUT)
 * @io_errors:  page requests to the peer that failed
 * @lat:        round trips of this node's page requests to the peer
 */
struct dmpool_link_stats {
	struct kref ref;
	atomic64_t bytes_in;
	atomic64_t bytes_out;
	atomic64_t frames_in;
	atomic64_t frames_out;
	atomic64_t pages_in;
	atomic64_t pages_out;
	atomic64_t io_errors;
	struct dmpool_lat_hist lat;
};

/**
 * struct dmpool_msg_out - whole pages sent after a reply's bytes
 * @pages:   the pages, read while the reply is sent (their content is
 *           copied into the socket)
 * @nr:      how many
 * @release: called once the reply was sent (or failed), to let the pages
 *           go, with
 * @arg:     its argument
 */
struct dmpool_msg_out {
	struct page *pages[DMPOOL_WIRE_IO_MAX_PAGES];
	u32 nr;
	void (*release)(void *arg);
	void *arg;
};

/**
 * struct dmpool_conn - one authenticated connection to a peer
 * @ref:       one for the owner (the peer's thread), one per user that
 *             looked it up (peer->lock) to send a request
 * @sock:      the socket; immutable; released with the connection
 * @peer_id:   the peer's node ID; immutable
 * @features:  negotiated DMPOOL_WIRE_FEAT_*; immutable
 * @stats:     the peer's counters (a reference)
 * @send_lock: serializes frames on @sock, so they never interleave
 * @lock:      protects @reqs, @next_tag and @dead
 * @reqs:      tag → struct dmpool_msg_wait of requests awaiting a reply
 * @next_tag:  the tag of the next request
 * @dead:      set once by dmpool_conn_kill(); no request starts after it
 * @rx_buf:    receive buffer of DMPOOL_WIRE_MAX_PAYLOAD bytes; receive
 *             loop only
 * @out:       pages a request handler attached to its reply
 *             (dmpool_msg_reply_pages()); receive loop only
 * @replies:   answers to the peer's requests waiting to be sent by
 *             @tx_work (protected by @lock)
 * @tx_work:   sends @replies; holds a reference while queued
 */
struct dmpool_conn {
	struct kref ref;
	struct socket *sock;
	u32 peer_id;
	u64 features;
	struct dmpool_link_stats *stats;
	struct mutex send_lock;	/* serializes frames on @sock */
	spinlock_t lock;	/* protects @reqs, @next_tag, @dead, @replies */
	struct xarray reqs;
	u64 next_tag;
	bool dead;
	void *rx_buf;
	struct dmpool_msg_out out;
	struct list_head replies;
	struct work_struct tx_work;
};

/* Reply bytes a request handler may write (more goes as pages). */
#define DMPOOL_MSG_REPLY_MAX	64

/*
 * A request handler: called in the receive thread of @conn with the
 * request payload (@len bytes, already bounded).  It writes up to
 * DMPOOL_MSG_REPLY_MAX reply bytes at @reply (and may attach pages with
 * dmpool_msg_reply_pages()), sets *@reply_len and returns 0, or returns
 * -errno (sent back as the reply's status).  It must not wait for the
 * network.
 */
typedef int (*dmpool_msg_handler_t)(struct dmpool_conn *conn,
				    const void *req, u32 len,
				    void *reply, u32 *reply_len);

/**
 * struct dmpool_msg_call - one request in flight, and its reply
 * @type:        request type (filled by the caller, like the fields
 *               down to @deadline)
 * @req:         request head, may be NULL if @req_len is 0
 * @req_len:     its bytes
 * @req_pages:   whole pages sent after the head, or NULL
 * @req_nr:      how many, at most DMPOOL_WIRE_IO_MAX_PAGES
 * @reply:       buffer for a reply payload of at most @reply_max bytes
 * @reply_max:   its size
 * @reply_pages: if set, the reply payload must be exactly @reply_nr whole
 *               pages and is received straight into them (@reply is
 *               then unused)
 * @reply_nr:    how many
 * @deadline:    jiffies by which the reply must have arrived
 * @reply_len:   out: reply bytes stored (buffer replies)
 * @conn:        private to msg.c from here on: the connection (a
 *               reference held from start to finish)
 * @tag:         the request tag
 * @done:        completed when the reply (or the connection's end) came
 * @err:         the outcome, valid after @done
 */
struct dmpool_msg_call {
	u16 type;
	const void *req;
	u32 req_len;
	struct page **req_pages;
	u32 req_nr;
	void *reply;
	u32 reply_max;
	struct page **reply_pages;
	u32 reply_nr;
	unsigned long deadline;
	u32 reply_len;
	struct dmpool_conn *conn;
	u64 tag;
	struct completion done;
	int err;
};

extern unsigned int dmpool_request_timeout_ms;
unsigned long dmpool_request_timeout(void);

struct dmpool_link_stats *dmpool_link_stats_alloc(void);
void dmpool_link_stats_get(struct dmpool_link_stats *stats);
void dmpool_link_stats_put(struct dmpool_link_stats *stats);
int dmpool_msg_init(void);
void dmpool_msg_exit(void);
void dmpool_msg_register(u16 type, dmpool_msg_handler_t handler);
struct page **dmpool_msg_reply_pages(struct dmpool_conn *conn, u32 nr,
				     void (*release)(void *arg), void *arg);
void dmpool_msg_unregister(u16 type);
struct dmpool_conn *dmpool_conn_create(struct socket *sock,
				       const struct dmpool_auth_result *res,
				       struct dmpool_link_stats *stats);
int dmpool_conn_receive(struct dmpool_conn *conn, unsigned int idle_ms);
void dmpool_conn_kill(struct dmpool_conn *conn);
void dmpool_conn_put(struct dmpool_conn *conn);
int dmpool_msg_start(struct dmpool_conn *conn, struct dmpool_msg_call *c);
int dmpool_msg_finish(struct dmpool_msg_call *c);
int dmpool_msg_call(struct dmpool_conn *conn, u16 type,
		    const void *req, u32 len,
		    void *reply, u32 reply_max, u32 *reply_len);

/* ---------------------------------------------------------------------
 * peer.c
 */

/**
 * struct dmpool_node_info - this node as NODE_GET reports it
 * @id:                 0 until NODE_SET
 * @addr:               listen address (valid if @id)
 * @key_set:            a cluster key is set
 * @peers:              peers in the table
 * @rejected_auth:      handshakes refused for a bad or missing proof
 * @rejected_malformed: connections dropped for a malformed frame
 * @rejected_unknown:   incoming connections from a node that is no peer
 */
struct dmpool_node_info {
	u32 id;
	struct sockaddr_storage addr;
	bool key_set;
	u32 peers;
	u64 rejected_auth;
	u64 rejected_malformed;
	u64 rejected_unknown;
};

/**
 * struct dmpool_peer_info - a snapshot of one peer for PEER_GET
 */
struct dmpool_peer_info {
	u32 id;
	struct sockaddr_storage addr;
	u32 state;
	u64 rtt_ns;
	u64 bytes_in, bytes_out, frames_in, frames_out;
	u64 reconnects;
	u64 auth_failures;
	u64 malformed;
	u64 pages_in, pages_out, io_errors;
	u64 lat[DMPOOL_LAT_BUCKETS];
};

int dmpool_peer_init(void);
void dmpool_peer_exit(void);
int dmpool_node_set(u32 id, const struct sockaddr_storage *addr);
void dmpool_node_get(struct dmpool_node_info *info);
int dmpool_peer_add(u32 id, const struct sockaddr_storage *addr);
int dmpool_peer_del(u32 id);
int dmpool_peer_get(u32 id, struct dmpool_peer_info *info);
int dmpool_peer_get_next(u32 after_id, struct dmpool_peer_info *info);
u32 dmpool_node_id_get(void);
int dmpool_peer_conn_get(u32 id, unsigned long deadline,
			 struct dmpool_conn **connp);

#endif /* _DMPOOL_TRANSPORT_H */
