// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for strict reply decoding (dmpoolctl/reply.c): attribute
 * streams built with libnl as the module would send them, then broken
 * one way at a time; each break must be refused with a reason.
 */
#include <stdlib.h>

#include <netlink/msg.h>

#include "reply.h"
#include "unit.h"

static char why[200];

/* A message holding a well-formed pool, minus @skip, plus what @extra adds. */
static struct nl_msg *pool_msg(int skip)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (skip != DMPOOL_A_POOL_ID)
		nla_put_u64(msg, DMPOOL_A_POOL_ID, 7);
	if (skip != DMPOOL_A_POOL_NAME)
		nla_put_string(msg, DMPOOL_A_POOL_NAME, "cache");
	if (skip != DMPOOL_A_POOL_SIZE)
		nla_put_u64(msg, DMPOOL_A_POOL_SIZE, 1 << 20);
	if (skip != DMPOOL_A_POOL_ATTACHED)
		nla_put_u32(msg, DMPOOL_A_POOL_ATTACHED, 3);
	if (skip != DMPOOL_A_POOL_CACHED)
		nla_put_u64(msg, DMPOOL_A_POOL_CACHED, 8192);
	if (skip != DMPOOL_A_POOL_STORED)
		nla_put_u64(msg, DMPOOL_A_POOL_STORED, 4096);
	return msg;
}

/* Split @msg into @tb (the caller frees @msg after using @tb). */
static int split(struct nl_msg *msg, struct nlattr *tb[DMPOOL_A_MAX + 1])
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	why[0] = '\0';
	return reply_split(nlmsg_attrdata(nlh, 0), nlmsg_attrlen(nlh, 0), tb,
			   why, sizeof(why));
}

/* NAME(msg, out): split @msg, decode it with FN into *out, free @msg. */
#define DEFINE_DECODE(name, type, fn)					\
static int name(struct nl_msg *msg, type *out)				\
{									\
	struct nlattr *tb[DMPOOL_A_MAX + 1];				\
	int ret = split(msg, tb);					\
									\
	if (ret == 0)							\
		ret = fn(tb, out, why, sizeof(why));			\
	nlmsg_free(msg);						\
	return ret;							\
}

DEFINE_DECODE(decode_pool, struct ctl_pool, reply_pool)
DEFINE_DECODE(decode_version, struct ctl_version, reply_version)
DEFINE_DECODE(decode_mem, struct ctl_mem, reply_mem)
DEFINE_DECODE(decode_file, struct ctl_file, reply_file)

#define CHECK_WHY(want)							\
	do {								\
		if (!strstr(why, (want))) {				\
			printf("#   reason \"%s\" lacks \"%s\"\n", why, (want)); \
			unit_point_failed = 1;				\
		}							\
	} while (0)

static void test_full_pool(void)
{
	struct ctl_pool p;

	CHECK(decode_pool(pool_msg(0), &p) == 0);
	CHECK_U64(p.id, 7);
	CHECK_STR(p.name, "cache");
	CHECK_U64(p.size, 1 << 20);
	CHECK(p.has_attached && p.has_cached && p.has_stored);
	CHECK_U64(p.attached, 3);
	CHECK_U64(p.cached, 8192);
	CHECK_U64(p.stored, 4096);
}

static void test_optional_absent(void)
{
	struct ctl_pool p;

	CHECK(decode_pool(pool_msg(DMPOOL_A_POOL_CACHED), &p) == 0);
	CHECK(!p.has_cached);
	CHECK(p.has_stored);
}

static void test_required_missing(void)
{
	struct ctl_pool p;

	CHECK(decode_pool(pool_msg(DMPOOL_A_POOL_ID), &p) < 0);
	CHECK_WHY("POOL_ID missing");
	CHECK(decode_pool(pool_msg(DMPOOL_A_POOL_NAME), &p) < 0);
	CHECK_WHY("POOL_NAME missing");
	CHECK(decode_pool(pool_msg(DMPOOL_A_POOL_SIZE), &p) < 0);
	CHECK_WHY("POOL_SIZE missing");
}

