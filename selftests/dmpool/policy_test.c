// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the access policies of local pools (DMPOOL_FEAT_POLICY): attach
 * needs read (owner, group, others bits or a grant), write(2) and writable
 * shared mappings need write (and mprotect cannot add it), the file ioctls
 * that change the directory need the admin right, CAP_DAC_OVERRIDE
 * overrides, POOL_SET is CAP_NET_ADMIN's and takes effect at the next
 * attach, POOL_NEW/POOL_SET/FILE_SET refuse bad values with an extack, and
 * POOL_GET reports what was set.  Unprivileged callers are forked children
 * that open /dev/dmpool as root (the device is 0600), then drop to another
 * uid, which clears their capabilities.
 */
#include <grp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"

#define POOL_SIZE	(1 * MiB)
#define NOBODY		65534U
#define GROUP		4242U

/* A policy as POOL_GET reports it. */
struct pol {
	uint32_t uid, gid, mode;
	int nr_grants;			/* -1: no GRANTS attribute */
	struct dmpool_grant grants[DMPOOL_GRANTS_MAX + 1];
};

FIXTURE(pol) {
	struct dmnl nl;
	char name[64];
	uint64_t id;
};

FIXTURE_SETUP(pol)
{
	ASSERT_EQ(0, dmnl_open(&self->nl));
	self->id = 0;
}

FIXTURE_TEARDOWN(pol)
{
	if (self->id)
		dmnl_pool_del(&self->nl, self->id, NULL, DMPOOL_POOL_DEL_FORCE);
	dmnl_close(&self->nl);
}

/* Policy attributes of a request; a negative value leaves one out. */
struct req {
	int64_t uid, gid, mode;
	const void *grants;		/* with @grants_len bytes */
	int grants_len;			/* -1: no GRANTS */
};

/* REQ(.mode = 0640): the defaults, then what is given, overriding them. */
#pragma GCC diagnostic ignored "-Woverride-init"
#define REQ(...) ((struct req){ .uid = -1, .gid = -1, .mode = -1, \
				.grants_len = -1, __VA_ARGS__ })

static void put_req(struct nlmsghdr *nlh, const struct req *r, bool file)
{
	if (r->uid >= 0)
		mnl_attr_put_u32(nlh, file ? DMPOOL_A_FILE_UID :
				 DMPOOL_A_POOL_UID, (uint32_t)r->uid);
	if (r->gid >= 0)
		mnl_attr_put_u32(nlh, file ? DMPOOL_A_FILE_GID :
				 DMPOOL_A_POOL_GID, (uint32_t)r->gid);
	if (r->mode >= 0)
		mnl_attr_put_u32(nlh, file ? DMPOOL_A_FILE_MODE :
				 DMPOOL_A_POOL_MODE, (uint32_t)r->mode);
	if (r->grants_len >= 0)
		mnl_attr_put(nlh, DMPOOL_A_GRANTS, r->grants_len,
			     r->grants ? r->grants : "");
}

static int pool_new_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dmnl_pool pool;

	if (dmnl_parse_pool(nlh, &pool) != MNL_CB_OK)
		return MNL_CB_ERROR;
	*(uint64_t *)data = pool.id;
	return MNL_CB_OK;
}

/* POOL_NEW with a policy; the ID in self->id. */
static int new_pool(struct __test_metadata *_metadata,
		    FIXTURE_DATA(pol) *self, const struct req *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	dm_name(self->name, sizeof(self->name), "pol");
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, self->name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, POOL_SIZE);
	put_req(nlh, r, false);
	err = dmnl_talk(&self->nl, nlh, pool_new_cb, &self->id);
	if (err)
		TH_LOG("POOL_NEW: %d %s", err, self->nl.errmsg);
	return err;
}

/* POOL_SET of pool @id. */
static int pool_set(struct dmnl *nl, uint64_t id, const struct req *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_SET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, id);
	put_req(nlh, r, false);
	return dmnl_talk(nl, nlh, NULL, NULL);
}

