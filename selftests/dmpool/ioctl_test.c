// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the /dev/dmpool ioctl contract: the version query, attach by ID
 * and by name, DMPOOL_IOC_INFO, and a precise errno for every bad input
 * (sizes, flags, reserved fields, pointers, names, unknown pools, use
 * before attach, double attach).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

#define POOL_SIZE	(64 * 1024)

FIXTURE(dev) {
	struct dmnl nl;
	struct dmnl_pool pool;
	char name[64];
	int fd;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	dm_name(self->name, sizeof(self->name), "ioctl");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, self->name, POOL_SIZE,
				   &self->pool)) TH_LOG("%s", self->nl.errmsg);
	self->fd = dm_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
	dmnl_pool_del(&self->nl, self->pool.id, NULL, DMPOOL_POOL_DEL_FORCE);
	dmnl_close(&self->nl);
}

TEST_F(dev, version)
{
	struct dmpool_version v = { 0 };

	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, &v));
	EXPECT_EQ(DMPOOL_ABI_VERSION, v.abi_version);
	EXPECT_TRUE(v.features & DMPOOL_FEAT_LOCAL_POOLS);

	/* Also after attach. */
	ASSERT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, &v));
	EXPECT_EQ(DMPOOL_ABI_VERSION, v.abi_version);
}

TEST_F(dev, version_bad_input)
{
	struct dmpool_version v = { .flags = 1 };

	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, &v));
	v = (struct dmpool_version){ .reserved[0] = 1 };
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, &v));
	v = (struct dmpool_version){ .reserved[1] = 1ULL << 63 };
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, &v));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, NULL));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_VERSION, (void *)8));
}

TEST_F(dev, unknown_ioctls)
{
	char buf[256] = { 0 };

	/* The right numbers with the wrong size or direction. */
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(DMPOOL_IOC_MAGIC, 0x00,
						    char[16]), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(DMPOOL_IOC_MAGIC, 0x00,
						    char[40]), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOR(DMPOOL_IOC_MAGIC, 0x00,
						   struct dmpool_version), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(DMPOOL_IOC_MAGIC, 0x01,
						    char[40]), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOW(DMPOOL_IOC_MAGIC, 0x01,
						   struct dmpool_attach), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(DMPOOL_IOC_MAGIC, 0x02,
						    char[48]), buf));
	/* Unknown numbers, another magic, no argument at all. */
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(DMPOOL_IOC_MAGIC, 0x03,
						    struct dmpool_info), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(DMPOOL_IOC_MAGIC, 0x7f,
						    char[8]), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IOWR(0xD8, 0x00,
						    struct dmpool_version), buf));
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, _IO(DMPOOL_IOC_MAGIC, 0x00),
				    NULL));
	/* A generic file ioctl. */
	EXPECT_EQ(-ENOTTY, dm_ioctl(self->fd, TCGETS, buf));
}

TEST_F(dev, attach_by_id)
{
	struct dmpool_attach a = { .pool_id = self->pool.id };
	struct dmpool_info info = { 0 };
	int fd2;

	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH, &a));
	EXPECT_EQ(self->pool.id, a.pool_id);
	EXPECT_EQ(POOL_SIZE, a.size);
	EXPECT_EQ(0, a.flags);

	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(self->pool.id, info.pool_id);
	EXPECT_EQ(POOL_SIZE, info.size);
	EXPECT_EQ(1, info.attached);

	/* A second attachment counts, for both files. */
	fd2 = dm_open_attached(self->pool.id);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(2, info.attached);
	close(fd2);
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(1, info.attached);
}

TEST_F(dev, attach_by_name)
{
	struct dmpool_attach a = {
		.name = (uintptr_t)self->name,
		.name_len = strlen(self->name),
		.flags = DMPOOL_ATTACH_BY_NAME,
	};
	struct dmpool_info info = { 0 };

	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH, &a));
	EXPECT_EQ(self->pool.id, a.pool_id);
	EXPECT_EQ(POOL_SIZE, a.size);
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(self->pool.id, info.pool_id);
}

