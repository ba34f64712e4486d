// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the data path of an attached pool: mmap at any offset and length
 * inside the pool and pread/pwrite see the same bytes, two processes see
 * each other's writes, and the data survives detach/re-attach, write-back
 * (fsync, msync, sync, the flusher) and dropped page caches, being read
 * back from the store; bounds give the documented errors.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

#define POOL_PAGES	16
#define POOL_SIZE	(POOL_PAGES * PAGE)

FIXTURE(data) {
	struct dmnl nl;
	struct dmnl_pool pool;
	char name[64];
	int fd;
};

FIXTURE_SETUP(data)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	dm_name(self->name, sizeof(self->name), "data");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, self->name, POOL_SIZE,
				   &self->pool)) TH_LOG("%s", self->nl.errmsg);
	self->fd = dm_open_attached(self->pool.id);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(data)
{
	if (self->fd >= 0)
		close(self->fd);
	dmnl_pool_del(&self->nl, self->pool.id, NULL, DMPOOL_POOL_DEL_FORCE);
	dmnl_close(&self->nl);
}

/* The pool's current counters. */
static struct dmnl_pool pool_now(struct dmnl *nl, uint64_t id)
{
	struct dmnl_pool p = { 0 };

	dmnl_pool_get(nl, id, NULL, &p);
	return p;
}

/* Drop clean page cache until the pool has none left, or 10 s passed. */
static bool drop_pool_cache(struct dmnl *nl, uint64_t id)
{
	return dm_wait_until(dm_write_file("/proc/sys/vm/drop_caches", "3") == 0 &&
			     pool_now(nl, id).cached == 0, 10);
}

TEST_F(data, fresh_pool_reads_zero)
{
	uint8_t *buf = malloc(POOL_SIZE), *map;

	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, POOL_SIZE);
	ASSERT_EQ(POOL_SIZE, pread(self->fd, buf, POOL_SIZE, 0));
	EXPECT_EQ(-1, dm_check_zero(buf, POOL_SIZE));
	map = mmap(NULL, POOL_SIZE, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, dm_check_zero(map, POOL_SIZE));
	munmap(map, POOL_SIZE);
	free(buf);
}

/* Mappings of various offsets and lengths agree with pread and pwrite. */
TEST_F(data, mmap_ranges_match_pread_pwrite)
{
	static const struct { unsigned long pgoff, len; } r[] = {
		{ 0, POOL_SIZE },
		{ 1, 3 * PAGE },
		{ POOL_PAGES - 1, PAGE },
		{ 2, 100 },
		{ 5, 7 * PAGE + 1 },
		{ 8, 8 * PAGE },
	};
	uint8_t *buf = malloc(POOL_SIZE);

	ASSERT_NE(NULL, buf);
	for (unsigned int i = 0; i < ARRAY_SIZE(r); i++) {
		uint64_t off = r[i].pgoff * PAGE;
		size_t len = r[i].len;
		uint8_t *map;

		map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			   self->fd, off);
		ASSERT_NE(MAP_FAILED, map) TH_LOG("range %u", i);

		/* Store through the mapping, read with pread. */
		dm_fill(map, off, len, 100 + i);
		ASSERT_EQ((ssize_t)len, pread(self->fd, buf, len, off));
		EXPECT_EQ(-1, dm_check(buf, off, len, 100 + i))
			TH_LOG("range %u: pread differs", i);

		/* Write with pwrite, load through the mapping. */
		dm_fill(buf, off, len, 200 + i);
		ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, off));
		EXPECT_EQ(-1, dm_check(map, off, len, 200 + i))
			TH_LOG("range %u: mapping differs", i);
		munmap(map, len);
	}

	/* A second mapping of the whole pool sees the last writes. */
	uint8_t *all = mmap(NULL, POOL_SIZE, PROT_READ, MAP_SHARED, self->fd, 0);

	ASSERT_NE(MAP_FAILED, all);
	EXPECT_EQ(-1, dm_check(all + 8 * PAGE, 8 * PAGE, 8 * PAGE, 205));
	munmap(all, POOL_SIZE);
	free(buf);
}

