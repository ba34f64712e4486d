// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool generic netlink family "dmpool": the control plane.
 *
 * dmpoolctl (and later dmpoold) create, list, show and destroy pools here,
 * and set up this node, its cluster key and its peers (transport.h); the
 * commands and attributes are defined in <linux/dmpool.h>.  The key never
 * leaves the kernel again: KEY_SET zeroizes it in the request after use,
 * and no reply carries it.
 *
 *  - One family-level policy, validated strictly for every command
 *    (resv_start_op is 0, as for any new family, so the core also checks
 *    every request's header): unknown attributes, output-only attributes,
 *    wrong lengths, a nonzero genlmsghdr.reserved and nlmsg_flags other
 *    than REQUEST, ACK, ECHO and DUMP are refused by the netlink core
 *    before our handlers run.  Each handler then refuses the attributes
 *    its command does not use (dmpool_nl_check_attrs()) and unknown flag
 *    bits.
 *  - Commands that change state (POOL_NEW, POOL_DEL, POOL_SET, NODE_SET,
 *    KEY_SET, PEER_ADD, PEER_DEL, the FILE_ commands but FILE_GET) need
 *    CAP_NET_ADMIN (GENL_ADMIN_PERM); the _GET
 *    commands are open to anyone.
 *  - Every error sets an extack message (and the offending attribute where
 *    there is one) that the tool prints as is.
 *  - The family is parallel_ops: the core does not hold genl_mutex, the
 *    lock of every generic netlink family, around our handlers.  Some of
 *    them wait for this node's I/O (POOL_DEL truncates a pool whose pages
 *    may be in flight to a silent home, up to request_timeout_ms), and
 *    the other families' commands must not wait for that.  (The core's
 *    cb_lock is still held for reading around every handler, so a family
 *    being registered or unregistered meanwhile does wait.)  The
 *    commands that change state carry DMPOOL_NL_F_LOCK and are serialized
 *    by dmpool_nl_lock (pre_doit, post_doit; killable), as genl_mutex did;
 *    the _GET commands and the dumps only read, under the locks of the
 *    layers they read (pool.c, peer.c, store.c), so they run at any
 *    time, also while a POOL_DEL waits.  The family lives in the initial
 *    network namespace only, as pools are per node.
 *  - The cluster commands (netlink_cluster.c) relay tools' requests to
 *    dmpoold through upcall.c, which also multicasts the "daemon" group's
 *    REQ_NOTIFY and the "events" group's EVENTs; POOL_NEW and POOL_DEL
 *    send their events from here, not from pool.c.
 *
 * Error messages are string literals: the 6.1 netlink_ext_ack holds only a
 * pointer to its message, read after the handler returns.  Where figures
 * help (a pool that does not fit), they are in VERSION_GET's reply, and
 * dmpoolctl fetches and prints them.
 */

#include <linux/bits.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "netlink.h"
#include "remote.h"
#include "upcall.h"

#define DMPOOL_NL_OUTPUT_ONLY \
	{ .type = NLA_REJECT, .reject_message = "output-only attribute" }

static const struct nla_policy dmpool_nl_policy[DMPOOL_A_MAX + 1] = {
	[DMPOOL_A_PAD]		= { .type = NLA_REJECT },
	[DMPOOL_A_ABI_VERSION]	= { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_FEATURES]	= { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_POOL_ID]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_NAME]	= { .type = NLA_NUL_STRING,
				    .len = DMPOOL_POOL_NAME_MAX },
	[DMPOOL_A_POOL_SIZE]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_FLAGS]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_ATTACHED] = { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_POOL_CACHED]	= { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_POOL_STORED]	= { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_STORE_CAPACITY] = { .type = NLA_U64 },
	[DMPOOL_A_STORE_COMMITTED] = { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_NODE_ID]	= { .type = NLA_U32 },
	/* ADDR and KEY lengths are checked by the handlers (-EINVAL). */
	[DMPOOL_A_ADDR]		= { .type = NLA_BINARY },
	[DMPOOL_A_PORT]		= { .type = NLA_U16 },
	[DMPOOL_A_KEY]		= { .type = NLA_BINARY },
	[DMPOOL_A_KEY_SET]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEERS]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_REJECTED_AUTH] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_REJECTED_MALFORMED] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_REJECTED_UNKNOWN] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_REQ_TIMEOUT_MS] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_STATE]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_RTT_NS]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_BYTES_IN] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_BYTES_OUT] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_FRAMES_IN] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_FRAMES_OUT] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_RECONNECTS] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_AUTH_FAILURES] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_MALFORMED] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_EXTENT_SIZE] = { .type = NLA_U64 },
	/* Range checked by the handler: -EINVAL, not the core's -ERANGE. */
	[DMPOOL_A_POOL_REPLICAS] = { .type = NLA_U32 },
	/* Whole __u32 entries; the count is checked against the size. */
	[DMPOOL_A_POOL_MAP]	= { .type = NLA_BINARY,
				    .len = DMPOOL_MAP_ENTRIES_MAX * sizeof(u32) },
	[DMPOOL_A_POOL_LOCAL_BYTES] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_FAULTS]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_PAGES_IN_LOCAL] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_PAGES_IN_REMOTE] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_PAGES_OUT_LOCAL] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_PAGES_OUT_REMOTE] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_IO_ERRORS] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_LAT_HIST]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_STORE_USED]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_MEM_SELF]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_MEM_AGE_MS]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_PAGES_IN] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_PAGES_OUT] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_PEER_IO_ERRORS] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_STALE_REFUSED] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_POOL_STALE_WRITES] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_FILE_ID]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_FILE_NAME]	= { .type = NLA_NUL_STRING,
				    .len = DMPOOL_FILE_NAME_MAX },
	[DMPOOL_A_FILE_OFFSET]	= DMPOOL_NL_OUTPUT_ONLY,
	/* Ranges checked by the handler (netlink_files.c): -EINVAL. */
	[DMPOOL_A_FILE_SIZE]	= { .type = NLA_U64 },
	[DMPOOL_A_FILE_PERMITS]	= { .type = NLA_U32 },
	[DMPOOL_A_FILE_MODE]	= { .type = NLA_U32 },
	/* Input of FILE_SET only; dmpool_nl_check_attrs() refuses the rest. */
	[DMPOOL_A_FILE_UID]	= { .type = NLA_U32 },
	[DMPOOL_A_FILE_GID]	= { .type = NLA_U32 },
	/* The cluster (netlink_cluster.c); ranges checked by the handlers. */
	[DMPOOL_A_REQ_ID]	= { .type = NLA_U64 },
	[DMPOOL_A_REQ_KIND]	= { .type = NLA_U32 },
	/* A request's arguments: attributes of this family, strictly. */
	[DMPOOL_A_REQ_ARGS]	= NLA_POLICY_NESTED(dmpool_nl_policy),
	[DMPOOL_A_REQ_UID]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_REQ_GID]	= DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_REQ_STATUS]	= { .type = NLA_U32 },
	[DMPOOL_A_REQ_MESSAGE]	= { .type = NLA_NUL_STRING,
				    .len = DMPOOL_REQ_MESSAGE_MAX },
	/*
	 * The daemon's result, relayed as is: its nests hold output
	 * attributes, so no nested policy; size checked by the handler.
	 */
	[DMPOOL_A_REQ_RESULT]	= { .type = NLA_NESTED },
	[DMPOOL_A_CLUSTER_NAME]	= { .type = NLA_NUL_STRING,
				    .len = DMPOOL_CLUSTER_NAME_MAX },
	[DMPOOL_A_CLUSTER_EPOCH] = { .type = NLA_U64 },
	/* Exact length checked by the handler: -EINVAL, not -ERANGE. */
	[DMPOOL_A_CLUSTER_CHECKSUM] = { .type = NLA_BINARY },
	[DMPOOL_A_CLUSTER_MEMBERS] = { .type = NLA_U64 },
	[DMPOOL_A_CLUSTER_QUORATE] = { .type = NLA_U32 },
	[DMPOOL_A_CLUSTER_DAEMON] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_CLUSTER_AGE_MS] = DMPOOL_NL_OUTPUT_ONLY,
	[DMPOOL_A_EVENT_KIND]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_TTL_MS]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_STATE]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_IDLE_MS]	= { .type = NLA_U64 },
	[DMPOOL_A_NODE_STATE]	= { .type = NLA_U32 },
	[DMPOOL_A_CLUSTER_NODE]	= { .type = NLA_NESTED },
	[DMPOOL_A_CLUSTER_POOL]	= { .type = NLA_NESTED },
	[DMPOOL_A_CRAWL_TARGETS] = { .type = NLA_NUL_STRING, .len = 1023 },
	[DMPOOL_A_CRAWL_HOST]	= { .type = NLA_NESTED },
	[DMPOOL_A_CRAWL_STATE]	= { .type = NLA_U32 },
	[DMPOOL_A_VERSION]	= { .type = NLA_NUL_STRING, .len = 63 },
	/* Access policies: values checked by netlink_policy.c (-EINVAL). */
	[DMPOOL_A_POOL_UID]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_GID]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_MODE]	= { .type = NLA_U32 },
	[DMPOOL_A_GRANTS]	= { .type = NLA_BINARY },
};

