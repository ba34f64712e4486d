// SPDX-License-Identifier: GPL-2.0
/*
 * Strict decoding of the module's replies.
 *
 * dmpoolctl trusts nothing it did not check: a reply with a short u64, an
 * unterminated or invalid name, a zero ID or a missing required attribute
 * is refused as "malformed reply from the module" rather than printed as
 * garbage.  libnl's policy check gives minimum lengths and string
 * termination; exact lengths and the required set are checked here.
 * These functions are pure (no socket), so the unit tests feed them
 * hand-built attribute streams.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/msg.h>

#include "../lib/dmpool.h"
#include "reply.h"

static struct nla_policy reply_policy[DMPOOL_A_MAX + 1] = {
	[DMPOOL_A_ABI_VERSION]		= { .type = NLA_U32 },
	[DMPOOL_A_FEATURES]		= { .type = NLA_U64 },
	[DMPOOL_A_POOL_ID]		= { .type = NLA_U64 },
	[DMPOOL_A_POOL_NAME]		= { .type = NLA_STRING,
					    .maxlen = DMPOOL_POOL_NAME_MAX + 1 },
	[DMPOOL_A_POOL_SIZE]		= { .type = NLA_U64 },
	[DMPOOL_A_POOL_FLAGS]		= { .type = NLA_U32 },
	[DMPOOL_A_POOL_ATTACHED]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_CACHED]		= { .type = NLA_U64 },
	[DMPOOL_A_POOL_STORED]		= { .type = NLA_U64 },
	[DMPOOL_A_STORE_CAPACITY]	= { .type = NLA_U64 },
	[DMPOOL_A_STORE_COMMITTED]	= { .type = NLA_U64 },
	[DMPOOL_A_NODE_ID]		= { .type = NLA_U32 },
	[DMPOOL_A_ADDR]			= { .type = NLA_UNSPEC },
	[DMPOOL_A_PORT]			= { .type = NLA_U16 },
	[DMPOOL_A_KEY_SET]		= { .type = NLA_U32 },
	[DMPOOL_A_PEERS]		= { .type = NLA_U32 },
	[DMPOOL_A_REJECTED_AUTH]	= { .type = NLA_U64 },
	[DMPOOL_A_REJECTED_MALFORMED]	= { .type = NLA_U64 },
	[DMPOOL_A_REJECTED_UNKNOWN]	= { .type = NLA_U64 },
	[DMPOOL_A_REQ_TIMEOUT_MS]	= { .type = NLA_U32 },
	[DMPOOL_A_PEER_STATE]		= { .type = NLA_U32 },
	[DMPOOL_A_PEER_RTT_NS]		= { .type = NLA_U64 },
	[DMPOOL_A_PEER_BYTES_IN]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_BYTES_OUT]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_FRAMES_IN]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_FRAMES_OUT]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_RECONNECTS]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_AUTH_FAILURES]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_MALFORMED]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_EXTENT_SIZE]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_REPLICAS]	= { .type = NLA_U32 },
	[DMPOOL_A_POOL_MAP]		= { .type = NLA_UNSPEC },
	[DMPOOL_A_POOL_LOCAL_BYTES]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_FAULTS]		= { .type = NLA_U64 },
	[DMPOOL_A_POOL_PAGES_IN_LOCAL]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_PAGES_IN_REMOTE]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_PAGES_OUT_LOCAL]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_PAGES_OUT_REMOTE] = { .type = NLA_U64 },
	[DMPOOL_A_POOL_IO_ERRORS]	= { .type = NLA_U64 },
	[DMPOOL_A_LAT_HIST]		= { .type = NLA_UNSPEC },
	[DMPOOL_A_STORE_USED]		= { .type = NLA_U64 },
	[DMPOOL_A_MEM_SELF]		= { .type = NLA_U32 },
	[DMPOOL_A_MEM_AGE_MS]		= { .type = NLA_U32 },
	[DMPOOL_A_PEER_PAGES_IN]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_PAGES_OUT]	= { .type = NLA_U64 },
	[DMPOOL_A_PEER_IO_ERRORS]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_STALE_REFUSED]	= { .type = NLA_U64 },
	[DMPOOL_A_POOL_STALE_WRITES]	= { .type = NLA_U64 },
	[DMPOOL_A_FILE_ID]		= { .type = NLA_U64 },
	[DMPOOL_A_FILE_NAME]		= { .type = NLA_STRING,
					    .maxlen = DMPOOL_FILE_NAME_MAX + 1 },
	[DMPOOL_A_FILE_OFFSET]		= { .type = NLA_U64 },
	[DMPOOL_A_FILE_SIZE]		= { .type = NLA_U64 },
	[DMPOOL_A_FILE_PERMITS]		= { .type = NLA_U32 },
	[DMPOOL_A_FILE_MODE]		= { .type = NLA_U32 },
	[DMPOOL_A_FILE_UID]		= { .type = NLA_U32 },
	[DMPOOL_A_FILE_GID]		= { .type = NLA_U32 },
	/* The cluster (DMPOOL_FEAT_CLUSTER) */
	[DMPOOL_A_REQ_ID]		= { .type = NLA_U64 },
	[DMPOOL_A_REQ_KIND]		= { .type = NLA_U32 },
	[DMPOOL_A_REQ_ARGS]		= { .type = NLA_NESTED },
	[DMPOOL_A_REQ_UID]		= { .type = NLA_U32 },
	[DMPOOL_A_REQ_GID]		= { .type = NLA_U32 },
	[DMPOOL_A_REQ_STATUS]		= { .type = NLA_U32 },
	[DMPOOL_A_REQ_MESSAGE]		= { .type = NLA_STRING,
					    .maxlen = DMPOOL_REQ_MESSAGE_MAX + 1 },
	[DMPOOL_A_REQ_RESULT]		= { .type = NLA_NESTED },
	[DMPOOL_A_CLUSTER_NAME]		= { .type = NLA_STRING,
					    .maxlen = DMPOOL_CLUSTER_NAME_MAX + 1 },
	[DMPOOL_A_CLUSTER_EPOCH]	= { .type = NLA_U64 },
	[DMPOOL_A_CLUSTER_CHECKSUM]	= { .type = NLA_UNSPEC },
	[DMPOOL_A_CLUSTER_MEMBERS]	= { .type = NLA_U64 },
	[DMPOOL_A_CLUSTER_QUORATE]	= { .type = NLA_U32 },
	[DMPOOL_A_CLUSTER_DAEMON]	= { .type = NLA_U32 },
	[DMPOOL_A_CLUSTER_AGE_MS]	= { .type = NLA_U32 },
	[DMPOOL_A_EVENT_KIND]		= { .type = NLA_U32 },
	[DMPOOL_A_POOL_TTL_MS]		= { .type = NLA_U64 },
	[DMPOOL_A_POOL_STATE]		= { .type = NLA_U32 },
	[DMPOOL_A_POOL_IDLE_MS]		= { .type = NLA_U64 },
	[DMPOOL_A_NODE_STATE]		= { .type = NLA_U32 },
	[DMPOOL_A_CLUSTER_NODE]		= { .type = NLA_NESTED },
	[DMPOOL_A_CLUSTER_POOL]		= { .type = NLA_NESTED },
	[DMPOOL_A_CRAWL_TARGETS]	= { .type = NLA_STRING, .maxlen = 1024 },
	[DMPOOL_A_CRAWL_HOST]		= { .type = NLA_NESTED },
	[DMPOOL_A_CRAWL_STATE]		= { .type = NLA_U32 },
	[DMPOOL_A_VERSION]		= { .type = NLA_STRING, .maxlen = 64 },
	/* Access policies (DMPOOL_FEAT_POLICY) */
	[DMPOOL_A_POOL_UID]		= { .type = NLA_U32 },
	[DMPOOL_A_POOL_GID]		= { .type = NLA_U32 },
	[DMPOOL_A_POOL_MODE]		= { .type = NLA_U32 },
	[DMPOOL_A_GRANTS]		= { .type = NLA_UNSPEC },
};