TEST_F(data, pread_pwrite_unaligned)
{
	uint8_t buf[3 * PAGE], back[3 * PAGE];
	const uint64_t off = 1000, len = 10000;

	dm_fill(buf, off, len, 7);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, off));
	ASSERT_EQ((ssize_t)len, pread(self->fd, back, len, off));
	EXPECT_EQ(-1, dm_check(back, off, len, 7));

	/* The bytes around it are untouched. */
	ASSERT_EQ((ssize_t)off, pread(self->fd, back, off, 0));
	EXPECT_EQ(-1, dm_check_zero(back, off));
	ASSERT_EQ(100, pread(self->fd, back, 100, off + len));
	EXPECT_EQ(-1, dm_check_zero(back, 100));

	/* read/write follow the file position. */
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(5, write(self->fd, "hello", 5));
	EXPECT_EQ(5, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(5, read(self->fd, back, 5));
	EXPECT_EQ(0, memcmp(back, "hello", 5));
}

TEST_F(data, bounds)
{
	uint8_t buf[200] = { 1 };
	int fd;

	/* pread: 0 at or past the end, short across it. */
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), POOL_SIZE));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), POOL_SIZE + PAGE));
	EXPECT_EQ(10, pread(self->fd, buf, 100, POOL_SIZE - 10));

	/* pwrite: -ENOSPC at or past the end, short across it. */
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, POOL_SIZE));
	EXPECT_EQ(ENOSPC, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, 1ULL << 50));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(10, pwrite(self->fd, buf, 100, POOL_SIZE - 10));
	EXPECT_EQ(0, pwrite(self->fd, buf, 0, POOL_SIZE - 10));

	/* lseek: the pool has a fixed size. */
	EXPECT_EQ((off_t)POOL_SIZE, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ((off_t)POOL_SIZE - 1, lseek(self->fd, -1, SEEK_END));
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, POOL_SIZE + 1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);

	/* O_APPEND writes at the end, where there is no room. */
	fd = open(DMPOOL_DEVICE_PATH, O_RDWR | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dm_attach_id(fd, self->pool.id, NULL));
	errno = 0;
	EXPECT_EQ(-1, write(fd, buf, 1));
	EXPECT_EQ(ENOSPC, errno);
	close(fd);
}

TEST_F(data, mmap_errors)
{
	static const struct { unsigned long off, len; } beyond[] = {
		{ 0, POOL_SIZE + PAGE },
		{ 0, POOL_SIZE + 1 },
		{ POOL_SIZE, PAGE },
		{ POOL_SIZE - PAGE, 2 * PAGE },
		{ 1UL << 40, PAGE },
	};
	void *p;

	for (unsigned int i = 0; i < ARRAY_SIZE(beyond); i++) {
		errno = 0;
		p = mmap(NULL, beyond[i].len, PROT_READ, MAP_SHARED, self->fd,
			 beyond[i].off);
		EXPECT_EQ(MAP_FAILED, p) TH_LOG("range %u mapped", i);
		EXPECT_EQ(ENXIO, errno) TH_LOG("range %u", i);
	}

	errno = 0;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

/*
 * mremap() cannot grow a mapping (VM_DONTEXPAND): not past the pool, in
 * place or moved, and not even within it.  Shrinking works.
 */
TEST_F(data, mremap_cannot_grow)
{
	uint8_t *map, *p;

	map = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 1;

	errno = 0;
	p = mremap(map, POOL_SIZE, POOL_SIZE + PAGE, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	p = mremap(map, POOL_SIZE, POOL_SIZE + PAGE, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EFAULT, errno);
	if (p != MAP_FAILED)
		map = p;
	EXPECT_EQ(1, map[0]);

	/* A part of the pool cannot grow either, nor move to grow. */
	p = mremap(map, POOL_SIZE, PAGE, 0);
	ASSERT_EQ(map, p);
	errno = 0;
	p = mremap(map, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EFAULT, errno);
	if (p != MAP_FAILED)
		map = p;
	EXPECT_EQ(1, map[0]);
	munmap(map, PAGE);
}

/*
 * write(2) obeys RLIMIT_FSIZE like any file write: -EFBIG (and SIGXFSZ) at
 * or past the limit, a short write across it.
 */
TEST_F(data, write_rlimit_fsize)
{
	struct rlimit rl = { .rlim_cur = 2 * PAGE, .rlim_max = RLIM_INFINITY };
	uint8_t buf[2 * PAGE];

	ASSERT_NE(SIG_ERR, signal(SIGXFSZ, SIG_IGN));
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &rl));
	dm_fill(buf, PAGE, sizeof(buf), 91);

	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, PAGE, 2 * PAGE));
	EXPECT_EQ(EFBIG, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, 5 * PAGE));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ((ssize_t)PAGE, pwrite(self->fd, buf, sizeof(buf), PAGE));

	rl.rlim_cur = RLIM_INFINITY;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &rl));
	/* Nothing past the limit was written. */
	ASSERT_EQ((ssize_t)sizeof(buf), pread(self->fd, buf, sizeof(buf), PAGE));
	EXPECT_EQ(-1, dm_check(buf, PAGE, PAGE, 91));
	EXPECT_EQ(-1, dm_check_zero(buf + PAGE, PAGE));
	EXPECT_EQ((ssize_t)PAGE, pwrite(self->fd, buf, PAGE, 5 * PAGE));
}

