/* SPDX-License-Identifier: GPL-2.0 */
/*
 * corosync.conf for a dmpool cluster: rendered whole by `dmpoolctl cluster
 * init`, and its nodelist rewritten by dmpoold when a node is commissioned
 * or decommissioned (the rest of an admin's file is kept as it is).
 *
 * Pure text in, text out: no I/O, so both are unit-tested on the host.
 */
#ifndef DMPOOL_COROSYNC_CONF_H
#define DMPOOL_COROSYNC_CONF_H

#include <stddef.h>

#define CC_TOKEN_DEFAULT_MS	1000	/* totem token: a lost node leaves in ~4 s */

/**
 * struct cc_node - one node of the nodelist
 * @id:   corosync nodeid = dmpool node ID, 1..DMPOOL_NODES_MAX
 * @name: the node's name; "" means "node<id>"
 * @addr: ring0_addr: an IPv4/IPv6 address or a host name
 */
struct cc_node {
	unsigned int id;
	char name[64];
	char addr[64];
};

/*
 * A whole corosync.conf: totem (knet, @token_ms), logging to
 * /var/log/corosync/corosync.log, votequorum, the nodelist.  Returns malloc'd
 * text, or NULL with errno EINVAL (bad cluster name, node, duplicate ID or
 * address) or ENOMEM.
 */
char *cc_render(const char *cluster_name, const struct cc_node *nodes,
		size_t n, unsigned int token_ms);

/*
 * @conf_text with its top-level "nodelist { ... }" section replaced by one
 * for @nodes (appended when there is none).  Returns malloc'd text, or NULL
 * with errno EINVAL (unbalanced braces, bad node) or ENOMEM.
 */
char *cc_replace_nodelist(const char *conf_text, const struct cc_node *nodes,
			  size_t n);

/*
 * Parse the nodelist of @conf_text into @nodes (at most @max).  Returns the
 * number of nodes, or -1 with errno EINVAL (no nodelist, a node without
 * nodeid or ring0_addr, too many).
 */
int cc_parse_nodelist(const char *conf_text, struct cc_node *nodes,
		      size_t max);

#endif /* DMPOOL_COROSYNC_CONF_H */