/* The exact payload length of each fixed-size attribute, 0 for others. */
static int fixed_len(int type)
{
	switch (type) {
	case DMPOOL_A_PORT:
		return 2;
	case DMPOOL_A_ABI_VERSION:
	case DMPOOL_A_POOL_FLAGS:
	case DMPOOL_A_POOL_ATTACHED:
	case DMPOOL_A_NODE_ID:
	case DMPOOL_A_KEY_SET:
	case DMPOOL_A_PEERS:
	case DMPOOL_A_REQ_TIMEOUT_MS:
	case DMPOOL_A_PEER_STATE:
	case DMPOOL_A_POOL_REPLICAS:
	case DMPOOL_A_MEM_SELF:
	case DMPOOL_A_MEM_AGE_MS:
	case DMPOOL_A_FILE_PERMITS:
	case DMPOOL_A_FILE_MODE:
	case DMPOOL_A_FILE_UID:
	case DMPOOL_A_FILE_GID:
	case DMPOOL_A_REQ_KIND:
	case DMPOOL_A_REQ_UID:
	case DMPOOL_A_REQ_GID:
	case DMPOOL_A_REQ_STATUS:
	case DMPOOL_A_CLUSTER_QUORATE:
	case DMPOOL_A_CLUSTER_DAEMON:
	case DMPOOL_A_CLUSTER_AGE_MS:
	case DMPOOL_A_EVENT_KIND:
	case DMPOOL_A_POOL_STATE:
	case DMPOOL_A_NODE_STATE:
	case DMPOOL_A_CRAWL_STATE:
	case DMPOOL_A_POOL_UID:
	case DMPOOL_A_POOL_GID:
	case DMPOOL_A_POOL_MODE:
		return 4;
	case DMPOOL_A_REJECTED_AUTH:
	case DMPOOL_A_REJECTED_MALFORMED:
	case DMPOOL_A_REJECTED_UNKNOWN:
	case DMPOOL_A_PEER_RTT_NS:
	case DMPOOL_A_PEER_BYTES_IN:
	case DMPOOL_A_PEER_BYTES_OUT:
	case DMPOOL_A_PEER_FRAMES_IN:
	case DMPOOL_A_PEER_FRAMES_OUT:
	case DMPOOL_A_PEER_RECONNECTS:
	case DMPOOL_A_PEER_AUTH_FAILURES:
	case DMPOOL_A_PEER_MALFORMED:
	case DMPOOL_A_FEATURES:
	case DMPOOL_A_POOL_ID:
	case DMPOOL_A_POOL_SIZE:
	case DMPOOL_A_POOL_CACHED:
	case DMPOOL_A_POOL_STORED:
	case DMPOOL_A_STORE_CAPACITY:
	case DMPOOL_A_STORE_COMMITTED:
	case DMPOOL_A_POOL_EXTENT_SIZE:
	case DMPOOL_A_POOL_LOCAL_BYTES:
	case DMPOOL_A_POOL_FAULTS:
	case DMPOOL_A_POOL_PAGES_IN_LOCAL:
	case DMPOOL_A_POOL_PAGES_IN_REMOTE:
	case DMPOOL_A_POOL_PAGES_OUT_LOCAL:
	case DMPOOL_A_POOL_PAGES_OUT_REMOTE:
	case DMPOOL_A_POOL_IO_ERRORS:
	case DMPOOL_A_STORE_USED:
	case DMPOOL_A_PEER_PAGES_IN:
	case DMPOOL_A_PEER_PAGES_OUT:
	case DMPOOL_A_PEER_IO_ERRORS:
	case DMPOOL_A_POOL_STALE_REFUSED:
	case DMPOOL_A_POOL_STALE_WRITES:
	case DMPOOL_A_FILE_ID:
	case DMPOOL_A_FILE_OFFSET:
	case DMPOOL_A_FILE_SIZE:
	case DMPOOL_A_REQ_ID:
	case DMPOOL_A_CLUSTER_EPOCH:
	case DMPOOL_A_CLUSTER_MEMBERS:
	case DMPOOL_A_POOL_TTL_MS:
	case DMPOOL_A_POOL_IDLE_MS:
		return 8;
	case DMPOOL_A_CLUSTER_CHECKSUM:
		return DMPOOL_CHECKSUM_LEN;
	case DMPOOL_A_LAT_HIST:
		return DMPOOL_LAT_BUCKETS * 8;
	default:
		return 0;
	}
}

