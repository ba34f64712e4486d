// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool-demo - a small application of libdmpool, and a test helper.
 *
 *	dmpool-demo [run] NAME          the demo: attach NAME, write a pattern
 *	                                through one mapping, check it through a
 *	                                second mapping, pread(2), and a second
 *	                                process with its own attachment
 *	dmpool-demo hold NAME           attach and stay attached until killed
 *	                                (prints "attached ..." when it is)
 *	dmpool-demo write NAME OFF TEXT write TEXT at byte OFF through mmap
 *	dmpool-demo read NAME OFF LEN   print LEN bytes at byte OFF, via mmap
 *
 * Exit status: 0 success, 1 failure (message on stderr), 2 usage.
 *
 * `run` checks at most DEMO_SPAN bytes so it finishes quickly in a slow
 * emulated VM even on a large pool.  The pattern is each 8-byte word's own
 * offset mixed with a seed, so a page mapped at the wrong offset, a stale
 * page or a lost write all show up as a mismatch at a reported offset.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dmpool.h"

#define DEMO_SPAN	(16ULL << 20)
#define SEED		0x9e3779b97f4a7c15ULL

static const char *prog = "dmpool-demo";

static int die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, dmp_strerror(err));
	return 1;
}

static int usage(void)
{
	fprintf(stderr,
		"Usage: %s [run] NAME\n"
		"       %s hold NAME\n"
		"       %s write NAME OFFSET TEXT\n"
		"       %s read NAME OFFSET LENGTH\n",
		prog, prog, prog, prog);
	return 2;
}

/* Open the device and attach @name; prints the reason on failure. */
static struct dmp_pool *attach(const char *name)
{
	struct dmp_pool *pool = dmp_open();

	if (!pool) {
		die("cannot open /dev/dmpool", errno);
		return NULL;
	}
	if (dmp_attach_name(pool, name) < 0) {
		char what[128];

		snprintf(what, sizeof(what), "cannot attach pool '%s'", name);
		die(what, errno);
		dmp_close(pool);
		return NULL;
	}
	return pool;
}

static uint64_t pattern(uint64_t off)
{
	return (off * SEED) ^ (off >> 7) ^ SEED;
}

/* Offset of the first word in @p (at pool offset 0) not matching, or -1. */
static int64_t first_mismatch(const uint64_t *p, uint64_t span)
{
	uint64_t i;

	for (i = 0; i < span / 8; i++) {
		if (p[i] != pattern(i * 8))
			return (int64_t)(i * 8);
	}
	return -1;
}

