/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Placement of a pool's extents on the nodes of the cluster: which nodes
 * may take part, how many extents each one homes, in which order.
 * Policy, kept in userspace (dmpoolctl today, the daemon later).
 */
#ifndef DMPOOLCTL_PLACE_H
#define DMPOOLCTL_PLACE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/dmpool.h>

#include "reply.h"

/* A peer's memory report older than this does not count. */
#define PLACE_MAX_AGE_MS	5000
/* The smallest extent size chosen by default. */
#define PLACE_EXTENT_DEFAULT_MIN (4ULL << 20)

/* A node that may home extents, and the bytes its store has free. */
struct place_node {
	uint32_t id;
	uint64_t free;
};

/*
 * The default extent size for a pool of @size bytes: the smallest power
 * of two >= PLACE_EXTENT_DEFAULT_MIN such that the pool has at most
 * DMPOOL_MAP_ENTRIES_MAX extents, capped at DMPOOL_EXTENT_SIZE_MAX.
 */
uint64_t place_default_extent(uint64_t size);

/* ceil(@size / @extent); @extent nonzero. */
uint64_t place_extents(uint64_t size, uint64_t extent);

/* A power of two within DMPOOL_EXTENT_SIZE_MIN..DMPOOL_EXTENT_SIZE_MAX. */
bool place_extent_valid(uint64_t extent);

/*
 * The nodes that may take part, from a MEM_GET dump: this node (it needs
 * a node ID) and every peer that is connected and reported within
 * PLACE_MAX_AGE_MS; free = capacity - committed.  With @only (@nonly > 0),
 * just those nodes, each of which must be a candidate.  Writes at most
 * DMPOOL_NODES_MAX nodes to @out sorted by ID, sets *@nout and returns 0;
 * or returns -1 with a reason in @why.
 */
int place_candidates(const struct ctl_mem *mem, size_t nmem,
		     const uint32_t *only, size_t nonly,
		     struct place_node *out, size_t *nout,
		     char *why, size_t len);

/* Why place_pool() failed. */
enum place_result {
	PLACE_OK,
	PLACE_NOSPACE,		/* fewer free extents than the pool needs */
	PLACE_TOO_MANY,		/* more than DMPOOL_MAP_ENTRIES_MAX extents */
	PLACE_INVALID,		/* zero size, bad extent size, no nodes */
};

/*
 * Place a pool of @size bytes in extents of @extent bytes on @nodes
 * (@n of them, any order, distinct IDs).  Node i can take
 * floor(free_i / extent) extents.  Counts are in proportion to free
 * memory (largest remainder, ties to the lower ID, never above a node's
 * cap); the order interleaves the nodes by smooth weighted round-robin,
 * so equal nodes alternate 1,2,3,1,2,3.  On PLACE_OK, @map (room for
 * DMPOOL_MAP_ENTRIES_MAX) holds place_extents(size, extent) node IDs and
 * @count[i] the extents of @nodes[i] (@count may be NULL).
 * Pure and deterministic.
 */
enum place_result place_pool(uint64_t size, uint64_t extent,
			     const struct place_node *nodes, size_t n,
			     uint32_t *map, uint32_t *count);

/*
 * The "does not fit" message: "cannot place pool 'big' of 3 GiB: the
 * cluster has 1.2 GiB free in 4 MiB extents (node 1: 400 MiB, ...)".
 * Returns @buf.
 */
const char *place_nospace_msg(const char *name, uint64_t size,
			      uint64_t extent, const struct place_node *nodes,
			      size_t n, char *buf, size_t len);

/*
 * Bytes of a pool of @size bytes (rounded up to the page size) homed on
 * node @id by @map: whole extents, the last one cut at the pool's end.
 */
uint64_t place_share(uint64_t size, uint64_t extent, const uint32_t *map,
		     size_t n, uint32_t id);

#endif /* DMPOOLCTL_PLACE_H */
