// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for extended ACK decoding (dmpoolctl/extack.c) on
 * hand-built kernel messages: capped and uncapped errors, NLMSG_DONE
 * with an error, and malformed or lying lengths that must neither crash
 * nor read outside the message (ASan watches).
 */
#include <errno.h>
#include <stdlib.h>

#include "extack.h"
#include "unit.h"

/* A message under construction, in a heap buffer of exactly its size. */
struct builder {
	unsigned char buf[1024];
	size_t len;
};

static void put(struct builder *b, const void *data, size_t len)
{
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

static void pad(struct builder *b)
{
	while (b->len % 4)
		b->buf[b->len++] = 0;
}

static void put_tlv(struct builder *b, uint16_t type, const void *data,
		    size_t len)
{
	struct nlattr nla = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			      .nla_type = type };

	put(b, &nla, sizeof(nla));
	put(b, data, len);
	pad(b);
}

static void start(struct builder *b, uint16_t type, uint16_t flags, int error)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags };

	b->len = 0;
	put(b, &h, sizeof(h));
	put(b, &error, sizeof(error));
}

/* The request header an NLMSG_ERROR echoes. */
static void put_request(struct builder *b, uint32_t req_len)
{
	struct nlmsghdr req = { .nlmsg_len = req_len, .nlmsg_type = 0x20 };

	put(b, &req, sizeof(req));
}

/* Copy into a heap block of exactly the message size, then parse. */
static int parse(struct builder *b, struct nl_ack *ack)
{
	struct nlmsghdr *nlh = malloc(b->len);
	int ret;

	((struct nlmsghdr *)b->buf)->nlmsg_len = (uint32_t)b->len;
	memcpy(nlh, b->buf, b->len);
	ret = extack_parse(nlh, ack);
	free(nlh);
	return ret;
}

static void test_capped_error(void)
{
	struct builder b;
	struct nl_ack ack;
	uint32_t off = 28;

	start(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, -EEXIST);
	put_request(&b, 40);
	put_tlv(&b, NLMSGERR_ATTR_MSG, "pool exists", 12);
	put_tlv(&b, NLMSGERR_ATTR_OFFS, &off, sizeof(off));
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == -EEXIST);
	CHECK_STR(ack.msg, "pool exists");
	CHECK(ack.has_offset);
	CHECK_U64(ack.offset, 28);
}

static void test_uncapped_error(void)
{
	static const unsigned char payload[22] = { 1, 2, 3 };
	struct builder b;
	struct nl_ack ack;

	start(&b, NLMSG_ERROR, NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, NLMSG_HDRLEN + sizeof(payload));
	put(&b, payload, sizeof(payload));
	pad(&b);			/* 22 -> 24: the kernel aligns */
	put_tlv(&b, NLMSGERR_ATTR_MSG, "bad size", 9);
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == -EINVAL);
	CHECK_STR(ack.msg, "bad size");
	CHECK(!ack.has_offset);
}

static void test_plain_error_and_ack(void)
{
	struct builder b;
	struct nl_ack ack;

	start(&b, NLMSG_ERROR, NLM_F_CAPPED, -ENOENT);
	put_request(&b, 20);
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == -ENOENT);
	CHECK_STR(ack.msg, "");

	start(&b, NLMSG_ERROR, NLM_F_CAPPED, 0);
	put_request(&b, 20);
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == 0);
}

static void test_done_with_error(void)
{
	struct builder b;
	struct nl_ack ack;

	start(&b, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, -EPERM);
	put_tlv(&b, NLMSGERR_ATTR_MSG, "dump refused\n", 14);
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == -EPERM);
	CHECK_STR(ack.msg, "dump refused");	/* newline stripped */

	start(&b, NLMSG_DONE, NLM_F_MULTI, 0);
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == 0);
}

static void test_long_and_unterminated_message(void)
{
	char longmsg[400];
	struct builder b;
	struct nl_ack ack;

	memset(longmsg, 'm', sizeof(longmsg));
	start(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, 20);
	put_tlv(&b, NLMSGERR_ATTR_MSG, longmsg, sizeof(longmsg));	/* no NUL */
	CHECK(parse(&b, &ack) == 0);
	CHECK_U64(strlen(ack.msg), EXTACK_MSG_MAX - 1);

	start(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, 20);
	put_tlv(&b, NLMSGERR_ATTR_MSG, "abc", 3);	/* no NUL */
	CHECK(parse(&b, &ack) == 0);
	CHECK_STR(ack.msg, "abc");
}

static void test_malformed(void)
{
	struct builder b;
	struct nl_ack ack;
	struct nlattr lie = { .nla_len = 200, .nla_type = NLMSGERR_ATTR_MSG };
	uint16_t odd = 7;

	/* Too short for the error code. */
	start(&b, NLMSG_ERROR, 0, -EINVAL);
	b.len = NLMSG_HDRLEN + 2;
	CHECK(parse(&b, &ack) < 0);

	/* NLMSG_ERROR too short for the echoed header. */
	start(&b, NLMSG_ERROR, NLM_F_CAPPED, -EINVAL);
	CHECK(parse(&b, &ack) < 0);

	/* Neither ERROR nor DONE. */
	start(&b, 0x20, 0, 0);
	CHECK(parse(&b, &ack) < 0);

	/* Echoed request length smaller than a header. */
	start(&b, NLMSG_ERROR, NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, 4);
	CHECK(parse(&b, &ack) < 0);

	/* Echoed request claims more payload than the message holds. */
	start(&b, NLMSG_ERROR, NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, 500);
	CHECK(parse(&b, &ack) < 0);

	/* A TLV whose length runs past the end is ignored, not read. */
	start(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, 20);
	put(&b, &lie, sizeof(lie));
	put(&b, "xy", 2);
	CHECK(parse(&b, &ack) == 0);
	CHECK(ack.error == -EINVAL);
	CHECK_STR(ack.msg, "");

	/* An offset attribute of the wrong size is ignored. */
	start(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, -EINVAL);
	put_request(&b, 20);
	put_tlv(&b, NLMSGERR_ATTR_OFFS, &odd, sizeof(odd));
	CHECK(parse(&b, &ack) == 0);
	CHECK(!ack.has_offset);
}

int main(void)
{
	RUN(test_capped_error);
	RUN(test_uncapped_error);
	RUN(test_plain_error_and_ack);
	RUN(test_done_with_error);
	RUN(test_long_and_unterminated_message);
	RUN(test_malformed);
	return unit_done();
}
