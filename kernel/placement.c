// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool placement: where each page of a placed pool lives.
 *
 * A placed pool is cut into extents of 2^extent_shift bytes; the map gives
 * each extent R homes, distinct node IDs, the first of which serves reads
 * (R is 1 until replication exists, but the format already carries R so
 * that replicated and re-homed maps need no new uapi).  Choosing the map
 * is policy (dmpoolctl today, the daemon later): the kernel validates a
 * map it is given, keeps it immutable for the pool's life, and answers
 * "which node holds page P" on the data path with one shift and one load.
 *
 * A pool that is not placed (no map) lives wholly in this node's store.
 * The map records this node's ID as it was when the pool was installed;
 * the node's ID cannot change while placed pools exist (netlink refuses
 * NODE_SET), so the comparison stays right.
 */

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "dmpool.h"

/**
 * dmpool_map_create() - validate a placement map and make a copy of it
 * @size:        the pool's size in bytes, a multiple of PAGE_SIZE
 * @extent_size: bytes per extent
 * @replicas:    homes per extent
 * @entries:     @nr node IDs, extent by extent (see DMPOOL_A_POOL_MAP)
 * @nr:          number of entries
 * @self:        this node's ID, nonzero
 * @why:         out: on -EINVAL, a static text saying what is wrong
 *
 * Return: the map (free with dmpool_map_free()), or ERR_PTR(-EINVAL),
 * ERR_PTR(-EOPNOTSUPP) for more than one replica (replication does not
 * exist yet), ERR_PTR(-ENOMEM).
 */
struct dmpool_map *dmpool_map_create(u64 size, u64 extent_size, u32 replicas,
				     const u32 *entries, u32 nr, u32 self,
				     const char **why)
{
	struct dmpool_map *map;
	u64 nr_extents;
	u32 e, r, k;

	*why = NULL;
	if (!is_power_of_2(extent_size) ||
	    extent_size < DMPOOL_EXTENT_SIZE_MIN ||
	    extent_size > DMPOOL_EXTENT_SIZE_MAX) {
		*why = "extent size must be a power of two from 64 KiB to 1 GiB";
		return ERR_PTR(-EINVAL);
	}
	if (replicas < 1 || replicas > DMPOOL_REPLICAS_MAX) {
		*why = "replicas must be 1 to DMPOOL_REPLICAS_MAX";
		return ERR_PTR(-EINVAL);
	}
	if (replicas > 1) {
		*why = "replication is not implemented yet: replicas must be 1";
		return ERR_PTR(-EOPNOTSUPP);
	}
	nr_extents = div64_u64(size + extent_size - 1, extent_size);
	if (nr_extents * replicas > DMPOOL_MAP_ENTRIES_MAX) {
		*why = "too many extents: choose a larger extent size";
		return ERR_PTR(-EINVAL);
	}
	if (nr != nr_extents * replicas) {
		*why = "map length is not (pool size / extent size) x replicas";
		return ERR_PTR(-EINVAL);
	}

	for (e = 0; e < nr_extents; e++) {
		for (r = 0; r < replicas; r++) {
			u32 id = entries[e * replicas + r];

			if (id < 1 || id > DMPOOL_NODES_MAX) {
				*why = "map entry is not a node ID (1..DMPOOL_NODES_MAX)";
				return ERR_PTR(-EINVAL);
			}
			for (k = 0; k < r; k++) {
				if (entries[e * replicas + k] == id) {
					*why = "map names a node twice for one extent";
					return ERR_PTR(-EINVAL);
				}
			}
		}
	}

	map = kvmalloc(struct_size(map, homes, nr), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->extent_shift = ilog2(extent_size);
	map->replicas = replicas;
	map->nr_extents = nr_extents;
	map->self = self;
	memcpy(map->homes, entries, nr * sizeof(*entries));
	return map;
}

void dmpool_map_free(struct dmpool_map *map)
{
	kvfree(map);
}

/**
 * dmpool_map_nodes() - the set of nodes a map names
 * @map:   the map
 * @nodes: out: bitmap of DMPOOL_NODES_MAX + 1 bits, bit N for node N
 */
void dmpool_map_nodes(const struct dmpool_map *map, unsigned long *nodes)
{
	u32 i;

	bitmap_zero(nodes, DMPOOL_NODES_MAX + 1);
	for (i = 0; i < map->nr_extents * map->replicas; i++)
		__set_bit(map->homes[i], nodes);
}

/**
 * dmpool_map_local_bytes() - bytes of a pool whose first home is this node
 * @map:  the map, or NULL for a pool that is not placed
 * @size: the pool's size
 *
 * What this node's store must hold (and commits) for the pool.
 */
u64 dmpool_map_local_bytes(const struct dmpool_map *map, u64 size)
{
	u64 bytes = 0, start, len;
	u32 e;

	if (!map)
		return size;
	for (e = 0; e < map->nr_extents; e++) {
		if (!dmpool_map_extent_local(map, e))
			continue;
		start = (u64)e << map->extent_shift;
		len = min_t(u64, size - start, 1ULL << map->extent_shift);
		bytes += len;
	}
	return bytes;
}
