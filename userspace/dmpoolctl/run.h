/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running dmpoolctl's commands: shared by main.c and remote.c.
 */
#ifndef DMPOOLCTL_RUN_H
#define DMPOOLCTL_RUN_H

#include "cli.h"
#include "nlclient.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* Print the message for a failed command; returns EXIT_FAILED. */
int run_fail(enum cli_command cmd, const char *subject, enum ctl_status st,
	     const struct ctl_err *err);

/* EXIT_OK, or EXIT_FAILED with a message if the output failed (@ret < 0). */
int run_written(int ret);

/* The commands of remote memory and placed pools (remote.c). */
int run_remote(struct ctl_nl *nl, const struct cli *cli,
	       const struct ctl_version *ver);

/* The file commands (files.c). */
int run_files(struct ctl_nl *nl, const struct cli *cli);

/* The cluster commands but cluster init (cluster.c). */
int run_cluster(struct ctl_nl *nl, const struct cli *cli,
		const struct ctl_version *ver);
/* cluster init: writes corosync.conf, needs no module (clusterinit.c). */
int run_cluster_init(const struct cli *cli);
/* monitor (monitor.c) and top (top.c). */
int run_monitor(struct ctl_nl *nl, const struct cli *cli);
int run_top(struct ctl_nl *nl, const struct cli *cli);
/* The refusal of a cluster command: the module lacks DMPOOL_FEAT_CLUSTER. */
const char *errmsg_no_cluster(void);
/* pool set and file set (setpolicy.c). */
int run_policy(struct ctl_nl *nl, const struct cli *cli);

#endif /* DMPOOLCTL_RUN_H */
