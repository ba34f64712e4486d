/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-line messages dmpoolctl prints when something fails.
 */
#ifndef DMPOOLCTL_ERRMSG_H
#define DMPOOLCTL_ERRMSG_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "nlclient.h"

/* Room for a pool, an escaped file name (output.h) and the reason. */
#define ERRMSG_MAX 1536

/*
 * The message for a failed @cmd on @subject (may be NULL: a pool name or
 * "ID N" for pool commands, "peer N" / "node N" for the others, "pool P"
 * or "pool P, file F" for the file commands) that ended
 * with @st and @err.  Pure; returns @buf.
 */
const char *errmsg(enum cli_command cmd, const char *subject,
		   enum ctl_status st, const struct ctl_err *err,
		   char *buf, size_t len);

/* "ABI mismatch: module N, dmpoolctl M". */
const char *errmsg_abi(uint32_t module_abi, uint32_t tool_abi, char *buf,
		       size_t len);

/*
 * Append the store's figures to a "does not fit" message MSG (in BUF):
 * "MSG: R bytes requested, F bytes free of C".  The module's extack text
 * is a literal, so the figures come from VERSION_GET.  Without them
 * (VER NULL or incomplete) MSG is returned unchanged.
 */
const char *errmsg_nospace(const char *msg, uint64_t requested,
			   const struct ctl_version *ver, char *buf,
			   size_t len);

/*
 * Append this node's figures to a "share does not fit" message MSG:
 * "MSG: 8 MiB needed here, 4 MiB free of 64 MiB exposed".  SELF is this
 * node's MEM_GET entry; without it MSG is returned unchanged.
 */
const char *errmsg_share(const char *msg, uint64_t share,
			 const struct ctl_mem *self, char *buf, size_t len);

/* "MSG: 64 MiB requested, 128 MiB committed to pools" (mem expose EBUSY). */
const char *errmsg_expose_busy(const char *msg, uint64_t requested,
			       const struct ctl_version *ver, char *buf,
			       size_t len);

/* The refusal of a command that needs DMPOOL_FEAT_REMOTE. */
const char *errmsg_no_remote(char *buf, size_t len);

/* The refusal of a file command: the module lacks DMPOOL_FEAT_FILES. */
const char *errmsg_no_files(char *buf, size_t len);

#endif /* DMPOOLCTL_ERRMSG_H */
