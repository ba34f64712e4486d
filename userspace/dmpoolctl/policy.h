/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl access policies (DMPOOL_FEAT_POLICY): the --owner, --group,
 * --mode, --grant and --no-grants options of pool create, pool set and
 * file set, and the owner, group, mode and grants that pool show and file
 * show print.  The parsing and printing are pure but for the user and
 * group database (getpwnam(), getgrnam() and their reverse).
 */
#ifndef DMPOOLCTL_POLICY_H
#define DMPOOLCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/dmpool.h>

#include "json.h"

/*
 * A policy: what the user gave on the command line (has_*: given), or
 * what the module reported (has_*: present in the reply).
 */
struct ctl_policy {
	bool has_uid, has_gid, has_mode, has_grants;
	uint32_t uid, gid, mode;
	size_t ngrants;
	struct dmpool_grant grants[DMPOOL_GRANTS_MAX];
};

/* Whether the user gave any policy option. */
bool policy_given(const struct ctl_policy *p);

/*
 * USER (a name of the user database, or a number below 4294967295),
 * GROUP likewise, RIGHTS (letters r, w, a, each at most once).  Each
 * returns 0, or -1 with a one-line reason in @err.
 */
int policy_parse_user(const char *arg, uint32_t *uid, char *err, size_t len);
int policy_parse_group(const char *arg, uint32_t *gid, char *err,
		       size_t len);
int policy_parse_rights(const char *arg, uint32_t *rights, char *err,
			size_t len);

/*
 * Add "USER:RIGHTS" to @p's grants: -1 with a reason for a bad user or
 * rights, a user granted twice, or more than DMPOOL_GRANTS_MAX grants.
 */
int policy_add_grant(struct ctl_policy *p, const char *arg, char *err,
		     size_t len);

/* "rwa", "r", "wa"...: the letters of @rights' bits; "-" for none. */
const char *policy_rights_str(uint32_t rights, char *buf, size_t len);

/* "alice (1000)", or "1000" for an ID the database does not know. */
const char *policy_user_str(uint32_t uid, char *buf, size_t len);
const char *policy_group_str(uint32_t gid, char *buf, size_t len);

/* Enough for policy_user_str(), policy_group_str(). */
#define POLICY_NAME_MAX 80

/*
 * The text lines "owner:", "group:", "mode:" and "grants:" (those
 * reported), keys padded to @width.
 */
void policy_show(FILE *out, const struct ctl_policy *p, int width);

/*
 * Table cells of @size bytes: "alice:staff" (names, else IDs), "0640",
 * "bob:r,1000:rw" or "none"; "-" for what was not reported.
 */
void policy_cells(const struct ctl_policy *p, char *owner, char *mode,
		  char *grants, size_t size);

/* "grants":[{"uid":N,"user":"name","rights":"rw"},...] if reported. */
void policy_json_grants(struct json_writer *w, const struct ctl_policy *p);
/* "uid", "gid", "mode" (a number) if reported, then the grants. */
void policy_json_fields(struct json_writer *w, const struct ctl_policy *p);

/*
 * The module's rules for @n grants: at most DMPOOL_GRANTS_MAX, uids other
 * than (uint32_t)-1 and distinct, rights nonzero within DMPOOL_RIGHTS_ALL.
 * 0, or -1 with a one-line reason.
 */
int policy_check_grants(const struct dmpool_grant *g, size_t n, char *why,
			size_t whylen);

/* A GRANTS payload of @len bytes into @p: -1 with a reason if malformed. */
int policy_decode_grants(const void *data, size_t len, struct ctl_policy *p,
			 char *why, size_t whylen);

#endif /* DMPOOLCTL_POLICY_H */
