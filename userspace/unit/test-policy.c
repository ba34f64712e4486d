// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoolctl's access policies (dmpoolctl/policy.c and the
 * policy options of cli.c): users, groups and rights as names and
 * numbers, grants (duplicates, too many, bad forms), pool create, pool
 * set and file set on the command line with every usage error, and the
 * text and JSON a pool or a file shows.  User 0 is root in every user
 * database; 4000000000 is assumed to be nobody's.
 */
#include <stdlib.h>

#include "cli.h"
#include "json.h"
#include "policy.h"
#include "unit.h"

#include "unit-cli.h"

#define UNKNOWN_ID 4000000000U

static char why[256];

static void test_users_groups(void)
{
	uint32_t id = 7;

	CHECK(policy_parse_user("1000", &id, why, sizeof(why)) == 0);
	CHECK_U64(id, 1000);
	CHECK(policy_parse_user("root", &id, why, sizeof(why)) == 0);
	CHECK_U64(id, 0);
	CHECK(policy_parse_user("4294967294", &id, why, sizeof(why)) == 0);
	CHECK_U64(id, 4294967294U);
	CHECK(policy_parse_user("4294967295", &id, why, sizeof(why)) < 0);
	CHECK(strstr(why, "IDs are 0 to 4294967294"));
	CHECK(policy_parse_user("99999999999999999999", &id, why,
				sizeof(why)) < 0);
	CHECK(policy_parse_user("no-such-user-xyz", &id, why,
				sizeof(why)) < 0);
	CHECK_STR(why, "unknown user 'no-such-user-xyz'");
	CHECK(policy_parse_user("", &id, why, sizeof(why)) < 0);

	CHECK(policy_parse_group("root", &id, why, sizeof(why)) == 0);
	CHECK_U64(id, 0);
	CHECK(policy_parse_group("4242", &id, why, sizeof(why)) == 0);
	CHECK_U64(id, 4242);
	CHECK(policy_parse_group("no-such-group-xyz", &id, why,
				 sizeof(why)) < 0);
	CHECK_STR(why, "unknown group 'no-such-group-xyz'");
}

static void test_rights(void)
{
	static const struct {
		const char *in;
		int ok;
		uint32_t want;
	} cases[] = {
		{ "r", 1, DMPOOL_RIGHT_READ },
		{ "w", 1, DMPOOL_RIGHT_WRITE },
		{ "a", 1, DMPOOL_RIGHT_ADMIN },
		{ "rw", 1, DMPOOL_RIGHT_READ | DMPOOL_RIGHT_WRITE },
		{ "awr", 1, DMPOOL_RIGHTS_ALL },
		{ "", 0, 0 },
		{ "rr", 0, 0 },
		{ "x", 0, 0 },
		{ "R", 0, 0 },
		{ "rw ", 0, 0 },
	};
	char buf[8];
	uint32_t r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = policy_parse_rights(cases[i].in, &r, why,
					      sizeof(why)) == 0;

		CHECK(got == cases[i].ok);
		if (got)
			CHECK_U64(r, cases[i].want);
	}
	CHECK_STR(policy_rights_str(DMPOOL_RIGHTS_ALL, buf, sizeof(buf)),
		  "rwa");
	CHECK_STR(policy_rights_str(DMPOOL_RIGHT_WRITE | DMPOOL_RIGHT_ADMIN,
				    buf, sizeof(buf)), "wa");
	CHECK_STR(policy_rights_str(0, buf, sizeof(buf)), "-");
	CHECK_STR(policy_rights_str(DMPOOL_RIGHTS_ALL, buf, 3), "rw");
}

static void test_grants(void)
{
	struct ctl_policy p = { 0 };
	char arg[32];
	int i;

	CHECK(policy_add_grant(&p, "root:rw", why, sizeof(why)) == 0);
	CHECK(policy_add_grant(&p, "1000:a", why, sizeof(why)) == 0);
	CHECK(p.has_grants);
	CHECK_U64(p.ngrants, 2);
	CHECK_U64(p.grants[0].uid, 0);
	CHECK_U64(p.grants[0].rights, DMPOOL_RIGHT_READ | DMPOOL_RIGHT_WRITE);
	CHECK_U64(p.grants[1].uid, 1000);
	CHECK_U64(p.grants[1].rights, DMPOOL_RIGHT_ADMIN);

	CHECK(policy_add_grant(&p, "0:r", why, sizeof(why)) < 0);
	CHECK_STR(why, "user '0' is granted twice");
	CHECK(policy_add_grant(&p, "rw", why, sizeof(why)) < 0);
	CHECK(strstr(why, "use USER:RIGHTS"));
	CHECK(policy_add_grant(&p, ":rw", why, sizeof(why)) < 0);
	CHECK(policy_add_grant(&p, "5:", why, sizeof(why)) < 0);
	CHECK(policy_add_grant(&p, "5:q", why, sizeof(why)) < 0);
	CHECK(strstr(why, "invalid rights 'q'"));
	CHECK(policy_add_grant(&p, "no-such-user-xyz:r", why,
			       sizeof(why)) < 0);
	CHECK_U64(p.ngrants, 2);

	for (i = 2; i < DMPOOL_GRANTS_MAX; i++) {
		snprintf(arg, sizeof(arg), "%d:r", 2000 + i);
		CHECK(policy_add_grant(&p, arg, why, sizeof(why)) == 0);
	}
	CHECK(policy_add_grant(&p, "3000:r", why, sizeof(why)) < 0);
	CHECK_STR(why, "too many grants: at most 8");
}

