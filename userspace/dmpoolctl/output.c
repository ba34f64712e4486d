// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl output, human and JSON.
 *
 * Human output is for reading: `pool list` is a table whose columns are
 * as wide as their widest cell, sizes in binary units ("64 MiB");
 * `pool show` is one "key: value" line per attribute, sizes also in bytes.
 * JSON output is for programs: exact byte counts, stable key names, one
 * document per invocation on one line, absent attributes left out rather
 * than invented.  Both go through here so the two never disagree about
 * which attributes exist.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "output.h"
#include "size.h"
#include "table.h"

/* DMPOOL_FEAT_* bit -> name, as in the uapi. */
static const char *const feature_names[64] = {
	[0] = "local_pools",
	[1] = "transport",
	[2] = "remote",
	[3] = "files",
	[4] = "cluster",
	[5] = "policy",
};

const char *feature_list(uint64_t features, char *buf, size_t len)
{
	size_t used = 0;
	int bit;

	buf[0] = '\0';
	if (!features) {
		snprintf(buf, len, "none");
		return buf;
	}
	for (bit = 0; bit < 64 && used < len; bit++) {
		if (!(features & (1ULL << bit)))
			continue;
		if (feature_names[bit])
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", feature_names[bit]);
		else
			used += snprintf(buf + used, len - used, "%sbit %d",
					 used ? ", " : "", bit);
	}
	return buf;
}

