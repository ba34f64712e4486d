// SPDX-License-Identifier: GPL-2.0
/*
 * Size parsing and formatting for dmpoolctl.
 *
 * Parsing is written by hand instead of with strtoull(), which accepts
 * leading spaces, a sign ("-1" becomes 2^64-1) and hex, and reports
 * overflow only through errno: for an admin tool, "pool create x -1" must
 * be an error, not a 16 EiB pool.  Units are binary (K = 1024), the
 * convention of the kernel's memparse() and of free(1) -h.
 */
#include <stdio.h>
#include <string.h>

#include "size.h"

static const char *const unit_names[] = {
	"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
};

#define N_UNITS (sizeof(unit_names) / sizeof(unit_names[0]))

/* The power of 1024 for unit letter @c, or -1. */
static int unit_shift(char c)
{
	static const char letters[] = "KMGTPE";
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	p = c ? strchr(letters, c) : NULL;
	return p ? (int)(p - letters + 1) : -1;
}

/* Does @s, after the unit letter, hold only a valid unit tail? */
static int unit_tail_ok(const char *s)
{
	if (s[0] == '\0')
		return 1;
	if ((s[0] == 'B' || s[0] == 'b') && s[1] == '\0')
		return 1;
	return (s[0] == 'i' || s[0] == 'I') && (s[1] == 'B' || s[1] == 'b') &&
	       s[2] == '\0';
}

static int all_letters(const char *s)
{
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return 0;
	}
	return 1;
}

enum size_error size_parse(const char *s, uint64_t *out)
{
	uint64_t value = 0;
	const char *p = s;
	int shift = 0;

	if (!s || s[0] == '\0')
		return SIZE_EMPTY;
	if (s[0] == '-')
		return SIZE_NEGATIVE;
	if (s[0] < '0' || s[0] > '9')
		return SIZE_GARBAGE;

	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int digit = (unsigned int)(*p - '0');

		if (value > (UINT64_MAX - digit) / 10)
			return SIZE_OVERFLOW;
		value = value * 10 + digit;
	}

	if (*p != '\0') {
		if ((p[0] == 'B' || p[0] == 'b') && p[1] == '\0') {
			shift = 0;
		} else {
			shift = unit_shift(*p);
			if (shift < 0 || !unit_tail_ok(p + 1)) {
				/* "12Q" names a unit we lack; "1.5G" or "12 K" is garbage. */
				return all_letters(p) ? SIZE_BAD_UNIT : SIZE_GARBAGE;
			}
		}
	}

	if (shift > 0 && value > (UINT64_MAX >> (10 * shift)))
		return SIZE_OVERFLOW;
	value <<= 10 * shift;
	if (value == 0)
		return SIZE_ZERO;
	*out = value;
	return SIZE_OK;
}

const char *size_error_str(enum size_error err)
{
	switch (err) {
	case SIZE_OK:
		return "ok";
	case SIZE_EMPTY:
		return "empty size";
	case SIZE_NEGATIVE:
		return "size must not be negative";
	case SIZE_GARBAGE:
		return "not a size (expected digits and an optional unit K, M, G, T, P or E)";
	case SIZE_BAD_UNIT:
		return "unknown unit (use K, M, G, T, P or E, binary)";
	case SIZE_OVERFLOW:
		return "size too large";
	case SIZE_ZERO:
		return "size must not be zero";
	}
	return "bad size";
}

char *size_format(uint64_t bytes, char *buf, size_t len)
{
	unsigned int u = 0;
	uint64_t unit = 1, whole, tenths;

	/* Largest unit that is <= bytes. */
	while (u + 1 < N_UNITS && bytes >> (10 * (u + 1)) != 0) {
		u++;
		unit <<= 10;
	}
	whole = bytes / unit;
	if (bytes % unit == 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)whole,
			 unit_names[u]);
		return buf;
	}
	/* rem < unit <= 2^60, so rem * 10 cannot overflow. */
	tenths = ((bytes % unit) * 10 + unit / 2) / unit;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (whole == 1024 && u + 1 < N_UNITS) {
		/* 1023.96 KiB rounds to 1024.0 KiB: say 1.0 MiB instead. */
		whole = 1;
		u++;
	}
	snprintf(buf, len, "%llu.%llu %s", (unsigned long long)whole,
		 (unsigned long long)tenths, unit_names[u]);
	return buf;
}