/*
 * The extack message for an attribute a command does not use.  Messages
 * must outlive the request (the core reads them after the handler), so
 * they are static strings, one per input attribute; the policy rejects
 * the others before a handler runs.
 */
static const char * const dmpool_nl_unused_msg[DMPOOL_A_MAX + 1] = {
	[DMPOOL_A_POOL_ID]	= "POOL_ID is not used by this command",
	[DMPOOL_A_POOL_NAME]	= "POOL_NAME is not used by this command",
	[DMPOOL_A_POOL_SIZE]	= "POOL_SIZE is not used by this command",
	[DMPOOL_A_POOL_FLAGS]	= "POOL_FLAGS is not used by this command",
	[DMPOOL_A_NODE_ID]	= "NODE_ID is not used by this command",
	[DMPOOL_A_ADDR]		= "ADDR is not used by this command",
	[DMPOOL_A_PORT]		= "PORT is not used by this command",
	[DMPOOL_A_KEY]		= "KEY is not used by this command",
	[DMPOOL_A_STORE_CAPACITY] = "STORE_CAPACITY is not used by this command",
	[DMPOOL_A_POOL_EXTENT_SIZE] = "POOL_EXTENT_SIZE is not used by this command",
	[DMPOOL_A_POOL_REPLICAS] = "POOL_REPLICAS is not used by this command",
	[DMPOOL_A_POOL_MAP]	= "POOL_MAP is not used by this command",
	[DMPOOL_A_FILE_NAME]	= "FILE_NAME is not used by this command",
	[DMPOOL_A_FILE_SIZE]	= "FILE_SIZE is not used by this command",
	[DMPOOL_A_FILE_PERMITS]	= "FILE_PERMITS is not used by this command",
	[DMPOOL_A_FILE_MODE]	= "FILE_MODE is not used by this command",
	[DMPOOL_A_REQ_ID]	= "REQ_ID is not used by this command",
	[DMPOOL_A_REQ_KIND]	= "REQ_KIND is not used by this command",
	[DMPOOL_A_REQ_ARGS]	= "REQ_ARGS is not used by this command",
	[DMPOOL_A_REQ_STATUS]	= "REQ_STATUS is not used by this command",
	[DMPOOL_A_REQ_MESSAGE]	= "REQ_MESSAGE is not used by this command",
	[DMPOOL_A_REQ_RESULT]	= "REQ_RESULT is not used by this command",
	[DMPOOL_A_CLUSTER_NAME]	= "CLUSTER_NAME is not used by this command",
	[DMPOOL_A_CLUSTER_EPOCH] = "CLUSTER_EPOCH is not used by this command",
	[DMPOOL_A_CLUSTER_CHECKSUM] = "CLUSTER_CHECKSUM is not used by this command",
	[DMPOOL_A_CLUSTER_MEMBERS] = "CLUSTER_MEMBERS is not used by this command",
	[DMPOOL_A_CLUSTER_QUORATE] = "CLUSTER_QUORATE is not used by this command",
	[DMPOOL_A_FILE_UID]	= "FILE_UID is output-only except in FILE_SET",
	[DMPOOL_A_FILE_GID]	= "FILE_GID is output-only except in FILE_SET",
	[DMPOOL_A_POOL_UID]	= "POOL_UID is not used by this command",
	[DMPOOL_A_POOL_GID]	= "POOL_GID is not used by this command",
	[DMPOOL_A_POOL_MODE]	= "POOL_MODE is not used by this command",
	[DMPOOL_A_GRANTS]	= "GRANTS is not used by this command",
};

/*
 * Set an extack message that is not a literal at the call site (it must
 * still be a static string: see the top of this file).
 */
void dmpool_nl_set_err(struct netlink_ext_ack *extack,
		       const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	NL_SET_BAD_ATTR(extack, attr);
	extack->_msg = msg;
}

/**
 * dmpool_nl_check_attr_map() - refuse attributes a command does not use
 * @attrs:   the parsed request attributes (may be NULL: none)
 * @extack:  where to report the first unused attribute
 * @allowed: bitmap of DMPOOL_A_MAX + 1 bits: the attributes the command
 *           takes
 *
 * The family policy says what each attribute looks like; this says which
 * ones a command accepts, so that a request is never half understood.
 *
 * Return: 0, or -EINVAL with the extack naming the attribute.
 */
