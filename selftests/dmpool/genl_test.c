// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the generic netlink contract of the "dmpool" family: pools are
 * created, shown, dumped and destroyed with unique never-reused IDs and
 * exact store accounting; every bad request gets its errno and an extack
 * message; destroy is refused while attached unless forced, and a forced
 * destroy revokes the pool (SIGBUS on mapped pages, -ENXIO on read/write);
 * only CAP_NET_ADMIN may change state.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

FIXTURE(genl) {
	struct dmnl nl;
	struct dmnl_version v0;		/* the store before the test */
	uint64_t ids[8];		/* pools to destroy in teardown */
	int nr_ids;
};

FIXTURE_SETUP(genl)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	ASSERT_EQ(0, dmnl_version(&self->nl, &self->v0));
	self->nr_ids = 0;
}

FIXTURE_TEARDOWN(genl)
{
	for (int i = 0; i < self->nr_ids; i++)
		dmnl_pool_del(&self->nl, self->ids[i], NULL,
			      DMPOOL_POOL_DEL_FORCE);
	dmnl_close(&self->nl);
}

/* Create a pool that teardown destroys; the error of POOL_NEW. */
static int new_pool(FIXTURE_DATA(genl) *self, const char *tag,
		    uint64_t size, struct dmnl_pool *p, char *name)
{
	char buf[64];
	int err;

	if (!name)
		name = buf;
	dm_name(name, 64, tag);
	err = dmnl_pool_new(&self->nl, name, size, p);
	if (!err && self->nr_ids < 8)
		self->ids[self->nr_ids++] = p->id;
	return err;
}

TEST_F(genl, version)
{
	EXPECT_EQ(DMPOOL_ABI_VERSION, self->v0.abi_version);
	EXPECT_TRUE(self->v0.features & DMPOOL_FEAT_LOCAL_POOLS);
	EXPECT_LT(0, self->v0.capacity);
	EXPECT_LE(self->v0.committed, self->v0.capacity);
}

TEST_F(genl, create_get_dump_destroy)
{
	struct dmnl_pool p, q, all[64];
	struct dmnl_version v;
	char name[64];
	int n, found = 0;

	ASSERT_EQ(0, new_pool(self, "cgdd", 3 * PAGE, &p, name))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_NE(0, p.id);
	EXPECT_STREQ(name, p.name);
	EXPECT_EQ(3 * PAGE, p.size);
	EXPECT_EQ(0, p.attached);
	EXPECT_EQ(0, p.cached);
	EXPECT_EQ(0, p.stored);

	/* The store committed exactly the pool's size. */
	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_EQ(self->v0.committed + 3 * PAGE, v.committed);

	ASSERT_EQ(0, dmnl_pool_get(&self->nl, p.id, NULL, &q));
	EXPECT_EQ(p.id, q.id);
	EXPECT_STREQ(name, q.name);
	ASSERT_EQ(0, dmnl_pool_get(&self->nl, 0, name, &q));
	EXPECT_EQ(p.id, q.id);
	EXPECT_EQ(3 * PAGE, q.size);

	n = dmnl_pool_dump(&self->nl, all, 64);
	ASSERT_LE(1, n);
	for (int i = 0; i < n && i < 64; i++)
		found += all[i].id == p.id && !strcmp(all[i].name, name);
	EXPECT_EQ(1, found);

	ASSERT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL, -1));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, p.id, NULL, &q));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, 0, name, &q));
	EXPECT_EQ(-ENOENT, dmnl_pool_del(&self->nl, p.id, NULL, -1));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_EQ(self->v0.committed, v.committed);

	/* By name too. */
	ASSERT_EQ(0, new_pool(self, "byname", PAGE, &p, name));
	ASSERT_EQ(0, dmnl_pool_del(&self->nl, 0, name, 0));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, p.id, NULL, &q));
}

