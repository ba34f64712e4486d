// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl top: every --interval, dump the pools (POOL_GET) and the
 * peers (PEER_GET), and print the rates since the previous dump
 * (toprate.c): redrawn in place on a terminal, one block per interval
 * otherwise, one JSON object per interval with -j.  Runs until SIGINT,
 * or --iterations intervals.  Needs no daemon.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "toprate.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct sample {
	struct ctl_pool *pools;
	size_t npools;
	struct ctl_peer *peers;
	size_t npeers;
	struct timespec at;
};

static void sample_free(struct sample *s)
{
	free(s->pools);
	free(s->peers);
	s->pools = NULL;
	s->peers = NULL;
}

/* Dump both; peers are optional (a module without the transport). */
static int take(struct ctl_nl *nl, const struct cli *cli, struct sample *s)
{
	struct ctl_err err;
	enum ctl_status st;

	clock_gettime(CLOCK_MONOTONIC, &s->at);
	st = ctl_pool_dump(nl, &s->pools, &s->npools, &err);
	if (st != CTL_OK)
		return run_fail(cli->cmd, NULL, st, &err);
	if (ctl_peer_dump(nl, &s->peers, &s->npeers, &err) != CTL_OK) {
		s->peers = NULL;
		s->npeers = 0;
	}
	return EXIT_OK;
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	double s = (double)(b->tv_sec - a->tv_sec) +
		   (double)(b->tv_nsec - a->tv_nsec) / 1e9;

	return s > 1e-3 ? s : 1e-3;
}

static int show(const struct cli *cli, unsigned int n,
		const struct sample *prev, const struct sample *cur)
{
	double secs = elapsed(&prev->at, &cur->at);
	struct top_pool_rate *pr;
	struct top_peer_rate *nr;
	int ret;

	pr = calloc(cur->npools + 1, sizeof(*pr));
	nr = calloc(cur->npeers + 1, sizeof(*nr));
	if (!pr || !nr) {
		free(pr);
		free(nr);
		return -1;
	}
	top_pool_rates(prev->pools, prev->npools, cur->pools, cur->npools,
		       secs, (uint64_t)sysconf(_SC_PAGESIZE), pr);
	top_peer_rates(prev->peers, prev->npeers, cur->peers, cur->npeers,
		       secs, nr);
	ret = out_top(stdout, n, secs, pr, cur->npools, nr, cur->npeers,
		      !cli->json && isatty(STDOUT_FILENO), cli->json);
	free(pr);
	free(nr);
	return ret;
}

int run_top(struct ctl_nl *nl, const struct cli *cli)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sample prev = { 0 }, cur = { 0 };
	struct timespec pause = {
		.tv_sec = cli->interval_ms / 1000,
		.tv_nsec = (long)(cli->interval_ms % 1000) * 1000000,
	};
	unsigned int n;
	int ret;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = take(nl, cli, &prev);
	for (n = 1; ret == EXIT_OK && !stop &&
	     (!cli->iterations || n <= cli->iterations); n++) {
		if (nanosleep(&pause, NULL) < 0 && stop)
			break;
		ret = take(nl, cli, &cur);
		if (ret != EXIT_OK)
			break;
		ret = run_written(show(cli, n, &prev, &cur));
		sample_free(&prev);
		prev = cur;
		cur = (struct sample){ 0 };
	}
	sample_free(&prev);
	sample_free(&cur);
	return ret;
}
