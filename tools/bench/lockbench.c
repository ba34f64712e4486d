// SPDX-License-Identifier: GPL-2.0
/*
 * lockbench - cluster lock figures of a dmpool file, through libdmpool.
 *
 *   lockbench POOL FILE create           create FILE (4 KiB) if missing
 *   lockbench POOL FILE once             lock and unlock the mutex once
 *   lockbench POOL FILE cycle N          N x (lock, unlock) of the mutex;
 *                                        prints p50_us, p99_us, mean_us of
 *                                        one lock+unlock
 *   lockbench POOL FILE handoff SECONDS  lock, add 1 to the file's first
 *                                        u64, unlock, for SECONDS; prints
 *                                        the acquisitions it made
 *
 * Whether a cycle needs the network depends on the module: with the
 * lock cache on (the default) a re-lock on the node that held the lock
 * last is local; with lock_cache=0 every lock converts at the DLM master.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dmpool.h"
#include "stats.h"

static void die(const char *what)
{
	fprintf(stderr, "lockbench: %s: %s\n", what, dmp_strerror(errno));
	exit(1);
}

static void lock(struct dmp_pool *p, const struct dmp_file *f)
{
	if (dmp_mutex_lock(p, f, NULL) && errno != EOWNERDEAD)
		die("lock");
}

static void unlock(struct dmp_pool *p, const struct dmp_file *f)
{
	if (dmp_mutex_unlock(p, f))
		die("unlock");
}

int main(int argc, char **argv)
{
	struct dmp_pool *p;
	struct dmp_file f;
	const char *cmd;
	long i, n;

	if (argc < 4) {
		fprintf(stderr, "usage: lockbench POOL FILE create|once|cycle N|handoff SECONDS\n");
		return 2;
	}
	cmd = argv[3];
	p = dmp_open();
	if (!p || dmp_attach_name(p, argv[1]))
		die(argv[1]);
	if (!strcmp(cmd, "create")) {
		if (dmp_file_create(p, argv[2], 4096, 1, 0644, NULL) &&
		    errno != EEXIST)
			die("create");
		return 0;
	}
	if (dmp_file_open(p, argv[2], &f))
		die(argv[2]);

	if (!strcmp(cmd, "once")) {
		lock(p, &f);
		unlock(p, &f);
		return 0;
	}
	if (!strcmp(cmd, "cycle") && argc > 4) {
		struct stats st;
		double *v, t0;

		n = strtol(argv[4], NULL, 0);
		if (n < 1)
			return 2;
		v = calloc(n, sizeof(*v));
		if (!v)
			die("calloc");
		for (i = 0; i < n; i++) {
			t0 = now_s();
			lock(p, &f);
			unlock(p, &f);
			v[i] = (now_s() - t0) * 1e6;
		}
		stats_of(v, n, &st);
		printf("cycles=%ld p50_us=%.1f p99_us=%.1f mean_us=%.1f\n", n,
		       st.p50, st.p99, st.mean);
		return 0;
	}
	if (!strcmp(cmd, "handoff") && argc > 4) {
		volatile uint64_t *c = dmp_map(p, f.offset, 4096,
					       PROT_READ | PROT_WRITE);
		double end = now_s() + strtod(argv[4], NULL);

		if (!c)
			die("map");
		for (n = 0; now_s() < end; n++) {
			lock(p, &f);
			(*c)++;
			unlock(p, &f);
		}
		printf("acquisitions=%ld\n", n);
		return 0;
	}
	fprintf(stderr, "lockbench: bad command\n");
	return 2;
}