static int pol_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pol *p = data;
	struct nlattr *a;

	p->nr_grants = -1;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case DMPOOL_A_POOL_UID:
			p->uid = mnl_attr_get_u32(a);
			break;
		case DMPOOL_A_POOL_GID:
			p->gid = mnl_attr_get_u32(a);
			break;
		case DMPOOL_A_POOL_MODE:
			p->mode = mnl_attr_get_u32(a);
			break;
		case DMPOOL_A_GRANTS:
			p->nr_grants = (int)(mnl_attr_get_payload_len(a) /
					     sizeof(struct dmpool_grant));
			if (p->nr_grants > DMPOOL_GRANTS_MAX)
				return MNL_CB_ERROR;
			memcpy(p->grants, mnl_attr_get_payload(a),
			       mnl_attr_get_payload_len(a));
			break;
		}
	}
	return MNL_CB_OK;
}

static int pool_get_pol(struct dmnl *nl, uint64_t id, struct pol *p)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(p, 0xff, sizeof(*p));
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, id);
	return dmnl_talk(nl, nlh, pol_cb, p);
}

/* What a child does with its /dev/dmpool fd; returns a positive errno. */
typedef int (*child_fn)(int fd, uint64_t id);

/*
 * Run @fn in a child that opened /dev/dmpool as root, then became @uid
 * with group @gid and the supplementary @group (0: none).  Return: what
 * @fn returned (0 or an errno), or 255 if the child could not get there.
 */
static int run_as(uint32_t uid, uint32_t gid, uint32_t group, uint64_t id,
		  child_fn fn)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 255;
	if (pid == 0) {
		gid_t groups[1] = { group };

		fd = dm_open();
		if (fd < 0 || setgroups(group ? 1 : 0, groups) ||
		    setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
			_exit(255);
		_exit(fn(fd, id));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

static int do_attach(int fd, uint64_t id)
{
	return -dm_attach_id(fd, id, NULL);
}

/* Attach, then pwrite one byte: the pwrite's errno. */
static int do_pwrite(int fd, uint64_t id)
{
	char c = 'x';
	int err = dm_attach_id(fd, id, NULL);

	if (err)
		return 100 - err;	/* tells an attach failure apart */
	if (pread(fd, &c, 1, 0) != 1)
		return 101;
	return pwrite(fd, &c, 1, PAGE) == 1 ? 0 : errno;
}

/*
 * Attach; a MAP_SHARED PROT_WRITE mapping must fail with EACCES, a
 * PROT_READ one work, and mprotect() to PROT_WRITE fail with EACCES.
 */
static int do_mmap(int fd, uint64_t id)
{
	void *p;

	if (dm_attach_id(fd, id, NULL))
		return 100;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED || errno != EACCES)
		return 101;
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 102;
	(void)*(volatile char *)p;
	if (!mprotect(p, PAGE, PROT_READ | PROT_WRITE) || errno != EACCES)
		return 104;
	munmap(p, PAGE);
	return 0;
}

/* Attach, then FILE_CREATE: its errno. */
static int do_file_create(int fd, uint64_t id)
{
	static const char name[] = "f";
	struct dmpool_file_req r = {
		.name = (uintptr_t)name,
		.name_len = 1,
		.size = PAGE,
	};

	if (dm_attach_id(fd, id, NULL))
		return 100;
	return -dm_ioctl(fd, DMPOOL_IOC_FILE_CREATE, &r);
}

/* POOL_SET from the child: its errno. */
static int do_pool_set(int fd, uint64_t id)
{
	struct dmnl nl;
	int err;

	close(fd);
	if (dmnl_open(&nl))
		return 100;
	err = pool_set(&nl, id, &REQ(.mode = 0666));
	dmnl_close(&nl);
	return -err;
}

/* Root without CAP_DAC_OVERRIDE in its effective set: attach's errno. */
static int do_attach_nocap(int fd, uint64_t id)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return 100;
	d[CAP_TO_INDEX(CAP_DAC_OVERRIDE)].effective &=
		~CAP_TO_MASK(CAP_DAC_OVERRIDE);
	if (syscall(SYS_capset, &h, d))
		return 101;
	return -dm_attach_id(fd, id, NULL);
}

/* The device and the netlink family report the feature. */
TEST_F(pol, feature)
{
	struct dmpool_version v = { 0 };
	struct dmnl_version nv;
	int fd = dm_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dm_ioctl(fd, DMPOOL_IOC_VERSION, &v));
	EXPECT_TRUE(v.features & DMPOOL_FEAT_POLICY);
	close(fd);
	ASSERT_EQ(0, dmnl_version(&self->nl, &nv));
	EXPECT_TRUE(nv.features & DMPOOL_FEAT_POLICY);
}

