// SPDX-License-Identifier: GPL-2.0
/*
 * The data commands of dmpoolctl file: load, dump, append, update.
 *
 *	file load POOL NAME LOCALFILE	create NAME sized to LOCALFILE (or use
 *					the existing file if it is large
 *					enough: written from byte 0), write
 *	file append POOL NAME LOCAL|-	grow NAME, write at its old end
 *	file update POOL NAME OFF LOCAL|-	write at OFF, inside the file
 *	file dump POOL NAME [LOCAL|-]	read (a range of) the file out
 *
 * Every command works on the file through /dev/dmpool (libdmpool) under
 * the file's cluster mutex, so it sees the last holder's data and its
 * own data is seen by the next holder on any node (the coherence rules of
 * include/uapi/linux/dmpool.h).  The pool's placement map (POOL_GET) says
 * which node homes each extent: a write splits its range by home and
 * writes each node's share from a thread of its own, which writes that
 * share back (msync(MS_SYNC) of a mapping of it: the module's fsync of
 * that range) before the mutex is released, so write-backs to different
 * homes run in parallel.  (The copies into the page cache themselves are
 * serialized by the module's inode lock: pwrite(2) of one pool.)
 *
 * After a write, the data is read back and its SHA-256 compared with the
 * local data's.  The read-back must come from the homes, not from this
 * node's page cache: the written range is dropped from the cache
 * (posix_fadvise(POSIX_FADV_DONTNEED): the pool's inode has a real
 * backing device, so the generic fadvise drops clean, unmapped pages),
 * mincore(2) of a mapping of the range counts what stayed cached (mapped
 * elsewhere, or dirtied again), and the range is read under a fresh grant
 * of the mutex.  The summary says how many pages were not dropped.
 *
 * Input "-" (stdin) and any local file that is not a regular file is read
 * whole into memory first: its size must be known before the file grows.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/dmpool.h"
#include "errmsg.h"
#include "fileio.h"
#include "output.h"
#include "run.h"
#include "size.h"

#define CHUNK		(1U << 20)	/* bytes per pread/pwrite */
#define TICK_NS		200000000L	/* progress refresh */
#define BAR_WIDTH	30

/* The data to write: a regular file read with pread, or bytes in memory. */
struct fio_src {
	int fd;			/* -1: @buf */
	uint8_t *buf;
	uint64_t size;
};

/* What every command works on. */
struct fio_job {
	const struct cli *cli;
	char subject[DMPOOL_POOL_NAME_MAX + 32 + NAME_ESC_MAX + 16];
	char pool[DMPOOL_POOL_NAME_MAX + 32];
	char name[NAME_ESC_MAX];
	struct ctl_pool pool_info;
	struct ctl_map *map;
	struct dmp_pool *dp;
	struct dmp_file file;
	bool locked;
	bool progress;
	long page;
};

/* ---- messages ------------------------------------------------------------- */

