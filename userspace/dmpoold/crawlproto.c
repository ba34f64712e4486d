// SPDX-License-Identifier: GPL-2.0
/*
 * Crawl datagrams and crawl target lists (see crawlproto.h).  Pure.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crawlproto.h"
#include "wire.h"

int crawl_encode(const struct crawl_msg *m, uint8_t *buf, size_t size)
{
	struct wbuf w = { 0 };
	int ret = -1;

	wb_u32(&w, CRAWL_MAGIC);
	wb_u16(&w, CRAWL_VERSION);
	wb_u16(&w, m->type);
	wb_u64(&w, m->nonce);
	if (m->type == CRAWL_ANSWER) {
		wb_u32(&w, m->node_id);
		wb_u32(&w, m->state);
		wb_u64(&w, m->capacity);
		wb_u64(&w, m->committed);
		wb_str(&w, m->version);
		wb_str(&w, m->cluster);
	} else if (m->type == CRAWL_CHALLENGE) {
		wb_put(&w, m->challenge, CRAWL_NONCE_LEN);
	} else if (m->type == CRAWL_JOIN) {
		wb_u32(&w, m->node_id);
		wb_u16(&w, m->port);
		wb_put(&w, m->challenge, CRAWL_NONCE_LEN);
		if (m->conf_len > CRAWL_CONF_MAX)
			w.failed = true;
		wb_u16(&w, (uint16_t)m->conf_len);
		wb_put(&w, m->conf, m->conf_len);
		wb_put(&w, m->mac, CRAWL_MAC_LEN);
	} else if (m->type == CRAWL_JOINED) {
		wb_u32(&w, m->status);
		wb_str(&w, m->message);
	} else if (m->type != CRAWL_PROBE && m->type != CRAWL_HELLO) {
		w.failed = true;
	}
	if (!w.failed && w.len <= size) {
		memcpy(buf, w.p, w.len);
		ret = (int)w.len;
	}
	free(w.p);
	return ret;
}

int crawl_decode(struct crawl_msg *m, const uint8_t *buf, size_t len)
{
	struct rbuf r = { .p = buf, .len = len };

	memset(m, 0, sizeof(*m));
	if (len > CRAWL_DGRAM_MAX || rb_u32(&r) != CRAWL_MAGIC ||
	    rb_u16(&r) != CRAWL_VERSION)
		return -1;
	m->type = rb_u16(&r);
	m->nonce = rb_u64(&r);
	if (m->type == CRAWL_ANSWER) {
		m->node_id = rb_u32(&r);
		m->state = rb_u32(&r);
		m->capacity = rb_u64(&r);
		m->committed = rb_u64(&r);
		rb_str(&r, m->version, sizeof(m->version));
		rb_str(&r, m->cluster, sizeof(m->cluster));
		if (m->node_id > DMPOOL_NODES_MAX ||
		    m->state > DMPOOL_NODE_UNCOMMISSIONED)
			return -1;
	} else if (m->type == CRAWL_CHALLENGE) {
		const uint8_t *p = rb_get(&r, CRAWL_NONCE_LEN);

		if (p)
			memcpy(m->challenge, p, CRAWL_NONCE_LEN);
	} else if (m->type == CRAWL_JOIN) {
		const uint8_t *p;

		m->node_id = rb_u32(&r);
		m->port = rb_u16(&r);
		p = rb_get(&r, CRAWL_NONCE_LEN);
		if (p)
			memcpy(m->challenge, p, CRAWL_NONCE_LEN);
		m->conf_len = rb_u16(&r);
		if (m->conf_len > CRAWL_CONF_MAX)
			return -1;
		m->conf = (const char *)rb_get(&r, m->conf_len);
		p = rb_get(&r, CRAWL_MAC_LEN);
		if (p)
			memcpy(m->mac, p, CRAWL_MAC_LEN);
		if (m->node_id < 1 || m->node_id > DMPOOL_NODES_MAX ||
		    (m->conf && memchr(m->conf, '\0', m->conf_len)))
			return -1;
	} else if (m->type == CRAWL_JOINED) {
		m->status = rb_u32(&r);
		rb_str(&r, m->message, sizeof(m->message));
	} else if (m->type != CRAWL_PROBE && m->type != CRAWL_HELLO) {
		return -1;
	}
	return r.short_read || r.off != r.len ? -1 : 0;
}

int crawl_join_mac(const struct crawl_msg *m, const uint8_t *key,
		   size_t keylen, uint8_t out[CRAWL_MAC_LEN])
{
	static const char label[] = "dmpool-join";
	struct wbuf w = { 0 };
	unsigned int len = 0;
	int ok;

	wb_put(&w, label, sizeof(label) - 1);
	wb_u32(&w, m->node_id);
	wb_u16(&w, m->port);
	wb_put(&w, m->challenge, CRAWL_NONCE_LEN);
	wb_put(&w, m->conf, m->conf_len);
	if (w.failed) {
		free(w.p);
		return -1;
	}
	ok = HMAC(EVP_sha256(), key, (int)keylen, w.p, w.len, out, &len) &&
	     len == CRAWL_MAC_LEN;
	free(w.p);
	return ok ? 0 : -1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

long crawl_parse_targets(const char *s, uint32_t *out, size_t max,
			 char *why, size_t len)
{
	char item[64];
	size_t n = 0, i, j;

	if (!s || !*s) {
		snprintf(why, len, "no crawl targets");
		return -1;
	}
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t l = comma ? (size_t)(comma - s) : strlen(s);
		unsigned long prefix = 32;
		struct in_addr in;
		uint32_t base, first, last, a;
		char *slash, *end;

		if (l == 0 || l >= sizeof(item)) {
			snprintf(why, len, "bad crawl target '%.*s'", (int)(l > 40 ? 40 : l), s);
			return -1;
		}
		memcpy(item, s, l);
		item[l] = '\0';
		s += l + (comma != NULL);
		if (comma && !*s) {
			snprintf(why, len, "trailing comma in crawl targets");
			return -1;
		}
		slash = strchr(item, '/');
		if (slash) {
			*slash = '\0';
			if (slash[1] < '0' || slash[1] > '9') {
				snprintf(why, len, "bad prefix length in '%s/%s'",
					 item, slash + 1);
				return -1;
			}
			prefix = strtoul(slash + 1, &end, 10);
			if (*end || prefix > 32) {
				snprintf(why, len, "bad prefix length in '%s/%s'",
					 item, slash + 1);
				return -1;
			}
			if (prefix < 16) {
				snprintf(why, len, "%s/%lu is too large: /16 or "
					 "longer prefixes only", item, prefix);
				return -1;
			}
		}
		if (inet_pton(AF_INET, item, &in) != 1) {
			snprintf(why, len, "'%s' is not an IPv4 address", item);
			return -1;
		}
		base = ntohl(in.s_addr);
		if (prefix < 32)
			base &= ~((1U << (32 - prefix)) - 1);
		first = base;
		last = prefix == 32 ? base : base + ((1U << (32 - prefix)) - 1);
		if (prefix < 31) {
			first++;
			last--;
		}
		for (a = first;; a++) {
			if (n >= max) {
				snprintf(why, len, "more than %zu crawl targets",
					 max);
				return -1;
			}
			out[n++] = a;
			if (a == last)
				break;
		}
	}
	qsort(out, n, sizeof(*out), cmp_u32);
	for (i = 0, j = 0; i < n; i++)
		if (!j || out[j - 1] != out[i])
			out[j++] = out[i];
	return (long)j;
}
