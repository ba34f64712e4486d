/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl file load, dump, append, update: the data commands of a file.
 *
 * The pure parts (fileio_core.c, unit-tested): splitting a byte range of a
 * pool by the home node of each extent, the progress line, the summary
 * line, SHA-256 (OpenSSL's EVP API) and the messages of failed system
 * calls.  The I/O itself is fileio.c's.
 */
#ifndef DMPOOLCTL_FILEIO_H
#define DMPOOLCTL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "nlclient.h"

/* A run of bytes homed on one node: at @pos of the range, @len bytes. */
struct fio_seg {
	uint64_t pos;
	uint64_t len;
};

/* The segments of a range homed on one node (0: a pool that is not placed). */
struct fio_group {
	uint32_t node;
	uint64_t bytes;		/* sum of the segments' lengths */
	size_t nseg;
	struct fio_seg *seg;	/* in range order */
};

/*
 * Split the @len bytes at pool offset @off by the first home of each
 * extent of @extent bytes (@map: @replicas node IDs per extent, @map_len
 * entries).  A pool that is not placed (@extent 0 or @map_len 0) is one
 * group of node 0.  Adjacent extents of one home make one segment.
 * Groups come sorted by node ID.  Returns 0 and a malloc'd array (free it
 * with fio_groups_free()), or -1: ENOMEM, or EINVAL when the map does not
 * cover the range or @replicas is 0.  @len 0 gives no group.
 */
int fio_split(uint64_t off, uint64_t len, uint64_t extent, uint32_t replicas,
	      const uint32_t *map, size_t map_len, struct fio_group **groups,
	      size_t *ngroups);
void fio_groups_free(struct fio_group *groups, size_t n);

/* Megabytes (10^6 bytes) per second; 0 when @secs is not positive. */
double fio_rate(uint64_t bytes, double secs);

/*
 * The progress line, without "\r" or newline:
 * "[=========>          ]  45%  12.3 MiB / 27 MiB  35.2 MB/s", the bar
 * @width characters between the brackets (at least 1).  @total 0 shows a
 * full bar.  Returns @buf.
 */
const char *fio_progress_format(char *buf, size_t len, uint64_t done,
				uint64_t total, double secs, int width);

/* Enough for a progress line with a bar of up to 60 characters. */
#define FIO_PROGRESS_MAX 160

/* SHA-256 */
#define FIO_SHA256_LEN 32
#define FIO_SHA256_HEX (2 * FIO_SHA256_LEN + 1)

struct fio_sha;

/* A new digest; NULL if OpenSSL failed (out of memory). */
struct fio_sha *fio_sha_new(void);
int fio_sha_update(struct fio_sha *sha, const void *data, size_t len);
/* Finish, write the lowercase hex digest to @hex and free @sha. */
int fio_sha_final(struct fio_sha *sha, char hex[FIO_SHA256_HEX]);
/* Free an unfinished digest; accepts NULL. */
void fio_sha_free(struct fio_sha *sha);
/* One-shot digest of @len bytes at @data; 0 or -1. */
int fio_sha256_hex(const void *data, size_t len, char hex[FIO_SHA256_HEX]);

/* What was done, for the summary line and -j. */
struct fio_result {
	enum cli_command cmd;
	const char *pool;	/* as named on the command line */
	const char *name;	/* the file, escaped for a terminal */
	const char *local;	/* the local file; "-" stdin/stdout */
	uint64_t offset;	/* first byte of the file written or read */
	uint64_t bytes;
	double secs;
	char sha256[FIO_SHA256_HEX];	/* of the data */
	bool verified;		/* read back from the pool and equal */
	bool created;		/* load: the file was created */
	uint64_t still_cached;	/* pages not dropped before the read-back */
};

/*
 * The summary line, without the newline, e.g.
 * "loaded 5 bytes into P/N in 0.20 s (0.0 MB/s), sha256 OK".
 * Returns @buf.
 */
const char *fio_summary(const struct fio_result *r, char *buf, size_t len);

/* Writes @r as a JSON object to @out; 0 or -1. */
int fio_json(FILE *out, const struct fio_result *r);

/*
 * The reason a file ioctl failed with errno @e, in words for an admin:
 * "no cluster lock manager on this node (...)".
 */
const char *fio_errtext(int e);

/* Run one of the data commands (main.c). */
int run_fileio(struct ctl_nl *nl, const struct cli *cli);

#endif /* DMPOOLCTL_FILEIO_H */
