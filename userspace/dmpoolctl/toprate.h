/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl top's pure part: rates from two samples of the counters, and
 * their output.
 */
#ifndef DMPOOLCTL_TOPRATE_H
#define DMPOOLCTL_TOPRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reply.h"

/* One pool's rates over an interval, per second. */
struct top_pool_rate {
	uint64_t id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
	double faults;
	double in_local, in_remote;	/* bytes read into the page cache */
	double out_local, out_remote;	/* bytes written back */
};

/* One peer's rates, per second. */
struct top_peer_rate {
	uint32_t id;
	double bytes_in, bytes_out;	/* on the wire, headers included */
	double pages_in, pages_out;	/* page fetches and write-backs */
};

/*
 * One rate per pool of @cur, against the same pool (by ID) in @prev; a
 * pool new since @prev counts from 0, a counter that went down gives 0.
 * Pages count @page_size bytes.  @secs > 0.  @out has room for @ncur.
 */
void top_pool_rates(const struct ctl_pool *prev, size_t nprev,
		    const struct ctl_pool *cur, size_t ncur, double secs,
		    uint64_t page_size, struct top_pool_rate *out);
void top_peer_rates(const struct ctl_peer *prev, size_t nprev,
		    const struct ctl_peer *cur, size_t ncur, double secs,
		    struct top_peer_rate *out);

/*
 * One interval: sample @n, @secs long.  Text: a pool table and a peer
 * table (MB/s are 10^6 bytes), preceded by an ANSI clear if @clear.
 * JSON: one object per interval, on one line, rates in whole units.
 */
int out_top(FILE *out, unsigned int n, double secs,
	    const struct top_pool_rate *pools, size_t npools,
	    const struct top_peer_rate *peers, size_t npeers, bool clear,
	    bool json);

#endif /* DMPOOLCTL_TOPRATE_H */