static const char *const attr_names[DMPOOL_A_MAX + 1] = {
	[DMPOOL_A_ABI_VERSION]		= "ABI_VERSION",
	[DMPOOL_A_FEATURES]		= "FEATURES",
	[DMPOOL_A_POOL_ID]		= "POOL_ID",
	[DMPOOL_A_POOL_NAME]		= "POOL_NAME",
	[DMPOOL_A_POOL_SIZE]		= "POOL_SIZE",
	[DMPOOL_A_POOL_FLAGS]		= "POOL_FLAGS",
	[DMPOOL_A_POOL_ATTACHED]	= "POOL_ATTACHED",
	[DMPOOL_A_POOL_CACHED]		= "POOL_CACHED",
	[DMPOOL_A_POOL_STORED]		= "POOL_STORED",
	[DMPOOL_A_STORE_CAPACITY]	= "STORE_CAPACITY",
	[DMPOOL_A_STORE_COMMITTED]	= "STORE_COMMITTED",
	[DMPOOL_A_NODE_ID]		= "NODE_ID",
	[DMPOOL_A_ADDR]			= "ADDR",
	[DMPOOL_A_PORT]			= "PORT",
	[DMPOOL_A_KEY_SET]		= "KEY_SET",
	[DMPOOL_A_PEERS]		= "PEERS",
	[DMPOOL_A_REJECTED_AUTH]	= "REJECTED_AUTH",
	[DMPOOL_A_REJECTED_MALFORMED]	= "REJECTED_MALFORMED",
	[DMPOOL_A_REJECTED_UNKNOWN]	= "REJECTED_UNKNOWN",
	[DMPOOL_A_REQ_TIMEOUT_MS]	= "REQ_TIMEOUT_MS",
	[DMPOOL_A_PEER_STATE]		= "PEER_STATE",
	[DMPOOL_A_PEER_RTT_NS]		= "PEER_RTT_NS",
	[DMPOOL_A_PEER_BYTES_IN]	= "PEER_BYTES_IN",
	[DMPOOL_A_PEER_BYTES_OUT]	= "PEER_BYTES_OUT",
	[DMPOOL_A_PEER_FRAMES_IN]	= "PEER_FRAMES_IN",
	[DMPOOL_A_PEER_FRAMES_OUT]	= "PEER_FRAMES_OUT",
	[DMPOOL_A_PEER_RECONNECTS]	= "PEER_RECONNECTS",
	[DMPOOL_A_PEER_AUTH_FAILURES]	= "PEER_AUTH_FAILURES",
	[DMPOOL_A_PEER_MALFORMED]	= "PEER_MALFORMED",
	[DMPOOL_A_POOL_EXTENT_SIZE]	= "POOL_EXTENT_SIZE",
	[DMPOOL_A_POOL_REPLICAS]	= "POOL_REPLICAS",
	[DMPOOL_A_POOL_MAP]		= "POOL_MAP",
	[DMPOOL_A_POOL_LOCAL_BYTES]	= "POOL_LOCAL_BYTES",
	[DMPOOL_A_POOL_FAULTS]		= "POOL_FAULTS",
	[DMPOOL_A_POOL_PAGES_IN_LOCAL]	= "POOL_PAGES_IN_LOCAL",
	[DMPOOL_A_POOL_PAGES_IN_REMOTE]	= "POOL_PAGES_IN_REMOTE",
	[DMPOOL_A_POOL_PAGES_OUT_LOCAL]	= "POOL_PAGES_OUT_LOCAL",
	[DMPOOL_A_POOL_PAGES_OUT_REMOTE] = "POOL_PAGES_OUT_REMOTE",
	[DMPOOL_A_POOL_IO_ERRORS]	= "POOL_IO_ERRORS",
	[DMPOOL_A_POOL_STALE_REFUSED]	= "POOL_STALE_REFUSED",
	[DMPOOL_A_POOL_STALE_WRITES]	= "POOL_STALE_WRITES",
	[DMPOOL_A_LAT_HIST]		= "LAT_HIST",
	[DMPOOL_A_STORE_USED]		= "STORE_USED",
	[DMPOOL_A_MEM_SELF]		= "MEM_SELF",
	[DMPOOL_A_MEM_AGE_MS]		= "MEM_AGE_MS",
	[DMPOOL_A_PEER_PAGES_IN]	= "PEER_PAGES_IN",
	[DMPOOL_A_PEER_PAGES_OUT]	= "PEER_PAGES_OUT",
	[DMPOOL_A_PEER_IO_ERRORS]	= "PEER_IO_ERRORS",
	[DMPOOL_A_FILE_ID]		= "FILE_ID",
	[DMPOOL_A_FILE_NAME]		= "FILE_NAME",
	[DMPOOL_A_FILE_OFFSET]		= "FILE_OFFSET",
	[DMPOOL_A_FILE_SIZE]		= "FILE_SIZE",
	[DMPOOL_A_FILE_PERMITS]		= "FILE_PERMITS",
	[DMPOOL_A_FILE_MODE]		= "FILE_MODE",
	[DMPOOL_A_FILE_UID]		= "FILE_UID",
	[DMPOOL_A_FILE_GID]		= "FILE_GID",
	[DMPOOL_A_REQ_ID]		= "REQ_ID",
	[DMPOOL_A_REQ_KIND]		= "REQ_KIND",
	[DMPOOL_A_REQ_ARGS]		= "REQ_ARGS",
	[DMPOOL_A_REQ_UID]		= "REQ_UID",
	[DMPOOL_A_REQ_GID]		= "REQ_GID",
	[DMPOOL_A_REQ_STATUS]		= "REQ_STATUS",
	[DMPOOL_A_REQ_MESSAGE]		= "REQ_MESSAGE",
	[DMPOOL_A_REQ_RESULT]		= "REQ_RESULT",
	[DMPOOL_A_CLUSTER_NAME]		= "CLUSTER_NAME",
	[DMPOOL_A_CLUSTER_EPOCH]	= "CLUSTER_EPOCH",
	[DMPOOL_A_CLUSTER_CHECKSUM]	= "CLUSTER_CHECKSUM",
	[DMPOOL_A_CLUSTER_MEMBERS]	= "CLUSTER_MEMBERS",
	[DMPOOL_A_CLUSTER_QUORATE]	= "CLUSTER_QUORATE",
	[DMPOOL_A_CLUSTER_DAEMON]	= "CLUSTER_DAEMON",
	[DMPOOL_A_CLUSTER_AGE_MS]	= "CLUSTER_AGE_MS",
	[DMPOOL_A_EVENT_KIND]		= "EVENT_KIND",
	[DMPOOL_A_POOL_TTL_MS]		= "POOL_TTL_MS",
	[DMPOOL_A_POOL_STATE]		= "POOL_STATE",
	[DMPOOL_A_POOL_IDLE_MS]		= "POOL_IDLE_MS",
	[DMPOOL_A_NODE_STATE]		= "NODE_STATE",
	[DMPOOL_A_CLUSTER_NODE]		= "CLUSTER_NODE",
	[DMPOOL_A_CLUSTER_POOL]		= "CLUSTER_POOL",
	[DMPOOL_A_CRAWL_TARGETS]	= "CRAWL_TARGETS",
	[DMPOOL_A_CRAWL_HOST]		= "CRAWL_HOST",
	[DMPOOL_A_CRAWL_STATE]		= "CRAWL_STATE",
	[DMPOOL_A_VERSION]		= "VERSION",
};

