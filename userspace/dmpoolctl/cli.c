// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl argument parsing.
 *
 * The grammar is small and fixed:
 *
 *	dmpoolctl [-j] pool create NAME SIZE
 *	dmpoolctl [-j] pool list
 *	dmpoolctl [-j] pool show [--name] NAME|ID
 *	dmpoolctl [-j] pool destroy [--force] [--name] NAME|ID
 *	dmpoolctl [-j] version
 *	dmpoolctl [-j] node set ID ADDR[:PORT]
 *	dmpoolctl [-j] node show
 *	dmpoolctl [-j] key set (--file FILE | -)
 *	dmpoolctl [-j] peer add ID ADDR[:PORT]
 *	dmpoolctl [-j] peer del ID
 *	dmpoolctl [-j] peer list
 *	dmpoolctl [-j] peer show ID
 *	dmpoolctl [-j] mem expose SIZE
 *	dmpoolctl [-j] mem show
 *	dmpoolctl [-j] pool create NAME SIZE --cluster [--extent-size SIZE]
 *			[--nodes ID,ID...]
 *	dmpoolctl [-j] pool export [--name] NAME|ID
 *	dmpoolctl [-j] pool install NAME SIZE --id ID --extent-size SIZE
 *			--map LIST
 *	dmpoolctl [-j] pool stats [--name] NAME|ID
 *	dmpoolctl [-j] file create [--name] POOL NAME SIZE [--permits N]
 *			[--mode OCTAL]
 *	dmpoolctl [-j] file list [--name] POOL
 *	dmpoolctl [-j] file show [--name] POOL NAME
 *	dmpoolctl [-j] file delete [--name] POOL NAME
 *	dmpoolctl [-j] file load [--name] POOL NAME LOCALFILE|- [--mode OCTAL]
 *			[--permits N] [--progress|--no-progress]
 *	dmpoolctl [-j] file dump [--name] POOL NAME [LOCALFILE|-]
 *			[--offset N] [--length N] [--progress|--no-progress]
 *	dmpoolctl [-j] file append [--name] POOL NAME LOCALFILE|-
 *			[--progress|--no-progress]
 *	dmpoolctl [-j] file update [--name] POOL NAME OFFSET LOCALFILE|-
 *			[--progress|--no-progress]
 *	dmpoolctl [-j] pool set [--name] POOL POLICY...
 *	dmpoolctl [-j] file set [--name] POOL NAME POLICY...
 *
 * where POLICY is --owner USER, --group GROUP, --mode OCTAL, --grant
 * USER:RIGHTS (repeated) or --no-grants; pool create and cluster create
 * take all but --no-grants, cluster set takes them and --ttl (policy.c
 * parses them).
 *
 * so it is parsed by hand in two passes: options first (allowed anywhere,
 * as in `dmpoolctl pool list -j`; short ones may be grouped, "-jf"), then
 * the words.  Everything a user can get wrong is caught here, before any
 * netlink traffic, and turned into a one-line reason; the caller prints it
 * with a hint to --help and exits 2.  An argument of digits only names a
 * pool by ID; --name makes it a name (pool names may be all digits).
 * POOL of the file commands is such a NAME|ID.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../lib/dmpool.h"
#include "cli.h"
#include "duration.h"
#include "maplist.h"
#include "place.h"
#include "size.h"

/* Enough for cluster init with every node, or as many crawl targets. */
#define MAX_WORDS (DMPOOL_NODES_MAX + 8)

static enum cli_result usage_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cli_result usage_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

void cli_usage(FILE *out)
{
	fputs("Usage: dmpoolctl [-j] COMMAND\n"
	      "\n"
	      "Manage dmpool memory pools and their files, this node's identity and\n"
	      "its peers.\n"
	      "\n"
	      "Commands:\n"
	      "  pool create NAME SIZE          create a pool of SIZE bytes (4096, 64K, 64M, 2G, 1T)\n"
	      "  pool create NAME SIZE --cluster [--extent-size SIZE] [--nodes ID,ID...]\n"
	      "                                 create a pool placed on this node and its\n"
	      "                                 connected peers, in proportion to free memory\n"
	      "  pool install NAME SIZE --id ID --extent-size SIZE --map LIST\n"
	      "                                 install a placed pool made on another node\n"
	      "  pool export NAME|ID            print a placed pool's arguments for pool install\n"
	      "  pool list                      list all pools\n"
	      "  pool show NAME|ID              show every attribute of one pool\n"
	      "  pool stats NAME|ID             a pool's page counters and remote read latency\n"
	      "  pool destroy NAME|ID [--force] destroy a pool (--force: even while attached)\n"
	      "  mem expose SIZE                lend SIZE bytes of this node's RAM to pools\n"
	      "  mem show                       exposed, committed and free memory of every node\n"
	      "  version                        show dmpoolctl's and the module's versions\n"
	      "  node set ID ADDR[:PORT]        this node's ID (1-64) and transport listen address\n"
	      "  node show                      this node's ID, address and rejection counters\n"
	      "  key set --file FILE | -        set the cluster key (16-64 bytes) from FILE or stdin\n"
	      "  peer add ID ADDR[:PORT]        add a peer node and connect to it\n"
	      "  peer del ID                    delete a peer and close its connection\n"
	      "  peer list                      list peers: state, RTT, traffic, failures\n"
	      "  peer show ID                   one peer, with its page traffic and latency\n"
	      "  file create POOL NAME SIZE [--permits N] [--mode OCTAL]\n"
	      "                                 create a file of SIZE bytes in pool POOL\n"
	      "  file list POOL                 list the files of a pool\n"
	      "  file show POOL NAME            show one file\n"
	      "  file delete POOL NAME          delete a file that is open on no node\n"
	      "  file load POOL NAME LOCALFILE  copy a local file into a file of the pool (created\n"
	      "                                 if missing) and check it read back (SHA-256)\n"
	      "  file dump POOL NAME [LOCALFILE|-] [--offset N] [--length N]\n"
	      "                                 copy a file (or part) out of the pool\n"
	      "  file append POOL NAME LOCALFILE|-\n"
	      "                                 grow a file and write the data at its old end\n"
	      "  file update POOL NAME OFFSET LOCALFILE|-\n"
	      "                                 write the data into a file at OFFSET\n"
	      "\n"
	      "Cluster commands (dmpoold on every node):\n"
	      "  cluster init [--name NAME] [--token MS] [-o FILE] [--force] ID=ADDR...|ADDR...\n"
	      "                                 write corosync.conf for these nodes\n"
	      "  cluster show                   the cluster state this node's dmpoold reported\n"
	      "  cluster create POOL SIZE [--replicas N] [--ttl DURATION|forever] [POLICY...]\n"
	      "                                 create a pool on the cluster's free memory\n"
	      "  cluster destroy POOL [--force] dissolve a cluster pool on every node\n"
	      "  cluster set POOL [--ttl DURATION|forever] [POLICY...]\n"
	      "                                 change a cluster pool's TTL or policy everywhere\n"
	      "  node commission ADDR [--id N] [--port P]\n"
	      "                                 add the node at ADDR (running dmpoold)\n"
	      "  node decommission ID           take a node out of the cluster\n"
	      "  crawl TARGET...                look for dmpoold on addresses and CIDRs (/16+)\n"
	      "  status                         nodes, memory and pools of the cluster\n"
	      "  monitor [--count N]            print this node's events until Ctrl-C\n"
	      "  top [--interval S] [--iterations N]\n"
	      "                                 live fault and traffic rates per pool and peer\n"
	      "  pool set POOL POLICY...        change a pool's owner, group, mode or grants\n"
	      "  file set POOL NAME POLICY...   change a file's owner, group, mode or grants\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json    print JSON on stdout\n"
	      "  -f, --force   pool destroy: detach applications and destroy anyway\n"
	      "      --name    take NAME|ID as a name even if it is all digits\n"
	      "      --file F  key set: read the key bytes from file F\n"
	      "      --cluster          pool create: place the pool on the cluster's nodes\n"
	      "      --extent-size SIZE placed pools: bytes per extent, a power of two, 64K-1G\n"
	      "      --nodes ID,ID...   pool create --cluster: only these nodes\n"
	      "      --id ID            pool install: the pool's ID (from pool export)\n"
	      "      --map LIST         pool install: each extent's node, e.g. 1,2,3,1*4\n"
	      "      --permits N        file create: semaphore permits, 1-64 (default 1)\n"
	      "      --mode OCTAL       file create: permission bits, 0-0777 (default 0644)\n"
	      "      --offset N         file dump: start N bytes into the file\n"
	      "      --length N         file dump: at most N bytes\n"
	      "      --progress         file load, dump, append, update: show a progress bar\n"
	      "                         on stderr (default: when stderr is a terminal)\n"
	      "      --no-progress      never show it\n"
	      "      --name NAME        cluster init: the cluster's name (default dmpool)\n"
	      "      --token MS         cluster init: corosync's token timeout\n"
	      "  -o, --output FILE      cluster init: where to write (default\n"
	      "                         /etc/corosync/corosync.conf; - for stdout)\n"
	      "      --replicas N       cluster create: homes per extent, 1-4 (default 1)\n"
	      "      --ttl DURATION     cluster create, set: keep an idle pool this long\n"
	      "                         (30s, 10m, 2h, 7d or forever)\n"
	      "      --port P           node commission: the node's transport port\n"
	      "      --count N          monitor: stop after N events\n"
	      "      --interval S       top: seconds between samples (default 1)\n"
	      "      --iterations N     top: stop after N samples\n"
	      "      --owner USER       pool/cluster create, pool/file/cluster set: the owner\n"
	      "                         (name or ID)\n"
	      "      --group GROUP      pool/cluster create, pool/file/cluster set: the group\n"
	      "      --mode OCTAL       pool/cluster create, pool/file/cluster set: rw bits of\n"
	      "                         owner, group, others (pools default to root:root 0666)\n"
	      "      --grant USER:RIGHTS  pool/cluster create, pool/file/cluster set: give\n"
	      "                         USER rights r (read), w (write), a (admin); repeat,\n"
	      "                         at most 8\n"
	      "      --no-grants        pool/file/cluster set: remove all grants (--grant\n"
	      "                         alone replaces them too)\n"
	      "  -h, --help    print this help\n"
	      "\n"
	      "Names are 1-63 characters of A-Z a-z 0-9 . _ - not starting with . or -.\n"
	      "POOL is a pool's name or ID.  File names are 1-255 bytes without '/',\n"
	      "not . or ..\n"
	      "Sizes are bytes with an optional binary unit K, M, G, T (1K = 1024).\n"
	      "Addresses are IPv4 (10.0.0.1:7470) or IPv6 ([fd00::1]:7470); the port\n"
	      "defaults to 7470.  The key is never taken from the command line.\n"
	      "Exit status: 0 success, 1 the operation failed, 2 usage error.\n"
	      "See dmpoolctl(8).\n", out);
}

