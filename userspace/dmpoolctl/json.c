// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer behind dmpoolctl -j.
 *
 * Output is meant for jq and scripts, so correctness beats features: the
 * writer tracks nesting and commas itself (callers cannot forget one),
 * escapes every control character, passes valid UTF-8 through and replaces
 * invalid bytes with U+FFFD so the output is always valid JSON, and
 * reports misuse from json_end() instead of writing broken text silently.
 * Numbers are unsigned 64-bit integers only: every quantity dmpool reports
 * is one.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_begin(struct json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/* Before any value: the comma, and a check that a key preceded it. */
static void before_value(struct json_writer *w)
{
	if (w->depth == 0) {
		/* One top-level value per document. */
		if (w->need_comma[0])
			w->bad = true;
		w->need_comma[0] = true;
		return;
	}
	if (w->in_object[w->depth]) {
		if (!w->have_key)
			w->bad = true;
		w->have_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->out);
	w->need_comma[w->depth] = true;
}

static void open_container(struct json_writer *w, bool object)
{
	before_value(w);
	if (w->depth + 1 >= JSON_MAX_DEPTH) {
		w->bad = true;
		return;
	}
	w->depth++;
	w->in_object[w->depth] = object;
	w->need_comma[w->depth] = false;
	fputc(object ? '{' : '[', w->out);
}

static void close_container(struct json_writer *w, bool object)
{
	if (w->depth == 0 || w->in_object[w->depth] != object || w->have_key) {
		w->bad = true;
		return;
	}
	w->depth--;
	fputc(object ? '}' : ']', w->out);
}

void json_object_begin(struct json_writer *w)
{
	open_container(w, true);
}

void json_object_end(struct json_writer *w)
{
	close_container(w, true);
}

void json_array_begin(struct json_writer *w)
{
	open_container(w, false);
}

void json_array_end(struct json_writer *w)
{
	close_container(w, false);
}

void json_key(struct json_writer *w, const char *key)
{
	if (w->depth == 0 || !w->in_object[w->depth] || w->have_key) {
		w->bad = true;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->out);
	w->need_comma[w->depth] = true;
	json_write_escaped(w->out, key);
	fputc(':', w->out);
	w->have_key = true;
}

/* Length of the valid UTF-8 sequence at @s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void json_write_escaped(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', out);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(out, "\\u%04x", *s);
				break;
			}
			n = utf8_seq_len(s);
			if (n == 0) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(s, 1, n, out);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', out);
}

void json_string(struct json_writer *w, const char *s)
{
	before_value(w);
	json_write_escaped(w->out, s);
}

void json_u64(struct json_writer *w, uint64_t v)
{
	before_value(w);
	fprintf(w->out, "%" PRIu64, v);
}

void json_bool(struct json_writer *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->out);
}

void json_fixed3(struct json_writer *w, double v)
{
	before_value(w);
	/* JSON has no NaN or infinity, and no sign is wanted here. */
	fprintf(w->out, "%.3f", v >= 0 && v < 1e15 ? v : 0.0);
}

void json_kv_string(struct json_writer *w, const char *key, const char *s)
{
	json_key(w, key);
	json_string(w, s);
}

void json_kv_u64(struct json_writer *w, const char *key, uint64_t v)
{
	json_key(w, key);
	json_u64(w, v);
}

void json_kv_bool(struct json_writer *w, const char *key, bool v)
{
	json_key(w, key);
	json_bool(w, v);
}

void json_kv_fixed3(struct json_writer *w, const char *key, double v)
{
	json_key(w, key);
	json_fixed3(w, v);
}

int json_end(struct json_writer *w)
{
	if (w->depth != 0 || w->have_key || !w->need_comma[0])
		w->bad = true;
	fputc('\n', w->out);
	if (fflush(w->out) != 0 || ferror(w->out))
		return -1;
	return w->bad ? -1 : 0;
}
