// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool generic netlink family "dmpool": the control plane.
 *
 * dmpoolctl (and later dmpoold) create, list, show and destroy pools here;
 * the commands and attributes are defined in <linux/dmpool.h>.
 *
 *  - One family-level policy, validated strictly for every command
 *    (resv_start_op is 0, as for any new family, so the core also checks
 *    every request's header): unknown attributes, output-only attributes,
 *    wrong lengths, a nonzero genlmsghdr.reserved and nlmsg_flags other
 *    than REQUEST, ACK, ECHO and DUMP are refused by the netlink core
 *    before our handlers run.  Each handler then refuses the attributes
 *    its command does not use (dmpool_nl_check_attrs()) and unknown flag
 *    bits.
 *  - Commands that change state (POOL_NEW, POOL_DEL) need CAP_NET_ADMIN
 *    (GENL_ADMIN_PERM); VERSION_GET and POOL_GET are open to anyone.
 *  - Every error sets an extack message (and the offending attribute where
 *    there is one) that the tool prints as is.
 *  - The family is not parallel_ops: the core serializes our handlers with
 *    genl_mutex.  It lives in the initial network namespace only, as pools
 *    are per node.
 *
 * Error messages are string literals: the 6.1 netlink_ext_ack holds only a
 * pointer to its message, read after the handler returns.  Where figures
 * help (a pool that does not fit), they are in VERSION_GET's reply, and
 * dmpoolctl fetches and prints them.
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "dmpool.h"

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
	[DMPOOL_A_STORE_CAPACITY] = { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
	[DMPOOL_A_STORE_COMMITTED] = { .type = NLA_REJECT,
				    .reject_message = "output-only attribute" },
};

static struct genl_family dmpool_genl_family;

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
};

/**
 * dmpool_nl_check_attrs() - refuse attributes a command does not use
 * @attrs:   the parsed request attributes (may be NULL: none)
 * @extack:  where to report the first unused attribute
 * @allowed: BIT(DMPOOL_A_x) of each attribute the command takes
 *
 * The family policy says what each attribute looks like; this says which
 * ones a command accepts, so that a request is never half understood.
 *
 * Return: 0, or -EINVAL with the extack naming the attribute.
 */
static int dmpool_nl_check_attrs(struct nlattr **attrs,
				 struct netlink_ext_ack *extack,
				 unsigned long allowed)
{
	int type;

	if (!attrs)
		return 0;
	for (type = DMPOOL_A_UNSPEC + 1; type <= DMPOOL_A_MAX; type++) {
		if (!attrs[type] || allowed & BIT(type))
			continue;
		if (extack) {
			NL_SET_BAD_ATTR(extack, attrs[type]);
			/* Like lib/nlattr.c's reject_message: a static text. */
			extack->_msg = dmpool_nl_unused_msg[type] ?:
				       "attribute not used by this command";
		}
		return -EINVAL;
	}
	return 0;
}

static size_t dmpool_nl_pool_size(void)
{
	return nla_total_size_64bit(sizeof(u64)) +		/* POOL_ID */
	       nla_total_size(DMPOOL_POOL_NAME_MAX + 1) +	/* POOL_NAME */
	       nla_total_size_64bit(sizeof(u64)) +		/* POOL_SIZE */
	       nla_total_size(sizeof(u32)) +			/* POOL_ATTACHED */
	       nla_total_size_64bit(sizeof(u64)) +		/* POOL_CACHED */
	       nla_total_size_64bit(sizeof(u64));		/* POOL_STORED */
}

/* One pool message: the reply of POOL_NEW and POOL_GET, a dump entry. */
static int dmpool_nl_fill_pool(struct sk_buff *skb,
			       const struct dmpool_pool_stats *st,
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
			      DMPOOL_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Reply to @info with the pool's current state. */
static int dmpool_nl_reply_pool(struct sk_buff *msg, struct genl_info *info,
				struct dmpool_pool *pool)
{
	struct dmpool_pool_stats st;
	int err;

	dmpool_pool_stats(pool, &st);
	err = dmpool_nl_fill_pool(msg, &st, info->snd_portid, info->snd_seq, 0,
				  info->genlhdr->cmd);
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

static bool dmpool_nl_name_ok(struct genl_info *info, struct nlattr *attr)
{
	const char *name = nla_data(attr);

	if (dmpool_pool_name_valid(name, strlen(name)))
		return true;
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "invalid pool name: 1 to 63 of A-Z a-z 0-9 . _ -, not starting with . or -");
	return false;
}

/*
 * The pool named by the request: POOL_ID or POOL_NAME, exactly one.
 * Returns it with a reference, or an ERR_PTR with the extack set.
 */
static struct dmpool_pool *dmpool_nl_pool_lookup(struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[DMPOOL_A_POOL_ID];
	struct nlattr *name_attr = info->attrs[DMPOOL_A_POOL_NAME];
	struct dmpool_pool *pool;

	if (id_attr && name_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "give a pool ID or a pool name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(info->extack,
			       "a pool ID or a pool name is required");
		return ERR_PTR(-EINVAL);
	}

	if (id_attr) {
		pool = dmpool_pool_get(nla_get_u64(id_attr), NULL);
		if (!pool) {
			NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
					    "no pool with this ID");
			return ERR_PTR(-ENOENT);
		}
		return pool;
	}

	if (!dmpool_nl_name_ok(info, name_attr))
		return ERR_PTR(-EINVAL);
	pool = dmpool_pool_get(0, nla_data(name_attr));
	if (!pool) {
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "no pool with this name");
		return ERR_PTR(-ENOENT);
	}
	return pool;
}

