// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool transport, bottom layer: TCP sockets and nothing else.
 *
 * This file knows sockets, not frames, peers or keys.  It is split in two
 * halves on purpose:
 *
 *  - set-up: dmpool_tcp_create(), _listen(), _accept(), _connect() and
 *    _set_timeouts() produce a connected kernel socket;
 *  - use: dmpool_tcp_send() and _recv() move whole buffers over any
 *    connected stream socket, and _shutdown() / _release() end it.
 *
 * The upper layers only use the second half on a socket they were given,
 * so a socket connected somewhere else (a later issue has user space do a
 * TLS handshake and hand the kTLS socket in over netlink, as nbd-client
 * does) works unchanged.
 *
 * Blocking and waking: every socket call here blocks at most for the
 * socket's timeouts (SO_RCVTIMEO / SO_SNDTIMEO, set by _set_timeouts(), by
 * _connect() for the connect itself).  A partial send or receive starts
 * that timeout again, so dmpool_tcp_send() and _recv() are bounded per
 * call only; dmpool_tcp_send_by() and _recv_by() instead end by an
 * absolute deadline (they set the timeout to the time left before every
 * call), which is what a handshake with an untrusted client needs.
 * Another thread ends a blocked call early with dmpool_tcp_shutdown(),
 * which wakes connect, accept, send and receive alike; that is how peers
 * are deleted and the module unloaded promptly, even with an unreachable
 * peer.
 *
 * Sockets live in the initial network namespace (dmpool is per node, like
 * its netlink family).  No locks here: a socket is used by one sender (the
 * caller serializes, see msg.c) and one receiver at a time.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "transport.h"

#define DMPOOL_TCP_BACKLOG	16

/**
 * dmpool_tcp_addrlen - the length of the sockaddr in @addr
 * @addr: an AF_INET or AF_INET6 address
 *
 * Return: sizeof the matching sockaddr, 0 for another family.
 */
int dmpool_tcp_addrlen(const struct sockaddr_storage *addr)
{
	switch (addr->ss_family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return sizeof(struct sockaddr_in6);
	default:
		return 0;
	}
}

/**
 * dmpool_tcp_create - a new unconnected TCP kernel socket
 * @family: AF_INET or AF_INET6
 * @sockp:  out: the socket
 *
 * Return: 0 or -errno.
 */
int dmpool_tcp_create(int family, struct socket **sockp)
{
	int err;

	err = sock_create_kern(&init_net, family, SOCK_STREAM, IPPROTO_TCP,
			       sockp);
	if (err)
		return err;
	/* Frames are small and latency matters more than batching. */
	tcp_sock_set_nodelay((*sockp)->sk);
	return 0;
}

/**
 * dmpool_tcp_set_timeouts - bound every blocking call on @sock
 * @sock:   the socket
 * @rcv_ms: receive (and accept) timeout, 0 = wait forever
 * @snd_ms: send (and connect) timeout, 0 = wait forever
 */
void dmpool_tcp_set_timeouts(struct socket *sock, unsigned int rcv_ms,
			     unsigned int snd_ms)
{
	struct sock *sk = sock->sk;

	lock_sock(sk);
	sk->sk_rcvtimeo = rcv_ms ? msecs_to_jiffies(rcv_ms) :
				   MAX_SCHEDULE_TIMEOUT;
	sk->sk_sndtimeo = snd_ms ? msecs_to_jiffies(snd_ms) :
				   MAX_SCHEDULE_TIMEOUT;
	release_sock(sk);
}

/**
 * dmpool_tcp_listen - a socket listening on @addr
 * @addr:  address and port to bind to (the wildcard address is allowed)
 * @sockp: out: the listening socket
 *
 * Return: 0 or -errno (-EADDRINUSE, -EADDRNOTAVAIL, ...).
 */
int dmpool_tcp_listen(const struct sockaddr_storage *addr,
		      struct socket **sockp)
{
	struct socket *sock;
	int err;

