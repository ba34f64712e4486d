// SPDX-License-Identifier: GPL-2.0
/*
 * Extended ACK decoding.
 *
 * With NETLINK_EXT_ACK set on the socket, the kernel appends TLVs to its
 * acknowledgements: NLMSGERR_ATTR_MSG is the human-readable reason a
 * command failed (NL_SET_ERR_MSG in the module), NLMSGERR_ATTR_OFFS the
 * offset of the offending attribute.  libnl 3.7 has no helper for them, so
 * this file walks the layout af_netlink.c writes:
 *
 *	NLMSG_ERROR: nlmsghdr | int error | request's nlmsghdr
 *	             | request payload (absent if NLM_F_CAPPED) | TLVs
 *	NLMSG_DONE:  nlmsghdr | int error | TLVs
 *
 * TLVs are present only when NLM_F_ACK_TLVS is set.  The function reads
 * only inside nlh->nlmsg_len, so a short or lying message cannot make it
 * read past the buffer.
 */
#include <stddef.h>
#include <string.h>

#include "extack.h"

/* Walk the TLVs in [p, p + len) and pick out the ones we use. */
static void parse_tlvs(const unsigned char *p, size_t len, struct nl_ack *ack)
{
	while (len >= sizeof(struct nlattr)) {
		struct nlattr nla;
		size_t alen, plen;

		memcpy(&nla, p, sizeof(nla));
		alen = nla.nla_len;
		if (alen < sizeof(nla) || alen > len)
			return;
		plen = alen - sizeof(nla);
		switch (nla.nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG: {
			size_t n = strnlen((const char *)p + sizeof(nla), plen);

			if (n >= sizeof(ack->msg))
				n = sizeof(ack->msg) - 1;
			memcpy(ack->msg, p + sizeof(nla), n);
			ack->msg[n] = '\0';
			/* The kernel's messages end without a newline; be sure. */
			while (n > 0 && ack->msg[n - 1] == '\n')
				ack->msg[--n] = '\0';
			break;
		}
		case NLMSGERR_ATTR_OFFS:
			if (plen == sizeof(uint32_t)) {
				memcpy(&ack->offset, p + sizeof(nla), sizeof(uint32_t));
				ack->has_offset = true;
			}
			break;
		default:
			break;
		}
		alen = NLA_ALIGN(alen);
		if (alen >= len)
			return;
		p += alen;
		len -= alen;
	}
}

int extack_parse(const struct nlmsghdr *nlh, struct nl_ack *ack)
{
	const unsigned char *base = (const unsigned char *)nlh;
	size_t total = nlh->nlmsg_len;
	size_t off = NLMSG_HDRLEN;
	int error;

	memset(ack, 0, sizeof(*ack));
	if (total < NLMSG_HDRLEN + sizeof(int))
		return -1;
	memcpy(&error, base + off, sizeof(int));
	ack->error = error;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsghdr req;

		if (total < NLMSG_HDRLEN + sizeof(struct nlmsgerr))
			return -1;
		off += sizeof(struct nlmsgerr);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			memcpy(&req, base + NLMSG_HDRLEN + offsetof(struct nlmsgerr, msg),
			       sizeof(req));
			if (req.nlmsg_len < NLMSG_HDRLEN)
				return -1;
			off += NLMSG_ALIGN(req.nlmsg_len - NLMSG_HDRLEN);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		off += NLMSG_ALIGN(sizeof(int));
	} else {
		return -1;
	}

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (off > total)
		return -1;
	parse_tlvs(base + off, total - off, ack);
	return 0;
}
