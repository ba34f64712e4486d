// SPDX-License-Identifier: GPL-2.0
/*
 * The commands of remote memory and placed pools (DMPOOL_FEAT_REMOTE):
 *
 *	mem expose SIZE		MEM_SET
 *	mem show		MEM_GET dump
 *	pool create --cluster	MEM_GET dump, place (place.c), POOL_NEW
 *	pool install		POOL_NEW with POOL_ID, EXTENT_SIZE, MAP
 *	pool export		POOL_GET doit, map included
 *	pool stats		POOL_GET doit
 *
 * main.c checked the module's feature bit before calling in here.  When
 * this node's share of a placed pool does not fit (-ENOSPC), the message
 * gives the share and this node's free exposed memory, fetched anew.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "errmsg.h"
#include "output.h"
#include "place.h"
#include "run.h"

/* This node's entry of @mem, or NULL. */
static const struct ctl_mem *self_mem(const struct ctl_mem *mem, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mem[i].self)
			return &mem[i];
	return NULL;
}

/* -ENOSPC for a placed pool: this node's share and its free memory. */
static int fail_share(struct ctl_nl *nl, const char *subject,
		      const struct ctl_pool_spec *spec,
		      const struct ctl_err *err)
{
	char msg[ERRMSG_MAX], full[ERRMSG_MAX];
	const struct ctl_mem *self;
	struct ctl_mem *mem;
	struct ctl_err merr;
	const char *text;
	size_t n;

	text = errmsg(CMD_POOL_INSTALL, subject, CTL_KERNEL, err, msg,
		      sizeof(msg));
	if (ctl_mem_dump(nl, &mem, &n, &merr) == CTL_OK) {
		self = self_mem(mem, n);
		if (self && self->node_id)
			text = errmsg_share(text,
					    place_share(spec->size,
							spec->extent_size,
							spec->map, spec->map_len,
							self->node_id),
					    self, full, sizeof(full));
		free(mem);
	}
	fprintf(stderr, "dmpoolctl: %s\n", text);
	return EXIT_FAILED;
}

static int run_mem_expose(struct ctl_nl *nl, const struct cli *cli)
{
	char msg[ERRMSG_MAX], full[ERRMSG_MAX];
	struct ctl_version ver;
	struct ctl_err err, verr;
	enum ctl_status st;
	const char *text;

	st = ctl_mem_set(nl, cli->size, &err);
	if (st == CTL_KERNEL && err.ack.error == -EBUSY) {
		text = errmsg(cli->cmd, NULL, st, &err, msg, sizeof(msg));
		if (ctl_version_get(nl, &ver, &verr) == CTL_OK)
			text = errmsg_expose_busy(text, cli->size, &ver, full,
						  sizeof(full));
		fprintf(stderr, "dmpoolctl: %s\n", text);
		return EXIT_FAILED;
	}
	if (st != CTL_OK)
		return run_fail(cli->cmd, NULL, st, &err);
	return run_written(out_mem_exposed(stdout, cli->size, cli->json));
}

static int run_mem_show(struct ctl_nl *nl, const struct cli *cli)
{
	struct ctl_mem *mem;
	struct ctl_err err;
	enum ctl_status st;
	size_t n;
	int ret;

	st = ctl_mem_dump(nl, &mem, &n, &err);
	if (st != CTL_OK)
		return run_fail(cli->cmd, NULL, st, &err);
	ret = run_written(out_mem_show(stdout, mem, n, cli->json));
	free(mem);
	return ret;
}

/* The map and the extents per node of a new placed pool. */
struct placement {
	struct place_node nodes[DMPOOL_NODES_MAX];
	uint32_t count[DMPOOL_NODES_MAX];
	uint32_t ids[DMPOOL_NODES_MAX];
	size_t n;
	uint32_t self;
	uint64_t extent;
	size_t map_len;
	uint32_t map[DMPOOL_MAP_ENTRIES_MAX];
};

/* Fetch the cluster's memory and place the pool; 0 or -1 (printed). */
static int place(struct ctl_nl *nl, const struct cli *cli,
		 struct placement *pl)
{
	char why[ERRMSG_MAX];
	struct ctl_mem *mem;
	struct ctl_err err;
	enum ctl_status st;
	size_t n, i;
	int ret = -1;

	st = ctl_mem_dump(nl, &mem, &n, &err);
	if (st != CTL_OK) {
		run_fail(CMD_MEM_SHOW, NULL, st, &err);
		return -1;
	}
	if (place_candidates(mem, n, cli->nodes, cli->nnodes, pl->nodes,
			     &pl->n, why, sizeof(why)) < 0) {
		fprintf(stderr, "dmpoolctl: cannot place pool '%s': %s\n",
			cli->sel.name, why);
		goto out;
	}
	pl->self = self_mem(mem, n)->node_id;
	pl->extent = cli->extent_size ? cli->extent_size :
		     place_default_extent(cli->size);
	pl->map_len = place_extents(cli->size, pl->extent);
	switch (place_pool(cli->size, pl->extent, pl->nodes, pl->n, pl->map,
			   pl->count)) {
	case PLACE_OK:
		ret = 0;
		break;
	case PLACE_NOSPACE:
		fprintf(stderr, "dmpoolctl: %s\n",
			place_nospace_msg(cli->sel.name, cli->size, pl->extent,
					  pl->nodes, pl->n, why, sizeof(why)));
		break;
	case PLACE_TOO_MANY:
		fprintf(stderr,
			"dmpoolctl: cannot place pool '%s': more than %d extents; use a larger --extent-size\n",
			cli->sel.name, DMPOOL_MAP_ENTRIES_MAX);
		break;
	case PLACE_INVALID:
		fprintf(stderr, "dmpoolctl: cannot place pool '%s': no nodes\n",
			cli->sel.name);
		break;
	}
	for (i = 0; i < pl->n; i++)
		pl->ids[i] = pl->nodes[i].id;
out:
	free(mem);
	return ret;
}

