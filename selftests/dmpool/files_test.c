// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the argument checks of the file and lock ioctls on one node: every
 * bad flag, reserved field, name, size, permit count, mode, kind, timeout
 * and pointer gets its precise errno before anything happens; file and lock
 * ioctls before attach are -EBADFD; a lock of a file this description did
 * not open is -ENOENT; a pool no larger than its directory is -ENOSPC; and,
 * while the node runs no cluster lock manager, creating a file is
 * -ENOTCONN.  (files.bats proves what the ioctls do on the 3-VM cluster.)
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

#define POOL_SIZE	(1 * MiB)

FIXTURE(files) {
	struct dmnl nl;
	struct dmnl_pool pool;
	char name[64];
	int fd;
};

FIXTURE_SETUP(files)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	dm_name(self->name, sizeof(self->name), "files");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, self->name, POOL_SIZE,
				   &self->pool)) TH_LOG("%s", self->nl.errmsg);
	self->fd = dm_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(files)
{
	if (self->fd >= 0)
		close(self->fd);
	dmnl_pool_del(&self->nl, self->pool.id, NULL, DMPOOL_POOL_DEL_FORCE);
	dmnl_close(&self->nl);
}

static struct dmpool_file_req file_req(const char *name)
{
	return (struct dmpool_file_req){
		.name = (uintptr_t)name,
		.name_len = strlen(name),
		.size = 4096,
	};
}

/* A node whose dlm_controld configured the DLM has comms entries. */
static bool lock_manager_running(void)
{
	DIR *d = opendir("/sys/kernel/config/dlm/cluster/comms");
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while ((e = readdir(d)))
		any |= e->d_name[0] != '.';
	closedir(d);
	return any;
}

TEST_F(files, feature_bit)
{
	struct dmpool_version v = { 0 };

	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, &v));
	EXPECT_TRUE(v.features & DMPOOL_FEAT_FILES);
}

TEST_F(files, before_attach)
{
	struct dmpool_file_req r = file_req("a");
	struct dmpool_lock l = { .file_id = 1 };

	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_FILE_CREATE, &r));
	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_FILE_OPEN, &r));
	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_FILE_DELETE, &r));
	r = (struct dmpool_file_req){ .file_id = 1, .size = 8192 };
	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_FILE_GROW, &r));
	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_LOCK, &l));
	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_UNLOCK, &l));
}

TEST_F(files, file_bad_input)
{
	static const char * const bad[] = { "a/b", "/", ".", "..", "x/" };
	char longname[DMPOOL_FILE_NAME_MAX + 1];
	struct dmpool_file_req r;
	unsigned long cmds[] = { DMPOOL_IOC_FILE_CREATE, DMPOOL_IOC_FILE_OPEN,
				 DMPOOL_IOC_FILE_DELETE };

	ASSERT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
	for (size_t c = 0; c < ARRAY_SIZE(cmds); c++) {
#define FILE_ERR(err, ...) do {						\
		r = file_req("ok");					\
		__VA_ARGS__;						\
		EXPECT_EQ(err, dm_ioctl(self->fd, cmds[c], &r));	\
	} while (0)
		FILE_ERR(-EINVAL, r.flags = 1);
		FILE_ERR(-EINVAL, r.flags = 1U << 31);
		FILE_ERR(-EINVAL, r.reserved[0] = 1);
		FILE_ERR(-EINVAL, r.reserved[1] = 1ULL << 63);
		FILE_ERR(-EINVAL, r.name_len = 0);
		memset(longname, 'a', sizeof(longname));
		FILE_ERR(-EINVAL, r.name = (uintptr_t)longname;
			 r.name_len = DMPOOL_FILE_NAME_MAX + 1);
		for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
			FILE_ERR(-EINVAL, r = file_req(bad[i]));
		/* A NUL inside the name. */
		FILE_ERR(-EINVAL, r.name = (uintptr_t)"a\0b"; r.name_len = 3);
		FILE_ERR(-EFAULT, r.name = 8);
		FILE_ERR(-EFAULT, r.name = (uintptr_t)-4096);
	}
	/* Create only: size, permits, mode. */
	r = file_req("ok");
	r.size = 0;
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_FILE_CREATE, &r));
	r = file_req("ok");
	r.permits = DMPOOL_PERMITS_MAX + 1;
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_FILE_CREATE, &r));
	r = file_req("ok");
	r.mode = 01000;
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_FILE_CREATE, &r));
	/* Grow names the file by ID, never by name. */
	r = file_req("ok");
	r.file_id = 1;
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_FILE_GROW, &r));
	r = (struct dmpool_file_req){ .size = 8192 };
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_FILE_GROW, &r));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_FILE_CREATE, NULL));
	/* Growing a file this description did not open. */
	r = (struct dmpool_file_req){ .file_id = 1, .size = 8192 };
	EXPECT_EQ(-ENOENT, dm_ioctl(self->fd, DMPOOL_IOC_FILE_GROW, &r));
}