int dmpool_nl_check_attr_map(struct nlattr **attrs,
			     struct netlink_ext_ack *extack,
			     const unsigned long *allowed)
{
	int type;

	if (!attrs)
		return 0;
	for (type = DMPOOL_A_UNSPEC + 1; type <= DMPOOL_A_MAX; type++) {
		if (!attrs[type] || test_bit(type, allowed))
			continue;
		/* Like lib/nlattr.c's reject_message: a static text. */
		dmpool_nl_set_err(extack, attrs[type],
				  dmpool_nl_unused_msg[type] ?:
				  "attribute not used by this command");
		return -EINVAL;
	}
	return 0;
}

/**
 * dmpool_nl_check_attrs_hi() - dmpool_nl_check_attr_map() with the allowed
 *	attributes as two masks
 * @attrs:      the parsed request attributes (may be NULL: none)
 * @extack:     where to report the first unused attribute
 * @allowed:    BIT(DMPOOL_A_x) of each attribute below 64 the command takes
 * @allowed_hi: DMPOOL_NL_HI(DMPOOL_A_x) of each attribute from 64 on
 *
 * Return: 0, or -EINVAL with the extack naming the attribute.
 */
int dmpool_nl_check_attrs_hi(struct nlattr **attrs,
			     struct netlink_ext_ack *extack,
			     unsigned long allowed, u64 allowed_hi)
{
	DECLARE_BITMAP(map, DMPOOL_A_MAX + 1) = { allowed };
	int type;

	BUILD_BUG_ON(BITS_PER_LONG != 64 || DMPOOL_A_MAX >= 128);
	for (type = 64; type <= DMPOOL_A_MAX; type++)
		if (allowed_hi & BIT_ULL(type - 64))
			__set_bit(type, map);
	return dmpool_nl_check_attr_map(attrs, extack, map);
}

/**
 * dmpool_nl_check_attrs() - dmpool_nl_check_attr_map() for attributes
 *	below BITS_PER_LONG
 * @attrs:   the parsed request attributes (may be NULL: none)
 * @extack:  where to report the first unused attribute
 * @allowed: BIT(DMPOOL_A_x) of each attribute the command takes; the
 *           attributes from BITS_PER_LONG on are never allowed
 *
 * Return: 0, or -EINVAL with the extack naming the attribute.
 */
int dmpool_nl_check_attrs(struct nlattr **attrs,
			  struct netlink_ext_ack *extack,
			  unsigned long allowed)
{
	return dmpool_nl_check_attrs_hi(attrs, extack, allowed, 0);
}

/* Bytes of a pool message; @map_entries: 0, or the map's (doit only). */
static size_t dmpool_nl_pool_size(u32 map_entries)
{
	return nla_total_size_64bit(sizeof(u64)) +		/* POOL_ID */
	       nla_total_size(DMPOOL_POOL_NAME_MAX + 1) +	/* POOL_NAME */
	       nla_total_size_64bit(sizeof(u64)) +		/* POOL_SIZE */
	       nla_total_size(sizeof(u32)) +			/* POOL_ATTACHED */
	       nla_total_size_64bit(sizeof(u64)) +		/* POOL_CACHED */
	       nla_total_size_64bit(sizeof(u64)) +		/* POOL_STORED */
	       nla_total_size_64bit(sizeof(u64)) +		/* EXTENT_SIZE */
	       nla_total_size(sizeof(u32)) +			/* REPLICAS */
	       7 * nla_total_size_64bit(sizeof(u64)) +		/* counters */
	       nla_total_size(DMPOOL_LAT_BUCKETS * sizeof(u64)) + /* LAT_HIST */
	       nla_total_size(map_entries * sizeof(u32)) +	/* POOL_MAP */
	       DMPOOL_NL_POLICY_SIZE;				/* policy */
}

/* The placement and counters of a pool message. */
static int dmpool_nl_put_pool_io(struct sk_buff *skb,
				 const struct dmpool_pool_stats *st)
{
	if (st->placed &&
	    (nla_put_u64_64bit(skb, DMPOOL_A_POOL_EXTENT_SIZE, st->extent_size,
			       DMPOOL_A_PAD) ||
	     nla_put_u32(skb, DMPOOL_A_POOL_REPLICAS, st->replicas)))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, DMPOOL_A_POOL_LOCAL_BYTES, st->local_bytes,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_FAULTS, st->faults,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_PAGES_IN_LOCAL,
			      st->pages_in_local, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_PAGES_IN_REMOTE,
			      st->pages_in_remote, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_PAGES_OUT_LOCAL,
			      st->pages_out_local, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_PAGES_OUT_REMOTE,
			      st->pages_out_remote, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_IO_ERRORS, st->io_errors,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_STALE_REFUSED,
			      st->stale_refused, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_STALE_WRITES,
			      st->stale_writes, DMPOOL_A_PAD) ||
	    nla_put(skb, DMPOOL_A_LAT_HIST, sizeof(st->lat), st->lat))
		return -EMSGSIZE;
	return 0;
}

/*
 * One pool message: the reply of POOL_NEW and POOL_GET (with the map, if
 * @map is given), a dump entry (without).
 */
static int dmpool_nl_fill_pool(struct sk_buff *skb,
			       const struct dmpool_pool_stats *st,
			       const struct dmpool_map *map,
			       u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmpool_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, DMPOOL_A_POOL_ID, st->id, DMPOOL_A_PAD) ||
	    nla_put_string(skb, DMPOOL_A_POOL_NAME, st->name) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_SIZE, st->size,
			      DMPOOL_A_PAD) ||
	    nla_put_u32(skb, DMPOOL_A_POOL_ATTACHED, st->attached) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_CACHED, st->cached,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_POOL_STORED, st->stored,
			      DMPOOL_A_PAD) ||
	    dmpool_nl_put_pool_io(skb, st) ||
	    dmpool_nl_policy_put(skb, &dmpool_nl_pool_policy_types,
				 &st->policy) ||
	    (map && nla_put(skb, DMPOOL_A_POOL_MAP,
			    map->nr_extents * map->replicas * sizeof(u32),
			    map->homes))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * A pool reply is allocated before the pool is created (POOL_NEW), so
 * that a created pool is not lost for want of memory for its reply.
 */
struct dmpool_nl_pool_reply {
	struct sk_buff *msg;
	struct dmpool_pool_stats *st;
};