static int run_create_placed(struct ctl_nl *nl, const struct cli *cli,
			     const char *subject)
{
	struct ctl_pool_spec spec = { 0 };
	struct placement *pl = calloc(1, sizeof(*pl));
	struct ctl_pool pool;
	struct ctl_err err;
	enum ctl_status st;
	int ret;

	if (!pl) {
		fprintf(stderr, "dmpoolctl: out of memory\n");
		return EXIT_FAILED;
	}
	if (place(nl, cli, pl) < 0) {
		free(pl);
		return EXIT_FAILED;
	}
	spec.name = cli->sel.name;
	spec.size = cli->size;
	spec.extent_size = pl->extent;
	spec.map = pl->map;
	spec.map_len = pl->map_len;
	st = ctl_pool_new_placed(nl, &spec, &pool, &err);
	if (st == CTL_KERNEL && err.ack.error == -ENOSPC)
		ret = fail_share(nl, subject, &spec, &err);
	else if (st != CTL_OK)
		ret = run_fail(cli->cmd, subject, st, &err);
	else
		ret = run_written(out_pool_placed(stdout, &pool, pl->ids,
						  pl->count, pl->n, pl->self,
						  cli->json));
	free(pl);
	return ret;
}

static int run_install(struct ctl_nl *nl, const struct cli *cli,
		       const char *subject)
{
	struct ctl_pool_spec spec = {
		.id = cli->pool_id, .name = cli->sel.name, .size = cli->size,
		.extent_size = cli->extent_size, .map = cli->map,
		.map_len = cli->map_len,
	};
	struct ctl_pool pool;
	struct ctl_err err;
	enum ctl_status st;

	st = ctl_pool_new_placed(nl, &spec, &pool, &err);
	if (st == CTL_KERNEL && err.ack.error == -ENOSPC)
		return fail_share(nl, subject, &spec, &err);
	if (st != CTL_OK)
		return run_fail(cli->cmd, subject, st, &err);
	return run_written(out_pool_installed(stdout, &pool, cli->json));
}

static int run_export(struct ctl_nl *nl, const struct cli *cli,
		      const char *subject)
{
	struct ctl_map *map = malloc(sizeof(*map));
	struct ctl_pool pool;
	struct ctl_err err;
	enum ctl_status st;
	int ret = EXIT_FAILED;

	if (!map) {
		fprintf(stderr, "dmpoolctl: out of memory\n");
		return EXIT_FAILED;
	}
	st = ctl_pool_get(nl, &cli->sel, &pool, map, &err);
	if (st != CTL_OK)
		ret = run_fail(cli->cmd, subject, st, &err);
	else if (!pool.has_extent_size)
		fprintf(stderr,
			"dmpoolctl: pool %s is not placed (it lives in this node's store only): nothing to export\n",
			subject);
	else if (pool.has_replicas && pool.replicas != 1)
		fprintf(stderr,
			"dmpoolctl: pool %s has %u replicas per extent; pool install takes 1\n",
			subject, pool.replicas);
	else if (!map->n)
		fprintf(stderr,
			"dmpoolctl: malformed reply from the module: placed pool without POOL_MAP\n");
	else
		ret = run_written(out_pool_export(stdout, &pool, map,
						  cli->json));
	free(map);
	return ret;
}

int run_remote(struct ctl_nl *nl, const struct cli *cli,
	       const struct ctl_version *ver)
{
	char subject[DMPOOL_POOL_NAME_MAX + 32];
	struct ctl_pool pool;
	struct ctl_err err;
	enum ctl_status st;

	(void)ver;
	pool_sel_str(&cli->sel, subject, sizeof(subject));
	switch (cli->cmd) {
	case CMD_MEM_EXPOSE:
		return run_mem_expose(nl, cli);
	case CMD_MEM_SHOW:
		return run_mem_show(nl, cli);
	case CMD_POOL_CREATE:
		return run_create_placed(nl, cli, subject);
	case CMD_POOL_INSTALL:
		return run_install(nl, cli, subject);
	case CMD_POOL_EXPORT:
		return run_export(nl, cli, subject);
	case CMD_POOL_STATS:
		st = ctl_pool_get(nl, &cli->sel, &pool, NULL, &err);
		if (st != CTL_OK)
			return run_fail(cli->cmd, subject, st, &err);
		return run_written(out_pool_stats(stdout, &pool, cli->json));
	default:
		return EXIT_USAGE;
	}
}