const char *pool_sel_str(const struct pool_sel *sel, char *buf, size_t len)
{
	if (sel->by_id)
		snprintf(buf, len, "ID %llu", (unsigned long long)sel->id);
	else
		snprintf(buf, len, "%s", sel->name);
	return buf;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

static enum cli_result parse_name(const char *arg, struct pool_sel *sel,
				  char *err, size_t len)
{
	if (!dmp_name_valid(arg))
		return usage_err(err, len,
				 "invalid pool name '%s': use 1-%d characters of A-Z a-z 0-9 . _ - not starting with . or -",
				 arg, DMPOOL_POOL_NAME_MAX);
	sel->by_id = false;
	snprintf(sel->name, sizeof(sel->name), "%s", arg);
	return CLI_OK;
}

static enum cli_result parse_sel(const char *arg, bool force_name,
				 struct pool_sel *sel, char *err, size_t len)
{
	uint64_t id = 0;
	const char *p;

	if (force_name || !all_digits(arg))
		return parse_name(arg, sel, err, len);
	for (p = arg; *p; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (id > (UINT64_MAX - d) / 10)
			return usage_err(err, len, "pool ID '%s' is too large", arg);
		id = id * 10 + d;
	}
	if (id == 0)
		return usage_err(err, len, "pool ID 0 does not exist (IDs start at 1)");
	sel->by_id = true;
	sel->id = id;
	return CLI_OK;
}

static enum cli_result parse_size(const char *arg, uint64_t *size, char *err,
				  size_t len)
{
	enum size_error e = size_parse(arg, size);
	char max[SIZE_FMT_MAX];

	if (e != SIZE_OK)
		return usage_err(err, len, "invalid size '%s': %s", arg,
				 size_error_str(e));
	if (*size > DMPOOL_POOL_SIZE_MAX)
		return usage_err(err, len,
				 "invalid size '%s': larger than the largest pool (%s)",
				 arg, size_format(DMPOOL_POOL_SIZE_MAX, max, sizeof(max)));
	return CLI_OK;
}

/* A decimal number from 1 to @max, with no more digits than @max has. */
static enum cli_result parse_count(const char *arg, uint32_t max,
				   const char *what, uint32_t *out, char *err,
				   size_t len)
{
	int digits = snprintf(NULL, 0, "%u", max);
	unsigned long v = 0;

	if (all_digits(arg) && strlen(arg) <= (size_t)digits)
		v = strtoul(arg, NULL, 10);
	if (v < 1 || v > max)
		return usage_err(err, len, "invalid %s '%s': use 1-%u", what, arg,
				 max);
	*out = (uint32_t)v;
	return CLI_OK;
}

static enum cli_result parse_node_id(const char *arg, uint32_t *id, char *err,
				     size_t len)
{
	return parse_count(arg, DMPOOL_NODES_MAX, "node ID", id, err, len);
}

static bool all_zero(const uint8_t *b, size_t n)
{
	while (n--)
		if (*b++)
			return false;
	return true;
}

enum cli_result addr_parse(const char *arg, bool wildcard_ok,
			   struct node_addr *a, char *err, size_t len)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port = NULL, *end;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	if (arg[0] == '[') {
		/* [v6]:port or [v6] */
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':'))
			goto bad;
		hlen = (size_t)(end - arg - 1);
		if (hlen >= sizeof(host))
			goto bad;
		memcpy(host, arg + 1, hlen);
		host[hlen] = '\0';
		if (end[1] == ':')
			port = end + 2;
		if (inet_pton(AF_INET6, host, a->addr) != 1)
			goto bad;
		a->family = AF_INET6;
	} else if (strchr(arg, ':') && strchr(arg, ':') != strrchr(arg, ':')) {
		/* bare v6, no port */
		if (inet_pton(AF_INET6, arg, a->addr) != 1)
			goto bad;
		a->family = AF_INET6;
	} else {
		end = strchr(arg, ':');
		hlen = end ? (size_t)(end - arg) : strlen(arg);
		if (hlen >= sizeof(host))
			goto bad;
		memcpy(host, arg, hlen);
		host[hlen] = '\0';
		if (end)
			port = end + 1;
		if (inet_pton(AF_INET, host, a->addr) != 1)
			goto bad;
		a->family = AF_INET;
	}

	a->port = DMPOOL_PORT_DEFAULT;
	if (port) {
		unsigned long v = 0;

		if (all_digits(port) && strlen(port) <= 5)
			v = strtoul(port, NULL, 10);
		if (v < 1 || v > 65535)
			return usage_err(err, len,
					 "invalid port in '%s': use 1-65535", arg);
		a->port = (uint16_t)v;
	}
	if (!wildcard_ok &&
	    all_zero(a->addr, a->family == AF_INET ? 4 : 16))
		return usage_err(err, len,
				 "invalid address '%s': a peer needs a real address, not the wildcard",
				 arg);
	return CLI_OK;

