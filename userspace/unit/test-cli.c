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

/* More words than any command takes (cluster init takes 64 nodes). */
static enum cli_result too_many_words(void)
{
	char *argv[DMPOOL_NODES_MAX + 12];
	struct cli cli;
	int i;

	argv[0] = (char *)"dmpoolctl";
	for (i = 1; i < DMPOOL_NODES_MAX + 11; i++)
		argv[i] = (char *)"w";
	argv[i] = NULL;
	return cli_parse(i, argv, &cli, err, sizeof(err));
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
	CHECK_USAGE("--name only applies", "peer", "list", "--name");
	CHECK(too_many_words() == CLI_USAGE);
	CHECK(strstr(err, "too many arguments") != NULL);
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

static void test_file_commands(void)
{
	struct cli c;

	CHECK(parse(&c, "file", "create", "cache", "log", "10000", NULL) ==
	      CLI_OK);
	CHECK(c.cmd == CMD_FILE_CREATE);
	CHECK(cli_is_file_cmd(c.cmd));
	CHECK(!c.sel.by_id);
	CHECK_STR(c.sel.name, "cache");
	CHECK_STR(c.file, "log");
	CHECK_U64(c.size, 10000);
	CHECK_U64(c.permits, 0);	/* the module's default */
	CHECK(!c.has_mode);

	CHECK(parse(&c, "file", "create", "7", "a b\tc", "64K", "--permits",
		    "64", "--mode=0", NULL) == CLI_OK);
	CHECK(c.sel.by_id);
	CHECK_U64(c.sel.id, 7);
	CHECK_STR(c.file, "a b\tc");
	CHECK_U64(c.size, 64 << 10);
	CHECK_U64(c.permits, 64);
	CHECK(c.has_mode);
	CHECK_U64(c.mode, 0);
	CHECK(parse(&c, "file", "create", "p", "x", "1", "--mode", "0640",
		    "--permits=01", NULL) == CLI_OK);
	CHECK_U64(c.mode, 0640);
	CHECK_U64(c.permits, 1);
	CHECK(parse(&c, "-j", "file", "create", "p", "x", "1", "--mode",
		    "777", NULL) == CLI_OK);
	CHECK_U64(c.mode, 0777);
	CHECK(c.json);

	CHECK(parse(&c, "file", "list", "cache", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_FILE_LIST);
	CHECK(parse(&c, "file", "list", "--name", "2024", NULL) == CLI_OK);
	CHECK(!c.sel.by_id);
	CHECK_STR(c.sel.name, "2024");
	CHECK(parse(&c, "file", "show", "12", "12", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_FILE_SHOW);
	CHECK(c.sel.by_id);
	CHECK_STR(c.file, "12");
	CHECK(parse(&c, "file", "delete", "cache", "..x", "-j", NULL) ==
	      CLI_OK);
	CHECK(c.cmd == CMD_FILE_DELETE);
	CHECK_STR(c.file, "..x");
	/* A name that starts with '-' after "--". */
	CHECK(parse(&c, "file", "show", "cache", "--", "-x", NULL) == CLI_OK);
	CHECK_STR(c.file, "-x");
	CHECK(!cli_is_file_cmd(CMD_POOL_SHOW));
}

static void test_file_usage_errors(void)
{
	char longname[DMPOOL_FILE_NAME_MAX + 2];

	CHECK_USAGE("missing file command: create, list, show, delete, load, dump, append or update",
		    "file");
	CHECK_USAGE("unknown file command 'copy'", "file", "copy", "p", "x");
	CHECK_USAGE("missing argument: dmpoolctl file create POOL NAME SIZE",
		    "file", "create", "p", "x");
	CHECK_USAGE("missing argument: dmpoolctl file list POOL", "file",
		    "list");
	CHECK_USAGE("missing argument: dmpoolctl file show POOL NAME", "file",
		    "show", "p");
	CHECK_USAGE("unexpected argument 'y'", "file", "delete", "p", "x", "y");
	CHECK_USAGE("invalid pool name 'a b'", "file", "list", "a b");
	CHECK_USAGE("pool ID 0", "file", "show", "0", "x");
	CHECK_USAGE("invalid file name 'a/b'", "file", "create", "p", "a/b",
		    "1");
	CHECK_USAGE("invalid file name '.'", "file", "show", "p", ".");
	CHECK_USAGE("invalid file name '..'", "file", "delete", "p", "..");
	CHECK_USAGE("invalid file name ''", "file", "delete", "p", "");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';		/* 256 bytes */
	CHECK_USAGE("invalid file name: 256 bytes, at most 255", "file",
		    "show", "p", longname);
	longname[DMPOOL_FILE_NAME_MAX] = '\0';		/* 255: fine */
	CHECK(parse(&(struct cli){ 0 }, "file", "show", "p", longname, NULL) ==
	      CLI_OK);
	CHECK_USAGE("invalid size '0': size must not be zero", "file",
		    "create", "p", "x", "0");
	CHECK_USAGE("invalid size '1.5K'", "file", "create", "p", "x", "1.5K");
	CHECK_USAGE("larger than the largest pool", "file", "create", "p", "x",
		    "2T");
	CHECK_USAGE("invalid --permits '0': use 1-64", "file", "create", "p",
		    "x", "1", "--permits", "0");
	CHECK_USAGE("invalid --permits '65'", "file", "create", "p", "x", "1",
		    "--permits=65");
	CHECK_USAGE("invalid --permits '001'", "file", "create", "p", "x", "1",
		    "--permits", "001");
	CHECK_USAGE("invalid --permits 'two'", "file", "create", "p", "x", "1",
		    "--permits", "two");
	CHECK_USAGE("invalid --mode '0800': use octal permission bits, 0 to 0777",
		    "file", "create", "p", "x", "1", "--mode", "0800");
	CHECK_USAGE("invalid --mode '1000'", "file", "create", "p", "x", "1",
		    "--mode", "1000");
	CHECK_USAGE("invalid --mode '-1'", "file", "create", "p", "x", "1",
		    "--mode", "-1");
	CHECK_USAGE("invalid --mode ''", "file", "create", "p", "x", "1",
		    "--mode=");
	CHECK_USAGE("invalid --mode '77777777777777777777'", "file", "create",
		    "p", "x", "1", "--mode", "77777777777777777777");
	CHECK_USAGE("--permits needs a value", "file", "create", "p", "x", "1",
		    "--permits");
	CHECK_USAGE("--permits only applies to file create", "file", "list",
		    "p", "--permits", "2");
	CHECK_USAGE("--mode only applies to file create, file load, pool create", "pool",
		    "list", "--mode", "644");
	CHECK_USAGE("--force only applies", "file", "delete", "p", "x", "-f");
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
	CHECK(strstr(buf, "file create POOL NAME SIZE [--permits N] [--mode OCTAL]") != NULL);
	CHECK(strstr(buf, "file delete POOL NAME") != NULL);
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
	RUN(test_file_commands);
	RUN(test_file_usage_errors);
	RUN(test_sel_str);
	RUN(test_usage_text);
	return unit_done();
}