/* A pool made without policy attributes is root:root 0666 without grants. */
TEST_F(pol, defaults)
{
	struct pol p;

	ASSERT_EQ(0, new_pool(_metadata, self, &REQ()));
	ASSERT_EQ(0, pool_get_pol(&self->nl, self->id, &p));
	EXPECT_EQ(0U, p.uid);
	EXPECT_EQ(0U, p.gid);
	EXPECT_EQ(0666U, p.mode);
	EXPECT_EQ(0, p.nr_grants);
	/* Anyone who can open the device attaches and writes, as before. */
	EXPECT_EQ(0, run_as(NOBODY, NOBODY, 0, self->id, do_pwrite));
}

/* A user who is neither owner nor in the group, without a grant: -EACCES. */
TEST_F(pol, attach_denied)
{
	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.mode = 0660)));
	EXPECT_EQ(EACCES, run_as(NOBODY, NOBODY, 0, self->id, do_attach));
}

/* The group's bits count for a supplementary group; r without w: no write. */
TEST_F(pol, attach_via_group)
{
	ASSERT_EQ(0, new_pool(_metadata, self,
			      &REQ(.gid = GROUP, .mode = 0640)));
	EXPECT_EQ(0, run_as(NOBODY, NOBODY, GROUP, self->id, do_attach));
	EXPECT_EQ(EACCES, run_as(NOBODY, NOBODY, GROUP, self->id, do_pwrite));
	EXPECT_EQ(EACCES, run_as(NOBODY, NOBODY, 0, self->id, do_attach));
}

/* A read grant lets its user attach a 0600 pool, and only that user. */
TEST_F(pol, attach_via_grant)
{
	struct dmpool_grant g = { .uid = NOBODY, .rights = DMPOOL_RIGHT_READ };

	ASSERT_EQ(0, new_pool(_metadata, self,
			      &REQ(.mode = 0600, .grants = &g,
				   .grants_len = sizeof(g))));
	EXPECT_EQ(0, run_as(NOBODY, NOBODY, 0, self->id, do_attach));
	EXPECT_EQ(EACCES, run_as(NOBODY - 1, NOBODY, 0, self->id, do_attach));
}

/* pwrite needs write: -EACCES with r only, allowed with a write grant. */
TEST_F(pol, pwrite)
{
	struct dmpool_grant g = { .uid = NOBODY, .rights = DMPOOL_RIGHT_WRITE };

	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.mode = 0644)));
	EXPECT_EQ(EACCES, run_as(NOBODY, NOBODY, 0, self->id, do_pwrite));
	ASSERT_EQ(0, pool_set(&self->nl, self->id,
			      &REQ(.grants = &g, .grants_len = sizeof(g))))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, run_as(NOBODY, NOBODY, 0, self->id, do_pwrite));
	/* The owner's bits are the owner's: u=r, even with o=rw. */
	ASSERT_EQ(0, pool_set(&self->nl, self->id,
			      &REQ(.uid = NOBODY, .mode = 0466,
				   .grants_len = 0)));
	EXPECT_EQ(EACCES, run_as(NOBODY, NOBODY, 0, self->id, do_pwrite));
}

/* Without write, PROT_WRITE shared maps fail, read maps work, mprotect fails. */
TEST_F(pol, mmap)
{
	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.mode = 0644)));
	EXPECT_EQ(0, run_as(NOBODY, NOBODY, 0, self->id, do_mmap));
}

/* A description attached with write keeps it after POOL_SET takes it away. */
TEST_F(pol, attached_keep_rights)
{
	char c = 'y';
	int fd, err;

	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.mode = 0666)));
	fd = dm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dm_attach_id(fd, self->id, NULL));
	ASSERT_EQ(0, pool_set(&self->nl, self->id, &REQ(.mode = 0)));
	/* Root: CAP_DAC_OVERRIDE; the fd was attached before anyway. */
	EXPECT_EQ(1, pwrite(fd, &c, 1, 0));
	close(fd);
	err = run_as(NOBODY, NOBODY, 0, self->id, do_attach);
	EXPECT_EQ(EACCES, err);
}

