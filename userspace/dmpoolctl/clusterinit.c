// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl cluster init: write corosync.conf for the given nodes.
 *
 * Local only: no module and no daemon are needed, so it runs before
 * dmpool.ko is loaded.  The text comes from cc_render()
 * (userspace/common/corosync_conf.c, shared with dmpoold); it is written
 * to a temporary file beside the target, flushed to disk and then moved
 * into place in one step (atomicfile.c), so corosync never reads half a
 * file; without --force an existing file is never replaced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "corosync_conf.h"
#include "json.h"
#include "run.h"

#define COROSYNC_CONF "/etc/corosync/corosync.conf"
#define CLUSTER_NAME_DEFAULT "dmpool"

/* The nodes of the command line, for cc_render(). */
static struct cc_node *init_nodes(const struct cli *cli)
{
	struct cc_node *nodes = calloc(cli->ninit ? cli->ninit : 1,
				       sizeof(*nodes));
	size_t i;

	for (i = 0; nodes && i < cli->ninit; i++) {
		nodes[i].id = cli->init_id[i];
		snprintf(nodes[i].addr, sizeof(nodes[i].addr), "%s",
			 cli->init_addr[i]);
	}
	return nodes;
}

static int init_done(const struct cli *cli, const char *name,
		     const char *path)
{
	struct json_writer w;
	size_t i;

	if (!cli->json) {
		printf("wrote %s: cluster %s, %zu node%s\n", path, name,
		       cli->ninit, cli->ninit == 1 ? "" : "s");
		return run_written(fflush(stdout) == 0 ? 0 : -1);
	}
	json_begin(&w, stdout);
	json_object_begin(&w);
	json_kv_string(&w, "written", path);
	json_kv_string(&w, "cluster", name);
	json_key(&w, "nodes");
	json_array_begin(&w);
	for (i = 0; i < cli->ninit; i++) {
		json_object_begin(&w);
		json_kv_u64(&w, "id", cli->init_id[i]);
		json_kv_string(&w, "addr", cli->init_addr[i]);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_object_end(&w);
	return run_written(json_end(&w));
}

int run_cluster_init(const struct cli *cli)
{
	const char *name = cli->cluster_name ? cli->cluster_name :
			   CLUSTER_NAME_DEFAULT;
	const char *path = cli->output ? cli->output : COROSYNC_CONF;
	struct cc_node *nodes = init_nodes(cli);
	char why[512], *text;
	int ret;

	text = nodes ? cc_render(name, nodes, cli->ninit,
				 cli->token_ms ? cli->token_ms :
				 CC_TOKEN_DEFAULT_MS) : NULL;
	free(nodes);
	if (!text) {
		fprintf(stderr, "dmpoolctl: cannot render corosync.conf: %s\n",
			strerror(errno));
		return EXIT_FAILED;
	}
	if (!strcmp(path, "-")) {
		ret = fputs(text, stdout) < 0 || fflush(stdout) ? -1 : 0;
		free(text);
		return run_written(ret);
	}
	ret = conf_write_atomic(path, text, cli->force, why, sizeof(why));
	free(text);
	if (ret < 0) {
		fprintf(stderr, "dmpoolctl: %s\n", why);
		return EXIT_FAILED;
	}
	return init_done(cli, name, path);
}
