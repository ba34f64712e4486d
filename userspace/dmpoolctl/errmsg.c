// SPDX-License-Identifier: GPL-2.0
/*
 * Error messages for dmpoolctl.
 *
 * Order of preference, so that the user always gets the most specific
 * reason available:
 *
 *  1. EPERM has one fixed message naming the capability needed (the
 *     kernel's GENL_ADMIN_PERM check carries no extack text);
 *  2. the module's own extack message, verbatim, when it sent one;
 *  3. a message chosen here from the errno and the command;
 *  4. strerror() for anything else.
 *
 * Messages about one pool start with "pool NAME: " (or "pool ID N: ") so
 * the user sees which pool the module was talking about; those about a
 * node, a peer or a file start with the subject as given ("peer 3: ",
 * "pool cache, file log: ").
 *
 * Kept free of I/O so the unit tests can check every branch.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "size.h"

/* Rule 3: what an errno means for a given command. */
static bool is_transport_cmd(enum cli_command cmd)
{
	return cmd == CMD_NODE_SET || cmd == CMD_NODE_SHOW ||
	       cmd == CMD_KEY_SET || cmd == CMD_PEER_ADD ||
	       cmd == CMD_PEER_DEL || cmd == CMD_PEER_LIST ||
	       cmd == CMD_PEER_SHOW;
}

static bool is_mem_cmd(enum cli_command cmd)
{
	return cmd == CMD_MEM_EXPOSE || cmd == CMD_MEM_SHOW;
}

/*
 * What an errno means for the file commands (the module's own words
 * usually come first: it explains each of these).
 */
static const char *file_text(int e)
{
	static const struct {
		int e;
		const char *text;
	} texts[] = {
		{ ENOENT, "no such pool or file" },
		{ EEXIST, "a file of this name already exists" },
		{ EBUSY, "the file is open on some node" },
		{ ENOSPC, "no room in the pool for the file" },
		{ ENOTCONN, "no cluster lock manager on this node (corosync and dlm_controld)" },
		{ EUCLEAN, "the pool's first 64 KiB are not a file directory" },
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].e == e)
			return texts[i].text;
	return NULL;
}

/* What an errno means for pool install (and pool create --cluster). */
static const char *placed_text(int e)
{
	switch (e) {
	case EEXIST:
		return "a pool with this ID or name already exists";
	case ENOSPC:
		return "this node's share of the pool does not fit its exposed memory";
	case ENOTCONN:
		return "this node has no ID yet (dmpoolctl node set)";
	case EOPNOTSUPP:
		return "replication is not implemented yet: a placed pool has 1 replica";
	case EINVAL:
		return "the module rejected the pool: wrong map length for the size, an unknown node or a bad extent size";
	default:
		return NULL;
	}
}

static const char *errno_text(enum cli_command cmd, int e)
{
	if (is_mem_cmd(cmd)) {
		switch (e) {
		case EBUSY:
			return "cannot expose less memory than is committed to pools";
		case EINVAL:
			return "cannot expose more memory than this node has";
		case EOPNOTSUPP:
			return "the module does not support this command";
		default:
			return NULL;
		}
	}
	if (cli_is_file_cmd(cmd) && file_text(e))
		return file_text(e);
	if (cmd == CMD_POOL_INSTALL ||
	    (cmd == CMD_POOL_CREATE && (e == ENOTCONN || e == EOPNOTSUPP)))
		return placed_text(e);
	if (is_transport_cmd(cmd)) {
		switch (e) {
		case ENOENT:
			return "no such peer";
		case EEXIST:
			return "a peer with this ID already exists";
		case EBUSY:
			return "delete all peers before changing this node's identity";
		case ENOTCONN:
			return "this node has no ID yet (dmpoolctl node set)";
		case ENOKEY:
			return "no cluster key is set (dmpoolctl key set)";
		case EADDRINUSE:
			return "the port is in use";
		case EADDRNOTAVAIL:
			return "the address is not one of this node's";
		case EINVAL:
			return "the module rejected the request as invalid";
		case EOPNOTSUPP:
			return "the module does not support this command";
		default:
			return NULL;
		}
	}
	switch (e) {
	case ENOENT:
		return "no such pool";
	case EEXIST:
		return "a pool with this name already exists";
	case EBUSY:
		return cmd == CMD_POOL_DESTROY ?
		       "pool is attached by an application (--force destroys it anyway)" :
		       "pool is busy";
	case ENOSPC:
		return "not enough memory in this node's store for the pool";
	case EMFILE:
		return "too many pools on this node";
	case EINVAL:
		return "the module rejected the request as invalid";
	case EOPNOTSUPP:
		return "the module does not support this command";
	default:
		return NULL;
	}
}

