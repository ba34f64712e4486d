// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dmpoolctl's error messages (dmpoolctl/errmsg.c): the
 * fixed messages the issue asks for, extack first, errno fallbacks.
 */
#include <errno.h>

#include "errmsg.h"
#include "unit.h"

static char buf[ERRMSG_MAX];

static const char *kernel(enum cli_command cmd, const char *subject, int error,
			  const char *extack)
{
	struct ctl_err err;

	memset(&err, 0, sizeof(err));
	err.ack.error = error;
	snprintf(err.ack.msg, sizeof(err.ack.msg), "%s", extack);
	return errmsg(cmd, subject, CTL_KERNEL, &err, buf, sizeof(buf));
}

static void test_fixed_messages(void)
{
	struct ctl_err err;

	memset(&err, 0, sizeof(err));
	CHECK_STR(errmsg(CMD_POOL_LIST, NULL, CTL_NO_FAMILY, &err, buf,
			 sizeof(buf)),
		  "dmpool module not loaded (modprobe dmpool)");
	CHECK_STR(kernel(CMD_POOL_CREATE, "x", -EPERM, ""),
		  "permission denied: needs CAP_NET_ADMIN");
	/* EPERM wins even over an extack message. */
	CHECK_STR(kernel(CMD_POOL_CREATE, "x", -EPERM, "Operation not permitted"),
		  "permission denied: needs CAP_NET_ADMIN");
	CHECK_STR(errmsg_abi(2, 1, buf, sizeof(buf)),
		  "ABI mismatch: module 2, dmpoolctl 1");
}

static void test_extack_first(void)
{
	CHECK_STR(kernel(CMD_POOL_CREATE, "big", -ENOSPC,
			 "store has 12 MiB free, pool needs 64 MiB"),
		  "pool big: store has 12 MiB free, pool needs 64 MiB");
	CHECK_STR(kernel(CMD_POOL_SHOW, "x", -ENOENT, "no pool with this name"),
		  "pool x: no pool with this name");
	CHECK_STR(kernel(CMD_POOL_LIST, NULL, -EINVAL, "bad dump"), "bad dump");
}

static void test_errno_fallbacks(void)
{
	CHECK_STR(kernel(CMD_POOL_SHOW, "ghost", -ENOENT, ""),
		  "pool ghost: no such pool");
	CHECK_STR(kernel(CMD_POOL_DESTROY, "ID 4", -ENOENT, ""),
		  "pool ID 4: no such pool");
	CHECK_STR(kernel(CMD_POOL_CREATE, "dup", -EEXIST, ""),
		  "pool dup: a pool with this name already exists");
	CHECK(strstr(kernel(CMD_POOL_DESTROY, "held", -EBUSY, ""),
		     "--force") != NULL);
	CHECK(strstr(kernel(CMD_POOL_CREATE, "x", -EBUSY, ""),
		     "--force") == NULL);
	CHECK_STR(kernel(CMD_POOL_CREATE, "big", -ENOSPC, ""),
		  "pool big: not enough memory in this node's store for the pool");
	CHECK_STR(kernel(CMD_POOL_CREATE, "x", -EMFILE, ""),
		  "pool x: too many pools on this node");
	CHECK_STR(kernel(CMD_POOL_LIST, NULL, -EINVAL, ""),
		  "the module rejected the request as invalid");
	/* Anything else: strerror. */
	CHECK_STR(kernel(CMD_POOL_LIST, NULL, -ENOMEM, ""),
		  strerror(ENOMEM));
}

static void test_local_and_bad_reply(void)
{
	struct ctl_err err;

	memset(&err, 0, sizeof(err));
	strcpy(err.detail, "malformed reply from the module: attribute POOL_ID missing");
	CHECK_STR(errmsg(CMD_POOL_SHOW, "x", CTL_BAD_REPLY, &err, buf, sizeof(buf)),
		  "malformed reply from the module: attribute POOL_ID missing");
	strcpy(err.detail, "sending the request: Object not found");
	CHECK_STR(errmsg(CMD_POOL_SHOW, "x", CTL_LOCAL, &err, buf, sizeof(buf)),
		  "sending the request: Object not found");
}

static void test_nospace_figures(void)
{
	struct ctl_version ver = {
		.has_capacity = true, .has_committed = true,
		.store_capacity = 8192, .store_committed = 4096,
	};

	CHECK_STR(errmsg_nospace("pool big: no room", 12288, &ver, buf,
				 sizeof(buf)),
		  "pool big: no room: 12288 bytes requested, 4096 bytes free of 8192");
	/* The message may already live in the buffer. */
	snprintf(buf, sizeof(buf), "pool b: no room");
	CHECK_STR(errmsg_nospace(buf, 1, &ver, buf, sizeof(buf)),
		  "pool b: no room: 1 bytes requested, 4096 bytes free of 8192");
	/* Over-committed figures never wrap. */
	ver.store_committed = 16384;
	CHECK(strstr(errmsg_nospace("m", 1, &ver, buf, sizeof(buf)),
		     " 0 bytes free of 8192") != NULL);
	/* Without figures the message stays as it is. */
	ver.has_capacity = false;
	CHECK_STR(errmsg_nospace("m", 1, &ver, buf, sizeof(buf)), "m");
	CHECK_STR(errmsg_nospace("m", 1, NULL, buf, sizeof(buf)), "m");
}

