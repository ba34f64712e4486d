/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes as people type and read them: "64M" in, "64 MiB" out.
 */
#ifndef DMPOOLCTL_SIZE_H
#define DMPOOLCTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Why size_parse() refused its input. */
enum size_error {
	SIZE_OK = 0,
	SIZE_EMPTY,		/* "" */
	SIZE_NEGATIVE,		/* "-1" */
	SIZE_GARBAGE,		/* not digits + optional unit */
	SIZE_BAD_UNIT,		/* "12Q" */
	SIZE_OVERFLOW,		/* does not fit in 64 bits */
	SIZE_ZERO,		/* "0", "0K" */
};

/*
 * Parse @s as a byte count: decimal digits, optionally followed by a
 * binary unit K, M, G, T, P or E (any case, optionally followed by "iB" or
 * "B"), or by "B" alone.  No sign, spaces, fractions or hex.
 * Returns SIZE_OK and sets *@out, or an enum size_error.
 */
enum size_error size_parse(const char *s, uint64_t *out);

/* A short English reason for @err ("unknown unit", ...). */
const char *size_error_str(enum size_error err);

/*
 * Format @bytes for people: "0 B", "4 KiB", "1.5 GiB".  Exact multiples of
 * a unit print without decimals, others with one, rounded to nearest.
 * Writes at most @len bytes including the NUL; returns @buf.
 */
char *size_format(uint64_t bytes, char *buf, size_t len);

/* Enough for any size_format() result. */
#define SIZE_FMT_MAX 32

#endif /* DMPOOLCTL_SIZE_H */