static int dmpool_nl_pool_reply_alloc(struct dmpool_nl_pool_reply *r,
				      u32 map_entries,
				      struct netlink_ext_ack *extack)
{
	r->st = kmalloc(sizeof(*r->st), GFP_KERNEL);
	r->msg = genlmsg_new(dmpool_nl_pool_size(map_entries), GFP_KERNEL);
	if (r->st && r->msg)
		return 0;
	kfree(r->st);
	nlmsg_free(r->msg);
	NL_SET_ERR_MSG(extack, "out of memory");
	return -ENOMEM;
}

static void dmpool_nl_pool_reply_free(struct dmpool_nl_pool_reply *r)
{
	kfree(r->st);
	nlmsg_free(r->msg);
}

/* Send @r to @info with the pool's current state and its map. */
static int dmpool_nl_pool_reply_send(struct dmpool_nl_pool_reply *r,
				     struct genl_info *info,
				     struct dmpool_pool *pool)
{
	struct sk_buff *msg = r->msg;
	int err;

	dmpool_pool_stats(pool, r->st);
	err = dmpool_nl_fill_pool(msg, r->st, pool->map, info->snd_portid,
				  info->snd_seq, 0, info->genlhdr->cmd);
	kfree(r->st);
	/* The message was sized for one pool. */
	if (WARN_ON_ONCE(err)) {
		NL_SET_ERR_MSG(info->extack, "reply message too small");
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int dmpool_nl_version_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack, 0);
	if (err)
		return err;
	msg = genlmsg_new(nla_total_size(sizeof(u32)) +
			  3 * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &dmpool_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, DMPOOL_A_ABI_VERSION, DMPOOL_ABI_VERSION) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_FEATURES, DMPOOL_FEATURES,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_STORE_CAPACITY,
			      dmpool_store_capacity(), DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_STORE_COMMITTED,
			      dmpool_store_committed(), DMPOOL_A_PAD))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	/* The message was sized for these attributes. */
	WARN_ON_ONCE(1);
	NL_SET_ERR_MSG(info->extack, "reply message too small");
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Check the optional FLAGS attribute against the flags a command knows. */
static int dmpool_nl_flags(struct genl_info *info, u32 known, u32 *flags)
{
	struct nlattr *attr = info->attrs[DMPOOL_A_POOL_FLAGS];

	*flags = attr ? nla_get_u32(attr) : 0;
	if (*flags & ~known) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "unknown flags for this command");
		return -EINVAL;
	}
	return 0;
}

static bool dmpool_nl_name_ok(struct netlink_ext_ack *extack,
			      struct nlattr *attr)
{
	const char *name = nla_data(attr);

	if (dmpool_pool_name_valid(name, strlen(name)))
		return true;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "invalid pool name: 1 to 63 of A-Z a-z 0-9 . _ -, not starting with . or -");
	return false;
}

/**
 * dmpool_nl_pool_find() - the pool a request names
 * @attrs:  the request's attributes: POOL_ID or POOL_NAME, exactly one
 * @extack: where to say what is wrong
 *
 * Return: the pool with a reference, or an ERR_PTR with the extack set.
 */
struct dmpool_pool *dmpool_nl_pool_find(struct nlattr **attrs,
					struct netlink_ext_ack *extack)
{
	struct nlattr *id_attr = attrs[DMPOOL_A_POOL_ID];
	struct nlattr *name_attr = attrs[DMPOOL_A_POOL_NAME];
	struct dmpool_pool *pool;

	if (id_attr && name_attr) {
		NL_SET_ERR_MSG_ATTR(extack, name_attr,
				    "give a pool ID or a pool name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(extack, "a pool ID or a pool name is required");
		return ERR_PTR(-EINVAL);
	}

	if (id_attr) {
		pool = dmpool_pool_get(nla_get_u64(id_attr), NULL);
		if (!pool) {
			NL_SET_ERR_MSG_ATTR(extack, id_attr,
					    "no pool with this ID");
			return ERR_PTR(-ENOENT);
		}
		return pool;
	}

	if (!dmpool_nl_name_ok(extack, name_attr))
		return ERR_PTR(-EINVAL);
	pool = dmpool_pool_get(0, nla_data(name_attr));
	if (!pool) {
		NL_SET_ERR_MSG_ATTR(extack, name_attr,
				    "no pool with this name");
		return ERR_PTR(-ENOENT);
	}
	return pool;
}

static struct dmpool_pool *dmpool_nl_pool_lookup(struct genl_info *info)
{
	return dmpool_nl_pool_find(info->attrs, info->extack);
}

/*
 * The placement map of a POOL_NEW, if it has one (*@mapp NULL otherwise),
 * checked against the pool's size, this node and its peers.
 */
static int dmpool_nl_pool_map(struct genl_info *info, u64 size,
			      struct dmpool_map **mapp)
{
	struct nlattr *map_attr = info->attrs[DMPOOL_A_POOL_MAP];
	struct nlattr *ext_attr = info->attrs[DMPOOL_A_POOL_EXTENT_SIZE];
	struct nlattr *rep_attr = info->attrs[DMPOOL_A_POOL_REPLICAS];
	struct nlattr *id_attr = info->attrs[DMPOOL_A_POOL_ID];
	DECLARE_BITMAP(nodes, DMPOOL_NODES_MAX + 1);
	struct dmpool_peer_info *peer;
	struct dmpool_map *map;
	const char *why;
	u32 self, id;

	*mapp = NULL;
	if (!map_attr) {
		struct nlattr *extra = ext_attr ?: rep_attr ?: id_attr;

		if (!extra)
			return 0;
		NL_SET_ERR_MSG_ATTR(info->extack, extra,
				    "only a placed pool (POOL_MAP) takes POOL_ID, POOL_EXTENT_SIZE or POOL_REPLICAS");
		return -EINVAL;
	}
	if (!ext_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, map_attr,
				    "a placed pool needs POOL_EXTENT_SIZE");
		return -EINVAL;
	}
	if (id_attr && !nla_get_u64(id_attr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "pool ID 0 is not a pool ID");
		return -EINVAL;
	}
	if (nla_len(map_attr) % sizeof(u32)) {
		NL_SET_ERR_MSG_ATTR(info->extack, map_attr,
				    "the map is not a whole number of 32-bit node IDs");
		return -EINVAL;
	}
	self = dmpool_node_id_get();
	if (!self) {
		NL_SET_ERR_MSG(info->extack,
			       "set this node's ID (NODE_SET) before placing pools");
		return -ENOTCONN;
	}

	map = dmpool_map_create(size, nla_get_u64(ext_attr),
				rep_attr ? nla_get_u32(rep_attr) : 1,
				nla_data(map_attr),
				nla_len(map_attr) / sizeof(u32), self, &why);
	if (IS_ERR(map)) {
		dmpool_nl_set_err(info->extack,
				  PTR_ERR(map) == -EOPNOTSUPP ? rep_attr :
				  map_attr, why ?: "out of memory");
		return PTR_ERR(map);
	}

