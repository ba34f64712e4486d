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

/* Writes the JSON fields of one item (a pool, a peer, a file). */
typedef void json_fields_fn(struct json_writer *w, const void *item);

/* One item as a JSON document: {fields}. */
int json_one(FILE *out, const void *item, json_fields_fn *fields);
/* @n items of @size bytes each: {"@key":[{fields},...]}. */
int json_list(FILE *out, const char *key, const void *items, size_t n,
	      size_t size, json_fields_fn *fields);

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

/* The file commands (outfile.c).  file create prints as file show. */
int out_file_list(FILE *out, const struct ctl_file *files, size_t n,
		  bool json);
int out_file_show(FILE *out, const struct ctl_file *file, bool json);
int out_file_deleted(FILE *out, const struct pool_sel *sel, const char *name,
		     bool json);

/* Enough for any name_escape() of a file name. */
#define NAME_ESC_MAX (4 * DMPOOL_FILE_NAME_MAX + 1)

/*
 * @name for a terminal: control characters as C escapes ("\n", "\x1b"),
 * everything else as is.  Returns @buf.
 */
const char *name_escape(const char *name, char *buf, size_t len);

/* A "key: value" line of a size: "size:     64 MiB (67108864 bytes)". */
void show_bytes(FILE *out, const char *key, uint64_t v);

/* "1.5 ms", "830 us", "-" for 0 (not measured). */
const char *rtt_format(uint64_t ns, char *buf, size_t len);

/* "local_pools, bit 5" for a DMPOOL_FEAT_* mask; "none" for 0. */
const char *feature_list(uint64_t features, char *buf, size_t len);

#endif /* DMPOOLCTL_OUTPUT_H */