/* IDs are unique and a destroyed pool's ID is never handed out again. */
TEST_F(genl, ids_never_reused)
{
	struct dmnl_pool a, b, c;
	char name[64];

	ASSERT_EQ(0, new_pool(self, "ida", PAGE, &a, name));
	ASSERT_EQ(0, new_pool(self, "idb", PAGE, &b, NULL));
	EXPECT_NE(a.id, b.id);
	ASSERT_EQ(0, dmnl_pool_del(&self->nl, a.id, NULL, -1));
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE, &c));
	self->ids[self->nr_ids++] = c.id;
	EXPECT_NE(a.id, c.id);
	EXPECT_NE(b.id, c.id);
	EXPECT_LT(b.id, c.id);
}

static long nr_inodes(void)
{
	long nr = -1, unused;
	FILE *f = fopen("/proc/sys/fs/inode-nr", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &nr, &unused) != 2)
			nr = -1;
		fclose(f);
	}
	return nr;
}

/*
 * The slots of destroyed pools' inodes, reused by other inodes (pipes'),
 * do not make those look hashed: closed pipes free their inodes.  (With a
 * fake hash left in a freed pool inode, every pipe inode allocated in such
 * a slot stayed cached forever.)
 */
TEST_F_TIMEOUT(genl, freed_pool_inodes_leave_no_trace, 300)
{
	const int pools = 400, pipes = 4000;
	struct dmnl_pool p;
	long before, after;
	char name[64];
	int fds[2];

	ASSERT_LT(0, nr_inodes());
	for (int i = 0; i < pools; i++) {
		dm_name(name, sizeof(name), "slot");
		ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE, &p));
		ASSERT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL, -1));
	}
	before = nr_inodes();
	for (int i = 0; i < pipes; i++) {
		ASSERT_EQ(0, pipe(fds));
		close(fds[0]);
		close(fds[1]);
	}
	after = nr_inodes();
	TH_LOG("inodes in use: %ld before %d pipes, %ld after", before, pipes,
	       after);
	/* Measured: 0 with the fix, 65-71 with a fake hash left behind. */
	EXPECT_LT(after - before, 16);
}

/* A dump larger than one message buffer returns every pool once, in order. */
TEST_F_TIMEOUT(genl, dump_many, 120)
{
	enum { N = 300 };
	static struct dmnl_pool all[2048];
	uint64_t ids[N];
	char name[64];
	int n, seen = 0;

	for (int i = 0; i < N; i++) {
		struct dmnl_pool p;

		dm_name(name, sizeof(name), "dump");
		ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE, &p))
			TH_LOG("pool %d: %s", i, self->nl.errmsg);
		ids[i] = p.id;
	}
	n = dmnl_pool_dump(&self->nl, all, 2048);
	ASSERT_LE(N, n);
	ASSERT_GE(2048, n);
	for (int i = 1; i < n; i++)
		EXPECT_LT(all[i - 1].id, all[i].id);
	for (int i = 0, j = 0; i < n && j < N; i++) {
		if (all[i].id == ids[j]) {
			seen++;
			j++;
		}
	}
	EXPECT_EQ(N, seen);
	for (int i = 0; i < N; i++)
		EXPECT_EQ(0, dmnl_pool_del(&self->nl, ids[i], NULL, -1));
}

