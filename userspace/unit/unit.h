/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for the host unit tests.
 *
 *	static void test_something(void)
 *	{
 *		CHECK(1 + 1 == 2);
 *		CHECK_STR(got, "expected");
 *	}
 *	int main(void)
 *	{
 *		RUN(test_something);
 *		return unit_done();
 *	}
 *
 * Each RUN() is one TAP test point ("ok 3 - test_something"); a failed
 * CHECK prints a "#" diagnostic with file and line and fails the point but
 * lets the test go on, so one run shows every broken expectation.
 * unit_done() prints the plan and returns the exit status.
 */
#ifndef DMPOOL_UNIT_H
#define DMPOOL_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unit_points;		/* test points run */
static int unit_failed_points;	/* of which failed */
static int unit_point_failed;	/* current point failed a CHECK */

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: CHECK(%s) failed\n",		\
			       __FILE__, __LINE__, #cond);		\
			unit_point_failed = 1;				\
		}							\
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (!g_ || strcmp(g_, w_) != 0) {			\
			printf("#   %s:%d: got  \"%s\"\n#   %*s  want \"%s\"\n", \
			       __FILE__, __LINE__, g_ ? g_ : "(null)",	\
			       (int)strlen(__FILE__) + 6, "", w_);	\
			unit_point_failed = 1;				\
		}							\
	} while (0)

#define CHECK_U64(got, want)						\
	do {								\
		uint64_t g_ = (got), w_ = (want);			\
		if (g_ != w_) {						\
			printf("#   %s:%d: %s is %" PRIu64 ", want %" PRIu64 "\n", \
			       __FILE__, __LINE__, #got, g_, w_);	\
			unit_point_failed = 1;				\
		}							\
	} while (0)

#define RUN(fn)								\
	do {								\
		unit_point_failed = 0;					\
		fn();							\
		unit_points++;						\
		if (unit_point_failed)					\
			unit_failed_points++;				\
		printf("%s %d - %s\n", unit_point_failed ? "not ok" : "ok", \
		       unit_points, #fn);				\
		fflush(stdout);						\
	} while (0)

static inline int unit_done(void)
{
	printf("1..%d\n", unit_points);
	return unit_failed_points ? 1 : 0;
}

#endif /* DMPOOL_UNIT_H */
