// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms: bucket i counts round trips of 2^i to 2^(i+1) - 1
 * microseconds (bucket 0 also those under 1 us, the last one all longer).
 * The percentiles are estimates: the histogram keeps no more than which
 * bucket a request fell in.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hist.h"

uint64_t hist_total(const struct ctl_hist *h)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < DMPOOL_LAT_BUCKETS; i++)
		t = h->bucket[i] > UINT64_MAX - t ? UINT64_MAX : t + h->bucket[i];
	return t;
}

int hist_percentile(const struct ctl_hist *h, unsigned int permille,
		    uint64_t *us)
{
	uint64_t total = hist_total(h), before = 0, rank;
	int i;

	if (!h->has || !total)
		return -1;
	/* rank = ceil(total * permille / 1000), at least 1. */
	rank = (uint64_t)((unsigned __int128)total * permille / 1000);
	if ((unsigned __int128)rank * 1000 < (unsigned __int128)total * permille)
		rank++;
	if (!rank)
		rank = 1;
	for (i = 0; i < DMPOOL_LAT_BUCKETS; i++) {
		uint64_t lo = i ? 1ULL << i : 0, hi = 1ULL << (i + 1);

		if (h->bucket[i] && rank - before <= h->bucket[i]) {
			if (i == DMPOOL_LAT_BUCKETS - 1) {
				*us = lo;
				return 0;
			}
			*us = lo + (uint64_t)((double)(hi - lo) *
					      (double)(rank - before) /
					      (double)h->bucket[i]);
			return 0;
		}
		before += h->bucket[i];
	}
	*us = 1ULL << (DMPOOL_LAT_BUCKETS - 1);
	return 0;
}

const char *us_format(uint64_t us, char *buf, size_t len)
{
	if (us < 1000)
		snprintf(buf, len, "%" PRIu64 " us", us);
	else if (us < 1000000)
		snprintf(buf, len, "%.1f ms", (double)us / 1e3);
	else
		snprintf(buf, len, "%.2f s", (double)us / 1e6);
	return buf;
}

const char *hist_label(int i, char *buf, size_t len)
{
	char a[16], b[16];

	if (i == 0)
		snprintf(buf, len, "< 2 us");
	else if (i == DMPOOL_LAT_BUCKETS - 1)
		snprintf(buf, len, ">= %s", us_format(1ULL << i, a, sizeof(a)));
	else
		snprintf(buf, len, "%s - %s", us_format(1ULL << i, a, sizeof(a)),
			 us_format(1ULL << (i + 1), b, sizeof(b)));
	return buf;
}
