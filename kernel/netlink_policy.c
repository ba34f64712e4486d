// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool generic netlink family: access policies (DMPOOL_FEAT_POLICY).
 *
 * The owner, group, mode and grants attributes of pools (POOL_NEW,
 * POOL_SET, POOL_GET) and files (FILE_SET, FILE_GET): one parser and one
 * writer for both, and the POOL_SET command.  FILE_SET is in
 * netlink_files.c with the other file commands.  The family policy types
 * the attributes; the values are checked here, strictly, with an extack
 * message for each refusal (-EINVAL): a mode above 0777, a uid or gid of
 * -1, GRANTS that are not whole struct dmpool_grant entries, more than
 * DMPOOL_GRANTS_MAX, two for one uid, or rights 0 or beyond
 * DMPOOL_RIGHTS_ALL.
 *
 * POOL_SET changes state and so runs under dmpool_nl_lock like POOL_NEW
 * (netlink.c); the pool's policy_lock makes the change one step for the
 * readers (pool.c).
 */

#include <linux/bits.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>

#include "netlink.h"

/* A u32 uid or gid attribute: (u32)-1 is no ID. */
static int dmpool_nl_policy_id(struct nlattr *attr, bool gid, u32 *id,
			       struct netlink_ext_ack *extack)
{
	*id = nla_get_u32(attr);
	if (gid ? gid_valid(make_kgid(&init_user_ns, *id)) :
		  uid_valid(make_kuid(&init_user_ns, *id)))
		return 0;
	dmpool_nl_set_err(extack, attr, gid ? "not a group ID" : "not a user ID");
	return -EINVAL;
}

/**
 * dmpool_nl_policy_parse() - the policy attributes of a request
 * @attrs:  the request's attributes
 * @types:  the attribute types of the uid, gid and mode (POOL_* or FILE_*);
 *          GRANTS is DMPOOL_A_GRANTS for both
 * @p:      out: the values given (others untouched)
 * @mask:   out: DMPOOL_POLICY_SET_* bits of the values given
 * @extack: where to say what is wrong
 *
 * Return: 0, or -EINVAL with the extack set.
 */
int dmpool_nl_policy_parse(struct nlattr **attrs,
			   const struct dmpool_nl_policy_types *types,
			   struct dmpool_policy *p, u32 *mask,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *uid = attrs[types->uid], *gid = attrs[types->gid];
	struct nlattr *mode = attrs[types->mode];
	struct nlattr *grants = attrs[DMPOOL_A_GRANTS];
	const char *why;
	int err;

	*mask = 0;
	if (uid) {
		err = dmpool_nl_policy_id(uid, false, &p->uid, extack);
		if (err)
			return err;
		*mask |= DMPOOL_POLICY_SET_UID;
	}
	if (gid) {
		err = dmpool_nl_policy_id(gid, true, &p->gid, extack);
		if (err)
			return err;
		*mask |= DMPOOL_POLICY_SET_GID;
	}
	if (mode) {
		p->mode = nla_get_u32(mode);
		if (p->mode & ~0777U) {
			NL_SET_ERR_MSG_ATTR(extack, mode,
					    "a mode is permission bits, at most 0777");
			return -EINVAL;
		}
		*mask |= DMPOOL_POLICY_SET_MODE;
	}
	if (grants) {
		err = dmpool_policy_grants_parse(nla_data(grants),
						 nla_len(grants), p, &why);
		if (err) {
			dmpool_nl_set_err(extack, grants, why);
			return err;
		}
		*mask |= DMPOOL_POLICY_SET_GRANTS;
	}
	return 0;
}

/**
 * dmpool_nl_policy_put() - put a policy into a message
 * @skb:   the message
 * @types: the attribute types of the uid, gid and mode
 * @p:     the policy
 *
 * GRANTS is always put, empty when there are none.
 * Return: 0 or -EMSGSIZE.
 */
int dmpool_nl_policy_put(struct sk_buff *skb,
			 const struct dmpool_nl_policy_types *types,
			 const struct dmpool_policy *p)
{
	if (nla_put_u32(skb, types->uid, p->uid) ||
	    nla_put_u32(skb, types->gid, p->gid) ||
	    nla_put_u32(skb, types->mode, p->mode) ||
	    nla_put(skb, DMPOOL_A_GRANTS, p->nr_grants * sizeof(p->grants[0]),
		    p->grants))
		return -EMSGSIZE;
	return 0;
}

const struct dmpool_nl_policy_types dmpool_nl_pool_policy_types = {
	.uid	= DMPOOL_A_POOL_UID,
	.gid	= DMPOOL_A_POOL_GID,
	.mode	= DMPOOL_A_POOL_MODE,
};

const struct dmpool_nl_policy_types dmpool_nl_file_policy_types = {
	.uid	= DMPOOL_A_FILE_UID,
	.gid	= DMPOOL_A_FILE_GID,
	.mode	= DMPOOL_A_FILE_MODE,
};

/**
 * dmpool_nl_policy_change() - the change a POOL_SET or FILE_SET asks for
 * @info:  the request
 * @types: the uid, gid and mode attribute types
 * @mask:  out: DMPOOL_POLICY_SET_* bits of the values given, not 0
 * @poolp: out: the pool the request names, with a reference
 *
 * Return: the new values (kfree() them), or an ERR_PTR with the extack
 * set: -EINVAL for a bad value or no value at all, -ENOENT no such pool,
 * -ENOMEM.
 */
struct dmpool_policy *
dmpool_nl_policy_change(struct genl_info *info,
			const struct dmpool_nl_policy_types *types, u32 *mask,
			struct dmpool_pool **poolp)
{
	struct dmpool_policy *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return ERR_PTR(-ENOMEM);
	}
	err = dmpool_nl_policy_parse(info->attrs, types, p, mask,
				     info->extack);
	if (err)
		goto err_free;
	if (!*mask) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give an owner, a group, a mode or GRANTS");
		err = -EINVAL;
		goto err_free;
	}
	*poolp = dmpool_nl_pool_find(info->attrs, info->extack);
	if (IS_ERR(*poolp)) {
		err = PTR_ERR(*poolp);
		goto err_free;
	}
	return p;

err_free:
	kfree(p);
	return ERR_PTR(err);
}

/* POOL_SET: ID or NAME, and any of POOL_UID, POOL_GID, POOL_MODE, GRANTS. */
int dmpool_nl_pool_set(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_policy *p;
	struct dmpool_pool *pool;
	u32 mask;
	int err;

	err = dmpool_nl_check_attrs_hi(info->attrs, info->extack,
				       BIT(DMPOOL_A_POOL_ID) |
				       BIT(DMPOOL_A_POOL_NAME),
				       DMPOOL_NL_POOL_POLICY_ATTRS);
	if (err)
		return err;
	p = dmpool_nl_policy_change(info, &dmpool_nl_pool_policy_types, &mask,
				    &pool);
	if (IS_ERR(p))
		return PTR_ERR(p);
	dmpool_pool_set_policy(pool, p, mask);
	dmpool_pool_put(pool);
	kfree(p);
	return 0;
}
