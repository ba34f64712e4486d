// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the netlink file commands on a node running the cluster lock
 * manager: FILE_NEW creates a file (reply as FILE_GET), FILE_GET finds it
 * by name, a FILE_GET dump lists every file of the pool and only those,
 * FILE_DEL removes it; and bad requests get -EINVAL (or -ENOENT, -EEXIST)
 * with an extack message: a missing name or size, bad names, permits and
 * modes out of range, output-only attributes, a dump without a pool.
 * Not run by the suite directly: files.bats runs it once the stack is up.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

struct nl_file {
	uint64_t pool_id, id, offset, size;
	uint32_t permits, mode;
	char name[DMPOOL_FILE_NAME_MAX + 1];
};

FIXTURE(nlf) {
	struct dmnl nl;
	struct dmnl_pool pool;
	char name[64];
	char buf[8192];
};

FIXTURE_SETUP(nlf)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	dm_name(self->name, sizeof(self->name), "nlfiles");
	ASSERT_EQ(0, dmnl_pool_new(&self->nl, self->name, 4 * MiB,
				   &self->pool)) TH_LOG("%s", self->nl.errmsg);
}

FIXTURE_TEARDOWN(nlf)
{
	dmnl_pool_del(&self->nl, self->pool.id, NULL, DMPOOL_POOL_DEL_FORCE);
	dmnl_close(&self->nl);
}

static int file_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_file *f = data;
	struct nlattr *a;

	/* A dump fills an array, ended by id 0; a doit one entry. */
	while (f->id)
		f++;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case DMPOOL_A_POOL_ID:
			f->pool_id = mnl_attr_get_u64(a);
			break;
		case DMPOOL_A_FILE_ID:
			f->id = mnl_attr_get_u64(a);
			break;
		case DMPOOL_A_FILE_OFFSET:
			f->offset = mnl_attr_get_u64(a);
			break;
		case DMPOOL_A_FILE_SIZE:
			f->size = mnl_attr_get_u64(a);
			break;
		case DMPOOL_A_FILE_PERMITS:
			f->permits = mnl_attr_get_u32(a);
			break;
		case DMPOOL_A_FILE_MODE:
			f->mode = mnl_attr_get_u32(a);
			break;
		case DMPOOL_A_FILE_NAME:
			snprintf(f->name, sizeof(f->name), "%s",
				 mnl_attr_get_str(a));
			break;
		}
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *file_req(FIXTURE_DATA(nlf) *self, uint8_t cmd,
				 uint16_t flags, const char *name)
{
	struct nlmsghdr *nlh = dmnl_start(&self->nl, self->buf, cmd,
					  NLM_F_ACK | flags);

	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, self->pool.id);
	if (name)
		mnl_attr_put_strz(nlh, DMPOOL_A_FILE_NAME, name);
	return nlh;
}