/* FILE_CREATE needs admin on the pool: refused, then past the check. */
TEST_F(pol, file_create_admin)
{
	struct dmpool_grant g = {
		.uid = NOBODY,
		.rights = DMPOOL_RIGHT_ADMIN,
	};
	int err;

	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.mode = 0666)));
	EXPECT_EQ(EACCES, run_as(NOBODY, NOBODY, 0, self->id,
				 do_file_create));
	ASSERT_EQ(0, pool_set(&self->nl, self->id,
			      &REQ(.grants = &g, .grants_len = sizeof(g))));
	/* Without the cluster stack the files layer answers ENOTCONN. */
	err = run_as(NOBODY, NOBODY, 0, self->id, do_file_create);
	EXPECT_TRUE(err == ENOTCONN || err == 0) TH_LOG("errno %d", err);
	/* Ownership is admin too. */
	ASSERT_EQ(0, pool_set(&self->nl, self->id,
			      &REQ(.uid = NOBODY, .grants_len = 0)));
	err = run_as(NOBODY, NOBODY, 0, self->id, do_file_create);
	EXPECT_TRUE(err == ENOTCONN || err == EEXIST || err == 0)
		TH_LOG("errno %d", err);
}

/* POOL_SET is CAP_NET_ADMIN's, even for the pool's owner. */
TEST_F(pol, pool_set_unprivileged)
{
	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.uid = NOBODY)));
	EXPECT_EQ(EPERM, run_as(NOBODY, NOBODY, 0, self->id, do_pool_set));
}

/* CAP_DAC_OVERRIDE overrides: root without it is refused a mode-0 pool. */
TEST_F(pol, dac_override)
{
	ASSERT_EQ(0, new_pool(_metadata, self, &REQ(.uid = NOBODY, .mode = 0)));
	EXPECT_EQ(0, run_as(0, 0, 0, self->id, do_pwrite));
	EXPECT_NE(EACCES, run_as(0, 0, 0, self->id, do_file_create));
	EXPECT_EQ(EACCES, run_as(0, 0, 0, self->id, do_attach_nocap));
}

/* POOL_GET reports what POOL_NEW and POOL_SET set; empty GRANTS clears. */
TEST_F(pol, pool_get_reports)
{
	struct dmpool_grant g[2] = {
		{ .uid = 1000, .rights = DMPOOL_RIGHT_READ },
		{ .uid = 1001, .rights = DMPOOL_RIGHTS_ALL },
	};
	struct pol p;

	ASSERT_EQ(0, new_pool(_metadata, self,
			      &REQ(.uid = 12, .gid = 34, .mode = 0640,
				   .grants = g, .grants_len = sizeof(g))));
	ASSERT_EQ(0, pool_get_pol(&self->nl, self->id, &p));
	EXPECT_EQ(12U, p.uid);
	EXPECT_EQ(34U, p.gid);
	EXPECT_EQ(0640U, p.mode);
	ASSERT_EQ(2, p.nr_grants);
	EXPECT_EQ(0, memcmp(g, p.grants, sizeof(g)));

	/* Only what is given changes. */
	ASSERT_EQ(0, pool_set(&self->nl, self->id, &REQ(.gid = 56)));
	ASSERT_EQ(0, pool_get_pol(&self->nl, self->id, &p));
	EXPECT_EQ(12U, p.uid);
	EXPECT_EQ(56U, p.gid);
	EXPECT_EQ(0640U, p.mode);
	EXPECT_EQ(2, p.nr_grants);

	ASSERT_EQ(0, pool_set(&self->nl, self->id,
			      &REQ(.mode = 0, .grants_len = 0)));
	ASSERT_EQ(0, pool_get_pol(&self->nl, self->id, &p));
	EXPECT_EQ(0U, p.mode);
	EXPECT_EQ(0, p.nr_grants);
}

