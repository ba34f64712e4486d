// SPDX-License-Identifier: GPL-2.0
/*
 * Proves that the home side of the data path trusts nothing from the wire,
 * even from a peer that holds the cluster key: an authenticated peer gets
 * the pages it asks for (GET) and stores pages (PUT), but every malformed
 * request (short or long payloads, page counts of 0 or above the maximum,
 * nonzero flags, an unknown pool, pages outside the pool, across an extent
 * boundary or homed elsewhere, an unknown type) gets an error status and
 * leaves the connection up, a PUT fenced with a token older than its
 * file's newest is refused (ESTALE) and counted, so is one older than a
 * token raised by FENCE before any write, a reply nobody asked for is
 * ignored, and a
 * frame that breaks the protocol after set-up (a second HELLO) drops the
 * connection and is counted.
 *
 * Runs in VM node 1 as node 10 on 127.0.0.1 (a private port), with peer 5
 * at 127.0.0.5 where nothing listens; this test plays peer 5 itself, with
 * the key, from user space (OpenSSL's HMAC).  Everything is removed at
 * teardown.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "dmpool_test.h"
#include "wire_peer.h"

#define SELF_ID		10
#define PEER_ID		5
#define SELF_PORT	7476
#define PEER_PORT	7475
#define POOL_ID		777
#define EXT_PAGES	16		/* 64 KiB extents */
#define EXT		(EXT_PAGES * PAGE)

static const uint8_t test_key[32] = "dmpool serve_test key 0123456789";

FIXTURE(serve) {
	struct dmnl nl;
	char buf[8192];
	char name[64];
	int sk;			/* the hostile peer's connection */
	uint64_t tag;
};

static struct nlmsghdr *req(FIXTURE_DATA(serve) *self, uint8_t cmd)
{
	return dmnl_start(&self->nl, self->buf, cmd, NLM_F_ACK);
}

/* ---- the hostile peer's side of the wire ---------------------------- */

/*
 * Wait for the reply to @tag, answering the module's PINGs meanwhile.
 * Returns its status (0 or a positive errno) and copies up to @max payload
 * bytes; -1 if the connection ended.
 */
static int wait_reply(int fd, uint64_t tag, void *out, uint32_t max,
		      uint32_t *outlen)
{
	static uint8_t payload[DMPOOL_WIRE_MAX_PAYLOAD];
	struct dmpool_wire_hdr h;
	uint32_t len;

	for (;;) {
		if (full_read(fd, &h, sizeof(h)) ||
		    dmpool_wire_hdr_check(&h, &len) ||
		    (len && full_read(fd, payload, len)))
			return -1;
		if (!(dmpool_wire_get16(&h.flags) & DMPOOL_WIRE_F_REPLY)) {
			/* A request of the module's: PING gets its answer. */
			send_frame(fd, dmpool_wire_get16(&h.type),
				   DMPOOL_WIRE_F_REPLY,
				   dmpool_wire_get16(&h.type) ==
				   DMPOOL_WIRE_PING ? 0 : EOPNOTSUPP,
				   dmpool_wire_get64(&h.tag), NULL, 0);
			continue;
		}
		if (dmpool_wire_get64(&h.tag) != tag)
			continue;
		if (out)
			memcpy(out, payload, len < max ? len : max);
		if (outlen)
			*outlen = len;
		return (int)dmpool_wire_get32(&h.status);
	}
}

/* Connect to node SELF_ID as PEER_ID and prove the key. */
static int hostile_connect(void)
{
	return wire_peer_connect(SELF_PORT, PEER_ID, test_key,
				 sizeof(test_key));
}

/* Send a GET or PUT head (+ @extra bytes of page data); its status. */
static int io_req(FIXTURE_DATA(serve) *self, uint16_t type, uint64_t pool,
		  uint64_t index, uint32_t nr, uint32_t flags, uint32_t head_len,
		  const void *data, uint32_t data_len, void *out,
		  uint32_t *outlen)
{
	static uint8_t frame[DMPOOL_WIRE_MAX_PAYLOAD];
	struct dmpool_wire_io io;
	uint64_t tag = ++self->tag;

	dmpool_wire_put64(&io.pool_id, pool);
	dmpool_wire_put64(&io.index, index);
	dmpool_wire_put32(&io.nr_pages, nr);
	dmpool_wire_put32(&io.flags, flags);
	memcpy(frame, &io, head_len < sizeof(io) ? head_len : sizeof(io));
	if (data_len)
		memcpy(frame + head_len, data, data_len);
	if (send_frame(self->sk, type, 0, 0, tag, frame, head_len + data_len))
		return -1;
	return wait_reply(self->sk, tag, out, DMPOOL_WIRE_MAX_PAYLOAD, outlen);
}

