// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool generic netlink family: the file commands (FILE_NEW, FILE_DEL,
 * FILE_GET, FILE_SET), for dmpoolctl's "file" commands.  The same files as the
 * ioctls' (files.c), named by pool and file name.
 *
 * These commands read or change the pool's directory under its cluster
 * lock and may wait for other nodes, so they do not take dmpool_nl_lock
 * (netlink.c): the cluster lock orders them, and a slow one stalls no
 * other command.  Validation is netlink.c's: the family policy, then
 * dmpool_nl_check_attrs() for the attributes each command takes.
 */

#include <linux/bits.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "netlink.h"

#define DMPOOL_NL_FILE_POOL	(BIT(DMPOOL_A_POOL_ID) | BIT(DMPOOL_A_POOL_NAME))

/* Bytes of a file message. */
static size_t dmpool_nl_file_size(void)
{
	return 4 * nla_total_size_64bit(sizeof(u64)) +	/* POOL_ID, FILE_ID, _OFFSET, _SIZE */
	       nla_total_size(DMPOOL_FILE_NAME_MAX + 1) +
	       4 * nla_total_size(sizeof(u32)) +	/* PERMITS, MODE, UID, GID */
	       nla_total_size(DMPOOL_GRANTS_MAX * sizeof(struct dmpool_grant));
}

static int dmpool_nl_fill_file(struct sk_buff *skb, u64 pool_id,
			       const struct dmpool_file_info *f, u32 portid,
			       u32 seq, int flags)
{
	void *hdr = genlmsg_put(skb, portid, seq, &dmpool_genl_family, flags,
				DMPOOL_CMD_FILE_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, DMPOOL_A_POOL_ID, pool_id, DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_FILE_ID, f->id, DMPOOL_A_PAD) ||
	    nla_put_string(skb, DMPOOL_A_FILE_NAME, f->name) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_FILE_OFFSET, f->offset,
			      DMPOOL_A_PAD) ||
	    nla_put_u64_64bit(skb, DMPOOL_A_FILE_SIZE, f->size, DMPOOL_A_PAD) ||
	    nla_put_u32(skb, DMPOOL_A_FILE_PERMITS, f->permits) ||
	    nla_put_u32(skb, DMPOOL_A_FILE_MODE, f->mode) ||
	    nla_put_u32(skb, DMPOOL_A_FILE_UID, f->uid) ||
	    nla_put_u32(skb, DMPOOL_A_FILE_GID, f->gid) ||
	    nla_put(skb, DMPOOL_A_GRANTS, f->nr_grants * sizeof(f->grants[0]),
		    f->grants)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Reply to a doit with one file. */
static int dmpool_nl_file_reply(struct genl_info *info, u64 pool_id,
				const struct dmpool_file_info *f)
{
	struct sk_buff *skb = genlmsg_new(dmpool_nl_file_size(), GFP_KERNEL);
	int err;

	if (!skb)
		return -ENOMEM;
	err = dmpool_nl_fill_file(skb, pool_id, f, info->snd_portid,
				  info->snd_seq, 0);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

/* The FILE_NAME of a request, required and valid; NULL with the extack. */
static const char *dmpool_nl_file_name(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[DMPOOL_A_FILE_NAME];
	const char *name;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "FILE_NAME is required");
		return NULL;
	}
	name = nla_data(attr);
	if (!dmpool_file_name_valid(name, strlen(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "invalid file name: 1 to 255 bytes without '/', not . or ..");
		return NULL;
	}
	return name;
}

/* An extack message for the errors of the file layer. */
static void dmpool_nl_file_err(struct genl_info *info, int err)
{
	switch (err) {
	case -ENOTCONN:
		NL_SET_ERR_MSG(info->extack,
			       "no cluster lock manager on this node: start corosync and dlm_controld");
		break;
	case -EUCLEAN:
		NL_SET_ERR_MSG(info->extack,
			       "the pool's first 64 KiB are not a file directory");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG(info->extack,
			       "no room: the pool lacks a free range of that size, or its directory is full");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG(info->extack, "a file of this name exists");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(info->extack, "no file of this name");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG(info->extack, "the file is open on some node");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG(info->extack, "out of memory");
		break;
	}
}

