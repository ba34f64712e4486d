/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: objects, arrays, strings, unsigned
 * integers and booleans, written compactly to a FILE.
 */
#ifndef DMPOOLCTL_JSON_H
#define DMPOOLCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	int depth;			/* open containers */
	bool in_object[JSON_MAX_DEPTH];	/* container kind per level */
	bool need_comma[JSON_MAX_DEPTH];/* a value was written at this level */
	bool have_key;			/* a key waits for its value */
	bool bad;			/* misuse seen: json_end() fails */
};

void json_begin(struct json_writer *w, FILE *out);
void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);

/* Inside an object: the key of the next value. */
void json_key(struct json_writer *w, const char *key);

void json_string(struct json_writer *w, const char *s);
void json_u64(struct json_writer *w, uint64_t v);
void json_bool(struct json_writer *w, bool v);
/* A number of 0 to 10^15 with three decimals ("1.250"); else 0.000. */
void json_fixed3(struct json_writer *w, double v);

/* Shorthands for a key followed by its value. */
void json_kv_string(struct json_writer *w, const char *key, const char *s);
void json_kv_u64(struct json_writer *w, const char *key, uint64_t v);
void json_kv_bool(struct json_writer *w, const char *key, bool v);
void json_kv_fixed3(struct json_writer *w, const char *key, double v);

/*
 * Finish the document with a newline.  Returns 0, or -1 if the writer was
 * misused (unbalanced containers, a value without a key inside an object,
 * too deep) or the stream had an error.
 */
int json_end(struct json_writer *w);

/* Write @s as a JSON string literal, quotes included (exposed for tests). */
void json_write_escaped(FILE *out, const char *s);

#endif /* DMPOOLCTL_JSON_H */
