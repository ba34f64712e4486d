// SPDX-License-Identifier: GPL-2.0
/*
 * corosync.conf rendering and nodelist rewriting (see corosync_conf.h).
 *
 * corosync's configuration is a tree of "name {" ... "}" sections holding
 * "key: value" lines, with "#" comments.  We never need the whole tree:
 * cc_render() writes a fresh file, and the other two only find the
 * top-level nodelist section by scanning lines and counting braces.  What
 * goes into the file is checked first (a name or address with a brace, a
 * space or a newline would change the file's structure), so the text
 * written always parses back to the same nodes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmpool.h>

#include "corosync_conf.h"

/* A growing string; on allocation failure it stays failed (ok false). */
struct buf {
	char *s;
	size_t len, cap;
	bool ok;
};

static void buf_add(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->ok)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL,
			      b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->ok = false;
			return;
		}
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap ? b->cap : 256) * 2 + (size_t)n;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->ok = false;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static char *buf_take(struct buf *b)
{
	if (!b->ok || !b->s) {
		free(b->s);
		errno = ENOMEM;
		return NULL;
	}
	return b->s;
}

/* [A-Za-z0-9._-]+, at most @max bytes: safe as a corosync value. */
static bool word_ok(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s) &&
		    !(extra && strchr(extra, *s)))
			return false;
	return true;
}

static bool nodes_ok(const struct cc_node *nodes, size_t n)
{
	if (n == 0 || n > DMPOOL_NODES_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct cc_node *a = &nodes[i];

		if (a->id < 1 || a->id > DMPOOL_NODES_MAX ||
		    !word_ok(a->addr, sizeof(a->addr) - 1, ":") ||
		    (a->name[0] && !word_ok(a->name, sizeof(a->name) - 1, NULL)))
			return false;
		for (size_t j = 0; j < i; j++)
			if (nodes[j].id == a->id ||
			    !strcmp(nodes[j].addr, a->addr))
				return false;
	}
	return true;
}

static void render_nodelist(struct buf *b, const struct cc_node *nodes,
			    size_t n)
{
	buf_add(b, "nodelist {\n");
	for (size_t i = 0; i < n; i++) {
		buf_add(b, "\tnode {\n\t\tnodeid: %u\n", nodes[i].id);
		if (nodes[i].name[0])
			buf_add(b, "\t\tname: %s\n", nodes[i].name);
		else
			buf_add(b, "\t\tname: node%u\n", nodes[i].id);
		buf_add(b, "\t\tring0_addr: %s\n\t}\n", nodes[i].addr);
	}
	buf_add(b, "}\n");
}

char *cc_render(const char *cluster_name, const struct cc_node *nodes,
		size_t n, unsigned int token_ms)
{
	struct buf b = { .ok = true };

	if (!cluster_name || !word_ok(cluster_name, DMPOOL_CLUSTER_NAME_MAX,
				      NULL) ||
	    !nodes_ok(nodes, n) || token_ms < 100 || token_ms > 600000) {
		errno = EINVAL;
		return NULL;
	}
	buf_add(&b,
		"# corosync.conf of the dmpool cluster \"%s\", written by\n"
		"# `dmpoolctl cluster init`.  dmpoold rewrites the nodelist\n"
		"# section when nodes are commissioned or decommissioned.\n"
		"totem {\n"
		"\tversion: 2\n"
		"\tcluster_name: %s\n"
		"\ttransport: knet\n"
		"\ttoken: %u\n"
		"\tcrypto_cipher: none\n"
		"\tcrypto_hash: none\n"
		"}\n"
		"logging {\n"
		"\tto_stderr: no\n"
		"\tto_syslog: yes\n"
		"\tto_logfile: yes\n"
		"\tlogfile: /var/log/corosync/corosync.log\n"
		"\ttimestamp: on\n"
		"}\n"
		"quorum {\n"
		"\tprovider: corosync_votequorum\n"
		"}\n",
		cluster_name, cluster_name, token_ms);
	render_nodelist(&b, nodes, n);
	return buf_take(&b);
}

/*
 * The line structure: each line is trimmed of leading blanks and of a
 * trailing "#" comment.  A section opens on a line ending in "{" and closes
 * on a line that is "}".
 */