static void test_wrong_lengths(void)
{
	struct ctl_pool p;
	struct nl_msg *msg;
	uint32_t u32 = 7;
	uint64_t u64 = 3;

	msg = pool_msg(DMPOOL_A_POOL_ID);
	nla_put(msg, DMPOOL_A_POOL_ID, sizeof(u32), &u32);
	CHECK(decode_pool(msg, &p) < 0);

	msg = pool_msg(DMPOOL_A_POOL_ATTACHED);
	nla_put(msg, DMPOOL_A_POOL_ATTACHED, sizeof(u64), &u64);
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("POOL_ATTACHED has 8 bytes, not 4");

	msg = pool_msg(DMPOOL_A_POOL_SIZE);
	nla_put(msg, DMPOOL_A_POOL_SIZE, 12, "123456789012");
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("POOL_SIZE has 12 bytes, not 8");
}

static void test_bad_names(void)
{
	char longname[DMPOOL_POOL_NAME_MAX + 2];
	struct ctl_pool p;
	struct nl_msg *msg;

	msg = pool_msg(DMPOOL_A_POOL_NAME);
	nla_put(msg, DMPOOL_A_POOL_NAME, 3, "abc");	/* no NUL */
	CHECK(decode_pool(msg, &p) < 0);

	msg = pool_msg(DMPOOL_A_POOL_NAME);
	nla_put(msg, DMPOOL_A_POOL_NAME, 5, "ab\0c");	/* embedded NUL */
	CHECK(decode_pool(msg, &p) < 0);

	msg = pool_msg(DMPOOL_A_POOL_NAME);
	nla_put_string(msg, DMPOOL_A_POOL_NAME, "bad name");
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("invalid pool name");

	msg = pool_msg(DMPOOL_A_POOL_NAME);
	nla_put_string(msg, DMPOOL_A_POOL_NAME, "");
	CHECK(decode_pool(msg, &p) < 0);

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';		/* 64 characters */
	msg = pool_msg(DMPOOL_A_POOL_NAME);
	nla_put_string(msg, DMPOOL_A_POOL_NAME, longname);
	CHECK(decode_pool(msg, &p) < 0);

	longname[DMPOOL_POOL_NAME_MAX] = '\0';		/* 63: fine */
	msg = pool_msg(DMPOOL_A_POOL_NAME);
	nla_put_string(msg, DMPOOL_A_POOL_NAME, longname);
	CHECK(decode_pool(msg, &p) == 0);
	CHECK_STR(p.name, longname);
}

static void test_zero_id(void)
{
	struct ctl_pool p;
	struct nl_msg *msg = pool_msg(DMPOOL_A_POOL_ID);

	nla_put_u64(msg, DMPOOL_A_POOL_ID, 0);
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("ID is 0");
}

static void test_newer_attributes_ignored(void)
{
	struct ctl_pool p;
	struct nl_msg *msg = pool_msg(0);

	nla_put_u32(msg, DMPOOL_A_MAX + 3, 99);
	CHECK(decode_pool(msg, &p) == 0);
	CHECK_U64(p.id, 7);
}

static void test_version(void)
{
	struct ctl_version v;
	struct nl_msg *msg = nlmsg_alloc();

	nla_put_u32(msg, DMPOOL_A_ABI_VERSION, 1);
	nla_put_u64(msg, DMPOOL_A_FEATURES, DMPOOL_FEAT_LOCAL_POOLS);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 1 << 30);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 1 << 20);
	CHECK(decode_version(msg, &v) == 0);
	CHECK_U64(v.abi_version, 1);
	CHECK_U64(v.features, DMPOOL_FEAT_LOCAL_POOLS);
	CHECK(v.has_capacity && v.has_committed);
	CHECK_U64(v.store_capacity, 1 << 30);
	CHECK_U64(v.store_committed, 1 << 20);

	msg = nlmsg_alloc();
	nla_put_u64(msg, DMPOOL_A_FEATURES, 1);
	CHECK(decode_version(msg, &v) < 0);
	CHECK_WHY("ABI_VERSION missing");

	msg = nlmsg_alloc();
	nla_put_u64(msg, DMPOOL_A_ABI_VERSION, 1);	/* 8 bytes, not 4 */
	CHECK(decode_version(msg, &v) < 0);

	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_ABI_VERSION, 2);
	CHECK(decode_version(msg, &v) == 0);
	CHECK(!v.has_capacity && !v.has_committed);
	CHECK_U64(v.features, 0);
}

