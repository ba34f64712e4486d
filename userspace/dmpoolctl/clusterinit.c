// SPDX-License-Identifier: GPL-2.0
/* cluster init: placeholder until userspace/common/corosync_conf exists. */
#include <stdio.h>

#include "run.h"

int run_cluster_init(const struct cli *cli)
{
	(void)cli;
	fprintf(stderr, "dmpoolctl: cluster init is not implemented yet\n");
	return EXIT_FAILED;
}
