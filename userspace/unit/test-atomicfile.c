// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for writing a file whole or not at all
 * (dmpoolctl/atomicfile.c), as cluster init writes corosync.conf: in a
 * temporary directory, a new file, one that exists (refused without
 * force, replaced with it, no temporary file left behind either way), a
 * directory that does not exist.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "unit.h"

static char dir[] = "/tmp/dmpool-unit-XXXXXX";
static char path[sizeof(dir) + 16];
static char why[512];

static const char *slurp(const char *p, char *buf, size_t len)
{
	FILE *f = fopen(p, "r");
	size_t n = 0;

	buf[0] = '\0';
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* Files in the directory: only the target, no leftovers. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_new_file(void)
{
	struct stat st;
	char buf[64];

	CHECK(conf_write_atomic(path, "one\n", false, why, sizeof(why)) == 0);
	CHECK_STR(slurp(path, buf, sizeof(buf)), "one\n");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(entries() == 1);
}

static void test_exists(void)
{
	char buf[64];

	CHECK(conf_write_atomic(path, "two\n", false, why, sizeof(why)) < 0);
	CHECK(strstr(why, "exists: use --force") != NULL);
	CHECK_STR(slurp(path, buf, sizeof(buf)), "one\n");
	CHECK(entries() == 1);
	CHECK(conf_write_atomic(path, "three\n", true, why, sizeof(why)) == 0);
	CHECK_STR(slurp(path, buf, sizeof(buf)), "three\n");
	CHECK(entries() == 1);
}

static void test_no_dir(void)
{
	CHECK(conf_write_atomic("/nonexistent-dmpool/x.conf", "x", true, why,
				sizeof(why)) < 0);
	CHECK(strstr(why, "cannot create a file beside /nonexistent-dmpool/x.conf") != NULL);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/corosync.conf", dir);
	RUN(test_new_file);
	RUN(test_exists);
	RUN(test_no_dir);
	unlink(path);
	rmdir(dir);
	return unit_done();
}