static int get(FIXTURE_DATA(serve) *self, uint64_t pool, uint64_t index,
	       uint32_t nr, void *out, uint32_t *outlen)
{
	return io_req(self, DMPOOL_WIRE_GET, pool, index, nr, 0,
		      sizeof(struct dmpool_wire_io), NULL, 0, out, outlen);
}

/* A PUT of one page stamped with (@file, @token); its status. */
static int put_fenced(FIXTURE_DATA(serve) *self, uint64_t index,
		      uint64_t file, uint64_t token, const void *page)
{
	uint8_t frame[sizeof(struct dmpool_wire_io) +
		      sizeof(struct dmpool_wire_fence) + PAGE];
	struct dmpool_wire_fence *fence = (void *)(frame + sizeof(struct dmpool_wire_io));
	struct dmpool_wire_io *io = (void *)frame;
	uint64_t tag = ++self->tag;

	dmpool_wire_put64(&io->pool_id, POOL_ID);
	dmpool_wire_put64(&io->index, index);
	dmpool_wire_put32(&io->nr_pages, 1);
	dmpool_wire_put32(&io->flags, DMPOOL_WIRE_IO_F_FENCED);
	dmpool_wire_put64(&fence->file_id, file);
	dmpool_wire_put64(&fence->token, token);
	memcpy(fence + 1, page, PAGE);
	if (send_frame(self->sk, DMPOOL_WIRE_PUT, 0, 0, tag, frame,
		       sizeof(frame)))
		return -1;
	return wait_reply(self->sk, tag, NULL, 0, NULL);
}

/*
 * A FENCE raising @file's token in @pool, cut to @len bytes; its status,
 * and in *@newest the token the home answered (0 if no answer).
 */
static int fence_raise(FIXTURE_DATA(serve) *self, uint64_t pool,
		       uint64_t file, uint64_t token, uint32_t len,
		       uint64_t *newest)
{
	struct dmpool_wire_fence_newest nw = {};
	struct dmpool_wire_fence_raise fr;
	uint64_t tag = ++self->tag;
	uint32_t got = 0;
	int st;

	dmpool_wire_put64(&fr.pool_id, pool);
	dmpool_wire_put64(&fr.fence.file_id, file);
	dmpool_wire_put64(&fr.fence.token, token);
	if (send_frame(self->sk, DMPOOL_WIRE_FENCE, 0, 0, tag, &fr, len))
		return -1;
	st = wait_reply(self->sk, tag, &nw, sizeof(nw), &got);
	*newest = got == sizeof(nw) ? dmpool_wire_get64(&nw.token) : 0;
	return st;
}

/* The connection still answers: a PING gets its reply. */
static bool alive(FIXTURE_DATA(serve) *self)
{
	uint64_t tag = ++self->tag;

	return !send_frame(self->sk, DMPOOL_WIRE_PING, 0, 0, tag, NULL, 0) &&
	       wait_reply(self->sk, tag, NULL, 0, NULL) == 0;
}

/* One u64 attribute of a reply: @type in, @val out. */
struct u64_attr {
	uint16_t type;
	uint64_t val;
};

static int u64_attr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct u64_attr *a = data;
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == a->type)
			a->val = mnl_attr_get_u64(attr);
	}
	return MNL_CB_OK;
}

/* Counter @type of the reply to @nlh, in *@n (~0 if absent). */
static int counter(FIXTURE_DATA(serve) *self, struct nlmsghdr *nlh,
		   uint16_t type, uint64_t *n)
{
	struct u64_attr a = { .type = type, .val = ~0ULL };
	int err = dmnl_talk(&self->nl, nlh, u64_attr_cb, &a);

	*n = a.val;
	return err;
}

/* NODE_GET's count of connections dropped for a malformed frame. */
static int malformed_count(FIXTURE_DATA(serve) *self, uint64_t *n)
{
	return counter(self, dmnl_start(&self->nl, self->buf,
					DMPOOL_CMD_NODE_GET, NLM_F_ACK),
		       DMPOOL_A_REJECTED_MALFORMED, n);
}