/* The name is not NUL-terminated: only name_len bytes count. */
TEST_F(dev, attach_by_name_not_terminated)
{
	char buf[80];
	uint64_t id = 0;
	struct dmpool_attach a = {
		.name = (uintptr_t)buf,
		.name_len = strlen(self->name),
		.flags = DMPOOL_ATTACH_BY_NAME,
	};

	memset(buf, '!', sizeof(buf));
	memcpy(buf, self->name, strlen(self->name));
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH, &a));
	id = a.pool_id;
	EXPECT_EQ(self->pool.id, id);
}

TEST_F(dev, attach_bad_input)
{
	struct dmpool_attach a;
	static const char * const bad[] = {
		".hidden", "-dash", "has space", "a/b", "tab\t",
		"caf\xc3\xa9", "x\xff",
	};
	char longname[DMPOOL_POOL_NAME_MAX + 2];

#define ATTACH_ERR(err, ...) do {					\
		a = (struct dmpool_attach){ __VA_ARGS__ };		\
		EXPECT_EQ(err, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH, &a)); \
	} while (0)

	/* Flags and reserved fields. */
	ATTACH_ERR(-EINVAL, .pool_id = self->pool.id, .flags = 2);
	ATTACH_ERR(-EINVAL, .pool_id = self->pool.id, .flags = 1U << 31);
	ATTACH_ERR(-EINVAL, .pool_id = self->pool.id, .reserved[0] = 1);
	ATTACH_ERR(-EINVAL, .pool_id = self->pool.id, .reserved[1] = 1);
	/* By ID, name fields must be 0. */
	ATTACH_ERR(-EINVAL, .pool_id = self->pool.id,
		   .name = (uintptr_t)self->name);
	ATTACH_ERR(-EINVAL, .pool_id = self->pool.id, .name_len = 3);
	/* By name: length limits, pool_id must be 0. */
	ATTACH_ERR(-EINVAL, .flags = DMPOOL_ATTACH_BY_NAME,
		   .name = (uintptr_t)self->name, .name_len = 0);
	memset(longname, 'a', sizeof(longname));
	ATTACH_ERR(-EINVAL, .flags = DMPOOL_ATTACH_BY_NAME,
		   .name = (uintptr_t)longname,
		   .name_len = DMPOOL_POOL_NAME_MAX + 1);
	ATTACH_ERR(-EINVAL, .flags = DMPOOL_ATTACH_BY_NAME,
		   .pool_id = self->pool.id, .name = (uintptr_t)self->name,
		   .name_len = strlen(self->name));
	/* Bad names. */
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ATTACH_ERR(-EINVAL, .flags = DMPOOL_ATTACH_BY_NAME,
			   .name = (uintptr_t)bad[i],
			   .name_len = strlen(bad[i]));
	}
	/* A NUL inside name_len is a bad character. */
	ATTACH_ERR(-EINVAL, .flags = DMPOOL_ATTACH_BY_NAME,
		   .name = (uintptr_t)self->name,
		   .name_len = strlen(self->name) + 1);
	/* Bad pointers. */
	ATTACH_ERR(-EFAULT, .flags = DMPOOL_ATTACH_BY_NAME, .name = 8,
		   .name_len = 4);
	ATTACH_ERR(-EFAULT, .flags = DMPOOL_ATTACH_BY_NAME,
		   .name = 0xffffffffffff0000ULL, .name_len = 4);
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH, NULL));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH,
				    (void *)0xffffffffffff0000ULL));
	/* Unknown pools. */
	ATTACH_ERR(-ENOENT, .pool_id = 0);
	ATTACH_ERR(-ENOENT, .pool_id = self->pool.id + 1000000);
	ATTACH_ERR(-ENOENT, .pool_id = ~0ULL);
	ATTACH_ERR(-ENOENT, .flags = DMPOOL_ATTACH_BY_NAME,
		   .name = (uintptr_t)"st-no-such-pool", .name_len = 15);