/* A read-only file maps the pool read-only, and only read-only. */
TEST_F(data, readonly_file)
{
	int fd = open(DMPOOL_DEVICE_PATH, O_RDONLY);
	uint8_t buf[PAGE];
	void *p;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dm_attach_id(fd, self->pool.id, NULL));
	dm_fill(buf, 0, PAGE, 3);
	ASSERT_EQ((ssize_t)PAGE, pwrite(self->fd, buf, PAGE, 0));

	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, dm_check(p, 0, PAGE, 3));
	munmap(p, PAGE);

	errno = 0;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	close(fd);
}

/* Wait for one byte on @fd; false on EOF or error. */
static bool wait_token(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

static void send_token(int fd)
{
	if (write(fd, "x", 1) != 1)
		_exit(100);
}

/*
 * Child of fork_separate_attach: its own file and mapping.  Exit status 0
 * on success, else the number of the failed step.
 */
static int fork_child(const char *name, int to_parent, int from_parent)
{
	uint8_t buf[PAGE];
	uint8_t *map;
	int fd = dm_open();

	if (fd < 0 || dm_attach_name(fd, name, NULL))
		return 1;
	map = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 2;

	/* 1: the child stores into page 0 through its mapping. */
	dm_fill(map, 0, PAGE, 11);
	send_token(to_parent);

	/* 2: the parent wrote page 1 with pwrite and page 2 via mmap. */
	if (!wait_token(from_parent))
		return 3;
	if (dm_check(map + PAGE, PAGE, PAGE, 12) != -1)
		return 4;
	if (pread(fd, buf, PAGE, 2 * PAGE) != (ssize_t)PAGE ||
	    dm_check(buf, 2 * PAGE, PAGE, 13) != -1)
		return 5;

	/* 3: the child overwrites page 1 with pwrite. */
	dm_fill(buf, PAGE, PAGE, 14);
	if (pwrite(fd, buf, PAGE, PAGE) != (ssize_t)PAGE)
		return 6;
	send_token(to_parent);
	return 0;
}

TEST_F(data, fork_separate_attach)
{
	int up[2], down[2], status;
	uint8_t buf[PAGE], *map;
	pid_t pid;

	map = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		_exit(fork_child(self->name, up[1], down[0]));
	}
	close(up[1]);
	close(down[0]);

	ASSERT_TRUE(wait_token(up[0]));
	EXPECT_EQ(-1, dm_check(map, 0, PAGE, 11));
	ASSERT_EQ((ssize_t)PAGE, pread(self->fd, buf, PAGE, 0));
	EXPECT_EQ(-1, dm_check(buf, 0, PAGE, 11));

	dm_fill(buf, PAGE, PAGE, 12);
	ASSERT_EQ((ssize_t)PAGE, pwrite(self->fd, buf, PAGE, PAGE));
	dm_fill(map + 2 * PAGE, 2 * PAGE, PAGE, 13);
	send_token(down[1]);

	ASSERT_TRUE(wait_token(up[0]));
	EXPECT_EQ(-1, dm_check(map + PAGE, PAGE, PAGE, 14));

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, pool_now(&self->nl, self->pool.id).attached);
	close(up[0]);
	close(down[1]);
	munmap(map, POOL_SIZE);
}

