/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool wire format: what two dmpool.ko instances say to each other over
 * TCP.  This header is the whole protocol definition; it includes only
 * <linux/types.h> so that user-space tests and fuzzers can compile it too.
 *
 * A connection carries frames.  Each frame is a fixed 24-byte header
 * followed by @len payload bytes.  All multi-byte fields are little endian
 * (__le types); payload structs have explicit padding so their layout is
 * the same on every architecture.
 *
 *	+-------+------+-------+-----+--------+-----+---------+
 *	| magic | type | flags | len | status | tag | payload |
 *	|  4    |  2   |  2    |  4  |   4    |  8  |  len    |
 *	+-------+------+-------+-----+--------+-----+---------+
 *
 * Rules a receiver applies before it uses anything from the wire:
 *  - @magic must be DMPOOL_WIRE_MAGIC, @flags only known bits;
 *  - @len is at most DMPOOL_WIRE_MAX_PAYLOAD (checked before the payload is
 *    read, so a receive buffer of that size always suffices);
 *  - @type is below DMPOOL_WIRE_TYPES (it indexes the handler table);
 *  - a fixed-size payload (HELLO, AUTH) must have exactly its size.
 * Any violation drops the connection and is counted as malformed.
 *
 * Connection set-up (auth.c): both ends send HELLO at once, then both send
 * AUTH, whose MAC proves knowledge of the cluster key over both HELLOs
 * (see struct dmpool_wire_auth).  Only then do other frames flow.
 *
 * After set-up, a request is a frame of some @type with a @tag chosen by
 * the sender; the answer is a frame with the same @type and @tag, the
 * DMPOOL_WIRE_F_REPLY flag and a @status (0 or a positive errno).  Any
 * number of requests may be in flight on a connection; replies may come in
 * any order.
 */
#ifndef _DMPOOL_PROTO_H
#define _DMPOOL_PROTO_H

#include <linux/types.h>

#define DMPOOL_WIRE_MAGIC	0x4c504d44U	/* "DMPL" on the wire */
#define DMPOOL_WIRE_VERSION	1
#define DMPOOL_WIRE_IO_MAX_PAGES	128		/* 4 KiB pages per GET or PUT */
/* Bytes after the header: a PUT's head and its pages fit. */
#define DMPOOL_WIRE_MAX_PAYLOAD	(DMPOOL_WIRE_IO_MAX_PAGES * 4096U + 4096U)
#define DMPOOL_WIRE_NONCE_LEN	32
#define DMPOOL_WIRE_MAC_LEN	32		/* HMAC-SHA256 */

/* Frame types: indexes of the handler table (msg.c). */
enum dmpool_wire_type {
	DMPOOL_WIRE_HELLO	= 1,	/* struct dmpool_wire_hello, set-up only */
	DMPOOL_WIRE_AUTH	= 2,	/* struct dmpool_wire_auth, set-up only */
	DMPOOL_WIRE_PING	= 3,	/* request and reply without payload */
	DMPOOL_WIRE_GET		= 4,	/* struct dmpool_wire_io; reply: the pages */
	DMPOOL_WIRE_PUT		= 5,	/* struct dmpool_wire_io + the pages */
	DMPOOL_WIRE_MEM		= 6,	/* no payload; reply: struct dmpool_wire_mem */
	DMPOOL_WIRE_FENCE	= 7,	/* struct dmpool_wire_fence_raise */
	DMPOOL_WIRE_TYPES	= 32,	/* every type is below this */
};

/* dmpool_wire_hdr.flags */
#define DMPOOL_WIRE_F_REPLY	0x0001U		/* answer to the request @tag */
#define DMPOOL_WIRE_F_ALL	DMPOOL_WIRE_F_REPLY

/*
 * Feature bits offered in HELLO; a connection uses those both ends offer.
 * DMPOOL_WIRE_FEAT_REQUIRED must be offered by both, or set-up fails.
 */
#define DMPOOL_WIRE_FEAT_PING	0x1ULL		/* PING request/reply */
#define DMPOOL_WIRE_FEAT_IO	0x2ULL		/* GET and PUT of pool pages */
#define DMPOOL_WIRE_FEAT_MEM	0x4ULL		/* MEM: exposed memory figures */
#define DMPOOL_WIRE_FEAT_FENCE	0x8ULL		/* PUTs may carry a fencing stamp */
#define DMPOOL_WIRE_FEAT_FENCE_RAISE 0x10ULL	/* FENCE requests */
#define DMPOOL_WIRE_FEAT_REQUIRED	DMPOOL_WIRE_FEAT_PING
#define DMPOOL_WIRE_FEAT_ALL	(DMPOOL_WIRE_FEAT_PING | DMPOOL_WIRE_FEAT_IO | \
				 DMPOOL_WIRE_FEAT_MEM | DMPOOL_WIRE_FEAT_FENCE | \
				 DMPOOL_WIRE_FEAT_FENCE_RAISE)