static void test_placed_pool(void)
{
	uint64_t hist[DMPOOL_LAT_BUCKETS] = { 0 };
	struct ctl_pool p;
	struct nl_msg *msg = pool_msg(0);

	hist[0] = 5;
	hist[DMPOOL_LAT_BUCKETS - 1] = 9;
	nla_put_u64(msg, DMPOOL_A_POOL_EXTENT_SIZE, 4 << 20);
	nla_put_u32(msg, DMPOOL_A_POOL_REPLICAS, 1);
	nla_put_u64(msg, DMPOOL_A_POOL_LOCAL_BYTES, 12 << 20);
	nla_put_u64(msg, DMPOOL_A_POOL_FAULTS, 11);
	nla_put_u64(msg, DMPOOL_A_POOL_PAGES_IN_REMOTE, 22);
	nla_put_u64(msg, DMPOOL_A_POOL_IO_ERRORS, 3);
	nla_put(msg, DMPOOL_A_LAT_HIST, sizeof(hist), hist);
	CHECK(decode_pool(msg, &p) == 0);
	CHECK(p.has_extent_size && p.has_replicas && p.has_local_bytes);
	CHECK_U64(p.extent_size, 4 << 20);
	CHECK_U64(p.replicas, 1);
	CHECK_U64(p.local_bytes, 12 << 20);
	CHECK(p.has_counter[POOL_CTR_FAULTS]);
	CHECK_U64(p.counter[POOL_CTR_FAULTS], 11);
	CHECK(!p.has_counter[POOL_CTR_IN_LOCAL]);
	CHECK_U64(p.counter[POOL_CTR_IN_REMOTE], 22);
	CHECK_U64(p.counter[POOL_CTR_IO_ERRORS], 3);
	CHECK(p.lat.has);
	CHECK_U64(p.lat.bucket[0], 5);
	CHECK_U64(p.lat.bucket[DMPOOL_LAT_BUCKETS - 1], 9);

	/* An older module: none of it, and that is fine. */
	CHECK(decode_pool(pool_msg(0), &p) == 0);
	CHECK(!p.has_extent_size && !p.lat.has && !p.has_counter[0]);

	msg = pool_msg(0);
	nla_put(msg, DMPOOL_A_LAT_HIST, 8 * (DMPOOL_LAT_BUCKETS - 1), hist);
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("LAT_HIST has 184 bytes, not 192");

	msg = pool_msg(0);
	nla_put_u32(msg, DMPOOL_A_POOL_REPLICAS, 0);
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("replicas 0 out of range");

	msg = pool_msg(0);
	nla_put_u64(msg, DMPOOL_A_POOL_EXTENT_SIZE, 0);
	CHECK(decode_pool(msg, &p) < 0);
	CHECK_WHY("extent size is 0");
}

static void test_map(void)
{
	static struct ctl_map m;
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	uint32_t ids[] = { 1, 2, 3, 1 };
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	nla_put(msg, DMPOOL_A_POOL_MAP, sizeof(ids), ids);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_map(tb, &m, why, sizeof(why)) == 0);
	CHECK_U64(m.n, 4);
	CHECK_U64(m.node[2], 3);
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	CHECK(split(msg, tb) == 0);
	CHECK(reply_map(tb, &m, why, sizeof(why)) == 0);
	CHECK_U64(m.n, 0);
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	nla_put(msg, DMPOOL_A_POOL_MAP, 6, ids);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_map(tb, &m, why, sizeof(why)) < 0);
	CHECK_WHY("POOL_MAP has 6 bytes");
	nlmsg_free(msg);

	ids[1] = 0;
	msg = nlmsg_alloc();
	nla_put(msg, DMPOOL_A_POOL_MAP, sizeof(ids), ids);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_map(tb, &m, why, sizeof(why)) < 0);
	CHECK_WHY("map entry 1: node ID 0 out of range");
	nlmsg_free(msg);
}

