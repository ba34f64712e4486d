/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool statistics helpers shared by the pool and transport layers: a
 * latency histogram of power-of-two microsecond buckets, lock-free (each
 * bucket an atomic64_t), read one bucket at a time for reporting.
 */
#ifndef _DMPOOL_STATS_H
#define _DMPOOL_STATS_H

#include <linux/atomic.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/dmpool.h>

/**
 * struct dmpool_lat_hist - round trips by power-of-two microseconds
 * @b: bucket i counts round trips of 2^i to 2^(i+1) - 1 us; bucket 0 also
 *     those under 1 us, the last bucket all longer ones
 */
struct dmpool_lat_hist {
	atomic64_t b[DMPOOL_LAT_BUCKETS];
};

/* Count one round trip of @ns nanoseconds. */
static inline void dmpool_lat_record(struct dmpool_lat_hist *h, u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);
	unsigned int i = us ? ilog2(us) : 0;

	atomic64_inc(&h->b[min_t(unsigned int, i, DMPOOL_LAT_BUCKETS - 1)]);
}

/* Copy the buckets out for a reply. */
static inline void dmpool_lat_read(struct dmpool_lat_hist *h,
				   u64 out[DMPOOL_LAT_BUCKETS])
{
	unsigned int i;

	for (i = 0; i < DMPOOL_LAT_BUCKETS; i++)
		out[i] = atomic64_read(&h->b[i]);
}

#endif /* _DMPOOL_STATS_H */
