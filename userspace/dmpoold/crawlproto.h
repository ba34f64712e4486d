/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crawl protocol (UDP, crawl_port, default 7471) and crawl targets.
 *
 * Datagrams, little-endian: u32 magic "DMPC", u16 version, u16 type,
 * u64 nonce, then by type:
 *	PROBE	nothing
 *	ANSWER	u32 node id (0: none yet), u32 state (enum dmpool_node_state),
 *		u64 capacity, u64 committed, str version, str cluster name
 *	HELLO	nothing: a commissioning node asks for a challenge
 *	CHALLENGE 32 bytes: the target's fresh random challenge
 *	JOIN	u32 node id, u16 port, 32 bytes challenge, str corosync.conf,
 *		32 bytes HMAC-SHA256 (cluster key) of "dmpool-join", the node
 *		id, the port, the challenge and the conf text
 *	JOINED	u32 status (0 or errno), str message
 * A probe is answered from the same port it arrived on; the nonce ties
 * the answer to the probe.  Pure encoding and parsing here; I/O in crawl.c
 * and commission.c.
 */
#ifndef DMPOOLD_CRAWLPROTO_H
#define DMPOOLD_CRAWLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/dmpool.h>

#define CRAWL_MAGIC		0x43504d44U	/* "DMPC" */
#define CRAWL_VERSION		1
#define CRAWL_DGRAM_MAX		(CRAWL_CONF_MAX + 512)
#define CRAWL_CONF_MAX		16384		/* corosync.conf in a JOIN */
#define CRAWL_NONCE_LEN		32
#define CRAWL_MAC_LEN		32
#define CRAWL_TARGETS_MAX	65536		/* a /16 */

enum crawl_type {
	CRAWL_PROBE = 1,
	CRAWL_ANSWER = 2,
	CRAWL_HELLO = 3,
	CRAWL_CHALLENGE = 4,
	CRAWL_JOIN = 5,
	CRAWL_JOINED = 6,
};

struct crawl_msg {
	uint16_t type;
	uint64_t nonce;
	uint32_t node_id;
	uint32_t state;
	uint64_t capacity;
	uint64_t committed;
	char version[64];
	char cluster[DMPOOL_CLUSTER_NAME_MAX + 1];
	uint8_t challenge[CRAWL_NONCE_LEN];	/* CHALLENGE, JOIN */
	uint16_t port;				/* JOIN */
	const char *conf;			/* JOIN: into the input */
	size_t conf_len;
	uint8_t mac[CRAWL_MAC_LEN];		/* JOIN */
	uint32_t status;			/* JOINED */
	char message[256];			/* JOINED */
};

/* Encode into @buf (CRAWL_DGRAM_MAX bytes); the length, or -1. */
int crawl_encode(const struct crawl_msg *m, uint8_t *buf, size_t size);
/* Decode a datagram; 0 or -1 (malformed, wrong magic or version). */
int crawl_decode(struct crawl_msg *m, const uint8_t *buf, size_t len);

/*
 * The JOIN's HMAC-SHA256 with @key over "dmpool-join", @m's node id,
 * port (u16), challenge and conf text.  0 or -1.
 */
int crawl_join_mac(const struct crawl_msg *m, const uint8_t *key,
		   size_t keylen, uint8_t out[CRAWL_MAC_LEN]);

/*
 * Parse "10.0.0.1,10.0.1.0/24": IPv4 addresses and CIDR prefixes of /16 or
 * longer.  Writes up to @max addresses (host byte order) into @out,
 * sorted, without duplicates; a /24..32 prefix gives its hosts without the
 * network and broadcast addresses (all addresses for /31 and /32).
 * Returns the count, or -1 with a reason in @why.
 */
long crawl_parse_targets(const char *s, uint32_t *out, size_t max,
			 char *why, size_t len);

#endif /* DMPOOLD_CRAWLPROTO_H */
