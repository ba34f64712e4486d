/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - what the benchmark tools share: a monotonic clock, size
 * parsing, percentiles of latency samples, writing samples out.
 */
#ifndef DMPOOL_BENCH_STATS_H
#define DMPOOL_BENCH_STATS_H

#include <stddef.h>

struct stats {
	double p50, p99, mean, min, max;
};

/* CLOCK_MONOTONIC in seconds. */
double now_s(void);

/* "4096", "64K", "128M", "1G" (powers of 1024); exits on a bad size. */
unsigned long long parse_size(const char *s);

/* Percentiles (nearest rank), mean, min and max of @n samples; sorts @v. */
void stats_of(double *v, size_t n, struct stats *st);

/* @n samples, one per line ("%.3f"), to @path; -1 (message printed) on error. */
int write_samples(const char *path, const double *v, size_t n);

#endif
