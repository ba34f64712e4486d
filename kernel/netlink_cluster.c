// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool generic netlink family: the cluster commands (DMPOOL_FEAT_CLUSTER).
 *
 *  - CLUSTER_REQ: a tool's request for dmpoold, relayed by upcall.c; the
 *    handler waits (without dmpool_nl_lock) for the daemon's REQ_DONE and
 *    replies with what the daemon gave.  Kinds below DMPOOL_REQ_QUERY
 *    change the cluster and need CAP_NET_ADMIN; queries are open.
 *  - REQ_ACCEPT, REQ_DONE: the daemon's answers (CAP_NET_ADMIN, checked
 *    by the core: GENL_ADMIN_PERM).
 *  - CLUSTER_SET, CLUSTER_GET: the cluster state the daemon reports after
 *    every change it applies, kept here for anyone to read (dmpoolctl
 *    status without a round trip to the daemon), with its age.
 *
 * The family policy (netlink.c) checks each attribute's type and length;
 * these handlers refuse the attributes their command does not use, check
 * ranges (-EINVAL with an extack naming the attribute) and then call
 * upcall.c.  Error messages are string literals: see netlink.c.
 */

#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "netlink.h"
#include "upcall.h"

/**
 * struct dmpool_cluster_state - what the daemon last reported
 * @set:      a CLUSTER_SET succeeded since the module was loaded
 * @set_ns:   ktime_get_ns() of the last CLUSTER_SET
 * @name:     CLUSTER_NAME, NUL-terminated
 * @epoch:    CLUSTER_EPOCH
 * @checksum: CLUSTER_CHECKSUM
 * @members:  CLUSTER_MEMBERS
 * @quorate:  CLUSTER_QUORATE
 */
struct dmpool_cluster_state {
	bool set;
	u64 set_ns;
	char name[DMPOOL_CLUSTER_NAME_MAX + 1];
	u64 epoch;
	u8 checksum[DMPOOL_CHECKSUM_LEN];
	u64 members;
	u32 quorate;
};

static DEFINE_MUTEX(dmpool_cluster_lock);
/* Protected by dmpool_cluster_lock. */
static struct dmpool_cluster_state dmpool_cluster;

/* Refuse the attributes not among the @n in @types (see netlink.c). */
static int dmpool_nl_cluster_attrs(struct genl_info *info, const u16 *types,
				   unsigned int n)
{
	DECLARE_BITMAP(allowed, DMPOOL_A_MAX + 1);
	unsigned int i;

	bitmap_zero(allowed, DMPOOL_A_MAX + 1);
	for (i = 0; i < n; i++)
		__set_bit(types[i], allowed);
	return dmpool_nl_check_attr_map(info->attrs, info->extack, allowed);
}

/*
 * The start of REQ_ACCEPT and REQ_DONE: only the attributes in @types,
 * and the required REQ_ID (nonzero).
 */
static int dmpool_nl_req_id(struct genl_info *info, const u16 *types,
			    unsigned int n, u64 *id)
{
	struct nlattr *attr = info->attrs[DMPOOL_A_REQ_ID];
	int err;

	err = dmpool_nl_cluster_attrs(info, types, n);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_REQ_ID)) {
		NL_SET_ERR_MSG(info->extack, "a request ID is required");
		return -EINVAL;
	}
	*id = nla_get_u64(attr);
	if (!*id) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "request ID 0 is not a request ID");
		return -EINVAL;
	}
	return 0;
}

