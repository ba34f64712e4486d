// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl top: rates from successive POOL_GET and PEER_GET dumps.  The
 * module's counters only grow (IDs are never reused), so a rate is the
 * difference over the time between the two dumps.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "json.h"
#include "table.h"
#include "toprate.h"

/* (@b - @a) / @secs, never negative. */
static double rate(uint64_t a, uint64_t b, double secs)
{
	return b > a ? (double)(b - a) / secs : 0;
}

static const struct ctl_pool *find_pool(const struct ctl_pool *v, size_t n,
					uint64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

void top_pool_rates(const struct ctl_pool *prev, size_t nprev,
		    const struct ctl_pool *cur, size_t ncur, double secs,
		    uint64_t page_size, struct top_pool_rate *out)
{
	static const struct ctl_pool zero;
	size_t i;

	for (i = 0; i < ncur; i++) {
		const struct ctl_pool *c = &cur[i];
		const struct ctl_pool *p = find_pool(prev, nprev, c->id);
		const double ps = (double)page_size;

		if (!p)
			p = &zero;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].id = c->id;
		snprintf(out[i].name, sizeof(out[i].name), "%s", c->name);
		out[i].faults = rate(p->counter[POOL_CTR_FAULTS],
				     c->counter[POOL_CTR_FAULTS], secs);
		out[i].in_local = ps * rate(p->counter[POOL_CTR_IN_LOCAL],
					    c->counter[POOL_CTR_IN_LOCAL], secs);
		out[i].in_remote = ps * rate(p->counter[POOL_CTR_IN_REMOTE],
					     c->counter[POOL_CTR_IN_REMOTE], secs);
		out[i].out_local = ps * rate(p->counter[POOL_CTR_OUT_LOCAL],
					     c->counter[POOL_CTR_OUT_LOCAL], secs);
		out[i].out_remote = ps * rate(p->counter[POOL_CTR_OUT_REMOTE],
					      c->counter[POOL_CTR_OUT_REMOTE],
					      secs);
	}
}

void top_peer_rates(const struct ctl_peer *prev, size_t nprev,
		    const struct ctl_peer *cur, size_t ncur, double secs,
		    struct top_peer_rate *out)
{
	static const struct ctl_peer zero;
	size_t i, j;

	for (i = 0; i < ncur; i++) {
		const struct ctl_peer *c = &cur[i], *p = &zero;

		for (j = 0; j < nprev; j++)
			if (prev[j].id == c->id)
				p = &prev[j];
		out[i].id = c->id;
		out[i].bytes_in = rate(p->bytes_in, c->bytes_in, secs);
		out[i].bytes_out = rate(p->bytes_out, c->bytes_out, secs);
		out[i].pages_in = rate(p->pages_in, c->pages_in, secs);
		out[i].pages_out = rate(p->pages_out, c->pages_out, secs);
	}
}

enum { TP_ID, TP_NAME, TP_FAULTS, TP_IN_L, TP_IN_R, TP_OUT_L, TP_OUT_R,
       NTPCOLS };

static const char *const tp_title[NTPCOLS] = {
	"ID", "POOL", "FAULTS/S", "IN LOCAL MB/S", "IN REMOTE MB/S",
	"OUT LOCAL MB/S", "OUT REMOTE MB/S",
};
static const bool tp_right[NTPCOLS] = {
	true, false, true, true, true, true, true,
};

#define MB 1e6

static void fill_top_pool(char *const *cell, size_t max, const void *items,
			  size_t i)
{
	const struct top_pool_rate *r = (const struct top_pool_rate *)items + i;

	snprintf(cell[TP_ID], max, "%" PRIu64, r->id);
	snprintf(cell[TP_NAME], max, "%s", r->name);
	snprintf(cell[TP_FAULTS], max, "%.0f", r->faults);
	snprintf(cell[TP_IN_L], max, "%.2f", r->in_local / MB);
	snprintf(cell[TP_IN_R], max, "%.2f", r->in_remote / MB);
	snprintf(cell[TP_OUT_L], max, "%.2f", r->out_local / MB);
	snprintf(cell[TP_OUT_R], max, "%.2f", r->out_remote / MB);
}

enum { TN_ID, TN_IN, TN_OUT, TN_PIN, TN_POUT, NTNCOLS };

