// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl output for remote memory: the cluster's memory (mem show),
 * a pool's counters and latency (pool stats), one peer (peer show), a
 * placed pool's install arguments (pool export) and what pool create
 * --cluster and pool install made.  Same rules as output.c: aligned text
 * for people, exact numbers in JSON, absent attributes left out.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "json.h"
#include "maplist.h"
#include "output.h"
#include "size.h"
#include "table.h"

static int finish(FILE *out)
{
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---------------------------------------------------------------- mem show */

enum { MC_NODE, MC_STATE, MC_EXPOSED, MC_COMMITTED, MC_FREE, MC_ALLOC,
       MC_AGE, NMCOLS };

static const char *const mcol_title[NMCOLS] = {
	"NODE", "STATE", "EXPOSED", "COMMITTED", "FREE", "ALLOCATED", "AGE",
};

/* Numbers right-aligned; the state and the age (last) left-aligned. */
static const bool mcol_right[NMCOLS] = {
	[MC_NODE] = true, [MC_EXPOSED] = true, [MC_COMMITTED] = true,
	[MC_FREE] = true, [MC_ALLOC] = true,
};

/* "850 ms", "2.1 s" */
static void age_format(uint32_t ms, char *buf, size_t len)
{
	if (ms < 1000)
		snprintf(buf, len, "%u ms", ms);
	else
		snprintf(buf, len, "%.1f s", ms / 1000.0);
}

static void fill_mem_row(char *const *cell, size_t max, const void *items,
			 size_t i)
{
	const struct ctl_mem *m = (const struct ctl_mem *)items + i;

	if (m->node_id)
		snprintf(cell[MC_NODE], max, "%u", m->node_id);
	else
		snprintf(cell[MC_NODE], max, "-");
	if (m->self)
		snprintf(cell[MC_STATE], max, "self");
	else if (m->has_state)
		peer_state_str(m->state, cell[MC_STATE], max);
	else
		snprintf(cell[MC_STATE], max, "-");
	size_format(m->capacity, cell[MC_EXPOSED], max);
	size_format(m->committed, cell[MC_COMMITTED], max);
	size_format(mem_free(m), cell[MC_FREE], max);
	if (m->has_used)
		size_format(m->used, cell[MC_ALLOC], max);
	else
		snprintf(cell[MC_ALLOC], max, "-");
	if (!m->self && m->has_age)
		age_format(m->age_ms, cell[MC_AGE], max);
	else
		snprintf(cell[MC_AGE], max, "-");
}

static int mem_table(FILE *out, const struct ctl_mem *mem, size_t n)
{
	struct table t = {
		.ncols = NMCOLS, .shown = NMCOLS, .title = mcol_title,
		.right = mcol_right, .cell_max = SIZE_FMT_MAX,
		.fill = fill_mem_row, .items = mem,
	};

	return table_print(out, &t, n);
}

int out_mem_show(FILE *out, const struct ctl_mem *mem, size_t n, bool json)
{
	struct json_writer w;
	char st[32];
	size_t i;

	if (!json)
		return mem_table(out, mem, n);
	json_begin(&w, out);
	json_object_begin(&w);
	json_key(&w, "nodes");
	json_array_begin(&w);
	for (i = 0; i < n; i++) {
		const struct ctl_mem *m = &mem[i];

		json_object_begin(&w);
		json_kv_u64(&w, "id", m->node_id);
		json_kv_bool(&w, "self", m->self);
		if (m->has_state && !m->self)
			json_kv_string(&w, "state",
				       peer_state_str(m->state, st, sizeof(st)));
		json_kv_u64(&w, "exposed", m->capacity);
		json_kv_u64(&w, "committed", m->committed);
		json_kv_u64(&w, "free", mem_free(m));
		if (m->has_used)
			json_kv_u64(&w, "allocated", m->used);
		if (m->has_age && !m->self)
			json_kv_u64(&w, "age_ms", m->age_ms);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_object_end(&w);
	return json_end(&w);
}

int out_mem_exposed(FILE *out, uint64_t capacity, bool json)
{
	char s[SIZE_FMT_MAX];
	struct json_writer w;

	if (!json) {
		fprintf(out, "exposing %s of this node's memory to pools\n",
			size_format(capacity, s, sizeof(s)));
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_kv_u64(&w, "exposed", capacity);
	json_object_end(&w);
	return json_end(&w);
}

/* -------------------------------------------------------------- histograms */

/* "1234 requests, p50 ~ 120 us, p99 ~ 1.9 ms", or "none". */
static void hist_summary(FILE *out, const char *key, const struct ctl_hist *h)
{
	char a[16], b[16];
	uint64_t p50, p99;

	if (hist_percentile(h, 500, &p50) < 0 ||
	    hist_percentile(h, 990, &p99) < 0) {
		fprintf(out, "%-17s none\n", key);
		return;
	}
	fprintf(out, "%-17s %" PRIu64 ", p50 ~ %s, p99 ~ %s\n", key,
		hist_total(h), us_format(p50, a, sizeof(a)),
		us_format(p99, b, sizeof(b)));
}

/* The buckets from the first to the last nonempty one. */
static void hist_lines(FILE *out, const struct ctl_hist *h)
{
	uint64_t total = hist_total(h);
	char label[HIST_LABEL_MAX];
	int i, first = -1, last = -1;

	for (i = 0; i < DMPOOL_LAT_BUCKETS; i++) {
		if (!h->bucket[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
	}
	for (i = first; first >= 0 && i <= last; i++)
		fprintf(out, "  %-17s %12" PRIu64 "  %5.1f%%\n",
			hist_label(i, label, sizeof(label)), h->bucket[i],
			100.0 * (double)h->bucket[i] / (double)total);
}

static void json_hist(struct json_writer *w, const char *key,
		      const struct ctl_hist *h)
{
	uint64_t p;
	int i;

	json_key(w, key);
	json_object_begin(w);
	json_kv_u64(w, "count", hist_total(h));
	if (hist_percentile(h, 500, &p) == 0)
		json_kv_u64(w, "p50_us", p);
	if (hist_percentile(h, 990, &p) == 0)
		json_kv_u64(w, "p99_us", p);
	json_key(w, "buckets");
	json_array_begin(w);
	for (i = 0; i < DMPOOL_LAT_BUCKETS; i++)
		json_u64(w, h->bucket[i]);
	json_array_end(w);
	json_object_end(w);
}

/* -------------------------------------------------------------- pool stats */

static const char *const counter_key[POOL_NCOUNTERS] = {
	[POOL_CTR_FAULTS]	= "faults",
	[POOL_CTR_IN_LOCAL]	= "pages_in_local",
	[POOL_CTR_IN_REMOTE]	= "pages_in_remote",
	[POOL_CTR_OUT_LOCAL]	= "pages_out_local",
	[POOL_CTR_OUT_REMOTE]	= "pages_out_remote",
	[POOL_CTR_IO_ERRORS]	= "io_errors",
	[POOL_CTR_STALE_REFUSED] = "stale_refused",
	[POOL_CTR_STALE_WRITES]	= "stale_writes",
};

static const char *const counter_label[POOL_NCOUNTERS] = {
	[POOL_CTR_FAULTS]	= "faults:",
	[POOL_CTR_IN_LOCAL]	= "pages in local:",
	[POOL_CTR_IN_REMOTE]	= "pages in remote:",
	[POOL_CTR_OUT_LOCAL]	= "pages out local:",
	[POOL_CTR_OUT_REMOTE]	= "pages out remote:",
	[POOL_CTR_IO_ERRORS]	= "io errors:",
	[POOL_CTR_STALE_REFUSED] = "stale refused:",
	[POOL_CTR_STALE_WRITES]	= "stale writes:",
};

int out_pool_stats(FILE *out, const struct ctl_pool *p, bool json)
{
	struct json_writer w;
	int i;

	if (!json) {
		fprintf(out, "%-17s %s (ID %" PRIu64 ")\n", "pool:", p->name,
			p->id);
		for (i = 0; i < POOL_NCOUNTERS; i++)
			if (p->has_counter[i])
				fprintf(out, "%-17s %" PRIu64 "\n",
					counter_label[i], p->counter[i]);
		if (p->lat.has) {
			hist_summary(out, "remote reads:", &p->lat);
			hist_lines(out, &p->lat);
		}
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_kv_u64(&w, "id", p->id);
	json_kv_string(&w, "name", p->name);
	for (i = 0; i < POOL_NCOUNTERS; i++)
		if (p->has_counter[i])
			json_kv_u64(&w, counter_key[i], p->counter[i]);
	if (p->lat.has)
		json_hist(&w, "latency", &p->lat);
	json_object_end(&w);
	return json_end(&w);
}

/* --------------------------------------------------------------- peer show */

int out_peer_show(FILE *out, const struct ctl_peer *p, bool json)
{
	char a[ADDR_FMT_MAX], s[SIZE_FMT_MAX], st[32];
	struct json_writer w;

	if (!json) {
		fprintf(out, "%-17s %u\n", "peer:", p->id);
		fprintf(out, "%-17s %s\n", "address:",
			addr_format(&p->addr, true, a, sizeof(a)));
		fprintf(out, "%-17s %s\n", "state:",
			peer_state_str(p->state, st, sizeof(st)));
		fprintf(out, "%-17s %s\n", "rtt:", rtt_format(p->rtt_ns, s, sizeof(s)));
		fprintf(out, "%-17s %s\n", "bytes in:",
			size_format(p->bytes_in, s, sizeof(s)));
		fprintf(out, "%-17s %s\n", "bytes out:",
			size_format(p->bytes_out, s, sizeof(s)));
		fprintf(out, "%-17s %" PRIu64 "\n", "frames in:", p->frames_in);
		fprintf(out, "%-17s %" PRIu64 "\n", "frames out:", p->frames_out);
		fprintf(out, "%-17s %" PRIu64 "\n", "reconnects:", p->reconnects);
		fprintf(out, "%-17s %" PRIu64 "\n", "auth failures:",
			p->auth_failures);
		fprintf(out, "%-17s %" PRIu64 "\n", "malformed:", p->malformed);
		if (p->has_pages_in)
			fprintf(out, "%-17s %" PRIu64 "\n", "pages in:",
				p->pages_in);
		if (p->has_pages_out)
			fprintf(out, "%-17s %" PRIu64 "\n", "pages out:",
				p->pages_out);
		if (p->has_io_errors)
			fprintf(out, "%-17s %" PRIu64 "\n", "io errors:",
				p->io_errors);
		if (p->lat.has) {
			hist_summary(out, "page requests:", &p->lat);
			hist_lines(out, &p->lat);
		}
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_peer_fields(&w, p);
	if (p->lat.has)
		json_hist(&w, "latency", &p->lat);
	json_object_end(&w);
	return json_end(&w);
}

/* ---------------------------------------------------- export, create, install */

int out_pool_export(FILE *out, const struct ctl_pool *p,
		    const struct ctl_map *map, bool json)
{
	struct json_writer w;
	char *list;
	size_t i;

	if (!json) {
		list = malloc(MAPLIST_FMT_MAX);
		if (!list || maplist_format(map->node, map->n, list,
					    MAPLIST_FMT_MAX) < 0) {
			free(list);
			return -1;
		}
		fprintf(out, "%s %" PRIu64 " --id %" PRIu64
			" --extent-size %" PRIu64 " --map %s\n", p->name,
			p->size, p->id, p->extent_size, list);
		free(list);
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "name", p->name);
	json_kv_u64(&w, "size", p->size);
	json_kv_u64(&w, "id", p->id);
	json_kv_u64(&w, "extent_size", p->extent_size);
	json_key(&w, "map");
	json_array_begin(&w);
	for (i = 0; i < map->n; i++)
		json_u64(&w, map->node[i]);
	json_array_end(&w);
	json_object_end(&w);
	return json_end(&w);
}

int out_pool_placed(FILE *out, const struct ctl_pool *p,
		    const uint32_t *nodes, const uint32_t *count, size_t n,
		    uint32_t self, bool json)
{
	char s[SIZE_FMT_MAX], e[SIZE_FMT_MAX];
	uint64_t extents = 0;
	struct json_writer w;
	bool others = false;
	size_t i;

	for (i = 0; i < n; i++)
		extents += count[i];
	if (json) {
		json_begin(&w, out);
		json_object_begin(&w);
		json_kv_u64(&w, "id", p->id);
		json_kv_string(&w, "name", p->name);
		json_kv_u64(&w, "size", p->size);
		json_kv_u64(&w, "extent_size", p->extent_size);
		json_key(&w, "extents");
		json_array_begin(&w);
		for (i = 0; i < n; i++) {
			json_object_begin(&w);
			json_kv_u64(&w, "node", nodes[i]);
			json_kv_u64(&w, "extents", count[i]);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		return json_end(&w);
	}
	fprintf(out, "created pool %s: ID %" PRIu64 ", %s in %" PRIu64
		" extents of %s:", p->name, p->id,
		size_format(p->size, s, sizeof(s)), extents,
		size_format(p->extent_size, e, sizeof(e)));
	for (i = 0; i < n; i++)
		if (count[i])
			fprintf(out, "%s node %u: %u", i ? "," : "", nodes[i],
				count[i]);
	fprintf(out, "\n");
	for (i = 0; i < n; i++)
		if (count[i] && nodes[i] != self)
			others = true;
	if (others) {
		fprintf(out, "install it on nodes");
		for (i = 0; i < n; i++)
			if (count[i] && nodes[i] != self)
				fprintf(out, " %u", nodes[i]);
		fprintf(out, " and on every node that maps it, with the arguments that\n"
			"'dmpoolctl pool export %s' prints on node %u:\n"
			"  dmpoolctl pool install $(dmpoolctl pool export %s)\n",
			p->name, self, p->name);
	}
	return finish(out);
}

int out_pool_installed(FILE *out, const struct ctl_pool *p, bool json)
{
	char s[SIZE_FMT_MAX], l[SIZE_FMT_MAX];

	if (json)
		return out_pool_show(out, p, true);
	fprintf(out, "installed pool %s: ID %" PRIu64 ", %s", p->name, p->id,
		size_format(p->size, s, sizeof(s)));
	if (p->has_local_bytes)
		fprintf(out, ", %s homed on this node",
			size_format(p->local_bytes, l, sizeof(l)));
	fprintf(out, "\n");
	return finish(out);
}