TEST_F(genl, create_errors)
{
	char name[64], longname[DMPOOL_POOL_NAME_MAX + 2];
	static const char * const bad[] = {
		"", ".dot", "-dash", "a b", "a/b", "x\x01",
		"caf\xc3\xa9",
	};
	struct dmnl_pool p;

	/* Duplicate name. */
	ASSERT_EQ(0, new_pool(self, "dup", PAGE, &p, name));
	EXPECT_EQ(-EEXIST, dmnl_pool_new(&self->nl, name, PAGE, NULL));
	EXPECT_NE(NULL, strstr(self->nl.errmsg, "exists"));

	/* Sizes. */
	dm_name(name, sizeof(name), "size");
	EXPECT_EQ(-EINVAL, dmnl_pool_new(&self->nl, name, 0, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_EQ(-EINVAL, dmnl_pool_new(&self->nl, name, PAGE - 1, NULL));
	EXPECT_EQ(-EINVAL, dmnl_pool_new(&self->nl, name,
					 DMPOOL_POOL_SIZE_MAX + 1, NULL));
	EXPECT_EQ(-EINVAL, dmnl_pool_new(&self->nl, name, ~0ULL, NULL));

	/* More than the store can hold: -ENOSPC, and the message says why. */
	EXPECT_EQ(-ENOSPC, dmnl_pool_new(&self->nl, name,
					 self->v0.capacity + PAGE, NULL));
	EXPECT_NE(NULL, strstr(self->nl.errmsg, "free"))
		TH_LOG("message: %s", self->nl.errmsg);
	EXPECT_EQ(-ENOSPC, dmnl_pool_new(&self->nl, name,
					 DMPOOL_POOL_SIZE_MAX, NULL));

	/* Names. */
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, dmnl_pool_new(&self->nl, bad[i], PAGE,
						 NULL)) TH_LOG("name %zu", i);
		EXPECT_NE(0, strlen(self->nl.errmsg));
	}
	memset(longname, 'n', sizeof(longname));
	longname[DMPOOL_POOL_NAME_MAX + 1] = '\0';
	EXPECT_EQ(-EINVAL, dmnl_pool_new(&self->nl, longname, PAGE, NULL));
	/* The longest valid name works. */
	longname[DMPOOL_POOL_NAME_MAX] = '\0';
	longname[0] = 'L';
	snprintf(longname + 1, 12, "%010d", (int)getpid());
	longname[11] = '_';
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, longname, PAGE, &p))
		TH_LOG("%s", self->nl.errmsg);
	self->ids[self->nr_ids++] = p.id;
	EXPECT_STREQ(longname, p.name);

	/* Nothing was committed by the failures. */
	struct dmnl_version v;

	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_EQ(self->v0.committed + 2 * PAGE, v.committed);
}

/* Malformed requests are refused by the strict policy or the handlers. */
TEST_F(genl, malformed_requests)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], name[64];
	struct nlmsghdr *nlh;
	struct dmnl_pool p;

	dm_name(name, sizeof(name), "mal");

	/* Missing attributes. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* Flags on POOL_NEW. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	/* A wrong attribute length. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	EXPECT_GT(0, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* A name without its NUL. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put(nlh, DMPOOL_A_POOL_NAME, strlen(name), name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* Output-only and unknown attributes. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_ATTACHED, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	mnl_attr_put_u32(nlh, DMPOOL_A_MAX + 1, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* An unknown command. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_MAX + 1, NLM_F_ACK);
	EXPECT_EQ(-EOPNOTSUPP, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* Lookups: neither or both of ID and NAME, ID 0, a bad name. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	ASSERT_EQ(0, new_pool(self, "both", PAGE, &p, name));
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_DEL, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, p.id);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, 0, NULL, NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, ~0ULL, NULL, NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, 0, "st-none", NULL));
	EXPECT_EQ(-EINVAL, dmnl_pool_get(&self->nl, 0, "-bad", NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_del(&self->nl, ~0ULL, NULL, -1));
	EXPECT_EQ(-EINVAL, dmnl_pool_del(&self->nl, 0, "", -1));

	/* Unknown DEL flags. */
	EXPECT_EQ(-EINVAL, dmnl_pool_del(&self->nl, p.id, NULL, 2));
	EXPECT_EQ(0, dmnl_pool_get(&self->nl, p.id, NULL, NULL));
}

/*
 * The core checks every request's header (the family leaves resv_start_op
 * at 0): a nonzero genlmsghdr.reserved and nlmsg_flags beyond REQUEST,
 * ACK, ECHO and DUMP are refused, for doit and dump alike.
 */
