// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl pool set and file set (DMPOOL_FEAT_POLICY): change the owner,
 * group, mode or grants, then show the pool or the file as it is now
 * (as pool show and file show do).
 */
#include <stdio.h>

#include "output.h"
#include "run.h"

int run_policy(struct ctl_nl *nl, const struct cli *cli)
{
	char pool[DMPOOL_POOL_NAME_MAX + 32], name[NAME_ESC_MAX];
	char subject[sizeof(pool) + sizeof(name) + 16];
	bool file = cli->cmd == CMD_FILE_SET;
	struct ctl_pool p;
	struct ctl_file f;
	struct ctl_err err;
	enum ctl_status st;

	pool_sel_str(&cli->sel, pool, sizeof(pool));
	if (file)
		snprintf(subject, sizeof(subject), "pool %s, file %s", pool,
			 name_escape(cli->file, name, sizeof(name)));
	else
		snprintf(subject, sizeof(subject), "%s", pool);
	st = ctl_policy_set(nl, &cli->sel, file ? cli->file : NULL,
			    &cli->policy, &err);
	if (st != CTL_OK)
		return run_fail(cli->cmd, subject, st, &err);
	if (file)
		st = ctl_file_get(nl, &cli->sel, cli->file, &f, &err);
	else
		st = ctl_pool_get(nl, &cli->sel, &p, NULL, &err);
	if (st != CTL_OK)
		return run_fail(file ? CMD_FILE_SHOW : CMD_POOL_SHOW, subject,
				st, &err);
	return run_written(file ? out_file_show(stdout, &f, cli->json) :
			   out_pool_show(stdout, &p, cli->json));
}
