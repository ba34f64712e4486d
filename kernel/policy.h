/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool access policies (DMPOOL_FEAT_POLICY): the owner, group, mode and
 * per-user grants of a pool or a file, and the one check that turns them
 * and the caller's credentials into DMPOOL_RIGHT_* bits (policy.c).
 */
#ifndef _DMPOOL_POLICY_H
#define _DMPOOL_POLICY_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/dmpool.h>

/**
 * struct dmpool_policy - who may do what with a pool or a file
 * @uid:       the owner (initial user namespace)
 * @gid:       the group
 * @mode:      permission bits, at most 0777 (x unused)
 * @nr_grants: entries in @grants
 * @grants:    per-user grants, distinct uids, nonzero rights
 */
struct dmpool_policy {
	u32 uid;
	u32 gid;
	u32 mode;
	u32 nr_grants;
	struct dmpool_grant grants[DMPOOL_GRANTS_MAX];
};

/* A pool created without policy attributes: root:root 0666, no grants. */
#define DMPOOL_POLICY_DEFAULT_MODE	0666

/* Which fields a change sets (POOL_SET, FILE_SET). */
#define DMPOOL_POLICY_SET_UID		BIT(0)
#define DMPOOL_POLICY_SET_GID		BIT(1)
#define DMPOOL_POLICY_SET_MODE		BIT(2)
#define DMPOOL_POLICY_SET_GRANTS	BIT(3)

u32 dmpool_policy_rights(const struct dmpool_policy *p);
void dmpool_policy_update(struct dmpool_policy *p,
			  const struct dmpool_policy *from, u32 mask);
int dmpool_policy_grants_parse(const void *data, size_t len,
			       struct dmpool_policy *p, const char **why);

#endif /* _DMPOOL_POLICY_H */