static const char *const tn_title[NTNCOLS] = {
	"PEER", "IN MB/S", "OUT MB/S", "PAGES IN/S", "PAGES OUT/S",
};
static const bool tn_right[NTNCOLS] = { true, true, true, true, true };

static void fill_top_peer(char *const *cell, size_t max, const void *items,
			  size_t i)
{
	const struct top_peer_rate *r = (const struct top_peer_rate *)items + i;

	snprintf(cell[TN_ID], max, "%u", r->id);
	snprintf(cell[TN_IN], max, "%.2f", r->bytes_in / MB);
	snprintf(cell[TN_OUT], max, "%.2f", r->bytes_out / MB);
	snprintf(cell[TN_PIN], max, "%.0f", r->pages_in);
	snprintf(cell[TN_POUT], max, "%.0f", r->pages_out);
}

/* A rate for JSON: whole units, rounded. */
static uint64_t whole(double v)
{
	return v > 0 ? (uint64_t)llround(v) : 0;
}

static int top_json(FILE *out, unsigned int n, double secs,
		    const struct top_pool_rate *pools, size_t npools,
		    const struct top_peer_rate *peers, size_t npeers)
{
	struct json_writer w;
	size_t i;

	json_begin(&w, out);
	json_object_begin(&w);
	json_kv_u64(&w, "sample", n);
	json_kv_u64(&w, "interval_ms", whole(secs * 1000));
	json_key(&w, "pools");
	json_array_begin(&w);
	for (i = 0; i < npools; i++) {
		json_object_begin(&w);
		json_kv_u64(&w, "id", pools[i].id);
		json_kv_string(&w, "name", pools[i].name);
		json_kv_u64(&w, "faults_per_s", whole(pools[i].faults));
		json_kv_u64(&w, "in_local_bytes_per_s", whole(pools[i].in_local));
		json_kv_u64(&w, "in_remote_bytes_per_s", whole(pools[i].in_remote));
		json_kv_u64(&w, "out_local_bytes_per_s", whole(pools[i].out_local));
		json_kv_u64(&w, "out_remote_bytes_per_s",
			    whole(pools[i].out_remote));
		json_object_end(&w);
	}
	json_array_end(&w);
	json_key(&w, "peers");
	json_array_begin(&w);
	for (i = 0; i < npeers; i++) {
		json_object_begin(&w);
		json_kv_u64(&w, "id", peers[i].id);
		json_kv_u64(&w, "in_bytes_per_s", whole(peers[i].bytes_in));
		json_kv_u64(&w, "out_bytes_per_s", whole(peers[i].bytes_out));
		json_kv_u64(&w, "pages_in_per_s", whole(peers[i].pages_in));
		json_kv_u64(&w, "pages_out_per_s", whole(peers[i].pages_out));
		json_object_end(&w);
	}
	json_array_end(&w);
	json_object_end(&w);
	return json_end(&w);
}

int out_top(FILE *out, unsigned int n, double secs,
	    const struct top_pool_rate *pools, size_t npools,
	    const struct top_peer_rate *peers, size_t npeers, bool clear,
	    bool json)
{
	struct table pt = {
		.ncols = NTPCOLS, .shown = NTPCOLS, .title = tp_title,
		.right = tp_right, .cell_max = DMPOOL_POOL_NAME_MAX + 32,
		.fill = fill_top_pool, .items = pools,
	};
	struct table nt = {
		.ncols = NTNCOLS, .shown = NTNCOLS, .title = tn_title,
		.right = tn_right, .cell_max = 32,
		.fill = fill_top_peer, .items = peers,
	};

	if (json)
		return top_json(out, n, secs, pools, npools, peers, npeers);
	if (clear)
		fputs("\033[H\033[2J", out);
	fprintf(out, "dmpoolctl top: sample %u, over %.1f s\n\n", n, secs);
	if (!npools)
		fprintf(out, "no pools\n");
	else if (table_print(out, &pt, npools) < 0)
		return -1;
	fprintf(out, "\n");
	if (!npeers)
		fprintf(out, "no peers\n");
	else if (table_print(out, &nt, npeers) < 0)
		return -1;
	if (!clear)
		fprintf(out, "\n");
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
