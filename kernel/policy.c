// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool access policies: the permission check of pools and files.
 *
 * Every pool and every file carries a struct dmpool_policy: an owner, a
 * group, permission bits and up to DMPOOL_GRANTS_MAX per-user grants.
 * dmpool_policy_rights() is the only place that decides what the calling
 * task may do; chardev.c asks it at DMPOOL_IOC_ATTACH and at the file
 * ioctls (through pool.c's snapshot of the pool's policy), files.c at
 * DMPOOL_IOC_FILE_OPEN (with the policy of the file's directory entry).
 * The callers remember the answer where the uapi says so (an attached
 * description's write right, an open file's write right): a later policy
 * change does not reach descriptions already attached or files already
 * opened.
 *
 * The rules are those of a file's mode bits, with grants added:
 *  - CAP_DAC_OVERRIDE (in the initial user namespace) gives every right;
 *  - the owner (fsuid) gets the owner's r and w bits and
 *    DMPOOL_RIGHT_ADMIN; else a member of the group (fsgid or a
 *    supplementary group) gets the group's bits; else the others' bits;
 *  - a grant naming the fsuid adds its rights to these.
 * x bits mean nothing.  The IDs are those of the initial user namespace,
 * as on the wire; a task in another user namespace is seen by its kuid.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "policy.h"

/* DMPOOL_RIGHT_* of an rwx triplet (bits 2 and 1 of @bits). */
static u32 dmpool_policy_bits(u32 bits)
{
	u32 rights = 0;

	if (bits & 04)
		rights |= DMPOOL_RIGHT_READ;
	if (bits & 02)
		rights |= DMPOOL_RIGHT_WRITE;
	return rights;
}

/**
 * dmpool_policy_rights() - what the calling task may do under a policy
 * @p: the policy of a pool or a file (a snapshot: nothing is locked)
 *
 * Uses current's fsuid, fsgid and supplementary groups, and
 * capable(CAP_DAC_OVERRIDE), which may mark the task as having used a
 * privilege; so call it only where a right is needed.
 *
 * Context: process.
 * Return: DMPOOL_RIGHT_* bits, possibly 0.
 */
u32 dmpool_policy_rights(const struct dmpool_policy *p)
{
	kuid_t fsuid = current_fsuid();
	u32 uid = from_kuid(&init_user_ns, fsuid);
	u32 rights, i;

	if (uid_eq(fsuid, make_kuid(&init_user_ns, p->uid)))
		rights = dmpool_policy_bits(p->mode >> 6) | DMPOOL_RIGHT_ADMIN;
	else if (in_group_p(make_kgid(&init_user_ns, p->gid)))
		rights = dmpool_policy_bits(p->mode >> 3);
	else
		rights = dmpool_policy_bits(p->mode);

	/* An unmapped fsuid ((uid_t)-1) matches no grant. */
	for (i = 0; uid_valid(fsuid) && i < p->nr_grants; i++)
		if (p->grants[i].uid == uid)
			rights |= p->grants[i].rights & DMPOOL_RIGHTS_ALL;

	if ((rights & DMPOOL_RIGHTS_ALL) != DMPOOL_RIGHTS_ALL &&
	    capable(CAP_DAC_OVERRIDE))
		rights = DMPOOL_RIGHTS_ALL;
	return rights;
}

/**
 * dmpool_policy_update() - change some fields of a policy
 * @p:    the policy to change
 * @from: the new values
 * @mask: DMPOOL_POLICY_SET_* bits: the fields of @from to take
 */
void dmpool_policy_update(struct dmpool_policy *p,
			  const struct dmpool_policy *from, u32 mask)
{
	if (mask & DMPOOL_POLICY_SET_UID)
		p->uid = from->uid;
	if (mask & DMPOOL_POLICY_SET_GID)
		p->gid = from->gid;
	if (mask & DMPOOL_POLICY_SET_MODE)
		p->mode = from->mode;
	if (mask & DMPOOL_POLICY_SET_GRANTS) {
		p->nr_grants = from->nr_grants;
		memcpy(p->grants, from->grants,
		       from->nr_grants * sizeof(p->grants[0]));
	}
}

/**
 * dmpool_policy_grants_parse() - check and take a DMPOOL_A_GRANTS array
 * @data: struct dmpool_grant entries, as user space sent them
 * @len:  bytes at @data
 * @p:    out: @p->nr_grants and @p->grants (unchanged on error)
 * @why:  out on error: a static message for the extack
 *
 * Strict: whole entries, at most DMPOOL_GRANTS_MAX, distinct valid uids,
 * rights nonzero and within DMPOOL_RIGHTS_ALL.  No entry (@len 0) means
 * no grants.
 *
 * Return: 0 or -EINVAL.
 */
int dmpool_policy_grants_parse(const void *data, size_t len,
			       struct dmpool_policy *p, const char **why)
{
	struct dmpool_grant g[DMPOOL_GRANTS_MAX];
	u32 n = len / sizeof(g[0]), i, j;

	if (len % sizeof(g[0])) {
		*why = "GRANTS is not a whole number of 8-byte grants";
		return -EINVAL;
	}
	if (n > DMPOOL_GRANTS_MAX) {
		*why = "at most 8 grants";
		return -EINVAL;
	}
	memcpy(g, data, len);
	for (i = 0; i < n; i++) {
		if (!uid_valid(make_kuid(&init_user_ns, g[i].uid))) {
			*why = "a grant's uid is not a user ID";
			return -EINVAL;
		}
		if (!g[i].rights || g[i].rights & ~DMPOOL_RIGHTS_ALL) {
			*why = "a grant's rights must be nonzero DMPOOL_RIGHT_* bits";
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (g[j].uid == g[i].uid) {
				*why = "two grants for one uid";
				return -EINVAL;
			}
		}
	}
	p->nr_grants = n;
	memcpy(p->grants, g, len);
	return 0;
}
