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
};

/* The exact payload length of each fixed-size attribute, 0 for others. */
static int fixed_len(int type)
{
	switch (type) {
	case DMPOOL_A_ABI_VERSION:
	case DMPOOL_A_POOL_FLAGS:
	case DMPOOL_A_POOL_ATTACHED:
		return 4;
	case DMPOOL_A_FEATURES:
	case DMPOOL_A_POOL_ID:
	case DMPOOL_A_POOL_SIZE:
	case DMPOOL_A_POOL_CACHED:
	case DMPOOL_A_POOL_STORED:
	case DMPOOL_A_STORE_CAPACITY:
	case DMPOOL_A_STORE_COMMITTED:
		return 8;
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

int reply_pool(struct nlattr *tb[DMPOOL_A_MAX + 1], struct ctl_pool *pool,
	       char *why, size_t len)
{
	const char *name;

	memset(pool, 0, sizeof(*pool));
	if (!tb[DMPOOL_A_POOL_ID])
		return missing("POOL_ID", why, len);
	if (!tb[DMPOOL_A_POOL_NAME])
		return missing("POOL_NAME", why, len);
	if (!tb[DMPOOL_A_POOL_SIZE])
		return missing("POOL_SIZE", why, len);

	pool->id = nla_get_u64(tb[DMPOOL_A_POOL_ID]);
	if (pool->id == 0) {
		snprintf(why, len, "pool ID is 0");
		return -1;
	}
	/* Exactly one NUL, at the end: no truncation, no embedded NUL. */
	name = nla_get_string(tb[DMPOOL_A_POOL_NAME]);
	if (nla_len(tb[DMPOOL_A_POOL_NAME]) < 1 ||
	    name[nla_len(tb[DMPOOL_A_POOL_NAME]) - 1] != '\0' ||
	    strlen(name) + 1 != (size_t)nla_len(tb[DMPOOL_A_POOL_NAME]) ||
	    !dmp_name_valid(name)) {
		snprintf(why, len, "invalid pool name in reply");
		return -1;
	}
	snprintf(pool->name, sizeof(pool->name), "%s", name);
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
	return 0;
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
