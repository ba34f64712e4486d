// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the contract of placed pools and exposed memory on one node:
 * every bad placement map is refused with -EINVAL (or -EOPNOTSUPP for
 * replicas) and an extack message; a valid map is kept and reported back;
 * a node commits only its own share; pool IDs carry the creating node; an
 * installed ID is kept; the node's identity cannot change under placed
 * pools; MEM_SET and MEM_GET work and refuse bad sizes; and the data path
 * to an unreachable home fails within the request timeout, with -EIO for
 * pread, SIGBUS for a fault and -EIO for fsync (the data staying dirty),
 * while pages homed here keep working; a POOL_DEL waiting for such I/O
 * does not stall the family's _GET commands (no genl_mutex).
 *
 * Runs in VM node 1.  Node 1 gets ID 1 on 127.0.0.1 (a private port) and
 * a peer 2 at 127.0.0.2 where nothing listens: an unreachable home.
 * Everything is removed again at teardown; remote.bats reloads the module
 * before it sets up the cluster for real.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

#define SELF_PORT	7478
#define PEER_PORT	7477
#define EXT		(64 * 1024UL)	/* the smallest extent: 16 pages */
#define TIMEOUT_PATH	"/sys/module/dmpool/parameters/request_timeout_ms"

/* What a pool reply says beyond struct dmnl_pool. */
struct placed_info {
	uint64_t id, size, extent, local, io_errors, faults;
	uint64_t in_local, out_local, cached;
	uint32_t replicas;
	uint32_t map[256];
	int map_len;
	bool has_extent;
};

FIXTURE(placed) {
	struct dmnl nl;
	char buf[16384];
	char name[64];
};

static struct nlmsghdr *req(FIXTURE_DATA(placed) *self, uint8_t cmd)
{
	return dmnl_start(&self->nl, self->buf, cmd, NLM_F_ACK);
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type >= 0 && type <= DMPOOL_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static uint64_t get64(const struct nlattr **tb, int type)
{
	return tb[type] ? mnl_attr_get_u64(tb[type]) : 0;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1] = {};
	struct placed_info *pi = data;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
	memset(pi, 0, sizeof(*pi));
	pi->id = get64(tb, DMPOOL_A_POOL_ID);
	pi->size = get64(tb, DMPOOL_A_POOL_SIZE);
	pi->extent = get64(tb, DMPOOL_A_POOL_EXTENT_SIZE);
	pi->has_extent = tb[DMPOOL_A_POOL_EXTENT_SIZE];
	pi->local = get64(tb, DMPOOL_A_POOL_LOCAL_BYTES);
	pi->io_errors = get64(tb, DMPOOL_A_POOL_IO_ERRORS);
	pi->faults = get64(tb, DMPOOL_A_POOL_FAULTS);
	pi->in_local = get64(tb, DMPOOL_A_POOL_PAGES_IN_LOCAL);
	pi->out_local = get64(tb, DMPOOL_A_POOL_PAGES_OUT_LOCAL);
	pi->cached = get64(tb, DMPOOL_A_POOL_CACHED);
	if (tb[DMPOOL_A_POOL_REPLICAS])
		pi->replicas = mnl_attr_get_u32(tb[DMPOOL_A_POOL_REPLICAS]);
	if (tb[DMPOOL_A_POOL_MAP]) {
		int n = mnl_attr_get_payload_len(tb[DMPOOL_A_POOL_MAP]) / 4;

		if (n > 256)
			n = 256;
		memcpy(pi->map, mnl_attr_get_payload(tb[DMPOOL_A_POOL_MAP]),
		       n * 4);
		pi->map_len = n;
	}
	return MNL_CB_OK;
}

/*
 * POOL_NEW of a placed pool.  @id 0: none; @extent 0: no EXTENT_SIZE;
 * @replicas 0: no REPLICAS; @map NULL: no MAP; @map_bytes: its length.
 */
static int placed_new(FIXTURE_DATA(placed) *self, const char *name,
		      uint64_t size, uint64_t id, uint64_t extent,
		      uint32_t replicas, const uint32_t *map, size_t map_bytes,
		      struct placed_info *pi)
{
	struct nlmsghdr *nlh = req(self, DMPOOL_CMD_POOL_NEW);
	struct placed_info tmp;

	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, size);
	if (id)
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, id);
	if (extent)
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_EXTENT_SIZE, extent);
	if (replicas)
		mnl_attr_put_u32(nlh, DMPOOL_A_POOL_REPLICAS, replicas);
	if (map)
		mnl_attr_put(nlh, DMPOOL_A_POOL_MAP, map_bytes, map);
	return dmnl_talk(&self->nl, nlh, info_cb, pi ?: &tmp);
}

