// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny generic netlink client for the dmpool selftests; see dmpool_nl.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "dmpool_nl.h"

#define DMNL_BUF_SIZE	65536

static int dmnl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type >= 0 && type <= DMPOOL_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int dmnl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)data = mnl_attr_get_u16(attr);
	}
	return MNL_CB_OK;
}

int dmnl_open(struct dmnl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk)
		return -errno;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0) {
		err = -errno;
		goto err_close;
	}

	/* Resolve the family ID through the controller. */
	nl->family = GENL_ID_CTRL;
	nlh = dmnl_start(nl, buf, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, DMPOOL_GENL_NAME);
	nl->family = 0;
	err = dmnl_talk(nl, nlh, dmnl_family_cb, &nl->family);
	if (!err && !nl->family)
		err = -ENOENT;
	if (err)
		goto err_close;
	return 0;

err_close:
	mnl_socket_close(nl->sk);
	nl->sk = NULL;
	return err;
}

void dmnl_close(struct dmnl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

struct nlmsghdr *dmnl_start(struct dmnl *nl, void *buf, uint8_t cmd,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = nl->family == GENL_ID_CTRL ? 1 : DMPOOL_GENL_VERSION;
	return nlh;
}

/* An NLMSG_ERROR: 0 for an ack, else -errno with the extack text kept. */
static int dmnl_error(struct dmnl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return -EBADMSG;
	if (err->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(attr, nlh, off) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
				snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
					 mnl_attr_get_str(attr));
		}
	}
	return err->error;
}

/*
 * The NLMSG_DONE ending a dump: its errno (0 if absent), with the extack
 * text kept when a dump fails on its first call.
 */
static int dmnl_done(struct dmnl *nl, const struct nlmsghdr *nlh)
{
	const int *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return 0;
	if (*err && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		mnl_attr_for_each(attr, nlh, sizeof(*err)) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
				snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
					 mnl_attr_get_str(attr));
		}
	}
	return *err;
}

int dmnl_talk(struct dmnl *nl, struct nlmsghdr *nlh, dmnl_cb cb, void *data)
{
	/* Per thread: cluster_nl_test talks from several threads. */
	static __thread char buf[DMNL_BUF_SIZE];
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t len;

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *msg = (const struct nlmsghdr *)buf;
		int left;

		len = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		left = (int)len;
		for (; mnl_nlmsg_ok(msg, left); msg = mnl_nlmsg_next(msg, &left)) {
			if (msg->nlmsg_seq != seq)
				continue;
			if (msg->nlmsg_type == NLMSG_ERROR)
				return dmnl_error(nl, msg);
			if (msg->nlmsg_type == NLMSG_DONE)
				return dmnl_done(nl, msg);
			if (cb && cb(msg, data) != MNL_CB_OK)
				return -EBADMSG;
		}
	}
}

int dmnl_parse_pool(const struct nlmsghdr *nlh, struct dmnl_pool *pool)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1] = { 0 };

	memset(pool, 0, sizeof(*pool));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dmnl_attr_cb, tb);
	if (!tb[DMPOOL_A_POOL_ID] || !tb[DMPOOL_A_POOL_NAME] ||
	    !tb[DMPOOL_A_POOL_SIZE] || !tb[DMPOOL_A_POOL_ATTACHED] ||
	    !tb[DMPOOL_A_POOL_CACHED] || !tb[DMPOOL_A_POOL_STORED])
		return MNL_CB_ERROR;
	pool->id = mnl_attr_get_u64(tb[DMPOOL_A_POOL_ID]);
	snprintf(pool->name, sizeof(pool->name), "%s",
		 mnl_attr_get_str(tb[DMPOOL_A_POOL_NAME]));
	pool->size = mnl_attr_get_u64(tb[DMPOOL_A_POOL_SIZE]);
	pool->attached = mnl_attr_get_u32(tb[DMPOOL_A_POOL_ATTACHED]);
	pool->cached = mnl_attr_get_u64(tb[DMPOOL_A_POOL_CACHED]);
	pool->stored = mnl_attr_get_u64(tb[DMPOOL_A_POOL_STORED]);
	return MNL_CB_OK;
}

static int dmnl_pool_cb(const struct nlmsghdr *nlh, void *data)
{
	return dmnl_parse_pool(nlh, data);
}