static const char *attr_name(int type)
{
	return type > 0 && type <= DMPOOL_A_MAX && attr_names[type] ?
	       attr_names[type] : "?";
}

int reply_split(struct nlattr *attrs, int attrlen,
		struct nlattr *tb[DMPOOL_A_MAX + 1], char *why, size_t len)
{
	int type, err;

	err = nla_parse(tb, DMPOOL_A_MAX, attrs, attrlen, reply_policy);
	if (err < 0) {
		snprintf(why, len, "attributes fail validation (%s)",
			 nl_geterror(err));
		return -1;
	}
	for (type = 1; type <= DMPOOL_A_MAX; type++) {
		int want = fixed_len(type);

		if (tb[type] && want && nla_len(tb[type]) != want) {
			snprintf(why, len, "attribute %s has %d bytes, not %d",
				 attr_name(type), nla_len(tb[type]), want);
			return -1;
		}
	}
	return 0;
}

static int missing(const char *what, char *why, size_t len)
{
	snprintf(why, len, "attribute %s missing", what);
	return -1;
}

/* LAT_HIST, if present (its length was checked by reply_split()). */
static void reply_hist(struct nlattr *attr, struct ctl_hist *h)
{
	memset(h, 0, sizeof(*h));
	if (!attr)
		return;
	h->has = true;
	memcpy(h->bucket, nla_data(attr), sizeof(h->bucket));
}