	/* Every node the map names is this one or a peer. */
	peer = kmalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer) {
		dmpool_map_free(map);
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return -ENOMEM;
	}
	dmpool_map_nodes(map, nodes);
	for_each_set_bit(id, nodes, DMPOOL_NODES_MAX + 1) {
		if (id == self || !dmpool_peer_get(id, peer))
			continue;
		kfree(peer);
		dmpool_map_free(map);
		NL_SET_ERR_MSG_ATTR(info->extack, map_attr,
				    "the map names a node that is neither this node nor a peer");
		return -EINVAL;
	}
	kfree(peer);
	*mapp = map;
	return 0;
}

static int dmpool_nl_pool_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[DMPOOL_A_POOL_NAME];
	struct nlattr *size_attr = info->attrs[DMPOOL_A_POOL_SIZE];
	struct nlattr *id_attr = info->attrs[DMPOOL_A_POOL_ID];
	struct dmpool_policy policy = {
		.mode = DMPOOL_POLICY_DEFAULT_MODE,
	};
	struct dmpool_nl_pool_reply reply;
	struct dmpool_pool_spec spec = {
		.policy = &policy,
	};
	struct dmpool_pool *pool;
	u32 flags, mask;
	u64 size;
	int err;

	err = dmpool_nl_check_attrs_hi(info->attrs, info->extack,
				       BIT(DMPOOL_A_POOL_NAME) |
				       BIT(DMPOOL_A_POOL_SIZE) |
				       BIT(DMPOOL_A_POOL_FLAGS) |
				       BIT(DMPOOL_A_POOL_ID) |
				       BIT(DMPOOL_A_POOL_EXTENT_SIZE) |
				       BIT(DMPOOL_A_POOL_REPLICAS) |
				       BIT(DMPOOL_A_POOL_MAP),
				       DMPOOL_NL_POOL_POLICY_ATTRS);
	if (err)
		return err;
	/* Not given: root:root 0666, no grants. */
	err = dmpool_nl_policy_parse(info->attrs, &dmpool_nl_pool_policy_types,
				     &policy, &mask, info->extack);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_POOL_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, DMPOOL_A_POOL_SIZE))
		return -EINVAL;
	if (!dmpool_nl_name_ok(info->extack, name_attr))
		return -EINVAL;
	size = nla_get_u64(size_attr);
	if (size < DMPOOL_POOL_SIZE_MIN) {
		NL_SET_ERR_MSG_ATTR(info->extack, size_attr,
				    "pool size must be at least 4096 bytes");
		return -EINVAL;
	}
	if (size > DMPOOL_POOL_SIZE_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, size_attr,
				    "pool size must be at most 1 TiB");
		return -EINVAL;
	}
	err = dmpool_nl_flags(info, 0, &flags);
	if (err)
		return err;
	spec.name = nla_data(name_attr);
	spec.size = round_up(size, PAGE_SIZE);
	spec.id = id_attr ? nla_get_u64(id_attr) : 0;
	err = dmpool_nl_pool_map(info, spec.size, &spec.map);
	if (err)
		return err;
	if (spec.id) {
		struct dmpool_pool *old = dmpool_pool_get(spec.id, NULL);

		if (old) {
			dmpool_pool_put(old);
			dmpool_map_free(spec.map);
			NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
					    "a pool with this ID exists");
			return -EEXIST;
		}
	}

	/*
	 * genlmsg_reply() can still fail after the pool was created (the
	 * socket's receive buffer is full, or the caller is gone): the pool
	 * then exists without a reply, and the tool can look it up by name.
	 */
	err = dmpool_nl_pool_reply_alloc(&reply, spec.map ?
					 spec.map->nr_extents *
					 spec.map->replicas : 0, info->extack);
	if (err) {
		dmpool_map_free(spec.map);
		return err;
	}

	err = dmpool_pool_create(&spec, &pool);	/* takes spec.map */
	switch (err) {
	case 0:
		break;
	case -EMFILE:
		NL_SET_ERR_MSG(info->extack,
			       "too many pools: at most 1024 on a node");
		goto err_free;
	case -EEXIST:
		/* dmpool_nl_lock serializes POOL_NEW: the ID was checked above. */
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "a pool with this name exists");
		goto err_free;
	case -ENOSPC:
		if (spec.map)
			NL_SET_ERR_MSG_ATTR(info->extack, size_attr,
					    "this node's share of the pool does not fit its exposed memory");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, size_attr,
					    "not enough free memory in this node's store for the pool");
		goto err_free;
	default:
		NL_SET_ERR_MSG(info->extack, "cannot create the pool");
		goto err_free;
	}

	dmpool_event_pool(DMPOOL_EVENT_POOL_NEW, pool->id, pool->name);
	err = dmpool_nl_pool_reply_send(&reply, info, pool);
	dmpool_pool_put(pool);
	return err;

err_free:
	dmpool_nl_pool_reply_free(&reply);
	return err;
}

static int dmpool_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_pool *pool;
	u32 flags;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_POOL_ID) |
				    BIT(DMPOOL_A_POOL_NAME) |
				    BIT(DMPOOL_A_POOL_FLAGS));
	if (err)
		return err;
	err = dmpool_nl_flags(info, DMPOOL_POOL_DEL_FORCE, &flags);
	if (err)
		return err;
	pool = dmpool_nl_pool_lookup(info);
	if (IS_ERR(pool))
		return PTR_ERR(pool);

	err = dmpool_pool_destroy(pool, flags & DMPOOL_POOL_DEL_FORCE);
	if (err == -EBUSY)
		NL_SET_ERR_MSG(info->extack,
			       "the pool is attached; force to destroy it anyway");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "the pool is already destroyed");
	else
		dmpool_event_pool(DMPOOL_EVENT_POOL_DEL, pool->id, pool->name);
	dmpool_pool_put(pool);
	return err;
}

static int dmpool_nl_pool_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_nl_pool_reply reply;
	struct dmpool_pool *pool;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_POOL_ID) |
				    BIT(DMPOOL_A_POOL_NAME));
	if (err)
		return err;
	pool = dmpool_nl_pool_lookup(info);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	err = dmpool_nl_pool_reply_alloc(&reply, pool->map ?
					 pool->map->nr_extents *
					 pool->map->replicas : 0, info->extack);
	if (!err)
		err = dmpool_nl_pool_reply_send(&reply, info, pool);
	dmpool_pool_put(pool);
	return err;
}

/*
 * A dump of everything takes no attributes; check that on the first call
 * (the only one with an extack) and remember it in *@checked.
 */
static int dmpool_nl_dump_check(struct netlink_callback *cb, bool *checked)
{
	int err;

	if (*checked)
		return 0;
	err = dmpool_nl_check_attrs(genl_dumpit_info(cb)->attrs, cb->extack, 0);
	if (!err)
		*checked = true;
	return err;
}