TEST_F(genl, header_checks)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], name[64];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	genl = mnl_nlmsg_get_payload(nlh);
	genl->reserved = 1;
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.errmsg, "reserved"))
		TH_LOG("message: %s", self->nl.errmsg);

	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_DUMP);
	genl = mnl_nlmsg_get_payload(nlh);
	genl->reserved = 0x8000;
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* NLM_F_CREATE | NLM_F_EXCL mean nothing here. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_VERSION_GET,
			 NLM_F_ACK | NLM_F_CREATE);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.errmsg, "nlmsg_flags"))
		TH_LOG("message: %s", self->nl.errmsg);
	dm_name(name, sizeof(name), "hdr");
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW,
			 NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, 0, name, NULL));

	/* The same requests with a clean header work. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	EXPECT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_LE(0, dmnl_pool_dump(&self->nl, NULL, 0));
}

/* Send @nlh; expect -EINVAL with a message naming @attr. */
static void expect_unused(struct __test_metadata *_metadata, struct dmnl *nl,
			  struct nlmsghdr *nlh, const char *attr)
{
	EXPECT_EQ(-EINVAL, dmnl_talk(nl, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(nl->errmsg, attr))
		TH_LOG("%s: message: %s", attr, nl->errmsg);
}

/*
 * Each command takes only its own attributes (the policy is family-wide):
 * any other is -EINVAL with a message naming it, and nothing happens.
 */
TEST_F(genl, unused_attributes)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], name[64], other[64];
	struct dmnl *nl = &self->nl;
	struct nlmsghdr *nlh;
	struct dmnl_pool p, q;

	ASSERT_EQ(0, new_pool(self, "unused", 2 * PAGE, &p, name));
	dm_name(other, sizeof(other), "unused");

	/* VERSION_GET takes nothing. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, p.id);
	expect_unused(_metadata, nl, nlh, "POOL_ID");
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, 0);
	expect_unused(_metadata, nl, nlh, "POOL_FLAGS");

	/* POOL_GET: ID or NAME, no FLAGS (of any value), no SIZE. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, p.id);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, 0);
	expect_unused(_metadata, nl, nlh, "POOL_FLAGS");
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, p.id);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, ~0U);
	expect_unused(_metadata, nl, nlh, "POOL_FLAGS");
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	expect_unused(_metadata, nl, nlh, "POOL_SIZE");

	/* The POOL_GET dump takes nothing. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	expect_unused(_metadata, nl, nlh, "POOL_NAME");
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, 0);
	expect_unused(_metadata, nl, nlh, "POOL_FLAGS");

	/* POOL_DEL: no SIZE; the pool stays. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_DEL, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, p.id);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, 2 * PAGE);
	expect_unused(_metadata, nl, nlh, "POOL_SIZE");
	ASSERT_EQ(0, dmnl_pool_get(nl, p.id, NULL, &q));

	/* POOL_NEW: no ID; nothing is created. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, other);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, 77);
	expect_unused(_metadata, nl, nlh, "POOL_ID");
	EXPECT_EQ(-ENOENT, dmnl_pool_get(nl, 0, other, NULL));

	/* Unknown flag bits name the FLAGS attribute too. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, other);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, 1U << 31);
	EXPECT_EQ(-EINVAL, dmnl_talk(nl, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(nl->errmsg, "flags"));
	EXPECT_EQ(-EINVAL, dmnl_pool_del(nl, p.id, NULL, 1U << 31));
	EXPECT_NE(NULL, strstr(nl->errmsg, "flags"));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(nl, 0, other, NULL));

	/* The attributes a command does take still work, FLAGS=0 included. */
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, other);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, PAGE);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, 0);
	ASSERT_EQ(0, dmnl_talk(nl, nlh, NULL, NULL)) TH_LOG("%s", nl->errmsg);
	ASSERT_EQ(0, dmnl_pool_get(nl, 0, other, &q));
	EXPECT_EQ(0, dmnl_pool_del(nl, q.id, NULL, 0));
	EXPECT_EQ(0, dmnl_pool_del(nl, 0, name, DMPOOL_POOL_DEL_FORCE));
}

