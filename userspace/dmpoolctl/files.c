// SPDX-License-Identifier: GPL-2.0
/*
 * The file commands (DMPOOL_FEAT_FILES): the files of a pool, through the
 * module's generic netlink commands.
 *
 *	file create POOL NAME SIZE	FILE_NEW; prints the file as show does
 *	file list POOL			FILE_GET dump
 *	file show POOL NAME		FILE_GET doit
 *	file delete POOL NAME		FILE_DEL
 *
 * main.c checked the module's feature bit before calling in here.  The
 * module reads and changes the pool's directory under the pool's cluster
 * lock, so these wait for the cluster lock manager (corosync and
 * dlm_controld), not for other dmpoolctl commands.  Messages name the
 * pool and the file: "pool cache, file log: the file is open on some node".
 */
#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "run.h"

int run_files(struct ctl_nl *nl, const struct cli *cli)
{
	char pool[DMPOOL_POOL_NAME_MAX + 32], name[NAME_ESC_MAX];
	char subject[sizeof(pool) + sizeof(name) + 16];
	const struct ctl_file_spec spec = {
		.name = cli->file, .size = cli->size, .permits = cli->permits,
		.has_mode = cli->has_mode, .mode = cli->mode,
	};
	struct ctl_file file, *files;
	struct ctl_err err;
	enum ctl_status st;
	size_t n;
	int ret;

	pool_sel_str(&cli->sel, pool, sizeof(pool));
	if (cli->cmd == CMD_FILE_LIST)
		snprintf(subject, sizeof(subject), "pool %s", pool);
	else
		snprintf(subject, sizeof(subject), "pool %s, file %s", pool,
			 name_escape(cli->file, name, sizeof(name)));
	switch (cli->cmd) {
	case CMD_FILE_CREATE:
		st = ctl_file_new(nl, &cli->sel, &spec, &file, &err);
		break;
	case CMD_FILE_SHOW:
		st = ctl_file_get(nl, &cli->sel, cli->file, &file, &err);
		break;
	case CMD_FILE_DELETE:
		st = ctl_file_del(nl, &cli->sel, cli->file, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		return run_written(out_file_deleted(stdout, &cli->sel,
						    cli->file, cli->json));
	case CMD_FILE_LIST:
		st = ctl_file_dump(nl, &cli->sel, &files, &n, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		ret = run_written(out_file_list(stdout, files, n, cli->json));
		free(files);
		return ret;
	default:
		return EXIT_USAGE;
	}
	if (st != CTL_OK)
		return run_fail(cli->cmd, subject, st, &err);
	return run_written(out_file_show(stdout, &file, cli->json));
}