static void test_remote_errnos(void)
{
	CHECK_STR(kernel(CMD_MEM_EXPOSE, NULL, -EBUSY, ""),
		  "cannot expose less memory than is committed to pools");
	CHECK_STR(kernel(CMD_MEM_EXPOSE, NULL, -EINVAL, ""),
		  "cannot expose more memory than this node has");
	CHECK_STR(kernel(CMD_MEM_EXPOSE, NULL, -EINVAL, "more than RAM"),
		  "more than RAM");
	CHECK_STR(kernel(CMD_POOL_INSTALL, "big", -ENOSPC, ""),
		  "pool big: this node's share of the pool does not fit its exposed memory");
	CHECK_STR(kernel(CMD_POOL_INSTALL, "big", -ENOTCONN, ""),
		  "pool big: this node has no ID yet (dmpoolctl node set)");
	CHECK_STR(kernel(CMD_POOL_CREATE, "big", -ENOTCONN, ""),
		  "pool big: this node has no ID yet (dmpoolctl node set)");
	CHECK(strstr(kernel(CMD_POOL_INSTALL, "big", -EOPNOTSUPP, ""),
		     "replication is not implemented") != NULL);
	CHECK(strstr(kernel(CMD_POOL_INSTALL, "big", -EINVAL, ""),
		     "wrong map length") != NULL);
	/* The kernel's text first, as everywhere. */
	CHECK_STR(kernel(CMD_POOL_INSTALL, "big", -EINVAL, "map has 3 entries, not 16"),
		  "pool big: map has 3 entries, not 16");
	CHECK_STR(kernel(CMD_POOL_INSTALL, "big", -EEXIST, ""),
		  "pool big: a pool with this ID or name already exists");
	CHECK_STR(kernel(CMD_PEER_SHOW, "peer 4", -ENOENT, ""),
		  "peer 4: no such peer");
	CHECK(strstr(errmsg_no_remote(buf, sizeof(buf)), "'remote'") != NULL);
}

static void test_file_errnos(void)
{
	/* The module's words first, after the pool and the file; else
	 * what the errno means for a file. */
	static const struct {
		enum cli_command cmd;
		const char *subject;
		int error;
		const char *extack, *want;
	} cases[] = {
		{ CMD_FILE_CREATE, "pool cache, file log", -EEXIST,
		  "a file of this name exists",
		  "pool cache, file log: a file of this name exists" },
		{ CMD_FILE_LIST, "pool ID 9", -ENOENT, "no pool with this ID",
		  "pool ID 9: no pool with this ID" },
		{ CMD_FILE_SHOW, "pool p, file f", -ENOENT, "",
		  "pool p, file f: no such pool or file" },
		{ CMD_FILE_DELETE, "pool p, file f", -EBUSY, "",
		  "pool p, file f: the file is open on some node" },
		{ CMD_FILE_CREATE, "pool p, file f", -ENOSPC, "",
		  "pool p, file f: no room in the pool for the file" },
		{ CMD_FILE_LIST, "pool p", -ENOTCONN, "",
		  "pool p: no cluster lock manager on this node (corosync and dlm_controld)" },
		{ CMD_FILE_LIST, "pool p", -EUCLEAN, "",
		  "pool p: the pool's first 64 KiB are not a file directory" },
		{ CMD_FILE_CREATE, "pool p, file f", -EINVAL, "",
		  "pool p, file f: the module rejected the request as invalid" },
		{ CMD_FILE_DELETE, "pool p, file f", -EPERM, "",
		  "permission denied: needs CAP_NET_ADMIN" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(kernel(cases[i].cmd, cases[i].subject, cases[i].error,
				 cases[i].extack), cases[i].want);
	CHECK(strstr(errmsg_no_files(buf, sizeof(buf)), "'files'") != NULL);
}

static void test_remote_figures(void)
{
	struct ctl_mem self = { .node_id = 1, .self = true,
				.capacity = 64 << 20, .committed = 60 << 20 };
	struct ctl_version ver = { .has_committed = true,
				   .store_committed = 128 << 20 };

	CHECK_STR(errmsg_share("pool big: no room", 8 << 20, &self, buf,
			       sizeof(buf)),
		  "pool big: no room: 8 MiB needed here, 4 MiB free of 64 MiB exposed");
	CHECK_STR(errmsg_share("m", 1, NULL, buf, sizeof(buf)), "m");
	snprintf(buf, sizeof(buf), "busy");
	CHECK_STR(errmsg_expose_busy(buf, 64 << 20, &ver, buf, sizeof(buf)),
		  "busy: 64 MiB requested, 128 MiB committed to pools");
	ver.has_committed = false;
	CHECK_STR(errmsg_expose_busy("busy", 1, &ver, buf, sizeof(buf)), "busy");
}

int main(void)
{
	RUN(test_fixed_messages);
	RUN(test_extack_first);
	RUN(test_errno_fallbacks);
	RUN(test_local_and_bad_reply);
	RUN(test_nospace_figures);
	RUN(test_remote_errnos);
	RUN(test_file_errnos);
	RUN(test_remote_figures);
	return unit_done();
}