static const char *line_end(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? e + 1 : p + strlen(p);
}

/* The line at @p without leading blanks, comment and trailing blanks. */
static size_t line_body(const char *p, const char **start)
{
	const char *e = line_end(p);
	const char *q;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	*start = p;
	for (q = p; q < e && *q != '#'; q++)
		;
	while (q > p && isspace((unsigned char)q[-1]))
		q--;
	return (size_t)(q - p);
}

static bool body_is(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && !memcmp(s, word, n);
}

/* "name {" or "name{": the section name matches @word. */
static bool body_opens(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	if (n < w + 1 || s[n - 1] != '{' || memcmp(s, word, w))
		return false;
	for (size_t i = w; i < n - 1; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * Find the top-level nodelist: *@begin at its first line, *@end after its
 * closing line.  Returns 1 found, 0 none, -1 unbalanced braces.
 */
static int find_nodelist(const char *text, const char **begin,
			 const char **end)
{
	int depth = 0;
	const char *found = NULL;

	for (const char *p = text; *p; p = line_end(p)) {
		const char *s;
		size_t n = line_body(p, &s);

		if (n && s[n - 1] == '{') {
			if (depth == 0 && body_opens(s, n, "nodelist"))
				found = p;
			depth++;
		} else if (body_is(s, n, "}")) {
			if (--depth < 0)
				return -1;
			if (depth == 0 && found) {
				*begin = found;
				*end = line_end(p);
				return 1;
			}
		}
	}
	return depth || found ? -1 : 0;
}

char *cc_replace_nodelist(const char *conf_text, const struct cc_node *nodes,
			  size_t n)
{
	struct buf b = { .ok = true };
	const char *begin, *end;
	int r;

	if (!conf_text || !nodes_ok(nodes, n)) {
		errno = EINVAL;
		return NULL;
	}
	r = find_nodelist(conf_text, &begin, &end);
	if (r < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (r == 0) {
		size_t len = strlen(conf_text);

		begin = end = conf_text + len;
		buf_add(&b, "%s%s", conf_text,
			len && conf_text[len - 1] != '\n' ? "\n" : "");
	} else {
		buf_add(&b, "%.*s", (int)(begin - conf_text), conf_text);
	}
	render_nodelist(&b, nodes, n);
	buf_add(&b, "%s", end);
	return buf_take(&b);
}

/* "key: value" with @key; the value into @out (at most @size - 1 bytes). */
static bool body_value(const char *s, size_t n, const char *key, char *out,
		       size_t size)
{
	size_t k = strlen(key);

	if (n <= k || memcmp(s, key, k) || s[k] != ':')
		return false;
	s += k + 1;
	n -= k + 1;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0 || n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

int cc_parse_nodelist(const char *conf_text, struct cc_node *nodes,
		      size_t max)
{
	const char *begin, *end;
	struct cc_node cur;
	bool in_node = false, has_id = false;
	size_t count = 0;
	char val[64];

	if (!conf_text || find_nodelist(conf_text, &begin, &end) != 1)
		goto bad;
	for (const char *p = line_end(begin); p < end; p = line_end(p)) {
		const char *s;
		size_t n = line_body(p, &s);

		if (!in_node) {
			if (body_opens(s, n, "node")) {
				memset(&cur, 0, sizeof(cur));
				in_node = true;
				has_id = false;
			}
			continue;
		}
		if (body_is(s, n, "}")) {
			in_node = false;
			if (!has_id || !cur.addr[0] || count == max)
				goto bad;
			nodes[count++] = cur;
		} else if (body_value(s, n, "nodeid", val, sizeof(val))) {
			char *e;
			unsigned long id = strtoul(val, &e, 10);

			if (*e || id < 1 || id > DMPOOL_NODES_MAX)
				goto bad;
			cur.id = (unsigned int)id;
			has_id = true;
		} else if (!body_value(s, n, "ring0_addr", cur.addr,
				       sizeof(cur.addr))) {
			body_value(s, n, "name", cur.name, sizeof(cur.name));
		}
	}
	if (in_node || !nodes_ok(nodes, count))
		goto bad;
	return (int)count;
bad:
	errno = EINVAL;
	return -1;
}