/* A mapping inherited over fork is shared, not copied. */
TEST_F(data, fork_inherited_mapping)
{
	uint8_t *map, buf[PAGE];
	int status;
	pid_t pid;

	map = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dm_fill(map + 3 * PAGE, 3 * PAGE, PAGE, 21);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(-1, dm_check(map + 3 * PAGE, 3 * PAGE, PAGE, 21));
	ASSERT_EQ((ssize_t)PAGE, pread(self->fd, buf, PAGE, 3 * PAGE));
	EXPECT_EQ(-1, dm_check(buf, 3 * PAGE, PAGE, 21));
	munmap(map, POOL_SIZE);
}

TEST_F(data, survives_detach_reattach)
{
	uint8_t *buf = malloc(POOL_SIZE), *map;
	const size_t half = POOL_SIZE / 2;
	uint64_t id = 0;

	ASSERT_NE(NULL, buf);
	dm_fill(buf, 0, half, 31);
	ASSERT_EQ((ssize_t)half, pwrite(self->fd, buf, half, 0));
	map = mmap(NULL, half, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   half);
	ASSERT_NE(MAP_FAILED, map);
	dm_fill(map, half, half, 32);
	munmap(map, half);
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0, pool_now(&self->nl, self->pool.id).attached);

	self->fd = dm_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, dm_attach_name(self->fd, self->name, &id));
	EXPECT_EQ(self->pool.id, id);
	ASSERT_EQ((ssize_t)POOL_SIZE, pread(self->fd, buf, POOL_SIZE, 0));
	EXPECT_EQ(-1, dm_check(buf, 0, half, 31));
	EXPECT_EQ(-1, dm_check(buf + half, half, half, 32));
	free(buf);
}

/*
 * Written data reaches the store (fsync, msync), the page cache can then be
 * dropped entirely, and everything reads back from the store.
 */
TEST_F_TIMEOUT(data, writeback_and_drop_caches, 120)
{
	const size_t size = 8 * MiB;
	struct dmnl_pool big, now;
	uint8_t *map, *buf;
	char name[64];
	int fd;

	dm_name(name, sizeof(name), "big");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, size, &big))
		TH_LOG("%s", self->nl.errmsg);
	fd = dm_open_attached(big.id);
	ASSERT_LE(0, fd);

	/* Half through a mapping and msync, half by pwrite and fsync. */
	map = mmap(NULL, size / 2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	dm_fill(map, 0, size / 2, 41);
	ASSERT_EQ(0, msync(map, size / 2, MS_SYNC));
	munmap(map, size / 2);
	buf = malloc(size);
	ASSERT_NE(NULL, buf);
	dm_fill(buf, size / 2, size / 2, 41);
	ASSERT_EQ((ssize_t)(size / 2), pwrite(fd, buf, size / 2, size / 2));
	ASSERT_EQ(0, fsync(fd));

	now = pool_now(&self->nl, big.id);
	EXPECT_EQ(size, now.stored);
	EXPECT_LT(0, now.cached);

	ASSERT_TRUE(drop_pool_cache(&self->nl, big.id));
	memset(buf, 0, size);
	ASSERT_EQ((ssize_t)size, pread(fd, buf, size, 0));
	EXPECT_EQ(-1, dm_check(buf, 0, size, 41));

	/* Rewrite a page already written back: the write fault dirties it. */
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	dm_fill(map + PAGE, PAGE, PAGE, 42);
	ASSERT_EQ(0, msync(map, size, MS_SYNC));
	munmap(map, size);
	ASSERT_TRUE(drop_pool_cache(&self->nl, big.id));
	ASSERT_EQ((ssize_t)PAGE, pread(fd, buf, PAGE, PAGE));
	EXPECT_EQ(-1, dm_check(buf, PAGE, PAGE, 42));
	dm_fill(buf, PAGE, PAGE, 41);
	ASSERT_EQ((ssize_t)PAGE, pwrite(fd, buf, PAGE, PAGE));
	ASSERT_EQ(0, fsync(fd));

	/* And again through a fresh mapping, after another drop. */
	ASSERT_TRUE(drop_pool_cache(&self->nl, big.id));
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, dm_check(map, 0, size, 41));
	munmap(map, size);

	free(buf);
	close(fd);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, big.id, NULL, -1));
}

/* Memory the hog of memory_pressure leaves to everything else. */
#define HOG_SLACK	(64 * MiB)

/* MemAvailable from /proc/meminfo, in bytes, or 0. */
static size_t mem_available(void)
{
	char buf[4096], *p;

	if (dm_read_file("/proc/meminfo", buf, sizeof(buf)))
		return 0;
	p = strstr(buf, "MemAvailable:");
	return p ? strtoul(p + 13, NULL, 10) * 1024 : 0;
}

