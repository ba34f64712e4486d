// SPDX-License-Identifier: GPL-2.0
/*
 * Placing a pool's extents on the cluster's nodes.
 *
 * Three steps, each a pure function of its inputs, so that two runs with
 * the same memory figures give the same map:
 *
 *  1. candidates: this node and the connected peers whose memory report
 *     is fresh (or those the user named), with their free exposed memory;
 *  2. counts: node i can take cap_i = floor(free_i / extent) extents; the
 *     N extents are shared in proportion to free memory by water-filling
 *     (a node whose share reaches its cap gets its cap and leaves the
 *     round, the rest is shared again among the others) and then largest
 *     remainder (ties to the lower node ID);
 *  3. order: smooth weighted round-robin over the counts (nginx's
 *     algorithm), so that consecutive extents land on different nodes
 *     whenever the counts allow it: equal counts give 1,2,3,1,2,3.
 *
 * The products N * free need more than 64 bits in the worst case, hence
 * unsigned __int128 (GCC and Clang on 64-bit targets).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "size.h"

typedef unsigned __int128 u128;

uint64_t place_extents(uint64_t size, uint64_t extent)
{
	return size / extent + (size % extent != 0);
}

bool place_extent_valid(uint64_t extent)
{
	return extent >= DMPOOL_EXTENT_SIZE_MIN &&
	       extent <= DMPOOL_EXTENT_SIZE_MAX && !(extent & (extent - 1));
}

uint64_t place_default_extent(uint64_t size)
{
	uint64_t e = PLACE_EXTENT_DEFAULT_MIN;

	while (e < DMPOOL_EXTENT_SIZE_MAX &&
	       place_extents(size, e) > DMPOOL_MAP_ENTRIES_MAX)
		e <<= 1;
	return e;
}

static int by_id(const void *a, const void *b)
{
	const struct place_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Why @m cannot take part, or NULL if it can. */
static const char *unfit(const struct ctl_mem *m, char *buf, size_t len)
{
	char st[32];

	if (m->self)
		return NULL;
	if (!m->has_state || m->state != DMPOOL_PEER_CONNECTED) {
		snprintf(buf, len, "it is %s, not connected",
			 m->has_state ? peer_state_str(m->state, st, sizeof(st)) :
			 "in an unknown state");
		return buf;
	}
	if (!m->has_age || m->age_ms > PLACE_MAX_AGE_MS) {
		if (m->has_age)
			snprintf(buf, len,
				 "its memory report is %u ms old (at most %d)",
				 m->age_ms, PLACE_MAX_AGE_MS);
		else
			snprintf(buf, len, "its memory report has no age");
		return buf;
	}
	return NULL;
}

static const struct ctl_mem *find_mem(const struct ctl_mem *mem, size_t n,
				      uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mem[i].node_id == id)
			return &mem[i];
	return NULL;
}

int place_candidates(const struct ctl_mem *mem, size_t nmem,
		     const uint32_t *only, size_t nonly,
		     struct place_node *out, size_t *nout,
		     char *why, size_t len)
{
	const struct ctl_mem *self = NULL;
	char reason[96];
	size_t i, n = 0;

	*nout = 0;
	for (i = 0; i < nmem; i++)
		if (mem[i].self)
			self = &mem[i];
	if (!self) {
		snprintf(why, len, "the module did not report this node's memory");
		return -1;
	}
	if (self->node_id == 0) {
		snprintf(why, len,
			 "this node has no node ID: run 'dmpoolctl node set ID ADDR' first");
		return -1;
	}

	if (nonly) {
		for (i = 0; i < nonly; i++) {
			const struct ctl_mem *m = find_mem(mem, nmem, only[i]);
			const char *bad;

			if (!m) {
				snprintf(why, len,
					 "node %u cannot take part: it is neither this node nor a peer that reported its memory",
					 only[i]);
				return -1;
			}
			bad = unfit(m, reason, sizeof(reason));
			if (bad) {
				snprintf(why, len, "node %u cannot take part: %s",
					 only[i], bad);
				return -1;
			}
			if (n == DMPOOL_NODES_MAX)
				break;
			out[n].id = m->node_id;
			out[n++].free = mem_free(m);
		}
	} else {
		for (i = 0; i < nmem && n < DMPOOL_NODES_MAX; i++) {
			if (mem[i].node_id == 0 ||
			    unfit(&mem[i], reason, sizeof(reason)))
				continue;
			/* A node reported twice counts once. */
			if (find_mem(mem, i, mem[i].node_id))
				continue;
			out[n].id = mem[i].node_id;
			out[n++].free = mem_free(&mem[i]);
		}
	}
	qsort(out, n, sizeof(*out), by_id);
	*nout = n;
	return 0;
}

/*
 * Step 2: @cnt[i] extents for node i, N in all; caps[] as described
 * above, sum(caps) >= N.
 */
