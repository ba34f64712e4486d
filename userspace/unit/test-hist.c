// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for latency histograms (dmpoolctl/hist.c): totals,
 * percentile estimates by interpolation within a bucket, labels.
 */
#include "hist.h"
#include "unit.h"

static void test_total(void)
{
	struct ctl_hist h = { .has = true };

	CHECK_U64(hist_total(&h), 0);
	h.bucket[0] = 3;
	h.bucket[23] = 4;
	CHECK_U64(hist_total(&h), 7);
	h.bucket[5] = UINT64_MAX;
	CHECK_U64(hist_total(&h), UINT64_MAX);	/* saturates */
}

static void test_percentiles(void)
{
	struct ctl_hist h = { .has = true };
	uint64_t us;

	CHECK(hist_percentile(&h, 500, &us) < 0);	/* empty */
	/* Ten requests of 8-15 us: the median is halfway, 12 us. */
	h.bucket[3] = 10;
	CHECK(hist_percentile(&h, 500, &us) == 0);
	CHECK_U64(us, 12);
	CHECK(hist_percentile(&h, 990, &us) == 0);
	CHECK_U64(us, 16);
	/* 98 fast (bucket 0: [0, 2)), 2 slow (1-2 ms): p50 fast, p99 slow. */
	h.bucket[3] = 0;
	h.bucket[0] = 98;
	h.bucket[10] = 2;
	CHECK(hist_percentile(&h, 500, &us) == 0);
	CHECK_U64(us, 1);
	CHECK(hist_percentile(&h, 990, &us) == 0);
	CHECK_U64(us, 1024 + 512);
	/* The open-ended last bucket gives its lower bound. */
	h.bucket[0] = 0;
	h.bucket[10] = 0;
	h.bucket[DMPOOL_LAT_BUCKETS - 1] = 1;
	CHECK(hist_percentile(&h, 990, &us) == 0);
	CHECK_U64(us, 1ULL << (DMPOOL_LAT_BUCKETS - 1));
	/* Absent: no estimate. */
	h.has = false;
	CHECK(hist_percentile(&h, 500, &us) < 0);
	/* Huge counts do not overflow the rank. */
	h.has = true;
	h.bucket[DMPOOL_LAT_BUCKETS - 1] = 0;
	h.bucket[2] = UINT64_MAX;
	CHECK(hist_percentile(&h, 990, &us) == 0);
	CHECK(us >= 4 && us <= 8);
}

static void test_labels(void)
{
	char buf[HIST_LABEL_MAX];

	CHECK_STR(hist_label(0, buf, sizeof(buf)), "< 2 us");
	CHECK_STR(hist_label(1, buf, sizeof(buf)), "2 us - 4 us");
	CHECK_STR(hist_label(9, buf, sizeof(buf)), "512 us - 1.0 ms");
	CHECK_STR(hist_label(DMPOOL_LAT_BUCKETS - 1, buf, sizeof(buf)),
		  ">= 8.39 s");
	CHECK_STR(us_format(999, buf, sizeof(buf)), "999 us");
	CHECK_STR(us_format(1500, buf, sizeof(buf)), "1.5 ms");
	CHECK_STR(us_format(2250000, buf, sizeof(buf)), "2.25 s");
}

int main(void)
{
	RUN(test_total);
	RUN(test_percentiles);
	RUN(test_labels);
	return unit_done();
}
