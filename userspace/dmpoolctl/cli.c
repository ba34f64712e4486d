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
 *
 * so it is parsed by hand in two passes: options first (allowed anywhere,
 * as in `dmpoolctl pool list -j`; short ones may be grouped, "-jf"), then
 * the words.  Everything a user can get wrong is caught here, before any
 * netlink traffic, and turned into a one-line reason; the caller prints it
 * with a hint to --help and exits 2.  An argument of digits only names a
 * pool by ID; --name makes it a name (pool names may be all digits).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../lib/dmpool.h"
#include "cli.h"
#include "size.h"

#define MAX_WORDS 8

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
	      "Manage dmpool memory pools, this node's identity and its peers.\n"
	      "\n"
	      "Commands:\n"
	      "  pool create NAME SIZE          create a pool of SIZE bytes (4096, 64K, 64M, 2G, 1T)\n"
	      "  pool list                      list all pools\n"
	      "  pool show NAME|ID              show every attribute of one pool\n"
	      "  pool destroy NAME|ID [--force] destroy a pool (--force: even while attached)\n"
	      "  version                        show dmpoolctl's and the module's versions\n"
	      "  node set ID ADDR[:PORT]        this node's ID (1-64) and transport listen address\n"
	      "  node show                      this node's ID, address and rejection counters\n"
	      "  key set --file FILE | -        set the cluster key (16-64 bytes) from FILE or stdin\n"
	      "  peer add ID ADDR[:PORT]        add a peer node and connect to it\n"
	      "  peer del ID                    delete a peer and close its connection\n"
	      "  peer list                      list peers: state, RTT, traffic, failures\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json    print JSON on stdout\n"
	      "  -f, --force   pool destroy: detach applications and destroy anyway\n"
	      "      --name    take NAME|ID as a name even if it is all digits\n"
	      "      --file F  key set: read the key bytes from file F\n"
	      "  -h, --help    print this help\n"
	      "\n"
	      "Names are 1-63 characters of A-Z a-z 0-9 . _ - not starting with . or -.\n"
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

static enum cli_result parse_node_id(const char *arg, uint32_t *id, char *err,
				     size_t len)
{
	unsigned long v = 0;

	if (all_digits(arg) && strlen(arg) <= 2)
		v = strtoul(arg, NULL, 10);
	if (v < 1 || v > DMPOOL_NODES_MAX)
		return usage_err(err, len, "invalid node ID '%s': use 1-%d",
				 arg, DMPOOL_NODES_MAX);
	*id = (uint32_t)v;
	return CLI_OK;
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
	bool json, force, name, help;
	const char *file;
	const char *words[MAX_WORDS];
	int nwords;
};

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
		} else if (!strcmp(a, "--name")) {
			o->name = true;
		} else if (!strcmp(a, "--help")) {
			o->help = true;
		} else if (!strcmp(a, "--file")) {
			if (i + 1 == argc)
				return usage_err(err, len, "--file needs a file name");
			o->file = argv[++i];
		} else if (!strncmp(a, "--file=", 7)) {
			o->file = a + 7;
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

static enum cli_result parse_pool(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len,
				 "missing pool command: create, list, show or destroy");
	if (!strcmp(sub, "create")) {
		cli->cmd = CMD_POOL_CREATE;
		r = want_args(o, 4, "pool create NAME SIZE", err, len);
		if (r == CLI_OK)
			r = parse_name(o->words[2], &cli->sel, err, len);
		if (r == CLI_OK)
			r = parse_size(o->words[3], &cli->size, err, len);
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
	if (!strcmp(sub, "destroy")) {
		cli->cmd = CMD_POOL_DESTROY;
		r = want_args(o, 3, "pool destroy NAME|ID [--force]", err, len);
		if (r == CLI_OK)
			r = parse_sel(o->words[2], o->name, &cli->sel, err, len);
		return r;
	}
	return usage_err(err, len,
			 "unknown pool command '%s': use create, list, show or destroy",
			 sub);
}

static enum cli_result parse_node(const struct opts *o, struct cli *cli,
				  char *err, size_t len)
{
	const char *sub = o->nwords > 1 ? o->words[1] : NULL;
	enum cli_result r;

	if (!sub)
		return usage_err(err, len, "missing node command: set or show");
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
	return usage_err(err, len, "unknown node command '%s': use set or show",
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
		return usage_err(err, len, "missing peer command: add, del or list");
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
	return usage_err(err, len,
			 "unknown peer command '%s': use add, del or list", sub);
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
	} else if (!strcmp(o.words[0], "version")) {
		cli->cmd = CMD_VERSION;
		r = want_args(&o, 1, "version", err, len);
	} else if (!strcmp(o.words[0], "help")) {
		return CLI_HELP;
	} else {
		return usage_err(err, len, "unknown command '%s'", o.words[0]);
	}
	if (r != CLI_OK)
		return r;

	if (o.force && cli->cmd != CMD_POOL_DESTROY)
		return usage_err(err, len, "--force only applies to pool destroy");
	if (o.file && cli->cmd != CMD_KEY_SET)
		return usage_err(err, len, "--file only applies to key set");
	if (o.name && cli->cmd != CMD_POOL_SHOW && cli->cmd != CMD_POOL_DESTROY)
		return usage_err(err, len,
				 "--name only applies to pool show and pool destroy");
	return CLI_OK;
}
