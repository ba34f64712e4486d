// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoolctl's output (dmpoolctl/output.c): the exact table,
 * show and version text people read, and the exact JSON programs parse,
 * including attributes the module did not send.
 */
#include <stdlib.h>

#include "output.h"
#include "unit-capture.h"
#include "unit.h"

static const struct ctl_pool pools[] = {
	{ .id = 1, .name = "cache", .size = 64ULL << 20,
	  .has_attached = true, .attached = 2,
	  .has_cached = true, .cached = 1536ULL << 10,
	  .has_stored = true, .stored = 64ULL << 20 },
	{ .id = 1234, .name = "a-much-longer-name", .size = 1ULL << 40,
	  .has_attached = true, .attached = 0,
	  .has_cached = true, .cached = 0,
	  .has_stored = true, .stored = 0 },
};

static const struct ctl_pool bare = {
	.id = 9, .name = "bare", .size = 4096,
};

static void test_table(void)
{
	struct capture c;

	CHECK(out_pool_list(cap_open(&c), pools, 2, false) == 0);
	CHECK_STR(cap_close(&c),
		  "  ID  NAME                  SIZE  ATTACHED   CACHED  STORED\n"
		  "   1  cache               64 MiB         2  1.5 MiB  64 MiB\n"
		  "1234  a-much-longer-name   1 TiB         0      0 B     0 B\n");
	free(c.buf);
}

static void test_table_empty_and_missing(void)
{
	struct capture c;

	CHECK(out_pool_list(cap_open(&c), NULL, 0, false) == 0);
	CHECK_STR(cap_close(&c), "ID  NAME  SIZE  ATTACHED  CACHED  STORED\n");
	free(c.buf);

	CHECK(out_pool_list(cap_open(&c), &bare, 1, false) == 0);
	CHECK_STR(cap_close(&c),
		  "ID  NAME   SIZE  ATTACHED  CACHED  STORED\n"
		  " 9  bare  4 KiB         -       -       -\n");
	free(c.buf);
}

