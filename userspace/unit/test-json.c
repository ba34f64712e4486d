// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the JSON writer (dmpoolctl/json.c): commas and nesting,
 * escaping of every control character, UTF-8 pass-through and repair,
 * and detection of misuse that would otherwise print invalid JSON.
 */
#include <stdlib.h>

#include "json.h"
#include "unit.h"

/* Capture what a writer prints. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
}

static const char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static const char *escaped(struct capture *c, const char *s)
{
	cap_open(c);
	json_write_escaped(c->f, s);
	return cap_close(c);
}

static void test_escape_basic(void)
{
	struct capture c;

	CHECK_STR(escaped(&c, "pool-1"), "\"pool-1\"");
	free(c.buf);
	CHECK_STR(escaped(&c, ""), "\"\"");
	free(c.buf);
	CHECK_STR(escaped(&c, NULL), "\"\"");
	free(c.buf);
	CHECK_STR(escaped(&c, "a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
	free(c.buf);
}

static void test_escape_controls(void)
{
	struct capture c;

	CHECK_STR(escaped(&c, "\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
	free(c.buf);
	CHECK_STR(escaped(&c, "\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	free(c.buf);
}

static void test_escape_utf8(void)
{
	struct capture c;

	/* Valid 2-, 3- and 4-byte sequences pass through. */
	CHECK_STR(escaped(&c, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	free(c.buf);
	/* A lone continuation byte and a bad lead byte. */
	CHECK_STR(escaped(&c, "a\x80" "b\xff"), "\"a\\ufffdb\\ufffd\"");
	free(c.buf);
	/* Truncated sequence at the end of the string. */
	CHECK_STR(escaped(&c, "x\xe2\x82"), "\"x\\ufffd\\ufffd\"");
	free(c.buf);
	/* Overlong "/" (C0 AF), overlong 3-byte, a surrogate, beyond U+10FFFF. */
	CHECK_STR(escaped(&c, "\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	free(c.buf);
	CHECK_STR(escaped(&c, "\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	free(c.buf);
	CHECK_STR(escaped(&c, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	free(c.buf);
	CHECK_STR(escaped(&c, "\xf4\x90\x80\x80"),
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	free(c.buf);
}

static void test_document(void)
{
	struct json_writer w;
	struct capture c;

	cap_open(&c);
	json_begin(&w, c.f);
	json_object_begin(&w);
	json_key(&w, "pools");
	json_array_begin(&w);
	json_object_begin(&w);
	json_kv_u64(&w, "id", 1);
	json_kv_string(&w, "name", "a\"b");
	json_kv_bool(&w, "t", true);
	json_object_end(&w);
	json_object_begin(&w);
	json_object_end(&w);
	json_array_end(&w);
	json_kv_u64(&w, "max", UINT64_MAX);
	json_key(&w, "empty");
	json_array_begin(&w);
	json_array_end(&w);
	json_kv_bool(&w, "f", false);
	json_object_end(&w);
	CHECK(json_end(&w) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"pools\":[{\"id\":1,\"name\":\"a\\\"b\",\"t\":true},{}],"
		  "\"max\":18446744073709551615,\"empty\":[],\"f\":false}\n");
	free(c.buf);
}

static void test_array_of_scalars(void)
{
	struct json_writer w;
	struct capture c;

	cap_open(&c);
	json_begin(&w, c.f);
	json_array_begin(&w);
	json_u64(&w, 0);
	json_string(&w, "x");
	json_bool(&w, false);
	json_array_begin(&w);
	json_array_end(&w);
	json_array_end(&w);
	CHECK(json_end(&w) == 0);
	CHECK_STR(cap_close(&c), "[0,\"x\",false,[]]\n");
	free(c.buf);
}

/* Run @fn against a fresh writer and return json_end()'s verdict. */
static int misuse(void (*fn)(struct json_writer *w))
{
	struct json_writer w;
	struct capture c;
	int ret;

	cap_open(&c);
	json_begin(&w, c.f);
	fn(&w);
	ret = json_end(&w);
	cap_close(&c);
	free(c.buf);
	return ret;
}

static void unclosed(struct json_writer *w)
{
	json_object_begin(w);
}

static void value_without_key(struct json_writer *w)
{
	json_object_begin(w);
	json_u64(w, 1);
	json_object_end(w);
}

static void key_without_value(struct json_writer *w)
{
	json_object_begin(w);
	json_key(w, "k");
	json_object_end(w);
}

static void key_in_array(struct json_writer *w)
{
	json_array_begin(w);
	json_key(w, "k");
	json_u64(w, 1);
	json_array_end(w);
}

static void mismatched_close(struct json_writer *w)
{
	json_object_begin(w);
	json_array_end(w);
}

static void two_documents(struct json_writer *w)
{
	json_u64(w, 1);
	json_u64(w, 2);
}

static void nothing(struct json_writer *w)
{
	(void)w;
}

static void too_deep(struct json_writer *w)
{
	int i;

	for (i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_array_begin(w);
	for (i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_array_end(w);
}

static void test_misuse_detected(void)
{
	CHECK(misuse(unclosed) < 0);
	CHECK(misuse(value_without_key) < 0);
	CHECK(misuse(key_without_value) < 0);
	CHECK(misuse(key_in_array) < 0);
	CHECK(misuse(mismatched_close) < 0);
	CHECK(misuse(two_documents) < 0);
	CHECK(misuse(nothing) < 0);
	CHECK(misuse(too_deep) < 0);
}

static void test_write_error_reported(void)
{
	struct json_writer w;
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		printf("#   no /dev/full; cannot check write errors\n");
		unit_point_failed = 1;
		return;
	}
	json_begin(&w, f);
	json_string(&w, "data");
	CHECK(json_end(&w) < 0);
	fclose(f);
}

int main(void)
{
	RUN(test_escape_basic);
	RUN(test_escape_controls);
	RUN(test_escape_utf8);
	RUN(test_document);
	RUN(test_array_of_scalars);
	RUN(test_misuse_detected);
	RUN(test_write_error_reported);
	return unit_done();
}
