// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the pure parts of dmpoolctl file load, dump, append and
 * update (dmpoolctl/fileio_core.c and their command lines in cli.c):
 * splitting a range by extent homes, the progress and summary lines,
 * SHA-256 and the JSON result.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"
#include "fileio.h"
#include "unit.h"

#include "unit-cli.h"

#define MIB (1ULL << 20)

static void test_parse_io(void)
{
	struct cli c;

	CHECK(parse(&c, "file", "load", "cache", "log", "/tmp/x", NULL) ==
	      CLI_OK);
	CHECK(c.cmd == CMD_FILE_LOAD);
	CHECK(cli_is_file_cmd(c.cmd));
	CHECK_STR(c.sel.name, "cache");
	CHECK_STR(c.file, "log");
	CHECK_STR(c.local, "/tmp/x");
	CHECK(c.progress == 0 && !c.has_mode && !c.json);

	CHECK(parse(&c, "file", "load", "7", "x", "-", "--mode", "0600",
		    "--permits", "2", "--no-progress", "-j", NULL) == CLI_OK);
	CHECK(c.sel.by_id && c.sel.id == 7);
	CHECK_STR(c.local, "-");
	CHECK(c.has_mode && c.mode == 0600 && c.permits == 2);
	CHECK(c.progress == -1 && c.json);

	/* dump: LOCALFILE is optional, stdout by default. */
	CHECK(parse(&c, "file", "dump", "p", "x", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_FILE_DUMP);
	CHECK_STR(c.local, "-");
	CHECK(!c.has_length && c.offset == 0);
	CHECK(parse(&c, "file", "dump", "p", "x", "out.bin", "--offset", "4K",
		    "--length=1M", "--progress", NULL) == CLI_OK);
	CHECK_STR(c.local, "out.bin");
	CHECK_U64(c.offset, 4096);
	CHECK(c.has_length);
	CHECK_U64(c.length, MIB);
	CHECK(c.progress == 1);
	CHECK(parse(&c, "file", "dump", "p", "x", "--offset", "0",
		    "--length", "0", NULL) == CLI_OK);
	CHECK(c.has_length && c.length == 0);

	CHECK(parse(&c, "file", "append", "p", "x", "-", NULL) == CLI_OK);
	CHECK(c.cmd == CMD_FILE_APPEND);
	CHECK_STR(c.local, "-");

	CHECK(parse(&c, "file", "update", "p", "x", "1M", "patch", NULL) ==
	      CLI_OK);
	CHECK(c.cmd == CMD_FILE_UPDATE);
	CHECK_U64(c.offset, MIB);
	CHECK_STR(c.local, "patch");
	CHECK(parse(&c, "file", "update", "p", "x", "0", "-", NULL) == CLI_OK);
	CHECK_U64(c.offset, 0);
}

static void test_parse_io_errors(void)
{
	CHECK_USAGE("missing argument: dmpoolctl file load POOL NAME LOCALFILE",
		    "file", "load", "p", "x");
	CHECK_USAGE("unexpected argument 'y'", "file", "load", "p", "x", "f",
		    "y");
	CHECK_USAGE("missing argument: dmpoolctl file dump POOL NAME",
		    "file", "dump", "p");
	CHECK_USAGE("unexpected argument 'z'", "file", "dump", "p", "x", "f",
		    "z");
	CHECK_USAGE("missing argument: dmpoolctl file append", "file",
		    "append", "p", "x");
	CHECK_USAGE("missing argument: dmpoolctl file update POOL NAME OFFSET LOCALFILE",
		    "file", "update", "p", "x", "0");
	CHECK_USAGE("invalid offset '1.5K'", "file", "update", "p", "x",
		    "1.5K", "f");
	CHECK_USAGE("invalid offset '-1'", "file", "update", "p", "x", "-1",
		    "f");
	CHECK_USAGE("invalid offset '2T': larger than the largest pool",
		    "file", "update", "p", "x", "2T", "f");
	CHECK_USAGE("invalid --length 'x'", "file", "dump", "p", "x",
		    "--length", "x");
	CHECK_USAGE("invalid file name 'a/b'", "file", "load", "p", "a/b", "f");
	CHECK_USAGE("the local file name is empty", "file", "load", "p", "x",
		    "");
	CHECK_USAGE("--offset only applies to file dump", "file", "update",
		    "p", "x", "0", "f", "--offset", "1");
	CHECK_USAGE("--length only applies to file dump", "file", "load", "p",
		    "x", "f", "--length", "1");
	CHECK_USAGE("--mode only applies to file create, file load",
		    "file", "append", "p", "x", "f", "--mode", "0600");
	CHECK_USAGE("--progress and --no-progress exclude each other", "file",
		    "dump", "p", "x", "--progress", "--no-progress");
	CHECK_USAGE("--progress only applies to file load, dump, append and update",
		    "file", "list", "p", "--progress");
	CHECK_USAGE("--no-progress only applies", "pool", "list",
		    "--no-progress");
	CHECK_USAGE("-j needs a LOCALFILE", "-j", "file", "dump", "p", "x");
	CHECK_USAGE("-j needs a LOCALFILE", "file", "dump", "p", "x", "-",
		    "--json");
}

static void test_split_local(void)
{
	struct fio_group *g;
	size_t n;

	/* Not placed: one group, node 0, one segment. */
	CHECK(fio_split(65536, 5 * MIB + 3, 0, 0, NULL, 0, &g, &n) == 0);
	CHECK(n == 1);
	CHECK(g[0].node == 0 && g[0].nseg == 1);
	CHECK_U64(g[0].seg[0].pos, 0);
	CHECK_U64(g[0].seg[0].len, 5 * MIB + 3);
	CHECK_U64(g[0].bytes, 5 * MIB + 3);
	fio_groups_free(g, n);

	CHECK(fio_split(0, 0, MIB, 1, NULL, 0, &g, &n) == 0);
	CHECK(n == 0 && g == NULL);
}

static void test_split_placed(void)
{
	/* 8 extents of 1 MiB: nodes 1 2 3 1 2 3 3 1 */
	static const uint32_t map[] = { 1, 2, 3, 1, 2, 3, 3, 1 };
	struct fio_group *g;
	size_t n;

	/* From 64 KiB into extent 0 to 100 bytes into extent 6. */
	CHECK(fio_split(65536, 6 * MIB - 65536 + 100, MIB, 1, map, 8, &g,
			&n) == 0);
	CHECK(n == 3);
	CHECK(g[0].node == 1 && g[1].node == 2 && g[2].node == 3);
	/* node 1: extent 0 (part), extent 3 */
	CHECK(g[0].nseg == 2);
	CHECK_U64(g[0].seg[0].pos, 0);
	CHECK_U64(g[0].seg[0].len, MIB - 65536);
	CHECK_U64(g[0].seg[1].pos, 3 * MIB - 65536);
	CHECK_U64(g[0].seg[1].len, MIB);
	CHECK_U64(g[0].bytes, 2 * MIB - 65536);
	/* node 2: extents 1 and 4 */
	CHECK(g[1].nseg == 2);
	CHECK_U64(g[1].seg[0].pos, MIB - 65536);
	CHECK_U64(g[1].bytes, 2 * MIB);
	/* node 3: extent 2, then 5 and the start of 6 merged */
	CHECK(g[2].nseg == 2);
	CHECK_U64(g[2].seg[0].pos, 2 * MIB - 65536);
	CHECK_U64(g[2].seg[0].len, MIB);
	CHECK_U64(g[2].seg[1].pos, 5 * MIB - 65536);
	CHECK_U64(g[2].seg[1].len, MIB + 100);
	CHECK_U64(g[0].bytes + g[1].bytes + g[2].bytes, 6 * MIB - 65536 + 100);
	fio_groups_free(g, n);

	/* Inside one extent. */
	CHECK(fio_split(7 * MIB + 5, 10, MIB, 1, map, 8, &g, &n) == 0);
	CHECK(n == 1 && g[0].node == 1 && g[0].nseg == 1);
	CHECK_U64(g[0].seg[0].len, 10);
	fio_groups_free(g, n);

	/* Two replicas per extent: the first home counts. */
	{
		static const uint32_t map2[] = { 2, 1, 3, 1 };

		CHECK(fio_split(0, 2 * MIB, MIB, 2, map2, 4, &g, &n) == 0);
		CHECK(n == 2 && g[0].node == 2 && g[1].node == 3);
		fio_groups_free(g, n);
	}

	/* Past the map: EINVAL, nothing allocated. */
	errno = 0;
	CHECK(fio_split(7 * MIB, MIB + 1, MIB, 1, map, 8, &g, &n) == -1);
	CHECK(errno == EINVAL);
	CHECK(g == NULL && n == 0);
	CHECK(fio_split(0, 1, MIB, 0, map, 8, &g, &n) == -1);
	CHECK(fio_split(UINT64_MAX, 2, MIB, 1, map, 8, &g, &n) == -1);
}

static void test_progress(void)
{
	char buf[FIO_PROGRESS_MAX];

	CHECK_STR(fio_progress_format(buf, sizeof(buf), 0, 10 * MIB, 0, 10),
		  "[>         ]   0%  0 B / 10 MiB  0.0 MB/s");
	CHECK_STR(fio_progress_format(buf, sizeof(buf), 5 * MIB, 10 * MIB, 2,
				      10),
		  "[====>     ]  50%  5 MiB / 10 MiB  2.6 MB/s");
	CHECK_STR(fio_progress_format(buf, sizeof(buf), 10 * MIB, 10 * MIB,
				      1, 10),
		  "[==========] 100%  10 MiB / 10 MiB  10.5 MB/s");
	/* More than the total is the total; no total is done. */
	CHECK_STR(fio_progress_format(buf, sizeof(buf), 11, 10, 0, 4),
		  "[====] 100%  10 B / 10 B  0.0 MB/s");
	CHECK_STR(fio_progress_format(buf, sizeof(buf), 0, 0, 0, 0),
		  "[=] 100%  0 B / 0 B  0.0 MB/s");
	/* A tiny buffer is cut, not overrun. */
	CHECK(strlen(fio_progress_format(buf, 8, 1, 2, 1, 60)) == 7);
	CHECK(fio_rate(3000000, 1.5) == 2.0);
	CHECK(fio_rate(1, 0) == 0);
}

static void test_sha256(void)
{
	char hex[FIO_SHA256_HEX], hex2[FIO_SHA256_HEX];
	struct fio_sha *sha;
	static char big[100000];

	CHECK(fio_sha256_hex("", 0, hex) == 0);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK(fio_sha256_hex("abc", 3, hex) == 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* In pieces, as the commands feed it, equals at once. */
	memset(big, 'a', sizeof(big));
	big[12345] = 'b';
	CHECK(fio_sha256_hex(big, sizeof(big), hex) == 0);
	sha = fio_sha_new();
	CHECK(sha != NULL);
	CHECK(fio_sha_update(sha, big, 1) == 0);
	CHECK(fio_sha_update(sha, big + 1, 0) == 0);
	CHECK(fio_sha_update(sha, big + 1, sizeof(big) - 1) == 0);
	CHECK(fio_sha_final(sha, hex2) == 0);
	CHECK_STR(hex2, hex);
	fio_sha_free(NULL);
	fio_sha_free(fio_sha_new());
}

static void test_summary(void)
{
	struct fio_result r = {
		.cmd = CMD_FILE_LOAD, .pool = "cache", .name = "log",
		.local = "/tmp/in", .bytes = 5000000, .secs = 2.0,
		.verified = true,
	};
	char buf[512];

	CHECK_STR(fio_summary(&r, buf, sizeof(buf)),
		  "loaded 5000000 bytes into cache/log in 2.00 s (2.5 MB/s), sha256 OK");
	r.still_cached = 3;
	CHECK_STR(fio_summary(&r, buf, sizeof(buf)),
		  "loaded 5000000 bytes into cache/log in 2.00 s (2.5 MB/s), sha256 OK (3 pages read from this node's cache)");
	r.still_cached = 1;
	CHECK(strstr(fio_summary(&r, buf, sizeof(buf)),
		     "sha256 OK (1 page read from this node's cache)"));
	r.verified = false;
	CHECK(strstr(fio_summary(&r, buf, sizeof(buf)), "sha256 MISMATCH"));
	r.verified = true;
	r.still_cached = 0;
	r.cmd = CMD_FILE_APPEND;
	r.offset = 42;
	CHECK_STR(fio_summary(&r, buf, sizeof(buf)),
		  "appended 5000000 bytes to cache/log at offset 42 in 2.00 s (2.5 MB/s), sha256 OK");
	r.cmd = CMD_FILE_UPDATE;
	CHECK_STR(fio_summary(&r, buf, sizeof(buf)),
		  "updated 5000000 bytes of cache/log at offset 42 in 2.00 s (2.5 MB/s), sha256 OK");
	r.cmd = CMD_FILE_DUMP;
	r.local = "-";
	snprintf(r.sha256, sizeof(r.sha256), "%s", "ab12");
	CHECK_STR(fio_summary(&r, buf, sizeof(buf)),
		  "dumped 5000000 bytes of cache/log to stdout in 2.00 s (2.5 MB/s), sha256 ab12");
}

static void test_json(void)
{
	struct fio_result r = {
		.cmd = CMD_FILE_LOAD, .pool = "cache", .name = "l\"og",
		.local = "/tmp/in", .bytes = 5000000, .secs = 2.0,
		.verified = true, .created = true,
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(r.sha256, sizeof(r.sha256), "%s", "00ff");
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	CHECK(fio_json(f, &r) == 0);
	fclose(f);
	CHECK_STR(text, "{\"pool\":\"cache\",\"name\":\"l\\\"og\",\"from\":\"/tmp/in\","
		  "\"offset\":0,\"bytes\":5000000,\"seconds\":2.000,"
		  "\"mb_per_s\":2.500,\"sha256\":\"00ff\",\"verified\":true,"
		  "\"still_cached_pages\":0,\"created\":true}\n");
	free(text);

	r.cmd = CMD_FILE_DUMP;
	text = NULL;
	f = open_memstream(&text, &len);
	CHECK(fio_json(f, &r) == 0);
	fclose(f);
	CHECK(strstr(text, "\"to\":\"/tmp/in\"") != NULL);
	CHECK(strstr(text, "verified") == NULL);
	free(text);
}

static void test_errtext(void)
{
	CHECK_STR(fio_errtext(ENOSPC), "no room in the pool");
	CHECK_STR(fio_errtext(-EACCES), "permission denied");
	CHECK(strstr(fio_errtext(ENOTCONN), "cluster lock manager") != NULL);
	CHECK(strstr(fio_errtext(ESTALE), "fencing") != NULL);
}

int main(void)
{
	RUN(test_parse_io);
	RUN(test_parse_io_errors);
	RUN(test_split_local);
	RUN(test_split_placed);
	RUN(test_progress);
	RUN(test_sha256);
	RUN(test_summary);
	RUN(test_json);
	RUN(test_errtext);
	return unit_done();
}