static void test_list_json(void)
{
	struct capture c;

	CHECK(out_pool_list(cap_open(&c), pools, 2, true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"pools\":[{\"id\":1,\"name\":\"cache\",\"size\":67108864,"
		  "\"attached\":2,\"cached\":1572864,\"stored\":67108864},"
		  "{\"id\":1234,\"name\":\"a-much-longer-name\","
		  "\"size\":1099511627776,\"attached\":0,\"cached\":0,"
		  "\"stored\":0}]}\n");
	free(c.buf);

	CHECK(out_pool_list(cap_open(&c), NULL, 0, true) == 0);
	CHECK_STR(cap_close(&c), "{\"pools\":[]}\n");
	free(c.buf);
}

static void test_show(void)
{
	struct capture c;

	CHECK(out_pool_show(cap_open(&c), &pools[0], false) == 0);
	CHECK_STR(cap_close(&c),
		  "id:       1\n"
		  "name:     cache\n"
		  "size:     64 MiB (67108864 bytes)\n"
		  "attached: 2\n"
		  "cached:   1.5 MiB (1572864 bytes)\n"
		  "stored:   64 MiB (67108864 bytes)\n");
	free(c.buf);

	CHECK(out_pool_show(cap_open(&c), &bare, true) == 0);
	CHECK_STR(cap_close(&c), "{\"id\":9,\"name\":\"bare\",\"size\":4096}\n");
	free(c.buf);
}

static void test_created_destroyed(void)
{
	struct pool_sel by_name = { .name = "cache" };
	struct pool_sel by_id = { .by_id = true, .id = 5 };
	struct capture c;

	CHECK(out_pool_created(cap_open(&c), &pools[0], false) == 0);
	CHECK_STR(cap_close(&c), "created pool cache: ID 1, 64 MiB\n");
	free(c.buf);

	CHECK(out_pool_destroyed(cap_open(&c), &by_name, false) == 0);
	CHECK_STR(cap_close(&c), "destroyed pool cache\n");
	free(c.buf);

	CHECK(out_pool_destroyed(cap_open(&c), &by_id, true) == 0);
	CHECK_STR(cap_close(&c), "{\"destroyed\":{\"id\":5}}\n");
	free(c.buf);

	CHECK(out_pool_destroyed(cap_open(&c), &by_name, true) == 0);
	CHECK_STR(cap_close(&c), "{\"destroyed\":{\"name\":\"cache\"}}\n");
	free(c.buf);
}

static void test_version(void)
{
	struct ctl_version v = {
		.abi_version = 1, .features = DMPOOL_FEAT_LOCAL_POOLS | (1ULL << 6),
		.has_capacity = true, .store_capacity = 3ULL << 29,
		.has_committed = true, .store_committed = 64ULL << 20,
	};
	struct capture c;

	CHECK(out_version(cap_open(&c), "0.1.0", 1, &v, false) == 0);
	CHECK_STR(cap_close(&c),
		  "dmpoolctl  0.1.0 (ABI 1)\n"
		  "module     ABI 1\n"
		  "features   local_pools, bit 6\n"
		  "store      64 MiB committed of 1.5 GiB\n");
	free(c.buf);

	CHECK(out_version(cap_open(&c), "0.1.0", 1, &v, true) == 0);
	CHECK_STR(cap_close(&c),
		  "{\"dmpoolctl\":{\"version\":\"0.1.0\",\"abi_version\":1},"
		  "\"module\":{\"abi_version\":1,\"feature_bits\":65,"
		  "\"features\":[\"local_pools\",\"bit6\"],"
		  "\"store_capacity\":1610612736,\"store_committed\":67108864}}\n");
	free(c.buf);
}

static void test_feature_list(void)
{
	char buf[64], tiny[8];

	CHECK_STR(feature_list(0, buf, sizeof(buf)), "none");
	CHECK_STR(feature_list(1, buf, sizeof(buf)), "local_pools");
	CHECK_STR(feature_list(DMPOOL_FEAT_REMOTE | DMPOOL_FEAT_FILES, buf,
			       sizeof(buf)), "remote, files");
	CHECK_STR(feature_list(1ULL << 63, buf, sizeof(buf)), "bit 63");
	/* Truncates, never overruns. */
	CHECK_STR(feature_list(1, tiny, sizeof(tiny)), "local_p");
}

static const struct ctl_file files[] = {
	{ .pool_id = 5, .id = 1, .name = "log", .offset = 65536,
	  .size = 10000, .permits = 1, .mode = 0644, .uid = 0, .gid = 0 },
	{ .pool_id = 5, .id = 12, .name = "a\tb\n\x1b", .offset = 1052672,
	  .size = 1 << 20, .permits = 64, .mode = 0, .uid = 65534,
	  .gid = 100 },
};

static void test_file_list(void)
{
	CHECK_OUT("ID  NAME         OFFSET     SIZE  PERMITS  MODE    UID  GID\n"
		  " 1  log           65536  9.8 KiB        1  0644      0    0\n"
		  "12  a\\tb\\n\\x1b  1052672    1 MiB       64  0000  65534  100\n",
		  out_file_list, files, 2, false);
	CHECK_OUT("ID  NAME  OFFSET  SIZE  PERMITS  MODE  UID  GID\n",
		  out_file_list, NULL, 0, false);
	CHECK_OUT("{\"files\":[{\"pool_id\":5,\"id\":1,\"name\":\"log\","
		  "\"offset\":65536,\"size\":10000,\"permits\":1,\"mode\":420,"
		  "\"uid\":0,\"gid\":0},"
		  "{\"pool_id\":5,\"id\":12,\"name\":\"a\\tb\\n\\u001b\","
		  "\"offset\":1052672,\"size\":1048576,\"permits\":64,"
		  "\"mode\":0,\"uid\":65534,\"gid\":100}]}\n",
		  out_file_list, files, 2, true);
	CHECK_OUT("{\"files\":[]}\n", out_file_list, NULL, 0, true);
}

static void test_file_show_deleted(void)
{
	struct pool_sel by_name = { .name = "cache" };
	struct pool_sel by_id = { .by_id = true, .id = 5 };

	CHECK_OUT("id:       1\n"
		  "name:     log\n"
		  "pool id:  5\n"
		  "offset:   64 KiB (65536 bytes)\n"
		  "size:     9.8 KiB (10000 bytes)\n"
		  "permits:  1\n"
		  "mode:     0644\n"
		  "uid:      0\n"
		  "gid:      0\n",
		  out_file_show, &files[0], false);
	CHECK_OUT("{\"pool_id\":5,\"id\":1,\"name\":\"log\",\"offset\":65536,"
		  "\"size\":10000,\"permits\":1,\"mode\":420,\"uid\":0,"
		  "\"gid\":0}\n",
		  out_file_show, &files[0], true);
	CHECK_OUT("deleted file log from pool cache\n",
		  out_file_deleted, &by_name, "log", false);
	CHECK_OUT("deleted file a\\nb from pool ID 5\n",
		  out_file_deleted, &by_id, "a\nb", false);
	CHECK_OUT("{\"deleted\":{\"pool\":\"cache\",\"name\":\"log\"}}\n",
		  out_file_deleted, &by_name, "log", true);
	CHECK_OUT("{\"deleted\":{\"pool_id\":5,\"name\":\"log\"}}\n",
		  out_file_deleted, &by_id, "log", true);
}

static void test_name_escape(void)
{
	char buf[NAME_ESC_MAX], tiny[6];
	char longname[DMPOOL_FILE_NAME_MAX + 1];

	CHECK_STR(name_escape("plain name \xe2\x82\xac", buf, sizeof(buf)),
		  "plain name \xe2\x82\xac");
	CHECK_STR(name_escape("\x01\t\n\x7f\\", buf, sizeof(buf)),
		  "\\x01\\t\\n\\x7f\\");
	/* The worst case fits NAME_ESC_MAX. */
	memset(longname, '\x01', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_U64(strlen(name_escape(longname, buf, sizeof(buf))),
		  4 * DMPOOL_FILE_NAME_MAX);
	/* Cut short, never in the middle of an escape. */
	CHECK_STR(name_escape("ab\x01", tiny, sizeof(tiny)), "ab");
	CHECK_STR(name_escape("abcdefgh", tiny, sizeof(tiny)), "abcde");
}

static void test_write_error(void)
{
	FILE *f = fopen("/dev/full", "w");

	CHECK(f != NULL);
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	CHECK(out_pool_list(f, pools, 2, false) < 0);
	CHECK(out_pool_list(f, pools, 2, true) < 0);
	CHECK(out_file_list(f, files, 2, false) < 0);
	CHECK(out_file_show(f, files, true) < 0);
	fclose(f);
}

int main(void)
{
	RUN(test_table);
	RUN(test_table_empty_and_missing);
	RUN(test_list_json);
	RUN(test_show);
	RUN(test_created_destroyed);
	RUN(test_version);
	RUN(test_feature_list);
	RUN(test_file_list);
	RUN(test_file_show_deleted);
	RUN(test_name_escape);
	RUN(test_write_error);
	return unit_done();
}