bad:
	return usage_err(err, len,
			 "invalid address '%s': use IPv4[:PORT], IPv6 or [IPv6]:PORT",
			 arg);
}

const char *addr_format(const struct node_addr *a, bool with_port,
			char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (!with_port)
		snprintf(buf, len, "%s", host);
	else if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, a->port);
	else
		snprintf(buf, len, "%s:%u", host, a->port);
	return buf;
}

/* Options, wherever they are; other arguments are collected in @words. */
struct opts {
	bool json, force, name, help, cluster;
	const char *file, *extent, *nodes, *id, *map, *permits, *mode;
	/* The cluster commands: --name NAME is cluster init's (cname). */
	const char *cname, *token, *output, *replicas, *ttl, *port, *count,
		   *interval, *iterations;
	/* Access policies: --owner, --group, --grant (repeated), --no-grants */
	const char *owner, *group;
	const char *grants[DMPOOL_GRANTS_MAX + 1];
	int ngrants;
	bool no_grants;
	const char *words[MAX_WORDS];
	int nwords;
	/* file load, dump, append, update */
	const char *offset, *length;
	bool progress, no_progress;
};

/* The cluster commands' options that take a value. */
static const char **cluster_value_opt(struct opts *o, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} opts[] = {
		{ "token", offsetof(struct opts, token) },
		{ "output", offsetof(struct opts, output) },
		{ "replicas", offsetof(struct opts, replicas) },
		{ "ttl", offsetof(struct opts, ttl) },
		{ "port", offsetof(struct opts, port) },
		{ "count", offsetof(struct opts, count) },
		{ "interval", offsetof(struct opts, interval) },
		{ "iterations", offsetof(struct opts, iterations) },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(name, opts[i].name))
			return (const char **)((char *)o + opts[i].off);
	return NULL;
}

/* "--name" after the word "cluster" is cluster init's --name NAME. */
static bool cluster_name_opt(const struct opts *o)
{
	return o->nwords > 0 && !strcmp(o->words[0], "cluster");
}

/* The options that take a value: "--opt VALUE" or "--opt=VALUE". */
static const char **value_opt(struct opts *o, const char *name)
{
	if (!strcmp(name, "file"))
		return &o->file;
	if (!strcmp(name, "extent-size"))
		return &o->extent;
	if (!strcmp(name, "nodes"))
		return &o->nodes;
	if (!strcmp(name, "id"))
		return &o->id;
	if (!strcmp(name, "map"))
		return &o->map;
	if (!strcmp(name, "permits"))
		return &o->permits;
	if (!strcmp(name, "mode"))
		return &o->mode;
	if (!strcmp(name, "offset"))
		return &o->offset;
	if (!strcmp(name, "length"))
		return &o->length;
	if (!strcmp(name, "owner"))
		return &o->owner;
	if (!strcmp(name, "group"))
		return &o->group;
	return cluster_value_opt(o, name);
}

static enum cli_result parse_short(const char *arg, struct opts *o,
				   char *err, size_t len)
{
	const char *c;

	for (c = arg + 1; *c; c++) {
		switch (*c) {
		case 'j':
			o->json = true;
			break;
		case 'f':
			o->force = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return usage_err(err, len, "unknown option '-%c'", *c);
		}
	}
	return CLI_OK;
}

static enum cli_result collect(int argc, char *const argv[], struct opts *o,
			       char *err, size_t len)
{
	bool only_words = false;
	enum cli_result r;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		/* "-" alone and "-1" are words: a negative size is a size error. */
		if (only_words || a[0] != '-' || a[1] == '\0' ||
		    (a[1] >= '0' && a[1] <= '9')) {
			if (o->nwords == MAX_WORDS)
				return usage_err(err, len, "too many arguments");
			o->words[o->nwords++] = a;
		} else if (!strcmp(a, "--")) {
			only_words = true;
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--force")) {
			o->force = true;
		} else if (!strcmp(a, "--name") && cluster_name_opt(o)) {
			if (i + 1 == argc)
				return usage_err(err, len, "--name needs a value");
			o->cname = argv[++i];
		} else if (!strncmp(a, "--name=", 7)) {
			o->cname = a + 7;
		} else if (!strcmp(a, "-o")) {
			if (i + 1 == argc)
				return usage_err(err, len, "-o needs a file name");
			o->output = argv[++i];
		} else if (!strcmp(a, "--name")) {
			o->name = true;
		} else if (!strcmp(a, "--help")) {
			o->help = true;
		} else if (!strcmp(a, "--cluster")) {
			o->cluster = true;
		} else if (!strcmp(a, "--progress")) {
			o->progress = true;
		} else if (!strcmp(a, "--no-progress")) {
			o->no_progress = true;
		} else if (!strcmp(a, "--no-grants")) {
			o->no_grants = true;
		} else if (!strcmp(a, "--grant") || !strncmp(a, "--grant=", 8)) {
			/* Repeated: each one is a grant. */
			if (!a[7] && i + 1 == argc)
				return usage_err(err, len, "--grant needs a value");
			if (o->ngrants > DMPOOL_GRANTS_MAX)
				return usage_err(err, len,
						 "too many grants: at most %d",
						 DMPOOL_GRANTS_MAX);
			o->grants[o->ngrants++] = a[7] ? a + 8 : argv[++i];
		} else if (a[1] == '-' && value_opt(o, a + 2)) {
			if (i + 1 == argc && !strcmp(a, "--file"))
				return usage_err(err, len, "--file needs a file name");
			if (i + 1 == argc)
				return usage_err(err, len, "%s needs a value", a);
			*value_opt(o, a + 2) = argv[++i];
		} else if (a[1] == '-' && strchr(a, '=')) {
			char name[16];
			size_t n = (size_t)(strchr(a, '=') - a - 2);
			const char **v = NULL;

			if (n < sizeof(name)) {
				memcpy(name, a + 2, n);
				name[n] = '\0';
				v = value_opt(o, name);
			}
			if (!v)
				return usage_err(err, len, "unknown option '%s'", a);
			*v = strchr(a, '=') + 1;
		} else if (a[1] == '-') {
			return usage_err(err, len, "unknown option '%s'", a);
		} else {
			r = parse_short(a, o, err, len);
			if (r != CLI_OK)
				return r;
		}
	}
	return CLI_OK;
}

static enum cli_result want_args(const struct opts *o, int n, const char *form,
				 char *err, size_t len)
{
	if (o->nwords < n)
		return usage_err(err, len, "missing argument: dmpoolctl %s", form);
	if (o->nwords > n)
		return usage_err(err, len, "unexpected argument '%s': dmpoolctl %s",
				 o->words[n], form);
	return CLI_OK;
}

/* An extent size: a power of two in DMPOOL_EXTENT_SIZE_MIN..MAX. */
static enum cli_result parse_extent(const char *arg, uint64_t *extent,
				    char *err, size_t len)
{
	enum size_error e = size_parse(arg, extent);
	char lim[SIZE_FMT_MAX];

	if (e != SIZE_OK)
		return usage_err(err, len, "invalid extent size '%s': %s", arg,
				 size_error_str(e));
	if (*extent < DMPOOL_EXTENT_SIZE_MIN)
		return usage_err(err, len,
				 "invalid extent size '%s': less than %s", arg,
				 size_format(DMPOOL_EXTENT_SIZE_MIN, lim, sizeof(lim)));
	if (*extent > DMPOOL_EXTENT_SIZE_MAX)
		return usage_err(err, len,
				 "invalid extent size '%s': more than %s", arg,
				 size_format(DMPOOL_EXTENT_SIZE_MAX, lim, sizeof(lim)));
	if (!place_extent_valid(*extent))
		return usage_err(err, len,
				 "invalid extent size '%s': not a power of two", arg);
	return CLI_OK;
}

