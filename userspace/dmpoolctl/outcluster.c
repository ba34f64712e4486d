// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl output of the cluster commands.
 *
 * `cluster show` keeps one stable line, "epoch E checksum HEX", that
 * scripts compare across nodes: nodes that agree print the same line.
 * Memory is drawn as a bar of committed over exposed memory.  JSON keeps
 * exact numbers and leaves out what the daemon did not send.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "json.h"
#include "output.h"
#include "outcluster.h"
#include "size.h"
#include "table.h"

static int finish(FILE *out)
{
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

const char *mem_bar(uint64_t used, uint64_t cap, int width, char *buf,
		    size_t len)
{
	char cells[MEM_BAR_MAX];
	double share = cap ? (double)used / (double)cap : 0;
	int i, fill;

	if (width < 1 || (size_t)width >= sizeof(cells))
		width = MEM_BAR_WIDTH;
	fill = share >= 1 ? width : (int)(share * width);
	if (used && cap && !fill)
		fill = 1;	/* something committed shows */
	for (i = 0; i < width; i++)
		cells[i] = i < fill ? '#' : '.';
	cells[width] = '\0';
	if (cap)
		snprintf(buf, len, "[%s] %3.0f%%", cells, share * 100);
	else
		snprintf(buf, len, "[%s]    -", cells);
	return buf;
}

const char *members_format(uint64_t members, char *buf, size_t len)
{
	size_t used = 0;
	int bit;

	snprintf(buf, len, "none");
	for (bit = 0; bit < 64 && used < len; bit++)
		if (members & (1ULL << bit))
			used += (size_t)snprintf(buf + used, len - used, "%s%d",
						 used ? "," : "", bit + 1);
	return buf;
}

const char *checksum_hex(const uint8_t *sum, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < DMPOOL_CHECKSUM_LEN && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, len - 2 * i, "%02x", sum[i]);
	return buf;
}

static void json_members(struct json_writer *w, uint64_t members)
{
	int bit;

	json_key(w, "members");
	json_array_begin(w);
	for (bit = 0; bit < 64; bit++)
		if (members & (1ULL << bit))
			json_u64(w, (uint64_t)bit + 1);
	json_array_end(w);
}

/* The snapshot's fields, shared by cluster show and status. */
static void json_cluster_fields(struct json_writer *w,
				const struct ctl_cluster *c)
{
	char hex[2 * DMPOOL_CHECKSUM_LEN + 1];

	if (c->has_name)
		json_kv_string(w, "name", c->name);
	if (c->has_epoch)
		json_kv_u64(w, "epoch", c->epoch);
	if (c->has_checksum)
		json_kv_string(w, "checksum",
			       checksum_hex(c->checksum, hex, sizeof(hex)));
	if (c->has_members)
		json_members(w, c->members);
	if (c->has_quorate)
		json_kv_bool(w, "quorate", c->quorate);
	if (c->has_self)
		json_kv_u64(w, "node", c->self_id);
}

/* "epoch 12 checksum 3fa1...": the line tests compare across nodes. */
static void text_epoch_line(FILE *out, const struct ctl_cluster *c)
{
	char hex[2 * DMPOOL_CHECKSUM_LEN + 1];

	fprintf(out, "epoch %" PRIu64 " checksum %s\n", c->epoch,
		c->has_checksum ? checksum_hex(c->checksum, hex, sizeof(hex)) :
		"-");
}

int out_cluster_show(FILE *out, const struct ctl_cluster *c, bool json)
{
	char m[3 * 64 + 8], age[DURATION_FMT_MAX];
	struct json_writer w;

	if (json) {
		json_begin(&w, out);
		json_object_begin(&w);
		json_kv_bool(&w, "daemon", c->daemon);
		json_cluster_fields(&w, c);
		if (c->has_age)
			json_kv_u64(&w, "age_ms", c->age_ms);
		json_object_end(&w);
		return json_end(&w);
	}
	fprintf(out, "daemon:   %s\n", c->daemon ? "dmpoold running" :
		"no dmpoold running on this node (start it: systemctl start dmpoold)");
	if (!c->has_epoch) {
		fprintf(out, "no cluster state reported yet\n");
		return finish(out);
	}
	fprintf(out, "cluster:  %s\n", c->has_name ? c->name : "-");
	fprintf(out, "members:  %s\n",
		c->has_members ? members_format(c->members, m, sizeof(m)) : "-");
	fprintf(out, "quorate:  %s\n",
		!c->has_quorate ? "-" : c->quorate ? "yes" : "no");
	if (c->has_age)
		fprintf(out, "age:      %s\n",
			duration_format(c->age_ms, age, sizeof(age)));
	text_epoch_line(out, c);
	return finish(out);
}