	err = dmpool_tcp_create(addr->ss_family, &sock);
	if (err)
		return err;
	sock_set_reuseaddr(sock->sk);
	err = kernel_bind(sock, (struct sockaddr *)addr,
			  dmpool_tcp_addrlen(addr));
	if (err)
		goto err_release;
	err = kernel_listen(sock, DMPOOL_TCP_BACKLOG);
	if (err)
		goto err_release;
	*sockp = sock;
	return 0;

err_release:
	sock_release(sock);
	return err;
}

/**
 * dmpool_tcp_accept - wait for the next connection on @lsock
 * @lsock: a listening socket (dmpool_tcp_listen())
 * @sockp: out: the accepted socket
 *
 * Blocks until a connection arrives or dmpool_tcp_shutdown(@lsock).
 *
 * Return: 0 or -errno.
 */
int dmpool_tcp_accept(struct socket *lsock, struct socket **sockp)
{
	int err;

	err = kernel_accept(lsock, sockp, 0);
	if (err)
		return err;
	tcp_sock_set_nodelay((*sockp)->sk);
	return 0;
}

/**
 * dmpool_tcp_connect - connect @sock to @addr within @timeout_ms
 * @sock:       a socket from dmpool_tcp_create() of @addr's family
 * @addr:       the peer's address and port
 * @timeout_ms: give up after this long (-ETIMEDOUT)
 *
 * dmpool_tcp_shutdown(@sock) from another thread aborts the attempt.
 *
 * Return: 0 or -errno.
 */
int dmpool_tcp_connect(struct socket *sock, const struct sockaddr_storage *addr,
		       unsigned int timeout_ms)
{
	int err;

	dmpool_tcp_set_timeouts(sock, 0, timeout_ms);
	err = kernel_connect(sock, (struct sockaddr *)addr,
			     dmpool_tcp_addrlen(addr), 0);
	/* A connect cut short by the send timeout reports -EINPROGRESS. */
	if (err == -EINPROGRESS || err == -EAGAIN)
		err = -ETIMEDOUT;
	return err;
}

/*
 * Bound the next blocking call on @sock by the time left before
 * *@deadline (jiffies); no deadline (NULL) leaves the socket's timeouts
 * alone.  -ETIMEDOUT when no time is left.
 */
static int dmpool_tcp_arm(struct socket *sock, const unsigned long *deadline,
			  bool send)
{
	struct sock *sk = sock->sk;
	long left;

	if (!deadline)
		return 0;
	left = (long)(*deadline - jiffies);
	if (left <= 0)
		return -ETIMEDOUT;
	lock_sock(sk);
	if (send)
		sk->sk_sndtimeo = left;
	else
		sk->sk_rcvtimeo = left;
	release_sock(sk);
	return 0;
}

/* A send's result: bytes sent (> 0), or the -errno it means for us. */
static int dmpool_tcp_sent(int ret)
{
	if (ret == -EAGAIN)
		return -ETIMEDOUT;	/* the send timeout passed */
	if (ret == 0)
		return -ECONNRESET;
	return ret;
}

static int __dmpool_tcp_send(struct socket *sock, const void *hdr,
			     size_t hdr_len, const void *payload, size_t len,
			     const unsigned long *deadline, int more)
{
	struct kvec vec[2] = {
		{ .iov_base = (void *)hdr, .iov_len = hdr_len },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | more };
	size_t left = hdr_len + len;
	struct kvec *v = vec;
	size_t nr = len ? 2 : 1;
	int ret;

	while (left) {
		ret = dmpool_tcp_arm(sock, deadline, true);
		if (ret)
			return ret;
		ret = dmpool_tcp_sent(kernel_sendmsg(sock, &msg, v, nr, left));
		if (ret < 0)
			return ret;
		left -= ret;
		/* Skip what was sent: whole vectors, then part of one. */
		while (nr && (size_t)ret >= v->iov_len) {
			ret -= v->iov_len;
			v++;
			nr--;
		}
		if (nr) {
			v->iov_base += ret;
			v->iov_len -= ret;
		}
	}
	return 0;
}