static int fail(const struct fio_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "dmpoolctl: pool P, file F: <what>"; returns EXIT_FAILED. */
static int fail(const struct fio_job *job, const char *fmt, ...)
{
	char msg[ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "dmpoolctl: %s: %s\n", job->subject, msg);
	return EXIT_FAILED;
}

/* ---- the local side ------------------------------------------------------- */

/* Read all of @fd into memory. */
static int slurp(int fd, struct fio_src *src)
{
	size_t cap = 0, used = 0;
	uint8_t *buf = NULL;

	for (;;) {
		ssize_t n;

		if (used == cap) {
			uint8_t *grown;

			cap = cap ? 2 * cap : CHUNK;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	src->fd = -1;
	src->buf = buf;
	src->size = used;
	return 0;
}

static int src_open(const struct fio_job *job, const char *path,
		    struct fio_src *src)
{
	struct stat st;
	int fd, err;

	memset(src, 0, sizeof(*src));
	src->fd = -1;
	if (!strcmp(path, "-")) {
		if (slurp(STDIN_FILENO, src))
			return fail(job, "cannot read stdin: %s", strerror(errno));
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		err = errno;
		if (fd >= 0)
			close(fd);
		return fail(job, "cannot read %s: %s", path, strerror(err));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(job, "cannot read %s: it is a directory", path);
	}
	if (S_ISREG(st.st_mode)) {
		src->fd = fd;
		src->size = (uint64_t)st.st_size;
		return 0;
	}
	err = slurp(fd, src) ? errno : 0;
	close(fd);
	if (err)
		return fail(job, "cannot read %s: %s", path, strerror(err));
	return 0;
}

static void src_close(struct fio_src *src)
{
	if (src->fd >= 0)
		close(src->fd);
	free(src->buf);
	src->fd = -1;
	src->buf = NULL;
}

/* @len bytes at @pos of the source; -1 with errno (EIO: it shrank). */
static int src_read(const struct fio_src *src, void *dst, uint64_t pos,
		    size_t len)
{
	size_t got = 0;

	if (src->fd < 0) {
		memcpy(dst, src->buf + pos, len);
		return 0;
	}
	while (got < len) {
		ssize_t n = pread(src->fd, (uint8_t *)dst + got, len - got,
				  (off_t)(pos + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;	/* the local file shrank under us */
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/* SHA-256 of the whole source, read in order. */
static int src_sha(const struct fio_src *src, char hex[FIO_SHA256_HEX])
{
	struct fio_sha *sha = fio_sha_new();
	uint8_t *buf = malloc(CHUNK);
	uint64_t pos;

	if (!sha || !buf)
		goto fail;
	for (pos = 0; pos < src->size; pos += CHUNK) {
		size_t n = src->size - pos < CHUNK ? (size_t)(src->size - pos) :
			   CHUNK;

		if (src_read(src, buf, pos, n) || fio_sha_update(sha, buf, n))
			goto fail;
	}
	free(buf);
	return fio_sha_final(sha, hex);
fail:
	free(buf);
	fio_sha_free(sha);
	return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf = (const uint8_t *)buf + n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- progress ------------------------------------------------------------- */

struct fio_progress {
	bool on;
	struct timespec t0;
	uint64_t total;
};

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_start(struct fio_progress *pg, bool on, uint64_t total)
{
	pg->on = on;
	pg->total = total;
	clock_gettime(CLOCK_MONOTONIC, &pg->t0);
}

static void progress_show(const struct fio_progress *pg, uint64_t done)
{
	char line[FIO_PROGRESS_MAX];

	if (!pg->on)
		return;
	fprintf(stderr, "\r%s", fio_progress_format(line, sizeof(line), done,
						    pg->total, since(&pg->t0),
						    BAR_WIDTH));
	fflush(stderr);
}

static void progress_end(const struct fio_progress *pg, uint64_t done)
{
	if (!pg->on)
		return;
	progress_show(pg, done);
	fputc('\n', stderr);
}

/* ---- the pool side -------------------------------------------------------- */

/* Explain a failed dmp_*() call on the file; returns EXIT_FAILED. */
static int fail_dmp(const struct fio_job *job, const char *what, int e)
{
	if (e == ENOENT && !strcmp(what, "open"))
		return fail(job, "no file of this name");
	if (e == EACCES || e == EPERM)
		return fail(job, "%s: permission denied%s", what,
			    !strcmp(what, "cannot open /dev/dmpool") ?
			    " (the dmpool device is root's only)" : "");
	return fail(job, "%s: %s", what, fio_errtext(e));
}

/* Take the file's mutex; a dead previous holder is told, not fatal. */
static int lock_file(struct fio_job *job)
{
	if (dmp_mutex_lock(job->dp, &job->file, NULL)) {
		if (errno != EOWNERDEAD)
			return fail_dmp(job, "cannot lock the file's mutex",
					errno);
		fprintf(stderr,
			"dmpoolctl: %s: warning: the previous holder's node died holding the file's mutex; its unreleased writes may be missing\n",
			job->subject);
	}
	job->locked = true;
	return 0;
}

/* Release the mutex: its write-back's error is the release's. */
static int unlock_file(struct fio_job *job)
{
	job->locked = false;
	if (dmp_mutex_unlock(job->dp, &job->file))
		return fail_dmp(job, "writing the file back at unlock failed",
				errno);
	return 0;
}

/* Re-read the file from the directory (size grows on other nodes). */
static int refresh_file(struct fio_job *job)
{
	if (dmp_file_open(job->dp, job->cli->file, &job->file))
		return fail_dmp(job, "open", errno);
	return 0;
}

/*
 * Look up the pool (and its map) over netlink, open /dev/dmpool, attach
 * it and open the file.  With @create_size, a missing file is created with
 * that size; *@created says so.
 */
static int job_open(struct ctl_nl *nl, struct fio_job *job,
		    uint64_t create_size, bool *created)
{
	const struct cli *cli = job->cli;
	struct ctl_err err;
	enum ctl_status st;
	unsigned int mode = cli->has_mode ? cli->mode : 0644;

	job->map = calloc(1, sizeof(*job->map));
	if (!job->map)
		return fail(job, "out of memory");
	st = ctl_pool_get(nl, &cli->sel, &job->pool_info, job->map, &err);
	if (st != CTL_OK)
		return run_fail(cli->cmd, job->subject, st, &err);
	job->dp = dmp_open();
	if (!job->dp)
		return fail_dmp(job, "cannot open /dev/dmpool", errno);
	if (dmp_attach_id(job->dp, job->pool_info.id))
		return fail_dmp(job, "cannot attach the pool", errno);
	if (!dmp_file_open(job->dp, cli->file, &job->file))
		return 0;
	if (errno != ENOENT || !create_size)
		return fail_dmp(job, "open", errno);
	/* EEXIST: another node created it just now; use theirs. */
	*created = !dmp_file_create(job->dp, cli->file, create_size,
				    cli->permits, mode, NULL);
	if (!*created && errno != EEXIST)
		return fail_dmp(job, "cannot create the file", errno);
	if (dmp_file_open(job->dp, cli->file, &job->file))
		return fail_dmp(job, "open", errno);
	return 0;
}

static void job_close(struct fio_job *job)
{
	if (job->locked)
		dmp_mutex_unlock(job->dp, &job->file);
	dmp_close(job->dp);
	free(job->map);
}

/* ---- parallel writes, one thread per home --------------------------------- */

struct fio_writer {
	const struct fio_group *grp;
	const struct fio_src *src;
	uint64_t src_pos;	/* the source byte of range position 0 */
	uint64_t base;		/* the pool offset of range position 0 */
	int fd;
	long page;
	atomic_uint_least64_t *done;
	atomic_int *stop;
	atomic_int *running;
	pthread_t tid;
	int err;		/* errno of the failure */
	const char *what;
};

/* Write @len bytes at pool offset @off home: the module's ranged fsync. */
static int sync_range(int fd, uint64_t off, uint64_t len, long page)
{
	uint64_t start = off & ~(uint64_t)(page - 1);
	size_t maplen = (size_t)(off + len - start);
	void *p;
	int ret;

	p = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, (off_t)start);
	if (p == MAP_FAILED)
		return fdatasync(fd);	/* the whole pool, but correct */
	ret = msync(p, maplen, MS_SYNC);
	munmap(p, maplen);
	return ret;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		buf = (const uint8_t *)buf + n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void *writer_main(void *arg)
{
	struct fio_writer *w = arg;
	uint8_t *buf = malloc(CHUNK);
	size_t i;

	if (!buf) {
		w->err = ENOMEM;
		w->what = "out of memory";
		goto out;
	}
	for (i = 0; i < w->grp->nseg && !atomic_load(w->stop); i++) {
		const struct fio_seg *seg = &w->grp->seg[i];
		uint64_t x;

		for (x = 0; x < seg->len; x += CHUNK) {
			size_t n = seg->len - x < CHUNK ?
				   (size_t)(seg->len - x) : CHUNK;

			if (atomic_load(w->stop))
				goto out;
			if (src_read(w->src, buf, w->src_pos + seg->pos + x, n)) {
				w->err = errno;
				w->what = "cannot read the local data";
				goto out;
			}
			if (pwrite_all(w->fd, buf, n, w->base + seg->pos + x)) {
				w->err = errno;
				w->what = "cannot write into the pool";
				goto out;
			}
			atomic_fetch_add(w->done, n);
		}
		if (sync_range(w->fd, w->base + seg->pos, seg->len, w->page)) {
			w->err = errno;
			w->what = "cannot write the data back to its home";
			goto out;
		}
	}
out:
	if (w->err)
		atomic_store(w->stop, 1);
	free(buf);
	atomic_fetch_sub(w->running, 1);
	return NULL;
}

/*
 * Write @len bytes of @src from @src_pos to the file at @pos, every home's
 * share from its own thread, and write it all back.  The caller holds the
 * mutex.
 */
static int write_range(struct fio_job *job, const struct fio_src *src,
		       uint64_t src_pos, uint64_t pos, uint64_t len)
{
	const struct ctl_pool *p = &job->pool_info;
	uint64_t base = job->file.offset + pos;
	atomic_uint_least64_t done = 0;
	atomic_int stop = 0, running = 0;
	struct fio_writer *w = NULL;
	struct fio_group *groups;
	struct fio_progress pg;
	size_t n, i, started = 0;
	int ret = 0;

	if (fio_split(base, len, p->has_extent_size ? p->extent_size : 0,
		      p->has_replicas ? p->replicas : 1, job->map->node,
		      job->map->n, &groups, &n))
		return fail(job, "cannot split the range by home: %s",
			    errno == EINVAL ? "the pool's map does not cover it" :
			    strerror(errno));
	w = calloc(n ? n : 1, sizeof(*w));
	if (!w) {
		fio_groups_free(groups, n);
		return fail(job, "out of memory");
	}
	progress_start(&pg, job->progress, len);
	for (i = 0; i < n; i++) {
		w[i] = (struct fio_writer){
			.grp = &groups[i], .src = src, .src_pos = src_pos,
			.base = base, .fd = dmp_fd(job->dp), .page = job->page,
			.done = &done, .stop = &stop, .running = &running,
		};
		atomic_fetch_add(&running, 1);
		errno = pthread_create(&w[i].tid, NULL, writer_main, &w[i]);
		if (errno) {
			atomic_fetch_sub(&running, 1);
			atomic_store(&stop, 1);
			ret = fail(job, "cannot start a writer thread: %s",
				   strerror(errno));
			break;
		}
		started++;
	}
	while (atomic_load(&running) > 0) {
		struct timespec ts = { 0, TICK_NS / 4 };

		nanosleep(&ts, NULL);
		progress_show(&pg, atomic_load(&done));
	}
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	progress_end(&pg, atomic_load(&done));
	for (i = 0; i < started && !ret; i++) {
		if (!w[i].err)
			continue;
		ret = fail(job, "%s (homed on node %u): %s", w[i].what,
			   groups[i].node, fio_errtext(w[i].err));
	}
	free(w);
	fio_groups_free(groups, n);
	return ret;
}

/* ---- reading back --------------------------------------------------------- */

/* Pages of [@off, @off + @len) of the pool in this node's page cache. */
static uint64_t cached_pages(int fd, uint64_t off, uint64_t len, long page)
{
	uint64_t start = off & ~(uint64_t)(page - 1), count = 0;
	size_t maplen = (size_t)(off + len - start), i, npages;
	unsigned char *vec;
	void *p;

	npages = (maplen + (size_t)page - 1) / (size_t)page;
	vec = malloc(npages ? npages : 1);
	p = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, (off_t)start);
	if (vec && p != MAP_FAILED && !mincore(p, maplen, vec)) {
		for (i = 0; i < npages; i++)
			count += vec[i] & 1;
	}
	if (p != MAP_FAILED)
		munmap(p, maplen);
	free(vec);
	return count;
}

/*
 * Read @len bytes of the file at @pos in order (the caller holds the
 * mutex): hash them into @hex and, with @out >= 0, write them there.
 */
static int read_range(struct fio_job *job, uint64_t pos, uint64_t len,
		      int out, char hex[FIO_SHA256_HEX])
{
	struct fio_sha *sha = fio_sha_new();
	uint8_t *buf = malloc(CHUNK);
	struct fio_progress pg;
	uint64_t x, base = job->file.offset + pos;
	int ret = 0;

	if (!sha || !buf) {
		ret = fail(job, "out of memory");
		goto out;
	}
	progress_start(&pg, job->progress && out >= 0, len);
	for (x = 0; x < len; x += CHUNK) {
		size_t n = len - x < CHUNK ? (size_t)(len - x) : CHUNK, got = 0;

		while (got < n) {
			ssize_t r = pread(dmp_fd(job->dp), buf + got, n - got,
					  (off_t)(base + x + got));

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				ret = fail(job, "cannot read the pool: %s",
					   r ? fio_errtext(errno) :
					   "it ended early");
				goto out;
			}
			got += (size_t)r;
		}
		if (fio_sha_update(sha, buf, n)) {
			ret = fail(job, "SHA-256 failed");
			goto out;
		}
		if (out >= 0 && write_all(out, buf, n)) {
			ret = fail(job, "cannot write %s: %s",
				   strcmp(job->cli->local, "-") ?
				   job->cli->local : "stdout", strerror(errno));
			goto out;
		}
		if (x / CHUNK % 8 == 0)
			progress_show(&pg, x + n);
	}
	progress_end(&pg, len);
	if (fio_sha_final(sha, hex))
		ret = fail(job, "SHA-256 failed");
	sha = NULL;
out:
	fio_sha_free(sha);
	free(buf);
	return ret;
}

/*
 * Check what was written: drop this node's cached pages of the range, read
 * it back under a fresh grant of the mutex and compare SHA-256 with @want.
 */
static int verify(struct fio_job *job, uint64_t pos, uint64_t len,
		  const char *want, struct fio_result *r)
{
	uint64_t off = job->file.offset + pos, mask = (uint64_t)job->page - 1;
	uint64_t start = off & ~mask, end = (off + len + mask) & ~mask;
	char got[FIO_SHA256_HEX];
	int ret;

	/*
	 * The generic fadvise drops only whole pages of the range: widen it
	 * to the pages it touches (a file's range in the pool is whole
	 * pages).  It returns the error number itself; a failure just
	 * leaves pages cached, which mincore() counts.
	 */
	posix_fadvise(dmp_fd(job->dp), (off_t)start, (off_t)(end - start),
		      POSIX_FADV_DONTNEED);
	r->still_cached = len ? cached_pages(dmp_fd(job->dp), off, len,
					     job->page) : 0;
	ret = lock_file(job);
	if (!ret)
		ret = read_range(job, pos, len, -1, got);
	if (job->locked && unlock_file(job) && !ret)
		ret = EXIT_FAILED;
	if (ret)
		return ret;
	r->verified = !strcmp(got, want);
	if (!r->verified)
		return fail(job, "read back from the pool, the data differs: sha256 %s, the local data's %s",
			    got, want);
	return 0;
}

/* ---- the commands --------------------------------------------------------- */

static int print_result(const struct fio_job *job, const struct fio_result *r)
{
	char line[2048];
	FILE *out = job->cli->cmd == CMD_FILE_DUMP &&
		    !strcmp(job->cli->local, "-") ? stderr : stdout;

	if (job->cli->json)
		return run_written(fio_json(out, r));
	fprintf(out, "%s\n", fio_summary(r, line, sizeof(line)));
	return run_written(fflush(out) ? -1 : 0);
}

/* load, append, update: write @src into the file and check it. */
static int run_write(struct ctl_nl *nl, struct fio_job *job,
		     struct fio_result *r)
{
	const struct cli *cli = job->cli;
	struct timespec t0;
	struct fio_src src;
	char want[FIO_SHA256_HEX];
	uint64_t pos = 0;
	int ret;

	ret = src_open(job, cli->local, &src);
	if (ret)
		return ret;
	r->bytes = src.size;
	if (cli->cmd == CMD_FILE_LOAD && !src.size) {
		ret = fail(job, "%s is empty: nothing to load (a file has at least 1 byte)",
			   cli->local);
		goto out;
	}
	if (src_sha(&src, want)) {
		ret = fail(job, "cannot read the local data: %s",
			   strerror(errno));
		goto out;
	}
	memcpy(r->sha256, want, sizeof(want));
	ret = job_open(nl, job, cli->cmd == CMD_FILE_LOAD ? src.size : 0,
		       &r->created);
	if (ret)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = lock_file(job);
	if (!ret && !r->created)
		ret = refresh_file(job);	/* the size, now that we hold it */
	if (ret)
		goto out;
	switch (cli->cmd) {
	case CMD_FILE_LOAD:
		if (job->file.size < src.size)
			ret = fail(job, "the file is too small: %" PRIu64 " bytes, %s has %" PRIu64 " (delete it first, or load into a new name)",
				   job->file.size, cli->local, src.size);
		break;
	case CMD_FILE_APPEND:
		pos = job->file.size;
		if (src.size && dmp_file_grow(job->dp, &job->file,
					      pos + src.size))
			ret = errno == ENOSPC ?
			      fail(job, "cannot grow the file by %" PRIu64 " bytes: the bytes after it in the pool are taken, or the pool ends",
				   src.size) :
			      fail_dmp(job, "cannot grow the file", errno);
		break;
	default:	/* update */
		pos = cli->offset;
		if (pos > job->file.size || src.size > job->file.size - pos)
			ret = fail(job, "the data does not fit: %" PRIu64 " bytes at offset %" PRIu64 " pass the end of the file (%" PRIu64 " bytes)",
				   src.size, pos, job->file.size);
		break;
	}
	r->offset = pos;
	if (!ret)
		ret = write_range(job, &src, 0, pos, src.size);
	if (job->locked && unlock_file(job) && !ret)
		ret = EXIT_FAILED;
	r->secs = since(&t0);
	if (!ret)
		ret = verify(job, pos, src.size, want, r);
	if (!ret)
		ret = print_result(job, r);
out:
	src_close(&src);
	return ret;
}

/* A temporary file next to @path, with the mode a new file would get. */
static int temp_open(const char *path, char *tmp, size_t len)
{
	char dir[4096], base[4096];
	mode_t mask;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	if ((size_t)snprintf(tmp, len, "%s/.%s.XXXXXX", dirname(dir),
			     basename(base)) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask)) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

static int run_dump(struct ctl_nl *nl, struct fio_job *job,
		    struct fio_result *r)
{
	const struct cli *cli = job->cli;
	bool to_stdout = !strcmp(cli->local, "-"), created = false;
	char tmp[4096 + 32];
	struct timespec t0;
	uint64_t len;
	int ret, fd = STDOUT_FILENO;

	ret = job_open(nl, job, 0, &created);
	if (ret)
		return ret;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = lock_file(job);
	if (!ret)
		ret = refresh_file(job);
	if (ret)
		return ret;
	if (cli->offset > job->file.size)
		return fail(job, "--offset %" PRIu64 " is past the end of the file (%" PRIu64 " bytes)",
			    cli->offset, job->file.size);
	len = job->file.size - cli->offset;
	if (cli->has_length && cli->length < len)
		len = cli->length;
	r->offset = cli->offset;
	r->bytes = len;
	if (!to_stdout) {
		fd = temp_open(cli->local, tmp, sizeof(tmp));
		if (fd < 0)
			return fail(job, "cannot create a file next to %s: %s",
				    cli->local, strerror(errno));
	}
	ret = read_range(job, cli->offset, len, fd, r->sha256);
	if (!ret && !to_stdout && fsync(fd))
		ret = fail(job, "cannot write %s: %s", cli->local,
			   strerror(errno));
	if (!to_stdout && close(fd) && !ret)
		ret = fail(job, "cannot write %s: %s", cli->local,
			   strerror(errno));
	if (!ret && !to_stdout && rename(tmp, cli->local))
		ret = fail(job, "cannot rename %s to %s: %s", tmp, cli->local,
			   strerror(errno));
	if (ret && !to_stdout)
		unlink(tmp);
	if (job->locked && unlock_file(job) && !ret)
		ret = EXIT_FAILED;
	r->secs = since(&t0);
	if (!ret)
		ret = print_result(job, r);
	return ret;
}

int run_fileio(struct ctl_nl *nl, const struct cli *cli)
{
	struct fio_job job = { .cli = cli };
	struct fio_result r = { .cmd = cli->cmd };
	int ret;

	pool_sel_str(&cli->sel, job.pool, sizeof(job.pool));
	name_escape(cli->file, job.name, sizeof(job.name));
	snprintf(job.subject, sizeof(job.subject), "pool %s, file %s",
		 job.pool, job.name);
	job.progress = cli->progress > 0 ||
		       (cli->progress == 0 && isatty(STDERR_FILENO));
	job.page = sysconf(_SC_PAGESIZE);
	r.pool = job.pool;
	r.name = job.name;
	r.local = cli->local;
	if (cli->cmd == CMD_FILE_DUMP)
		ret = run_dump(nl, &job, &r);
	else
		ret = run_write(nl, &job, &r);
	job_close(&job);
	return ret;
}
