// SPDX-License-Identifier: GPL-2.0
/*
 * Map lists: the --map of `pool install` and the output of `pool export`,
 * and the --nodes of `pool create --cluster`.
 *
 * Parsing is strict and bounded: every number is checked digit by digit
 * for overflow, a count can never make the list longer than the caller's
 * array, and every refusal names the item that caused it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/dmpool.h>

#include "maplist.h"

/*
 * Read decimal digits at *@p into *@v (at most @limit); advance *@p.
 * Returns 0, -1 for no digits, -2 for a value above @limit.
 */
static int number(const char **p, uint64_t limit, uint64_t *v)
{
	const char *s = *p;
	bool big = false;

	*v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (!big && *v > (limit - (uint64_t)(*s - '0')) / 10)
			big = true;
		if (!big)
			*v = *v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	return big ? -2 : 0;
}

/* The item of @s that starts at @p, for messages ("3*x" of "1,3*x,2"). */
static const char *item(const char *p, char *buf, size_t len)
{
	size_t n = strcspn(p, ",");

	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static int parse(const char *s, bool counts, uint32_t *out, size_t max,
		 size_t *n, char *why, size_t len)
{
	const char *p = s;
	char it[32];
	size_t used = 0;

	*n = 0;
	if (!*s) {
		snprintf(why, len, "empty list");
		return -1;
	}
	for (;;) {
		const char *start = p;
		uint64_t id, count = 1;
		int r;

		r = number(&p, UINT32_MAX, &id);
		if (r == -1) {
			snprintf(why, len, "'%s' is not a node ID",
				 item(start, it, sizeof(it)));
			return -1;
		}
		if (r == -2 || id == 0 || id > DMPOOL_NODES_MAX) {
			snprintf(why, len, "node ID '%s' out of range: use 1-%d",
				 item(start, it, sizeof(it)), DMPOOL_NODES_MAX);
			return -1;
		}
		if (counts && *p == '*') {
			p++;
			r = number(&p, UINT32_MAX, &count);
			if (r == -1) {
				snprintf(why, len, "'%s': a count must follow '*'",
					 item(start, it, sizeof(it)));
				return -1;
			}
			if (count == 0) {
				snprintf(why, len, "'%s': the count must be at least 1",
					 item(start, it, sizeof(it)));
				return -1;
			}
			if (r == -2)
				count = UINT64_MAX;	/* too many, below */
		}
		if (*p && *p != ',') {
			snprintf(why, len, "'%s' is not %s",
				 item(start, it, sizeof(it)),
				 counts ? "ID or ID*COUNT" : "a node ID");
			return -1;
		}
		if (count > max - used) {
			snprintf(why, len, "more than %zu entries", max);
			return -1;
		}
		while (count--)
			out[used++] = (uint32_t)id;
		if (!*p)
			break;
		p++;		/* the comma */
		if (!*p || *p == ',') {
			snprintf(why, len, "empty item in '%s'", s);
			return -1;
		}
	}
	*n = used;
	return 0;
}

int maplist_parse(const char *s, uint32_t *out, size_t max, size_t *n,
		  char *why, size_t len)
{
	return parse(s, true, out, max, n, why, len);
}

int nodelist_parse(const char *s, uint32_t *out, size_t max, size_t *n,
		   char *why, size_t len)
{
	size_t i, j;

	if (parse(s, false, out, max, n, why, len) < 0)
		return -1;
	for (i = 0; i < *n; i++)
		for (j = 0; j < i; j++)
			if (out[i] == out[j]) {
				snprintf(why, len, "node %u is listed twice",
					 out[i]);
				*n = 0;
				return -1;
			}
	return 0;
}

int maplist_format(const uint32_t *map, size_t n, char *buf, size_t len)
{
	size_t used = 0, i = 0;

	if (!len)
		return -1;
	buf[0] = '\0';
	while (i < n) {
		size_t run = 1;
		int w;

		while (i + run < n && map[i + run] == map[i])
			run++;
		if (run > 1)
			w = snprintf(buf + used, len - used, "%s%u*%zu",
				     used ? "," : "", map[i], run);
		else
			w = snprintf(buf + used, len - used, "%s%u",
				     used ? "," : "", map[i]);
		if (w < 0 || (size_t)w >= len - used) {
			buf[0] = '\0';
			return -1;
		}
		used += (size_t)w;
		i += run;
	}
	return (int)used;
}