static int dmpool_nl_pool_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[DMPOOL_A_POOL_NAME];
	struct nlattr *size_attr = info->attrs[DMPOOL_A_POOL_SIZE];
	struct dmpool_pool *pool;
	struct sk_buff *msg;
	u64 size;
	u32 flags;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_POOL_NAME) |
				    BIT(DMPOOL_A_POOL_SIZE) |
				    BIT(DMPOOL_A_POOL_FLAGS));
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_POOL_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, DMPOOL_A_POOL_SIZE))
		return -EINVAL;
	if (!dmpool_nl_name_ok(info, name_attr))
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

	/*
	 * Allocate the reply first, so that a created pool is not lost for
	 * want of memory.  genlmsg_reply() can still fail after the pool
	 * was created (the socket's receive buffer is full, or the caller is
	 * gone): the pool then exists without a reply, and the tool can
	 * look it up by name.
	 */
	msg = genlmsg_new(dmpool_nl_pool_size(), GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return -ENOMEM;
	}

	err = dmpool_pool_create(nla_data(name_attr), size, &pool);
	switch (err) {
	case 0:
		break;
	case -EMFILE:
		NL_SET_ERR_MSG(info->extack,
			       "too many pools: at most 1024 on a node");
		goto err_free;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "a pool with this name exists");
		goto err_free;
	case -ENOSPC:
		NL_SET_ERR_MSG_ATTR(info->extack, size_attr,
				    "not enough free memory in this node's store for the pool");
		goto err_free;
	default:
		NL_SET_ERR_MSG(info->extack, "cannot create the pool");
		goto err_free;
	}

	err = dmpool_nl_reply_pool(msg, info, pool);
	dmpool_pool_put(pool);
	return err;

err_free:
	nlmsg_free(msg);
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
	dmpool_pool_put(pool);
	return err;
}

static int dmpool_nl_pool_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_pool *pool;
	struct sk_buff *msg;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    BIT(DMPOOL_A_POOL_ID) |
				    BIT(DMPOOL_A_POOL_NAME));
	if (err)
		return err;
	msg = genlmsg_new(dmpool_nl_pool_size(), GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return -ENOMEM;
	}
	pool = dmpool_nl_pool_lookup(info);
	if (IS_ERR(pool)) {
		nlmsg_free(msg);
		return PTR_ERR(pool);
	}
	err = dmpool_nl_reply_pool(msg, info, pool);
	dmpool_pool_put(pool);
	return err;
}

/*
 * Dump position: the last pool ID put into a message, and whether the
 * request was checked (on the first call, the only one with an extack).
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

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	if (!ctx->checked) {
		/* A dump of every pool takes no attributes. */
		int err = dmpool_nl_check_attrs(genl_dumpit_info(cb)->attrs,
						cb->extack, 0);

		if (err)
			return err;
		ctx->checked = true;
	}
	while ((pool = dmpool_pool_get_next(ctx->last_id)) != NULL) {
		dmpool_pool_stats(pool, &st);
		dmpool_pool_put(pool);
		if (dmpool_nl_fill_pool(skb, &st, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					DMPOOL_CMD_POOL_GET))
			break;	/* full: continue in the next skb */
		ctx->last_id = st.id;
	}
	return skb->len;
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
	},
	{
		.cmd	= DMPOOL_CMD_POOL_DEL,
		.doit	= dmpool_nl_pool_del,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= DMPOOL_CMD_POOL_GET,
		.doit	= dmpool_nl_pool_get,
		.dumpit	= dmpool_nl_pool_dump,
	},
};

static struct genl_family dmpool_genl_family __ro_after_init = {
	.name		= DMPOOL_GENL_NAME,
	.version	= DMPOOL_GENL_VERSION,
	.maxattr	= DMPOOL_A_MAX,
	.policy		= dmpool_nl_policy,
	.module		= THIS_MODULE,
	.small_ops	= dmpool_nl_ops,
	.n_small_ops	= ARRAY_SIZE(dmpool_nl_ops),
	/*
	 * No resv_start_op: left at 0, the core validates the header and
	 * the attributes of every command strictly.
	 */
};

int dmpool_netlink_init(void)
{
	return genl_register_family(&dmpool_genl_family);
}

void dmpool_netlink_exit(void)
{
	genl_unregister_family(&dmpool_genl_family);
}