/**
 * dmpool_tcp_send - send a header and a payload as one whole frame
 * @sock:     a connected socket
 * @hdr:      the header bytes
 * @hdr_len:  their length
 * @payload:  the payload, may be NULL if @len is 0
 * @len:      payload bytes
 *
 * Either everything is sent or the stream is broken: on error the caller
 * must drop the connection (a partial frame may have gone out).  Each
 * partial send may take the whole send timeout again.
 *
 * Return: 0, -ETIMEDOUT if the peer stopped reading, or another -errno.
 */
int dmpool_tcp_send(struct socket *sock, const void *hdr, size_t hdr_len,
		    const void *payload, size_t len)
{
	return __dmpool_tcp_send(sock, hdr, hdr_len, payload, len, NULL, 0);
}

/**
 * dmpool_tcp_send_more - dmpool_tcp_send() of a frame's first part
 * @sock:     a connected socket
 * @hdr:      the header bytes
 * @hdr_len:  their length
 * @payload:  the payload, may be NULL if @len is 0
 * @len:      payload bytes
 *
 * As dmpool_tcp_send(), with MSG_MORE: pages follow at once
 * (dmpool_tcp_send_pages()), so a small frame leaves in one segment even
 * with TCP_NODELAY.
 *
 * Return: as dmpool_tcp_send().
 */
int dmpool_tcp_send_more(struct socket *sock, const void *hdr, size_t hdr_len,
			 const void *payload, size_t len)
{
	return __dmpool_tcp_send(sock, hdr, hdr_len, payload, len, NULL,
				 MSG_MORE);
}

/**
 * dmpool_tcp_send_by - dmpool_tcp_send() that ends by @deadline
 * @sock:     a connected socket
 * @hdr:      the header bytes
 * @hdr_len:  their length
 * @payload:  the payload, may be NULL if @len is 0
 * @len:      payload bytes
 * @deadline: in jiffies; the whole frame is sent by then or the call fails
 *
 * Overrides the socket's send timeout with the time left before each
 * partial send, so a peer that reads slowly cannot stretch it.
 *
 * Return: as dmpool_tcp_send().
 */
int dmpool_tcp_send_by(struct socket *sock, const void *hdr, size_t hdr_len,
		       const void *payload, size_t len, unsigned long deadline)
{
	return __dmpool_tcp_send(sock, hdr, hdr_len, payload, len, &deadline,
				 0);
}

/* Pages go through the socket in chunks of this many bio_vecs (stack). */
#define DMPOOL_TCP_BVEC_CHUNK	16

/* Point @bv at @nr whole pages. */
static void dmpool_tcp_bvec(struct bio_vec *bv, struct page **pages,
			    unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		bv[i].bv_page = pages[i];
		bv[i].bv_len = PAGE_SIZE;
		bv[i].bv_offset = 0;
	}
}

/**
 * dmpool_tcp_send_pages - send whole pages, after a header sent before
 * @sock: a connected socket
 * @pages: the pages; their content is copied into the socket, so the
 *         caller may change them once this returns
 * @nr:   how many, each PAGE_SIZE bytes
 *
 * Completes a frame whose header went out with dmpool_tcp_send(): the
 * caller holds its send serialization across both calls.
 *
 * Return: as dmpool_tcp_send().
 */
