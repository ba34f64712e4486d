/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmproto.h - the small framed protocol between the host client (vmexec.c)
 * and the guest exec agent (agent.c) of the dmpool VM harness.
 *
 * One TCP connection runs one command.  Every message is a frame:
 *
 *	u8 type | __le32 length | length bytes of data
 *
 * with length <= VMP_MAX_DATA (a larger length is a protocol error and the
 * peer drops the connection).  The conversation:
 *
 *	client -> agent  VMP_CMD     the command for "/bin/sh -c" (first frame,
 *	                             exactly once, 1..VMP_MAX_DATA bytes)
 *	client -> agent  VMP_STDIN   bytes for the command's stdin; an empty
 *	                             VMP_STDIN frame means end of input
 *	agent -> client  VMP_STDOUT  bytes the command wrote to stdout
 *	agent -> client  VMP_STDERR  bytes the command wrote to stderr
 *	agent -> client  VMP_EXIT    8 bytes: __le32 how (VMP_EXITED or
 *	                             VMP_SIGNALED), __le32 exit code or signal
 *	                             number; the last frame
 *
 * If the client goes away before VMP_EXIT (timeout, Ctrl-C), the agent kills
 * the command's whole process group.  Both programs are plain C11 on Linux;
 * this header holds only the shared definitions and byte-order helpers.
 */
#ifndef DMPOOL_VMPROTO_H
#define DMPOOL_VMPROTO_H

#include <stdint.h>

#define VMP_PORT	7000
#define VMP_HDR_LEN	5
#define VMP_MAX_DATA	(64 * 1024)

enum vmp_type {
	VMP_CMD		= 'c',
	VMP_STDIN	= 'i',
	VMP_STDOUT	= 'o',
	VMP_STDERR	= 'e',
	VMP_EXIT	= 'x',
};

enum vmp_exit_how {
	VMP_EXITED	= 0,
	VMP_SIGNALED	= 1,
};

static inline void vmp_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static inline uint32_t vmp_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Fill a frame header; the caller sends it followed by @len data bytes. */
static inline void vmp_put_hdr(uint8_t hdr[VMP_HDR_LEN], uint8_t type,
			       uint32_t len)
{
	hdr[0] = type;
	vmp_put_le32(hdr + 1, len);
}

#endif /* DMPOOL_VMPROTO_H */
