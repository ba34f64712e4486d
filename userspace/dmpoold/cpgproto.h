/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages dmpoold daemons exchange in the corosync CPG group "dmpool".
 *
 * Every message: u32 magic "DMPM", u16 version, u16 type, u32 body length
 * (bounded by CPGP_BODY_MAX), then the body, all little-endian.  CPG
 * delivers them in one total order to every member, and every daemon
 * applies the change messages in that order to its snapshot, so decisions
 * made at apply time from the snapshot alone are the same everywhere.
 *
 *	SYNC		u32 sender, snapshot (state.h encoding)
 *	NODE_ANNOUNCE	u32 node, u8 addr_len, addr, u16 port, u64 capacity,
 *			str version
 *	POOL_CREATE	u32 origin, u64 req, str name, u64 size, u32 replicas,
 *			u64 ttl_ms (resolved by the origin: never 0), policy
 *	POOL_DESTROY	u32 origin, u64 req, u64 pool (0: by name), str name,
 *			u32 flags (DMPOOL_POOL_DEL_FORCE)
 *	POOL_SET	u32 origin, u64 req, u64 pool, str name, u32 set
 *			(CPGP_SET_* of what changes, nonzero), u64 ttl_ms,
 *			policy (fields set does not name are ignored)
 *	ATTACH_COUNT	u32 node, u64 pool, u32 count
 *	POOL_EXPIRE	u64 pool, u64 idle_epoch it saw
 *	COMMISSION	u32 origin, u64 req, u32 node, u8 addr_len, addr,
 *			u16 port
 *	DECOMMISSION	u32 origin, u64 req, u32 node
 *	APPLIED		u32 origin, u64 req, u32 node (that applied it),
 *			u32 status (0 or errno), str message
 * (str: u16 length and bytes, no NUL; policy: dpolicy.h's encoding,
 * u32 uid, u32 gid, u32 mode, u8 ngrants <= DMPOOL_GRANTS_MAX, ngrants
 * (u32 uid, u32 rights).)  Version 2 added the policies.
 */
#ifndef DMPOOLD_CPGPROTO_H
#define DMPOOLD_CPGPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/dmpool.h>

#include "dpolicy.h"

#define CPGP_MAGIC	0x4d504d44U	/* "DMPM" */
#define CPGP_VERSION	2
#define CPGP_HDR_LEN	12
#define CPGP_BODY_MAX	(48U << 20)	/* a SYNC with the largest snapshot */
#define CPGP_MSG_MAX	255		/* APPLIED message bytes */
#define CPGP_GROUP	"dmpool"

enum cpgp_type {
	CPGP_SYNC = 1,
	CPGP_NODE_ANNOUNCE,
	CPGP_POOL_CREATE,
	CPGP_POOL_DESTROY,
	CPGP_POOL_SET,
	CPGP_ATTACH_COUNT,
	CPGP_POOL_EXPIRE,
	CPGP_COMMISSION,
	CPGP_DECOMMISSION,
	CPGP_APPLIED,
	CPGP_TYPE_MAX = CPGP_APPLIED
};

/* POOL_SET: what it changes. */
#define CPGP_SET_TTL		(1U << 0)
#define CPGP_SET_UID		(1U << 1)
#define CPGP_SET_GID		(1U << 2)
#define CPGP_SET_MODE		(1U << 3)
#define CPGP_SET_GRANTS		(1U << 4)
#define CPGP_SET_POLICY		(CPGP_SET_UID | CPGP_SET_GID | \
				 CPGP_SET_MODE | CPGP_SET_GRANTS)
#define CPGP_SET_ALL		(CPGP_SET_TTL | CPGP_SET_POLICY)

/* One decoded message: the fields its type uses, the rest zero. */
struct cpgp_msg {
	uint16_t type;
	uint32_t origin;		/* the requesting node (0: none) */
	uint64_t req;			/* the module's request ID there */
	uint32_t node;			/* sender, announced/attaching/... node */
	uint64_t pool;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	uint64_t size;
	uint32_t replicas;
	uint64_t ttl_ms;
	uint32_t set;			/* POOL_SET: CPGP_SET_* */
	struct dpolicy policy;		/* POOL_CREATE, POOL_SET */
	uint32_t flags;
	uint32_t count;
	uint64_t epoch;			/* POOL_EXPIRE: idle epoch */
	uint8_t addr_len;		/* 0, 4 or 16 */
	uint8_t addr[16];
	uint16_t port;
	uint64_t capacity;
	char version[64];
	uint32_t status;
	char message[CPGP_MSG_MAX + 1];
	const uint8_t *snap;		/* SYNC: points into the input */
	size_t snap_len;
};

const char *cpgp_type_name(uint16_t type);

/* Encode @m; *@buf malloc'd.  SYNC carries @m->snap.  0 or -1. */
int cpgp_encode(const struct cpgp_msg *m, uint8_t **buf, size_t *len);
/* Decode, bounds checked; 0, or -1 with a reason. */
int cpgp_decode(struct cpgp_msg *m, const uint8_t *buf, size_t len,
		char *why, size_t whylen);

#endif /* DMPOOLD_CPGPROTO_H */
