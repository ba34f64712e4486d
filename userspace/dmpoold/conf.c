// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoold's configuration: /etc/dmpool/dmpoold.conf, "key = value" lines.
 *
 * Strict on purpose: an unknown key or a bad value stops the daemon at
 * start (and is refused, keeping the old settings, on SIGHUP) with the
 * line number, rather than running with a setting the admin did not mean.
 * Every key is documented in dmpoold(8).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/dmpool.h>

#include "conf.h"
#include "size.h"

void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->port = DMPOOL_PORT_DEFAULT;
	snprintf(c->key_file, sizeof(c->key_file), "/etc/dmpool/cluster.key");
	c->default_ttl_ms = 3600ULL * 1000;
	snprintf(c->state_dir, sizeof(c->state_dir), "/var/lib/dmpool");
	c->crawl_port = 7471;
	snprintf(c->corosync_conf, sizeof(c->corosync_conf),
		 "/etc/corosync/corosync.conf");
	c->manage_corosync = false;
}

int conf_duration(const char *s, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	unsigned long long v;
	char *end;
	size_t i;

	if (!strcmp(s, "forever") || !strcmp(s, "never")) {
		*ms = DMPOOL_TTL_FOREVER;
		return 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (v > UINT64_MAX / units[i].ms / 2 || v == 0)
			return -1;
		*ms = v * units[i].ms;
		return 0;
	}
	return -1;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int parse_port(const char *v, uint16_t *out)
{
	unsigned long p;
	char *end;

	errno = 0;
	p = strtoul(v, &end, 10);
	if (errno || *end || !isdigit((unsigned char)v[0]) || p < 1 || p > 65535)
		return -1;
	*out = (uint16_t)p;
	return 0;
}

static int copy_str(char *dst, size_t size, const char *v)
{
	if (strlen(v) >= size)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* Trim spaces at both ends, in place. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int set_key(struct conf *c, const char *k, const char *v,
		   char *why, size_t len)
{
	unsigned long id;
	char *end;

	if (!strcmp(k, "node_id")) {
		errno = 0;
		id = strtoul(v, &end, 10);
		if (errno || *end || !isdigit((unsigned char)v[0]) || id < 1 ||
		    id > DMPOOL_NODES_MAX)
			goto bad;
		c->node_id = (uint32_t)id;
	} else if (!strcmp(k, "addr")) {
		if (inet_pton(AF_INET, v, c->addr) == 1)
			c->addr_family = AF_INET;
		else if (inet_pton(AF_INET6, v, c->addr) == 1)
			c->addr_family = AF_INET6;
		else
			goto bad;
		c->has_addr = true;
	} else if (!strcmp(k, "port")) {
		if (parse_port(v, &c->port) < 0)
			goto bad;
	} else if (!strcmp(k, "crawl_port")) {
		if (parse_port(v, &c->crawl_port) < 0)
			goto bad;
	} else if (!strcmp(k, "key_file")) {
		if (copy_str(c->key_file, sizeof(c->key_file), v) < 0)
			goto bad;
	} else if (!strcmp(k, "memory")) {
		if (size_parse(v, &c->memory) != SIZE_OK)
			goto bad;
	} else if (!strcmp(k, "default_ttl")) {
		if (conf_duration(v, &c->default_ttl_ms) < 0)
			goto bad;
	} else if (!strcmp(k, "state_dir")) {
		if (v[0] != '/' ||
		    copy_str(c->state_dir, sizeof(c->state_dir), v) < 0)
			goto bad;
	} else if (!strcmp(k, "corosync_conf")) {
		if (copy_str(c->corosync_conf, sizeof(c->corosync_conf), v) < 0)
			goto bad;
	} else if (!strcmp(k, "manage_corosync")) {
		if (parse_bool(v, &c->manage_corosync) < 0)
			goto bad;
	} else if (!strcmp(k, "join_command")) {
		if (copy_str(c->join_command, sizeof(c->join_command), v) < 0)
			goto bad;
	} else if (!strcmp(k, "leave_command")) {
		if (copy_str(c->leave_command, sizeof(c->leave_command), v) < 0)
			goto bad;
	} else {
		snprintf(why, len, "unknown key '%s'", k);
		return -1;
	}
	return 0;
bad:
	snprintf(why, len, "bad value for %s: '%s'", k, v);
	return -1;
}

int conf_parse(struct conf *c, const char *text, char *why, size_t len)
{
	const char *p = text;
	char line[1024], reason[300];
	int lineno = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *s, *eq;

		lineno++;
		if (n >= sizeof(line)) {
			snprintf(why, len, "line %d: too long", lineno);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl != NULL);
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(why, len, "line %d: no '=' in '%s'", lineno, s);
			return -1;
		}
		*eq = '\0';
		if (set_key(c, trim(s), trim(eq + 1), reason, sizeof(reason)) < 0) {
			snprintf(why, len, "line %d: %s", lineno, reason);
			return -1;
		}
	}
	return 0;
}

int conf_load(struct conf *c, const char *path, bool must_exist, char *why,
	      size_t len)
{
	char *text;
	size_t got;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = calloc(1, 65537);
	if (!text) {
		fclose(f);
		snprintf(why, len, "out of memory");
		return -1;
	}
	got = fread(text, 1, 65536, f);
	fclose(f);
	if (got == 65536) {
		free(text);
		snprintf(why, len, "%s: larger than 64 KiB", path);
		return -1;
	}
	if (memchr(text, '\0', got)) {
		free(text);
		snprintf(why, len, "%s: contains a NUL byte", path);
		return -1;
	}
	ret = conf_parse(c, text, why, len);
	free(text);
	return ret;
}
