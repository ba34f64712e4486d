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

#endif /* _DMPOOL_NETLINK_H */