static void test_cli(void)
{
	struct cli c;

	CHECK(parse(&c, "pool", "create", "p", "1M", "--owner", "root",
		    "--group", "4242", "--mode", "640", "--grant", "1000:rw",
		    "--grant=1001:r", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_CREATE);
	CHECK(c.policy.has_uid && c.policy.has_gid && c.policy.has_mode);
	CHECK_U64(c.policy.uid, 0);
	CHECK_U64(c.policy.gid, 4242);
	CHECK_U64(c.policy.mode, 0640);
	CHECK_U64(c.policy.ngrants, 2);
	CHECK_U64(c.policy.grants[1].uid, 1001);

	/* Without options a pool has no policy of its own to send. */
	CHECK(parse(&c, "pool", "create", "p", "1M", NULL) == CLI_OK);
	CHECK(!policy_given(&c.policy));

	CHECK(parse(&c, "pool", "set", "p", "--no-grants", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_SET);
	CHECK(c.policy.has_grants && c.policy.ngrants == 0);
	CHECK(!c.policy.has_uid && !c.policy.has_mode);
	CHECK(parse(&c, "pool", "set", "17", "--mode", "0", NULL) == CLI_OK);
	CHECK(c.sel.by_id && c.sel.id == 17);
	CHECK(c.policy.has_mode && c.policy.mode == 0);
	CHECK(parse(&c, "pool", "set", "--name", "17", "--no-grants",
		    "--grant", "5:r", NULL) == CLI_OK);
	CHECK(!c.sel.by_id);
	CHECK(c.policy.has_grants && c.policy.ngrants == 1);

	CHECK(parse(&c, "-j", "file", "set", "p", "f", "--owner", "1000",
		    NULL) == CLI_OK);
	CHECK(c.cmd == CMD_FILE_SET);
	CHECK(cli_is_file_cmd(c.cmd));
	CHECK_STR(c.file, "f");
	CHECK(c.policy.has_uid && c.policy.uid == 1000);
	CHECK(!c.policy.has_grants);

	/* file create's --mode stays the file's own. */
	CHECK(parse(&c, "file", "create", "p", "f", "1", "--mode", "600",
		    NULL) == CLI_OK);
	CHECK(c.has_mode && c.mode == 0600);
	CHECK(!policy_given(&c.policy));
}

static void test_cli_errors(void)
{
	CHECK_USAGE("nothing to set", "pool", "set", "p");
	CHECK_USAGE("nothing to set", "file", "set", "p", "f");
	CHECK_USAGE("missing argument: dmpoolctl pool set POOL", "pool", "set",
		    "--mode", "0");
	CHECK_USAGE("missing argument: dmpoolctl file set POOL NAME", "file",
		    "set", "p", "--mode", "0");
	CHECK_USAGE("--no-grants only applies to pool set, file set and cluster set",
		    "pool", "create", "p", "1M", "--no-grants");
	CHECK_USAGE("--owner only applies to pool create, pool set, file set, cluster create and cluster set",
		    "pool", "show", "p", "--owner", "0");
	CHECK_USAGE("--grant only applies", "file", "create", "p", "f", "1",
		    "--grant", "0:r");
	CHECK_USAGE("--mode only applies", "pool", "destroy", "p", "--mode",
		    "0");
	CHECK_USAGE("pool create --cluster takes no policy options", "pool",
		    "create", "p", "1M", "--cluster", "--mode", "600");
	CHECK_USAGE("invalid --mode '888'", "pool", "set", "p", "--mode", "888");
	CHECK_USAGE("unknown user 'no-such-user-xyz'", "pool", "set", "p",
		    "--owner", "no-such-user-xyz");
	CHECK_USAGE("unknown group 'no-such-group-xyz'", "file", "set", "p",
		    "f", "--group", "no-such-group-xyz");
	CHECK_USAGE("user '0' is granted twice", "pool", "set", "p", "--grant",
		    "root:r", "--grant", "0:w");
	CHECK_USAGE("--grant needs a value", "pool", "set", "p", "--grant");
	CHECK_USAGE("too many grants: at most 8", "pool", "set", "p",
		    "--grant=1:r", "--grant=2:r", "--grant=3:r", "--grant=4:r",
		    "--grant=5:r", "--grant=6:r", "--grant=7:r", "--grant=8:r",
		    "--grant=9:r");
}

static char *show(const struct ctl_policy *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	policy_show(f, p, 9);
	fclose(f);
	return buf;
}

static char *json(const struct ctl_policy *p)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_begin(&w, f);
	json_object_begin(&w);
	policy_json_fields(&w, p);
	json_object_end(&w);
	CHECK(json_end(&w) == 0);
	fclose(f);
	return buf;
}

static void test_output(void)
{
	struct ctl_policy p = {
		.has_uid = true, .uid = UNKNOWN_ID,
		.has_gid = true, .gid = UNKNOWN_ID,
		.has_mode = true, .mode = 0640,
		.has_grants = true, .ngrants = 2,
		.grants = { { 0, DMPOOL_RIGHTS_ALL },
			    { UNKNOWN_ID, DMPOOL_RIGHT_READ } },
	};
	struct ctl_policy none = { .has_grants = true };
	struct ctl_policy absent = { 0 };
	char *s;

	s = show(&p);
	CHECK_STR(s, "owner:    4000000000\n"
		     "group:    4000000000\n"
		     "mode:     0640\n"
		     "grants:   root:rwa 4000000000:r\n");
	free(s);
	s = show(&none);
	CHECK_STR(s, "grants:   none\n");
	free(s);
	s = show(&absent);
	CHECK_STR(s, "");
	free(s);

	s = json(&p);
	CHECK_STR(s, "{\"uid\":4000000000,\"gid\":4000000000,\"mode\":416,"
		     "\"grants\":[{\"uid\":0,\"user\":\"root\",\"rights\":\"rwa\"},"
		     "{\"uid\":4000000000,\"rights\":\"r\"}]}\n");
	free(s);
	s = json(&absent);
	CHECK_STR(s, "{}\n");
	free(s);
}

static void test_decode(void)
{
	struct dmpool_grant g[DMPOOL_GRANTS_MAX + 1] = {
		{ 5, DMPOOL_RIGHT_READ }, { 6, DMPOOL_RIGHTS_ALL },
	};
	struct ctl_policy p = { 0 };

	CHECK(policy_decode_grants(g, 2 * sizeof(g[0]), &p, why,
				   sizeof(why)) == 0);
	CHECK(p.has_grants);
	CHECK_U64(p.ngrants, 2);
	CHECK_U64(p.grants[1].uid, 6);
	CHECK(policy_decode_grants(g, 0, &p, why, sizeof(why)) == 0);
	CHECK_U64(p.ngrants, 0);
	CHECK(policy_decode_grants(g, 7, &p, why, sizeof(why)) < 0);
	CHECK_STR(why, "GRANTS has 7 bytes");
	CHECK(policy_decode_grants(g, sizeof(g), &p, why, sizeof(why)) < 0);
	g[0].rights = 0;
	CHECK(policy_decode_grants(g, sizeof(g[0]), &p, why, sizeof(why)) < 0);
	g[0].rights = 8;
	CHECK(policy_decode_grants(g, sizeof(g[0]), &p, why, sizeof(why)) < 0);
	CHECK_STR(why, "the grant to uid 5 has rights 0x8: give r, w and/or a");
}

/* The module's grant rules, shared by dmpoolctl's decoding and dmpoold. */
static void test_check_grants(void)
{
	struct dmpool_grant g[DMPOOL_GRANTS_MAX + 1] = {
		{ .uid = 5, .rights = DMPOOL_RIGHT_READ },
		{ .uid = 6, .rights = DMPOOL_RIGHTS_ALL },
	};
	size_t i;

	CHECK(policy_check_grants(g, 0, why, sizeof(why)) == 0);
	CHECK(policy_check_grants(g, 2, why, sizeof(why)) == 0);
	g[1].uid = 5;
	CHECK(policy_check_grants(g, 2, why, sizeof(why)) < 0);
	CHECK_STR(why, "uid 5 is granted twice");
	g[1].uid = UINT32_MAX;
	CHECK(policy_check_grants(g, 2, why, sizeof(why)) < 0);
	CHECK_STR(why, "a grant's uid is 4294967295, not a user ID");
	for (i = 0; i < DMPOOL_GRANTS_MAX + 1; i++) {
		g[i].uid = (uint32_t)i;
		g[i].rights = DMPOOL_RIGHT_READ;
	}
	CHECK(policy_check_grants(g, DMPOOL_GRANTS_MAX, why, sizeof(why)) == 0);
	CHECK(policy_check_grants(g, DMPOOL_GRANTS_MAX + 1, why,
				  sizeof(why)) < 0);
	CHECK_STR(why, "too many grants: 9, at most 8");
}

int main(void)
{
	RUN(test_users_groups);
	RUN(test_rights);
	RUN(test_grants);
	RUN(test_cli);
	RUN(test_cli_errors);
	RUN(test_output);
	RUN(test_decode);
	RUN(test_check_grants);
	return unit_done();
}
