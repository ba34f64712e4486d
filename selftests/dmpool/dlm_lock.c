// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool-dlm-lock: take one lock of the kernel DLM through libdlm, for the
 * tests of the VMs' cluster stack (stack.bats).  Not a test by itself.
 *
 *	dmpool-dlm-lock [-t] [-w SECONDS] [-h PATH] LOCKSPACE RESOURCE
 *
 * Joins LOCKSPACE (creating it in the cluster if no node has it), requests
 * an exclusive lock on RESOURCE, prints "requested" once the request is
 * made and "granted <ms>" when it has the lock.  With
 * -t the request does not queue (LKF_NOQUEUE): if another node holds the
 * lock, it prints "busy" and exits 3.  With -w the request waits at most
 * SECONDS (LKF_TIMEOUT is not used: the program cancels the request
 * itself), else exits 4 with "timeout".  With -h it holds the lock until
 * PATH exists (at most 300 s), then unlocks; without, it unlocks at once.
 * It prints "released" after the unlock.  The lockspace is left (not
 * removed) on exit, so that the next run on the node is quick.
 *
 * Exit status: 0 granted (and released); 2 usage or libdlm set-up error;
 * 3 busy (-t); 4 timeout (-w); 5 a lock call failed (errno printed).
 */
#include <errno.h>
#include <fcntl.h>
#include <libdlm.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: dmpool-dlm-lock [-t] [-w SECONDS] [-h PATH] LOCKSPACE RESOURCE\n");
	return 2;
}

/* Completion AST of a request: note that it completed. */
static void lock_ast(void *arg)
{
	*(int *)arg = 1;
}

/*
 * Wait until the request completed (its AST ran), at most @secs seconds
 * (negative: no limit).  Return: 1 done, 0 timed out, -1 error.
 */
static int wait_ast(dlm_lshandle_t ls, int *done, double secs)
{
	double end = now() + secs;
	struct pollfd pfd = { .fd = dlm_ls_get_fd(ls), .events = POLLIN };

	while (!*done) {
		int ms = secs < 0 ? 1000 : (int)((end - now()) * 1000);

		if (secs >= 0 && ms <= 0)
			return 0;
		if (poll(&pfd, 1, ms > 1000 ? 1000 : ms) < 0 && errno != EINTR)
			return -1;
		if (pfd.revents & POLLIN)
			dlm_dispatch(pfd.fd);
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *hold = NULL, *lsname, *res;
	double wait_secs = -1, t0;
	struct dlm_lksb lksb = { 0 };
	dlm_lshandle_t ls;
	int opt, flags = 0, done = 0, r, i;

	while ((opt = getopt(argc, argv, "tw:h:")) != -1) {
		switch (opt) {
		case 't':
			flags |= LKF_NOQUEUE;
			break;
		case 'w':
			wait_secs = atof(optarg);
			break;
		case 'h':
			hold = optarg;
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	lsname = argv[optind];
	res = argv[optind + 1];

	ls = dlm_open_lockspace(lsname);
	if (!ls)
		ls = dlm_create_lockspace(lsname, 0600);
	if (!ls) {
		fprintf(stderr, "dmpool-dlm-lock: lockspace %s: %s\n", lsname,
			strerror(errno));
		return 2;
	}
	t0 = now();
	if (dlm_ls_lock(ls, LKM_EXMODE, &lksb, flags, res, strlen(res), 0,
			lock_ast, &done, NULL, NULL)) {
		fprintf(stderr, "dmpool-dlm-lock: lock %s: %s\n", res,
			strerror(errno));
		return 5;
	}
	printf("requested\n");
	fflush(stdout);
	r = wait_ast(ls, &done, wait_secs);
	if (r == 0) {
		/* Cancel; the AST then reports the cancel (or a late grant). */
		dlm_ls_unlock(ls, lksb.sb_lkid, LKF_CANCEL, &lksb, &done);
		wait_ast(ls, &done, 30);
		if (lksb.sb_status == 0)	/* granted meanwhile */
			dlm_ls_unlock_wait(ls, lksb.sb_lkid, 0, &lksb);
		printf("timeout\n");
		return 4;
	}
	if (r < 0) {
		fprintf(stderr, "dmpool-dlm-lock: %s\n", strerror(errno));
		return 5;
	}
	if (lksb.sb_status == EAGAIN) {
		printf("busy\n");
		return 3;
	}
	if (lksb.sb_status) {
		fprintf(stderr, "dmpool-dlm-lock: lock %s: %s\n", res,
			strerror(lksb.sb_status));
		return 5;
	}
	printf("granted %.1f ms\n", (now() - t0) * 1000);
	fflush(stdout);
	for (i = 0; hold && i < 3000 && access(hold, F_OK); i++)
		usleep(100000);
	if (dlm_ls_unlock_wait(ls, lksb.sb_lkid, 0, &lksb)) {
		fprintf(stderr, "dmpool-dlm-lock: unlock %s: %s\n", res,
			strerror(errno));
		return 5;
	}
	printf("released\n");
	return 0;
}