/* Bad MODE, ids and GRANTS: -EINVAL with an extack, on NEW, SET, FILE_SET. */
TEST_F(pol, bad_input)
{
	struct dmpool_grant nine[DMPOOL_GRANTS_MAX + 1];
	struct dmpool_grant dup[2] = {
		{ .uid = 5, .rights = DMPOOL_RIGHT_READ },
		{ .uid = 5, .rights = DMPOOL_RIGHT_WRITE },
	};
	struct dmpool_grant zero = { .uid = 5, .rights = 0 };
	struct dmpool_grant high = { .uid = 5, .rights = 8 };
	struct dmpool_grant baduid = { .uid = UINT32_MAX, .rights = 1 };
	const struct {
		struct req r;
		const char *msg;
	} bad[] = {
		{ REQ(.mode = 01000), "at most 0777" },
		{ REQ(.uid = UINT32_MAX), "not a user ID" },
		{ REQ(.gid = UINT32_MAX), "not a group ID" },
		{ REQ(.grants = nine, .grants_len = 7), "whole number" },
		{ REQ(.grants = nine, .grants_len = sizeof(nine)), "at most 8" },
		{ REQ(.grants = dup, .grants_len = sizeof(dup)), "one uid" },
		{ REQ(.grants = &zero, .grants_len = sizeof(zero)), "rights" },
		{ REQ(.grants = &high, .grants_len = sizeof(high)), "rights" },
		{ REQ(.grants = &baduid, .grants_len = sizeof(baduid)),
		  "not a user ID" },
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct pol p;
	unsigned int i;

	for (i = 0; i < DMPOOL_GRANTS_MAX + 1; i++)
		nine[i] = (struct dmpool_grant){ .uid = i, .rights = 1 };
	ASSERT_EQ(0, new_pool(_metadata, self, &REQ()));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t id = 0;

		EXPECT_EQ(-EINVAL, pool_set(&self->nl, self->id, &bad[i].r));
		EXPECT_TRUE(strstr(self->nl.errmsg, bad[i].msg))
			TH_LOG("%u: '%s'", i, self->nl.errmsg);

		nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_NEW,
				 NLM_F_ACK);
		mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, "st-pol-bad");
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, POOL_SIZE);
		put_req(nlh, &bad[i].r, false);
		EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, pool_new_cb, &id));
		EXPECT_TRUE(strstr(self->nl.errmsg, bad[i].msg))
			TH_LOG("%u: '%s'", i, self->nl.errmsg);

		/* FILE_SET checks its values before it needs the stack. */
		nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_FILE_SET,
				 NLM_F_ACK);
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, self->id);
		mnl_attr_put_strz(nlh, DMPOOL_A_FILE_NAME, "f");
		put_req(nlh, &bad[i].r, true);
		EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
		EXPECT_TRUE(strstr(self->nl.errmsg, bad[i].msg))
			TH_LOG("%u: '%s'", i, self->nl.errmsg);
	}
	EXPECT_EQ(-ENOENT, dmnl_pool_get(&self->nl, 0, "st-pol-bad", NULL));

	/* Nothing to set. */
	EXPECT_EQ(-EINVAL, pool_set(&self->nl, self->id, &REQ()));
	EXPECT_TRUE(strstr(self->nl.errmsg, "nothing to set"));
	/* File attributes are not the pool's, and the other way round. */
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_SET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, self->id);
	mnl_attr_put_u32(nlh, DMPOOL_A_FILE_UID, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_TRUE(strstr(self->nl.errmsg, "FILE_UID"));
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_FILE_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, self->id);
	mnl_attr_put_strz(nlh, DMPOOL_A_FILE_NAME, "f");
	mnl_attr_put_u32(nlh, DMPOOL_A_FILE_GID, 1);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_TRUE(strstr(self->nl.errmsg, "FILE_GID"));
	nlh = dmnl_start(&self->nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, self->id);
	mnl_attr_put_u32(nlh, DMPOOL_A_POOL_MODE, 0);
	EXPECT_EQ(-EINVAL, dmnl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_TRUE(strstr(self->nl.errmsg, "POOL_MODE"));
	/* No pool. */
	EXPECT_EQ(-ENOENT, pool_set(&self->nl, UINT64_MAX, &REQ(.mode = 0)));

	/* Nothing changed. */
	ASSERT_EQ(0, pool_get_pol(&self->nl, self->id, &p));
	EXPECT_EQ(0666U, p.mode);
	EXPECT_EQ(0, p.nr_grants);
}

TEST_HARNESS_MAIN