static int pool_info(FIXTURE_DATA(placed) *self, const char *name,
		     struct placed_info *pi)
{
	struct nlmsghdr *nlh = req(self, DMPOOL_CMD_POOL_GET);

	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	return dmnl_talk(&self->nl, nlh, info_cb, pi);
}

static int node_set(FIXTURE_DATA(placed) *self)
{
	struct nlmsghdr *nlh = req(self, DMPOOL_CMD_NODE_SET);

	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 1);
	dmnl_put_v4(nlh, "127.0.0.1", SELF_PORT);
	return dmnl_talk(&self->nl, nlh, NULL, NULL);
}

static int mem_set(FIXTURE_DATA(placed) *self, uint64_t bytes)
{
	struct nlmsghdr *nlh = req(self, DMPOOL_CMD_MEM_SET);

	mnl_attr_put_u64(nlh, DMPOOL_A_STORE_CAPACITY, bytes);
	return dmnl_talk(&self->nl, nlh, NULL, NULL);
}

FIXTURE_SETUP(placed)
{
	struct nlmsghdr *nlh;
	uint8_t key[32];

	ASSERT_EQ(0, dmnl_open(&self->nl));
	dm_name(self->name, sizeof(self->name), "placed");
	dmnl_peer_del(&self->nl, 2);	/* left over by an earlier failure, if any */
	ASSERT_EQ(0, node_set(self)) TH_LOG("%s", self->nl.errmsg);
	memset(key, 0x3c, sizeof(key));
	nlh = req(self, DMPOOL_CMD_KEY_SET);
	mnl_attr_put(nlh, DMPOOL_A_KEY, sizeof(key), key);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = req(self, DMPOOL_CMD_PEER_ADD);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, 2);
	dmnl_put_v4(nlh, "127.0.0.2", PEER_PORT);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL))
		TH_LOG("%s", self->nl.errmsg);
}

FIXTURE_TEARDOWN(placed)
{
	dmnl_pool_del(&self->nl, 0, self->name, DMPOOL_POOL_DEL_FORCE);
	dmnl_peer_del(&self->nl, 2);
	dm_write_file(TIMEOUT_PATH, "5000");
	dmnl_close(&self->nl);
}

/* Expect -EINVAL (or @err) with an extack message. */
#define EXPECT_REFUSED(err, call) do {					\
	self->nl.errmsg[0] = '\0';					\
	EXPECT_EQ(err, call);						\
	EXPECT_NE('\0', self->nl.errmsg[0]);				\
} while (0)

TEST_F(placed, bad_maps_are_refused)
{
	uint32_t map[4] = { 1, 2, 1, 2 }, bad[4];

	/* Placement attributes without a map, and a map without extents. */
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, EXT,
					   0, NULL, 0, NULL));
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 7, 0, 0,
					   NULL, 0, NULL));
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, 0, 0,
					   map, sizeof(map), NULL));
	/* Extent sizes: not a power of two, too small, too large. */
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0,
					   EXT + 4096, 0, map, sizeof(map),
					   NULL));
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, 4096,
					   0, map, sizeof(map), NULL));
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0,
					   2ULL << 30, 0, map, sizeof(map),
					   NULL));
	/* Lengths: one entry short, one too many, not whole entries. */
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, EXT,
					   0, map, 12, NULL));
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 3 * EXT, 0, EXT,
					   0, map, 16, NULL));
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, EXT,
					   0, map, 15, NULL));
	/* Entries: 0, above NODES_MAX, a node that is no peer. */
	memcpy(bad, map, sizeof(bad));
	bad[2] = 0;
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, EXT,
					   0, bad, sizeof(bad), NULL));
	bad[2] = DMPOOL_NODES_MAX + 1;
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, EXT,
					   0, bad, sizeof(bad), NULL));
	bad[2] = 3;
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 4 * EXT, 0, EXT,
					   0, bad, sizeof(bad), NULL));
	/* Replicas: out of range, and (for now) more than one. */
	EXPECT_REFUSED(-EINVAL, placed_new(self, self->name, 2 * EXT, 0, EXT,
					   DMPOOL_REPLICAS_MAX + 1, map,
					   sizeof(map), NULL));
	EXPECT_REFUSED(-EOPNOTSUPP, placed_new(self, self->name, 2 * EXT, 0,
					       EXT, 2, map, sizeof(map),
					       NULL));
	/* Pool ID 0 is no ID. */
	self->nl.errmsg[0] = '\0';
	{
		struct nlmsghdr *nlh = req(self, DMPOOL_CMD_POOL_NEW);

		mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, self->name);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, 4 * EXT);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, 0);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_EXTENT_SIZE, EXT);
		mnl_attr_put(nlh, DMPOOL_A_POOL_MAP, sizeof(map), map);
		EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
		EXPECT_NE('\0', self->nl.errmsg[0]);
	}
	/* Output-only attributes are refused. */
	{
		struct nlmsghdr *nlh = req(self, DMPOOL_CMD_POOL_NEW);

		mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, self->name);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, 4 * EXT);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_LOCAL_BYTES, 1);
		EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	}
	/* Nothing was created by any of them. */
	EXPECT_EQ(-ENOENT, pool_info(self, self->name,
				     &(struct placed_info){}));
}