/* A pool of @size bytes in extents of @extent bytes needs too many. */
static enum cli_result check_extents(uint64_t size, uint64_t extent,
				     char *err, size_t len)
{
	char a[SIZE_FMT_MAX], b[SIZE_FMT_MAX];
	uint64_t n = place_extents(size, extent);

	if (n <= DMPOOL_MAP_ENTRIES_MAX)
		return CLI_OK;
	return usage_err(err, len,
			 "extent size %s is too small for %s: %llu extents, at most %d",
			 size_format(extent, a, sizeof(a)),
			 size_format(size, b, sizeof(b)),
			 (unsigned long long)n, DMPOOL_MAP_ENTRIES_MAX);
}

/* pool create NAME SIZE [--cluster [--extent-size SIZE] [--nodes LIST]] */
static enum cli_result parse_create(const struct opts *o, struct cli *cli,
				    char *err, size_t len)
{
	enum cli_result r;
	char why[160];

	cli->cmd = CMD_POOL_CREATE;
	r = want_args(o, 4, o->cluster ?
		      "pool create NAME SIZE --cluster [--extent-size SIZE] [--nodes ID,ID...]" :
		      "pool create NAME SIZE", err, len);
	if (r == CLI_OK)
		r = parse_name(o->words[2], &cli->sel, err, len);
	if (r == CLI_OK)
		r = parse_size(o->words[3], &cli->size, err, len);
	if (r != CLI_OK)
		return r;
	if (!o->cluster) {
		if (o->extent)
			return usage_err(err, len,
					 "--extent-size only applies with --cluster (or to pool install)");
		if (o->nodes)
			return usage_err(err, len,
					 "--nodes only applies with --cluster");
		return CLI_OK;
	}
	cli->cluster = true;
	if (o->extent) {
		r = parse_extent(o->extent, &cli->extent_size, err, len);
		if (r == CLI_OK)
			r = check_extents(cli->size, cli->extent_size, err, len);
		if (r != CLI_OK)
			return r;
	}
	if (o->nodes &&
	    nodelist_parse(o->nodes, cli->nodes, DMPOOL_NODES_MAX, &cli->nnodes,
			   why, sizeof(why)) < 0)
		return usage_err(err, len, "invalid --nodes '%s': %s", o->nodes,
				 why);
	return CLI_OK;
}

/* A pool ID on its own (--id): digits, nonzero. */
static enum cli_result parse_pool_id(const char *arg, uint64_t *id,
				     char *err, size_t len)
{
	struct pool_sel sel;

	if (!all_digits(arg))
		return usage_err(err, len, "invalid pool ID '%s': use digits", arg);
	if (parse_sel(arg, false, &sel, err, len) != CLI_OK)
		return CLI_USAGE;
	*id = sel.id;
	return CLI_OK;
}

/* pool install NAME SIZE --id ID --extent-size SIZE --map LIST */
static enum cli_result parse_install(const struct opts *o, struct cli *cli,
				     char *err, size_t len)
{
	static const char form[] =
		"pool install NAME SIZE --id ID --extent-size SIZE --map LIST";
	enum cli_result r;
	char why[160];

	cli->cmd = CMD_POOL_INSTALL;
	r = want_args(o, 4, form, err, len);
	if (r != CLI_OK)
		return r;
	if (!o->id || !o->extent || !o->map)
		return usage_err(err, len, "missing %s: dmpoolctl %s",
				 !o->id ? "--id" : !o->extent ? "--extent-size" :
				 "--map", form);
	r = parse_name(o->words[2], &cli->sel, err, len);
	if (r == CLI_OK)
		r = parse_size(o->words[3], &cli->size, err, len);
	if (r == CLI_OK)
		r = parse_pool_id(o->id, &cli->pool_id, err, len);
	if (r == CLI_OK)
		r = parse_extent(o->extent, &cli->extent_size, err, len);
	if (r != CLI_OK)
		return r;
	/* The map's length for the size is the module's to check. */
	if (maplist_parse(o->map, cli->map, DMPOOL_MAP_ENTRIES_MAX,
			  &cli->map_len, why, sizeof(why)) < 0)
		return usage_err(err, len, "invalid --map: %s", why);
	return CLI_OK;
}

static enum cli_result parse_policy_opts(const struct opts *o, struct cli *cli,
					 bool set, bool need_one, char *err,
					 size_t len);

static enum cli_result parse_pool(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len,
				 "missing pool command: create, install, export, list, show, stats or destroy");
	if (!strcmp(sub, "create"))
		return parse_create(o, cli, err, len);
	if (!strcmp(sub, "install"))
		return parse_install(o, cli, err, len);
	if (!strcmp(sub, "export") || !strcmp(sub, "stats")) {
		bool exp = !strcmp(sub, "export");

		cli->cmd = exp ? CMD_POOL_EXPORT : CMD_POOL_STATS;
		r = want_args(o, 3, exp ? "pool export NAME|ID" :
			      "pool stats NAME|ID", err, len);
		if (r == CLI_OK)
			r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
		return r;
	}
	if (!strcmp(sub, "list")) {
		cli->cmd = CMD_POOL_LIST;
		return want_args(o, 2, "pool list", err, len);
	}
	if (!strcmp(sub, "show")) {
		cli->cmd = CMD_POOL_SHOW;
		r = want_args(o, 3, "pool show NAME|ID", err, len);
		if (r == CLI_OK)
			r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
		return r;
	}
	if (!strcmp(sub, "set")) {
		cli->cmd = CMD_POOL_SET;
		r = want_args(o, 3, "pool set POOL [--owner USER] [--group GROUP] [--mode OCTAL] [--grant USER:RIGHTS]... [--no-grants]",
			      err, len);
		if (r == CLI_OK)
			r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
		if (r == CLI_OK)
			r = parse_policy_opts(o, cli, true, true, err, len);
		return r;
	}
	if (!strcmp(sub, "destroy")) {
		cli->cmd = CMD_POOL_DESTROY;
		r = want_args(o, 3, "pool destroy NAME|ID [--force]", err, len);
		if (r == CLI_OK)
			r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
		return r;
	}
	return usage_err(err, len,
			 "unknown pool command '%s': use create, install, export, list, show, stats or destroy",
			 sub);
}

/* A file name, as the kernel takes it: 1-255 bytes, no '/', not . or .. */
static enum cli_result parse_file_name(const char *arg, struct cli *cli,
				       char *err, size_t len)
{
	if (strlen(arg) > DMPOOL_FILE_NAME_MAX)
		return usage_err(err, len,
				 "invalid file name: %zu bytes, at most %d",
				 strlen(arg), DMPOOL_FILE_NAME_MAX);
	if (!dmp_file_name_valid(arg))
		return usage_err(err, len,
				 "invalid file name '%s': use 1-%d bytes without '/', not . or ..",
				 arg, DMPOOL_FILE_NAME_MAX);
	snprintf(cli->file, sizeof(cli->file), "%s", arg);
	return CLI_OK;
}

/* --mode: octal permission bits, 0 to 0777. */
static enum cli_result parse_mode(const char *arg, uint32_t *mode, char *err,
				  size_t len)
{
	const char *p;
	uint32_t v = 0;

	for (p = arg; *p >= '0' && *p <= '7' && v <= 0777; p++)
		v = v * 8 + (uint32_t)(*p - '0');
	if (!*arg || *p || v > 0777)
		return usage_err(err, len,
				 "invalid --mode '%s': use octal permission bits, 0 to 0777",
				 arg);
	*mode = v;
	return CLI_OK;
}

