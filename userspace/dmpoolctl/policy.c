// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl access policies: parsing the options, printing the result.
 * See policy.h.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

bool policy_given(const struct ctl_policy *p)
{
	return p->has_uid || p->has_gid || p->has_mode || p->has_grants;
}

/* A decimal ID below (uint32_t)-1: 0 with *@id, 1 not a number, -1 bad. */
static int parse_id(const char *arg, uint32_t *id)
{
	unsigned long long v = 0;
	const char *p;

	if (!*arg)
		return 1;
	for (p = arg; *p; p++) {
		if (*p < '0' || *p > '9')
			return 1;
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v >= UINT32_MAX)
			return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

static bool lookup_user(const char *name, uint32_t *id)
{
	struct passwd *pw = getpwnam(name);

	if (pw)
		*id = (uint32_t)pw->pw_uid;
	return pw;
}

static bool lookup_group(const char *name, uint32_t *id)
{
	struct group *gr = getgrnam(name);

	if (gr)
		*id = (uint32_t)gr->gr_gid;
	return gr;
}

/* A number, or a name @lookup knows; @what names it in messages. */
static int parse_named_id(const char *arg, const char *what,
			  bool (*lookup)(const char *, uint32_t *),
			  uint32_t *id, char *err, size_t len)
{
	int r = parse_id(arg, id);

	if (r == 0)
		return 0;
	if (r < 0) {
		snprintf(err, len, "invalid %s '%s': IDs are 0 to 4294967294",
			 what, arg);
		return -1;
	}
	if (!lookup(arg, id)) {
		snprintf(err, len, "unknown %s '%s'", what, arg);
		return -1;
	}
	return 0;
}

int policy_parse_user(const char *arg, uint32_t *uid, char *err, size_t len)
{
	return parse_named_id(arg, "user", lookup_user, uid, err, len);
}

int policy_parse_group(const char *arg, uint32_t *gid, char *err, size_t len)
{
	return parse_named_id(arg, "group", lookup_group, gid, err, len);
}

static const struct {
	char letter;
	uint32_t bit;
} rights_letters[] = {
	{ 'r', DMPOOL_RIGHT_READ },
	{ 'w', DMPOOL_RIGHT_WRITE },
	{ 'a', DMPOOL_RIGHT_ADMIN },
};

#define NLETTERS (sizeof(rights_letters) / sizeof(rights_letters[0]))

int policy_parse_rights(const char *arg, uint32_t *rights, char *err,
			size_t len)
{
	const char *p;
	size_t i;

	*rights = 0;
	for (p = arg; *p; p++) {
		for (i = 0; i < NLETTERS; i++)
			if (*p == rights_letters[i].letter)
				break;
		if (i == NLETTERS || *rights & rights_letters[i].bit) {
			snprintf(err, len,
				 "invalid rights '%s': use the letters r (read), w (write), a (admin), each once",
				 arg);
			return -1;
		}
		*rights |= rights_letters[i].bit;
	}
	if (!*rights) {
		snprintf(err, len, "invalid rights '': give r, w and/or a");
		return -1;
	}
	return 0;
}

int policy_add_grant(struct ctl_policy *p, const char *arg, char *err,
		     size_t len)
{
	const char *colon = strrchr(arg, ':');
	char user[256];
	uint32_t uid, rights;
	size_t i;

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(user)) {
		snprintf(err, len, "invalid grant '%s': use USER:RIGHTS, e.g. alice:rw",
			 arg);
		return -1;
	}
	memcpy(user, arg, (size_t)(colon - arg));
	user[colon - arg] = '\0';
	if (policy_parse_user(user, &uid, err, len) < 0 ||
	    policy_parse_rights(colon + 1, &rights, err, len) < 0)
		return -1;
	for (i = 0; i < p->ngrants; i++) {
		if (p->grants[i].uid == uid) {
			snprintf(err, len, "user '%s' is granted twice", user);
			return -1;
		}
	}
	if (p->ngrants == DMPOOL_GRANTS_MAX) {
		snprintf(err, len, "too many grants: at most %d",
			 DMPOOL_GRANTS_MAX);
		return -1;
	}
	p->grants[p->ngrants].uid = uid;
	p->grants[p->ngrants++].rights = rights;
	p->has_grants = true;
	return 0;
}

const char *policy_rights_str(uint32_t rights, char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < NLETTERS && n + 1 < len; i++)
		if (rights & rights_letters[i].bit)
			buf[n++] = rights_letters[i].letter;
	if (!n && len > 1)
		buf[n++] = '-';
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return buf;
}

/* "name (id)", or "id" without a name. */
static const char *name_id_str(const char *name, uint32_t id, char *buf,
			       size_t len)
{
	if (name)
		snprintf(buf, len, "%.64s (%u)", name, id);
	else
		snprintf(buf, len, "%u", id);
	return buf;
}

const char *policy_user_str(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	return name_id_str(pw ? pw->pw_name : NULL, uid, buf, len);
}

const char *policy_group_str(uint32_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid((gid_t)gid);

	return name_id_str(gr ? gr->gr_name : NULL, gid, buf, len);
}

