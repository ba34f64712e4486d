/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl output of the cluster commands (outcluster.c): cluster show,
 * cluster create/destroy/set, node commission/decommission, crawl,
 * status and monitor's events.  Same rules as output.c.
 */
#ifndef DMPOOLCTL_OUTCLUSTER_H
#define DMPOOLCTL_OUTCLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "clreply.h"
#include "reply.h"

/* Enough for any mem_bar() result with the default width. */
#define MEM_BAR_WIDTH 12
#define MEM_BAR_MAX 32

/*
 * @used of @cap as a bar of @width cells and a percentage:
 * "[######......]  50%"; "[............]   -" for @cap 0.  Used above
 * capacity shows full and its true percentage.  Returns @buf.
 */
const char *mem_bar(uint64_t used, uint64_t cap, int width, char *buf,
		    size_t len);
/* "1,2,5" for bits 0, 1, 4; "none" for 0.  Returns @buf. */
const char *members_format(uint64_t members, char *buf, size_t len);
/* The checksum in lower-case hex (2 * DMPOOL_CHECKSUM_LEN + 1 bytes). */
const char *checksum_hex(const uint8_t *sum, char *buf, size_t len);

int out_cluster_show(FILE *out, const struct ctl_cluster *c, bool json);
/* cluster create's result. */
int out_cluster_pool(FILE *out, const struct ctl_cpool *pool, bool json);
/* cluster destroy and set, node commission and decommission. */
int out_cluster_done(FILE *out, const struct cli *cli,
		     const struct ctl_req_reply *r, bool json);
int out_crawl(FILE *out, const struct ctl_crawl_host *hosts, size_t n,
	      bool json);
/*
 * status with dmpoold: the cluster's nodes and pools, and how often each
 * pool is attached on this node (@local, this node's POOL_GET dump).
 */
int out_status(FILE *out, const struct ctl_cstatus *st,
	       const struct ctl_pool *local, size_t nlocal, bool json);
/* status without dmpoold: this node's memory, peers and pools. */
int out_status_local(FILE *out, const struct ctl_mem *mem, size_t nmem,
		     const struct ctl_pool *pools, size_t npools, bool json);
/* One monitor line: @when is "HH:MM:SS.mmm" (or any text). */
int out_event(FILE *out, const char *when, const struct ctl_event *ev,
	      bool json);
/* The line for events the kernel dropped (ENOBUFS). */
int out_events_lost(FILE *out, const char *when, bool json);

#endif /* DMPOOLCTL_OUTCLUSTER_H */