/* The options of file create: --permits N, --mode OCTAL. */
static enum cli_result parse_file_opts(const struct opts *o, struct cli *cli,
				       char *err, size_t len)
{
	enum cli_result r = CLI_OK;

	if (o->permits)
		r = parse_count(o->permits, DMPOOL_PERMITS_MAX, "--permits",
				&cli->permits, err, len);
	if (r == CLI_OK && o->mode) {
		cli->has_mode = true;
		r = parse_mode(o->mode, &cli->mode, err, len);
	}
	return r;
}

/* An offset or a length: 0 or a size, at most DMPOOL_POOL_SIZE_MAX. */
static enum cli_result parse_offset(const char *what, const char *arg,
				    uint64_t *v, char *err, size_t len)
{
	enum size_error e = size_parse(arg, v);

	if (e == SIZE_ZERO) {
		*v = 0;
		return CLI_OK;
	}
	if (e != SIZE_OK)
		return usage_err(err, len, "invalid %s '%s': %s", what, arg,
				 size_error_str(e));
	if (*v > DMPOOL_POOL_SIZE_MAX)
		return usage_err(err, len,
				 "invalid %s '%s': larger than the largest pool",
				 what, arg);
	return CLI_OK;
}

/*
 * file load|dump|append|update POOL NAME [OFFSET] LOCALFILE: dump's
 * LOCALFILE is optional ("-", stdout, by default).
 */
static enum cli_result parse_file_io(const struct opts *o, const char *sub,
				     struct cli *cli, char *err, size_t len)
{
	static const struct {
		const char *sub;
		enum cli_command cmd;
		int min, max;
		const char *form;
	} forms[] = {
		{ "load", CMD_FILE_LOAD, 5, 5,
		  "file load POOL NAME LOCALFILE [--mode OCTAL] [--permits N]" },
		{ "dump", CMD_FILE_DUMP, 4, 5,
		  "file dump POOL NAME [LOCALFILE|-] [--offset N] [--length N]" },
		{ "append", CMD_FILE_APPEND, 5, 5,
		  "file append POOL NAME LOCALFILE|-" },
		{ "update", CMD_FILE_UPDATE, 6, 6,
		  "file update POOL NAME OFFSET LOCALFILE|-" },
	};
	enum cli_result r;
	size_t i;
	int n;

	for (i = 0; strcmp(sub, forms[i].sub); i++)
		;
	cli->cmd = forms[i].cmd;
	n = o->nwords < forms[i].min ? forms[i].min :
	    o->nwords > forms[i].max ? forms[i].max : o->nwords;
	r = want_args(o, n, forms[i].form, err, len);
	if (r == CLI_OK)
		r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
	if (r == CLI_OK)
		r = parse_file_name(o->words[3], cli, err, len);
	if (r == CLI_OK && cli->cmd == CMD_FILE_UPDATE)
		r = parse_offset("offset", o->words[4], &cli->offset, err, len);
	if (r != CLI_OK)
		return r;
	cli->local = n > 4 ? o->words[n - 1] : "-";
	if (!cli->local[0])
		return usage_err(err, len, "the local file name is empty");
	if (cli->cmd == CMD_FILE_LOAD)
		r = parse_file_opts(o, cli, err, len);
	if (r == CLI_OK && o->offset)
		r = parse_offset("--offset", o->offset, &cli->offset, err, len);
	if (r == CLI_OK && o->length) {
		cli->has_length = true;
		r = parse_offset("--length", o->length, &cli->length, err, len);
	}
	if (r != CLI_OK)
		return r;
	if (o->progress && o->no_progress)
		return usage_err(err, len,
				 "--progress and --no-progress exclude each other");
	cli->progress = o->progress ? 1 : o->no_progress ? -1 : 0;
	if (o->json && cli->cmd == CMD_FILE_DUMP && !strcmp(cli->local, "-"))
		return usage_err(err, len,
				 "-j needs a LOCALFILE: file dump writes the data itself to stdout");
	return CLI_OK;
}

/* The file commands: POOL first, then the file's NAME (but for list). */
static enum cli_result parse_file(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	static const struct {
		const char *sub;
		enum cli_command cmd;
		int nwords;
		const char *form;
	} forms[] = {
		{ "create", CMD_FILE_CREATE, 5,
		  "file create POOL NAME SIZE [--permits N] [--mode OCTAL]" },
		{ "list", CMD_FILE_LIST, 3, "file list POOL" },
		{ "show", CMD_FILE_SHOW, 4, "file show POOL NAME" },
		{ "delete", CMD_FILE_DELETE, 4, "file delete POOL NAME" },
		{ "set", CMD_FILE_SET, 4,
		  "file set POOL NAME [--owner USER] [--group GROUP] [--mode OCTAL] [--grant USER:RIGHTS]... [--no-grants]" },
	};
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;
	size_t i;

	if (!sub)
		return usage_err(err, len,
				 "missing file command: create, list, show, delete, load, dump, append or update");
	if (!strcmp(sub, "load") || !strcmp(sub, "dump") ||
	    !strcmp(sub, "append") || !strcmp(sub, "update"))
		return parse_file_io(o, sub, cli, err, len);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strcmp(sub, forms[i].sub))
			break;
	if (i == sizeof(forms) / sizeof(forms[0]))
		return usage_err(err, len,
				 "unknown file command '%s': use create, list, show, delete, load, dump, append or update",
				 sub);
	cli->cmd = forms[i].cmd;
	r = want_args(o, forms[i].nwords, forms[i].form, err, len);
	if (r == CLI_OK)
		r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
	if (r == CLI_OK && cli->cmd != CMD_FILE_LIST)
		r = parse_file_name(o->words[3], cli, err, len);
	if (r == CLI_OK && cli->cmd == CMD_FILE_CREATE)
		r = parse_size(o->words[4], &cli->size, err, len);
	if (r == CLI_OK && cli->cmd == CMD_FILE_CREATE)
		r = parse_file_opts(o, cli, err, len);
	if (r == CLI_OK && cli->cmd == CMD_FILE_SET)
		r = parse_policy_opts(o, cli, true, true, err, len);
	return r;
}

/*
 * The policy options into cli->policy: for pool create and cluster create
 * (@set false) any but --no-grants, for the set commands (@set) any; at
 * least one if @need_one.
 */
static enum cli_result parse_policy_opts(const struct opts *o, struct cli *cli,
					 bool set, bool need_one, char *err,
					 size_t len)
{
	struct ctl_policy *p = &cli->policy;
	enum cli_result r;
	int i;

	if (o->owner) {
		if (policy_parse_user(o->owner, &p->uid, err, len) < 0)
			return CLI_USAGE;
		p->has_uid = true;
	}
	if (o->group) {
		if (policy_parse_group(o->group, &p->gid, err, len) < 0)
			return CLI_USAGE;
		p->has_gid = true;
	}
	if (o->mode) {
		r = parse_mode(o->mode, &p->mode, err, len);
		if (r != CLI_OK)
			return r;
		p->has_mode = true;
	}
	if (o->no_grants && !set)
		return usage_err(err, len,
				 "--no-grants only applies to pool set, file set and cluster set");
	/* --no-grants: send GRANTS even if empty; --grant adds to it. */
	p->has_grants = o->no_grants;
	for (i = 0; i < o->ngrants; i++)
		if (policy_add_grant(p, o->grants[i], err, len) < 0)
			return CLI_USAGE;
	if (need_one && !policy_given(p))
		return usage_err(err, len,
				 "nothing to set: give --owner, --group, --mode, --grant or --no-grants");
	return CLI_OK;
}

