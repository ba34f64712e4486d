/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What dmpoolctl prints on success: aligned text for people, JSON (-j)
 * for programs.
 */
#ifndef DMPOOLCTL_OUTPUT_H
#define DMPOOLCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "json.h"
#include "reply.h"

/*
 * Each returns 0, or -1 if writing failed (or, for JSON, the document
 * would not be valid).
 */
int out_pool_list(FILE *out, const struct ctl_pool *pools, size_t n, bool json);
int out_pool_show(FILE *out, const struct ctl_pool *pool, bool json);
int out_pool_created(FILE *out, const struct ctl_pool *pool, bool json);
int out_pool_destroyed(FILE *out, const struct pool_sel *sel, bool json);
int out_version(FILE *out, const char *tool_version, uint32_t tool_abi,
		const struct ctl_version *mod, bool json);

int out_node_show(FILE *out, const struct ctl_node *node, bool json);
int out_peer_list(FILE *out, const struct ctl_peer *peers, size_t n,
		  bool json);
/* The confirmation of node set, key set, peer add and peer del. */
int out_done(FILE *out, const struct cli *cli, bool json);

/* A peer's fields in JSON, as in peer list (shared with peer show). */
void json_peer_fields(struct json_writer *w, const struct ctl_peer *p);

/* Remote memory and placed pools (outremote.c). */
int out_mem_show(FILE *out, const struct ctl_mem *mem, size_t n, bool json);
int out_mem_exposed(FILE *out, uint64_t capacity, bool json);
int out_pool_stats(FILE *out, const struct ctl_pool *pool, bool json);
int out_peer_show(FILE *out, const struct ctl_peer *peer, bool json);
/* pool export: "NAME SIZE --id ID --extent-size BYTES --map LIST". */
int out_pool_export(FILE *out, const struct ctl_pool *pool,
		    const struct ctl_map *map, bool json);
/*
 * pool create --cluster: the pool, its extents per node (@nodes, @count,
 * @n), and how to install it on the other nodes (this one is @self).
 */
int out_pool_placed(FILE *out, const struct ctl_pool *pool,
		    const uint32_t *nodes, const uint32_t *count, size_t n,
		    uint32_t self, bool json);
int out_pool_installed(FILE *out, const struct ctl_pool *pool, bool json);

/* "1.5 ms", "830 us", "-" for 0 (not measured). */
const char *rtt_format(uint64_t ns, char *buf, size_t len);

/* "local_pools, bit 5" for a DMPOOL_FEAT_* mask; "none" for 0. */
const char *feature_list(uint64_t features, char *buf, size_t len);

#endif /* DMPOOLCTL_OUTPUT_H */