/* POOL_GET's count of write-backs refused as stale. */
static int stale_count(FIXTURE_DATA(serve) *self, uint64_t *n)
{
	struct nlmsghdr *nlh = dmnl_start(&self->nl, self->buf,
					  DMPOOL_CMD_POOL_GET, NLM_F_ACK);

	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, POOL_ID);
	return counter(self, nlh, DMPOOL_A_POOL_STALE_REFUSED, n);
}

FIXTURE_SETUP(serve)
{
	uint32_t map[2] = { SELF_ID, PEER_ID };
	struct nlmsghdr *nlh;
	uint8_t *data;
	int fd;

	ASSERT_EQ(0, dmnl_open(&self->nl));
	dm_name(self->name, sizeof(self->name), "serve");
	dmnl_peer_del(&self->nl, PEER_ID);
	dmnl_peer_del(&self->nl, 2);	/* placed_test's, if it failed */
	nlh = req(self, DMPOOL_CMD_NODE_SET);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, SELF_ID);
	dmnl_put_v4(nlh, "127.0.0.1", SELF_PORT);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL))
		TH_LOG("%s", self->nl.errmsg);
	nlh = req(self, DMPOOL_CMD_KEY_SET);
	mnl_attr_put(nlh, DMPOOL_A_KEY, sizeof(test_key), test_key);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));
	nlh = req(self, DMPOOL_CMD_PEER_ADD);
	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, PEER_ID);
	dmnl_put_v4(nlh, "127.0.0.5", PEER_PORT);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL));

	/* Extent 0 is homed here, extent 1 on "us", peer 5. */
	nlh = req(self, DMPOOL_CMD_POOL_NEW);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, self->name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, 2 * EXT);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, POOL_ID);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_EXTENT_SIZE, EXT);
	mnl_attr_put(nlh, DMPOOL_A_POOL_MAP, sizeof(map), map);
	ASSERT_EQ(0, dmnl_talk(&self->nl, nlh, NULL, NULL))
		TH_LOG("%s", self->nl.errmsg);

	/* Pattern 3 in extent 0, in the store. */
	data = malloc(EXT);
	ASSERT_NE(NULL, data);
	dm_fill(data, 0, EXT, 3);
	fd = dm_open_attached(POOL_ID);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)EXT, pwrite(fd, data, EXT, 0));
	ASSERT_EQ(0, fsync(fd));
	close(fd);
	free(data);

	self->sk = hostile_connect();
	ASSERT_LE(0, self->sk);
	ASSERT_TRUE(alive(self));
}

FIXTURE_TEARDOWN(serve)
{
	if (self->sk >= 0)
		close(self->sk);
	dmnl_pool_del(&self->nl, POOL_ID, NULL, DMPOOL_POOL_DEL_FORCE);
	dmnl_peer_del(&self->nl, PEER_ID);
	dmnl_close(&self->nl);
}

TEST_F(serve, get_returns_the_stored_pages)
{
	static uint8_t out[DMPOOL_WIRE_MAX_PAYLOAD];
	uint32_t len = 0;

	ASSERT_EQ(0, get(self, POOL_ID, 2, 3, out, &len));
	ASSERT_EQ(3 * PAGE, len);
	EXPECT_EQ(-1, dm_check(out, 2 * PAGE, 3 * PAGE, 3));
	/* A whole extent in one request. */
	ASSERT_EQ(0, get(self, POOL_ID, 0, EXT_PAGES, out, &len));
	EXPECT_EQ(EXT, len);
	EXPECT_EQ(-1, dm_check(out, 0, EXT, 3));
}

TEST_F(serve, put_stores_pages)
{
	static uint8_t page[2 * PAGE], out[2 * PAGE];
	uint32_t len;
	int fd;

	dm_fill(page, 0, sizeof(page), 9);
	ASSERT_EQ(0, io_req(self, DMPOOL_WIRE_PUT, POOL_ID, 4, 2, 0,
			    sizeof(struct dmpool_wire_io), page, sizeof(page),
			    NULL, &len));
	EXPECT_EQ(0U, len);
	ASSERT_EQ(0, get(self, POOL_ID, 4, 2, out, &len));
	EXPECT_EQ(0, memcmp(page, out, sizeof(page)));
	/* This node's own page cache sees it once its copy is dropped. */
	ASSERT_EQ(0, dm_write_file("/proc/sys/vm/drop_caches", "1"));
	fd = dm_open_attached(POOL_ID);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)PAGE, pread(fd, out, PAGE, 5 * PAGE));
	EXPECT_EQ(0, memcmp(page + PAGE, out, PAGE));
	close(fd);
}

