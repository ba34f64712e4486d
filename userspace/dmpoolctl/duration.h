/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Durations on the command line and in output: "30s", "10m", "2h", "1d",
 * "500ms", "forever".
 */
#ifndef DMPOOLCTL_DURATION_H
#define DMPOOLCTL_DURATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough for any duration_format() result. */
#define DURATION_FMT_MAX 32

/*
 * Parse digits with a unit ms, s, m, h or d (bare digits are seconds)
 * into milliseconds; "forever" (only if @forever_ok) gives UINT64_MAX
 * (DMPOOL_TTL_FOREVER).  Zero and anything past 100 years are refused.
 * Returns 0, or -1 for bad input.  Pure.
 */
int duration_parse(const char *s, bool forever_ok, uint64_t *ms);

/*
 * "forever" for UINT64_MAX, else the largest one or two units:
 * "850ms", "30s", "10m", "2h 5m", "3d 4h".  Returns @buf.
 */
const char *duration_format(uint64_t ms, char *buf, size_t len);

#endif /* DMPOOLCTL_DURATION_H */