/*
 * Child of memory_pressure: take all available memory but @spare bytes
 * (anonymous, touched), report on @up, hold it until @down closes.
 */
static int memory_hog(size_t spare, int up, int down)
{
	size_t avail = mem_available(), len;
	uint8_t *p;
	char c;

	if (avail <= spare)
		return 1;
	len = avail - spare;
	dm_write_file("/proc/self/oom_score_adj", "1000");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
	if (write(up, "x", 1) != 1)
		return 3;
	return read(down, &c, 1) < 0 ? 4 : 0;
}

/*
 * Reclaim evicts a pool's pages, dirty ones included, and they come back
 * intact from the store: write a large pool, then let another process take
 * the memory its page cache occupies.
 */
TEST_F_TIMEOUT(data, memory_pressure, 600)
{
	const size_t chunk = MiB;
	int up[2], down[2], status;
	struct dmnl_pool big, now;
	struct dmnl_version v;
	uint8_t *buf, *map;
	char name[64];
	size_t size;
	pid_t pid;
	int fd;

	/*
	 * Half of the free store, at most a third of the free memory (the
	 * pool is held twice: page cache and store), and big enough that the
	 * hog's 64 MiB of slack cannot hold all of its page cache.
	 */
	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	size = (v.capacity - v.committed) / 2;
	if (size > mem_available() / 3)
		size = mem_available() / 3;
	size = size / MiB * MiB;
	if (size < 96 * MiB)
		SKIP(return, "too little memory: a %zu MiB pool", size / MiB);

	dm_name(name, sizeof(name), "pressure");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, size, &big))
		TH_LOG("%s", self->nl.errmsg);
	fd = dm_open_attached(big.id);
	ASSERT_LE(0, fd);
	buf = malloc(chunk);
	ASSERT_NE(NULL, buf);
	for (size_t off = 0; off < size; off += chunk) {
		dm_fill(buf, off, chunk, 81);
		ASSERT_EQ((ssize_t)chunk, pwrite(fd, buf, chunk, off));
	}
	now = pool_now(&self->nl, big.id);
	TH_LOG("%zu MiB written: %lu MiB cached, %lu MiB stored", size / MiB,
	       (unsigned long)(now.cached / MiB),
	       (unsigned long)(now.stored / MiB));

	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		_exit(memory_hog(HOG_SLACK, up[1], down[0]));
	}
	close(up[1]);
	close(down[0]);
	ASSERT_TRUE(wait_token(up[0])) TH_LOG("the memory hog died");
	now = pool_now(&self->nl, big.id);
	TH_LOG("under pressure: %lu MiB cached, %lu MiB stored",
	       (unsigned long)(now.cached / MiB),
	       (unsigned long)(now.stored / MiB));
	EXPECT_GE(size - 16 * MiB, now.cached);
	close(down[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(up[0]);

	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (size_t off = 0; off < size; off += chunk) {
		ASSERT_EQ(-1, dm_check(map + off, off, chunk, 81))
			TH_LOG("at %zu MiB", off / MiB);
	}
	munmap(map, size);

	free(buf);
	close(fd);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, big.id, NULL, -1));
}

/* A partial-page write into an uncached page keeps the rest of the page. */
TEST_F(data, partial_write_reads_store)
{
	uint8_t buf[PAGE];
	long bad;

	dm_fill(buf, 4 * PAGE, PAGE, 51);
	ASSERT_EQ((ssize_t)PAGE, pwrite(self->fd, buf, PAGE, 4 * PAGE));
	ASSERT_EQ(0, fsync(self->fd));
	ASSERT_TRUE(drop_pool_cache(&self->nl, self->pool.id));

	ASSERT_EQ(10, pwrite(self->fd, "0123456789", 10, 4 * PAGE + 100));
	ASSERT_EQ((ssize_t)PAGE, pread(self->fd, buf, PAGE, 4 * PAGE));
	EXPECT_EQ(-1, dm_check(buf, 4 * PAGE, 100, 51));
	EXPECT_EQ(0, memcmp(buf + 100, "0123456789", 10));
	bad = dm_check(buf + 110, 4 * PAGE + 110, PAGE - 110, 51);
	EXPECT_EQ(-1, bad);
}

#define FAIL_PAGE_ALLOC	"/sys/kernel/debug/fail_page_alloc/"