int dmpool_nl_cluster_req(struct sk_buff *skb, struct genl_info *info)
{
	static const u16 types[] = { DMPOOL_A_REQ_KIND, DMPOOL_A_REQ_ARGS };
	struct nlattr *kind_attr = info->attrs[DMPOOL_A_REQ_KIND];
	struct dmpool_upcall_req r = {};
	struct sk_buff *reply;
	int err;

	err = dmpool_nl_cluster_attrs(info, types, ARRAY_SIZE(types));
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_REQ_KIND)) {
		NL_SET_ERR_MSG(info->extack, "a request kind is required");
		return -EINVAL;
	}
	r.kind = nla_get_u32(kind_attr);
	if (r.kind == DMPOOL_REQ_UNSPEC || r.kind > U8_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, kind_attr,
				    "request kind must be 1 to 255");
		return -EINVAL;
	}
	if (r.kind < DMPOOL_REQ_QUERY && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, kind_attr,
				    "changing the cluster needs CAP_NET_ADMIN");
		return -EPERM;
	}
	r.args = info->attrs[DMPOOL_A_REQ_ARGS];
	/* The handler runs in the sender's context: its credentials. */
	r.uid = from_kuid_munged(&init_user_ns, current_fsuid());
	r.gid = from_kgid_munged(&init_user_ns, current_fsgid());
	r.portid = info->snd_portid;
	r.seq = info->snd_seq;

	err = dmpool_upcall_request(&r, &reply, info->extack);
	if (err == -EINTR) {
		/*
		 * netlink_rcv_skb() sends no ack for -EINTR (it means "a dump
		 * started" there): send the error here, or the tool would
		 * wait for an answer forever.
		 */
		netlink_ack(skb, info->nlhdr, err, info->extack);
		return err;
	}
	if (err)
		return err;
	return genlmsg_reply(reply, info);
}

int dmpool_nl_req_accept(struct sk_buff *skb, struct genl_info *info)
{
	static const u16 types[] = { DMPOOL_A_REQ_ID };
	u64 id;
	int err;

	err = dmpool_nl_req_id(info, types, ARRAY_SIZE(types), &id);
	if (err)
		return err;
	err = dmpool_upcall_accept(id);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_REQ_ID],
				    "no request with this ID is waiting");
	else if (err == -EALREADY)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_REQ_ID],
				    "the request is already accepted");
	return err;
}

int dmpool_nl_req_done(struct sk_buff *skb, struct genl_info *info)
{
	static const u16 types[] = {
		DMPOOL_A_REQ_ID, DMPOOL_A_REQ_STATUS, DMPOOL_A_REQ_MESSAGE,
		DMPOOL_A_REQ_RESULT,
	};
	struct nlattr *status_attr = info->attrs[DMPOOL_A_REQ_STATUS];
	struct nlattr *msg_attr = info->attrs[DMPOOL_A_REQ_MESSAGE];
	struct nlattr *result = info->attrs[DMPOOL_A_REQ_RESULT];
	struct nlattr *a;
	int err, rem;
	u32 status;
	u64 id;

	err = dmpool_nl_req_id(info, types, ARRAY_SIZE(types), &id);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_REQ_STATUS)) {
		NL_SET_ERR_MSG(info->extack, "a request status is required");
		return -EINVAL;
	}
	status = nla_get_u32(status_attr);
	if (status > MAX_ERRNO) {
		NL_SET_ERR_MSG_ATTR(info->extack, status_attr,
				    "request status must be 0 or a positive errno");
		return -EINVAL;
	}
	if (result) {
		if (nla_len(result) > DMPOOL_REQ_RESULT_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, result,
					    "request result larger than DMPOOL_REQ_RESULT_MAX");
			return -EINVAL;
		}
		/* Passed on as is, but well formed: attributes end to end. */
		nla_for_each_nested(a, result, rem)
			continue;
		if (rem) {
			NL_SET_ERR_MSG_ATTR(info->extack, result,
					    "request result is not a list of attributes");
			return -EINVAL;
		}
	}

	err = dmpool_upcall_done(id, status,
				 msg_attr ? nla_data(msg_attr) : NULL, result);
	switch (err) {
	case 0:
		break;
	case -ENOENT:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_REQ_ID],
				    "no request with this ID is waiting");
		break;
	case -EALREADY:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMPOOL_A_REQ_ID],
				    "the request is already done");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "out of memory");
		break;
	}
	return err;
}

