// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl - administer dmpool memory pools on this node.
 *
 * The flow of every invocation:
 *
 *	parse the command line (cli.c)      usage error        -> exit 2
 *	open generic netlink, resolve       module not loaded  -> exit 1
 *	DMPOOL_CMD_VERSION_GET, compare ABI ABI mismatch       -> exit 1
 *	run the command (nlclient.c)        the module refused -> exit 1
 *	print the result (output.c)                            -> exit 0
 *
 * The ABI check runs on every invocation, not only for `version`, so an
 * old dmpoolctl never sends requests a newer module would misread.
 * Messages go to stderr as "dmpoolctl: <reason>" (errmsg.c); results go to
 * stdout, as JSON with -j.
 *
 * `key set` reads the key from a file or stdin (never from the command
 * line, where ps would show it) and wipes every copy it made.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "errmsg.h"
#include "fileio.h"
#include "nlclient.h"
#include "output.h"
#include "run.h"

#ifndef DMPOOL_VERSION
#define DMPOOL_VERSION "unknown"
#endif

int run_fail(enum cli_command cmd, const char *subject, enum ctl_status st,
	     const struct ctl_err *err)
{
	char msg[ERRMSG_MAX];

	fprintf(stderr, "dmpoolctl: %s\n",
		errmsg(cmd, subject, st, err, msg, sizeof(msg)));
	return EXIT_FAILED;
}

/* A pool that does not fit: say how much the store has free, fetched now. */
static int fail_nospace(struct ctl_nl *nl, const char *subject,
			uint64_t requested, const struct ctl_err *err)
{
	char msg[ERRMSG_MAX], full[ERRMSG_MAX];
	struct ctl_version ver;
	struct ctl_err verr;
	const char *text;

	text = errmsg(CMD_POOL_CREATE, subject, CTL_KERNEL, err, msg,
		      sizeof(msg));
	if (ctl_version_get(nl, &ver, &verr) == CTL_OK)
		text = errmsg_nospace(text, requested, &ver, full,
				      sizeof(full));
	fprintf(stderr, "dmpoolctl: %s\n", text);
	return EXIT_FAILED;
}

