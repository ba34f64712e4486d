/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian writers and bounded readers for dmpoold's encodings (the
 * snapshot, the CPG messages, the crawl datagrams).  A writer grows a
 * malloc'd buffer and remembers a failure; a reader never reads past its
 * end and remembers a short read, so decoders check once at the end.
 */
#ifndef DMPOOLD_WIRE_H
#define DMPOOLD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool failed;
};

struct rbuf {
	const uint8_t *p;
	size_t len, off;
	bool short_read;
};

static inline void wb_put(struct wbuf *w, const void *data, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		uint8_t *p;

		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->p, cap);
		if (!p) {
			w->failed = true;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	if (n)
		memcpy(w->p + w->len, data, n);
	w->len += n;
}

static inline void wb_u8(struct wbuf *w, uint8_t v)
{
	wb_put(w, &v, 1);
}

static inline void wb_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	wb_put(w, b, 2);
}

static inline void wb_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	wb_put(w, b, 4);
}

static inline void wb_u64(struct wbuf *w, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	wb_put(w, b, 8);
}

/* A string as u16 length + bytes (no NUL). */
static inline void wb_str(struct wbuf *w, const char *s)
{
	size_t n = strlen(s);

	if (n > 0xffff) {
		w->failed = true;
		return;
	}
	wb_u16(w, (uint16_t)n);
	wb_put(w, s, n);
}

/* Overwrite a u32 at @off (already written). */
static inline void wb_set_u32(struct wbuf *w, size_t off, uint32_t v)
{
	int i;

	if (w->failed || off + 4 > w->len)
		return;
	for (i = 0; i < 4; i++)
		w->p[off + i] = (uint8_t)(v >> (8 * i));
}

static inline const uint8_t *rb_get(struct rbuf *r, size_t n)
{
	const uint8_t *p;

	if (r->short_read || n > r->len - r->off) {
		r->short_read = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static inline uint8_t rb_u8(struct rbuf *r)
{
	const uint8_t *p = rb_get(r, 1);

	return p ? p[0] : 0;
}

static inline uint16_t rb_u16(struct rbuf *r)
{
	const uint8_t *p = rb_get(r, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static inline uint32_t rb_u32(struct rbuf *r)
{
	const uint8_t *p = rb_get(r, 4);
	uint32_t v = 0;
	int i;

	if (!p)
		return 0;
	for (i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint64_t rb_u64(struct rbuf *r)
{
	const uint8_t *p = rb_get(r, 8);
	uint64_t v = 0;
	int i;

	if (!p)
		return 0;
	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * A u16-length string into @out (@size bytes with the NUL).  Longer than
 * fits, or with a NUL inside: returns false (and marks the read short, so
 * the decoder fails).
 */
static inline bool rb_str(struct rbuf *r, char *out, size_t size)
{
	uint16_t n = rb_u16(r);
	const uint8_t *p;

	if (r->short_read || n >= size) {
		r->short_read = true;
		out[0] = '\0';
		return false;
	}
	p = rb_get(r, n);
	if (!p || memchr(p, '\0', n)) {
		r->short_read = true;
		out[0] = '\0';
		return false;
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

#endif /* DMPOOLD_WIRE_H */