int dmpool_nl_cluster_set(struct sk_buff *skb, struct genl_info *info)
{
	static const u16 types[] = {
		DMPOOL_A_CLUSTER_NAME, DMPOOL_A_CLUSTER_EPOCH,
		DMPOOL_A_CLUSTER_CHECKSUM, DMPOOL_A_CLUSTER_MEMBERS,
		DMPOOL_A_CLUSTER_QUORATE,
	};
	struct nlattr *name = info->attrs[DMPOOL_A_CLUSTER_NAME];
	struct nlattr *sum = info->attrs[DMPOOL_A_CLUSTER_CHECKSUM];
	struct nlattr *quorate = info->attrs[DMPOOL_A_CLUSTER_QUORATE];
	u64 epoch, members;
	int err;

	err = dmpool_nl_cluster_attrs(info, types, ARRAY_SIZE(types));
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DMPOOL_A_CLUSTER_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, DMPOOL_A_CLUSTER_EPOCH) ||
	    GENL_REQ_ATTR_CHECK(info, DMPOOL_A_CLUSTER_CHECKSUM) ||
	    GENL_REQ_ATTR_CHECK(info, DMPOOL_A_CLUSTER_MEMBERS) ||
	    GENL_REQ_ATTR_CHECK(info, DMPOOL_A_CLUSTER_QUORATE)) {
		NL_SET_ERR_MSG(info->extack,
			       "CLUSTER_SET needs CLUSTER_NAME, CLUSTER_EPOCH, CLUSTER_CHECKSUM, CLUSTER_MEMBERS and CLUSTER_QUORATE");
		return -EINVAL;
	}
	if (!nla_len(name) || !*(char *)nla_data(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "the cluster name must not be empty");
		return -EINVAL;
	}
	if (nla_len(sum) != DMPOOL_CHECKSUM_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, sum,
				    "the checksum must be 32 bytes (SHA-256)");
		return -EINVAL;
	}
	if (nla_get_u32(quorate) > 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, quorate,
				    "quorate must be 0 or 1");
		return -EINVAL;
	}
	epoch = nla_get_u64(info->attrs[DMPOOL_A_CLUSTER_EPOCH]);
	members = nla_get_u64(info->attrs[DMPOOL_A_CLUSTER_MEMBERS]);

	mutex_lock(&dmpool_cluster_lock);
	dmpool_cluster.set = true;
	dmpool_cluster.set_ns = ktime_get_ns();
	nla_strscpy(dmpool_cluster.name, name, sizeof(dmpool_cluster.name));
	dmpool_cluster.epoch = epoch;
	memcpy(dmpool_cluster.checksum, nla_data(sum), DMPOOL_CHECKSUM_LEN);
	dmpool_cluster.members = members;
	dmpool_cluster.quorate = nla_get_u32(quorate);
	mutex_unlock(&dmpool_cluster_lock);

	dmpool_event_cluster(epoch, members);
	return 0;
}

/* The CLUSTER_GET reply's attributes from @c (set) and @daemon. */
static int dmpool_nl_put_cluster(struct sk_buff *msg,
				 const struct dmpool_cluster_state *c,
				 bool daemon)
{
	u64 age_ms;

	if (nla_put_u32(msg, DMPOOL_A_CLUSTER_DAEMON, daemon))
		return -EMSGSIZE;
	if (!c->set)
		return 0;
	age_ms = div_u64(ktime_get_ns() - c->set_ns, NSEC_PER_MSEC);
	if (nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, c->name) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_CLUSTER_EPOCH, c->epoch,
			      DMPOOL_A_PAD) ||
	    nla_put(msg, DMPOOL_A_CLUSTER_CHECKSUM, DMPOOL_CHECKSUM_LEN,
		    c->checksum) ||
	    nla_put_u64_64bit(msg, DMPOOL_A_CLUSTER_MEMBERS, c->members,
			      DMPOOL_A_PAD) ||
	    nla_put_u32(msg, DMPOOL_A_CLUSTER_QUORATE, c->quorate) ||
	    nla_put_u32(msg, DMPOOL_A_CLUSTER_AGE_MS,
			min_t(u64, age_ms, U32_MAX)))
		return -EMSGSIZE;
	return 0;
}

int dmpool_nl_cluster_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_cluster_state c;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack, 0);
	if (err)
		return err;
	msg = genlmsg_new(4 * nla_total_size(sizeof(u32)) +
			  nla_total_size(DMPOOL_CLUSTER_NAME_MAX + 1) +
			  2 * nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(DMPOOL_CHECKSUM_LEN), GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return -ENOMEM;
	}
	mutex_lock(&dmpool_cluster_lock);
	c = dmpool_cluster;
	mutex_unlock(&dmpool_cluster_lock);

	hdr = genlmsg_put_reply(msg, info, &dmpool_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || dmpool_nl_put_cluster(msg, &c,
					  dmpool_upcall_daemon_listens())) {
		/* The message was sized for these attributes. */
		WARN_ON_ONCE(1);
		NL_SET_ERR_MSG(info->extack, "reply message too small");
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