static void test_mem(void)
{
	struct ctl_mem m;
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 0);
	nla_put_u32(msg, DMPOOL_A_MEM_SELF, 1);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 1 << 30);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 1 << 20);
	nla_put_u64(msg, DMPOOL_A_STORE_USED, 4096);
	CHECK(decode_mem(msg, &m) == 0);
	CHECK(m.self && m.has_used && !m.has_state && !m.has_age);
	CHECK_U64(m.node_id, 0);
	CHECK_U64(m.capacity, 1 << 30);
	CHECK_U64(mem_free(&m), (1 << 30) - (1 << 20));
	m.committed = m.capacity + 1;
	CHECK_U64(mem_free(&m), 0);

	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 3);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 1 << 30);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 0);
	nla_put_u32(msg, DMPOOL_A_PEER_STATE, DMPOOL_PEER_CONNECTED);
	nla_put_u32(msg, DMPOOL_A_MEM_AGE_MS, 700);
	CHECK(decode_mem(msg, &m) == 0);
	CHECK(!m.self && m.has_state && m.has_age && !m.has_used);
	CHECK_U64(m.age_ms, 700);

	/* A peer needs a real ID. */
	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 0);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 1);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 0);
	CHECK(decode_mem(msg, &m) < 0);
	CHECK_WHY("node ID 0 out of range");

	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 2);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 0);
	CHECK(decode_mem(msg, &m) < 0);
	CHECK_WHY("STORE_CAPACITY missing");

	msg = nlmsg_alloc();
	nla_put_u32(msg, DMPOOL_A_NODE_ID, 2);
	nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, 1);
	nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, 0);
	nla_put_u64(msg, DMPOOL_A_MEM_AGE_MS, 1);	/* 8 bytes, not 4 */
	CHECK(decode_mem(msg, &m) < 0);
	CHECK_WHY("MEM_AGE_MS has 8 bytes, not 4");
}

static void test_peer_counters(void)
{
	uint64_t hist[DMPOOL_LAT_BUCKETS] = { [3] = 7 };
	struct nlattr *tb[DMPOOL_A_MAX + 1];
	uint8_t addr[4] = { 10, 0, 0, 2 };
	struct ctl_peer p;
	struct nl_msg *msg = nlmsg_alloc();

	nla_put_u32(msg, DMPOOL_A_NODE_ID, 2);
	nla_put(msg, DMPOOL_A_ADDR, 4, addr);
	nla_put_u16(msg, DMPOOL_A_PORT, 7470);
	nla_put_u32(msg, DMPOOL_A_PEER_STATE, DMPOOL_PEER_CONNECTED);
	nla_put_u64(msg, DMPOOL_A_PEER_PAGES_IN, 100);
	nla_put_u64(msg, DMPOOL_A_PEER_IO_ERRORS, 2);
	nla_put(msg, DMPOOL_A_LAT_HIST, sizeof(hist), hist);
	CHECK(split(msg, tb) == 0);
	CHECK(reply_peer(tb, &p, why, sizeof(why)) == 0);
	nlmsg_free(msg);
	CHECK(p.has_pages_in && !p.has_pages_out && p.has_io_errors);
	CHECK_U64(p.pages_in, 100);
	CHECK_U64(p.io_errors, 2);
	CHECK(p.lat.has);
	CHECK_U64(p.lat.bucket[3], 7);
}

/* A well-formed file of pool 5, without attribute @skip; named @name. */
static struct nl_msg *file_msg(int skip, const char *name)
{
	static const struct {
		int type, bytes;
		uint64_t v;
	} attrs[] = {
		{ DMPOOL_A_POOL_ID, 8, 5 }, { DMPOOL_A_FILE_ID, 8, 3 },
		{ DMPOOL_A_FILE_OFFSET, 8, 65536 },
		{ DMPOOL_A_FILE_SIZE, 8, 10000 },
		{ DMPOOL_A_FILE_PERMITS, 4, 2 }, { DMPOOL_A_FILE_MODE, 4, 0640 },
		{ DMPOOL_A_FILE_UID, 4, 1000 }, { DMPOOL_A_FILE_GID, 4, 100 },
	};
	struct nl_msg *msg = nlmsg_alloc();
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (attrs[i].type == skip)
			continue;
		if (attrs[i].bytes == 8)
			nla_put_u64(msg, attrs[i].type, attrs[i].v);
		else
			nla_put_u32(msg, attrs[i].type, (uint32_t)attrs[i].v);
	}
	if (skip != DMPOOL_A_FILE_NAME)
		nla_put_string(msg, DMPOOL_A_FILE_NAME, name);
	return msg;
}

