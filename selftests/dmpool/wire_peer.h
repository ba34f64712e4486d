/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A peer of dmpool.ko played from user space, for the kselftests: frames
 * built from the kernel's own wire header (kernel/proto.h) and the set-up
 * handshake of auth.c (HELLO both ways, then AUTH both ways, each proof
 * HMAC-SHA256(key, label | sender's HELLO | other's HELLO)) with OpenSSL.
 * The handshake is the same on both ends, so it serves a socket the test
 * connected and one it accepted from the module.  Link with -lcrypto.
 */
#ifndef DMPOOL_SELFTEST_WIRE_PEER_H
#define DMPOOL_SELFTEST_WIRE_PEER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../kernel/proto.h"

static inline int full_write(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len) {
		ssize_t n = write(fd, b, len);

		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0, or -1 when the stream ended or 5 s passed (SO_RCVTIMEO). */
static inline int full_read(int fd, void *p, size_t len)
{
	uint8_t *b = p;

	while (len) {
		ssize_t n = read(fd, b, len);

		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static inline int send_frame(int fd, uint16_t type, uint16_t flags,
			     uint32_t status, uint64_t tag,
			     const void *payload, uint32_t len)
{
	struct dmpool_wire_hdr h;

	dmpool_wire_hdr_init(&h, type, flags, len, status, tag);
	if (full_write(fd, &h, sizeof(h)))
		return -1;
	return len ? full_write(fd, payload, len) : 0;
}

/* A 5 s receive timeout and no Nagle on @fd. */
static inline void wire_peer_sockopts(int fd)
{
	struct timeval tv = { .tv_sec = 5 };
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * The handshake on @fd as node @id with @key; with @bad_proof, an AUTH
 * whose MAC is wrong.  0 once both proofs were exchanged, else -1.
 */
static inline int wire_peer_handshake(int fd, uint32_t id, const uint8_t *key,
				      size_t key_len, bool bad_proof)
{
	struct dmpool_wire_hello mine = {}, theirs;
	struct dmpool_wire_auth proof, got;
	struct dmpool_wire_hdr h;
	uint8_t msg[sizeof(DMPOOL_WIRE_AUTH_LABEL) - 1 + 2 * sizeof(mine)];
	unsigned int maclen = 0;
	uint32_t len;

	dmpool_wire_put32(&mine.version, DMPOOL_WIRE_VERSION);
	dmpool_wire_put32(&mine.node_id, id);
	/* No MEM: the module then never asks us for memory figures. */
	dmpool_wire_put64(&mine.features,
			  DMPOOL_WIRE_FEAT_PING | DMPOOL_WIRE_FEAT_IO |
			  DMPOOL_WIRE_FEAT_FENCE |
			  DMPOOL_WIRE_FEAT_FENCE_RAISE);
	for (size_t i = 0; i < sizeof(mine.nonce); i++)
		mine.nonce[i] = (uint8_t)rand();
	if (send_frame(fd, DMPOOL_WIRE_HELLO, 0, 0, 0, &mine, sizeof(mine)) ||
	    full_read(fd, &h, sizeof(h)) || dmpool_wire_hdr_check(&h, &len) ||
	    len != sizeof(theirs) || full_read(fd, &theirs, sizeof(theirs)))
		return -1;

	memcpy(msg, DMPOOL_WIRE_AUTH_LABEL, sizeof(DMPOOL_WIRE_AUTH_LABEL) - 1);
	memcpy(msg + sizeof(DMPOOL_WIRE_AUTH_LABEL) - 1, &mine, sizeof(mine));
	memcpy(msg + sizeof(DMPOOL_WIRE_AUTH_LABEL) - 1 + sizeof(mine), &theirs,
	       sizeof(theirs));
	if (!HMAC(EVP_sha256(), key, (int)key_len, msg, sizeof(msg),
		  proof.mac, &maclen) || maclen != sizeof(proof.mac))
		return -1;
	if (bad_proof)
		proof.mac[0] ^= 1;
	if (send_frame(fd, DMPOOL_WIRE_AUTH, 0, 0, 0, &proof, sizeof(proof)) ||
	    full_read(fd, &h, sizeof(h)) || dmpool_wire_hdr_check(&h, &len) ||
	    len != sizeof(got) || full_read(fd, &got, sizeof(got)))
		return -1;
	return 0;
}

/*
 * Connect to the module listening on 127.0.0.1:@port as node @id and
 * prove @key; the connected socket, or -1.
 */
static inline int wire_peer_connect(int port, uint32_t id, const uint8_t *key,
				    size_t key_len)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
	};
	int fd;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	wire_peer_sockopts(fd);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    wire_peer_handshake(fd, id, key, key_len, false)) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif /* DMPOOL_SELFTEST_WIRE_PEER_H */
