// SPDX-License-Identifier: GPL-2.0
/*
 * Durations: the TTL of cluster pools, top's interval, ages and idle
 * times in output.  Integers only, so "1.5h" is spelled "90m".
 */
#include <stdio.h>
#include <string.h>

#include "duration.h"

#define MS_MAX (100ULL * 365 * 24 * 3600 * 1000)	/* 100 years */

static const struct {
	const char *unit;
	uint64_t ms;
} units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 3600 * 1000 },
	{ "d", 24 * 3600 * 1000 },
};

int duration_parse(const char *s, bool forever_ok, uint64_t *ms)
{
	uint64_t v = 0;
	const char *p;
	size_t i;

	if (!strcmp(s, "forever")) {
		if (!forever_ok)
			return -1;
		*ms = UINT64_MAX;
		return 0;
	}
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > MS_MAX)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit))
			continue;
		if (v == 0 || v > MS_MAX / units[i].ms)
			return -1;
		*ms = v * units[i].ms;
		return 0;
	}
	return -1;
}

const char *duration_format(uint64_t ms, char *buf, size_t len)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} steps[] = {
		{ "d", 24 * 3600 * 1000 },
		{ "h", 3600 * 1000 },
		{ "m", 60 * 1000 },
		{ "s", 1000 },
	};
	size_t i;

	if (ms == UINT64_MAX) {
		snprintf(buf, len, "forever");
		return buf;
	}
	if (ms < 1000) {
		snprintf(buf, len, "%llums", (unsigned long long)ms);
		return buf;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		uint64_t big = ms / steps[i].ms;
		uint64_t rest;

		if (!big)
			continue;
		rest = i + 1 < sizeof(steps) / sizeof(steps[0]) ?
		       (ms % steps[i].ms) / steps[i + 1].ms : 0;
		if (rest)
			snprintf(buf, len, "%llu%s %llu%s",
				 (unsigned long long)big, steps[i].unit,
				 (unsigned long long)rest, steps[i + 1].unit);
		else
			snprintf(buf, len, "%llu%s", (unsigned long long)big,
				 steps[i].unit);
		break;
	}
	return buf;
}