/*
 * Dump position: the last pool ID put into a message, and whether the
 * request was checked.
 */
struct dmpool_nl_dump_ctx {
	u64 last_id;
	bool checked;
};

static int dmpool_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmpool_nl_dump_ctx *ctx = (void *)cb->ctx;
	struct dmpool_pool_stats st;
	struct dmpool_pool *pool;
	int err;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	err = dmpool_nl_dump_check(cb, &ctx->checked);
	if (err)
		return err;
	while ((pool = dmpool_pool_get_next(ctx->last_id)) != NULL) {
		dmpool_pool_stats(pool, &st);
		dmpool_pool_put(pool);
		if (dmpool_nl_fill_pool(skb, &st, NULL,
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					DMPOOL_CMD_POOL_GET))
			break;	/* full: continue in the next skb */
		ctx->last_id = st.id;
	}
	return skb->len;
}

/* ------------------------------------------------------------------------
 * Nodes, keys and peers (transport.h)
 */

/* The required NODE_ID attribute, checked to be 1..DMPOOL_NODES_MAX. */
static int dmpool_nl_node_id(struct genl_info *info, u32 *id)
{
	struct nlattr *attr = info->attrs[DMPOOL_A_NODE_ID];

	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_NODE_ID)) {
		NL_SET_ERR_MSG(info->extack, "a node ID is required");
		return -EINVAL;
	}
	*id = nla_get_u32(attr);
	if (*id == 0 || *id > DMPOOL_NODES_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "node ID must be 1 to 64");
		return -EINVAL;
	}
	return 0;
}

/*
 * ADDR (required, 4 or 16 bytes) and PORT (optional, nonzero) as a socket
 * address.  @any_ok: the wildcard address is allowed (a listen address).
 */
static int dmpool_nl_sockaddr(struct genl_info *info, bool any_ok,
			      struct sockaddr_storage *ss)
{
	struct nlattr *addr = info->attrs[DMPOOL_A_ADDR];
	struct nlattr *port_attr = info->attrs[DMPOOL_A_PORT];
	u16 port = DMPOOL_PORT_DEFAULT;

	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_ADDR)) {
		NL_SET_ERR_MSG(info->extack, "an address is required");
		return -EINVAL;
	}
	if (port_attr) {
		port = nla_get_u16(port_attr);
		if (!port) {
			NL_SET_ERR_MSG_ATTR(info->extack, port_attr,
					    "port must be 1 to 65535");
			return -EINVAL;
		}
	}

	memset(ss, 0, sizeof(*ss));
	if (nla_len(addr) == sizeof(struct in_addr)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, nla_data(addr), sizeof(sin->sin_addr));
		if (ipv4_is_multicast(sin->sin_addr.s_addr) ||
		    ipv4_is_lbcast(sin->sin_addr.s_addr) ||
		    (!any_ok && ipv4_is_zeronet(sin->sin_addr.s_addr)))
			goto err_bad;
	} else if (nla_len(addr) == sizeof(struct in6_addr)) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, nla_data(addr),
		       sizeof(sin6->sin6_addr));
		if (ipv6_addr_is_multicast(&sin6->sin6_addr) ||
		    (!any_ok && ipv6_addr_any(&sin6->sin6_addr)) ||
		    (ipv6_addr_type(&sin6->sin6_addr) & IPV6_ADDR_LINKLOCAL))
			goto err_bad;
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, addr,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	return 0;

err_bad:
	if (any_ok)
		NL_SET_ERR_MSG_ATTR(info->extack, addr,
				    "not a unicast address or the wildcard");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, addr,
				    "not a unicast address of a node");
	return -EINVAL;
}

/* Put ADDR and PORT for @ss. */
static int dmpool_nl_put_sockaddr(struct sk_buff *skb,
				  const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET)
		return nla_put_in_addr(skb, DMPOOL_A_ADDR,
				       sin->sin_addr.s_addr) ?:
		       nla_put_u16(skb, DMPOOL_A_PORT, ntohs(sin->sin_port));
	return nla_put_in6_addr(skb, DMPOOL_A_ADDR, &sin6->sin6_addr) ?:
	       nla_put_u16(skb, DMPOOL_A_PORT, ntohs(sin6->sin6_port));
}

/*
 * The request of NODE_SET and PEER_ADD: NODE_ID, ADDR and an optional PORT,
 * nothing else.  @any_ok: the wildcard address is allowed (a listener).
 */
static int dmpool_nl_node_addr(struct genl_info *info, bool any_ok, u32 *id,
			       struct sockaddr_storage *ss)
{
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_NODE_ID) | BIT(DMPOOL_A_ADDR) |
				    BIT(DMPOOL_A_PORT));
	if (err)
		return err;
	err = dmpool_nl_node_id(info, id);
	if (err)
		return err;
	return dmpool_nl_sockaddr(info, any_ok, ss);
}

static int dmpool_nl_node_set(struct sk_buff *skb, struct genl_info *info)
{
	struct sockaddr_storage ss;
	u32 id;
	int err;

	err = dmpool_nl_node_addr(info, true, &id, &ss);
	if (err)
		return err;
	if (dmpool_pools_placed()) {
		NL_SET_ERR_MSG(info->extack,
			       "destroy the placed pools before changing this node's identity: their maps name it");
		return -EBUSY;
	}

	err = dmpool_node_set(id, &ss);
	switch (err) {
	case 0:
		break;
	case -EBUSY:
		NL_SET_ERR_MSG(info->extack,
			       "delete all peers before changing this node's identity");
		break;
	case -EADDRINUSE:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_PORT],
				    "the port is in use");
		break;
	case -EADDRNOTAVAIL:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_ADDR],
				    "the address is not one of this node's");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "cannot listen on this address");
		break;
	}
	return err;
}

