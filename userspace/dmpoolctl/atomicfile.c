// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a file whole or not at all (cluster init's corosync.conf).
 *
 * The text goes to a temporary file beside the target, is flushed to disk
 * and then moved into place in one step, so a reader never sees half a
 * file.  Without force an existing file is never replaced: the temporary
 * file is link()ed to the name, which fails if the name exists, even if
 * it appeared a moment ago.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"

int conf_write_atomic(const char *path, const char *text, bool force,
		      char *why, size_t len)
{
	size_t n = strlen(text), done = 0;
	char *tmp;
	int fd, ret = -1;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, len, "cannot create a file beside %s: %s", path,
			 strerror(errno));
		free(tmp);
		return -1;
	}
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		done += (size_t)w;
	}
	if (done < n || fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		snprintf(why, len, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (force ? rename(tmp, path) < 0 : link(tmp, path) < 0) {
		if (errno == EEXIST)
			snprintf(why, len,
				 "%s exists: use --force to replace it", path);
		else
			snprintf(why, len, "cannot write %s: %s", path,
				 strerror(errno));
		goto out;
	}
	ret = 0;
out:
	close(fd);
	if (ret < 0 || !force)
		unlink(tmp);
	free(tmp);
	return ret;
}