TEST_F(files, lock_bad_input)
{
	struct dmpool_lock l;
	unsigned long cmds[] = { DMPOOL_IOC_LOCK, DMPOOL_IOC_UNLOCK };

	ASSERT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
	for (size_t c = 0; c < ARRAY_SIZE(cmds); c++) {
#define LOCK_ERR(err, ...) do {						\
		l = (struct dmpool_lock){ .file_id = 1 };		\
		__VA_ARGS__;						\
		EXPECT_EQ(err, dm_ioctl(self->fd, cmds[c], &l));	\
	} while (0)
		LOCK_ERR(-EINVAL, l.file_id = 0);
		LOCK_ERR(-EINVAL, l.kind = 2);
		LOCK_ERR(-EINVAL, l.flags = 1U << 2);
		LOCK_ERR(-EINVAL, l.flags = DMPOOL_LOCK_TRY | DMPOOL_LOCK_TIMED);
		LOCK_ERR(-EINVAL, l.timeout_ns = 1000);
		LOCK_ERR(-EINVAL, l.reserved0 = 1);
		LOCK_ERR(-EINVAL, l.reserved[1] = 1);
		/* Not open through this description. */
		LOCK_ERR(-ENOENT, (void)0);
		LOCK_ERR(-ENOENT, l.kind = DMPOOL_LOCK_SEM);
	}
	l = (struct dmpool_lock){ .file_id = 1, .flags = DMPOOL_LOCK_TRY };
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_UNLOCK, &l));
	l = (struct dmpool_lock){ .file_id = 1, .flags = DMPOOL_LOCK_TIMED,
				  .timeout_ns = 1 };
	EXPECT_EQ(-ENOENT, dm_ioctl(self->fd, DMPOOL_IOC_LOCK, &l));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_LOCK, (void *)8));
}

/* A pool no larger than its directory has no room for files. */
TEST_F(files, pool_too_small)
{
	struct dmpool_file_req r = file_req("f");
	struct dmnl_pool small;
	char name[64];
	int fd;

	dm_name(name, sizeof(name), "tiny");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, DMPOOL_DIR_SIZE, &small));
	fd = dm_open_attached(small.id);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOSPC, dm_ioctl(fd, DMPOOL_IOC_FILE_CREATE, &r));
	close(fd);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, small.id, NULL, 0));
}

TEST_F(files, no_lock_manager)
{
	struct dmpool_file_req r = file_req("f");

	if (lock_manager_running())
		SKIP(return, "dlm_controld runs on this node");
	ASSERT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
	EXPECT_EQ(-ENOTCONN, dm_ioctl(self->fd, DMPOOL_IOC_FILE_CREATE, &r));
	EXPECT_EQ(-ENOTCONN, dm_ioctl(self->fd, DMPOOL_IOC_FILE_OPEN, &r));
}

TEST_HARNESS_MAIN