static const int pool_counter_attr[POOL_NCOUNTERS] = {
	[POOL_CTR_FAULTS]	= DMPOOL_A_POOL_FAULTS,
	[POOL_CTR_IN_LOCAL]	= DMPOOL_A_POOL_PAGES_IN_LOCAL,
	[POOL_CTR_IN_REMOTE]	= DMPOOL_A_POOL_PAGES_IN_REMOTE,
	[POOL_CTR_OUT_LOCAL]	= DMPOOL_A_POOL_PAGES_OUT_LOCAL,
	[POOL_CTR_OUT_REMOTE]	= DMPOOL_A_POOL_PAGES_OUT_REMOTE,
	[POOL_CTR_IO_ERRORS]	= DMPOOL_A_POOL_IO_ERRORS,
	[POOL_CTR_STALE_REFUSED] = DMPOOL_A_POOL_STALE_REFUSED,
	[POOL_CTR_STALE_WRITES]	= DMPOOL_A_POOL_STALE_WRITES,
};

/* The attributes of a placed pool and its counters, all optional. */
static int reply_pool_remote(struct nlattr *tb[DMPOOL_A_MAX + 1],
			     struct ctl_pool *pool, char *why, size_t len)
{
	int i;

	if (tb[DMPOOL_A_POOL_EXTENT_SIZE]) {
		pool->has_extent_size = true;
		pool->extent_size = nla_get_u64(tb[DMPOOL_A_POOL_EXTENT_SIZE]);
		if (pool->extent_size == 0) {
			snprintf(why, len, "extent size is 0");
			return -1;
		}
	}
	if (tb[DMPOOL_A_POOL_REPLICAS]) {
		pool->has_replicas = true;
		pool->replicas = nla_get_u32(tb[DMPOOL_A_POOL_REPLICAS]);
		if (pool->replicas < 1 ||
		    pool->replicas > DMPOOL_REPLICAS_MAX) {
			snprintf(why, len, "replicas %u out of range",
				 pool->replicas);
			return -1;
		}
	}
	if (tb[DMPOOL_A_POOL_LOCAL_BYTES]) {
		pool->has_local_bytes = true;
		pool->local_bytes = nla_get_u64(tb[DMPOOL_A_POOL_LOCAL_BYTES]);
	}
	for (i = 0; i < POOL_NCOUNTERS; i++) {
		struct nlattr *a = tb[pool_counter_attr[i]];

		if (a) {
			pool->has_counter[i] = true;
			pool->counter[i] = nla_get_u64(a);
		}
	}
	reply_hist(tb[DMPOOL_A_LAT_HIST], &pool->lat);
	return 0;
}

/*
 * A pool's or a file's (@what) ID, nonzero, into *@id, and its name into
 * @name: the attribute holds exactly one NUL, at its end (no truncation,
 * no embedded NUL), and a name @valid accepts.
 */