/* The commands whose pool argument --name applies to. */
static bool takes_pool_sel(const struct cli *cli)
{
	return cli->cmd == CMD_POOL_SHOW || cli->cmd == CMD_POOL_DESTROY ||
	       cli->cmd == CMD_POOL_SET ||
	       cli->cmd == CMD_POOL_EXPORT || cli->cmd == CMD_POOL_STATS ||
	       cli_is_file_cmd(cli->cmd);
}

/* node commission and decommission, with the cluster commands below. */
static enum cli_result parse_commission(const struct opts *o, struct cli *cli,
					char *err, size_t len);

static enum cli_result parse_node(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len,
				 "missing node command: set, show, commission or decommission");
	if (!strcmp(sub, "set")) {
		cli->cmd = CMD_NODE_SET;
		r = want_args(o, 4, "node set ID ADDR[:PORT]", err, len);
		if (r == CLI_OK)
			r = parse_node_id(o->words[2], &cli->node_id, err, len);
		if (r == CLI_OK)
			r = addr_parse(o->words[3], true, &cli->addr, err, len);
		return r;
	}
	if (!strcmp(sub, "show")) {
		cli->cmd = CMD_NODE_SHOW;
		return want_args(o, 2, "node show", err, len);
	}
	if (!strcmp(sub, "commission") || !strcmp(sub, "decommission"))
		return parse_commission(o, cli, err, len);
	return usage_err(err, len,
			 "unknown node command '%s': use set, show, commission or decommission",
			 sub);
}

static enum cli_result parse_key(const struct opts *o, struct cli *cli,
				 char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;

	if (!sub)
		return usage_err(err, len, "missing key command: set");
	if (strcmp(sub, "set"))
		return usage_err(err, len, "unknown key command '%s': use set",
				 sub);
	cli->cmd = CMD_KEY_SET;
	if (o->file && o->nwords == 2) {
		if (!o->file[0])
			return usage_err(err, len, "--file needs a file name");
		cli->key_file = o->file;
		return CLI_OK;
	}
	if (!o->file && o->nwords == 3 && !strcmp(o->words[2], "-")) {
		cli->key_file = "-";
		return CLI_OK;
	}
	if (o->nwords > 2 && strcmp(o->words[2], "-"))
		return usage_err(err, len,
				 "the key is never taken from the command line: dmpoolctl key set (--file FILE | -)");
	return usage_err(err, len, "dmpoolctl key set (--file FILE | -)");
}

static enum cli_result parse_peer(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len,
				 "missing peer command: add, del, list or show");
	if (!strcmp(sub, "add")) {
		cli->cmd = CMD_PEER_ADD;
		r = want_args(o, 4, "peer add ID ADDR[:PORT]", err, len);
		if (r == CLI_OK)
			r = parse_node_id(o->words[2], &cli->node_id, err, len);
		if (r == CLI_OK)
			r = addr_parse(o->words[3], false, &cli->addr, err, len);
		return r;
	}
	if (!strcmp(sub, "del")) {
		cli->cmd = CMD_PEER_DEL;
		r = want_args(o, 3, "peer del ID", err, len);
		if (r == CLI_OK)
			r = parse_node_id(o->words[2], &cli->node_id, err, len);
		return r;
	}
	if (!strcmp(sub, "list")) {
		cli->cmd = CMD_PEER_LIST;
		return want_args(o, 2, "peer list", err, len);
	}
	if (!strcmp(sub, "show")) {
		cli->cmd = CMD_PEER_SHOW;
		r = want_args(o, 3, "peer show ID", err, len);
		if (r == CLI_OK)
			r = parse_node_id(o->words[2], &cli->node_id, err, len);
		return r;
	}
	return usage_err(err, len,
			 "unknown peer command '%s': use add, del, list or show",
			 sub);
}

/* mem expose SIZE ("0" lends nothing), mem show */
static enum cli_result parse_mem(const struct opts *o, struct cli *cli,
				 char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum size_error e;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len, "missing mem command: expose or show");
	if (!strcmp(sub, "show")) {
		cli->cmd = CMD_MEM_SHOW;
		return want_args(o, 2, "mem show", err, len);
	}
	if (strcmp(sub, "expose"))
		return usage_err(err, len,
				 "unknown mem command '%s': use expose or show",
				 sub);
	cli->cmd = CMD_MEM_EXPOSE;
	r = want_args(o, 3, "mem expose SIZE", err, len);
	if (r != CLI_OK)
		return r;
	e = size_parse(o->words[2], &cli->size);
	if (e == SIZE_ZERO) {
		cli->size = 0;
		return CLI_OK;
	}
	if (e != SIZE_OK)
		return usage_err(err, len, "invalid size '%s': %s", o->words[2],
				 size_error_str(e));
	return CLI_OK;
}

/* ------------------------------------------------------------------------
 * The cluster commands
 */

/* cluster init's --name: a corosync cluster name, [A-Za-z0-9._-]. */
static enum cli_result parse_cluster_name(const char *arg, struct cli *cli,
					  char *err, size_t len)
{
	const char *p;

	for (p = arg; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      *p == '-'))
			break;
	if (!*arg || *p || strlen(arg) > DMPOOL_CLUSTER_NAME_MAX)
		return usage_err(err, len,
				 "invalid cluster name '%s': use 1-%d characters of A-Z a-z 0-9 . _ -",
				 arg, DMPOOL_CLUSTER_NAME_MAX);
	cli->cluster_name = arg;
	return CLI_OK;
}

/* An IP address without a port, for corosync.conf and crawl targets. */
static bool plain_addr(const char *s, int family)
{
	uint8_t buf[16];

	return inet_pton(family, s, buf) == 1;
}

/* cluster init: ID=ADDR... or ADDR... (numbered 1..n), no mixing. */
static enum cli_result parse_init_nodes(const struct opts *o, struct cli *cli,
					char *err, size_t len)
{
	int i, first = 2;
	bool with_id;
	size_t j;

	if (o->nwords == first)
		return usage_err(err, len,
				 "missing nodes: dmpoolctl cluster init [--name NAME] [--token MS] [-o FILE] [--force] ID=ADDR...");
	with_id = strchr(o->words[first], '=') != NULL;
	for (i = first; i < o->nwords; i++) {
		const char *w = o->words[i], *eq = strchr(w, '=');
		const char *addr = eq ? eq + 1 : w;
		uint32_t id = (uint32_t)(i - first + 1);
		char idtext[8];

		if (!!eq != with_id)
			return usage_err(err, len,
					 "give every node as ID=ADDR, or none ('%s')", w);
		if (eq) {
			size_t n = (size_t)(eq - w);

			if (n >= sizeof(idtext))
				n = sizeof(idtext) - 1;
			memcpy(idtext, w, n);
			idtext[n] = '\0';
			if (parse_node_id(idtext, &id, err, len) != CLI_OK)
				return CLI_USAGE;
		}
		if (!plain_addr(addr, AF_INET) && !plain_addr(addr, AF_INET6))
			return usage_err(err, len,
					 "invalid node address '%s': use an IPv4 or IPv6 address",
					 addr);
		for (j = 0; j < cli->ninit; j++)
			if (cli->init_id[j] == id ||
			    !strcmp(cli->init_addr[j], addr))
				return usage_err(err, len,
						 "node %s given twice",
						 cli->init_id[j] == id ? idtext : addr);
		cli->init_id[cli->ninit] = id;
		cli->init_addr[cli->ninit] = addr;
		cli->ninit++;
	}
	return CLI_OK;
}

