// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the cluster commands' command line (dmpoolctl/cli.c) and
 * durations (dmpoolctl/duration.c): every command and option parsed, and
 * bad input refused as a usage error with a reason.
 */
#include "duration.h"
#include "unit-cli.h"

static void test_cluster_init(void)
{
	struct cli c;

	CHECK(parse(&c, "cluster", "init", "1=10.0.0.1", "3=10.0.0.3",
		    NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_INIT);
	CHECK_U64(c.ninit, 2);
	CHECK_U64(c.init_id[1], 3);
	CHECK_STR(c.init_addr[1], "10.0.0.3");
	CHECK(!c.cluster_name && !c.output && !c.force && c.token_ms == 0);

	CHECK(parse(&c, "cluster", "init", "--name", "lab", "--token", "3000",
		    "-o", "-", "--force", "10.0.0.1", "fd00::2", NULL) == CLI_OK);
	CHECK_STR(c.cluster_name, "lab");
	CHECK_U64(c.token_ms, 3000);
	CHECK_STR(c.output, "-");
	CHECK(c.force);
	CHECK_U64(c.ninit, 2);
	CHECK_U64(c.init_id[0], 1);
	CHECK_U64(c.init_id[1], 2);
	CHECK_STR(c.init_addr[1], "fd00::2");

	CHECK(parse(&c, "cluster", "init", "--name=lab", "--output=/tmp/x",
		    "10.0.0.1", NULL) == CLI_OK);
	CHECK_STR(c.cluster_name, "lab");
	CHECK_STR(c.output, "/tmp/x");
}

/* cluster create and set take the policy options of pool create and set. */
static void test_cluster_policy(void)
{
	struct cli c;

	CHECK(parse(&c, "cluster", "create", "big", "1G", "--owner", "1000",
		    "--group", "root", "--mode", "0640", "--grant", "65534:r",
		    "--grant", "root:rwa", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_CREATE);
	CHECK(c.policy.has_uid && c.policy.uid == 1000);
	CHECK(c.policy.has_gid && c.policy.gid == 0);
	CHECK(c.policy.has_mode && c.policy.mode == 0640);
	CHECK(c.policy.has_grants);
	CHECK_U64(c.policy.ngrants, 2);
	CHECK_U64(c.policy.grants[0].uid, 65534);
	CHECK_U64(c.policy.grants[0].rights, DMPOOL_RIGHT_READ);
	CHECK_U64(c.policy.grants[1].rights, DMPOOL_RIGHTS_ALL);
	CHECK(parse(&c, "cluster", "create", "big", "1G", NULL) == CLI_OK);
	CHECK(!policy_given(&c.policy));

	/* set: the policy alone, with the TTL, or --no-grants. */
	CHECK(parse(&c, "cluster", "set", "big", "--mode", "600", NULL) ==
	      CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_SET && !c.has_ttl);
	CHECK(c.policy.has_mode && c.policy.mode == 0600);
	CHECK(!c.policy.has_uid && !c.policy.has_grants);
	CHECK(parse(&c, "cluster", "set", "big", "--ttl", "1h", "--grant",
		    "7:w", NULL) == CLI_OK);
	CHECK(c.has_ttl && c.policy.has_grants && c.policy.ngrants == 1);
	CHECK(parse(&c, "cluster", "set", "big", "--no-grants", NULL) ==
	      CLI_OK);
	CHECK(c.policy.has_grants && c.policy.ngrants == 0);
	CHECK(parse(&c, "cluster", "set", "big", "--ttl", "1h", NULL) ==
	      CLI_OK);
	CHECK(c.has_ttl && !policy_given(&c.policy));
}

static void test_cluster_policy_errors(void)
{
	CHECK_USAGE("--no-grants only applies to pool set, file set and cluster set",
		    "cluster", "create", "big", "1G", "--no-grants");
	CHECK_USAGE("invalid --mode '1000'", "cluster", "create", "big", "1G",
		    "--mode", "1000");
	CHECK_USAGE("invalid --mode '9'", "cluster", "set", "big", "--mode",
		    "9");
	CHECK_USAGE("user '7' is granted twice", "cluster", "set", "big",
		    "--grant", "7:r", "--grant", "7:w");
	CHECK_USAGE("invalid rights 'x'", "cluster", "create", "big", "1G",
		    "--grant", "7:x");
	CHECK_USAGE("invalid grant '7'", "cluster", "set", "big", "--grant",
		    "7");
	CHECK_USAGE("unknown user 'no-such-user-xyz'", "cluster", "set", "big",
		    "--owner", "no-such-user-xyz");
	CHECK_USAGE("--owner only applies to pool create, pool set, file set, cluster create and cluster set",
		    "cluster", "destroy", "big", "--owner", "0");
	CHECK_USAGE("--mode only applies", "cluster", "show", "--mode", "600");
	CHECK_USAGE("--ttl only applies", "pool", "set", "p", "--ttl", "1h",
		    "--mode", "600");
}

static void test_cluster_init_errors(void)
{
	CHECK_USAGE("missing nodes", "cluster", "init");
	CHECK_USAGE("give every node as ID=ADDR", "cluster", "init",
		    "1=10.0.0.1", "10.0.0.2");
	CHECK_USAGE("invalid node ID", "cluster", "init", "0=10.0.0.1");
	CHECK_USAGE("invalid node ID", "cluster", "init", "65=10.0.0.1");
	CHECK_USAGE("invalid node address", "cluster", "init", "1=host");
	CHECK_USAGE("invalid node address", "cluster", "init", "1=10.0.0.1:7470");
	CHECK_USAGE("given twice", "cluster", "init", "1=10.0.0.1", "1=10.0.0.2");
	CHECK_USAGE("given twice", "cluster", "init", "10.0.0.1", "10.0.0.1");
	CHECK_USAGE("invalid cluster name", "cluster", "init", "--name",
		    "a b", "10.0.0.1");
	CHECK_USAGE("invalid --token", "cluster", "init", "--token", "5",
		    "10.0.0.1");
	CHECK_USAGE("invalid --token", "cluster", "init", "--token", "x",
		    "10.0.0.1");
	CHECK_USAGE("--name needs a value", "cluster", "init", "--name");
	CHECK_USAGE("-o needs a file name", "cluster", "init", "10.0.0.1",
		    "-o");
	CHECK_USAGE("-o only applies to cluster init", "status", "-o", "x");
	CHECK_USAGE("--token only applies", "cluster", "show", "--token", "1000");
}

static void test_cluster_pools(void)
{
	struct cli c;

	CHECK(parse(&c, "cluster", "show", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_SHOW);
	CHECK(parse(&c, "-j", "cluster", "create", "big", "1G", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_CREATE && c.json);
	CHECK_STR(c.sel.name, "big");
	CHECK_U64(c.size, 1ULL << 30);
	CHECK(!c.has_ttl && c.replicas == 0);
	CHECK(parse(&c, "cluster", "create", "big", "64M", "--replicas", "2",
		    "--ttl", "forever", NULL) == CLI_OK);
	CHECK_U64(c.replicas, 2);
	CHECK(c.has_ttl);
	CHECK_U64(c.ttl_ms, DMPOOL_TTL_FOREVER);
	CHECK(parse(&c, "cluster", "destroy", "big", "--force", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_DESTROY && c.force && !c.sel.by_id);
	CHECK(parse(&c, "cluster", "destroy", "72057594037927937", NULL) ==
	      CLI_OK);
	CHECK(c.sel.by_id);
	CHECK_U64(c.sel.id, 72057594037927937ULL);
	CHECK(parse(&c, "cluster", "set", "big", "--ttl", "10m", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CLUSTER_SET && c.has_ttl);
	CHECK_U64(c.ttl_ms, 600000);
}

static void test_cluster_pool_errors(void)
{
	CHECK_USAGE("missing cluster command", "cluster");
	CHECK_USAGE("unknown cluster command 'x'", "cluster", "x");
	CHECK_USAGE("unexpected argument", "cluster", "show", "x");
	CHECK_USAGE("missing argument", "cluster", "create", "big");
	CHECK_USAGE("invalid pool name", "cluster", "create", ".x", "1G");
	CHECK_USAGE("invalid size", "cluster", "create", "big", "0");
	CHECK_USAGE("invalid --replicas", "cluster", "create", "big", "1G",
		    "--replicas", "5");
	CHECK_USAGE("invalid --ttl", "cluster", "create", "big", "1G",
		    "--ttl", "soon");
	CHECK_USAGE("invalid --ttl", "cluster", "set", "big", "--ttl", "0s");
	CHECK_USAGE("nothing to set: give --ttl, --owner, --group, --mode, --grant or --no-grants",
		    "cluster", "set", "big");
	CHECK_USAGE("--replicas only applies", "cluster", "set", "big",
		    "--ttl", "1h", "--replicas", "2");
	CHECK_USAGE("--ttl only applies", "cluster", "destroy", "big", "--ttl",
		    "1h");
	CHECK_USAGE("--force only applies", "cluster", "create", "big", "1G",
		    "--force");
}

static void test_node_commission(void)
{
	struct cli c;

	CHECK(parse(&c, "node", "commission", "10.0.0.4", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_NODE_COMMISSION);
	CHECK(c.node_id == 0 && !c.has_port);
	CHECK(parse(&c, "node", "commission", "10.0.0.4", "--id", "4",
		    "--port", "7500", NULL) == CLI_OK);
	CHECK_U64(c.node_id, 4);
	CHECK(c.has_port);
	CHECK_U64(c.addr.port, 7500);
	CHECK(parse(&c, "node", "commission", "10.0.0.4:7600", NULL) == CLI_OK);
	CHECK(c.has_port);
	CHECK_U64(c.addr.port, 7600);
	CHECK(parse(&c, "node", "decommission", "4", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_NODE_DECOMMISSION);
	CHECK_U64(c.node_id, 4);
	/* The old node commands still parse. */
	CHECK(parse(&c, "node", "set", "1", "10.0.0.1", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_NODE_SET);
	CHECK(parse(&c, "node", "show", NULL) == CLI_OK);

	CHECK_USAGE("missing argument", "node", "commission");
	CHECK_USAGE("invalid address", "node", "commission", "host");
	CHECK_USAGE("invalid node ID", "node", "commission", "10.0.0.4",
		    "--id", "0");
	CHECK_USAGE("invalid --port", "node", "commission", "10.0.0.4",
		    "--port", "70000");
	CHECK_USAGE("invalid node ID", "node", "decommission", "x");
	CHECK_USAGE("use set, show, commission or decommission", "node", "x");
	CHECK_USAGE("--port only applies", "node", "decommission", "3",
		    "--port", "1");
	CHECK_USAGE("--id only applies to pool install", "node", "decommission",
		    "3", "--id", "3");
}

static void test_crawl(void)
{
	struct cli c;

	CHECK(parse(&c, "crawl", "10.0.0.1", "192.168.0.0/24,10.1.0.0/16",
		    NULL) == CLI_OK);
	CHECK(c.cmd == CMD_CRAWL);
	CHECK_STR(c.crawl, "10.0.0.1,192.168.0.0/24,10.1.0.0/16");
	CHECK_USAGE("missing argument", "crawl");
	CHECK_USAGE("missing argument", "crawl", ",");
	CHECK_USAGE("invalid crawl target '10.0.0.0/8'", "crawl", "10.0.0.0/8");
	CHECK_USAGE("invalid crawl target", "crawl", "10.0.0.0/33");
	CHECK_USAGE("invalid crawl target", "crawl", "fd00::1");
	CHECK_USAGE("invalid crawl target", "crawl", "host");
	CHECK_USAGE("invalid crawl target", "crawl", "10.0.0.1/");
}

static void test_status_monitor_top(void)
{
	struct cli c;

	CHECK(parse(&c, "status", "-j", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_STATUS && c.json);
	CHECK(parse(&c, "monitor", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_MONITOR && c.count == 0);
	CHECK(parse(&c, "monitor", "--count", "4", NULL) == CLI_OK);
	CHECK_U64(c.count, 4);
	CHECK(parse(&c, "top", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_TOP);
	CHECK_U64(c.interval_ms, 1000);
	CHECK_U64(c.iterations, 0);
	CHECK(parse(&c, "top", "--interval", "2", "--iterations", "3",
		    NULL) == CLI_OK);
	CHECK_U64(c.interval_ms, 2000);
	CHECK_U64(c.iterations, 3);
	CHECK(parse(&c, "top", "--interval=500ms", NULL) == CLI_OK);
	CHECK_U64(c.interval_ms, 500);

	CHECK_USAGE("unexpected argument", "status", "x");
	CHECK_USAGE("invalid --count", "monitor", "--count", "0");
	CHECK_USAGE("invalid --interval", "top", "--interval", "0");
	CHECK_USAGE("invalid --interval", "top", "--interval", "forever");
	CHECK_USAGE("invalid --interval", "top", "--interval", "2h");
	CHECK_USAGE("invalid --iterations", "top", "--iterations", "-1");
	CHECK_USAGE("--count only applies", "top", "--count", "1");
	CHECK_USAGE("--interval only applies", "monitor", "--interval", "1");
}

static void test_is_cluster_cmd(void)
{
	CHECK(cli_is_cluster_cmd(CMD_CLUSTER_INIT));
	CHECK(cli_is_cluster_cmd(CMD_TOP));
	CHECK(cli_is_cluster_cmd(CMD_NODE_COMMISSION));
	CHECK(!cli_is_cluster_cmd(CMD_NODE_SET));
	CHECK(!cli_is_cluster_cmd(CMD_FILE_DELETE));
}

static void test_duration(void)
{
	char b[DURATION_FMT_MAX];
	uint64_t ms;

	CHECK(duration_parse("30s", false, &ms) == 0);
	CHECK_U64(ms, 30000);
	CHECK(duration_parse("10m", false, &ms) == 0);
	CHECK_U64(ms, 600000);
	CHECK(duration_parse("2h", false, &ms) == 0);
	CHECK_U64(ms, 7200000);
	CHECK(duration_parse("7d", false, &ms) == 0);
	CHECK_U64(ms, 7ULL * 24 * 3600 * 1000);
	CHECK(duration_parse("250ms", false, &ms) == 0);
	CHECK_U64(ms, 250);
	CHECK(duration_parse("45", false, &ms) == 0);
	CHECK_U64(ms, 45000);
	CHECK(duration_parse("forever", true, &ms) == 0);
	CHECK_U64(ms, UINT64_MAX);
	CHECK(duration_parse("forever", false, &ms) < 0);
	CHECK(duration_parse("0s", true, &ms) < 0);
	CHECK(duration_parse("", true, &ms) < 0);
	CHECK(duration_parse("s", true, &ms) < 0);
	CHECK(duration_parse("1.5h", true, &ms) < 0);
	CHECK(duration_parse("-1s", true, &ms) < 0);
	CHECK(duration_parse("10w", true, &ms) < 0);
	CHECK(duration_parse("36501d", true, &ms) < 0);
	CHECK(duration_parse("99999999999999999999999h", true, &ms) < 0);

	CHECK_STR(duration_format(850, b, sizeof(b)), "850ms");
	CHECK_STR(duration_format(30000, b, sizeof(b)), "30s");
	CHECK_STR(duration_format(600000, b, sizeof(b)), "10m");
	CHECK_STR(duration_format(7500000, b, sizeof(b)), "2h 5m");
	CHECK_STR(duration_format(90061000, b, sizeof(b)), "1d 1h");
	CHECK_STR(duration_format(61500, b, sizeof(b)), "1m 1s");
	CHECK_STR(duration_format(UINT64_MAX, b, sizeof(b)), "forever");
}

int main(void)
{
	RUN(test_cluster_init);
	RUN(test_cluster_init_errors);
	RUN(test_cluster_policy);
	RUN(test_cluster_policy_errors);
	RUN(test_cluster_pools);
	RUN(test_cluster_pool_errors);
	RUN(test_node_commission);
	RUN(test_crawl);
	RUN(test_status_monitor_top);
	RUN(test_is_cluster_cmd);
	RUN(test_duration);
	return unit_done();
}