static void share(uint64_t N, const struct place_node *nodes,
		  const uint64_t *cap, size_t n, uint64_t *cnt)
{
	bool active[DMPOOL_NODES_MAX];
	uint64_t rem[DMPOOL_NODES_MAX], remaining = N, left;
	bool fixed;
	size_t i;

	for (i = 0; i < n; i++) {
		cnt[i] = 0;
		active[i] = cap[i] > 0;
	}
	do {
		u128 w = 0;

		fixed = false;
		for (i = 0; i < n; i++)
			if (active[i])
				w += nodes[i].free;
		if (!w || !remaining)
			return;
		/* Water-filling: a node whose share reaches its cap is full. */
		for (i = 0; i < n; i++) {
			if (!active[i])
				continue;
			if ((u128)remaining * nodes[i].free >= (u128)cap[i] * w) {
				cnt[i] = cap[i];
				remaining -= cap[i];
				active[i] = false;
				fixed = true;
			}
		}
		if (fixed)
			continue;
		left = remaining;
		for (i = 0; i < n; i++) {
			u128 q;

			if (!active[i])
				continue;
			q = (u128)remaining * nodes[i].free;
			cnt[i] = (uint64_t)(q / w);
			rem[i] = (uint64_t)(q % w);
			left -= cnt[i];
		}
		/* Largest remainder; ties to the lower ID (nodes are sorted). */
		while (left--) {
			size_t best = n;

			for (i = 0; i < n; i++)
				if (active[i] && cnt[i] < cap[i] &&
				    (best == n || rem[i] > rem[best]))
					best = i;
			if (best == n)
				return;		/* cannot happen: caps >= N */
			cnt[best]++;
			active[best] = false;	/* one extra each at most */
		}
	} while (fixed);
}

/* Step 3: smooth weighted round-robin over the counts. */
static void interleave(uint64_t N, const struct place_node *nodes,
		       const uint64_t *cnt, size_t n, uint32_t *map)
{
	int64_t cur[DMPOOL_NODES_MAX] = { 0 };
	uint64_t e;
	size_t i;

	for (e = 0; e < N; e++) {
		size_t best = n;

		for (i = 0; i < n; i++) {
			if (!cnt[i])
				continue;
			cur[i] += (int64_t)cnt[i];
			if (best == n || cur[i] > cur[best])
				best = i;
		}
		cur[best] -= (int64_t)N;
		map[e] = nodes[best].id;
	}
}

enum place_result place_pool(uint64_t size, uint64_t extent,
			     const struct place_node *in, size_t n,
			     uint32_t *map, uint32_t *count)
{
	struct place_node nodes[DMPOOL_NODES_MAX];
	uint64_t cap[DMPOOL_NODES_MAX], cnt[DMPOOL_NODES_MAX], N, total = 0;
	size_t i, j;

	if (!size || !place_extent_valid(extent) || !n ||
	    n > DMPOOL_NODES_MAX)
		return PLACE_INVALID;
	N = place_extents(size, extent);
	if (N > DMPOOL_MAP_ENTRIES_MAX)
		return PLACE_TOO_MANY;

	memcpy(nodes, in, n * sizeof(*in));
	qsort(nodes, n, sizeof(*nodes), by_id);
	for (i = 0; i < n; i++) {
		if (!nodes[i].id || (i && nodes[i].id == nodes[i - 1].id))
			return PLACE_INVALID;
		cap[i] = nodes[i].free / extent;
		total += cap[i] < N ? cap[i] : N;
	}
	if (total < N)
		return PLACE_NOSPACE;

	share(N, nodes, cap, n, cnt);
	interleave(N, nodes, cnt, n, map);
	if (count) {
		/* Back in the caller's order. */
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				if (in[i].id == nodes[j].id)
					count[i] = (uint32_t)cnt[j];
	}
	return PLACE_OK;
}

const char *place_nospace_msg(const char *name, uint64_t size,
			      uint64_t extent, const struct place_node *nodes,
			      size_t n, char *buf, size_t len)
{
	char a[SIZE_FMT_MAX], b[SIZE_FMT_MAX], c[SIZE_FMT_MAX];
	uint64_t total = 0;
	size_t i, used;
	int w;

	for (i = 0; i < n; i++)
		total += nodes[i].free / extent * extent;
	w = snprintf(buf, len,
		     "cannot place pool '%s' of %s: the cluster has %s free in %s extents (",
		     name, size_format(size, a, sizeof(a)),
		     size_format(total, b, sizeof(b)),
		     size_format(extent, c, sizeof(c)));
	used = w < 0 ? 0 : (size_t)w;
	for (i = 0; i < n && used < len; i++) {
		w = snprintf(buf + used, len - used, "%snode %u: %s",
			     i ? ", " : "", nodes[i].id,
			     size_format(nodes[i].free / extent * extent, a,
					 sizeof(a)));
		used += w < 0 ? 0 : (size_t)w;
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s", n ? ")" : "no nodes)");
	return buf;
}

uint64_t place_share(uint64_t size, uint64_t extent, const uint32_t *map,
		     size_t n, uint32_t id)
{
	uint64_t rounded = (size + 4095) / 4096 * 4096, bytes = 0;
	size_t e;

	for (e = 0; e < n; e++) {
		uint64_t start = (uint64_t)e * extent;

		if (map[e] != id || start >= rounded)
			continue;
		bytes += rounded - start < extent ? rounded - start : extent;
	}
	return bytes;
}
