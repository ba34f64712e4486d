// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and decoding of dmpoold's CPG messages (layout in cpgproto.h).
 * Pure: the CPG I/O is in cpg.c.  The decoder checks the header, bounds
 * the body length by what arrived and by CPGP_BODY_MAX, reads every field
 * through the bounded reader of wire.h and refuses trailing bytes.
 */
#include <stdio.h>
#include <string.h>

#include "cpgproto.h"
#include "wire.h"

static const char *const type_names[] = {
	[CPGP_SYNC] = "SYNC",
	[CPGP_NODE_ANNOUNCE] = "NODE_ANNOUNCE",
	[CPGP_POOL_CREATE] = "POOL_CREATE",
	[CPGP_POOL_DESTROY] = "POOL_DESTROY",
	[CPGP_POOL_SET] = "POOL_SET",
	[CPGP_ATTACH_COUNT] = "ATTACH_COUNT",
	[CPGP_POOL_EXPIRE] = "POOL_EXPIRE",
	[CPGP_COMMISSION] = "COMMISSION",
	[CPGP_DECOMMISSION] = "DECOMMISSION",
	[CPGP_APPLIED] = "APPLIED",
};

const char *cpgp_type_name(uint16_t type)
{
	if (type >= 1 && type <= CPGP_TYPE_MAX)
		return type_names[type];
	return "UNKNOWN";
}

static void put_addr(struct wbuf *w, const struct cpgp_msg *m)
{
	wb_u8(w, m->addr_len);
	wb_put(w, m->addr, m->addr_len <= 16 ? m->addr_len : 0);
	wb_u16(w, m->port);
}

int cpgp_encode(const struct cpgp_msg *m, uint8_t **buf, size_t *len)
{
	struct wbuf w = { 0 };

	wb_u32(&w, CPGP_MAGIC);
	wb_u16(&w, CPGP_VERSION);
	wb_u16(&w, m->type);
	wb_u32(&w, 0);
	switch (m->type) {
	case CPGP_SYNC:
		wb_u32(&w, m->node);
		wb_put(&w, m->snap, m->snap_len);
		break;
	case CPGP_NODE_ANNOUNCE:
		wb_u32(&w, m->node);
		put_addr(&w, m);
		wb_u64(&w, m->capacity);
		wb_str(&w, m->version);
		break;
	case CPGP_POOL_CREATE:
		wb_u32(&w, m->origin);
		wb_u64(&w, m->req);
		wb_str(&w, m->name);
		wb_u64(&w, m->size);
		wb_u32(&w, m->replicas);
		wb_u64(&w, m->ttl_ms);
		dpolicy_put(&w, &m->policy);
		break;
	case CPGP_POOL_DESTROY:
		wb_u32(&w, m->origin);
		wb_u64(&w, m->req);
		wb_u64(&w, m->pool);
		wb_str(&w, m->name);
		wb_u32(&w, m->flags);
		break;
	case CPGP_POOL_SET:
		wb_u32(&w, m->origin);
		wb_u64(&w, m->req);
		wb_u64(&w, m->pool);
		wb_str(&w, m->name);
		wb_u32(&w, m->set);
		wb_u64(&w, m->ttl_ms);
		dpolicy_put(&w, &m->policy);
		break;
	case CPGP_ATTACH_COUNT:
		wb_u32(&w, m->node);
		wb_u64(&w, m->pool);
		wb_u32(&w, m->count);
		break;
	case CPGP_POOL_EXPIRE:
		wb_u64(&w, m->pool);
		wb_u64(&w, m->epoch);
		break;
	case CPGP_COMMISSION:
		wb_u32(&w, m->origin);
		wb_u64(&w, m->req);
		wb_u32(&w, m->node);
		put_addr(&w, m);
		break;
	case CPGP_DECOMMISSION:
		wb_u32(&w, m->origin);
		wb_u64(&w, m->req);
		wb_u32(&w, m->node);
		break;
	case CPGP_APPLIED:
		wb_u32(&w, m->origin);
		wb_u64(&w, m->req);
		wb_u32(&w, m->node);
		wb_u32(&w, m->status);
		wb_str(&w, m->message);
		break;
	default:
		w.failed = true;
	}
	if (w.failed || w.len - CPGP_HDR_LEN > CPGP_BODY_MAX) {
		free(w.p);
		return -1;
	}
	wb_set_u32(&w, 8, (uint32_t)(w.len - CPGP_HDR_LEN));
	*buf = w.p;
	*len = w.len;
	return 0;
}

