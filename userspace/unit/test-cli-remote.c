// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the command line of remote memory and placed pools
 * (dmpoolctl/cli.c): mem, pool create --cluster, install, export, stats,
 * peer show, which of them need DMPOOL_FEAT_REMOTE, and their usage
 * errors.
 */
#include <stdlib.h>

#include "unit-cli.h"

static struct cli c;

static void test_mem(void)
{
	CHECK(parse(&c, "mem", "expose", "512M", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_MEM_EXPOSE);
	CHECK_U64(c.size, 512ULL << 20);
	CHECK(cli_needs_remote(&c));
	CHECK(parse(&c, "mem", "expose", "0", NULL) == CLI_OK);
	CHECK_U64(c.size, 0);
	CHECK(parse(&c, "-j", "mem", "show", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_MEM_SHOW && c.json);
	CHECK_USAGE("invalid size '12Q'", "mem", "expose", "12Q");
	CHECK_USAGE("invalid size '-1'", "mem", "expose", "-1");
	CHECK_USAGE("missing argument", "mem", "expose");
	CHECK_USAGE("missing mem command", "mem");
	CHECK_USAGE("unknown mem command 'lend'", "mem", "lend");
	CHECK_USAGE("unexpected argument", "mem", "show", "x");
}

static void test_create_cluster(void)
{
	CHECK(parse(&c, "pool", "create", "big", "3G", "--cluster", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_CREATE && c.cluster);
	CHECK_U64(c.extent_size, 0);
	CHECK_U64(c.nnodes, 0);
	CHECK(cli_needs_remote(&c));
	CHECK(parse(&c, "pool", "create", "big", "3G", "--cluster",
		    "--extent-size", "8M", "--nodes=3,1", NULL) == CLI_OK);
	CHECK_U64(c.extent_size, 8ULL << 20);
	CHECK_U64(c.nnodes, 2);
	CHECK_U64(c.nodes[0], 3);
	CHECK_U64(c.nodes[1], 1);
	/* A local pool needs nothing new. */
	CHECK(parse(&c, "pool", "create", "small", "1M", NULL) == CLI_OK);
	CHECK(!cli_needs_remote(&c));

	CHECK_USAGE("--extent-size only applies with --cluster",
		    "pool", "create", "a", "1M", "--extent-size", "1M");
	CHECK_USAGE("--nodes only applies with --cluster",
		    "pool", "create", "a", "1M", "--nodes", "1");
	CHECK_USAGE("invalid --nodes '1,1': node 1 is listed twice",
		    "pool", "create", "a", "1M", "--cluster", "--nodes", "1,1");
	CHECK_USAGE("invalid --nodes '0'", "pool", "create", "a", "1M",
		    "--cluster", "--nodes", "0");
	CHECK_USAGE("--nodes needs a value", "pool", "create", "a", "1M",
		    "--cluster", "--nodes");
	CHECK_USAGE("extent size 64 KiB is too small for 1 TiB: 16777216 extents, at most 8192",
		    "pool", "create", "a", "1T", "--cluster", "--extent-size", "64K");
	CHECK_USAGE("--cluster only applies to pool create", "pool", "list",
		    "--cluster");
}

static void test_extent_sizes(void)
{
	CHECK_USAGE("invalid extent size '100K': not a power of two",
		    "pool", "create", "a", "1M", "--cluster", "--extent-size", "100K");
	CHECK_USAGE("invalid extent size '32K': less than 64 KiB",
		    "pool", "create", "a", "1M", "--cluster", "--extent-size", "32K");
	CHECK_USAGE("invalid extent size '2G': more than 1 GiB",
		    "pool", "create", "a", "1M", "--cluster", "--extent-size", "2G");
	CHECK_USAGE("invalid extent size 'x': not a size",
		    "pool", "create", "a", "1M", "--cluster", "--extent-size", "x");
	CHECK(parse(&c, "pool", "create", "a", "1M", "--cluster",
		    "--extent-size", "64K", NULL) == CLI_OK);
	CHECK(parse(&c, "pool", "create", "a", "1M", "--cluster",
		    "--extent-size", "1G", NULL) == CLI_OK);
}

static void test_install(void)
{
	CHECK(parse(&c, "pool", "install", "big", "29360128", "--id",
		    "281474976710657", "--extent-size", "4194304", "--map",
		    "1,2,3,1*4", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_INSTALL);
	CHECK(cli_needs_remote(&c));
	CHECK_STR(c.sel.name, "big");
	CHECK_U64(c.size, 29360128);
	CHECK_U64(c.pool_id, 281474976710657ULL);
	CHECK_U64(c.extent_size, 4 << 20);
	CHECK_U64(c.map_len, 7);
	CHECK_U64(c.map[6], 1);
	/* An all-digit name is a name here, as for create. */
	CHECK(parse(&c, "pool", "install", "42", "4M", "--id=9",
		    "--extent-size=4M", "--map=2", NULL) == CLI_OK);
	CHECK_STR(c.sel.name, "42");

	CHECK_USAGE("missing --id", "pool", "install", "a", "4M",
		    "--extent-size", "4M", "--map", "1");
	CHECK_USAGE("missing --extent-size", "pool", "install", "a", "4M",
		    "--id", "9", "--map", "1");
	CHECK_USAGE("missing --map", "pool", "install", "a", "4M",
		    "--id", "9", "--extent-size", "4M");
	CHECK_USAGE("invalid pool ID 'x'", "pool", "install", "a", "4M",
		    "--id", "x", "--extent-size", "4M", "--map", "1");
	CHECK_USAGE("pool ID 0", "pool", "install", "a", "4M",
		    "--id", "0", "--extent-size", "4M", "--map", "1");
	CHECK_USAGE("invalid --map: empty item", "pool", "install", "a", "4M",
		    "--id", "9", "--extent-size", "4M", "--map", "1,");
	CHECK_USAGE("invalid --map: 'x' is not a node ID", "pool", "install",
		    "a", "4M", "--id", "9", "--extent-size", "4M", "--map", "x");
	CHECK_USAGE("invalid extent size '3M': not a power of two", "pool",
		    "install", "a", "4M", "--id", "9", "--extent-size", "3M",
		    "--map", "1");
	CHECK_USAGE("--id only applies to pool install", "pool", "show", "a",
		    "--id", "3");
	CHECK_USAGE("--map only applies to pool install", "mem", "show",
		    "--map", "3");
	CHECK_USAGE("unknown option '--bogus=1'", "pool", "list", "--bogus=1");
}

static void test_export_stats_peer_show(void)
{
	CHECK(parse(&c, "pool", "export", "big", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_EXPORT && !c.sel.by_id);
	CHECK(cli_needs_remote(&c));
	CHECK(parse(&c, "pool", "export", "17", NULL) == CLI_OK);
	CHECK(c.sel.by_id);
	CHECK(parse(&c, "pool", "stats", "--name", "17", "-j", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_POOL_STATS && !c.sel.by_id && c.json);
	CHECK(parse(&c, "peer", "show", "3", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_PEER_SHOW);
	CHECK_U64(c.node_id, 3);
	CHECK(!cli_needs_remote(&c));
	CHECK_USAGE("missing argument", "pool", "export");
	CHECK_USAGE("invalid node ID '65'", "peer", "show", "65");
	CHECK_USAGE("--name only applies", "peer", "show", "3", "--name");
}

static void test_usage_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cli_usage(f);
	fclose(f);
	CHECK(strstr(buf, "mem expose SIZE") != NULL);
	CHECK(strstr(buf, "mem show") != NULL);
	CHECK(strstr(buf, "--cluster [--extent-size SIZE] [--nodes ID,ID...]") != NULL);
	CHECK(strstr(buf, "pool install NAME SIZE --id ID --extent-size SIZE --map LIST") != NULL);
	CHECK(strstr(buf, "pool export NAME|ID") != NULL);
	CHECK(strstr(buf, "pool stats NAME|ID") != NULL);
	CHECK(strstr(buf, "peer show ID") != NULL);
	free(buf);
}

int main(void)
{
	RUN(test_mem);
	RUN(test_create_cluster);
	RUN(test_extent_sizes);
	RUN(test_install);
	RUN(test_export_stats_peer_show);
	RUN(test_usage_text);
	return unit_done();
}