/* FILE_NEW's size (required, at least 1), permits and mode, in range. */
static int dmpool_nl_file_new_check(struct genl_info *info)
{
	struct nlattr *size = info->attrs[DMPOOL_A_FILE_SIZE];
	struct nlattr *permits = info->attrs[DMPOOL_A_FILE_PERMITS];
	struct nlattr *mode = info->attrs[DMPOOL_A_FILE_MODE];

	if (!size) {
		NL_SET_ERR_MSG(info->extack, "FILE_SIZE is required");
		return -EINVAL;
	}
	if (!nla_get_u64(size)) {
		NL_SET_ERR_MSG_ATTR(info->extack, size,
				    "a file has at least one byte");
		return -EINVAL;
	}
	if (permits && (nla_get_u32(permits) < 1 ||
			nla_get_u32(permits) > DMPOOL_PERMITS_MAX)) {
		NL_SET_ERR_MSG_ATTR(info->extack, permits,
				    "semaphore permits are 1 to 64");
		return -EINVAL;
	}
	if (mode && nla_get_u32(mode) & ~0777U) {
		NL_SET_ERR_MSG_ATTR(info->extack, mode,
				    "a mode is permission bits, at most 0777");
		return -EINVAL;
	}
	return 0;
}

int dmpool_nl_file_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct dmpool_file_info *f;
	struct dmpool_pool *pool;
	const char *name;
	int err;

	err = dmpool_nl_check_attrs(attrs, info->extack,
				    DMPOOL_NL_FILE_POOL |
				    BIT(DMPOOL_A_FILE_NAME) |
				    BIT(DMPOOL_A_FILE_SIZE) |
				    BIT(DMPOOL_A_FILE_PERMITS) |
				    BIT(DMPOOL_A_FILE_MODE));
	if (err)
		return err;
	name = dmpool_nl_file_name(info);
	if (!name || dmpool_nl_file_new_check(info))
		return -EINVAL;
	pool = dmpool_nl_pool_find(attrs, info->extack);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		err = -ENOMEM;
		goto out_put;
	}
	err = dmpool_files_create(pool, name, strlen(name),
				  nla_get_u64(attrs[DMPOOL_A_FILE_SIZE]),
				  attrs[DMPOOL_A_FILE_PERMITS] ?
				  nla_get_u32(attrs[DMPOOL_A_FILE_PERMITS]) : 1,
				  attrs[DMPOOL_A_FILE_MODE] ?
				  nla_get_u32(attrs[DMPOOL_A_FILE_MODE]) : 0644,
				  f);
	if (err)
		dmpool_nl_file_err(info, err);
	else
		err = dmpool_nl_file_reply(info, pool->id, f);
	kfree(f);
out_put:
	dmpool_pool_put(pool);
	return err;
}

int dmpool_nl_file_del(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_pool *pool;
	const char *name;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    DMPOOL_NL_FILE_POOL |
				    BIT(DMPOOL_A_FILE_NAME));
	if (err)
		return err;
	name = dmpool_nl_file_name(info);
	if (!name)
		return -EINVAL;
	pool = dmpool_nl_pool_find(info->attrs, info->extack);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	err = dmpool_files_delete(pool, name, strlen(name));
	dmpool_nl_file_err(info, err);
	dmpool_pool_put(pool);
	return err;
}

/* dmpool_files_list() callback of FILE_GET's doit: find one name. */
struct dmpool_nl_file_find {
	const char *name;
	struct dmpool_file_info *out;
	bool found;
};

static int dmpool_nl_file_find_fn(const struct dmpool_file_info *f, void *arg)
{
	struct dmpool_nl_file_find *ff = arg;

	if (strcmp(f->name, ff->name))
		return 0;
	*ff->out = *f;
	ff->found = true;
	return 1;
}

