// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the transport's wire format (kernel/proto.h), compiled
 * here in user space as the header promises: little-endian encoding on any
 * host, the exact on-wire sizes, and dmpool_wire_hdr_check() refusing
 * every header field a receiver must not trust, one at a time.
 */
#include <stdint.h>

#include "../../kernel/proto.h"
#include "unit.h"

static void test_sizes(void)
{
	CHECK(sizeof(struct dmpool_wire_hdr) == 24);
	CHECK(sizeof(struct dmpool_wire_hello) == 48);
	CHECK(sizeof(struct dmpool_wire_auth) == 32);
	CHECK(sizeof(struct dmpool_wire_fence) == 16);
	CHECK(sizeof(struct dmpool_wire_fence_raise) == 24);
	CHECK(sizeof(struct dmpool_wire_fence_newest) == 8);
	CHECK(DMPOOL_WIRE_FENCE < DMPOOL_WIRE_TYPES);
}

static void test_byte_order(void)
{
	struct dmpool_wire_hdr h;
	const uint8_t *b = (const uint8_t *)&h;

	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, DMPOOL_WIRE_F_REPLY, 0x10203,
			     7, 0x0102030405060708ULL);
	/* "DMPL" as bytes on the wire. */
	CHECK(b[0] == 'D' && b[1] == 'M' && b[2] == 'P' && b[3] == 'L');
	CHECK(b[4] == DMPOOL_WIRE_PING && b[5] == 0);
	CHECK(b[8] == 0x03 && b[9] == 0x02 && b[10] == 0x01 && b[11] == 0);
	CHECK(b[16] == 0x08 && b[23] == 0x01);
	CHECK_U64(dmpool_wire_get16(&h.type), DMPOOL_WIRE_PING);
	CHECK_U64(dmpool_wire_get32(&h.len), 0x10203);
	CHECK_U64(dmpool_wire_get32(&h.status), 7);
	CHECK_U64(dmpool_wire_get64(&h.tag), 0x0102030405060708ULL);
}

static void test_hdr_check(void)
{
	struct dmpool_wire_hdr h;
	__u32 len = 0;

	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_HELLO, 0, 48, 0, 0);
	CHECK(dmpool_wire_hdr_check(&h, &len) == 0);
	CHECK_U64(len, 48);
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, 0,
			     DMPOOL_WIRE_MAX_PAYLOAD, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) == 0);
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, DMPOOL_WIRE_F_REPLY, 0,
			     4095, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) == 0);

	/* Each field wrong in turn. */
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, 0,
			     DMPOOL_WIRE_MAX_PAYLOAD + 1, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, 0, 0xffffffffU, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
	dmpool_wire_hdr_init(&h, 0, 0, 0, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_TYPES, 0, 0, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
	dmpool_wire_hdr_init(&h, 0xffff, 0, 0, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, 0x8000, 0, 0, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, 0, 0, 5, 1);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);	/* status on a request */
	dmpool_wire_hdr_init(&h, DMPOOL_WIRE_PING, 0, 0, 0, 1);
	dmpool_wire_put32(&h.magic, 0x4c504d45);
	CHECK(dmpool_wire_hdr_check(&h, &len) < 0);
}

int main(void)
{
	RUN(test_sizes);
	RUN(test_byte_order);
	RUN(test_hdr_check);
	return unit_done();
}