static int reply_id_name(struct nlattr *id_attr, struct nlattr *name_attr,
			 int (*valid)(const char *), const char *what,
			 uint64_t *id, char *name, size_t name_len, char *why,
			 size_t len)
{
	const char *s = nla_get_string(name_attr);
	int n = nla_len(name_attr);

	*id = nla_get_u64(id_attr);
	if (*id == 0) {
		snprintf(why, len, "%s ID is 0", what);
		return -1;
	}
	if (n < 1 || s[n - 1] != '\0' || strlen(s) + 1 != (size_t)n ||
	    !valid(s)) {
		snprintf(why, len, "invalid %s name in reply", what);
		return -1;
	}
	snprintf(name, name_len, "%s", s);
	return 0;
}

/* A pool's owner, group and mode, and the GRANTS of a pool or a file. */
static int reply_policy_attrs(struct nlattr *tb[DMPOOL_A_MAX + 1],
			      struct ctl_policy *p, char *why, size_t len)
{
	if (tb[DMPOOL_A_POOL_UID]) {
		p->has_uid = true;
		p->uid = nla_get_u32(tb[DMPOOL_A_POOL_UID]);
	}
	if (tb[DMPOOL_A_POOL_GID]) {
		p->has_gid = true;
		p->gid = nla_get_u32(tb[DMPOOL_A_POOL_GID]);
	}
	if (tb[DMPOOL_A_POOL_MODE]) {
		p->has_mode = true;
		p->mode = nla_get_u32(tb[DMPOOL_A_POOL_MODE]);
	}
	if (!tb[DMPOOL_A_GRANTS])
		return 0;
	return policy_decode_grants(nla_data(tb[DMPOOL_A_GRANTS]),
				    (size_t)nla_len(tb[DMPOOL_A_GRANTS]), p,
				    why, len);
}

int reply_pool(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_pool *pool,
	       char *why, size_t len)
{
	memset(pool, 0, sizeof(*pool));
	if (!tb[DMPOOL_A_POOL_ID])
		return missing("POOL_ID", why, len);
	if (!tb[DMPOOL_A_POOL_NAME])
		return missing("POOL_NAME", why, len);
	if (!tb[DMPOOL_A_POOL_SIZE])
		return missing("POOL_SIZE", why, len);

	if (reply_id_name(tb[DMPOOL_A_POOL_ID], tb[DMPOOL_A_POOL_NAME],
			  dmp_name_valid, "pool", &pool->id, pool->name,
			  sizeof(pool->name), why, len) < 0)
		return -1;
	pool->size = nla_get_u64(tb[DMPOOL_A_POOL_SIZE]);

	if (tb[DMPOOL_A_POOL_ATTACHED]) {
		pool->has_attached = true;
		pool->attached = nla_get_u32(tb[DMPOOL_A_POOL_ATTACHED]);
	}
	if (tb[DMPOOL_A_POOL_CACHED]) {
		pool->has_cached = true;
		pool->cached = nla_get_u64(tb[DMPOOL_A_POOL_CACHED]);
	}
	if (tb[DMPOOL_A_POOL_STORED]) {
		pool->has_stored = true;
		pool->stored = nla_get_u64(tb[DMPOOL_A_POOL_STORED]);
	}
	if (reply_policy_attrs(tb, &pool->policy, why, len) < 0)
		return -1;
	return reply_pool_remote(tb, pool, why, len);
}

int reply_version(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_version *ver,
		  char *why, size_t len)
{
	memset(ver, 0, sizeof(*ver));
	if (!tb[DMPOOL_A_ABI_VERSION])
		return missing("ABI_VERSION", why, len);
	ver->abi_version = nla_get_u32(tb[DMPOOL_A_ABI_VERSION]);
	if (tb[DMPOOL_A_FEATURES])
		ver->features = nla_get_u64(tb[DMPOOL_A_FEATURES]);
	if (tb[DMPOOL_A_STORE_CAPACITY]) {
		ver->has_capacity = true;
		ver->store_capacity = nla_get_u64(tb[DMPOOL_A_STORE_CAPACITY]);
	}
	if (tb[DMPOOL_A_STORE_COMMITTED]) {
		ver->has_committed = true;
		ver->store_committed = nla_get_u64(tb[DMPOOL_A_STORE_COMMITTED]);
	}
	return 0;
}

/* ADDR (4 or 16 bytes) and PORT (nonzero) into @a. */
static int reply_addr(struct nlattr *tb[DMPOOL_A_MAX + 1], struct node_addr *a,
		      char *why, size_t len)
{
	int alen;

	if (!tb[DMPOOL_A_ADDR])
		return missing("ADDR", why, len);
	if (!tb[DMPOOL_A_PORT])
		return missing("PORT", why, len);
	alen = nla_len(tb[DMPOOL_A_ADDR]);
	if (alen != 4 && alen != 16) {
		snprintf(why, len, "attribute ADDR has %d bytes, not 4 or 16",
			 alen);
		return -1;
	}
	a->family = alen == 4 ? AF_INET : AF_INET6;
	memcpy(a->addr, nla_data(tb[DMPOOL_A_ADDR]), (size_t)alen);
	a->port = nla_get_u16(tb[DMPOOL_A_PORT]);
	if (a->port == 0) {
		snprintf(why, len, "port is 0");
		return -1;
	}
	return 0;
}