static void get_addr(struct rbuf *r, struct cpgp_msg *m)
{
	const uint8_t *a;

	m->addr_len = rb_u8(r);
	if (m->addr_len != 0 && m->addr_len != 4 && m->addr_len != 16) {
		r->short_read = true;
		return;
	}
	a = rb_get(r, m->addr_len);
	if (a)
		memcpy(m->addr, a, m->addr_len);
	m->port = rb_u16(r);
}

int cpgp_decode(struct cpgp_msg *m, const uint8_t *buf, size_t len,
		char *why, size_t whylen)
{
	struct rbuf r = { .p = buf, .len = len };
	uint32_t magic, body;
	uint16_t version;

	memset(m, 0, sizeof(*m));
	magic = rb_u32(&r);
	version = rb_u16(&r);
	m->type = rb_u16(&r);
	body = rb_u32(&r);
	if (r.short_read) {
		snprintf(why, whylen, "%zu bytes: shorter than a header", len);
		return -1;
	}
	if (magic != CPGP_MAGIC) {
		snprintf(why, whylen, "bad magic %#x", magic);
		return -1;
	}
	if (version != CPGP_VERSION) {
		snprintf(why, whylen, "message version %u, this dmpoold speaks %u: run the same dmpoold on every node",
			 version, CPGP_VERSION);
		return -1;
	}
	if (body > CPGP_BODY_MAX || body != len - CPGP_HDR_LEN) {
		snprintf(why, whylen, "body length %u, %zu bytes arrived", body,
			 len - CPGP_HDR_LEN);
		return -1;
	}
	switch (m->type) {
	case CPGP_SYNC:
		m->node = rb_u32(&r);
		m->snap_len = r.len - r.off;
		m->snap = rb_get(&r, m->snap_len);
		break;
	case CPGP_NODE_ANNOUNCE:
		m->node = rb_u32(&r);
		get_addr(&r, m);
		m->capacity = rb_u64(&r);
		rb_str(&r, m->version, sizeof(m->version));
		break;
	case CPGP_POOL_CREATE:
		m->origin = rb_u32(&r);
		m->req = rb_u64(&r);
		rb_str(&r, m->name, sizeof(m->name));
		m->size = rb_u64(&r);
		m->replicas = rb_u32(&r);
		m->ttl_ms = rb_u64(&r);
		dpolicy_get(&r, &m->policy);
		break;
	case CPGP_POOL_DESTROY:
		m->origin = rb_u32(&r);
		m->req = rb_u64(&r);
		m->pool = rb_u64(&r);
		rb_str(&r, m->name, sizeof(m->name));
		m->flags = rb_u32(&r);
		break;
	case CPGP_POOL_SET:
		m->origin = rb_u32(&r);
		m->req = rb_u64(&r);
		m->pool = rb_u64(&r);
		rb_str(&r, m->name, sizeof(m->name));
		m->set = rb_u32(&r);
		m->ttl_ms = rb_u64(&r);
		dpolicy_get(&r, &m->policy);
		break;
	case CPGP_ATTACH_COUNT:
		m->node = rb_u32(&r);
		m->pool = rb_u64(&r);
		m->count = rb_u32(&r);
		break;
	case CPGP_POOL_EXPIRE:
		m->pool = rb_u64(&r);
		m->epoch = rb_u64(&r);
		break;
	case CPGP_COMMISSION:
		m->origin = rb_u32(&r);
		m->req = rb_u64(&r);
		m->node = rb_u32(&r);
		get_addr(&r, m);
		break;
	case CPGP_DECOMMISSION:
		m->origin = rb_u32(&r);
		m->req = rb_u64(&r);
		m->node = rb_u32(&r);
		break;
	case CPGP_APPLIED:
		m->origin = rb_u32(&r);
		m->req = rb_u64(&r);
		m->node = rb_u32(&r);
		m->status = rb_u32(&r);
		rb_str(&r, m->message, sizeof(m->message));
		break;
	default:
		snprintf(why, whylen, "unknown type %u", m->type);
		return -1;
	}
	if (r.short_read) {
		snprintf(why, whylen, "%s: truncated or oversized field",
			 cpgp_type_name(m->type));
		return -1;
	}
	if (r.off != r.len) {
		snprintf(why, whylen, "%s: %zu trailing bytes",
			 cpgp_type_name(m->type), r.len - r.off);
		return -1;
	}
	return 0;
}