TEST_F(placed, map_is_kept_and_share_committed)
{
	uint32_t map[4] = { 1, 2, 2, 1 };
	struct placed_info pi, got;
	struct dmnl_version v0, v1;

	ASSERT_EQ(0, dmnl_version(&self->nl, &v0));
	ASSERT_TRUE(v0.features & DMPOOL_FEAT_REMOTE);
	/* 3.5 extents: node 1 homes extents 0 and 3 (the last one half). */
	ASSERT_EQ(0, placed_new(self, self->name, 3 * EXT + EXT / 2, 0, EXT,
				0, map, sizeof(map), &pi))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(1ULL, pi.id >> 48);	/* picked by node 1 */
	EXPECT_EQ(EXT, pi.extent);
	EXPECT_EQ(1U, pi.replicas);
	EXPECT_EQ(EXT + EXT / 2, pi.local);
	ASSERT_EQ(4, pi.map_len);
	EXPECT_EQ(0, memcmp(map, pi.map, sizeof(map)));
	ASSERT_EQ(0, dmnl_version(&self->nl, &v1));
	EXPECT_EQ(v0.committed + EXT + EXT / 2, v1.committed);

	ASSERT_EQ(0, pool_info(self, self->name, &got));
	EXPECT_EQ(pi.id, got.id);
	EXPECT_EQ(0, memcmp(map, got.map, sizeof(map)));

	/* The node's identity is part of the map: it cannot change now. */
	dmnl_peer_del(&self->nl, 2);
	self->nl.errmsg[0] = '\0';
	EXPECT_EQ(-EBUSY, node_set(self));
	EXPECT_NE('\0', self->nl.errmsg[0]);

	/* Destroying the pool returns exactly its share. */
	ASSERT_EQ(0, dmnl_pool_del(&self->nl, 0, self->name, -1));
	ASSERT_EQ(0, dmnl_version(&self->nl, &v1));
	EXPECT_EQ(v0.committed, v1.committed);
	EXPECT_EQ(0, node_set(self));
}

TEST_F(placed, installed_id_is_kept_and_unique)
{
	uint32_t map[2] = { 2, 1 };
	uint64_t id = (2ULL << 48) | 12345;
	struct placed_info pi;
	char other[64];

	ASSERT_EQ(0, placed_new(self, self->name, 2 * EXT, id, EXT, 1, map,
				sizeof(map), &pi))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(id, pi.id);
	EXPECT_EQ(EXT, pi.local);
	dm_name(other, sizeof(other), "placed");
	EXPECT_REFUSED(-EEXIST, placed_new(self, other, 2 * EXT, id, EXT, 1,
					   map, sizeof(map), NULL));
}

TEST_F(placed, local_pages_of_a_placed_pool_work)
{
	uint32_t map[2] = { 1, 1 };
	struct placed_info pi;
	uint8_t *buf;
	int fd;

	buf = malloc(2 * EXT);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, placed_new(self, self->name, 2 * EXT, 0, EXT, 0, map,
				sizeof(map), &pi));
	fd = dm_open_attached(pi.id);
	ASSERT_LE(0, fd);
	dm_fill(buf, 0, 2 * EXT, 7);
	ASSERT_EQ((ssize_t)(2 * EXT), pwrite(fd, buf, 2 * EXT, 0));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, pool_info(self, self->name, &pi));
	EXPECT_EQ(2 * EXT / PAGE, pi.out_local);
	/* Drop the page cache: the data comes back from the store. */
	close(fd);
	ASSERT_EQ(0, dm_write_file("/proc/sys/vm/drop_caches", "1"));
	fd = dm_open_attached(pi.id);
	ASSERT_LE(0, fd);
	memset(buf, 0, 2 * EXT);
	ASSERT_EQ((ssize_t)(2 * EXT), pread(fd, buf, 2 * EXT, 0));
	EXPECT_EQ(-1, dm_check(buf, 0, 2 * EXT, 7));
	close(fd);
	free(buf);
}

