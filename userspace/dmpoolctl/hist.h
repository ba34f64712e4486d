/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency histograms (DMPOOL_A_LAT_HIST): totals, percentile estimates,
 * labels.
 */
#ifndef DMPOOLCTL_HIST_H
#define DMPOOLCTL_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "reply.h"

/* Requests counted in @h (saturating at UINT64_MAX). */
uint64_t hist_total(const struct ctl_hist *h);

/*
 * Estimate the @permille-th percentile (500: median, 990: p99) in
 * microseconds: find the bucket holding that rank and interpolate
 * linearly within it (bucket 0 is [0, 2) us).  In the last, open-ended
 * bucket the estimate is its lower bound.  Returns 0, or -1 if @h is
 * empty.
 */
int hist_percentile(const struct ctl_hist *h, unsigned int permille,
		    uint64_t *us);

/* "830 us", "1.5 ms", "2.25 s". */
const char *us_format(uint64_t us, char *buf, size_t len);

/* Bucket @i's range: "< 2 us", "512 us - 1.0 ms", ">= 8.39 s". */
const char *hist_label(int i, char *buf, size_t len);

#define HIST_LABEL_MAX 40

#endif /* DMPOOLCTL_HIST_H */