static void test_file(void)
{
	static const char *const odd = "a b\n\xff\xe2\x82\xac";
	struct ctl_file f;

	CHECK(decode_file(file_msg(0, "log"), &f) == 0);
	CHECK_U64(f.pool_id, 5);
	CHECK_U64(f.id, 3);
	CHECK_STR(f.name, "log");
	CHECK_U64(f.offset, 65536);
	CHECK_U64(f.size, 10000);
	CHECK_U64(f.permits, 2);
	CHECK_U64(f.mode, 0640);
	CHECK_U64(f.uid, 1000);
	CHECK_U64(f.gid, 100);
	/* Any byte but NUL and '/' is the kernel's to allow. */
	CHECK(decode_file(file_msg(0, odd), &f) == 0);
	CHECK_STR(f.name, odd);
}

static void test_file_malformed(void)
{
	char longname[DMPOOL_FILE_NAME_MAX + 2];
	struct ctl_file f;
	struct nl_msg *msg;

	CHECK(decode_file(file_msg(DMPOOL_A_POOL_ID, "x"), &f) < 0);
	CHECK_WHY("POOL_ID missing");
	CHECK(decode_file(file_msg(DMPOOL_A_FILE_NAME, "x"), &f) < 0);
	CHECK_WHY("FILE_NAME missing");
	CHECK(decode_file(file_msg(DMPOOL_A_FILE_GID, "x"), &f) < 0);
	CHECK_WHY("FILE_GID missing");

	msg = file_msg(DMPOOL_A_FILE_ID, "x");
	nla_put_u64(msg, DMPOOL_A_FILE_ID, 0);
	CHECK(decode_file(msg, &f) < 0);
	CHECK_WHY("file ID is 0");
	msg = file_msg(DMPOOL_A_FILE_SIZE, "x");
	nla_put(msg, DMPOOL_A_FILE_SIZE, 12, "123456789012");
	CHECK(decode_file(msg, &f) < 0);
	CHECK_WHY("FILE_SIZE has 12 bytes, not 8");
	msg = file_msg(DMPOOL_A_FILE_PERMITS, "x");
	nla_put_u32(msg, DMPOOL_A_FILE_PERMITS, DMPOOL_PERMITS_MAX + 1);
	CHECK(decode_file(msg, &f) < 0);
	CHECK_WHY("permits 65 out of range");
	msg = file_msg(DMPOOL_A_FILE_MODE, "x");
	nla_put_u32(msg, DMPOOL_A_FILE_MODE, 01000);
	CHECK(decode_file(msg, &f) < 0);
	CHECK_WHY("mode 1000 out of range");

	CHECK(decode_file(file_msg(0, "a/b"), &f) < 0);
	CHECK_WHY("invalid file name");
	CHECK(decode_file(file_msg(0, ".."), &f) < 0);
	CHECK(decode_file(file_msg(0, ""), &f) < 0);
	msg = file_msg(DMPOOL_A_FILE_NAME, NULL);
	nla_put(msg, DMPOOL_A_FILE_NAME, 4, "ab\0c");	/* embedded NUL */
	CHECK(decode_file(msg, &f) < 0);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';		/* 256 bytes */
	CHECK(decode_file(file_msg(0, longname), &f) < 0);
	longname[DMPOOL_FILE_NAME_MAX] = '\0';		/* 255: fine */
	CHECK(decode_file(file_msg(0, longname), &f) == 0);
	CHECK_STR(f.name, longname);
}

int main(void)
{
	RUN(test_full_pool);
	RUN(test_optional_absent);
	RUN(test_required_missing);
	RUN(test_wrong_lengths);
	RUN(test_bad_names);
	RUN(test_zero_id);
	RUN(test_newer_attributes_ignored);
	RUN(test_version);
	RUN(test_placed_pool);
	RUN(test_map);
	RUN(test_mem);
	RUN(test_peer_counters);
	RUN(test_file);
	RUN(test_file_malformed);
	return unit_done();
}
