// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for size parsing and formatting (dmpoolctl/size.c): every
 * accepted spelling, every class of garbage, the 64-bit overflow edges,
 * and the rounding of human-readable sizes.
 */
#include "size.h"
#include "unit.h"

struct parse_case {
	const char *in;
	enum size_error err;
	uint64_t want;
};

static const struct parse_case parse_cases[] = {
	{ "4096", SIZE_OK, 4096 },
	{ "1", SIZE_OK, 1 },
	{ "64K", SIZE_OK, 64ULL << 10 },
	{ "64k", SIZE_OK, 64ULL << 10 },
	{ "64KiB", SIZE_OK, 64ULL << 10 },
	{ "64kib", SIZE_OK, 64ULL << 10 },
	{ "64KB", SIZE_OK, 64ULL << 10 },
	{ "64M", SIZE_OK, 64ULL << 20 },
	{ "2G", SIZE_OK, 2ULL << 30 },
	{ "1T", SIZE_OK, 1ULL << 40 },
	{ "3P", SIZE_OK, 3ULL << 50 },
	{ "15E", SIZE_OK, 15ULL << 60 },
	{ "4096B", SIZE_OK, 4096 },
	{ "4096b", SIZE_OK, 4096 },
	{ "007", SIZE_OK, 7 },
	{ "18446744073709551615", SIZE_OK, UINT64_MAX },
	{ "16777215T", SIZE_OK, 16777215ULL << 40 },
	{ "", SIZE_EMPTY, 0 },
	{ "-1", SIZE_NEGATIVE, 0 },
	{ "-64M", SIZE_NEGATIVE, 0 },
	{ "+64M", SIZE_GARBAGE, 0 },
	{ " 64M", SIZE_GARBAGE, 0 },
	{ "64M ", SIZE_GARBAGE, 0 },
	{ "64 M", SIZE_GARBAGE, 0 },
	{ "1.5G", SIZE_GARBAGE, 0 },
	{ "0x10", SIZE_GARBAGE, 0 },
	{ "M", SIZE_GARBAGE, 0 },
	{ "abc", SIZE_GARBAGE, 0 },
	{ "64Q", SIZE_BAD_UNIT, 0 },
	{ "64MM", SIZE_BAD_UNIT, 0 },
	{ "64MiBB", SIZE_BAD_UNIT, 0 },
	{ "64Mi", SIZE_BAD_UNIT, 0 },
	{ "64iB", SIZE_BAD_UNIT, 0 },
	{ "64Bx", SIZE_BAD_UNIT, 0 },
	{ "18446744073709551616", SIZE_OVERFLOW, 0 },
	{ "99999999999999999999999", SIZE_OVERFLOW, 0 },
	{ "16E", SIZE_OVERFLOW, 0 },
	{ "16777216T", SIZE_OVERFLOW, 0 },
	{ "0", SIZE_ZERO, 0 },
	{ "0K", SIZE_ZERO, 0 },
	{ "000G", SIZE_ZERO, 0 },
};

static void test_parse_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		uint64_t got = 12345;
		enum size_error e = size_parse(c->in, &got);

		if (e != c->err) {
			printf("#   size_parse(\"%s\") = %d, want %d\n", c->in, e,
			       c->err);
			unit_point_failed = 1;
			continue;
		}
		if (e == SIZE_OK)
			CHECK_U64(got, c->want);
		else
			CHECK_U64(got, 12345);	/* untouched on error */
	}
}

static void test_parse_null(void)
{
	uint64_t v;

	CHECK(size_parse(NULL, &v) == SIZE_EMPTY);
}

static void test_error_strings(void)
{
	int e;

	for (e = SIZE_OK; e <= SIZE_ZERO; e++)
		CHECK(size_error_str((enum size_error)e)[0] != '\0');
	CHECK(strstr(size_error_str(SIZE_NEGATIVE), "negative") != NULL);
	CHECK(strstr(size_error_str(SIZE_ZERO), "zero") != NULL);
}

struct fmt_case {
	uint64_t in;
	const char *want;
};

static const struct fmt_case fmt_cases[] = {
	{ 0, "0 B" },
	{ 1, "1 B" },
	{ 1023, "1023 B" },
	{ 1024, "1 KiB" },
	{ 1536, "1.5 KiB" },
	{ 4096, "4 KiB" },
	{ 1025, "1.0 KiB" },
	{ 1126, "1.1 KiB" },
	{ 64ULL << 20, "64 MiB" },
	{ (1ULL << 20) - 1, "1.0 MiB" },	/* 1023.999 KiB rounds up a unit */
	{ (1ULL << 30) + (1ULL << 29), "1.5 GiB" },
	{ 1ULL << 40, "1 TiB" },
	{ 3ULL << 50, "3 PiB" },
	{ 1ULL << 60, "1 EiB" },
	{ UINT64_MAX, "16.0 EiB" },
	{ 15ULL << 60, "15 EiB" },
};

static void test_format_table(void)
{
	char buf[SIZE_FMT_MAX];
	size_t i;

	for (i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++)
		CHECK_STR(size_format(fmt_cases[i].in, buf, sizeof(buf)),
			  fmt_cases[i].want);
}

static void test_format_truncates_safely(void)
{
	char buf[4];

	CHECK_STR(size_format(64ULL << 20, buf, sizeof(buf)), "64 ");
}

/* Formatting then parsing an exact size gives it back (the unit, unspaced). */
static void test_round_trip(void)
{
	static const uint64_t sizes[] = { 4096, 64ULL << 10, 2ULL << 30, 1ULL << 40 };
	char buf[SIZE_FMT_MAX], compact[SIZE_FMT_MAX];
	size_t i, j, k;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t back = 0;

		size_format(sizes[i], buf, sizeof(buf));
		for (j = k = 0; buf[j]; j++) {
			if (buf[j] != ' ')
				compact[k++] = buf[j];
		}
		compact[k] = '\0';
		CHECK(size_parse(compact, &back) == SIZE_OK);
		CHECK_U64(back, sizes[i]);
	}
}

int main(void)
{
	RUN(test_parse_table);
	RUN(test_parse_null);
	RUN(test_error_strings);
	RUN(test_format_table);
	RUN(test_format_truncates_safely);
	RUN(test_round_trip);
	return unit_done();
}