static enum cli_result parse_init(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	enum cli_result r = CLI_OK;
	unsigned long v = 0;

	cli->cmd = CMD_CLUSTER_INIT;
	if (o->cname)
		r = parse_cluster_name(o->cname, cli, err, len);
	if (r == CLI_OK && o->token) {
		if (all_digits(o->token) && strlen(o->token) <= 7)
			v = strtoul(o->token, NULL, 10);
		if (v < 100 || v > 600000)
			return usage_err(err, len,
					 "invalid --token '%s': use 100-600000 ms",
					 o->token);
		cli->token_ms = (uint32_t)v;
	}
	if (r == CLI_OK && o->output) {
		if (!o->output[0])
			return usage_err(err, len, "-o needs a file name");
		cli->output = o->output;
	}
	if (r == CLI_OK)
		r = parse_init_nodes(o, cli, err, len);
	return r;
}

/* --ttl DURATION|forever */
static enum cli_result parse_ttl(const char *arg, struct cli *cli, char *err,
				 size_t len)
{
	if (duration_parse(arg, true, &cli->ttl_ms) < 0)
		return usage_err(err, len,
				 "invalid --ttl '%s': use a duration such as 30s, 10m, 2h, 7d, or forever",
				 arg);
	cli->has_ttl = true;
	return CLI_OK;
}

static enum cli_result parse_cluster(const struct opts *o, struct cli *cli,
				     char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len,
				 "missing cluster command: init, show, create, destroy or set");
	if (!strcmp(sub, "init"))
		return parse_init(o, cli, err, len);
	if (!strcmp(sub, "show")) {
		cli->cmd = CMD_CLUSTER_SHOW;
		return want_args(o, 2, "cluster show", err, len);
	}
	if (!strcmp(sub, "create")) {
		cli->cmd = CMD_CLUSTER_CREATE;
		r = want_args(o, 4,
			      "cluster create POOL SIZE [--replicas N] [--ttl DURATION|forever] [--owner USER] [--group GROUP] [--mode OCTAL] [--grant USER:RIGHTS]...",
			      err, len);
		if (r == CLI_OK)
			r = parse_name(o->words[2], &cli->sel, err, len);
		if (r == CLI_OK)
			r = parse_size(o->words[3], &cli->size, err, len);
		if (r == CLI_OK && o->replicas)
			r = parse_count(o->replicas, DMPOOL_REPLICAS_MAX,
					"--replicas", &cli->replicas, err, len);
		if (r == CLI_OK && o->ttl)
			r = parse_ttl(o->ttl, cli, err, len);
		return r;
	}
	if (!strcmp(sub, "destroy") || !strcmp(sub, "set")) {
		bool set = !strcmp(sub, "set");

		cli->cmd = set ? CMD_CLUSTER_SET : CMD_CLUSTER_DESTROY;
		r = want_args(o, 3, set ? "cluster set POOL [--ttl DURATION|forever] [--owner USER] [--group GROUP] [--mode OCTAL] [--grant USER:RIGHTS]... [--no-grants]" :
			      "cluster destroy POOL [--force]", err, len);
		if (r == CLI_OK)
			r = parse_sel(o->words[2], false, &cli->sel, err, len);
		if (r == CLI_OK && o->ttl)
			r = parse_ttl(o->ttl, cli, err, len);
		return r;
	}
	return usage_err(err, len,
			 "unknown cluster command '%s': use init, show, create, destroy or set",
			 sub);
}

/* node commission ADDR[:PORT] [--id N] [--port P], node decommission ID */
static enum cli_result parse_commission(const struct opts *o, struct cli *cli,
					char *err, size_t len)
{
	enum cli_result r;
	uint32_t port;

	if (!strcmp(o->words[1], "decommission")) {
		cli->cmd = CMD_NODE_DECOMMISSION;
		r = want_args(o, 3, "node decommission ID", err, len);
		if (r == CLI_OK)
			r = parse_node_id(o->words[2], &cli->node_id, err, len);
		return r;
	}
	cli->cmd = CMD_NODE_COMMISSION;
	r = want_args(o, 3, "node commission ADDR [--id N] [--port P]", err,
		      len);
	if (r == CLI_OK)
		r = addr_parse(o->words[2], false, &cli->addr, err, len);
	if (r == CLI_OK && o->id)
		r = parse_node_id(o->id, &cli->node_id, err, len);
	if (r != CLI_OK)
		return r;
	cli->has_port = cli->addr.port != DMPOOL_PORT_DEFAULT;
	if (o->port) {
		if (parse_count(o->port, 65535, "--port", &port, err, len) !=
		    CLI_OK)
			return CLI_USAGE;
		cli->addr.port = (uint16_t)port;
		cli->has_port = true;
	}
	return CLI_OK;
}

/* One crawl target: an IPv4 address or an IPv4 CIDR prefix of /16-/32. */
static bool crawl_target_valid(const char *t)
{
	char host[INET_ADDRSTRLEN + 1];
	const char *slash = strchr(t, '/');
	size_t n = slash ? (size_t)(slash - t) : strlen(t);
	unsigned long bits;

	if (n >= sizeof(host))
		return false;
	memcpy(host, t, n);
	host[n] = '\0';
	if (!plain_addr(host, AF_INET))
		return false;
	if (!slash)
		return true;
	if (!all_digits(slash + 1) || strlen(slash + 1) > 2)
		return false;
	bits = strtoul(slash + 1, NULL, 10);
	return bits >= 16 && bits <= 32;
}

/* crawl TARGET...: each may itself be a comma-separated list. */
static enum cli_result parse_crawl(const struct opts *o, struct cli *cli,
				   char *err, size_t len)
{
	size_t used = 0;
	int i;

	cli->cmd = CMD_CRAWL;
	if (o->nwords < 2)
		return usage_err(err, len,
				 "missing argument: dmpoolctl crawl ADDR|CIDR...");
	for (i = 1; i < o->nwords; i++) {
		char copy[sizeof(cli->crawl)], *tok, *save = NULL;

		snprintf(copy, sizeof(copy), "%s", o->words[i]);
		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (!crawl_target_valid(tok))
				return usage_err(err, len,
						 "invalid crawl target '%s': use an IPv4 address or a CIDR prefix of /16 or longer",
						 tok);
			if (used + strlen(tok) + 2 > sizeof(cli->crawl))
				return usage_err(err, len,
						 "too many crawl targets: at most %zu bytes",
						 sizeof(cli->crawl) - 1);
			used += (size_t)snprintf(cli->crawl + used,
						 sizeof(cli->crawl) - used,
						 "%s%s", used ? "," : "", tok);
		}
	}
	if (!used)
		return usage_err(err, len,
				 "missing argument: dmpoolctl crawl ADDR|CIDR...");
	return CLI_OK;
}

/* monitor [--count N], top [--interval S] [--iterations N] */
static enum cli_result parse_live(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	enum cli_result r;

	if (!strcmp(o->words[0], "monitor")) {
		cli->cmd = CMD_MONITOR;
		r = want_args(o, 1, "monitor [--count N]", err, len);
		if (r == CLI_OK && o->count)
			r = parse_count(o->count, 1000000000, "--count",
					&cli->count, err, len);
		return r;
	}
	cli->cmd = CMD_TOP;
	cli->interval_ms = 1000;
	r = want_args(o, 1, "top [--interval S] [--iterations N]", err, len);
	if (r == CLI_OK && o->interval) {
		uint64_t ms;

		if (duration_parse(o->interval, false, &ms) < 0 ||
		    ms < 100 || ms > 3600 * 1000)
			return usage_err(err, len,
					 "invalid --interval '%s': use 1-3600 seconds (or 100ms-1h)",
					 o->interval);
		cli->interval_ms = (uint32_t)ms;
	}
	if (r == CLI_OK && o->iterations)
		r = parse_count(o->iterations, 1000000000, "--iterations",
				&cli->iterations, err, len);
	return r;
}

