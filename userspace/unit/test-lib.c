// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for libdmpool without the module (lib/): opening what is not
 * a dmpool device fails with the documented errno, every call on a NULL
 * or unattached handle fails cleanly, and dmp_strerror() names dmpool
 * causes.  The attached paths run in the VM suite (dmpool-demo, bats).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dmpool.h"
#include "unit.h"

static void test_open_missing_device(void)
{
	errno = 0;
	CHECK(dmp_open_path("/nonexistent/dmpool") == NULL);
	CHECK(errno == ENODEV);
}

static void test_open_wrong_device(void)
{
	char path[] = "/tmp/dmpool-unit-XXXXXX";
	int fd = mkstemp(path);

	errno = 0;
	CHECK(dmp_open_path("/dev/null") == NULL);
	CHECK(errno == ENOTTY);

	CHECK(fd >= 0);
	errno = 0;
	CHECK(dmp_open_path(path) == NULL);	/* a regular file */
	CHECK(errno == ENOTTY);
	close(fd);
	unlink(path);

	errno = 0;
	CHECK(dmp_open_path(NULL) == NULL);
	CHECK(errno == EINVAL);
}

static void test_null_handle(void)
{
	struct dmp_info info;

	errno = 0;
	CHECK(dmp_attach_name(NULL, "x") < 0 && errno == EBADF);
	CHECK(dmp_attach_id(NULL, 1) < 0 && errno == EBADF);
	CHECK(dmp_map(NULL, 0, 4096, PROT_READ) == NULL && errno == EBADF);
	CHECK(dmp_info(NULL, &info) < 0 && errno == EBADF);
	CHECK(dmp_fd(NULL) < 0 && errno == EBADF);
	CHECK_U64(dmp_size(NULL), 0);
	CHECK_U64(dmp_id(NULL), 0);
	CHECK(dmp_close(NULL) == 0);
}

static void test_argument_checks(void)
{
	char dummy;

	/* Checked before the handle is looked at. */
	errno = 0;
	CHECK(dmp_attach_name(NULL, "bad name") < 0 && errno == EINVAL);
	CHECK(dmp_attach_name(NULL, NULL) < 0 && errno == EINVAL);
	CHECK(dmp_attach_name(NULL, "") < 0 && errno == EINVAL);
	CHECK(dmp_attach_id(NULL, 0) < 0 && errno == EINVAL);
	CHECK(dmp_unmap(NULL, NULL, 4096) < 0 && errno == EINVAL);
	CHECK(dmp_unmap(NULL, &dummy, 0) < 0 && errno == EINVAL);
}

static void test_unmap_unaligned(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)ps * 2, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	/* dmp_unmap() of an interior pointer unmaps from its page start. */
	CHECK(p != MAP_FAILED);
	CHECK(dmp_unmap(NULL, p + 100, (size_t)ps * 2 - 100) == 0);
	CHECK(msync(p, (size_t)ps, MS_ASYNC) < 0 && errno == ENOMEM);
	CHECK(msync(p + ps, (size_t)ps, MS_ASYNC) < 0 && errno == ENOMEM);
}

static void test_strerror(void)
{
	CHECK(strstr(dmp_strerror(ENODEV), "not loaded") != NULL);
	CHECK(strstr(dmp_strerror(EPROTO), "ABI") != NULL);
	CHECK(strstr(dmp_strerror(ENOENT), "no such pool") != NULL);
	CHECK(strstr(dmp_strerror(-ENOENT), "no such pool") != NULL);
	CHECK(strstr(dmp_strerror(EBADFD), "not attached") != NULL);
	CHECK(strstr(dmp_strerror(ENXIO), "outside the pool") != NULL);
	CHECK(strstr(dmp_strerror(EACCES), "access policy") != NULL);
	CHECK(strstr(dmp_strerror(-EPERM), "permission denied") != NULL);
	CHECK_STR(dmp_strerror(0), "success");
	CHECK_STR(dmp_strerror(ENOMEM), strerror(ENOMEM));
}

/* File names and the file calls' own checks, before any ioctl. */
static void test_file_calls(void)
{
	char longname[DMP_FILE_NAME_MAX + 2];
	struct dmp_file f = { .id = 1 };

	CHECK(dmp_file_name_valid("a"));
	CHECK(dmp_file_name_valid("counter.db"));
	CHECK(dmp_file_name_valid("with space"));
	CHECK(!dmp_file_name_valid(NULL));
	CHECK(!dmp_file_name_valid(""));
	CHECK(!dmp_file_name_valid("."));
	CHECK(!dmp_file_name_valid(".."));
	CHECK(!dmp_file_name_valid("a/b"));
	memset(longname, 'x', sizeof(longname));
	longname[DMP_FILE_NAME_MAX] = '\0';
	CHECK(dmp_file_name_valid(longname));
	longname[DMP_FILE_NAME_MAX] = 'x';
	longname[DMP_FILE_NAME_MAX + 1] = '\0';
	CHECK(!dmp_file_name_valid(longname));

	errno = 0;
	CHECK(dmp_file_create(NULL, "a/b", 4096, 1, 0644, NULL) == -1);
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(dmp_file_open(NULL, "", NULL) == -1);
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(dmp_file_grow(NULL, NULL, 4096) == -1);
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(dmp_mutex_lock(NULL, NULL, NULL) == -1);
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(dmp_sem_post(NULL, NULL) == -1);
	CHECK(errno == EINVAL);
	/* A NULL handle has no descriptor: EBADF from the ioctl. */
	errno = 0;
	CHECK(dmp_mutex_trylock(NULL, &f, NULL) == -1);
	CHECK(errno == EBADF);
	errno = 0;
	CHECK(dmp_file_delete(NULL, "f") == -1);
	CHECK(errno == EBADF);
	CHECK(strstr(dmp_strerror(EOWNERDEAD), "died") != NULL);
	CHECK(strstr(dmp_strerror(ENOTCONN), "lock manager") != NULL);
}

int main(void)
{
	RUN(test_open_missing_device);
	RUN(test_open_wrong_device);
	RUN(test_null_handle);
	RUN(test_argument_checks);
	RUN(test_unmap_unaligned);
	RUN(test_strerror);
	RUN(test_file_calls);
	return unit_done();
}