static int finish(FILE *out)
{
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int json_one(FILE *out, const void *item, json_fields_fn *fields)
{
	struct json_writer w;

	json_begin(&w, out);
	json_object_begin(&w);
	fields(&w, item);
	json_object_end(&w);
	return json_end(&w);
}

int json_list(FILE *out, const char *key, const void *items, size_t n,
	      size_t size, json_fields_fn *fields)
{
	struct json_writer w;
	size_t i;

	json_begin(&w, out);
	json_object_begin(&w);
	json_key(&w, key);
	json_array_begin(&w);
	for (i = 0; i < n; i++) {
		json_object_begin(&w);
		fields(&w, (const char *)items + i * size);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_object_end(&w);
	return json_end(&w);
}

static void json_pool_fields(struct json_writer *w, const void *item)
{
	const struct ctl_pool *p = item;

	json_kv_u64(w, "id", p->id);
	json_kv_string(w, "name", p->name);
	json_kv_u64(w, "size", p->size);
	if (p->has_attached)
		json_kv_u64(w, "attached", p->attached);
	if (p->has_cached)
		json_kv_u64(w, "cached", p->cached);
	if (p->has_stored)
		json_kv_u64(w, "stored", p->stored);
	if (p->has_extent_size)
		json_kv_u64(w, "extent_size", p->extent_size);
	if (p->has_replicas)
		json_kv_u64(w, "replicas", p->replicas);
	if (p->has_local_bytes)
		json_kv_u64(w, "local_bytes", p->local_bytes);
	policy_json_fields(w, &p->policy);
}

/*
 * The cells of one table row.  The columns of placed pools (from
 * COL_EXTENT on) appear only when a pool in the list is placed.
 */
enum {
	COL_ID, COL_NAME, COL_SIZE, COL_ATTACHED, COL_CACHED, COL_STORED,
	COL_EXTENT, COL_REPLICAS, COL_LOCAL, NCOLS
};

static const char *const col_title[NCOLS] = {
	"ID", "NAME", "SIZE", "ATTACHED", "CACHED", "STORED",
	"EXTENT", "REPLICAS", "LOCAL",
};

/* Numbers right-aligned, text left-aligned. */
static const bool col_right[NCOLS] = {
	[COL_ID] = true, [COL_SIZE] = true, [COL_ATTACHED] = true,
	[COL_CACHED] = true, [COL_STORED] = true, [COL_EXTENT] = true,
	[COL_REPLICAS] = true, [COL_LOCAL] = true,
};

#define CELL_MAX (SIZE_FMT_MAX + DMPOOL_POOL_NAME_MAX)

/* A cell's text: "-" for an attribute the module did not send. */
static void fill_row(char *const *cell, size_t max, const void *items,
		     size_t i)
{
	const struct ctl_pool *p = (const struct ctl_pool *)items + i;

	snprintf(cell[COL_ID], max, "%" PRIu64, p->id);
	snprintf(cell[COL_NAME], max, "%s", p->name);
	size_format(p->size, cell[COL_SIZE], max);
	if (p->has_attached)
		snprintf(cell[COL_ATTACHED], max, "%u", p->attached);
	else
		snprintf(cell[COL_ATTACHED], max, "-");
	if (p->has_cached)
		size_format(p->cached, cell[COL_CACHED], max);
	else
		snprintf(cell[COL_CACHED], max, "-");
	if (p->has_stored)
		size_format(p->stored, cell[COL_STORED], max);
	else
		snprintf(cell[COL_STORED], max, "-");
	if (p->has_extent_size)
		size_format(p->extent_size, cell[COL_EXTENT], max);
	else
		snprintf(cell[COL_EXTENT], max, "-");
	if (p->has_extent_size && p->has_replicas)
		snprintf(cell[COL_REPLICAS], max, "%u", p->replicas);
	else
		snprintf(cell[COL_REPLICAS], max, "-");
	if (p->has_extent_size && p->has_local_bytes)
		size_format(p->local_bytes, cell[COL_LOCAL], max);
	else
		snprintf(cell[COL_LOCAL], max, "-");
}

static int table(FILE *out, const struct ctl_pool *pools, size_t n)
{
	struct table t = {
		.ncols = NCOLS, .shown = COL_EXTENT, .title = col_title,
		.right = col_right, .cell_max = CELL_MAX, .fill = fill_row,
		.items = pools,
	};
	size_t i;

	for (i = 0; i < n; i++)
		if (pools[i].has_extent_size)
			t.shown = NCOLS;
	return table_print(out, &t, n);
}

int out_pool_list(FILE *out, const struct ctl_pool *pools, size_t n, bool json)
{
	if (!json)
		return table(out, pools, n);
	return json_list(out, "pools", pools, n, sizeof(*pools),
			 json_pool_fields);
}

void show_bytes(FILE *out, const char *key, uint64_t v)
{
	char s[SIZE_FMT_MAX];

	fprintf(out, "%-9s %s (%" PRIu64 " bytes)\n", key,
		size_format(v, s, sizeof(s)), v);
}

int out_pool_show(FILE *out, const struct ctl_pool *p, bool json)
{
	if (json)
		return json_one(out, p, json_pool_fields);
	fprintf(out, "%-9s %" PRIu64 "\n", "id:", p->id);
	fprintf(out, "%-9s %s\n", "name:", p->name);
	show_bytes(out, "size:", p->size);
	if (p->has_attached)
		fprintf(out, "%-9s %u\n", "attached:", p->attached);
	if (p->has_cached)
		show_bytes(out, "cached:", p->cached);
	if (p->has_stored)
		show_bytes(out, "stored:", p->stored);
	if (p->has_extent_size) {
		show_bytes(out, "extent:", p->extent_size);
		if (p->has_replicas)
			fprintf(out, "%-9s %u\n", "replicas:", p->replicas);
		if (p->has_local_bytes)
			show_bytes(out, "local:", p->local_bytes);
	}
	policy_show(out, &p->policy, 9);
	return finish(out);
}

int out_pool_created(FILE *out, const struct ctl_pool *p, bool json)
{
	char s[SIZE_FMT_MAX];

	if (json)
		return json_one(out, p, json_pool_fields);
	fprintf(out, "created pool %s: ID %" PRIu64 ", %s\n", p->name, p->id,
		size_format(p->size, s, sizeof(s)));
	return finish(out);
}

/*
 * What pool destroy (@file NULL) and file delete removed, named as the
 * user named it: {"destroyed":{"name"|"id"}} or
 * {"deleted":{"pool"|"pool_id","name"}}.
 */
static int out_removed(FILE *out, const struct pool_sel *sel,
		       const char *file, bool json)
{
	char s[DMPOOL_POOL_NAME_MAX + 32], esc[NAME_ESC_MAX];
	struct json_writer w;

	if (!json) {
		pool_sel_str(sel, s, sizeof(s));
		if (file)
			fprintf(out, "deleted file %s from pool %s\n",
				name_escape(file, esc, sizeof(esc)), s);
		else
			fprintf(out, "destroyed pool %s\n", s);
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_key(&w, file ? "deleted" : "destroyed");
	json_object_begin(&w);
	if (sel->by_id)
		json_kv_u64(&w, file ? "pool_id" : "id", sel->id);
	else
		json_kv_string(&w, file ? "pool" : "name", sel->name);
	if (file)
		json_kv_string(&w, "name", file);
	json_object_end(&w);
	json_object_end(&w);
	return json_end(&w);
}

int out_pool_destroyed(FILE *out, const struct pool_sel *sel, bool json)
{
	return out_removed(out, sel, NULL, json);
}

int out_file_deleted(FILE *out, const struct pool_sel *sel, const char *name,
		     bool json)
{
	return out_removed(out, sel, name, json);
}

static void json_features(struct json_writer *w, uint64_t features)
{
	char name[16];
	int bit;

	json_key(w, "features");
	json_array_begin(w);
	for (bit = 0; bit < 64; bit++) {
		if (!(features & (1ULL << bit)))
			continue;
		if (feature_names[bit]) {
			json_string(w, feature_names[bit]);
		} else {
			snprintf(name, sizeof(name), "bit%d", bit);
			json_string(w, name);
		}
	}
	json_array_end(w);
}

int out_version(FILE *out, const char *tool_version, uint32_t tool_abi,
		const struct ctl_version *mod, bool json)
{
	char a[SIZE_FMT_MAX], b[SIZE_FMT_MAX], f[256];
	struct json_writer w;

	if (!json) {
		fprintf(out, "%-10s %s (ABI %u)\n", "dmpoolctl", tool_version,
			tool_abi);
		fprintf(out, "%-10s ABI %u\n", "module", mod->abi_version);
		fprintf(out, "%-10s %s\n", "features",
			feature_list(mod->features, f, sizeof(f)));
		if (mod->has_capacity && mod->has_committed)
			fprintf(out, "%-10s %s committed of %s\n", "store",
				size_format(mod->store_committed, a, sizeof(a)),
				size_format(mod->store_capacity, b, sizeof(b)));
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_key(&w, "dmpoolctl");
	json_object_begin(&w);
	json_kv_string(&w, "version", tool_version);
	json_kv_u64(&w, "abi_version", tool_abi);
	json_object_end(&w);
	json_key(&w, "module");
	json_object_begin(&w);
	json_kv_u64(&w, "abi_version", mod->abi_version);
	json_kv_u64(&w, "feature_bits", mod->features);
	json_features(&w, mod->features);
	if (mod->has_capacity)
		json_kv_u64(&w, "store_capacity", mod->store_capacity);
	if (mod->has_committed)
		json_kv_u64(&w, "store_committed", mod->store_committed);
	json_object_end(&w);
	json_object_end(&w);
	return json_end(&w);
}

/* ------------------------------------------------------------ nodes, peers */

const char *rtt_format(uint64_t ns, char *buf, size_t len)
{
	if (ns == 0)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%" PRIu64 " us", ns / 1000);
	else
		snprintf(buf, len, "%" PRIu64 " ms", ns / 1000000);
	return buf;
}

static void json_addr(struct json_writer *w, const struct node_addr *a)
{
	char s[ADDR_FMT_MAX];

	json_kv_string(w, "address", addr_format(a, false, s, sizeof(s)));
	json_kv_u64(w, "port", a->port);
}

int out_node_show(FILE *out, const struct ctl_node *n, bool json)
{
	char a[ADDR_FMT_MAX];
	struct json_writer w;

	if (!json) {
		if (n->has_id) {
			fprintf(out, "%-19s %u\n", "node:", n->id);
			fprintf(out, "%-19s %s\n", "listening on:",
				addr_format(&n->addr, true, a, sizeof(a)));
		} else {
			fprintf(out, "%-19s %s\n", "node:",
				"not set (dmpoolctl node set ID ADDR)");
		}
		fprintf(out, "%-19s %s\n", "cluster key:",
			n->key_set ? "set" : "not set");
		fprintf(out, "%-19s %u\n", "peers:", n->peers);
		fprintf(out, "%-19s %u ms\n", "request timeout:",
			n->req_timeout_ms);
		fprintf(out, "%-19s %" PRIu64 "\n", "rejected auth:",
			n->rejected_auth);
		fprintf(out, "%-19s %" PRIu64 "\n", "rejected malformed:",
			n->rejected_malformed);
		fprintf(out, "%-19s %" PRIu64 "\n", "rejected unknown:",
			n->rejected_unknown);
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	if (n->has_id) {
		json_kv_u64(&w, "id", n->id);
		json_addr(&w, &n->addr);
	}
	json_kv_bool(&w, "key_set", n->key_set);
	json_kv_u64(&w, "peers", n->peers);
	json_kv_u64(&w, "request_timeout_ms", n->req_timeout_ms);
	json_kv_u64(&w, "rejected_auth", n->rejected_auth);
	json_kv_u64(&w, "rejected_malformed", n->rejected_malformed);
	json_kv_u64(&w, "rejected_unknown", n->rejected_unknown);
	json_object_end(&w);
	return json_end(&w);
}

/* The page columns (PC_PIN on) appear only when the module sends them. */
enum {
	PC_ID, PC_ADDR, PC_STATE, PC_RTT, PC_IN, PC_OUT, PC_FIN, PC_FOUT,
	PC_RECONN, PC_AUTH, PC_BAD, PC_PIN, PC_POUT, PC_IOERR, NPCOLS
};

static const char *const pcol_title[NPCOLS] = {
	"ID", "ADDRESS", "STATE", "RTT", "BYTES_IN", "BYTES_OUT",
	"FRAMES_IN", "FRAMES_OUT", "RECONNECTS", "AUTH_FAIL", "MALFORMED",
	"PAGES_IN", "PAGES_OUT", "IO_ERRORS",
};

/* Numbers right-aligned; the address and the state left-aligned. */
static const bool pcol_right[NPCOLS] = {
	[PC_ID] = true, [PC_RTT] = true, [PC_IN] = true, [PC_OUT] = true,
	[PC_FIN] = true, [PC_FOUT] = true, [PC_RECONN] = true,
	[PC_AUTH] = true, [PC_BAD] = true, [PC_PIN] = true, [PC_POUT] = true,
	[PC_IOERR] = true,
};

static void opt_count(char *cell, size_t len, bool has, uint64_t v)
{
	if (has)
		snprintf(cell, len, "%" PRIu64, v);
	else
		snprintf(cell, len, "-");
}

static void fill_peer_row(char *const *cell, size_t max, const void *items,
			  size_t i)
{
	const struct ctl_peer *p = (const struct ctl_peer *)items + i;

	addr_format(&p->addr, true, cell[PC_ADDR], max);
	snprintf(cell[PC_ID], max, "%u", p->id);
	peer_state_str(p->state, cell[PC_STATE], max);
	rtt_format(p->rtt_ns, cell[PC_RTT], max);
	size_format(p->bytes_in, cell[PC_IN], max);
	size_format(p->bytes_out, cell[PC_OUT], max);
	snprintf(cell[PC_FIN], max, "%" PRIu64, p->frames_in);
	snprintf(cell[PC_FOUT], max, "%" PRIu64, p->frames_out);
	snprintf(cell[PC_RECONN], max, "%" PRIu64, p->reconnects);
	snprintf(cell[PC_AUTH], max, "%" PRIu64, p->auth_failures);
	snprintf(cell[PC_BAD], max, "%" PRIu64, p->malformed);
	opt_count(cell[PC_PIN], max, p->has_pages_in, p->pages_in);
	opt_count(cell[PC_POUT], max, p->has_pages_out, p->pages_out);
	opt_count(cell[PC_IOERR], max, p->has_io_errors, p->io_errors);
}

static int peer_table(FILE *out, const struct ctl_peer *peers, size_t n)
{
	struct table t = {
		.ncols = NPCOLS, .shown = PC_PIN, .title = pcol_title,
		.right = pcol_right, .cell_max = ADDR_FMT_MAX,
		.fill = fill_peer_row, .items = peers,
	};
	size_t i;

	for (i = 0; i < n; i++)
		if (peers[i].has_pages_in || peers[i].has_pages_out ||
		    peers[i].has_io_errors)
			t.shown = NPCOLS;
	return table_print(out, &t, n);
}

void json_peer_fields(struct json_writer *w, const struct ctl_peer *p)
{
	char st[32];

	json_kv_u64(w, "id", p->id);
	json_addr(w, &p->addr);
	json_kv_string(w, "state", peer_state_str(p->state, st, sizeof(st)));
	json_kv_u64(w, "rtt_ns", p->rtt_ns);
	json_kv_u64(w, "bytes_in", p->bytes_in);
	json_kv_u64(w, "bytes_out", p->bytes_out);
	json_kv_u64(w, "frames_in", p->frames_in);
	json_kv_u64(w, "frames_out", p->frames_out);
	json_kv_u64(w, "reconnects", p->reconnects);
	json_kv_u64(w, "auth_failures", p->auth_failures);
	json_kv_u64(w, "malformed", p->malformed);
	if (p->has_pages_in)
		json_kv_u64(w, "pages_in", p->pages_in);
	if (p->has_pages_out)
		json_kv_u64(w, "pages_out", p->pages_out);
	if (p->has_io_errors)
		json_kv_u64(w, "io_errors", p->io_errors);
}

static void peer_fields(struct json_writer *w, const void *item)
{
	json_peer_fields(w, item);
}

int out_peer_list(FILE *out, const struct ctl_peer *peers, size_t n,
		  bool json)
{
	if (!json)
		return peer_table(out, peers, n);
	return json_list(out, "peers", peers, n, sizeof(*peers), peer_fields);
}

int out_done(FILE *out, const struct cli *cli, bool json)
{
	char a[ADDR_FMT_MAX];
	struct json_writer w;

	if (!json) {
		switch (cli->cmd) {
		case CMD_NODE_SET:
			fprintf(out, "node %u listening on %s\n", cli->node_id,
				addr_format(&cli->addr, true, a, sizeof(a)));
			break;
		case CMD_KEY_SET:
			fprintf(out, "cluster key set\n");
			break;
		case CMD_PEER_ADD:
			fprintf(out, "added peer %u at %s\n", cli->node_id,
				addr_format(&cli->addr, true, a, sizeof(a)));
			break;
		case CMD_PEER_DEL:
			fprintf(out, "deleted peer %u\n", cli->node_id);
			break;
		default:
			return -1;
		}
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	switch (cli->cmd) {
	case CMD_NODE_SET:
		json_key(&w, "node");
		break;
	case CMD_KEY_SET:
		json_kv_bool(&w, "key_set", true);
		break;
	case CMD_PEER_ADD:
		json_key(&w, "added_peer");
		break;
	case CMD_PEER_DEL:
		json_key(&w, "deleted_peer");
		break;
	default:
		return -1;
	}
	if (cli->cmd != CMD_KEY_SET) {
		json_object_begin(&w);
		json_kv_u64(&w, "id", cli->node_id);
		if (cli->cmd != CMD_PEER_DEL)
			json_addr(&w, &cli->addr);
		json_object_end(&w);
	}
	json_object_end(&w);
	return json_end(&w);
}