TEST_F(nlf, create_get_list_delete)
{
	struct nl_file f = {}, g = {}, all[8] = {};
	struct nlmsghdr *nlh;

	nlh = file_req(self, DMPOOL_CMD_FILE_NEW, 0, "alpha");
	mnl_attr_put_u64(nlh, DMPOOL_A_FILE_SIZE, 5000);
	mnl_attr_put_u32(nlh, DMPOOL_A_FILE_PERMITS, 3);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, file_cb, &f))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_NE(0, f.id);
	EXPECT_EQ(self->pool.id, f.pool_id);
	EXPECT_EQ(5000, f.size);
	EXPECT_EQ(3, f.permits);
	EXPECT_EQ(0644, f.mode);
	EXPECT_LE(DMPOOL_DIR_SIZE, f.offset);
	EXPECT_STREQ("alpha", f.name);

	nlh = file_req(self, DMPOOL_CMD_FILE_NEW, 0, "beta");
	mnl_attr_put_u64(nlh, DMPOOL_A_FILE_SIZE, 1);
	mnl_attr_put_u32(nlh, DMPOOL_A_FILE_MODE, 0600);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	/* The same name again. */
	nlh = file_req(self, DMPOOL_CMD_FILE_NEW, 0, "beta");
	mnl_attr_put_u64(nlh, DMPOOL_A_FILE_SIZE, 1);
	EXPECT_EQ(-EEXIST, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, self->nl.errmsg[0]);

	nlh = file_req(self, DMPOOL_CMD_FILE_GET, 0, "alpha");
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, file_cb, &g));
	EXPECT_EQ(f.id, g.id);
	EXPECT_EQ(f.offset, g.offset);

	nlh = file_req(self, DMPOOL_CMD_FILE_GET, NLM_F_DUMP, NULL);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, file_cb, all));
	EXPECT_STREQ("alpha", all[0].name);
	EXPECT_STREQ("beta", all[1].name);
	EXPECT_EQ(0600, all[1].mode);
	EXPECT_EQ(0, all[2].id);

	nlh = file_req(self, DMPOOL_CMD_FILE_DEL, 0, "alpha");
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = file_req(self, DMPOOL_CMD_FILE_GET, 0, "alpha");
	EXPECT_EQ(-ENOENT, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = file_req(self, DMPOOL_CMD_FILE_DEL, 0, "alpha");
	EXPECT_EQ(-ENOENT, dmnl_talk(&self->nl, nlh, NULL, NULL));
	memset(all, 0, sizeof(all));
	nlh = file_req(self, DMPOOL_CMD_FILE_GET, NLM_F_DUMP, NULL);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, file_cb, all));
	EXPECT_STREQ("beta", all[0].name);
	EXPECT_EQ(0, all[1].id);
}

TEST_F(nlf, bad_requests)
{
	char longname[DMPOOL_FILE_NAME_MAX + 2];
	struct nlmsghdr *nlh;

#define NEW_ERR(err, name, ...) do {					\
		nlh = file_req(self, DMPOOL_CMD_FILE_NEW, 0, name);	\
		mnl_attr_put_u64(nlh, DMPOOL_A_FILE_SIZE, 4096);	\
		__VA_ARGS__;						\
		EXPECT_EQ(err, dmnl_talk(&self->nl, nlh, NULL, NULL));	\
		EXPECT_NE(0, self->nl.errmsg[0]);			\
	} while (0)
	NEW_ERR(-EINVAL, NULL);				/* no name */
	NEW_ERR(-EINVAL, "a/b");
	NEW_ERR(-EINVAL, "..");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	NEW_ERR(-EINVAL, longname);
	NEW_ERR(-EINVAL, "p", mnl_attr_put_u32(nlh, DMPOOL_A_FILE_PERMITS, 0));
	NEW_ERR(-EINVAL, "p", mnl_attr_put_u32(nlh, DMPOOL_A_FILE_PERMITS,
					       DMPOOL_PERMITS_MAX + 1));
	NEW_ERR(-EINVAL, "m", mnl_attr_put_u32(nlh, DMPOOL_A_FILE_MODE, 01000));
	NEW_ERR(-EINVAL, "o", mnl_attr_put_u64(nlh, DMPOOL_A_FILE_OFFSET, 0));
	NEW_ERR(-EINVAL, "k", mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, 1));

	/* No size; size 0; no pool; an unknown pool. */
	nlh = file_req(self, DMPOOL_CMD_FILE_NEW, 0, "s");
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = file_req(self, DMPOOL_CMD_FILE_NEW, 0, "s");
	mnl_attr_put_u64(nlh, DMPOOL_A_FILE_SIZE, 0);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = dmnl_start(&self->nl, self->buf, DMPOOL_CMD_FILE_DEL, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_FILE_NAME, "x");
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = dmnl_start(&self->nl, self->buf, DMPOOL_CMD_FILE_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, self->pool.id + 1000);
	mnl_attr_put_strz(nlh, DMPOOL_A_FILE_NAME, "x");
	EXPECT_EQ(-ENOENT, dmnl_talk(&self->nl, nlh, NULL, NULL));
	/* A dump needs its pool, and takes nothing else. */
	nlh = dmnl_start(&self->nl, self->buf, DMPOOL_CMD_FILE_GET,
			 NLM_F_ACK | NLM_F_DUMP);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = file_req(self, DMPOOL_CMD_FILE_GET, NLM_F_DUMP, "x");
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
}

TEST_HARNESS_MAIN