TEST_F(genl, destroy_attached)
{
	struct dmnl_pool p, q;
	uint8_t buf[16];
	int fd;

	ASSERT_EQ(0, new_pool(self, "busy", PAGE, &p, NULL));
	fd = dm_open_attached(p.id);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dmnl_pool_get(&self->nl, p.id, NULL, &q));
	EXPECT_EQ(1, q.attached);

	EXPECT_EQ(-EBUSY, dmnl_pool_del(&self->nl, p.id, NULL, -1));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_EQ(-EBUSY, dmnl_pool_del(&self->nl, p.id, NULL, 0));
	/* Still fully usable. */
	EXPECT_EQ(3, pwrite(fd, "abc", 3, 0));
	EXPECT_EQ(3, pread(fd, buf, 3, 0));

	close(fd);
	ASSERT_EQ(0, dmnl_pool_get(&self->nl, p.id, NULL, &q));
	EXPECT_EQ(0, q.attached);
	EXPECT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL, -1));
}

/* Touch @addr in a child; return the signal that killed it, or 0. */
static int touch_signal(volatile uint8_t *addr, bool write)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

TEST_F(genl, forced_destroy_revokes)
{
	struct dmnl_version v;
	struct dmnl_pool p, q;
	struct dmpool_info info = { 0 };
	uint8_t *map, buf[16];
	char name[64];
	int fd;

	ASSERT_EQ(0, new_pool(self, "force", 4 * PAGE, &p, name));
	fd = dm_open_attached(p.id);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 42;
	map[PAGE] = 43;
	ASSERT_EQ(0, touch_signal(map, false));
	ASSERT_EQ(0, touch_signal(map + 2 * PAGE, true));

	ASSERT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL,
				   DMPOOL_POOL_DEL_FORCE))
		TH_LOG("%s", self->nl.errmsg);

	/* Mapped pages, faulted in or not, raise SIGBUS. */
	EXPECT_EQ(SIGBUS, touch_signal(map, false));
	EXPECT_EQ(SIGBUS, touch_signal(map + PAGE, true));
	EXPECT_EQ(SIGBUS, touch_signal(map + 3 * PAGE, false));
	/* The file reads and writes -ENXIO and cannot map again. */
	errno = 0;
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENXIO, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENXIO, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(ENXIO, errno);
	EXPECT_EQ(-ENXIO, dm_ioctl(fd, DMPOOL_IOC_INFO, &info));

	/* The pool is gone: not found, not attachable, its name is free. */
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, p.id, NULL, NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_del(&self->nl, p.id, NULL,
					 DMPOOL_POOL_DEL_FORCE));
	int fd2 = dm_open();

	ASSERT_LE(0, fd2);
	EXPECT_EQ(-ENOENT, dm_attach_id(fd2, p.id, NULL));
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, name, PAGE, &q));
	self->ids[self->nr_ids++] = q.id;
	EXPECT_NE(p.id, q.id);

	/* Its memory is returned when the last user goes. */
	munmap(map, 4 * PAGE);
	close(fd);
	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_EQ(self->v0.committed + PAGE, v.committed);
	close(fd2);
}

/*
 * Child of forced_destroy_races: hammer the pool through @fd until it is
 * revoked.  @how 0: stores through a mapping (ends in SIGBUS); 1: pwrite
 * (ends in ENXIO); 2: pread (ends in ENXIO).  Exit 0 when revoked as
 * documented, else the number of the unexpected outcome.
 */
static int hammer(int fd, size_t size, int how)
{
	uint8_t buf[PAGE] = { 0 }, *map = NULL;
	ssize_t n;

	if (how == 0) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   0);
		if (map == MAP_FAILED)
			return errno == ENXIO ? 0 : 1;
	}
	for (unsigned long i = 0;; i++) {
		uint64_t off = (i * PAGE) % size;

		switch (how) {
		case 0:
			map[off + i % PAGE] = (uint8_t)i;
			break;
		case 1:
			n = pwrite(fd, buf, PAGE, off);
			if (n < 0)
				return errno == ENXIO ? 0 : 2;
			if (n != (ssize_t)PAGE)
				return 3;
			break;
		default:
			n = pread(fd, buf, PAGE, off);
			if (n < 0)
				return errno == ENXIO ? 0 : 4;
			/* A read racing with the truncation may come up short. */
			break;
		}
	}
}