static int dmpool_nl_node_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_node_info node;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack, 0);
	if (err)
		return err;
	dmpool_node_get(&node);
	msg = genlmsg_new(4 * nla_total_size(sizeof(u32)) +
			  nla_total_size(sizeof(struct in6_addr)) +
			  nla_total_size(sizeof(u16)) +
			  nla_total_size(sizeof(u32)) +
			  3 * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &dmpool_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr)
		goto err_free;
	if (node.id &&
	    (nla_put_u32(msg, DMPOOL_A_NODE_ID, node.id) ||
	     dmpool_nl_put_sockaddr(msg, &node.addr)))
		goto err_free;
	if (nla_put_u32(msg, DMPOOL_A_KEY_SET, node.key_set) ||
	    nla_put_u32(msg, DMPOOL_A_PEERS, node.peers) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_REJECTED_AUTH, node.rejected_auth,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_REJECTED_MALFORMED,
			      node.rejected_malformed, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_REJECTED_UNKNOWN,
			      node.rejected_unknown, DMPOOL_A_PAD) ||
	    nla_put_u32(msg, DMPOOL_A_REQ_TIMEOUT_MS,
			READ_ONCE(dmpool_request_timeout_ms)))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int dmpool_nl_key_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[DMPOOL_A_KEY];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_KEY)) {
		NL_SET_ERR_MSG(info->extack, "a key is required");
		return -EINVAL;
	}
	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_KEY));
	if (!err && (nla_len(attr) < DMPOOL_KEY_MIN ||
		     nla_len(attr) > DMPOOL_KEY_MAX)) {
		err = -EINVAL;
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the key must be 16 to 64 bytes");
	}
	if (!err) {
		err = dmpool_auth_set_key(nla_data(attr), nla_len(attr));
		if (err)
			NL_SET_ERR_MSG(info->extack, "cannot set the key");
	}
	/* Leave no copy of the key in the request. */
	memzero_explicit(nla_data(attr), nla_len(attr));
	return err;
}

static int dmpool_nl_peer_add(struct sk_buff *skb, struct genl_info *info)
{
	struct sockaddr_storage ss;
	u32 id;
	int err;

	err = dmpool_nl_node_addr(info, false, &id, &ss);
	if (err)
		return err;

	err = dmpool_peer_add(id, &ss);
	switch (err) {
	case 0:
		break;
	case -ENOTCONN:
		NL_SET_ERR_MSG(info->extack,
			       "this node has no ID yet: set it first (node set)");
		break;
	case -ENOKEY:
		NL_SET_ERR_MSG(info->extack,
			       "no cluster key is set: set it first (key set)");
		break;
	case -EINVAL:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_NODE_ID],
				    "this is this node's own ID");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_NODE_ID],
				    "a peer with this ID exists");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "cannot add the peer");
		break;
	}
	return err;
}

static int dmpool_nl_peer_del(struct sk_buff *skb, struct genl_info *info)
{
	u32 id;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_NODE_ID));
	if (err)
		return err;
	err = dmpool_nl_node_id(info, &id);
	if (err)
		return err;
	err = dmpool_peer_del(id);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_NODE_ID],
				    "no peer with this ID");
	else
		dmpool_remote_mem_forget(id);
	return err;
}

static size_t dmpool_nl_peer_size(void)
{
	return nla_total_size(sizeof(u32)) +			/* NODE_ID */
	       nla_total_size(sizeof(struct in6_addr)) +	/* ADDR */
	       nla_total_size(sizeof(u16)) +			/* PORT */
	       nla_total_size(sizeof(u32)) +			/* PEER_STATE */
	       11 * nla_total_size_64bit(sizeof(u64)) +	/* counters */
	       nla_total_size(DMPOOL_LAT_BUCKETS * sizeof(u64)); /* LAT_HIST */
}

static int dmpool_nl_fill_peer(struct sk_buff *skb,
			       const struct dmpool_peer_info *p,
			       u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmpool_genl_family, flags,
			  DMPOOL_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMPOOL_A_NODE_ID, p->id) ||
	    dmpool_nl_put_sockaddr(skb, &p->addr) ||
	    nla_put_u32(skb, DMPOOL_A_PEER_STATE, p->state) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_RTT_NS, p->rtt_ns,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_BYTES_IN, p->bytes_in,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_BYTES_OUT, p->bytes_out,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_FRAMES_IN, p->frames_in,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_FRAMES_OUT, p->frames_out,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_RECONNECTS, p->reconnects,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_AUTH_FAILURES,
			      p->auth_failures, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_MALFORMED, p->malformed,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_PAGES_IN, p->pages_in,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_PAGES_OUT, p->pages_out,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_PEER_IO_ERRORS, p->io_errors,
			      DMPOOL_A_PAD) ||
	    nla_put(skb, DMPOOL_A_LAT_HIST, sizeof(p->lat), p->lat)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int dmpool_nl_peer_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_peer_info p;
	struct sk_buff *msg;
	u32 id;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_NODE_ID));
	if (err)
		return err;
	err = dmpool_nl_node_id(info, &id);
	if (err)
		return err;
	if (dmpool_peer_get(id, &p)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_NODE_ID],
				    "no peer with this ID");
		return -ENOENT;
	}
	msg = genlmsg_new(dmpool_nl_peer_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = dmpool_nl_fill_peer(msg, &p, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int dmpool_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmpool_nl_dump_ctx *ctx = (void *)cb->ctx;
	struct dmpool_peer_info p;
	int err;

	err = dmpool_nl_dump_check(cb, &ctx->checked);
	if (err)
		return err;
	while (!dmpool_peer_get_next(ctx->last_id, &p)) {
		if (dmpool_nl_fill_peer(skb, &p, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;	/* full: continue in the next skb */
		ctx->last_id = p.id;
	}
	return skb->len;
}

/* ------------------------------------------------------------------------
 * Exposed memory
 */

static int dmpool_nl_mem_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[DMPOOL_A_STORE_CAPACITY];
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_STORE_CAPACITY));
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_STORE_CAPACITY))
		return -EINVAL;
	if (nla_get_u64(attr) > ram) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "more than this node's RAM");
		return -EINVAL;
	}
	err = dmpool_store_set_capacity(nla_get_u64(attr));
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "less than the store has committed to pools");
	return err;
}

/* One MEM_GET entry: @peer_state is ignored for this node (@self). */
static int dmpool_nl_fill_mem(struct sk_buff *skb, struct netlink_callback *cb,
			      u32 id, bool self,
			      const struct dmpool_mem_figures *m,
			      u32 peer_state, u32 age_ms)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &dmpool_genl_family, NLM_F_MULTI, DMPOOL_CMD_MEM_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMPOOL_A_NODE_ID, id) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_STORE_CAPACITY, m->capacity,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_STORE_COMMITTED, m->committed,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_STORE_USED, m->used,
			      DMPOOL_A_PAD) ||
	    (self && nla_put_u32(skb, DMPOOL_A_MEM_SELF, 1)) ||
	    (!self && (nla_put_u32(skb, DMPOOL_A_PEER_STATE, peer_state) ||
		       nla_put_u32(skb, DMPOOL_A_MEM_AGE_MS, age_ms)))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Dump position: @last_id is the last peer put (0: none yet), @self_done
 * says this node's entry is out.
 */
struct dmpool_nl_mem_ctx {
	u32 last_id;
	bool self_done;
	bool checked;
};