int dmpool_nl_file_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_nl_file_find ff = {};
	struct dmpool_pool *pool;
	int err;

	err = dmpool_nl_check_attrs(info->attrs, info->extack,
				    DMPOOL_NL_FILE_POOL |
				    BIT(DMPOOL_A_FILE_NAME));
	if (err)
		return err;
	ff.name = dmpool_nl_file_name(info);
	if (!ff.name)
		return -EINVAL;
	pool = dmpool_nl_pool_find(info->attrs, info->extack);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	ff.out = kzalloc(sizeof(*ff.out), GFP_KERNEL);
	err = -ENOMEM;
	if (ff.out)
		err = dmpool_files_list(pool, 0, dmpool_nl_file_find_fn, &ff);
	if (err >= 0)
		err = ff.found ? dmpool_nl_file_reply(info, pool->id, ff.out) :
				 -ENOENT;
	dmpool_nl_file_err(info, err);
	kfree(ff.out);
	dmpool_pool_put(pool);
	return err;
}

/*
 * Dump position: the pool (looked up again each time) and the directory
 * slot to go on from; the request is checked on the first call.
 */
struct dmpool_nl_file_dump_ctx {
	u64 pool_id;
	unsigned int next_slot;
	bool checked;
	bool done;
};

/* dmpool_files_list() callback of the dump: one message per file. */
struct dmpool_nl_file_dump_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u64 pool_id;
};

static int dmpool_nl_file_dump_fn(const struct dmpool_file_info *f, void *arg)
{
	struct dmpool_nl_file_dump_arg *a = arg;

	/* Full: stop here; the walk resumes at this file's slot. */
	return dmpool_nl_fill_file(a->skb, a->pool_id, f,
				   NETLINK_CB(a->cb->skb).portid,
				   a->cb->nlh->nlmsg_seq, NLM_F_MULTI) ? 1 : 0;
}

int dmpool_nl_file_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmpool_nl_file_dump_ctx *ctx = (void *)cb->ctx;
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct dmpool_nl_file_dump_arg a = { .skb = skb, .cb = cb };
	struct dmpool_pool *pool;
	int ret;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	if (ctx->done)
		return 0;
	if (!ctx->checked) {
		ret = dmpool_nl_check_attrs(attrs, cb->extack,
					    DMPOOL_NL_FILE_POOL);
		if (ret)
			return ret;
		pool = dmpool_nl_pool_find(attrs, cb->extack);
		if (IS_ERR(pool))
			return PTR_ERR(pool);
		ctx->pool_id = pool->id;
		ctx->checked = true;
	} else {
		pool = dmpool_pool_get(ctx->pool_id, NULL);
		if (!pool)
			return -ENOENT;
	}
	a.pool_id = pool->id;
	/* A walk that stops at slot S resumes there; 0 means it ended. */
	ret = dmpool_files_list(pool, ctx->next_slot, dmpool_nl_file_dump_fn,
				&a);
	dmpool_pool_put(pool);
	if (ret < 0)
		return ret;
	if (ret == 0)
		ctx->done = true;
	else
		ctx->next_slot = ret;
	return skb->len;
}

/*
 * FILE_SET: POOL_ID or POOL_NAME, FILE_NAME, and any of FILE_UID,
 * FILE_GID, FILE_MODE, GRANTS; the change is made under the directory
 * lock (dmpool_files_set()).
 */
int dmpool_nl_file_set(struct sk_buff *skb, struct genl_info *info)
{
	struct dmpool_file_info *f;
	struct dmpool_policy *p;
	struct dmpool_pool *pool;
	const char *name;
	u32 mask;
	int err;

	err = dmpool_nl_check_attrs_hi(info->attrs, info->extack,
				       DMPOOL_NL_FILE_POOL |
				       BIT(DMPOOL_A_FILE_NAME) |
				       BIT(DMPOOL_A_FILE_UID) |
				       BIT(DMPOOL_A_FILE_GID) |
				       BIT(DMPOOL_A_FILE_MODE),
				       DMPOOL_NL_HI(DMPOOL_A_GRANTS));
	if (err)
		return err;
	name = dmpool_nl_file_name(info);
	if (!name)
		return -EINVAL;
	p = dmpool_nl_policy_change(info, &dmpool_nl_file_policy_types, &mask,
				    &pool);
	if (IS_ERR(p))
		return PTR_ERR(p);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	err = f ? dmpool_files_set(pool, name, strlen(name), p, mask, f) :
		  -ENOMEM;
	dmpool_nl_file_err(info, err);
	kfree(f);
	dmpool_pool_put(pool);
	kfree(p);
	return err;
}