/* ---------------------------------------------------------- cluster create */

enum { HC_NODE, HC_EXTENTS, HC_BYTES, NHCOLS };

static const char *const hcol_title[NHCOLS] = { "NODE", "EXTENTS", "BYTES" };
static const bool hcol_right[NHCOLS] = { true, true, true };

/* The rows are the nodes with homes: items is the pool, i counts them. */
static uint32_t nth_home(const struct ctl_cpool *p, size_t i)
{
	uint32_t id;

	for (id = 1; id <= DMPOOL_NODES_MAX; id++)
		if (p->homes[id] && i-- == 0)
			return id;
	return 0;
}

static size_t homes_count(const struct ctl_cpool *p)
{
	size_t n = 0;
	uint32_t id;

	for (id = 1; id <= DMPOOL_NODES_MAX; id++)
		n += p->homes[id] != 0;
	return n;
}

static void fill_home_row(char *const *cell, size_t max, const void *items,
			  size_t i)
{
	const struct ctl_cpool *p = items;
	uint32_t id = nth_home(p, i);

	snprintf(cell[HC_NODE], max, "%u", id);
	snprintf(cell[HC_EXTENTS], max, "%u", p->homes[id]);
	size_format((uint64_t)p->homes[id] * p->p.extent_size,
		    cell[HC_BYTES], max);
}

