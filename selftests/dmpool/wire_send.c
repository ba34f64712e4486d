// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool-wire: a hostile client of the dmpool transport, for the tests.
 *
 *	dmpool-wire MODE ADDR [PORT]
 *
 * Connects to a dmpool.ko listener, sends one kind of bad input and waits
 * (at most 15 s) for the module to close the connection.  Built from the
 * kernel's own wire header (kernel/proto.h), which is why that header uses
 * nothing but <linux/types.h>.  Modes:
 *
 *	garbage     64 bytes that are no frame at all
 *	truncated   the first 10 bytes of a HELLO header, then end of stream
 *	stall       the first 10 bytes of a HELLO header, then silence
 *	oversized   a HELLO header announcing more than the maximum payload
 *	badversion  a well-formed HELLO of protocol version 99
 *	unknown     a well-formed HELLO from node 50, which is no peer
 *	impostor    a well-formed HELLO from node 1 (a peer of the target),
 *	            then an AUTH with a wrong proof: a client without the key
 *	            claiming a live peer's ID
 *	dribble     a HELLO one byte every 2.4 s, just under the handshake's
 *	            old per-receive timeout of 2.5 s; prints "closed after N
 *	            ms", N counted from the connect, so the test can check
 *	            the handshake's absolute deadline
 *
 * Exit status: 0 the module closed the connection, 1 it did not within
 * the time, 2 usage or connection error.  Not a test itself: it lives in
 * build/selftests/helpers/ and transport.bats runs it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/dmpool.h>

#include "../../kernel/proto.h"

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void hello(struct dmpool_wire_hdr *h, struct dmpool_wire_hello *m,
		  __u32 version, __u32 node_id, __u32 len)
{
	memset(m, 0, sizeof(*m));
	dmpool_wire_put32(&m->version, version);
	dmpool_wire_put32(&m->node_id, node_id);
	dmpool_wire_put64(&m->features, DMPOOL_WIRE_FEAT_ALL);
	memset(m->nonce, 0x42, sizeof(m->nonce));
	dmpool_wire_hdr_init(h, DMPOOL_WIRE_HELLO, 0, len, 0, 0);
}

#define WAIT_CLOSED_MS	15000
#define DRIBBLE_MS	2400

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Read and drop what arrives until the peer closes (1) or @until (in
 * now_ms() time) passes (0); -1 on another error.
 */
static int closed_by(int fd, long until)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[256];
	long left;
	ssize_t n;

	while ((left = until - now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;	/* timed out (loop ends) or EINTR */
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 1;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
	}
	return 0;
}

/*
 * Send @buf a byte every DRIBBLE_MS, reading what comes back, until the
 * peer closes (0, after printing how long that took from @t0) or
 * WAIT_CLOSED_MS pass (-1).
 */
static int dribble(int fd, const void *buf, size_t len, long t0)
{
	const char *p = buf;
	int one = 1, ret;
	size_t i;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; now_ms() - t0 < WAIT_CLOSED_MS; i++) {
		/* A send to a closed connection fails: that is closed too. */
		if (i < len && send(fd, p + i, 1, MSG_NOSIGNAL) < 0)
			ret = 1;
		else
			ret = closed_by(fd, now_ms() + DRIBBLE_MS);
		if (ret < 0)
			return -1;
		if (ret) {
			printf("closed after %ld ms\n", now_ms() - t0);
			return 0;
		}
	}
	return -1;
}

/* Read and drop until the peer closes (0) or 15 s pass (-1). */
static int wait_closed(int fd)
{
	struct timeval tv = { .tv_sec = 15 };
	char buf[256];
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 0;
		if (n < 0)
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char frame[sizeof(struct dmpool_wire_hdr) +
		   sizeof(struct dmpool_wire_hello)];
	struct dmpool_wire_auth a;
	struct dmpool_wire_hello m;
	struct dmpool_wire_hdr h;
	const char *mode;
	long t0;
	char garbage[64];
	int fd, err = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s MODE ADDR [PORT]\n", argv[0]);
		return 2;
	}
	mode = argv[1];
	sin.sin_port = htons(argc == 4 ? (uint16_t)atoi(argv[3]) :
			     DMPOOL_PORT_DEFAULT);
	if (inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1) {
		fprintf(stderr, "%s: bad address %s\n", argv[0], argv[2]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("connect");
		return 2;
	}
	t0 = now_ms();

	if (!strcmp(mode, "dribble")) {
		hello(&h, &m, DMPOOL_WIRE_VERSION, 50, sizeof(m));
		memcpy(frame, &h, sizeof(h));
		memcpy(frame + sizeof(h), &m, sizeof(m));
		if (dribble(fd, frame, sizeof(frame), t0)) {
			fprintf(stderr, "%s: dribble: the connection stayed open\n",
				argv[0]);
			return 1;
		}
		close(fd);
		return 0;
	}

	if (!strcmp(mode, "garbage")) {
		memset(garbage, 'G', sizeof(garbage));
		err = send_all(fd, garbage, sizeof(garbage));
	} else if (!strcmp(mode, "truncated") || !strcmp(mode, "stall")) {
		hello(&h, &m, DMPOOL_WIRE_VERSION, 50, sizeof(m));
		err = send_all(fd, &h, 10);
		if (!err && !strcmp(mode, "truncated"))
			err = shutdown(fd, SHUT_WR);
	} else if (!strcmp(mode, "oversized")) {
		hello(&h, &m, DMPOOL_WIRE_VERSION, 50,
		      DMPOOL_WIRE_MAX_PAYLOAD + 1);
		err = send_all(fd, &h, sizeof(h));
	} else if (!strcmp(mode, "badversion") || !strcmp(mode, "unknown")) {
		hello(&h, &m, strcmp(mode, "unknown") ? 99 : DMPOOL_WIRE_VERSION,
		      50, sizeof(m));
		err = send_all(fd, &h, sizeof(h)) ?: send_all(fd, &m, sizeof(m));
	} else if (!strcmp(mode, "impostor")) {
		hello(&h, &m, DMPOOL_WIRE_VERSION, 1, sizeof(m));
		err = send_all(fd, &h, sizeof(h)) ?: send_all(fd, &m, sizeof(m));
		memset(&a, 0x42, sizeof(a));
		dmpool_wire_hdr_init(&h, DMPOOL_WIRE_AUTH, 0, sizeof(a), 0, 0);
		if (!err)
			err = send_all(fd, &h, sizeof(h)) ?:
			      send_all(fd, &a, sizeof(a));
	} else {
		fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
		return 2;
	}
	if (err)
		perror("send");	/* the module may have closed already */

	if (wait_closed(fd)) {
		fprintf(stderr, "%s: %s: the connection stayed open\n",
			argv[0], mode);
		return 1;
	}
	close(fd);
	return 0;
}
