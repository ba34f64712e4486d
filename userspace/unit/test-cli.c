// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoolctl's command line (dmpoolctl/cli.c): every
 * command's accepted forms, options anywhere, and a precise usage error
 * for each way to get a command line wrong.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"
#include "unit.h"

#include "unit-cli.h"


static void test_create(void)
{
	struct cli c;

	CHECK(parse(&c, "pool", "create", "cache", "64M", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_CREATE);
	CHECK_STR(c.sel.name, "cache");
	CHECK(!c.sel.by_id);
	CHECK_U64(c.size, 64ULL << 20);
	CHECK(!c.json);

	/* An all-digit name is a name when creating. */
	CHECK(parse(&c, "pool", "create", "42", "4096", NULL) == CLI_OK);
	CHECK_STR(c.sel.name, "42");
	CHECK(!c.sel.by_id);
	CHECK(parse(&c, "pool", "create", "max", "1T", NULL) == CLI_OK);
	CHECK_U64(c.size, DMPOOL_POOL_SIZE_MAX);
}

static void test_list_show_destroy_version(void)
{
	struct cli c;

	CHECK(parse(&c, "pool", "list", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_LIST);

	CHECK(parse(&c, "pool", "show", "cache", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_SHOW);
	CHECK(!c.sel.by_id);
	CHECK_STR(c.sel.name, "cache");

	CHECK(parse(&c, "pool", "show", "17", NULL) == CLI_OK);
	CHECK(c.sel.by_id);
	CHECK_U64(c.sel.id, 17);

	CHECK(parse(&c, "pool", "show", "--name", "17", NULL) == CLI_OK);
	CHECK(!c.sel.by_id);
	CHECK_STR(c.sel.name, "17");

	CHECK(parse(&c, "pool", "destroy", "cache", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_DESTROY);
	CHECK(!c.force);

	CHECK(parse(&c, "pool", "destroy", "18446744073709551615", "--force",
		    NULL) == CLI_OK);
	CHECK(c.force);
	CHECK(c.sel.by_id);
	CHECK_U64(c.sel.id, UINT64_MAX);

	CHECK(parse(&c, "version", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_VERSION);
}

static void test_options_anywhere(void)
{
	struct cli c;

	CHECK(parse(&c, "-j", "pool", "list", NULL) == CLI_OK);
	CHECK(c.json);
	CHECK(parse(&c, "pool", "list", "--json", NULL) == CLI_OK);
	CHECK(c.json);
	CHECK(parse(&c, "pool", "-f", "destroy", "x", NULL) == CLI_OK);
	CHECK(c.force);
	CHECK(parse(&c, "-jf", "pool", "destroy", "x", NULL) == CLI_OK);
	CHECK(c.json && c.force);
	/* After "--", everything is a word. */
	CHECK(parse(&c, "pool", "show", "--", "x", NULL) == CLI_OK);
	CHECK_STR(c.sel.name, "x");
}

static void test_help(void)
{
	struct cli c;

	CHECK(parse(&c, "-h", NULL) == CLI_HELP);
	CHECK(parse(&c, "--help", NULL) == CLI_HELP);
	CHECK(parse(&c, "help", NULL) == CLI_HELP);
	/* Help wins over an otherwise broken command line. */
	CHECK(parse(&c, "pool", "create", "-h", NULL) == CLI_HELP);
}

static void test_usage_errors(void)
{
	CHECK_USAGE("missing command", "-j");
	CHECK_USAGE("unknown command 'frobnicate'", "frobnicate");
	CHECK_USAGE("missing pool command", "pool");
	CHECK_USAGE("unknown pool command 'resize'", "pool", "resize");
	CHECK_USAGE("missing argument", "pool", "create", "x");
	CHECK_USAGE("missing argument", "pool", "show");
	CHECK_USAGE("missing argument", "pool", "destroy");
	CHECK_USAGE("unexpected argument 'extra'", "pool", "list", "extra");
	CHECK_USAGE("unexpected argument 'y'", "pool", "show", "x", "y");
	CHECK_USAGE("unexpected argument '1'", "version", "1");
	CHECK_USAGE("unknown option '--bogus'", "--bogus", "version");
	CHECK_USAGE("unknown option '-x'", "-x", "version");
	CHECK_USAGE("unknown option '-q'", "-jq", "version");
	CHECK_USAGE("--force only applies", "pool", "show", "x", "--force");
	CHECK_USAGE("--name only applies", "pool", "list", "--name");
	CHECK_USAGE("too many arguments", "a", "b", "c", "d", "e", "f", "g",
		    "h", "i");
}

static void test_bad_names(void)
{
	CHECK_USAGE("invalid pool name 'a b'", "pool", "create", "a b", "1M");
	CHECK_USAGE("invalid pool name '.x'", "pool", "create", ".x", "1M");
	CHECK_USAGE("invalid pool name 'a/b'", "pool", "show", "a/b");
	CHECK_USAGE("invalid pool name ''", "pool", "destroy", "");
	CHECK_USAGE("invalid pool name",
		    "pool", "create",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "1M");
	/* A name that starts with '-' reads as an option. */
	CHECK_USAGE("unknown option '-x'", "pool", "create", "-x", "1M");
	CHECK_USAGE("invalid pool name '-x'", "pool", "create", "--", "-x", "1M");
}

static void test_bad_ids(void)
{
	CHECK_USAGE("pool ID 0", "pool", "show", "0");
	CHECK_USAGE("pool ID 0", "pool", "destroy", "000");
	CHECK_USAGE("too large", "pool", "show", "18446744073709551616");
}

static void test_bad_sizes(void)
{
	CHECK_USAGE("invalid size '0': size must not be zero",
		    "pool", "create", "x", "0");
	CHECK_USAGE("invalid size '-1': size must not be negative",
		    "pool", "create", "x", "-1");
	CHECK_USAGE("invalid size '12Q': unknown unit",
		    "pool", "create", "x", "12Q");
	CHECK_USAGE("invalid size 'lots': not a size",
		    "pool", "create", "x", "lots");
	CHECK_USAGE("invalid size '99999999999999999999': size too large",
		    "pool", "create", "x", "99999999999999999999");
	CHECK_USAGE("larger than the largest pool (1 TiB)",
		    "pool", "create", "x", "2T");
	CHECK_USAGE("larger than the largest pool",
		    "pool", "create", "x", "1099511627777");
}

static void test_sel_str(void)
{
	struct pool_sel s = { .by_id = true, .id = 7 };
	char buf[80];

	CHECK_STR(pool_sel_str(&s, buf, sizeof(buf)), "ID 7");
	s.by_id = false;
	strcpy(s.name, "cache");
	CHECK_STR(pool_sel_str(&s, buf, sizeof(buf)), "cache");
}

static void test_usage_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cli_usage(f);
	fclose(f);
	CHECK(strstr(buf, "pool create NAME SIZE") != NULL);
	CHECK(strstr(buf, "pool destroy NAME|ID [--force]") != NULL);
	CHECK(strstr(buf, "--json") != NULL);
	free(buf);
}

int main(void)
{
	RUN(test_create);
	RUN(test_list_show_destroy_version);
	RUN(test_options_anywhere);
	RUN(test_help);
	RUN(test_usage_errors);
	RUN(test_bad_names);
	RUN(test_bad_ids);
	RUN(test_bad_sizes);
	RUN(test_sel_str);
	RUN(test_usage_text);
	return unit_done();
}
