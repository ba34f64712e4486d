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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "errmsg.h"
#include "nlclient.h"
#include "output.h"

#ifndef DMPOOL_VERSION
#define DMPOOL_VERSION "unknown"
#endif

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static int fail(enum cli_command cmd, const char *subject, enum ctl_status st,
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

static int written(int ret)
{
	if (ret < 0) {
		fprintf(stderr, "dmpoolctl: cannot write the output\n");
		return EXIT_FAILED;
	}
	return EXIT_OK;
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
	switch (cli->cmd) {
	case CMD_POOL_CREATE:
		st = ctl_pool_new(nl, cli->sel.name, cli->size, &pool, &err);
		if (st == CTL_KERNEL && err.ack.error == -ENOSPC)
			return fail_nospace(nl, subject, cli->size, &err);
		if (st != CTL_OK)
			return fail(cli->cmd, subject, st, &err);
		return written(out_pool_created(stdout, &pool, cli->json));
	case CMD_POOL_LIST:
		st = ctl_pool_dump(nl, &pools, &n, &err);
		if (st != CTL_OK)
			return fail(cli->cmd, NULL, st, &err);
		ret = written(out_pool_list(stdout, pools, n, cli->json));
		free(pools);
		return ret;
	case CMD_POOL_SHOW:
		st = ctl_pool_get(nl, &cli->sel, &pool, &err);
		if (st != CTL_OK)
			return fail(cli->cmd, subject, st, &err);
		return written(out_pool_show(stdout, &pool, cli->json));
	case CMD_POOL_DESTROY:
		st = ctl_pool_del(nl, &cli->sel,
				  cli->force ? DMPOOL_POOL_DEL_FORCE : 0, &err);
		if (st != CTL_OK)
			return fail(cli->cmd, subject, st, &err);
		return written(out_pool_destroyed(stdout, &cli->sel, cli->json));
	case CMD_VERSION:
		return written(out_version(stdout, DMPOOL_VERSION,
					   DMPOOL_ABI_VERSION, ver, cli->json));
	case CMD_NONE:
		break;
	}
	return EXIT_USAGE;
}

int main(int argc, char *argv[])
{
	char why[256], msg[ERRMSG_MAX];
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

	st = ctl_nl_open(&nl, &err);
	if (st != CTL_OK)
		return fail(cli.cmd, NULL, st, &err);

	st = ctl_version_get(nl, &ver, &err);
	if (st != CTL_OK) {
		ctl_nl_close(nl);
		return fail(CMD_VERSION, NULL, st, &err);
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
