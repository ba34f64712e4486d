/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing a file whole or not at all (atomicfile.c).
 */
#ifndef DMPOOLCTL_ATOMICFILE_H
#define DMPOOLCTL_ATOMICFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write @text to @path atomically (a temporary file beside it, fsync'd,
 * then renamed; without @force linked, so an existing @path is never
 * replaced), mode 0644.  0, or -1 with a reason in @why.
 */
int conf_write_atomic(const char *path, const char *text, bool force,
		      char *why, size_t len);

#endif /* DMPOOLCTL_ATOMICFILE_H */