static int dmpool_nl_mem_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmpool_nl_mem_ctx *ctx = (void *)cb->ctx;
	struct dmpool_mem_figures m;
	struct dmpool_peer_info *p;
	u32 age_ms;
	int err;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	err = dmpool_nl_dump_check(cb, &ctx->checked);
	if (err)
		return err;
	if (!ctx->self_done) {
		m.capacity = dmpool_store_capacity();
		m.committed = dmpool_store_committed();
		m.used = dmpool_store_used();
		if (dmpool_nl_fill_mem(skb, cb, dmpool_node_id_get(), true, &m,
				       0, 0))
			return skb->len;
		ctx->self_done = true;
	}
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return skb->len ?: -ENOMEM;
	while (!dmpool_peer_get_next(ctx->last_id, p)) {
		if (dmpool_remote_mem_get(p->id, &m, &age_ms) &&
		    dmpool_nl_fill_mem(skb, cb, p->id, false, &m, p->state,
				       age_ms))
			break;	/* full: continue in the next skb */
		ctx->last_id = p->id;
	}
	kfree(p);
	return skb->len;
}

/* ops->internal_flags: the command changes state, take dmpool_nl_lock. */
#define DMPOOL_NL_F_LOCK	BIT(0)

/* Serializes the commands that change state (see the top of the file). */
static DEFINE_MUTEX(dmpool_nl_lock);

static int dmpool_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	if (!(ops->internal_flags & DMPOOL_NL_F_LOCK))
		return 0;
	/* Behind a POOL_DEL waiting for I/O: a fatal signal still ends it. */
	return mutex_lock_killable(&dmpool_nl_lock);
}

/* Only after a pre_doit that succeeded. */
static void dmpool_nl_post_doit(const struct genl_ops *ops,
				struct sk_buff *skb, struct genl_info *info)
{
	if (ops->internal_flags & DMPOOL_NL_F_LOCK)
		mutex_unlock(&dmpool_nl_lock);
}

static const struct genl_small_ops dmpool_nl_ops[] = {
	{
		.cmd	= DMPOOL_CMD_VERSION_GET,
		.doit	= dmpool_nl_version_get,
	},
	{
		.cmd	= DMPOOL_CMD_POOL_NEW,
		.doit	= dmpool_nl_pool_new,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_POOL_DEL,
		.doit	= dmpool_nl_pool_del,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_POOL_GET,
		.doit	= dmpool_nl_pool_get,
		.dumpit	= dmpool_nl_pool_dump,
	},
	{
		.cmd	= DMPOOL_CMD_NODE_SET,
		.doit	= dmpool_nl_node_set,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_NODE_GET,
		.doit	= dmpool_nl_node_get,
	},
	{
		.cmd	= DMPOOL_CMD_KEY_SET,
		.doit	= dmpool_nl_key_set,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_PEER_ADD,
		.doit	= dmpool_nl_peer_add,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_PEER_DEL,
		.doit	= dmpool_nl_peer_del,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_PEER_GET,
		.doit	= dmpool_nl_peer_get,
		.dumpit	= dmpool_nl_peer_dump,
	},
	{
		.cmd	= DMPOOL_CMD_MEM_SET,
		.doit	= dmpool_nl_mem_set,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_MEM_GET,
		.dumpit	= dmpool_nl_mem_dump,
	},
	/* The file commands wait for the cluster lock, not dmpool_nl_lock. */
	{
		.cmd	= DMPOOL_CMD_FILE_NEW,
		.doit	= dmpool_nl_file_new,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= DMPOOL_CMD_FILE_DEL,
		.doit	= dmpool_nl_file_del,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= DMPOOL_CMD_FILE_GET,
		.doit	= dmpool_nl_file_get,
		.dumpit	= dmpool_nl_file_dump,
	},
	/*
	 * The cluster (netlink_cluster.c).  CLUSTER_REQ waits for the daemon
	 * without dmpool_nl_lock, so that its ACCEPT and DONE run meanwhile;
	 * CLUSTER_REQ checks CAP_NET_ADMIN itself, by request kind.
	 */
	{
		.cmd	= DMPOOL_CMD_CLUSTER_REQ,
		.doit	= dmpool_nl_cluster_req,
	},
	{
		.cmd	= DMPOOL_CMD_REQ_ACCEPT,
		.doit	= dmpool_nl_req_accept,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= DMPOOL_CMD_REQ_DONE,
		.doit	= dmpool_nl_req_done,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= DMPOOL_CMD_CLUSTER_SET,
		.doit	= dmpool_nl_cluster_set,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= DMPOOL_CMD_CLUSTER_GET,
		.doit	= dmpool_nl_cluster_get,
	},
	/* Access policies (netlink_policy.c, netlink_files.c). */
	{
		.cmd	= DMPOOL_CMD_POOL_SET,
		.doit	= dmpool_nl_pool_set,
		.flags	= GENL_ADMIN_PERM,
		.internal_flags = DMPOOL_NL_F_LOCK,
	},
	{
		.cmd	= DMPOOL_CMD_FILE_SET,
		.doit	= dmpool_nl_file_set,
		.flags	= GENL_ADMIN_PERM,
	},
};

/* Indexed by enum dmpool_nl_group (upcall.h). */
static const struct genl_multicast_group dmpool_nl_mcgrps[] = {
	/* Requests for the daemon: only CAP_NET_ADMIN may join. */
	[DMPOOL_NL_GROUP_DAEMON] = { .name = DMPOOL_GENL_MCGRP_DAEMON,
				     .flags = GENL_MCAST_CAP_NET_ADMIN },
	[DMPOOL_NL_GROUP_EVENTS] = { .name = DMPOOL_GENL_MCGRP_EVENTS },
};

struct genl_family dmpool_genl_family __ro_after_init = {
	.name		= DMPOOL_GENL_NAME,
	.version	= DMPOOL_GENL_VERSION,
	.maxattr	= DMPOOL_A_MAX,
	.policy		= dmpool_nl_policy,
	.module		= THIS_MODULE,
	.small_ops	= dmpool_nl_ops,
	.n_small_ops	= ARRAY_SIZE(dmpool_nl_ops),
	.mcgrps		= dmpool_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(dmpool_nl_mcgrps),
	.parallel_ops	= true,
	.pre_doit	= dmpool_nl_pre_doit,
	.post_doit	= dmpool_nl_post_doit,
	/*
	 * No resv_start_op: left at 0, the core validates the header and
	 * the attributes of every command strictly.
	 */
};

int dmpool_netlink_init(void)
{
	int err;

	err = genl_register_family(&dmpool_genl_family);
	if (!err)
		dmpool_upcall_start();
	return err;
}

void dmpool_netlink_exit(void)
{
	/* End the CLUSTER_REQ waits first: unregistering waits for them. */
	dmpool_upcall_stop();
	genl_unregister_family(&dmpool_genl_family);
}