/* Does each cluster option fit the command?  NULL, or the misused one. */
static const char *cluster_opt_misused(const struct opts *o,
				       enum cli_command cmd)
{
	if ((o->cname || o->token || o->output) && cmd != CMD_CLUSTER_INIT)
		return o->cname ? "--name NAME only applies to cluster init" :
		       o->token ? "--token only applies to cluster init" :
		       "-o only applies to cluster init";
	if (o->replicas && cmd != CMD_CLUSTER_CREATE)
		return "--replicas only applies to cluster create";
	if (o->ttl && cmd != CMD_CLUSTER_CREATE && cmd != CMD_CLUSTER_SET)
		return "--ttl only applies to cluster create and cluster set";
	if (o->port && cmd != CMD_NODE_COMMISSION)
		return "--port only applies to node commission";
	if (o->count && cmd != CMD_MONITOR)
		return "--count only applies to monitor";
	if ((o->interval || o->iterations) && cmd != CMD_TOP)
		return o->interval ? "--interval only applies to top" :
		       "--iterations only applies to top";
	return NULL;
}

bool cli_is_cluster_cmd(enum cli_command cmd)
{
	return cmd >= CMD_CLUSTER_INIT && cmd <= CMD_TOP;
}

/*
 * Where the policy options apply; those of pool create, cluster create
 * and cluster set are parsed here.
 */
static enum cli_result check_policy_opts(const struct opts *o, struct cli *cli,
					 char *err, size_t len)
{
	const char *policy = o->owner ? "--owner" : o->group ? "--group" :
			     o->ngrants ? "--grant" :
			     o->no_grants ? "--no-grants" : NULL;
	bool set = cli->cmd == CMD_POOL_SET || cli->cmd == CMD_FILE_SET ||
		   cli->cmd == CMD_CLUSTER_SET;
	bool create = cli->cmd == CMD_POOL_CREATE ||
		      cli->cmd == CMD_CLUSTER_CREATE;

	if (o->mode && !set && !create && cli->cmd != CMD_FILE_CREATE &&
	    cli->cmd != CMD_FILE_LOAD)
		return usage_err(err, len,
				 "--mode only applies to file create, file load, pool create, pool set, file set, cluster create and cluster set");
	if (policy && !set && !create)
		return usage_err(err, len,
				 "%s only applies to pool create, pool set, file set, cluster create and cluster set",
				 policy);
	if (cli->cmd == CMD_CLUSTER_SET) {
		if (!policy && !o->mode && !o->ttl)
			return usage_err(err, len,
					 "nothing to set: give --ttl, --owner, --group, --mode, --grant or --no-grants");
		return parse_policy_opts(o, cli, true, !o->ttl, err, len);
	}
	if (!create || !(policy || o->mode))
		return CLI_OK;
	if (cli->cluster)
		return usage_err(err, len,
				 "pool create --cluster takes no policy options: use cluster create (dmpoold) or pool set on every node");
	return parse_policy_opts(o, cli, false, false, err, len);
}

enum cli_result cli_parse(int argc, char *const argv[], struct cli *cli,
			  char *err, size_t len)
{
	struct opts o;
	enum cli_result r;

	memset(cli, 0, sizeof(*cli));
	memset(&o, 0, sizeof(o));
	if (len)
		err[0] = '\0';

	r = collect(argc, argv, &o, err, len);
	if (r != CLI_OK)
		return r;
	if (o.help)
		return CLI_HELP;
	cli->json = o.json;
	cli->force = o.force;

	if (o.nwords == 0)
		return usage_err(err, len, "missing command");
	if (!strcmp(o.words[0], "pool")) {
		r = parse_pool(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "node")) {
		r = parse_node(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "key")) {
		r = parse_key(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "peer")) {
		r = parse_peer(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "mem")) {
		r = parse_mem(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "file")) {
		r = parse_file(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "version")) {
		cli->cmd = CMD_VERSION;
		r = want_args(&o, 1, "version", err, len);
	} else if (!strcmp(o.words[0], "cluster")) {
		r = parse_cluster(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "crawl")) {
		r = parse_crawl(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "status")) {
		cli->cmd = CMD_STATUS;
		r = want_args(&o, 1, "status", err, len);
	} else if (!strcmp(o.words[0], "monitor") ||
		   !strcmp(o.words[0], "top")) {
		r = parse_live(&o, cli, err, len);
	} else if (!strcmp(o.words[0], "help")) {
		return CLI_HELP;
	} else {
		return usage_err(err, len, "unknown command '%s'", o.words[0]);
	}
	if (r != CLI_OK)
		return r;

	if (o.force && cli->cmd != CMD_POOL_DESTROY &&
	    cli->cmd != CMD_CLUSTER_DESTROY && cli->cmd != CMD_CLUSTER_INIT)
		return usage_err(err, len,
				 "--force only applies to pool destroy, cluster destroy and cluster init");
	if (cluster_opt_misused(&o, cli->cmd))
		return usage_err(err, len, "%s", cluster_opt_misused(&o, cli->cmd));
	if (o.file && cli->cmd != CMD_KEY_SET)
		return usage_err(err, len, "--file only applies to key set");
	if (o.name && !takes_pool_sel(cli))
		return usage_err(err, len,
				 "--name only applies to pool show, stats, export and destroy and to the file commands");
	if (o.cluster && cli->cmd != CMD_POOL_CREATE)
		return usage_err(err, len, "--cluster only applies to pool create");
	if (o.nodes && cli->cmd != CMD_POOL_CREATE)
		return usage_err(err, len,
				 "--nodes only applies to pool create --cluster");
	if (o.id && cli->cmd == CMD_NODE_COMMISSION)
		o.id = NULL;	/* node commission --id N: the node's ID */
	if ((o.id || o.map) && cli->cmd != CMD_POOL_INSTALL)
		return usage_err(err, len, "%s only applies to pool install",
				 o.id ? "--id" : "--map");
	if (o.extent && cli->cmd != CMD_POOL_CREATE &&
	    cli->cmd != CMD_POOL_INSTALL)
		return usage_err(err, len,
				 "--extent-size only applies to pool create --cluster and pool install");
	if (o.permits && cli->cmd != CMD_FILE_CREATE &&
	    cli->cmd != CMD_FILE_LOAD)
		return usage_err(err, len,
				 "--permits only applies to file create and file load");
	if ((o.offset || o.length) && cli->cmd != CMD_FILE_DUMP)
		return usage_err(err, len,
				 "%s only applies to file dump (file update takes OFFSET as an argument)",
				 o.offset ? "--offset" : "--length");
	if ((o.progress || o.no_progress) && cli->cmd != CMD_FILE_LOAD &&
	    cli->cmd != CMD_FILE_DUMP && cli->cmd != CMD_FILE_APPEND &&
	    cli->cmd != CMD_FILE_UPDATE)
		return usage_err(err, len,
				 "%s only applies to file load, dump, append and update",
				 o.progress ? "--progress" : "--no-progress");
	return check_policy_opts(&o, cli, err, len);
}

bool cli_needs_remote(const struct cli *cli)
{
	switch (cli->cmd) {
	case CMD_MEM_EXPOSE:
	case CMD_MEM_SHOW:
	case CMD_POOL_EXPORT:
	case CMD_POOL_INSTALL:
	case CMD_POOL_STATS:
		return true;
	case CMD_POOL_CREATE:
		return cli->cluster;
	default:
		return false;
	}
}

bool cli_is_file_cmd(enum cli_command cmd)
{
	switch (cmd) {
	case CMD_FILE_CREATE:
	case CMD_FILE_LIST:
	case CMD_FILE_SHOW:
	case CMD_FILE_DELETE:
	case CMD_FILE_LOAD:
	case CMD_FILE_DUMP:
	case CMD_FILE_APPEND:
	case CMD_FILE_UPDATE:
	case CMD_FILE_SET:
		return true;
	default:
		return false;
	}
}