int dmpool_tcp_send_pages(struct socket *sock, struct page **pages,
			  unsigned int nr)
{
	struct bio_vec bv[DMPOOL_TCP_BVEC_CHUNK];
	struct msghdr msg;
	unsigned int n;
	int ret;

	for (; nr; nr -= n, pages += n) {
		n = min_t(unsigned int, nr, ARRAY_SIZE(bv));
		dmpool_tcp_bvec(bv, pages, n);
		/* A plain sendmsg copies the data: no page is referenced later. */
		memset(&msg, 0, sizeof(msg));
		msg.msg_flags = MSG_NOSIGNAL | (n < nr ? MSG_MORE : 0);
		iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, n,
			      (size_t)n * PAGE_SIZE);
		while (msg_data_left(&msg)) {
			ret = dmpool_tcp_sent(sock_sendmsg(sock, &msg));
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int __dmpool_tcp_recv(struct socket *sock, void *buf, size_t len,
			     const unsigned long *deadline)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	bool partial = false;
	struct kvec vec;
	int ret;

	while (len) {
		vec.iov_base = buf;
		vec.iov_len = len;
		ret = dmpool_tcp_arm(sock, deadline, false);
		if (ret == -ETIMEDOUT)
			ret = -EAGAIN;	/* as if the receive timeout passed */
		else
			ret = kernel_recvmsg(sock, &msg, &vec, 1, len,
					     MSG_WAITALL);
		if (ret > 0) {
			buf += ret;
			len -= ret;
			partial = true;
			continue;
		}
		if (partial && (ret == 0 || ret == -EAGAIN))
			return -EBADMSG;
		if (ret == -EAGAIN)
			return -ETIMEDOUT;
		return ret ? ret : -ECONNRESET;
	}
	return 0;
}

/**
 * dmpool_tcp_recv_pages - receive exactly @nr whole pages into @pages
 * @sock:  a connected socket
 * @pages: the pages
 * @nr:    how many
 *
 * The payload of a frame whose header was already received: the stream
 * ending or stalling before the last byte is a truncated frame.
 *
 * Return: 0; -EBADMSG truncated; another -errno.
 */
int dmpool_tcp_recv_pages(struct socket *sock, struct page **pages,
			  unsigned int nr)
{
	struct bio_vec bv[DMPOOL_TCP_BVEC_CHUNK];
	struct msghdr msg;
	unsigned int n;
	int ret;

	for (; nr; nr -= n, pages += n) {
		n = min_t(unsigned int, nr, ARRAY_SIZE(bv));
		dmpool_tcp_bvec(bv, pages, n);
		memset(&msg, 0, sizeof(msg));
		msg.msg_flags = MSG_NOSIGNAL;
		iov_iter_bvec(&msg.msg_iter, ITER_DEST, bv, n,
			      (size_t)n * PAGE_SIZE);
		while (msg_data_left(&msg)) {
			ret = sock_recvmsg(sock, &msg, MSG_WAITALL);
			if (ret > 0)
				continue;
			if (ret == 0 || ret == -EAGAIN)
				return -EBADMSG;
			return ret;
		}
	}
	return 0;
}

/**
 * dmpool_tcp_recv - receive exactly @len bytes
 * @sock: a connected socket
 * @buf:  where to put them
 * @len:  how many
 *
 * Each partial read may take the whole receive timeout again.
 *
 * Return: 0; -ECONNRESET if the peer closed (or the socket was shut
 * down) before the first byte; -ETIMEDOUT if the receive timeout passed
 * without data; -EBADMSG if the stream ended or stalled after part of the
 * buffer (a truncated frame); another -errno.
 */
int dmpool_tcp_recv(struct socket *sock, void *buf, size_t len)
{
	return __dmpool_tcp_recv(sock, buf, len, NULL);
}

/**
 * dmpool_tcp_recv_by - dmpool_tcp_recv() that ends by @deadline
 * @sock:     a connected socket
 * @buf:      where to put the bytes
 * @len:      how many
 * @deadline: in jiffies; all @len bytes arrive by then or the call fails
 *
 * Overrides the socket's receive timeout with the time left before each
 * partial read, so a peer that sends a byte at a time cannot stretch it.
 *
 * Return: as dmpool_tcp_recv(); -ETIMEDOUT or -EBADMSG once the deadline
 * passed (before or after the first byte).
 */
int dmpool_tcp_recv_by(struct socket *sock, void *buf, size_t len,
		       unsigned long deadline)
{
	return __dmpool_tcp_recv(sock, buf, len, &deadline);
}

/**
 * dmpool_tcp_shutdown - end all traffic on @sock and wake its waiters
 * @sock: any socket of this file (listening, connecting or connected)
 *
 * Safe to call from any thread, more than once, while another thread is
 * blocked on @sock; the socket stays allocated until dmpool_tcp_release().
 */
void dmpool_tcp_shutdown(struct socket *sock)
{
	kernel_sock_shutdown(sock, SHUT_RDWR);
}

/**
 * dmpool_tcp_release - close and free @sock
 * @sock: a socket nobody else uses any more
 */
void dmpool_tcp_release(struct socket *sock)
{
	sock_release(sock);
}
