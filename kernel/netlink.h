/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool generic netlink family: what netlink.c shares with the files of
 * the family's other commands (netlink_files.c, netlink_cluster.c).
 */
#ifndef _DMPOOL_NETLINK_H
#define _DMPOOL_NETLINK_H

#include <net/genetlink.h>

#include "dmpool.h"

extern struct genl_family dmpool_genl_family;

int dmpool_nl_check_attrs(struct nlattr **attrs,
			  struct netlink_ext_ack *extack,
			  unsigned long allowed);
int dmpool_nl_check_attr_map(struct nlattr **attrs,
			     struct netlink_ext_ack *extack,
			     const unsigned long *allowed);
/* An attribute from 64 on, for dmpool_nl_check_attrs_hi(). */
#define DMPOOL_NL_HI(type)	BIT_ULL((type) - 64)
int dmpool_nl_check_attrs_hi(struct nlattr **attrs,
			     struct netlink_ext_ack *extack,
			     unsigned long allowed, u64 allowed_hi);
void dmpool_nl_set_err(struct netlink_ext_ack *extack,
		       const struct nlattr *attr, const char *msg);
struct dmpool_pool *dmpool_nl_pool_find(struct nlattr **attrs,
					struct netlink_ext_ack *extack);

int dmpool_nl_file_new(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_file_del(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_file_get(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_file_dump(struct sk_buff *skb, struct netlink_callback *cb);

int dmpool_nl_cluster_req(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_req_accept(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_req_done(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_cluster_set(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_cluster_get(struct sk_buff *skb, struct genl_info *info);
/* netlink_policy.c: owner, group, mode and grants (DMPOOL_FEAT_POLICY) */

/* The uid, gid and mode attribute types of a pool's or a file's policy. */
struct dmpool_nl_policy_types {
	int uid, gid, mode;
};

extern const struct dmpool_nl_policy_types dmpool_nl_pool_policy_types;
extern const struct dmpool_nl_policy_types dmpool_nl_file_policy_types;

/* For the @allowed_hi of dmpool_nl_check_attrs_hi(). */
#define DMPOOL_NL_POOL_POLICY_ATTRS \
	(DMPOOL_NL_HI(DMPOOL_A_POOL_UID) | DMPOOL_NL_HI(DMPOOL_A_POOL_GID) | \
	 DMPOOL_NL_HI(DMPOOL_A_POOL_MODE) | DMPOOL_NL_HI(DMPOOL_A_GRANTS))

/* Bytes of the policy attributes in a message. */
#define DMPOOL_NL_POLICY_SIZE \
	(3 * nla_total_size(sizeof(u32)) + \
	 nla_total_size(DMPOOL_GRANTS_MAX * sizeof(struct dmpool_grant)))

int dmpool_nl_policy_parse(struct nlattr **attrs,
			   const struct dmpool_nl_policy_types *types,
			   struct dmpool_policy *p, u32 *mask,
			   struct netlink_ext_ack *extack);
int dmpool_nl_policy_put(struct sk_buff *skb,
			 const struct dmpool_nl_policy_types *types,
			 const struct dmpool_policy *p);
struct dmpool_policy *
dmpool_nl_policy_change(struct genl_info *info,
			const struct dmpool_nl_policy_types *types, u32 *mask,
			struct dmpool_pool **poolp);
int dmpool_nl_pool_set(struct sk_buff *skb, struct genl_info *info);
int dmpool_nl_file_set(struct sk_buff *skb, struct genl_info *info);

#endif /* _DMPOOL_NETLINK_H */