/**
 * struct dmpool_wire_hdr - the header of every frame
 * @magic:  DMPOOL_WIRE_MAGIC
 * @type:   enum dmpool_wire_type
 * @flags:  DMPOOL_WIRE_F_*
 * @len:    payload bytes following the header, <= DMPOOL_WIRE_MAX_PAYLOAD
 * @status: replies: 0 or a positive errno; must be 0 otherwise
 * @tag:    request tag, echoed in the reply; 0 for HELLO and AUTH
 */
struct dmpool_wire_hdr {
	__le32 magic;
	__le16 type;
	__le16 flags;
	__le32 len;
	__le32 status;
	__le64 tag;
};

/**
 * struct dmpool_wire_hello - first frame in each direction
 * @version:  DMPOOL_WIRE_VERSION; a different one fails set-up
 * @node_id:  the sender's node ID
 * @features: DMPOOL_WIRE_FEAT_* the sender offers
 * @nonce:    fresh random bytes, never reused
 */
struct dmpool_wire_hello {
	__le32 version;
	__le32 node_id;
	__le64 features;
	__u8 nonce[DMPOOL_WIRE_NONCE_LEN];
};

/**
 * struct dmpool_wire_auth - second frame in each direction
 * @mac: HMAC-SHA256 under the cluster key of
 *	 DMPOOL_WIRE_AUTH_LABEL || sender's HELLO || receiver's HELLO
 *	 (the HELLO payloads as sent).  Binding both HELLOs ties the proof to
 *	 the receiver's fresh nonce (no replay), to both node IDs and the
 *	 offered features (no downgrade); the order of the two HELLOs makes a
 *	 node's own proof useless as its peer's (no reflection).
 */
struct dmpool_wire_auth {
	__u8 mac[DMPOOL_WIRE_MAC_LEN];
};

#define DMPOOL_WIRE_AUTH_LABEL	"dmpool-auth-v1"

/**
 * struct dmpool_wire_io - the head of a GET or PUT request
 * @pool_id:  the pool, as installed on both nodes
 * @index:    first page (4 KiB units from the start of the pool)
 * @nr_pages: 1..DMPOOL_WIRE_IO_MAX_PAGES, all in one extent homed on the
 *	      receiver
 * @flags:    0, or for a PUT on a connection with DMPOOL_WIRE_FEAT_FENCE,
 *	      DMPOOL_WIRE_IO_F_FENCED
 *
 * A GET is exactly this struct; its reply is exactly @nr_pages * 4096
 * bytes (pages never written read as zeroes).  A PUT is this struct,
 * then (with DMPOOL_WIRE_IO_F_FENCED) a struct dmpool_wire_fence, then
 * exactly @nr_pages * 4096 bytes; its reply is empty.  Reply statuses:
 * ENOENT no such pool at the home, ENXIO pages outside the pool or not
 * homed there, ENOMEM the home could not allocate (try again), EINVAL a
 * malformed request, ESTALE a fenced PUT older than the newest token the
 * home saw for the file (nothing was written).
 */
struct dmpool_wire_io {
	__le64 pool_id;
	__le64 index;
	__le32 nr_pages;
	__le32 flags;
};

#define DMPOOL_WIRE_IO_F_FENCED	0x1U	/* a struct dmpool_wire_fence follows */

/**
 * struct dmpool_wire_fence - the fencing stamp of a PUT
 * @file_id: the file the pages belong to, nonzero
 * @token:   the fencing token of the writer's grant of the file's mutex
 */
struct dmpool_wire_fence {
	__le64 file_id;
	__le64 token;
};

/**
 * struct dmpool_wire_fence_raise - FENCE: a file's mutex has a new holder
 * @pool_id: the pool, as installed on both nodes
 * @fence:   the file (nonzero) and the new holder's token
 *
 * Sent, on connections with DMPOOL_WIRE_FEAT_FENCE_RAISE, to every home of
 * a file's pages when its mutex is granted after the previous holder's
 * node died (that holder may live on, cut off), or with a value block
 * that never held a token: from then on the home refuses the file's
 * write-backs stamped with older tokens, even before the new holder
 * writes.  The reply is a struct dmpool_wire_fence_newest.  Statuses:
 * ENOENT no such pool at the home, ENXIO the home has no page of the pool,
 * EINVAL a malformed request or a token above 2^62 - 1.
 */