/*
 * The store running out of memory is temporary: write-back keeps the page
 * dirty and stores it later, and fsync() neither returns before the data
 * is stored nor reports an error for it afterwards.  Needs a kernel with
 * CONFIG_FAIL_PAGE_ALLOC: the next page allocation of this task (the
 * store's, in fsync's write-back) fails once.
 */
TEST_F(data, store_enomem_is_temporary)
{
	static const char * const knobs[][2] = {
		{ "task-filter", "Y" }, { "probability", "100" },
		{ "interval", "1" }, { "space", "0" }, { "verbose", "0" },
		{ "min-order", "0" }, { "ignore-gfp-wait", "N" },
		{ "ignore-gfp-highmem", "N" }, { "times", "1" },
	};
	char path[128], left[32];
	uint8_t buf[4 * PAGE];
	int fail, err;

	if (access(FAIL_PAGE_ALLOC "times", W_OK))
		SKIP(return, "no " FAIL_PAGE_ALLOC " (CONFIG_FAIL_PAGE_ALLOC)");

	dm_fill(buf, 0, sizeof(buf), 95);
	ASSERT_EQ((ssize_t)sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 0));
	for (unsigned int i = 0; i < ARRAY_SIZE(knobs); i++) {
		snprintf(path, sizeof(path), FAIL_PAGE_ALLOC "%s", knobs[i][0]);
		ASSERT_EQ(0, dm_write_file(path, knobs[i][1])) TH_LOG("%s", path);
	}
	fail = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fail);

	/* From here to the next write, page allocations of this task fail. */
	ASSERT_EQ(1, write(fail, "1", 1));
	err = fsync(self->fd) ? -errno : 0;
	ASSERT_EQ(1, write(fail, "0", 1));
	close(fail);

	ASSERT_EQ(0, dm_read_file(FAIL_PAGE_ALLOC "times", left, sizeof(left)));
	dm_write_file(FAIL_PAGE_ALLOC "probability", "0");
	/* The injected failure happened (else this test proves nothing). */
	EXPECT_EQ(0, atoi(left));
	EXPECT_EQ(0, err);
	EXPECT_EQ(sizeof(buf), pool_now(&self->nl, self->pool.id).stored);
	/* No error left behind for a later fsync either. */
	EXPECT_EQ(0, fsync(self->fd));
	ASSERT_TRUE(drop_pool_cache(&self->nl, self->pool.id));
	ASSERT_EQ((ssize_t)sizeof(buf), pread(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, dm_check(buf, 0, sizeof(buf), 95));
}

/* sync(2) writes the pools back: the super block has a real bdi. */
TEST_F(data, sync_writes_back)
{
	uint8_t buf[4 * PAGE];

	EXPECT_EQ(0, pool_now(&self->nl, self->pool.id).stored);
	dm_fill(buf, 0, sizeof(buf), 61);
	ASSERT_EQ((ssize_t)sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 0));
	sync();
	EXPECT_EQ(4 * PAGE, pool_now(&self->nl, self->pool.id).stored);
}

/* The flusher writes dirty pool pages back on its own. */
TEST_F_TIMEOUT(data, flusher_writes_back, 60)
{
	char expire[32], interval[32];
	uint8_t buf[8 * PAGE];
	bool stored;

	ASSERT_EQ(0, dm_read_file("/proc/sys/vm/dirty_expire_centisecs",
				  expire, sizeof(expire)));
	ASSERT_EQ(0, dm_read_file("/proc/sys/vm/dirty_writeback_centisecs",
				  interval, sizeof(interval)));
	ASSERT_EQ(0, dm_write_file("/proc/sys/vm/dirty_expire_centisecs",
				   "50"));
	ASSERT_EQ(0, dm_write_file("/proc/sys/vm/dirty_writeback_centisecs",
				   "20"));

	dm_fill(buf, 0, sizeof(buf), 71);
	ASSERT_EQ((ssize_t)sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 0));
	stored = dm_wait_until(pool_now(&self->nl, self->pool.id).stored ==
			       sizeof(buf), 30);

	dm_write_file("/proc/sys/vm/dirty_expire_centisecs", expire);
	dm_write_file("/proc/sys/vm/dirty_writeback_centisecs", interval);
	EXPECT_TRUE(stored);
}

TEST_HARNESS_MAIN