/* A second process attaches on its own and checks the same bytes. */
static int check_in_child(const char *name, uint64_t span)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return die("fork", errno);
	if (pid == 0) {
		struct dmp_pool *pool = attach(name);
		const uint64_t *p;
		int64_t bad;

		if (!pool)
			_exit(1);
		p = dmp_map(pool, 0, span, PROT_READ);
		if (!p)
			_exit(die("child: map", errno));
		bad = first_mismatch(p, span);
		if (bad >= 0) {
			fprintf(stderr, "%s: child: mismatch at offset %" PRId64 "\n",
				prog, bad);
			_exit(1);
		}
		printf("process %d attached separately and read the same bytes: OK\n",
		       (int)getpid());
		dmp_unmap(pool, (void *)p, span);
		dmp_close(pool);
		/* _exit() does not flush stdio: do it, stdout may be a pipe. */
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return die("waitpid", errno);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int check_pread(struct dmp_pool *pool, uint64_t span)
{
	uint64_t buf[512];
	uint64_t off, i;

	for (off = 0; off < span; off += sizeof(buf)) {
		ssize_t n = pread(dmp_fd(pool), buf, sizeof(buf), (off_t)off);

		if (n != (ssize_t)sizeof(buf)) {
			fprintf(stderr, "%s: pread at %" PRIu64 ": %s\n", prog, off,
				n < 0 ? dmp_strerror(errno) : "short read");
			return 1;
		}
		for (i = 0; i < sizeof(buf) / 8; i++) {
			if (buf[i] != pattern(off + i * 8)) {
				fprintf(stderr, "%s: pread: mismatch at offset %" PRIu64 "\n",
					prog, off + i * 8);
				return 1;
			}
		}
	}
	printf("pread(2) on the pool's fd sees the same bytes: OK\n");
	return 0;
}

static int cmd_run(const char *name)
{
	struct dmp_pool *pool = attach(name);
	uint64_t *w, span, i;
	const uint64_t *r;
	int64_t bad;
	int ret;

	if (!pool)
		return 1;
	span = dmp_size(pool) < DEMO_SPAN ? dmp_size(pool) : DEMO_SPAN;
	printf("attached pool '%s': ID %" PRIu64 ", %" PRIu64 " bytes\n", name,
	       dmp_id(pool), dmp_size(pool));

	w = dmp_map(pool, 0, span, PROT_READ | PROT_WRITE);
	if (!w)
		return die("map for writing", errno);
	for (i = 0; i < span / 8; i++)
		w[i] = pattern(i * 8);
	printf("wrote a %" PRIu64 "-byte pattern through mapping 1 at %p\n",
	       span, (void *)w);

	r = dmp_map(pool, 0, span, PROT_READ);
	if (!r)
		return die("map for reading", errno);
	bad = first_mismatch(r, span);
	if (bad >= 0) {
		fprintf(stderr, "%s: mapping 2: mismatch at offset %" PRId64 "\n",
			prog, bad);
		return 1;
	}
	printf("mapping 2 at %p sees the same bytes: OK\n", (const void *)r);

	ret = check_pread(pool, span);
	if (!ret)
		ret = check_in_child(name, span);
	dmp_unmap(pool, (void *)r, span);
	dmp_unmap(pool, w, span);
	dmp_close(pool);
	if (!ret)
		printf("demo passed\n");
	return ret;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_hold(const char *name)
{
	struct sigaction sa;
	struct dmp_pool *pool;
	sigset_t block, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Block them until sigsuspend() so none is lost in between. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);

	pool = attach(name);
	if (!pool)
		return 1;
	printf("attached pool '%s': ID %" PRIu64 ", pid %d\n", name,
	       dmp_id(pool), (int)getpid());
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	dmp_close(pool);
	return 0;
}

/* Parse a decimal offset or length; -1 on garbage. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int cmd_write(const char *name, const char *off_s, const char *text)
{
	size_t len = strlen(text);
	struct dmp_pool *pool;
	uint64_t off;
	char *p;

	if (parse_u64(off_s, &off) < 0 || len == 0)
		return usage();
	pool = attach(name);
	if (!pool)
		return 1;
	p = dmp_map(pool, off, len, PROT_READ | PROT_WRITE);
	if (!p)
		return die("map", errno);
	memcpy(p, text, len);
	dmp_unmap(pool, p, len);
	dmp_close(pool);
	printf("wrote %zu bytes at offset %" PRIu64 "\n", len, off);
	return 0;
}

static int cmd_read(const char *name, const char *off_s, const char *len_s)
{
	struct dmp_pool *pool;
	uint64_t off, len;
	const char *p;

	if (parse_u64(off_s, &off) < 0 || parse_u64(len_s, &len) < 0 || !len)
		return usage();
	pool = attach(name);
	if (!pool)
		return 1;
	p = dmp_map(pool, off, len, PROT_READ);
	if (!p)
		return die("map", errno);
	fwrite(p, 1, len, stdout);
	putchar('\n');
	dmp_unmap(pool, (void *)p, len);
	dmp_close(pool);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc == 2 && argv[1][0] != '-')
		return cmd_run(argv[1]);
	if (argc == 3 && !strcmp(argv[1], "run"))
		return cmd_run(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2], argv[3], argv[4]);
	return usage();
}
