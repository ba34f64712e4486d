// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the pool name rule (lib/name.c): 1..63 bytes of
 * [A-Za-z0-9._-], not starting with '.' or '-', exactly as the uapi says.
 */
#include "dmpool.h"
#include "unit.h"

static void test_valid(void)
{
	CHECK(dmp_name_valid("a"));
	CHECK(dmp_name_valid("cache"));
	CHECK(dmp_name_valid("Pool_1.v2-x"));
	CHECK(dmp_name_valid("123"));
	CHECK(dmp_name_valid("_x"));
	CHECK(dmp_name_valid("a."));
	CHECK(dmp_name_valid("a-"));
}

static void test_invalid(void)
{
	CHECK(!dmp_name_valid(NULL));
	CHECK(!dmp_name_valid(""));
	CHECK(!dmp_name_valid(".hidden"));
	CHECK(!dmp_name_valid("-opt"));
	CHECK(!dmp_name_valid("a b"));
	CHECK(!dmp_name_valid("a/b"));
	CHECK(!dmp_name_valid("a:b"));
	CHECK(!dmp_name_valid("caf\xc3\xa9"));
	CHECK(!dmp_name_valid("tab\t"));
	CHECK(!dmp_name_valid("nl\n"));
	CHECK(!dmp_name_valid("quote\""));
}

static void test_length_limit(void)
{
	char name[DMP_NAME_MAX + 2];

	memset(name, 'n', sizeof(name));
	name[DMP_NAME_MAX] = '\0';	/* 63 bytes: the longest valid name */
	CHECK(dmp_name_valid(name));
	name[DMP_NAME_MAX] = 'n';
	name[DMP_NAME_MAX + 1] = '\0';	/* 64 bytes */
	CHECK(!dmp_name_valid(name));
}

int main(void)
{
	RUN(test_valid);
	RUN(test_invalid);
	RUN(test_length_limit);
	return unit_done();
}