struct dmpool_wire_fence_raise {
	__le64 pool_id;
	struct dmpool_wire_fence fence;
};

/**
 * struct dmpool_wire_fence_newest - reply to FENCE
 * @token: the file's newest token at the home before the request (0 if
 *	   none); the newest is now the larger of it and the request's.  If
 *	   it was not below the request's, another holder may have that
 *	   token: the new holder must take one above it.
 */
struct dmpool_wire_fence_newest {
	__le64 token;
};

/**
 * struct dmpool_wire_mem - reply to MEM: the sender's exposed memory
 * @capacity:  bytes its store lends to pools
 * @committed: bytes of it promised to pools
 * @used:      bytes of store pages allocated
 */
struct dmpool_wire_mem {
	__le64 capacity;
	__le64 committed;
	__le64 used;
};

/*
 * Byte-order helpers that need no kernel or libc header: little endian
 * by construction, whatever the host.
 */
static inline __u16 dmpool_wire_get16(const __le16 *p)
{
	const __u8 *b = (const __u8 *)p;

	return (__u16)(b[0] | b[1] << 8);
}

static inline __u32 dmpool_wire_get32(const __le32 *p)
{
	const __u8 *b = (const __u8 *)p;

	return (__u32)b[0] | (__u32)b[1] << 8 | (__u32)b[2] << 16 |
	       (__u32)b[3] << 24;
}

static inline __u64 dmpool_wire_get64(const __le64 *p)
{
	const __le32 *w = (const __le32 *)p;

	return (__u64)dmpool_wire_get32(&w[0]) |
	       (__u64)dmpool_wire_get32(&w[1]) << 32;
}

static inline void dmpool_wire_put16(__le16 *p, __u16 v)
{
	__u8 *b = (__u8 *)p;

	b[0] = v & 0xff;
	b[1] = v >> 8;
}

static inline void dmpool_wire_put32(__le32 *p, __u32 v)
{
	__u8 *b = (__u8 *)p;

	b[0] = v & 0xff;
	b[1] = (v >> 8) & 0xff;
	b[2] = (v >> 16) & 0xff;
	b[3] = v >> 24;
}

static inline void dmpool_wire_put64(__le64 *p, __u64 v)
{
	__le32 *w = (__le32 *)p;

	dmpool_wire_put32(&w[0], (__u32)v);
	dmpool_wire_put32(&w[1], (__u32)(v >> 32));
}

/**
 * dmpool_wire_hdr_check - validate a received header
 * @h:   the 24 header bytes as received
 * @len: out: the payload length, bounded by DMPOOL_WIRE_MAX_PAYLOAD
 *
 * Return: 0 if the header may be used, -1 if the frame is malformed.
 */
static inline int dmpool_wire_hdr_check(const struct dmpool_wire_hdr *h,
					__u32 *len)
{
	__u16 flags = dmpool_wire_get16(&h->flags);
	__u16 type = dmpool_wire_get16(&h->type);

	if (dmpool_wire_get32(&h->magic) != DMPOOL_WIRE_MAGIC)
		return -1;
	if (flags & ~DMPOOL_WIRE_F_ALL)
		return -1;
	if (type == 0 || type >= DMPOOL_WIRE_TYPES)
		return -1;
	if (!(flags & DMPOOL_WIRE_F_REPLY) && dmpool_wire_get32(&h->status))
		return -1;
	*len = dmpool_wire_get32(&h->len);
	if (*len > DMPOOL_WIRE_MAX_PAYLOAD)
		return -1;
	return 0;
}

/* Fill a header for a frame of @len payload bytes. */
static inline void dmpool_wire_hdr_init(struct dmpool_wire_hdr *h,
					__u16 type, __u16 flags, __u32 len,
					__u32 status, __u64 tag)
{
	dmpool_wire_put32(&h->magic, DMPOOL_WIRE_MAGIC);
	dmpool_wire_put16(&h->type, type);
	dmpool_wire_put16(&h->flags, flags);
	dmpool_wire_put32(&h->len, len);
	dmpool_wire_put32(&h->status, status);
	dmpool_wire_put64(&h->tag, tag);
}

#endif /* _DMPOOL_PROTO_H */