int run_written(int ret)
{
	if (ret < 0) {
		fprintf(stderr, "dmpoolctl: cannot write the output\n");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/*
 * Read the key bytes from @path ("-": stdin), at most DMPOOL_KEY_MAX.
 * Returns the length, or -1 with a message printed.
 */
static int read_key(const char *path, uint8_t key[DMPOOL_KEY_MAX + 1])
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t n;

	if (!f) {
		fprintf(stderr, "dmpoolctl: cannot open key file %s: %s\n",
			path, strerror(errno));
		return -1;
	}
	/* No stdio buffer: the bytes go straight into @key, one copy. */
	setvbuf(f, NULL, _IONBF, 0);
	n = fread(key, 1, DMPOOL_KEY_MAX + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "dmpoolctl: cannot read the key: %s\n",
			strerror(errno));
		if (f != stdin)
			fclose(f);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	if (n < DMPOOL_KEY_MIN || n > DMPOOL_KEY_MAX) {
		fprintf(stderr,
			"dmpoolctl: the key must be %d to %d bytes, %s has %s%zu\n",
			DMPOOL_KEY_MIN, DMPOOL_KEY_MAX,
			strcmp(path, "-") ? path : "stdin",
			n > DMPOOL_KEY_MAX ? "more than " : "",
			n > DMPOOL_KEY_MAX ? (size_t)DMPOOL_KEY_MAX : n);
		return -1;
	}
	return (int)n;
}

static int run_key_set(struct ctl_nl *nl, const struct cli *cli)
{
	uint8_t key[DMPOOL_KEY_MAX + 1];
	struct ctl_err err;
	enum ctl_status st;
	int len;

	len = read_key(cli->key_file, key);
	if (len < 0) {
		explicit_bzero(key, sizeof(key));
		return EXIT_FAILED;
	}
	st = ctl_key_set(nl, key, (size_t)len, &err);
	explicit_bzero(key, sizeof(key));
	if (st != CTL_OK)
		return run_fail(cli->cmd, "key", st, &err);
	return run_written(out_done(stdout, cli, cli->json));
}

/* The node and peer commands. */
static int run_transport(struct ctl_nl *nl, const struct cli *cli)
{
	char subject[32];
	struct ctl_peer *peers, peer;
	struct ctl_node node;
	struct ctl_err err;
	enum ctl_status st;
	size_t n;
	int ret;

	snprintf(subject, sizeof(subject), "%s %u",
		 cli->cmd == CMD_NODE_SET ? "node" : "peer", cli->node_id);
	switch (cli->cmd) {
	case CMD_NODE_SET:
		st = ctl_node_set(nl, cli->node_id, &cli->addr, &err);
		break;
	case CMD_PEER_ADD:
		st = ctl_peer_add(nl, cli->node_id, &cli->addr, &err);
		break;
	case CMD_PEER_DEL:
		st = ctl_peer_del(nl, cli->node_id, &err);
		break;
	case CMD_KEY_SET:
		return run_key_set(nl, cli);
	case CMD_NODE_SHOW:
		st = ctl_node_get(nl, &node, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, NULL, st, &err);
		return run_written(out_node_show(stdout, &node, cli->json));
	case CMD_PEER_LIST:
		st = ctl_peer_dump(nl, &peers, &n, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, NULL, st, &err);
		ret = run_written(out_peer_list(stdout, peers, n, cli->json));
		free(peers);
		return ret;
	case CMD_PEER_SHOW:
		st = ctl_peer_get(nl, cli->node_id, &peer, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		return run_written(out_peer_show(stdout, &peer, cli->json));
	default:
		return EXIT_USAGE;
	}
	if (st != CTL_OK)
		return run_fail(cli->cmd, subject, st, &err);
	return run_written(out_done(stdout, cli, cli->json));
}

static int run(struct ctl_nl *nl, const struct cli *cli,
	       const struct ctl_version *ver)
{
	char subject[DMPOOL_POOL_NAME_MAX + 32];
	struct ctl_pool pool, *pools;
	struct ctl_err err;
	enum ctl_status st;
	size_t n;
	int ret;

	pool_sel_str(&cli->sel, subject, sizeof(subject));
	if (cli_needs_remote(cli)) {
		if (!(ver->features & DMPOOL_FEAT_REMOTE)) {
			fprintf(stderr, "dmpoolctl: %s\n",
				errmsg_no_remote(subject, sizeof(subject)));
			return EXIT_FAILED;
		}
		return run_remote(nl, cli, ver);
	}
	if (cli_is_file_cmd(cli->cmd) && !(ver->features & DMPOOL_FEAT_FILES)) {
		fprintf(stderr, "dmpoolctl: %s\n",
			errmsg_no_files(subject, sizeof(subject)));
		return EXIT_FAILED;
	}
	if ((policy_given(&cli->policy) || cli->cmd == CMD_POOL_SET) &&
	    !(ver->features & DMPOOL_FEAT_POLICY)) {
		fprintf(stderr, "dmpoolctl: %s: this dmpool module has no access policies (DMPOOL_FEAT_POLICY)\n",
			subject);
		return EXIT_FAILED;
	}
	switch (cli->cmd) {
	case CMD_POOL_CREATE:
		st = ctl_pool_new_policy(nl, cli->sel.name, cli->size,
					 &cli->policy, &pool, &err);
		if (st == CTL_KERNEL && err.ack.error == -ENOSPC)
			return fail_nospace(nl, subject, cli->size, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		return run_written(out_pool_created(stdout, &pool, cli->json));
	case CMD_POOL_LIST:
		st = ctl_pool_dump(nl, &pools, &n, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, NULL, st, &err);
		ret = run_written(out_pool_list(stdout, pools, n, cli->json));
		free(pools);
		return ret;
	case CMD_POOL_SHOW:
		st = ctl_pool_get(nl, &cli->sel, &pool, NULL, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		return run_written(out_pool_show(stdout, &pool, cli->json));
	case CMD_POOL_DESTROY:
		st = ctl_pool_del(nl, &cli->sel,
				  cli->force ? DMPOOL_POOL_DEL_FORCE : 0, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		return run_written(out_pool_destroyed(stdout, &cli->sel, cli->json));
	case CMD_VERSION:
		return run_written(out_version(stdout, DMPOOL_VERSION,
					   DMPOOL_ABI_VERSION, ver, cli->json));
	case CMD_NODE_SET:
	case CMD_NODE_SHOW:
	case CMD_KEY_SET:
	case CMD_PEER_ADD:
	case CMD_PEER_DEL:
	case CMD_PEER_LIST:
	case CMD_PEER_SHOW:
		return run_transport(nl, cli);
	case CMD_MEM_EXPOSE:
	case CMD_MEM_SHOW:
	case CMD_POOL_EXPORT:
	case CMD_POOL_INSTALL:
	case CMD_POOL_STATS:
		return run_remote(nl, cli, ver);
	case CMD_FILE_CREATE:
	case CMD_FILE_LIST:
	case CMD_FILE_SHOW:
	case CMD_FILE_DELETE:
		return run_files(nl, cli);
	case CMD_FILE_LOAD:
	case CMD_FILE_DUMP:
	case CMD_FILE_APPEND:
	case CMD_FILE_UPDATE:
		return run_fileio(nl, cli);
	case CMD_CLUSTER_INIT:
	case CMD_CLUSTER_SHOW:
	case CMD_CLUSTER_CREATE:
	case CMD_CLUSTER_DESTROY:
	case CMD_CLUSTER_SET:
	case CMD_NODE_COMMISSION:
	case CMD_NODE_DECOMMISSION:
	case CMD_CRAWL:
	case CMD_STATUS:
	case CMD_MONITOR:
	case CMD_TOP:
		return run_cluster(nl, cli, ver);
	case CMD_POOL_SET:
	case CMD_FILE_SET:
		return run_policy(nl, cli);
	case CMD_NONE:
		break;
	}
	return EXIT_USAGE;
}

int main(int argc, char *argv[])
{
	char why[512], msg[ERRMSG_MAX];
	struct ctl_version ver;
	struct ctl_nl *nl;
	struct ctl_err err;
	enum ctl_status st;
	struct cli cli;
	int ret;

	switch (cli_parse(argc, argv, &cli, why, sizeof(why))) {
	case CLI_HELP:
		cli_usage(stdout);
		return EXIT_OK;
	case CLI_USAGE:
		fprintf(stderr, "dmpoolctl: %s\nTry 'dmpoolctl --help'.\n", why);
		return EXIT_USAGE;
	case CLI_OK:
		break;
	}

	/* cluster init only writes a file: no module needed. */
	if (cli.cmd == CMD_CLUSTER_INIT)
		return run_cluster_init(&cli);

	st = ctl_nl_open(&nl, &err);
	if (st != CTL_OK)
		return run_fail(cli.cmd, NULL, st, &err);

	st = ctl_version_get(nl, &ver, &err);
	if (st != CTL_OK) {
		ctl_nl_close(nl);
		return run_fail(CMD_VERSION, NULL, st, &err);
	}

	if (ver.abi_version != DMPOOL_ABI_VERSION) {
		/* `version` still shows both sides: that is what it is for. */
		if (cli.cmd == CMD_VERSION)
			run(nl, &cli, &ver);
		ctl_nl_close(nl);
		fprintf(stderr, "dmpoolctl: %s\n",
			errmsg_abi(ver.abi_version, DMPOOL_ABI_VERSION, msg,
				   sizeof(msg)));
		return EXIT_FAILED;
	}

	ret = run(nl, &cli, &ver);
	ctl_nl_close(nl);
	return ret;
}
