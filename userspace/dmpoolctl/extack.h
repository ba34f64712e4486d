/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink acknowledgements: the error code and the kernel's extended ACK
 * message ("extack") of an NLMSG_ERROR or NLMSG_DONE message.
 */
#ifndef DMPOOLCTL_EXTACK_H
#define DMPOOLCTL_EXTACK_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

#define EXTACK_MSG_MAX 256

struct nl_ack {
	int error;			/* 0 or a negative errno */
	char msg[EXTACK_MSG_MAX];	/* NLMSGERR_ATTR_MSG, or "" */
	bool has_offset;
	uint32_t offset;		/* NLMSGERR_ATTR_OFFS: the bad attribute */
};

/*
 * Decode @nlh, an NLMSG_ERROR or NLMSG_DONE message of @nlh->nlmsg_len
 * bytes (the caller checked that many are readable).  Handles capped and
 * uncapped error messages.  Returns 0, or -1 if @nlh is malformed.
 */
int extack_parse(const struct nlmsghdr *nlh, struct nl_ack *ack);

#endif /* DMPOOLCTL_EXTACK_H */