#undef ATTACH_ERR

	/* None of this attached the file. */
	struct dmpool_info info = { 0 };

	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
}

TEST_F(dev, attach_destroyed_pool)
{
	char name[64];
	struct dmnl_pool p;

	dm_name(name, sizeof(name), "gone");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE, &p));
	ASSERT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL, -1));
	EXPECT_EQ(-ENOENT, dm_attach_id(self->fd, p.id, NULL));
	EXPECT_EQ(-ENOENT, dm_attach_name(self->fd, name, NULL));
}

TEST_F(dev, double_attach)
{
	char name[64];
	struct dmnl_pool other;
	struct dmpool_info info = { 0 };

	ASSERT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
	EXPECT_EQ(-EBUSY, dm_attach_id(self->fd, self->pool.id, NULL));
	EXPECT_EQ(-EBUSY, dm_attach_name(self->fd, self->name, NULL));

	dm_name(name, sizeof(name), "other");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE, &other));
	EXPECT_EQ(-EBUSY, dm_attach_id(self->fd, other.id, NULL));
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(self->pool.id, info.pool_id);
	EXPECT_EQ(1, info.attached);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, other.id, NULL, -1));
}

TEST_F(dev, before_attach)
{
	struct dmpool_info info = { 0 };
	char buf[16] = { 0 };
	void *p;

	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EBADFD, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(EBADFD, errno);
	errno = 0;
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EBADFD, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(EBADFD, errno);
	errno = 0;
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EBADFD, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(EBADFD, errno);
	errno = 0;
	EXPECT_EQ(-1, fsync(self->fd));
	EXPECT_EQ(EBADFD, errno);
}

TEST_F(dev, info_bad_input)
{
	struct dmpool_info info = { .flags = 1 };

	ASSERT_EQ(0, dm_attach_id(self->fd, self->pool.id, NULL));
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	info = (struct dmpool_info){ .reserved[0] = 1 };
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	info = (struct dmpool_info){ .reserved[1] = 1 };
	EXPECT_EQ(-EINVAL, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_INFO, NULL));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_INFO, (void *)16));
	/* Output fields are ignored on input. */
	info = (struct dmpool_info){ .pool_id = 77, .size = 5, .attached = 9 };
	ASSERT_EQ(0, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(self->pool.id, info.pool_id);
	EXPECT_EQ(1, info.attached);
}

/* A failed copy-out of the result leaves the file unattached. */
TEST_F(dev, attach_readonly_arg)
{
	struct dmpool_attach *a;
	struct dmpool_info info = { 0 };

	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, a);
	a->pool_id = self->pool.id;
	ASSERT_EQ(0, mprotect(a, PAGE, PROT_READ));
	EXPECT_EQ(-EFAULT, dm_ioctl(self->fd, DMPOOL_IOC_ATTACH, a));
	EXPECT_EQ(-EBADFD, dm_ioctl(self->fd, DMPOOL_IOC_INFO, &info));
	EXPECT_EQ(0, dmnl_pool_get(&self->nl, self->pool.id, NULL,
				   &self->pool));
	EXPECT_EQ(0, self->pool.attached);
	munmap(a, PAGE);
}

TEST_F(dev, size_rounded_up)
{
	char name[64];
	struct dmnl_pool p;
	uint64_t size = 0;
	int fd = dm_open();

	ASSERT_LE(0, fd);
	dm_name(name, sizeof(name), "round");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE + 1, &p));
	EXPECT_EQ(2 * PAGE, p.size);
	ASSERT_EQ(0, dm_attach_id(fd, p.id, &size));
	EXPECT_EQ(2 * PAGE, size);
	close(fd);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL, -1));
}

TEST_HARNESS_MAIN