/* A forced destroy racing with stores, writes and reads is clean. */
TEST_F_TIMEOUT(genl, forced_destroy_races, 300)
{
	const size_t size = 64 * PAGE;

	for (int round = 0; round < 10; round++) {
		struct dmnl_pool p;
		pid_t pids[3];
		int fd, status;

		ASSERT_EQ(0, new_pool(self, "race", size, &p, NULL));
		self->nr_ids = 0;	/* destroyed below */
		fd = dm_open_attached(p.id);
		ASSERT_LE(0, fd);
		for (int i = 0; i < 3; i++) {
			pids[i] = fork();
			ASSERT_LE(0, pids[i]);
			if (pids[i] == 0)
				_exit(hammer(fd, size, i));
		}
		/* Let them run a little: until the pool has dirty pages. */
		ASSERT_TRUE(dm_wait_until(({
			struct dmnl_pool q = { 0 };

			dmnl_pool_get(&self->nl, p.id, NULL, &q);
			q.cached >= 8 * PAGE; }), 30));
		ASSERT_EQ(0, dmnl_pool_del(&self->nl, p.id, NULL,
					   DMPOOL_POOL_DEL_FORCE));
		for (int i = 0; i < 3; i++) {
			ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
			if (i == 0 && WIFSIGNALED(status)) {
				EXPECT_EQ(SIGBUS, WTERMSIG(status));
			} else {
				EXPECT_TRUE(WIFEXITED(status));
				EXPECT_EQ(0, WEXITSTATUS(status))
					TH_LOG("round %d, child %d", round, i);
			}
		}
		close(fd);
	}
	struct dmnl_version v;

	ASSERT_EQ(0, dmnl_version(&self->nl, &v));
	EXPECT_EQ(self->v0.committed, v.committed);
}

/*
 * Only CAP_NET_ADMIN changes state; anyone may look.  /dev/dmpool is root's
 * (mode 0600): an unprivileged user cannot open it to attach.
 */
TEST_F(genl, unprivileged)
{
	struct dmnl_pool p;
	char name[64];
	struct stat st;
	int status;
	pid_t pid;

	ASSERT_EQ(0, new_pool(self, "priv", PAGE, &p, name));
	ASSERT_EQ(0, stat(DMPOOL_DEVICE_PATH, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dmnl nl;
		struct dmnl_version v;
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(1);
		if (dmnl_open(&nl))
			_exit(2);
		if (dmnl_pool_new(&nl, "st-unpriv", PAGE, NULL) != -EPERM)
			_exit(3);
		if (dmnl_pool_del(&nl, p.id, NULL, -1) != -EPERM)
			_exit(4);
		if (dmnl_pool_del(&nl, p.id, NULL, DMPOOL_POOL_DEL_FORCE) !=
		    -EPERM)
			_exit(5);
		if (dmnl_version(&nl, &v) || dmnl_pool_get(&nl, p.id, NULL,
							   NULL))
			_exit(6);
		if (dmnl_pool_dump(&nl, NULL, 0) < 1)
			_exit(7);
		fd = dm_open();
		if (fd != -EACCES)
			_exit(8);
		fd = open(DMPOOL_DEVICE_PATH, O_RDONLY);
		if (fd >= 0 || errno != EACCES)
			_exit(9);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, dmnl_pool_get(&self->nl, p.id, NULL, NULL));
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, 0, "st-unpriv", NULL));
}

TEST_F_TIMEOUT(genl, too_many_pools, 300)
{
	static uint64_t ids[DMPOOL_POOLS_MAX];
	int n = 0, err = 0;
	char name[64];

	while (n < DMPOOL_POOLS_MAX + 1) {
		struct dmnl_pool p;

		dm_name(name, sizeof(name), "many");
		err = dmnl_pool_new(&self->nl, name, PAGE, &p);
		if (err)
			break;
		ids[n++] = p.id;
	}
	EXPECT_EQ(-EMFILE, err) TH_LOG("%s", self->nl.errmsg);
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_GE(DMPOOL_POOLS_MAX, n);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(0, dmnl_pool_del(&self->nl, ids[i], NULL, -1));
}

TEST_HARNESS_MAIN