TEST_F(serve, malformed_requests_get_errors_and_the_connection_stays)
{
	static uint8_t page[PAGE];
	const uint32_t head = sizeof(struct dmpool_wire_io);

	/* Payload lengths: a short head, a GET with data, a short PUT. */
	EXPECT_EQ(EINVAL, io_req(self, DMPOOL_WIRE_GET, POOL_ID, 0, 1, 0, 8,
				 NULL, 0, NULL, NULL));
	EXPECT_EQ(EINVAL, io_req(self, DMPOOL_WIRE_GET, POOL_ID, 0, 1, 0,
				 head, page, 16, NULL, NULL));
	EXPECT_EQ(EINVAL, io_req(self, DMPOOL_WIRE_PUT, POOL_ID, 0, 2, 0,
				 head, page, PAGE, NULL, NULL));
	/* Page counts and flags. */
	EXPECT_EQ(EINVAL, get(self, POOL_ID, 0, 0, NULL, NULL));
	EXPECT_EQ(EINVAL, get(self, POOL_ID, 0, DMPOOL_WIRE_IO_MAX_PAGES + 1,
			      NULL, NULL));
	EXPECT_EQ(EINVAL, io_req(self, DMPOOL_WIRE_GET, POOL_ID, 0, 1, 1,
				 head, NULL, 0, NULL, NULL));
	/* Pools and ranges. */
	EXPECT_EQ(ENOENT, get(self, POOL_ID + 1, 0, 1, NULL, NULL));
	EXPECT_EQ(ENXIO, get(self, POOL_ID, 2 * EXT_PAGES, 1, NULL, NULL));
	EXPECT_EQ(ENXIO, get(self, POOL_ID, ~0ULL, 1, NULL, NULL));
	EXPECT_EQ(ENXIO, get(self, POOL_ID, ~0ULL - 1, 4, NULL, NULL));
	EXPECT_EQ(ENXIO, get(self, POOL_ID, EXT_PAGES - 1, 2, NULL, NULL));
	EXPECT_EQ(ENXIO, get(self, POOL_ID, EXT_PAGES, 1, NULL, NULL));
	EXPECT_EQ(ENXIO, io_req(self, DMPOOL_WIRE_PUT, POOL_ID, EXT_PAGES, 1,
				0, head, page, PAGE, NULL, NULL));
	/* A type nobody handles. */
	{
		uint64_t tag = ++self->tag;

		ASSERT_EQ(0, send_frame(self->sk, 20, 0, 0, tag, NULL, 0));
		EXPECT_EQ(EOPNOTSUPP, wait_reply(self->sk, tag, NULL, 0, NULL));
	}
	/* A reply to a request never made is dropped. */
	ASSERT_EQ(0, send_frame(self->sk, DMPOOL_WIRE_GET,
				DMPOOL_WIRE_F_REPLY, 0, 123456789, page, PAGE));
	EXPECT_TRUE(alive(self));
}

/*
 * Fencing at the home: a PUT stamped with a token older than the newest
 * the home saw for its file is refused with ESTALE, leaves the data as it
 * was and is counted; equal or newer tokens, and other files, pass.
 */
