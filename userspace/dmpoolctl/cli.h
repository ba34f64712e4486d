/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl command line: what the user asked for, parsed and validated.
 */
#ifndef DMPOOLCTL_CLI_H
#define DMPOOLCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/dmpool.h>

#include "policy.h"

enum cli_command {
	CMD_NONE,
	CMD_POOL_CREATE,
	CMD_POOL_LIST,
	CMD_POOL_SHOW,
	CMD_POOL_DESTROY,
	CMD_VERSION,
	CMD_NODE_SET,
	CMD_NODE_SHOW,
	CMD_KEY_SET,
	CMD_PEER_ADD,
	CMD_PEER_DEL,
	CMD_PEER_LIST,
	CMD_PEER_SHOW,
	CMD_MEM_EXPOSE,
	CMD_MEM_SHOW,
	CMD_POOL_EXPORT,
	CMD_POOL_INSTALL,
	CMD_POOL_STATS,
	CMD_FILE_CREATE,
	CMD_FILE_LIST,
	CMD_FILE_SHOW,
	CMD_FILE_DELETE,
	/* The data commands of files (fileio.c). */
	CMD_FILE_LOAD,
	CMD_FILE_DUMP,
	CMD_FILE_APPEND,
	CMD_FILE_UPDATE,
	/* The cluster commands (cluster.c, monitor.c, top.c, clusterinit.c). */
	CMD_CLUSTER_INIT,
	CMD_CLUSTER_SHOW,
	CMD_CLUSTER_CREATE,
	CMD_CLUSTER_DESTROY,
	CMD_CLUSTER_SET,
	CMD_NODE_COMMISSION,
	CMD_NODE_DECOMMISSION,
	CMD_CRAWL,
	CMD_STATUS,
	CMD_MONITOR,
	CMD_TOP,
	CMD_POOL_SET,		/* access policies (DMPOOL_FEAT_POLICY) */
	CMD_FILE_SET,
};

/* A node's transport address: IPv4 or IPv6 and a TCP port. */
struct node_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; 4 bytes for AF_INET */
	uint16_t port;		/* host byte order, nonzero */
};

/* Enough for any addr_format() result: "[v6 address]:65535". */
#define ADDR_FMT_MAX 56

/* A pool named on the command line: by ID (all digits) or by name. */
struct pool_sel {
	bool by_id;
	uint64_t id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
};

struct cli {
	enum cli_command cmd;
	bool json;		/* -j, --json */
	bool force;		/* pool destroy --force */
	struct pool_sel sel;	/* create, install (name only), show, ...,
				   and the pool of the file commands */
	uint64_t size;		/* create, install, mem expose: bytes */
	uint32_t node_id;	/* node set, peer add, peer del, peer show */
	struct node_addr addr;	/* node set, peer add */
	const char *key_file;	/* key set: a path, or "-" for stdin */
	bool cluster;		/* pool create --cluster: a placed pool */
	uint64_t extent_size;	/* create --cluster (0: default), install */
	size_t nnodes;		/* create --cluster --nodes: 0 for all */
	uint32_t nodes[DMPOOL_NODES_MAX];
	uint64_t pool_id;	/* install --id */
	size_t map_len;		/* install --map */
	uint32_t map[DMPOOL_MAP_ENTRIES_MAX];
	char file[DMPOOL_FILE_NAME_MAX + 1];	/* file create, show, delete */
	uint32_t permits;	/* file create --permits: 0 for the default */
	bool has_mode;		/* file create --mode given */
	uint32_t mode;		/* its permission bits, at most 0777 */
	/* file load, dump, append, update (fileio.c) */
	const char *local;	/* LOCALFILE; "-": stdin (stdout for dump) */
	uint64_t offset;	/* update OFFSET, dump --offset */
	bool has_length;	/* dump --length given */
	uint64_t length;	/* its bytes */
	int progress;		/* 1 --progress, -1 --no-progress, 0 a tty's */
	/* The cluster commands. */
	const char *cluster_name;	/* cluster init --name: NULL default */
	uint32_t token_ms;	/* cluster init --token: 0 for the default */
	const char *output;	/* cluster init -o: NULL default, "-" stdout */
	size_t ninit;		/* cluster init: the nodes given */
	uint32_t init_id[DMPOOL_NODES_MAX];
	const char *init_addr[DMPOOL_NODES_MAX];	/* into argv */
	uint32_t replicas;	/* cluster create --replicas: 0 default */
	bool has_ttl;		/* cluster create/set --ttl given */
	uint64_t ttl_ms;	/* its value; DMPOOL_TTL_FOREVER: forever */
	bool has_port;		/* node commission: a port given */
	char crawl[1024];	/* crawl: the targets, comma-separated */
	uint32_t count;		/* monitor --count: 0 until SIGINT */
	uint32_t interval_ms;	/* top --interval */
	uint32_t iterations;	/* top --iterations: 0 until SIGINT */
	struct ctl_policy policy;	/* pool create, pool set, file set */
};

enum cli_result {
	CLI_OK,		/* *cli is ready to run */
	CLI_HELP,	/* -h/--help: print cli_usage() to stdout, exit 0 */
	CLI_USAGE,	/* bad command line: print the message, exit 2 */
};

/*
 * Parse @argc/@argv (argv[0] is the program name).  Options may appear
 * anywhere before "--".  On CLI_USAGE, @err holds a one-line reason.
 * Pure: touches nothing but its arguments.
 */
enum cli_result cli_parse(int argc, char *const argv[], struct cli *cli,
			  char *err, size_t errlen);

/* @cli needs a module with DMPOOL_FEAT_REMOTE. */
bool cli_needs_remote(const struct cli *cli);

/* @cmd is a file command: it needs a module with DMPOOL_FEAT_FILES. */
bool cli_is_file_cmd(enum cli_command cmd);

/* @cmd is a cluster command (needs DMPOOL_FEAT_CLUSTER, but cluster init). */
bool cli_is_cluster_cmd(enum cli_command cmd);

/* The --help text. */
void cli_usage(FILE *out);

/*
 * Parse "ADDR[:PORT]": an IPv4 address, an IPv6 address alone or in
 * brackets ("[::1]:7470"); the port defaults to DMPOOL_PORT_DEFAULT.  No
 * host names.  @wildcard_ok: 0.0.0.0 and :: are allowed (a listen
 * address).  Returns CLI_OK or CLI_USAGE with a reason in @err.
 */
enum cli_result addr_parse(const char *arg, bool wildcard_ok,
			   struct node_addr *a, char *err, size_t len);

/* "10.0.0.1:7470" or "[fd00::1]:7470"; just the address if !with_port. */
const char *addr_format(const struct node_addr *a, bool with_port,
			char *buf, size_t len);

/* Describe @sel for messages: "foo" or "ID 7". */
const char *pool_sel_str(const struct pool_sel *sel, char *buf, size_t len);

#endif /* DMPOOLCTL_CLI_H */
