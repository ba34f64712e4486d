// SPDX-License-Identifier: GPL-2.0
/*
 * Commissioning and decommissioning nodes.
 *
 * Decommission (DMPOOL_REQ_NODE_DECOMMISSION, relay.c) is a CPG change:
 * refused with EBUSY while the node homes extents of a pool (cluster.c),
 * else the node leaves the snapshot on every daemon, whose modules drop it
 * as a peer (apply.c); the node's own daemon runs leave_command and goes
 * standalone.
 *
 * Commission (ADDR [, NODE_ID, PORT]) is not implemented yet: it answers
 * EOPNOTSUPP.  The design (Documentation/daemon.rst): probe ADDR with the
 * crawl protocol, multicast COMMISSION, rewrite corosync.conf's nodelist
 * on every node (manage_corosync) and reload it, then hand the new node
 * its corosync.conf over the crawl port in a JOIN message authenticated
 * with HMAC-SHA256 over the cluster key and a nonce from the target.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon.h"

int commission_start(struct daemon *d, uint64_t req, struct nlattr *args,
		     char *why, size_t len)
{
	(void)d;
	(void)req;
	(void)args;
	snprintf(why, len, "node commission is not implemented by this "
		 "dmpoold yet: add the node to corosync.conf's nodelist on "
		 "every node and start dmpoold there");
	return EOPNOTSUPP;
}

static void run_command(const char *what, const char *cmd)
{
	int ret;

	if (!cmd[0])
		return;
	ret = system(cmd);
	if (ret != 0)
		logmsg(LOG_WARNING, "%s '%s' failed (status %d)", what, cmd, ret);
	else
		logmsg(LOG_INFO, "%s '%s' done", what, cmd);
}

void commission_applied(struct daemon *d, const struct cpgp_msg *m,
			const struct cl_outcome *o)
{
	if (o->status || m->type != CPGP_DECOMMISSION)
		return;
	if (m->node == d->self_id) {
		logmsg(LOG_NOTICE, "this node was decommissioned: leaving the "
		       "cluster");
		d->leave_pending = true;
	}
}

void commission_leave(struct daemon *d)
{
	d->leave_pending = false;
	cpg_stop(d);
	run_command("leave_command", d->conf.leave_command);
}