void policy_show(FILE *out, const struct ctl_policy *p, int width)
{
	char name[POLICY_NAME_MAX], r[8];
	size_t i;

	if (p->has_uid)
		fprintf(out, "%-*s %s\n", width, "owner:",
			policy_user_str(p->uid, name, sizeof(name)));
	if (p->has_gid)
		fprintf(out, "%-*s %s\n", width, "group:",
			policy_group_str(p->gid, name, sizeof(name)));
	if (p->has_mode)
		fprintf(out, "%-*s %04o\n", width, "mode:", p->mode);
	if (!p->has_grants)
		return;
	fprintf(out, "%-*s", width, "grants:");
	if (!p->ngrants)
		fputs(" none", out);
	for (i = 0; i < p->ngrants; i++) {
		struct passwd *pw = getpwuid((uid_t)p->grants[i].uid);

		if (pw)
			fprintf(out, " %.64s:", pw->pw_name);
		else
			fprintf(out, " %u:", p->grants[i].uid);
		fputs(policy_rights_str(p->grants[i].rights, r, sizeof(r)),
		      out);
	}
	fputc('\n', out);
}

/* A user's name, else its ID, into @buf. */
static const char *short_user(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	if (pw)
		snprintf(buf, len, "%.64s", pw->pw_name);
	else
		snprintf(buf, len, "%u", uid);
	return buf;
}

void policy_cells(const struct ctl_policy *p, char *owner, char *mode,
		  char *grants, size_t size)
{
	char u[72], g[72], r[8];
	struct group *gr;
	size_t i, n = 0;

	if (p->has_uid && p->has_gid) {
		gr = getgrgid((gid_t)p->gid);
		short_user(p->uid, u, sizeof(u));
		if (gr)
			snprintf(g, sizeof(g), "%.64s", gr->gr_name);
		else
			snprintf(g, sizeof(g), "%u", p->gid);
		snprintf(owner, size, "%s:%s", u, g);
	} else {
		snprintf(owner, size, "-");
	}
	if (p->has_mode)
		snprintf(mode, size, "%04o", p->mode);
	else
		snprintf(mode, size, "-");
	snprintf(grants, size, "%s", !p->has_grants ? "-" :
		 p->ngrants ? "" : "none");
	for (i = 0; p->has_grants && i < p->ngrants && n < size; i++) {
		int k = snprintf(grants + n, size - n, "%s%s:%s", i ? "," : "",
				 short_user(p->grants[i].uid, u, sizeof(u)),
				 policy_rights_str(p->grants[i].rights, r,
						   sizeof(r)));

		if (k < 0)
			break;
		n += (size_t)k;
	}
}

void policy_json_grants(struct json_writer *w, const struct ctl_policy *p)
{
	char r[8];
	size_t i;

	if (!p->has_grants)
		return;
	json_key(w, "grants");
	json_array_begin(w);
	for (i = 0; i < p->ngrants; i++) {
		struct passwd *pw = getpwuid((uid_t)p->grants[i].uid);

		json_object_begin(w);
		json_kv_u64(w, "uid", p->grants[i].uid);
		if (pw)
			json_kv_string(w, "user", pw->pw_name);
		json_kv_string(w, "rights",
			       policy_rights_str(p->grants[i].rights, r,
						 sizeof(r)));
		json_object_end(w);
	}
	json_array_end(w);
}

void policy_json_fields(struct json_writer *w, const struct ctl_policy *p)
{
	if (p->has_uid)
		json_kv_u64(w, "uid", p->uid);
	if (p->has_gid)
		json_kv_u64(w, "gid", p->gid);
	if (p->has_mode)
		json_kv_u64(w, "mode", p->mode);
	policy_json_grants(w, p);
}

int policy_check_grants(const struct dmpool_grant *g, size_t n, char *why,
			size_t whylen)
{
	size_t i, j;

	if (n > DMPOOL_GRANTS_MAX) {
		snprintf(why, whylen, "too many grants: %zu, at most %d", n,
			 DMPOOL_GRANTS_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (g[i].uid == UINT32_MAX) {
			snprintf(why, whylen, "a grant's uid is 4294967295, not a user ID");
			return -1;
		}
		if (!g[i].rights || g[i].rights & ~DMPOOL_RIGHTS_ALL) {
			snprintf(why, whylen, "the grant to uid %u has rights %#x: give r, w and/or a",
				 g[i].uid, g[i].rights);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (g[j].uid == g[i].uid) {
				snprintf(why, whylen, "uid %u is granted twice",
					 g[i].uid);
				return -1;
			}
		}
	}
	return 0;
}

int policy_decode_grants(const void *data, size_t len, struct ctl_policy *p,
			 char *why, size_t whylen)
{
	if (len % sizeof(struct dmpool_grant) ||
	    len / sizeof(struct dmpool_grant) > DMPOOL_GRANTS_MAX) {
		snprintf(why, whylen, "GRANTS has %zu bytes", len);
		return -1;
	}
	p->ngrants = len / sizeof(struct dmpool_grant);
	memcpy(p->grants, data, len);
	if (policy_check_grants(p->grants, p->ngrants, why, whylen) < 0)
		return -1;
	p->has_grants = true;
	return 0;
}
