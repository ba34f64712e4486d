// SPDX-License-Identifier: GPL-2.0
/*
 * mmbench - memory-mapped access patterns over a file, a block device, a
 * dmpool pool or anonymous memory, timed from the application's side.
 *
 *   mmbench [-s SIZE] [-n TOUCHES] [-p PASSES] [-S SEED] [-o SAMPLES] MODE TARGET
 *
 * TARGET:
 *   PATH         a file or a block device (e.g. /dev/nbd0), mapped MAP_SHARED
 *   pool:NAME    a dmpool pool: /dev/dmpool, DMPOOL_IOC_ATTACH by name
 *                (through libdmpool), mapped MAP_SHARED
 *   anon         anonymous private memory (scan only): what a program
 *                whose data set exceeds RAM gets from swap
 * SIZE (default: the whole target; required for anon) limits the bytes used.
 *
 * MODE:
 *   seqread   read one byte of every page in order (readahead on,
 *             MADV_SEQUENTIAL): throughput
 *   randread  TOUCHES (default 2000) distinct pages in random order, one
 *             byte each, readahead off (MADV_RANDOM), so every touch of a
 *             page not in the page cache is one 4 KiB fault; each touch is
 *             timed with clock_gettime: latency percentiles
 *   seqwrite  write every page in order, then msync(MS_SYNC); the time
 *             includes the msync: throughput
 *   scan      PASSES (default 2) times: write every page (all of it), then
 *             read every page back and check it; for a data set larger
 *             than RAM this is what swapping (anon) or paging a pool costs
 *
 * The page-cache residency of the range is taken (mincore) before the
 * timed part and reported as resident=PAGES, so a cache that was not
 * dropped shows.  The one output line is machine-readable: "mmbench" then
 * key=value pairs; times in seconds, latencies in microseconds, MB = 10^6
 * bytes.  -o writes every randread latency (us, in touch order).  Exit
 * status: 0, or 1 on an error or a scan that read back wrong data (never
 * on timing).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dmpool.h"
#include "stats.h"

#define PAGE 4096UL

struct target {
	const char *spec;
	char *mem;
	size_t len;
	int fd;
	struct dmp_pool *pool;
};

static _Noreturn void usage(void)
{
	fprintf(stderr,
		"usage: mmbench [-s SIZE] [-n TOUCHES] [-p PASSES] [-S SEED] [-o SAMPLES]\n"
		"               seqread|randread|seqwrite|scan PATH|pool:NAME|anon\n");
	exit(2);
}

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "mmbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Map @t->spec; @size 0 means all of it. */
static void map_target(struct target *t, unsigned long long size)
{
	unsigned long long avail;
	struct stat st;

	t->fd = -1;
	if (!strcmp(t->spec, "anon")) {
		if (!size) {
			fprintf(stderr, "mmbench: anon needs -s SIZE\n");
			exit(2);
		}
		t->len = size;
		t->mem = mmap(NULL, t->len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (t->mem == MAP_FAILED)
			die("mmap anon");
		return;
	}
	if (!strncmp(t->spec, "pool:", 5)) {
		t->pool = dmp_open();
		if (!t->pool) {
			fprintf(stderr, "mmbench: /dev/dmpool: %s\n", dmp_strerror(errno));
			exit(1);
		}
		if (dmp_attach_name(t->pool, t->spec + 5) < 0) {
			fprintf(stderr, "mmbench: attach %s: %s\n", t->spec + 5,
				dmp_strerror(errno));
			exit(1);
		}
		avail = dmp_size(t->pool);
		t->len = size && size < avail ? size : avail;
		t->mem = dmp_map(t->pool, 0, t->len, PROT_READ | PROT_WRITE);
		if (!t->mem) {
			fprintf(stderr, "mmbench: map %s: %s\n", t->spec, dmp_strerror(errno));
			exit(1);
		}
		return;
	}
	t->fd = open(t->spec, O_RDWR | O_CLOEXEC);
	if (t->fd < 0 || fstat(t->fd, &st) < 0)
		die(t->spec);
	if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;

		if (ioctl(t->fd, BLKGETSIZE64, &bytes) < 0)
			die("BLKGETSIZE64");
		avail = bytes;
	} else {
		avail = (unsigned long long)st.st_size;
	}
	t->len = size && size < avail ? size : avail;
	t->len &= ~(PAGE - 1);
	if (!t->len) {
		fprintf(stderr, "mmbench: %s is smaller than a page\n", t->spec);
		exit(1);
	}
	t->mem = mmap(NULL, t->len, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
	if (t->mem == MAP_FAILED)
		die("mmap");
}

/* Pages of the range in the page cache (or resident, for anon). */
static size_t resident_pages(const struct target *t)
{
	size_t n = t->len / PAGE, i, r = 0;
	unsigned char *vec = malloc(n);

	if (!vec || mincore(t->mem, t->len, vec) < 0) {
		free(vec);
		return 0;
	}
	for (i = 0; i < n; i++)
		r += vec[i] & 1;
	free(vec);
	return r;
}

static void print_head(const char *mode, const struct target *t, size_t resident)
{
	printf("mmbench mode=%s target=%s bytes=%zu resident=%zu", mode, t->spec,
	       t->len, resident);
}

static int seqread(struct target *t)
{
	size_t resident = resident_pages(t), off;
	volatile unsigned char *p = (volatile unsigned char *)t->mem;
	unsigned long sum = 0;
	double t0, secs;

	madvise(t->mem, t->len, MADV_SEQUENTIAL);
	t0 = now_s();
	for (off = 0; off < t->len; off += PAGE)
		sum += p[off];
	secs = now_s() - t0;
	print_head("seqread", t, resident);
	printf(" secs=%.3f mb_s=%.1f sum=%lu\n", secs, (double)t->len / secs / 1e6, sum);
	return 0;
}

static int randread(struct target *t, long touches, unsigned int seed, const char *samples)
{
	size_t npages = t->len / PAGE, i, resident;
	volatile unsigned char *p = (volatile unsigned char *)t->mem;
	size_t *order = malloc(npages * sizeof(*order));
	double *lat, t0, total;
	unsigned long sum = 0;
	struct stats st;

	if (!order)
		die("malloc");
	if (touches <= 0 || (size_t)touches > npages)
		touches = (long)npages;
	lat = calloc((size_t)touches, sizeof(*lat));
	if (!lat)
		die("calloc");
	/* Distinct pages in random order: a partial Fisher-Yates shuffle. */
	srandom(seed);
	for (i = 0; i < npages; i++)
		order[i] = i;
	for (i = 0; i < (size_t)touches; i++) {
		size_t j = i + (size_t)random() % (npages - i), tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	madvise(t->mem, t->len, MADV_RANDOM);
	resident = resident_pages(t);
	total = now_s();
	for (i = 0; i < (size_t)touches; i++) {
		t0 = now_s();
		sum += p[order[i] * PAGE];
		lat[i] = (now_s() - t0) * 1e6;
	}
	total = now_s() - total;
	if (samples && write_samples(samples, lat, (size_t)touches) < 0)
		return 1;
	stats_of(lat, (size_t)touches, &st);
	print_head("randread", t, resident);
	printf(" touches=%ld secs=%.3f iops=%.0f p50_us=%.1f p99_us=%.1f mean_us=%.1f min_us=%.1f max_us=%.1f sum=%lu\n",
	       touches, total, (double)touches / total, st.p50, st.p99, st.mean,
	       st.min, st.max, sum);
	free(lat);
	free(order);
	return 0;
}

static void fill_page(char *page, size_t idx, uint64_t salt)
{
	uint64_t *w = (uint64_t *)page;
	size_t j;

	for (j = 0; j < PAGE / sizeof(*w); j++)
		w[j] = ((uint64_t)idx << 16 | j) ^ salt;
}

static size_t check_page(const char *page, size_t idx, uint64_t salt)
{
	const uint64_t *w = (const uint64_t *)page;
	size_t j, bad = 0;

	for (j = 0; j < PAGE / sizeof(*w); j++)
		bad += w[j] != (((uint64_t)idx << 16 | j) ^ salt);
	return bad;
}

static int seqwrite(struct target *t)
{
	size_t resident = resident_pages(t), off;
	double t0, tw, secs;

	madvise(t->mem, t->len, MADV_SEQUENTIAL);
	t0 = now_s();
	for (off = 0; off < t->len; off += PAGE)
		fill_page(t->mem + off, off / PAGE, 0x5eed5eed5eed5eedULL);
	tw = now_s();
	if (msync(t->mem, t->len, MS_SYNC) < 0)
		die("msync");
	secs = now_s() - t0;
	print_head("seqwrite", t, resident);
	printf(" secs=%.3f mb_s=%.1f msync_secs=%.3f\n", secs,
	       (double)t->len / secs / 1e6, secs - (tw - t0));
	return 0;
}

static int scan(struct target *t, int passes)
{
	size_t resident = resident_pages(t), off, bad = 0;
	double start = now_s(), t0, secs;
	char phases[256] = "";
	size_t used = 0;
	int pass;

	for (pass = 1; pass <= passes; pass++) {
		uint64_t salt = 0x9e3779b97f4a7c15ULL * (uint64_t)pass;
		double tw, tr;

		t0 = now_s();
		for (off = 0; off < t->len; off += PAGE)
			fill_page(t->mem + off, off / PAGE, salt);
		tw = now_s() - t0;
		t0 = now_s();
		for (off = 0; off < t->len; off += PAGE)
			bad += check_page(t->mem + off, off / PAGE, salt);
		tr = now_s() - t0;
		if (used < sizeof(phases))
			used += (size_t)snprintf(phases + used, sizeof(phases) - used,
						 " write%d_s=%.3f read%d_s=%.3f",
						 pass, tw, pass, tr);
	}
	secs = now_s() - start;
	print_head("scan", t, resident);
	printf(" passes=%d secs=%.3f mb_s=%.1f%s bad_words=%zu\n", passes, secs,
	       2.0 * passes * (double)t->len / secs / 1e6, phases, bad);
	if (bad)
		fprintf(stderr, "mmbench: scan read back %zu wrong words\n", bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *samples = NULL, *mode;
	unsigned long long size = 0;
	unsigned int seed = 1;
	struct target t = { 0 };
	long touches = 2000;
	int passes = 2, opt, rc;

	while ((opt = getopt(argc, argv, "s:n:p:S:o:")) != -1) {
		switch (opt) {
		case 's': size = parse_size(optarg); break;
		case 'n': touches = atol(optarg); break;
		case 'p': passes = atoi(optarg); break;
		case 'S': seed = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'o': samples = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 2 || passes < 1 || passes > 16)
		usage();
	mode = argv[optind];
	t.spec = argv[optind + 1];
	if (size % PAGE) {
		fprintf(stderr, "mmbench: SIZE must be a multiple of %lu\n", PAGE);
		return 2;
	}
	if (!strcmp(t.spec, "anon") && strcmp(mode, "scan")) {
		fprintf(stderr, "mmbench: anon is for scan only\n");
		return 2;
	}
	map_target(&t, size);
	if (!strcmp(mode, "seqread"))
		rc = seqread(&t);
	else if (!strcmp(mode, "randread"))
		rc = randread(&t, touches, seed, samples);
	else if (!strcmp(mode, "seqwrite"))
		rc = seqwrite(&t);
	else if (!strcmp(mode, "scan"))
		rc = scan(&t, passes);
	else
		usage();
	fflush(stdout);
	return rc;
}
