// SPDX-License-Identifier: GPL-2.0
/* stats.c - see stats.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats.h"

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;

	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (end == s || *end != '\0' || (v << shift) >> shift != v) {
		fprintf(stderr, "bad size '%s'\n", s);
		exit(2);
	}
	return v << shift;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least p% of samples <= it. */
static double percentile(const double *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

void stats_of(double *v, size_t n, struct stats *st)
{
	double sum = 0;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	for (i = 0; i < n; i++)
		sum += v[i];
	st->p50 = percentile(v, n, 50);
	st->p99 = percentile(v, n, 99);
	st->mean = sum / (double)n;
	st->min = v[0];
	st->max = v[n - 1];
}

int write_samples(const char *path, const double *v, size_t n)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%.3f\n", v[i]);
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}