static int dmnl_version_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[DMPOOL_A_MAX + 1] = { 0 };
	struct dmnl_version *v = data;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dmnl_attr_cb, tb);
	if (!tb[DMPOOL_A_ABI_VERSION] || !tb[DMPOOL_A_FEATURES] ||
	    !tb[DMPOOL_A_STORE_CAPACITY] || !tb[DMPOOL_A_STORE_COMMITTED])
		return MNL_CB_ERROR;
	v->abi_version = mnl_attr_get_u32(tb[DMPOOL_A_ABI_VERSION]);
	v->features = mnl_attr_get_u64(tb[DMPOOL_A_FEATURES]);
	v->capacity = mnl_attr_get_u64(tb[DMPOOL_A_STORE_CAPACITY]);
	v->committed = mnl_attr_get_u64(tb[DMPOOL_A_STORE_COMMITTED]);
	return MNL_CB_OK;
}

int dmnl_version(struct dmnl *nl, struct dmnl_version *v)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(v, 0, sizeof(*v));
	nlh = dmnl_start(nl, buf, DMPOOL_CMD_VERSION_GET, NLM_F_ACK);
	return dmnl_talk(nl, nlh, dmnl_version_cb, v);
}

int dmnl_pool_new(struct dmnl *nl, const char *name, uint64_t size,
		  struct dmnl_pool *pool)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dmnl_pool ignored;
	struct nlmsghdr *nlh;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	mnl_attr_put_u64(nlh, DMPOOL_A_POOL_SIZE, size);
	return dmnl_talk(nl, nlh, dmnl_pool_cb, pool ? pool : &ignored);
}

/* Add POOL_ID or POOL_NAME. */
static void dmnl_put_pool(struct nlmsghdr *nlh, uint64_t id, const char *name)
{
	if (name)
		mnl_attr_put_strz(nlh, DMPOOL_A_POOL_NAME, name);
	else
		mnl_attr_put_u64(nlh, DMPOOL_A_POOL_ID, id);
}

int dmnl_pool_get(struct dmnl *nl, uint64_t id, const char *name,
		  struct dmnl_pool *pool)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dmnl_pool ignored;
	struct nlmsghdr *nlh;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_ACK);
	dmnl_put_pool(nlh, id, name);
	return dmnl_talk(nl, nlh, dmnl_pool_cb, pool ? pool : &ignored);
}

int dmnl_pool_del(struct dmnl *nl, uint64_t id, const char *name,
		  int64_t flags)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_DEL, NLM_F_ACK);
	dmnl_put_pool(nlh, id, name);
	if (flags >= 0)
		mnl_attr_put_u32(nlh, DMPOOL_A_POOL_FLAGS, (uint32_t)flags);
	return dmnl_talk(nl, nlh, NULL, NULL);
}

struct dmnl_dump {
	struct dmnl_pool *pools;
	int max;
	int count;
};

static int dmnl_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dmnl_dump *d = data;
	struct dmnl_pool pool;

	if (dmnl_parse_pool(nlh, &pool) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (d->count < d->max)
		d->pools[d->count] = pool;
	d->count++;
	return MNL_CB_OK;
}

int dmnl_pool_dump(struct dmnl *nl, struct dmnl_pool *pools, int max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dmnl_dump d = { .pools = pools, .max = max };
	struct nlmsghdr *nlh;
	int err;

	nlh = dmnl_start(nl, buf, DMPOOL_CMD_POOL_GET, NLM_F_DUMP);
	err = dmnl_talk(nl, nlh, dmnl_dump_cb, &d);
	return err ? err : d.count;
}

void dmnl_put_v4(struct nlmsghdr *nlh, const char *addr, int port)
{
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	mnl_attr_put(nlh, DMPOOL_A_ADDR, sizeof(a), &a);
	mnl_attr_put_u16(nlh, DMPOOL_A_PORT, (uint16_t)port);
}

int dmnl_peer_add(struct dmnl *nl, uint32_t id, const char *addr, int port)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = dmnl_start(nl, buf, DMPOOL_CMD_PEER_ADD,
					  NLM_F_ACK);

	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, id);
	dmnl_put_v4(nlh, addr, port);
	return dmnl_talk(nl, nlh, NULL, NULL);
}

int dmnl_peer_del(struct dmnl *nl, uint32_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = dmnl_start(nl, buf, DMPOOL_CMD_PEER_DEL,
					  NLM_F_ACK);

	mnl_attr_put_u32(nlh, DMPOOL_A_NODE_ID, id);
	return dmnl_talk(nl, nlh, NULL, NULL);
}