static sigjmp_buf bus_jmp;

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/* Read *@p; true if that raised SIGBUS.  Kept apart from the longjmp. */
static __attribute__((noinline)) bool read_sigbus(volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_bus };

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1))
		return true;
	(void)*p;
	return false;
}

TEST_F(placed, unreachable_home_fails_within_the_timeout)
{
	uint32_t map[2] = { 2, 1 };	/* extent 0 on the dead peer */
	struct placed_info pi;
	uint8_t page[PAGE];
	volatile uint8_t *m;
	double t0, dt;
	int fd;

	ASSERT_EQ(0, dm_write_file(TIMEOUT_PATH, "300"));
	ASSERT_EQ(0, placed_new(self, self->name, 2 * EXT, 0, EXT, 0, map,
				sizeof(map), &pi));
	fd = dm_open_attached(pi.id);
	ASSERT_LE(0, fd);

	/* pread of a page homed on the dead peer: -EIO, bounded. */
	t0 = dm_now();
	EXPECT_EQ(-1, pread(fd, page, PAGE, 0));
	EXPECT_EQ(EIO, errno);
	dt = dm_now() - t0;
	EXPECT_LT(dt, 5.0) TH_LOG("pread took %.2f s", dt);

	/* Pages homed here keep working meanwhile. */
	memset(page, 0xab, sizeof(page));
	EXPECT_EQ((ssize_t)PAGE, pwrite(fd, page, PAGE, EXT));
	EXPECT_EQ((ssize_t)PAGE, pread(fd, page, PAGE, EXT));
	EXPECT_EQ(0xab, page[100]);

	/* A fault on it: SIGBUS, bounded. */
	m = mmap(NULL, 2 * EXT, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	t0 = dm_now();
	EXPECT_TRUE(read_sigbus(&m[PAGE]));
	dt = dm_now() - t0;
	EXPECT_LT(dt, 5.0) TH_LOG("fault took %.2f s", dt);
	EXPECT_EQ(0xab, m[EXT + 100]);
	munmap((void *)m, 2 * EXT);

	/*
	 * A write to it: the page is written whole, so nothing is read; the
	 * write-back fails (fsync -EIO) and the data stays dirty.
	 */
	memset(page, 0xcd, sizeof(page));
	EXPECT_EQ((ssize_t)PAGE, pwrite(fd, page, PAGE, 2 * PAGE));
	t0 = dm_now();
	EXPECT_EQ(-1, fsync(fd));
	EXPECT_EQ(EIO, errno);
	EXPECT_LT(dm_now() - t0, 5.0);
	memset(page, 0, sizeof(page));
	EXPECT_EQ((ssize_t)PAGE, pread(fd, page, PAGE, 2 * PAGE));
	EXPECT_EQ(0xcd, page[0]);

	ASSERT_EQ(0, pool_info(self, self->name, &pi));
	EXPECT_LE(3ULL, pi.io_errors);
	EXPECT_LE(1ULL, pi.faults);
	close(fd);
}

/* The state letter of task @pid (/proc/PID/stat), or 0. */
static char task_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the name may hold spaces */
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Wait (at most 20 s) until task @pid sleeps uninterruptibly (D), seen in
 * five polls in a row 20 ms apart: not a passing D state, a real wait.
 */
static bool wait_blocked(pid_t pid)
{
	double end = dm_now() + 20;
	int seen = 0;

	while (dm_now() < end) {
		seen = task_state(pid) == 'D' ? seen + 1 : 0;
		if (seen == 5)
			return true;
		usleep(20000);
	}
	return false;
}

/*
 * A POOL_DEL that waits for I/O in flight (the truncate waits for a page
 * whose GET waits for a silent home) stalls neither the _GET commands of
 * the family nor generic netlink as a whole: the family runs without
 * genl_mutex.  Proven by order, not by time: while the POOL_DEL is still
 * blocked, VERSION_GET and POOL_GET answer (under genl_mutex they would
 * answer only once it has ended).  The reader then fails: -EIO for the
 * request that timed out, or -ENXIO if it asks again after the destroy.
 */
TEST_F(placed, pool_del_waiting_for_io_does_not_stall_netlink)
{
	uint32_t map[2] = { 2, 1 };	/* extent 0 on the dead peer */
	struct dmnl_version v;
	struct placed_info pi;
	pid_t reader, deleter;
	int fd, status;

	/* Long enough for the checks below; the children end with it. */
	ASSERT_EQ(0, dm_write_file(TIMEOUT_PATH, "10000"));
	ASSERT_EQ(0, placed_new(self, self->name, 2 * EXT, 0, EXT, 0, map,
				sizeof(map), &pi));
	fd = dm_open_attached(pi.id);
	ASSERT_LE(0, fd);

	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader) {
		uint8_t page[PAGE];

		_exit(pread(fd, page, PAGE, 0) == -1 &&
		      (errno == EIO || errno == ENXIO) ? 0 : 1);
	}
	ASSERT_TRUE(wait_blocked(reader));

	deleter = fork();
	ASSERT_LE(0, deleter);
	if (!deleter) {
		struct dmnl nl;

		if (dmnl_open(&nl))
			_exit(2);
		_exit(dmnl_pool_del(&nl, pi.id, NULL, DMPOOL_POOL_DEL_FORCE) ?
		      1 : 0);
	}
	ASSERT_TRUE(wait_blocked(deleter));

	EXPECT_EQ(0, dmnl_version(&self->nl, &v));
	pool_info(self, self->name, &pi);	/* any answer will do */
	/* The delete still waits: the answers did not wait for it. */
	EXPECT_EQ('D', task_state(deleter));

	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(deleter, waitpid(deleter, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

TEST_F(placed, mem_set_and_get)
{
	struct dmnl_version v0, v1;
	uint32_t map[2] = { 1, 1 };

	ASSERT_EQ(0, dmnl_version(&self->nl, &v0));
	EXPECT_REFUSED(-EINVAL, mem_set(self, 1ULL << 50));
	ASSERT_EQ(0, placed_new(self, self->name, 2 * EXT, 0, EXT, 0, map,
				sizeof(map), NULL));
	ASSERT_EQ(0, dmnl_version(&self->nl, &v1));
	EXPECT_REFUSED(-EBUSY, mem_set(self, v1.committed - PAGE));
	/* Exactly what is committed: nothing free, a new share is refused. */
	ASSERT_EQ(0, mem_set(self, v1.committed));
	ASSERT_EQ(0, dmnl_version(&self->nl, &v1));
	EXPECT_EQ(v1.committed, v1.capacity);
	{
		char other[64];

		dm_name(other, sizeof(other), "placed");
		EXPECT_REFUSED(-ENOSPC, placed_new(self, other, 2 * EXT, 0,
						   EXT, 0, map, sizeof(map),
						   NULL));
	}
	ASSERT_EQ(0, mem_set(self, v0.capacity));
	ASSERT_EQ(0, dmnl_version(&self->nl, &v1));
	EXPECT_EQ(v0.capacity, v1.capacity);
}

static int mem_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1] = {};
	uint64_t *out = data;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
	if (out[0]++ == 0) {
		out[1] = tb[DMPOOL_A_MEM_SELF] ? 1 : 0;
		out[2] = tb[DMPOOL_A_NODE_ID] ?
			 mnl_attr_get_u32(tb[DMPOOL_A_NODE_ID]) : 0;
		out[3] = get64(tb, DMPOOL_A_STORE_CAPACITY);
	}
	return MNL_CB_OK;
}

TEST_F(placed, mem_dump_lists_this_node_first)
{
	struct nlmsghdr *nlh;
	struct dmnl_version v;
	uint64_t out[4] = {};

	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	nlh = dmnl_start(&self->nl, self->buf, DMPOOL_CMD_MEM_GET,
			 NLM_F_DUMP | NLM_F_ACK);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, mem_cb, out));
	/* The unreachable peer never reported: only this node. */
	EXPECT_EQ(1ULL, out[0]);
	EXPECT_EQ(1ULL, out[1]);
	EXPECT_EQ(1ULL, out[2]);
	EXPECT_EQ(v.capacity, out[3]);
}

TEST_HARNESS_MAIN