TEST_F(serve, fenced_puts_older_than_the_newest_token_are_refused)
{
	static uint8_t a[PAGE], b[PAGE], out[PAGE];
	const uint32_t head = sizeof(struct dmpool_wire_io);
	uint64_t n0, n1;
	uint32_t len;

	dm_fill(a, 0, PAGE, 21);
	dm_fill(b, 0, PAGE, 22);
	ASSERT_EQ(0, stale_count(self, &n0));
	EXPECT_EQ(0, put_fenced(self, 6, 7, 5, a));
	EXPECT_EQ(ESTALE, put_fenced(self, 6, 7, 4, b));
	ASSERT_EQ(0, get(self, POOL_ID, 6, 1, out, &len));
	EXPECT_EQ(0, memcmp(a, out, PAGE));
	EXPECT_EQ(0, put_fenced(self, 6, 7, 5, b));	/* the same holder */
	EXPECT_EQ(0, put_fenced(self, 6, 8, 1, a));	/* another file */
	EXPECT_EQ(0, put_fenced(self, 6, 7, 9, a));	/* a newer holder */
	EXPECT_EQ(ESTALE, put_fenced(self, 6, 7, 5, b));
	ASSERT_EQ(0, get(self, POOL_ID, 6, 1, out, &len));
	EXPECT_EQ(0, memcmp(a, out, PAGE));
	ASSERT_EQ(0, stale_count(self, &n1));
	EXPECT_EQ(n0 + 2, n1);
	/* Malformed stamps: file 0, a GET with the flag, a missing stamp. */
	EXPECT_EQ(EINVAL, put_fenced(self, 6, 0, 9, a));
	EXPECT_EQ(EINVAL, io_req(self, DMPOOL_WIRE_GET, POOL_ID, 6, 1,
				 DMPOOL_WIRE_IO_F_FENCED, head, NULL, 0, NULL,
				 NULL));
	EXPECT_EQ(EINVAL, io_req(self, DMPOOL_WIRE_PUT, POOL_ID, 6, 1,
				 DMPOOL_WIRE_IO_F_FENCED, head, a, PAGE, NULL,
				 NULL));
	EXPECT_TRUE(alive(self));
}

/*
 * FENCE: a new holder's token raised at the home before it wrote anything
 * refuses the older holder's write-backs at once; the answer is the newest
 * token before the raise; a raise below the newest changes nothing; a
 * malformed raise or a token past the limit gets an error and the
 * connection stays.
 */
TEST_F(serve, a_fence_raise_refuses_older_tokens_before_any_write)
{
	static uint8_t a[PAGE], b[PAGE], out[PAGE];
	const uint32_t full = sizeof(struct dmpool_wire_fence_raise);
	const uint64_t t = 3 + (1 << 20);
	uint64_t newest;
	uint32_t len;

	dm_fill(a, 0, PAGE, 31);
	dm_fill(b, 0, PAGE, 32);
	EXPECT_EQ(0, put_fenced(self, 7, 11, 3, a));
	EXPECT_EQ(0, fence_raise(self, POOL_ID, 11, t, full, &newest));
	EXPECT_EQ(3, newest);
	EXPECT_EQ(ESTALE, put_fenced(self, 7, 11, 3, b));
	ASSERT_EQ(0, get(self, POOL_ID, 7, 1, out, &len));
	EXPECT_EQ(0, memcmp(a, out, PAGE));
	EXPECT_EQ(0, put_fenced(self, 7, 11, t, b));
	EXPECT_EQ(0, fence_raise(self, POOL_ID, 11, 4, full, &newest));
	EXPECT_EQ(t, newest);
	EXPECT_EQ(ESTALE, put_fenced(self, 7, 11, 4, a));
	EXPECT_EQ(0, fence_raise(self, POOL_ID, 12, 1, full, &newest));
	EXPECT_EQ(0, newest);
	EXPECT_EQ(EINVAL, fence_raise(self, POOL_ID, 11, 1ULL << 62, full,
				      &newest));
	EXPECT_EQ(EINVAL, fence_raise(self, POOL_ID, 0, 9, full, &newest));
	EXPECT_EQ(EINVAL, fence_raise(self, POOL_ID, 11, 9, full - 1, &newest));
	EXPECT_EQ(ENOENT, fence_raise(self, POOL_ID + 999, 11, 9, full, &newest));
	EXPECT_TRUE(alive(self));
}

TEST_F(serve, a_protocol_violation_drops_the_connection)
{
	struct dmpool_wire_hello hello = {};
	uint64_t before, after;
	char c;

	ASSERT_EQ(0, malformed_count(self, &before));
	/* A HELLO after set-up. */
	ASSERT_EQ(0, send_frame(self->sk, DMPOOL_WIRE_HELLO, 0, 0, 0, &hello,
				sizeof(hello)));
	/* The module closes: read() ends (PINGs may come first). */
	while (read(self->sk, &c, 1) == 1)
		;
	close(self->sk);
	self->sk = -1;
	/* Counted, and a new connection works again. */
	ASSERT_EQ(0, malformed_count(self, &after));
	EXPECT_EQ(before + 1, after);
	EXPECT_TRUE(dm_wait_until((self->sk = hostile_connect()) >= 0, 10));
	EXPECT_TRUE(alive(self));
}

TEST_HARNESS_MAIN
