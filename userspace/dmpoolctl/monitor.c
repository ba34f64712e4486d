// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl monitor: join the family's "events" multicast group and print
 * one line per EVENT until SIGINT/SIGTERM (or --count events).
 *
 * A plain netlink socket, read with recv(): the kernel drops multicast
 * messages for a reader that falls behind and says so once with ENOBUFS;
 * that is printed as an "events lost" line and reading goes on (events
 * are hints; a listener that lost some dumps the state).  Decoding is
 * monitor_parse() (clreply.c), pure, for the unit tests.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>


#include "clreply.h"
#include "outcluster.h"
#include "run.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* "12:04:05.123": the local time now. */
static const char *now_str(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min,
		 tm.tm_sec, ts.tv_nsec / 1000000);
	return buf;
}

struct mon {
	const struct cli *cli;
	uint32_t seen;
	bool failed;
};

/* Print one event; 1 once --count events were printed. */
static int print_event(const struct ctl_event *ev, void *arg)
{
	struct mon *m = arg;
	char when[32];

	if (out_event(stdout, now_str(when, sizeof(when)), ev,
		      m->cli->json) < 0) {
		m->failed = true;
		return -1;
	}
	m->seen++;
	return m->cli->count && m->seen >= m->cli->count ? 1 : 0;
}

/* A socket in the "events" group; -1 with a message printed. */
static int open_events(struct ctl_nl *nl)
{
	int fd, group = ctl_nl_group(nl, DMPOOL_GENL_MCGRP_EVENTS);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int rcvbuf = 1 << 20;

	if (group < 0) {
		fprintf(stderr,
			"dmpoolctl: the module has no \"%s\" multicast group: load a newer dmpool.ko\n",
			DMPOOL_GENL_MCGRP_EVENTS);
		return -1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)) < 0) {
		fprintf(stderr, "dmpoolctl: cannot join the events group: %s\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

int run_monitor(struct ctl_nl *nl, const struct cli *cli)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct mon m = { .cli = cli };
	int fd, family = ctl_nl_family(nl);
	static char buf[65536];
	char why[200], when[32];

	fd = open_events(nl);
	if (fd < 0)
		return EXIT_FAILED;
	/* No SA_RESTART: a signal ends the blocking recv() with EINTR. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && !(cli->count && m.seen >= cli->count)) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			if (out_events_lost(stdout, now_str(when, sizeof(when)),
					    cli->json) < 0)
				break;
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "dmpoolctl: reading events: %s\n",
				strerror(errno));
			close(fd);
			return EXIT_FAILED;
		}
		if (monitor_parse(buf, (size_t)n, family, print_event, &m, why,
				  sizeof(why)) < 0 && !m.failed) {
			fprintf(stderr, "dmpoolctl: malformed event: %s\n", why);
			close(fd);
			return EXIT_FAILED;
		}
		if (m.failed)
			break;
	}
	close(fd);
	return run_written(m.failed ? -1 : 0);
}