int out_cluster_pool(FILE *out, const struct ctl_cpool *p, bool json)
{
	struct table t = {
		.ncols = NHCOLS, .shown = NHCOLS, .title = hcol_title,
		.right = hcol_right, .cell_max = SIZE_FMT_MAX,
		.fill = fill_home_row, .items = p,
	};
	char s[SIZE_FMT_MAX], e[SIZE_FMT_MAX], ttl[DURATION_FMT_MAX];
	struct json_writer w;
	size_t i;

	if (json) {
		json_begin(&w, out);
		json_object_begin(&w);
		json_kv_u64(&w, "id", p->p.id);
		json_kv_string(&w, "name", p->p.name);
		json_kv_u64(&w, "size", p->p.size);
		if (p->p.has_extent_size)
			json_kv_u64(&w, "extent_size", p->p.extent_size);
		if (p->p.has_replicas)
			json_kv_u64(&w, "replicas", p->p.replicas);
		if (p->has_ttl) {
			if (p->ttl_ms == DMPOOL_TTL_FOREVER)
				json_kv_string(&w, "ttl", "forever");
			else
				json_kv_u64(&w, "ttl_ms", p->ttl_ms);
		}
		if (p->has_epoch)
			json_kv_u64(&w, "epoch", p->epoch);
		policy_json_fields(&w, &p->p.policy);
		json_key(&w, "map");
		json_array_begin(&w);
		for (i = 0; i < homes_count(p); i++) {
			uint32_t id = nth_home(p, i);

			json_object_begin(&w);
			json_kv_u64(&w, "node", id);
			json_kv_u64(&w, "extents", p->homes[id]);
			json_kv_u64(&w, "bytes",
				    (uint64_t)p->homes[id] * p->p.extent_size);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		return json_end(&w);
	}
	fprintf(out, "created cluster pool %s\n", p->p.name);
	fprintf(out, "id:       %" PRIu64 "\n", p->p.id);
	fprintf(out, "size:     %s\n", size_format(p->p.size, s, sizeof(s)));
	if (p->p.has_extent_size)
		fprintf(out, "extent:   %s (%zu extents)\n",
			size_format(p->p.extent_size, e, sizeof(e)),
			p->extents);
	if (p->p.has_replicas)
		fprintf(out, "replicas: %u\n", p->p.replicas);
	if (p->has_ttl)
		fprintf(out, "ttl:      %s\n",
			p->ttl_ms ? duration_format(p->ttl_ms, ttl, sizeof(ttl)) :
			"the daemon's default");
	if (p->has_epoch)
		fprintf(out, "epoch:    %" PRIu64 "\n", p->epoch);
	policy_show(out, &p->p.policy, 9);
	if (!homes_count(p))
		return finish(out);
	return table_print(out, &t, homes_count(p));
}

/* ------------------------------------------ destroy, set, (de)commission */

int out_cluster_done(FILE *out, const struct cli *cli,
		     const struct ctl_req_reply *r, bool json)
{
	char sel[DMPOOL_POOL_NAME_MAX + 32], a[ADDR_FMT_MAX];
	char ttl[DURATION_FMT_MAX];
	struct json_writer w;

	pool_sel_str(&cli->sel, sel, sizeof(sel));
	addr_format(&cli->addr, true, a, sizeof(a));
	duration_format(cli->ttl_ms, ttl, sizeof(ttl));
	if (!json) {
		switch (cli->cmd) {
		case CMD_CLUSTER_DESTROY:
			fprintf(out, "destroyed cluster pool %s\n", sel);
			break;
		case CMD_CLUSTER_SET:
			if (cli->has_ttl)
				fprintf(out, "cluster pool %s: ttl %s\n", sel, ttl);
			else
				fprintf(out, "cluster pool %s: policy set\n", sel);
			policy_show(out, &cli->policy, 7);
			break;
		case CMD_NODE_COMMISSION:
			fprintf(out, "commissioned the node at %s\n", a);
			break;
		case CMD_NODE_DECOMMISSION:
			fprintf(out, "decommissioned node %u\n", cli->node_id);
			break;
		default:
			return -1;
		}
		if (r->message[0])
			fprintf(out, "%s\n", r->message);
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	switch (cli->cmd) {
	case CMD_CLUSTER_DESTROY:
	case CMD_CLUSTER_SET:
		json_key(&w, cli->cmd == CMD_CLUSTER_SET ? "set" : "destroyed");
		json_object_begin(&w);
		if (cli->sel.by_id)
			json_kv_u64(&w, "id", cli->sel.id);
		else
			json_kv_string(&w, "name", cli->sel.name);
		if (cli->cmd == CMD_CLUSTER_SET && cli->has_ttl &&
		    cli->ttl_ms == DMPOOL_TTL_FOREVER)
			json_kv_string(&w, "ttl", "forever");
		else if (cli->cmd == CMD_CLUSTER_SET && cli->has_ttl)
			json_kv_u64(&w, "ttl_ms", cli->ttl_ms);
		if (cli->cmd == CMD_CLUSTER_SET)
			policy_json_fields(&w, &cli->policy);
		json_object_end(&w);
		break;
	case CMD_NODE_COMMISSION:
		json_kv_string(&w, "commissioned", a);
		break;
	case CMD_NODE_DECOMMISSION:
		json_kv_u64(&w, "decommissioned", cli->node_id);
		break;
	default:
		break;
	}
	if (r->message[0])
		json_kv_string(&w, "message", r->message);
	json_object_end(&w);
	return json_end(&w);
}

/* ------------------------------------------------------------------ crawl */

enum { CC_ADDR, CC_STATE, CC_NODE, CC_NSTATE, CC_MEM, CC_VERSION, CC_CLUSTER,
       NCCOLS };

static const char *const ccol_title[NCCOLS] = {
	"ADDRESS", "STATE", "NODE", "NODE STATE", "MEMORY", "VERSION",
	"CLUSTER",
};
static const bool ccol_right[NCCOLS] = { [CC_NODE] = true };

#define CRAWL_CELL_MAX (2 * SIZE_FMT_MAX + DMPOOL_CLUSTER_NAME_MAX)

/* "1.5 GiB / 4 GiB": committed of capacity. */
static void mem_pair(uint64_t committed, uint64_t cap, char *buf, size_t len)
{
	char a[SIZE_FMT_MAX], b[SIZE_FMT_MAX];

	snprintf(buf, len, "%s / %s", size_format(committed, a, sizeof(a)),
		 size_format(cap, b, sizeof(b)));
}

static void fill_crawl_row(char *const *cell, size_t max, const void *items,
			   size_t i)
{
	const struct ctl_crawl_host *h = (const struct ctl_crawl_host *)items + i;

	addr_format(&h->addr, false, cell[CC_ADDR], max);
	crawl_state_str(h->state, cell[CC_STATE], max);
	if (h->has_id)
		snprintf(cell[CC_NODE], max, "%u", h->node_id);
	else
		snprintf(cell[CC_NODE], max, "-");
	if (h->has_node_state)
		node_state_str(h->node_state, cell[CC_NSTATE], max);
	else
		snprintf(cell[CC_NSTATE], max, "-");
	if (h->has_mem)
		mem_pair(h->committed, h->capacity, cell[CC_MEM], max);
	else
		snprintf(cell[CC_MEM], max, "-");
	snprintf(cell[CC_VERSION], max, "%s", h->version[0] ? h->version : "-");
	snprintf(cell[CC_CLUSTER], max, "%s", h->cluster[0] ? h->cluster : "-");
}

static void json_host_fields(struct json_writer *w, const void *item)
{
	const struct ctl_crawl_host *h = item;
	char a[ADDR_FMT_MAX], s[32];

	json_kv_string(w, "addr", addr_format(&h->addr, false, a, sizeof(a)));
	json_kv_string(w, "state", crawl_state_str(h->state, s, sizeof(s)));
	if (h->has_id)
		json_kv_u64(w, "node", h->node_id);
	if (h->has_node_state)
		json_kv_string(w, "node_state",
			       node_state_str(h->node_state, s, sizeof(s)));
	if (h->has_mem) {
		json_kv_u64(w, "capacity", h->capacity);
		json_kv_u64(w, "committed", h->committed);
	}
	if (h->version[0])
		json_kv_string(w, "version", h->version);
	if (h->cluster[0])
		json_kv_string(w, "cluster", h->cluster);
}

int out_crawl(FILE *out, const struct ctl_crawl_host *hosts, size_t n,
	      bool json)
{
	struct table t = {
		.ncols = NCCOLS, .shown = NCCOLS, .title = ccol_title,
		.right = ccol_right, .cell_max = CRAWL_CELL_MAX,
		.fill = fill_crawl_row, .items = hosts,
	};

	if (json)
		return json_list(out, "hosts", hosts, n, sizeof(*hosts),
				 json_host_fields);
	if (!n) {
		fprintf(out, "no host answered\n");
		return finish(out);
	}
	return table_print(out, &t, n);
}

/* ----------------------------------------------------------------- status */

enum { NC_NODE, NC_ADDR, NC_STATE, NC_BAR, NC_MEM, NC_VERSION, NNCOLS };

static const char *const ncol_title[NNCOLS] = {
	"NODE", "ADDRESS", "STATE", "MEMORY", "COMMITTED / EXPOSED", "VERSION",
};
static const bool ncol_right[NNCOLS] = { [NC_NODE] = true };

#define STATUS_CELL_MAX (2 * SIZE_FMT_MAX + ADDR_FMT_MAX)

static void fill_node_row(char *const *cell, size_t max, const void *items,
			  size_t i)
{
	const struct ctl_cnode *n = (const struct ctl_cnode *)items + i;

	snprintf(cell[NC_NODE], max, "%u", n->id);
	if (n->has_addr)
		addr_format(&n->addr, true, cell[NC_ADDR], max);
	else
		snprintf(cell[NC_ADDR], max, "-");
	if (n->has_state)
		node_state_str(n->state, cell[NC_STATE], max);
	else
		snprintf(cell[NC_STATE], max, "-");
	if (n->has_mem) {
		mem_bar(n->committed, n->capacity, MEM_BAR_WIDTH, cell[NC_BAR],
			max);
		mem_pair(n->committed, n->capacity, cell[NC_MEM], max);
	} else {
		snprintf(cell[NC_BAR], max, "-");
		snprintf(cell[NC_MEM], max, "-");
	}
	snprintf(cell[NC_VERSION], max, "%s", n->version[0] ? n->version : "-");
}

enum { PC_ID, PC_NAME, PC_SIZE, PC_REPL, PC_TTL, PC_STATE, PC_ATT, PC_HERE,
       PC_OWNER, PC_MODE, PC_GRANTS, NPCOLS };

static const char *const pcol_title[NPCOLS] = {
	"ID", "NAME", "SIZE", "REPLICAS", "TTL", "STATE", "ATTACHED", "HERE",
	"OWNER", "MODE", "GRANTS",
};
static const bool pcol_right[NPCOLS] = {
	[PC_ID] = true, [PC_SIZE] = true, [PC_REPL] = true, [PC_ATT] = true,
	[PC_HERE] = true,
};

/* The pools of the status, with this node's pools for the HERE column. */
struct status_rows {
	const struct ctl_cpool *pools;
	const struct ctl_pool *local;
	size_t nlocal;
};

static const struct ctl_pool *local_pool(const struct status_rows *r,
					 uint64_t id)
{
	size_t i;

	for (i = 0; i < r->nlocal; i++)
		if (r->local[i].id == id)
			return &r->local[i];
	return NULL;
}

/* "active", "idle 5m", or "idle" without IDLE_MS. */
static void pool_state(const struct ctl_cpool *p, char *buf, size_t len)
{
	char d[DURATION_FMT_MAX];

	if (!p->has_state) {
		snprintf(buf, len, "-");
		return;
	}
	cpool_state_str(p->state, buf, len);
	if (p->state == DMPOOL_POOL_IDLE && p->has_idle)
		snprintf(buf, len, "idle %s",
			 duration_format(p->idle_ms, d, sizeof(d)));
}

static void fill_cpool_row(char *const *cell, size_t max, const void *items,
			   size_t i)
{
	const struct status_rows *r = items;
	const struct ctl_cpool *p = &r->pools[i];
	const struct ctl_pool *here = local_pool(r, p->p.id);

	snprintf(cell[PC_ID], max, "%" PRIu64, p->p.id);
	snprintf(cell[PC_NAME], max, "%s", p->p.name);
	size_format(p->p.size, cell[PC_SIZE], max);
	snprintf(cell[PC_REPL], max, "%u", p->p.has_replicas ? p->p.replicas : 1);
	if (!p->has_ttl)
		snprintf(cell[PC_TTL], max, "-");
	else if (!p->ttl_ms)
		snprintf(cell[PC_TTL], max, "default");
	else
		duration_format(p->ttl_ms, cell[PC_TTL], max);
	pool_state(p, cell[PC_STATE], max);
	if (p->p.has_attached)
		snprintf(cell[PC_ATT], max, "%u", p->attached);
	else
		snprintf(cell[PC_ATT], max, "-");
	if (here && here->has_attached)
		snprintf(cell[PC_HERE], max, "%u", here->attached);
	else
		snprintf(cell[PC_HERE], max, "-");
	policy_cells(&p->p.policy, cell[PC_OWNER], cell[PC_MODE],
		     cell[PC_GRANTS], max);
}

static void json_status_pool(struct json_writer *w, const struct ctl_cpool *p,
			     const struct ctl_pool *here)
{
	char s[32];

	json_object_begin(w);
	json_kv_u64(w, "id", p->p.id);
	json_kv_string(w, "name", p->p.name);
	json_kv_u64(w, "size", p->p.size);
	json_kv_u64(w, "replicas", p->p.has_replicas ? p->p.replicas : 1);
	if (p->has_ttl && p->ttl_ms == DMPOOL_TTL_FOREVER)
		json_kv_string(w, "ttl", "forever");
	else if (p->has_ttl)
		json_kv_u64(w, "ttl_ms", p->ttl_ms);
	if (p->has_state)
		json_kv_string(w, "state", cpool_state_str(p->state, s, sizeof(s)));
	if (p->has_idle)
		json_kv_u64(w, "idle_ms", p->idle_ms);
	if (p->p.has_attached)
		json_kv_u64(w, "attached", p->attached);
	if (here && here->has_attached)
		json_kv_u64(w, "attached_here", here->attached);
	policy_json_fields(w, &p->p.policy);
	json_object_end(w);
}

static void json_status_node(struct json_writer *w, const struct ctl_cnode *n)
{
	char a[ADDR_FMT_MAX], s[32];

	json_object_begin(w);
	json_kv_u64(w, "id", n->id);
	if (n->has_addr)
		json_kv_string(w, "addr", addr_format(&n->addr, true, a, sizeof(a)));
	if (n->has_state)
		json_kv_string(w, "state", node_state_str(n->state, s, sizeof(s)));
	if (n->has_mem) {
		json_kv_u64(w, "capacity", n->capacity);
		json_kv_u64(w, "committed", n->committed);
	}
	if (n->version[0])
		json_kv_string(w, "version", n->version);
	json_object_end(w);
}

int out_status(FILE *out, const struct ctl_cstatus *st,
	       const struct ctl_pool *local, size_t nlocal, bool json)
{
	const struct status_rows rows = {
		.pools = st->pools, .local = local, .nlocal = nlocal,
	};
	struct table nt = {
		.ncols = NNCOLS, .shown = NNCOLS, .title = ncol_title,
		.right = ncol_right, .cell_max = STATUS_CELL_MAX,
		.fill = fill_node_row, .items = st->nodes,
	};
	struct table pt = {
		.ncols = NPCOLS, .shown = NPCOLS, .title = pcol_title,
		.right = pcol_right, .cell_max = STATUS_CELL_MAX,
		.fill = fill_cpool_row, .items = &rows,
	};
	char m[3 * 64 + 8];
	struct json_writer w;
	size_t i;

	if (json) {
		json_begin(&w, out);
		json_object_begin(&w);
		json_kv_bool(&w, "daemon", true);
		json_cluster_fields(&w, &st->cl);
		json_key(&w, "nodes");
		json_array_begin(&w);
		for (i = 0; i < st->nnodes; i++)
			json_status_node(&w, &st->nodes[i]);
		json_array_end(&w);
		json_key(&w, "pools");
		json_array_begin(&w);
		for (i = 0; i < st->npools; i++)
			json_status_pool(&w, &st->pools[i],
					 local_pool(&rows, st->pools[i].p.id));
		json_array_end(&w);
		json_object_end(&w);
		return json_end(&w);
	}
	fprintf(out, "cluster %s, members %s, %s\n",
		st->cl.has_name ? st->cl.name : "-",
		st->cl.has_members ? members_format(st->cl.members, m, sizeof(m)) : "-",
		!st->cl.has_quorate ? "quorum unknown" :
		st->cl.quorate ? "quorate" : "NOT quorate");
	text_epoch_line(out, &st->cl);
	fprintf(out, "\n");
	if (table_print(out, &nt, st->nnodes) < 0)
		return -1;
	fprintf(out, "\n");
	if (!st->npools) {
		fprintf(out, "no cluster pools\n");
		return finish(out);
	}
	return table_print(out, &pt, st->npools);
}

/* status without dmpoold: MEM_GET's nodes with bars, then POOL_GET's pools. */
enum { LC_NODE, LC_STATE, LC_BAR, LC_MEM, NLCOLS };

static const char *const lcol_title[NLCOLS] = {
	"NODE", "STATE", "MEMORY", "COMMITTED / EXPOSED",
};
static const bool lcol_right[NLCOLS] = { [LC_NODE] = true };

static void fill_local_row(char *const *cell, size_t max, const void *items,
			   size_t i)
{
	const struct ctl_mem *m = (const struct ctl_mem *)items + i;

	if (m->node_id)
		snprintf(cell[LC_NODE], max, "%u", m->node_id);
	else
		snprintf(cell[LC_NODE], max, "-");
	if (m->self)
		snprintf(cell[LC_STATE], max, "self");
	else if (m->has_state)
		peer_state_str(m->state, cell[LC_STATE], max);
	else
		snprintf(cell[LC_STATE], max, "-");
	mem_bar(m->committed, m->capacity, MEM_BAR_WIDTH, cell[LC_BAR], max);
	mem_pair(m->committed, m->capacity, cell[LC_MEM], max);
}

int out_status_local(FILE *out, const struct ctl_mem *mem, size_t nmem,
		     const struct ctl_pool *pools, size_t npools, bool json)
{
	struct table t = {
		.ncols = NLCOLS, .shown = NLCOLS, .title = lcol_title,
		.right = lcol_right, .cell_max = STATUS_CELL_MAX,
		.fill = fill_local_row, .items = mem,
	};
	struct json_writer w;
	char s[32];
	size_t i;

	if (json) {
		json_begin(&w, out);
		json_object_begin(&w);
		json_kv_bool(&w, "daemon", false);
		json_key(&w, "nodes");
		json_array_begin(&w);
		for (i = 0; i < nmem; i++) {
			json_object_begin(&w);
			json_kv_u64(&w, "id", mem[i].node_id);
			json_kv_bool(&w, "self", mem[i].self);
			if (!mem[i].self && mem[i].has_state)
				json_kv_string(&w, "state",
					       peer_state_str(mem[i].state, s, sizeof(s)));
			json_kv_u64(&w, "capacity", mem[i].capacity);
			json_kv_u64(&w, "committed", mem[i].committed);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_key(&w, "pools");
		json_array_begin(&w);
		for (i = 0; i < npools; i++) {
			json_object_begin(&w);
			json_kv_u64(&w, "id", pools[i].id);
			json_kv_string(&w, "name", pools[i].name);
			json_kv_u64(&w, "size", pools[i].size);
			if (pools[i].has_attached)
				json_kv_u64(&w, "attached_here", pools[i].attached);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		return json_end(&w);
	}
	fprintf(out, "this node's view only: the cluster view needs dmpoold (systemctl start dmpoold)\n\n");
	if (nmem && table_print(out, &t, nmem) < 0)
		return -1;
	if (nmem)
		fprintf(out, "\n");
	if (!npools) {
		fprintf(out, "no pools on this node\n");
		return finish(out);
	}
	return out_pool_list(out, pools, npools, false);
}

/* ---------------------------------------------------------------- monitor */

int out_event(FILE *out, const char *when, const struct ctl_event *ev,
	      bool json)
{
	char k[32], s[32], m[3 * 64 + 8];
	struct json_writer w;

	event_kind_str(ev->kind, k, sizeof(k));
	if (json) {
		json_begin(&w, out);
		json_object_begin(&w);
		json_kv_string(&w, "time", when);
		json_kv_string(&w, "kind", k);
		if (ev->has_pool)
			json_kv_u64(&w, "pool_id", ev->pool_id);
		if (ev->has_name)
			json_kv_string(&w, "pool", ev->name);
		if (ev->has_attached)
			json_kv_u64(&w, "attached", ev->attached);
		if (ev->has_node)
			json_kv_u64(&w, "node", ev->node_id);
		if (ev->has_peer_state)
			json_kv_string(&w, "peer_state",
				       peer_state_str(ev->peer_state, s, sizeof(s)));
		if (ev->has_epoch)
			json_kv_u64(&w, "epoch", ev->epoch);
		if (ev->has_members)
			json_members(&w, ev->members);
		json_object_end(&w);
		return json_end(&w);
	}
	fprintf(out, "%s %s", when, k);
	if (ev->has_pool)
		fprintf(out, " pool %" PRIu64, ev->pool_id);
	if (ev->has_name)
		fprintf(out, " (%s)", ev->name);
	if (ev->has_attached)
		fprintf(out, " attached %u", ev->attached);
	if (ev->has_node)
		fprintf(out, " node %u", ev->node_id);
	if (ev->has_peer_state)
		fprintf(out, " %s", peer_state_str(ev->peer_state, s, sizeof(s)));
	if (ev->has_epoch)
		fprintf(out, " epoch %" PRIu64, ev->epoch);
	if (ev->has_members)
		fprintf(out, " members %s", members_format(ev->members, m, sizeof(m)));
	fprintf(out, "\n");
	return finish(out);
}

int out_events_lost(FILE *out, const char *when, bool json)
{
	struct json_writer w;

	if (!json) {
		fprintf(out, "%s events lost (the kernel dropped some: dump the state to resync)\n",
			when);
		return finish(out);
	}
	json_begin(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "time", when);
	json_kv_string(&w, "kind", "LOST");
	json_object_end(&w);
	return json_end(&w);
}
