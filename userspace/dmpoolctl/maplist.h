/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A placed pool's map as people type and read it: "1,2,3,1*4".
 */
#ifndef DMPOOLCTL_MAPLIST_H
#define DMPOOLCTL_MAPLIST_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse @s: comma-separated items, each a node ID (1..DMPOOL_NODES_MAX)
 * or ID*COUNT (COUNT >= 1 copies of ID); decimal digits only, no spaces,
 * no empty items.  Writes at most @max entries to @out and sets *@n.
 * Returns 0, or -1 with a reason in @why (bad syntax, a zero or too large
 * ID, a zero count, more than @max entries).
 */
int maplist_parse(const char *s, uint32_t *out, size_t max, size_t *n,
		  char *why, size_t len);

/*
 * Format @n entries of @map, runs of two or more compressed as ID*COUNT.
 * Returns the length written, or -1 if @len is too small (then @buf holds
 * an empty string).  MAPLIST_FMT_MAX is enough for any map.
 */
int maplist_format(const uint32_t *map, size_t n, char *buf, size_t len);

/* 8192 entries of "64," with no runs, and the NUL. */
#define MAPLIST_FMT_MAX (8192 * 3 + 1)

/*
 * Parse a list of distinct node IDs, "1,3" (no COUNT).  Returns 0, or -1
 * with a reason in @why.
 */
int nodelist_parse(const char *s, uint32_t *out, size_t max, size_t *n,
		   char *why, size_t len);

#endif /* DMPOOLCTL_MAPLIST_H */