static uint64_t opt_u64(struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

int reply_node(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_node *node,
	       char *why, size_t len)
{
	memset(node, 0, sizeof(*node));
	if (!tb[DMPOOL_A_KEY_SET])
		return missing("KEY_SET", why, len);
	if (tb[DMPOOL_A_NODE_ID]) {
		node->has_id = true;
		node->id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
		if (node->id == 0 || node->id > DMPOOL_NODES_MAX) {
			snprintf(why, len, "node ID %u out of range", node->id);
			return -1;
		}
		if (reply_addr(tb, &node->addr, why, len) < 0)
			return -1;
	}
	node->key_set = nla_get_u32(tb[DMPOOL_A_KEY_SET]) != 0;
	if (tb[DMPOOL_A_PEERS])
		node->peers = nla_get_u32(tb[DMPOOL_A_PEERS]);
	if (tb[DMPOOL_A_REQ_TIMEOUT_MS])
		node->req_timeout_ms = nla_get_u32(tb[DMPOOL_A_REQ_TIMEOUT_MS]);
	node->rejected_auth = opt_u64(tb[DMPOOL_A_REJECTED_AUTH]);
	node->rejected_malformed = opt_u64(tb[DMPOOL_A_REJECTED_MALFORMED]);
	node->rejected_unknown = opt_u64(tb[DMPOOL_A_REJECTED_UNKNOWN]);
	return 0;
}

int reply_peer(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_peer *peer,
	       char *why, size_t len)
{
	memset(peer, 0, sizeof(*peer));
	if (!tb[DMPOOL_A_NODE_ID])
		return missing("NODE_ID", why, len);
	if (!tb[DMPOOL_A_PEER_STATE])
		return missing("PEER_STATE", why, len);
	peer->id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
	if (peer->id == 0 || peer->id > DMPOOL_NODES_MAX) {
		snprintf(why, len, "node ID %u out of range", peer->id);
		return -1;
	}
	if (reply_addr(tb, &peer->addr, why, len) < 0)
		return -1;
	peer->state = nla_get_u32(tb[DMPOOL_A_PEER_STATE]);
	peer->rtt_ns = opt_u64(tb[DMPOOL_A_PEER_RTT_NS]);
	peer->bytes_in = opt_u64(tb[DMPOOL_A_PEER_BYTES_IN]);
	peer->bytes_out = opt_u64(tb[DMPOOL_A_PEER_BYTES_OUT]);
	peer->frames_in = opt_u64(tb[DMPOOL_A_PEER_FRAMES_IN]);
	peer->frames_out = opt_u64(tb[DMPOOL_A_PEER_FRAMES_OUT]);
	peer->reconnects = opt_u64(tb[DMPOOL_A_PEER_RECONNECTS]);
	peer->auth_failures = opt_u64(tb[DMPOOL_A_PEER_AUTH_FAILURES]);
	peer->malformed = opt_u64(tb[DMPOOL_A_PEER_MALFORMED]);
	peer->has_pages_in = tb[DMPOOL_A_PEER_PAGES_IN] != NULL;
	peer->pages_in = opt_u64(tb[DMPOOL_A_PEER_PAGES_IN]);
	peer->has_pages_out = tb[DMPOOL_A_PEER_PAGES_OUT] != NULL;
	peer->pages_out = opt_u64(tb[DMPOOL_A_PEER_PAGES_OUT]);
	peer->has_io_errors = tb[DMPOOL_A_PEER_IO_ERRORS] != NULL;
	peer->io_errors = opt_u64(tb[DMPOOL_A_PEER_IO_ERRORS]);
	reply_hist(tb[DMPOOL_A_LAT_HIST], &peer->lat);
	return 0;
}

int reply_map(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_map *map,
	      char *why, size_t len)
{
	const uint8_t *data;
	int bytes;
	size_t i;

	map->n = 0;
	if (!tb[DMPOOL_A_POOL_MAP])
		return 0;
	bytes = nla_len(tb[DMPOOL_A_POOL_MAP]);
	if (bytes <= 0 || bytes % 4 ||
	    (size_t)bytes / 4 > DMPOOL_MAP_ENTRIES_MAX) {
		snprintf(why, len,
			 "attribute POOL_MAP has %d bytes, not 4 to %d in steps of 4",
			 bytes, DMPOOL_MAP_ENTRIES_MAX * 4);
		return -1;
	}
	data = nla_data(tb[DMPOOL_A_POOL_MAP]);
	for (i = 0; i < (size_t)bytes / 4; i++) {
		uint32_t id;

		memcpy(&id, data + i * 4, sizeof(id));	/* maybe unaligned */
		if (id == 0 || id > DMPOOL_NODES_MAX) {
			snprintf(why, len, "map entry %zu: node ID %u out of range",
				 i, id);
			return -1;
		}
		map->node[i] = id;
	}
	map->n = (size_t)bytes / 4;
	return 0;
}

int reply_mem(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_mem *mem,
	      char *why, size_t len)
{
	memset(mem, 0, sizeof(*mem));
	if (!tb[DMPOOL_A_NODE_ID])
		return missing("NODE_ID", why, len);
	if (!tb[DMPOOL_A_STORE_CAPACITY])
		return missing("STORE_CAPACITY", why, len);
	if (!tb[DMPOOL_A_STORE_COMMITTED])
		return missing("STORE_COMMITTED", why, len);
	mem->self = tb[DMPOOL_A_MEM_SELF] &&
		    nla_get_u32(tb[DMPOOL_A_MEM_SELF]) != 0;
	mem->node_id = nla_get_u32(tb[DMPOOL_A_NODE_ID]);
	if (mem->node_id > DMPOOL_NODES_MAX ||
	    (mem->node_id == 0 && !mem->self)) {
		snprintf(why, len, "node ID %u out of range", mem->node_id);
		return -1;
	}
	mem->capacity = nla_get_u64(tb[DMPOOL_A_STORE_CAPACITY]);
	mem->committed = nla_get_u64(tb[DMPOOL_A_STORE_COMMITTED]);
	if (tb[DMPOOL_A_STORE_USED]) {
		mem->has_used = true;
		mem->used = nla_get_u64(tb[DMPOOL_A_STORE_USED]);
	}
	if (tb[DMPOOL_A_PEER_STATE]) {
		mem->has_state = true;
		mem->state = nla_get_u32(tb[DMPOOL_A_PEER_STATE]);
	}
	if (tb[DMPOOL_A_MEM_AGE_MS]) {
		mem->has_age = true;
		mem->age_ms = nla_get_u32(tb[DMPOOL_A_MEM_AGE_MS]);
	}
	return 0;
}

int reply_file(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_file *file,
	       char *why, size_t len)
{
	static const int required[] = {
		DMPOOL_A_POOL_ID, DMPOOL_A_FILE_ID, DMPOOL_A_FILE_NAME,
		DMPOOL_A_FILE_OFFSET, DMPOOL_A_FILE_SIZE, DMPOOL_A_FILE_PERMITS,
		DMPOOL_A_FILE_MODE, DMPOOL_A_FILE_UID, DMPOOL_A_FILE_GID,
	};
	size_t i;

	memset(file, 0, sizeof(*file));
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!tb[required[i]])
			return missing(attr_name(required[i]), why, len);
	file->pool_id = nla_get_u64(tb[DMPOOL_A_POOL_ID]);
	if (file->pool_id == 0) {
		snprintf(why, len, "pool ID is 0");
		return -1;
	}
	if (reply_id_name(tb[DMPOOL_A_FILE_ID], tb[DMPOOL_A_FILE_NAME],
			  dmp_file_name_valid, "file", &file->id, file->name,
			  sizeof(file->name), why, len) < 0)
		return -1;
	file->offset = nla_get_u64(tb[DMPOOL_A_FILE_OFFSET]);
	file->size = nla_get_u64(tb[DMPOOL_A_FILE_SIZE]);
	file->permits = nla_get_u32(tb[DMPOOL_A_FILE_PERMITS]);
	file->mode = nla_get_u32(tb[DMPOOL_A_FILE_MODE]);
	file->uid = nla_get_u32(tb[DMPOOL_A_FILE_UID]);
	file->gid = nla_get_u32(tb[DMPOOL_A_FILE_GID]);
	if (file->permits < 1 || file->permits > DMPOOL_PERMITS_MAX) {
		snprintf(why, len, "permits %u out of range", file->permits);
		return -1;
	}
	if (file->mode & ~0777U) {
		snprintf(why, len, "mode %o out of range", file->mode);
		return -1;
	}
	return reply_policy_attrs(tb, &file->policy, why, len);
}

uint64_t mem_free(const struct ctl_mem *m)
{
	return m->capacity > m->committed ? m->capacity - m->committed : 0;
}

const char *peer_state_str(uint32_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[DMPOOL_PEER_CONNECTING]	= "connecting",
		[DMPOOL_PEER_CONNECTED]		= "connected",
		[DMPOOL_PEER_DOWN]		= "down",
		[DMPOOL_PEER_AUTH_FAILED]	= "auth-failed",
	};

	if (state < sizeof(names) / sizeof(names[0]))
		snprintf(buf, len, "%s", names[state]);
	else
		snprintf(buf, len, "state %u", state);
	return buf;
}