const char *errmsg(enum cli_command cmd, const char *subject,
		   enum ctl_status st, const struct ctl_err *err,
		   char *buf, size_t len)
{
	const char *text;
	int e;

	switch (st) {
	case CTL_OK:
		snprintf(buf, len, "success");
		return buf;
	case CTL_NO_FAMILY:
		snprintf(buf, len, "dmpool module not loaded (modprobe dmpool)");
		return buf;
	case CTL_BAD_REPLY:
	case CTL_LOCAL:
		snprintf(buf, len, "%s", err->detail);
		return buf;
	case CTL_KERNEL:
		break;
	}

	e = err->ack.error < 0 ? -err->ack.error : err->ack.error;
	if (e == EPERM) {
		snprintf(buf, len, "permission denied: needs CAP_NET_ADMIN");
		return buf;
	}
	if (err->ack.msg[0])
		text = err->ack.msg;
	else
		text = errno_text(cmd, e);
	if (!text)
		text = strerror(e);
	if (subject && (is_transport_cmd(cmd) || is_mem_cmd(cmd) ||
			cli_is_file_cmd(cmd)))
		snprintf(buf, len, "%s: %s", subject, text);
	else if (subject)
		snprintf(buf, len, "pool %s: %s", subject, text);
	else
		snprintf(buf, len, "%s", text);
	return buf;
}

const char *errmsg_nospace(const char *msg, uint64_t requested,
			   const struct ctl_version *ver, char *buf,
			   size_t len)
{
	char copy[ERRMSG_MAX];
	uint64_t free_bytes;

	if (!ver || !ver->has_capacity || !ver->has_committed)
		return msg;
	free_bytes = ver->store_committed < ver->store_capacity ?
		     ver->store_capacity - ver->store_committed : 0;
	/* msg may live in buf. */
	snprintf(copy, sizeof(copy), "%s", msg);
	snprintf(buf, len,
		 "%s: %llu bytes requested, %llu bytes free of %llu", copy,
		 (unsigned long long)requested,
		 (unsigned long long)free_bytes,
		 (unsigned long long)ver->store_capacity);
	return buf;
}

/* A copy of @msg (which may live in the output buffer) and a suffix. */
static const char *append(const char *msg, char *buf, size_t len,
			  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static const char *append(const char *msg, char *buf, size_t len,
			  const char *fmt, ...)
{
	char copy[ERRMSG_MAX], tail[ERRMSG_MAX];
	va_list ap;

	snprintf(copy, sizeof(copy), "%s", msg);
	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), fmt, ap);
	va_end(ap);
	snprintf(buf, len, "%s%s", copy, tail);
	return buf;
}

const char *errmsg_share(const char *msg, uint64_t share,
			 const struct ctl_mem *self, char *buf, size_t len)
{
	char a[SIZE_FMT_MAX], b[SIZE_FMT_MAX], c[SIZE_FMT_MAX];

	if (!self)
		return msg;
	return append(msg, buf, len, ": %s needed here, %s free of %s exposed",
		      size_format(share, a, sizeof(a)),
		      size_format(mem_free(self), b, sizeof(b)),
		      size_format(self->capacity, c, sizeof(c)));
}

const char *errmsg_expose_busy(const char *msg, uint64_t requested,
			       const struct ctl_version *ver, char *buf,
			       size_t len)
{
	char a[SIZE_FMT_MAX], b[SIZE_FMT_MAX];

	if (!ver || !ver->has_committed)
		return msg;
	return append(msg, buf, len, ": %s requested, %s committed to pools",
		      size_format(requested, a, sizeof(a)),
		      size_format(ver->store_committed, b, sizeof(b)));
}

const char *errmsg_no_remote(char *buf, size_t len)
{
	snprintf(buf, len,
		 "this dmpool module has no placed pools or exposed memory (feature 'remote' missing): load a newer dmpool.ko");
	return buf;
}

const char *errmsg_no_files(char *buf, size_t len)
{
	snprintf(buf, len,
		 "this dmpool module has no files (feature 'files' missing): load a newer dmpool.ko");
	return buf;
}

const char *errmsg_abi(uint32_t module_abi, uint32_t tool_abi, char *buf,
		       size_t len)
{
	snprintf(buf, len, "ABI mismatch: module %u, dmpoolctl %u", module_abi,
		 tool_abi);
	return buf;
}
