// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoold: the cluster daemon of dmpool.
 *
 * Start-up: read the configuration, open netlink to the module and join
 * its "daemon" and "events" groups, set the module up (key, memory; node
 * ID and address once corosync tells them), load the persisted snapshot,
 * open the crawl port, join the CPG group "dmpool".  Without corosync the
 * daemon runs standalone: it answers crawls and relayed queries, refuses
 * changes, and retries CPG ten times a second.  It never touches the module's
 * pools before its snapshot is the cluster's (after the sync), so a
 * restart disturbs no pool the cluster still has.
 *
 * The loop polls the CPG fd, the multicast netlink socket, a 1 s timerfd
 * (TTL, relay deadlines, CPG retry), a signalfd (SIGTERM/SIGINT: leave
 * CPG, persist, exit 0; SIGHUP: reread the configuration) and the crawl
 * socket.  Everything runs in this one thread.
 *
 * Exit codes: 0 stopped by a signal, 1 bad usage or configuration,
 * 2 the module is not loaded or netlink failed, 3 another start-up error.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "modnl.h"
#include "nlclient.h"

static bool log_syslog;
static bool log_verbose;

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void logmsg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio >= LOG_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fprintf(stderr, "dmpoold: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

bool is_member(const struct daemon *d, uint32_t id)
{
	size_t i;

	for (i = 0; i < d->nmembers; i++)
		if (d->members[i] == id)
			return true;
	return false;
}

uint64_t members_mask(const struct daemon *d)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < d->nmembers; i++)
		if (d->members[i] >= 1 && d->members[i] <= 64)
			m |= 1ULL << (d->members[i] - 1);
	return m;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmpoold [-c CONF] [-f] [-v] [--state-dir DIR]\n"
		"       dmpoold --version\n"
		"  -c, --config CONF   configuration file (default %s)\n"
		"  -f, --foreground    stay in the foreground, log to stderr\n"
		"  -v, --verbose       log every applied change\n"
		"      --state-dir DIR where the snapshot is kept\n",
		CONF_PATH_DEFAULT);
}

static int load_conf(struct daemon *d, const char *state_dir)
{
	char why[400];
	struct conf c;

	conf_defaults(&c);
	if (conf_load(&c, d->conf_path, strcmp(d->conf_path, CONF_PATH_DEFAULT),
		      why, sizeof(why)) < 0) {
		logmsg(LOG_ERR, "%s", why);
		return -1;
	}
	if (state_dir)
		snprintf(c.state_dir, sizeof(c.state_dir), "%s", state_dir);
	/* Corosync's facts (node ID, address) survive a reread. */
	if (!c.has_addr && d->conf.has_addr) {
		c.has_addr = true;
		c.addr_family = d->conf.addr_family;
		memcpy(c.addr, d->conf.addr, sizeof(c.addr));
	}
	d->conf = c;
	return 0;
}

static void try_cpg(struct daemon *d)
{
	static bool said;

	if (d->in_cpg || d->decommissioned)
		return;
	if (cpg_start(d) == 0) {
		said = false;
		return;
	}
	/*
	 * Standalone, this node is what its configuration says (crawls
	 * report it, a commission takes it); corosync's ID wins once it runs.
	 */
	if (!d->self_id)
		d->self_id = d->conf.node_id;
	if (!said)
		logmsg(LOG_NOTICE, "corosync is not running: standalone "
		       "(answering crawls), retrying");
	said = true;
}

int mkdir_p(const char *path)
{
	char buf[CONF_PATH_MAX];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

static int run(struct daemon *d, const char *state_dir)
{
	struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	int tfd, sfd, ret;
	sigset_t mask;
	char why[300];
	struct ctl_err err;

	if (mkdir_p(d->conf.state_dir) < 0) {
		logmsg(LOG_ERR, "state_dir %s: %s", d->conf.state_dir,
		       strerror(errno));
		return 3;
	}
	if (st_init(&d->snap) < 0)
		return 3;
	ret = st_load(&d->snap, d->conf.state_dir, why, sizeof(why));
	if (ret != 0)
		d->snap_unknown = true;
	if (ret < 0) {
		logmsg(LOG_ERR, "ignoring the persisted snapshot: %s; no cluster "
		       "pool is removed from the module until another node "
		       "syncs with this one", why);
	} else if (ret == 0) {
		logmsg(LOG_INFO, "loaded snapshot: epoch %llu, %zu nodes, %zu pools",
		       (unsigned long long)d->snap.epoch, d->snap.nnodes,
		       d->snap.npools);
	}
	if (ctl_nl_open(&d->nl, &err) != CTL_OK) {
		logmsg(LOG_ERR, "netlink: the dmpool module is not loaded or "
		       "unreachable");
		return 2;
	}
	if (modnl_open(&d->mn, why, sizeof(why)) < 0) {
		logmsg(LOG_ERR, "%s", why);
		return 2;
	}
	if (!modnl_has_relay(d->mn))
		logmsg(LOG_WARNING, "the module has no \"daemon\" group "
		       "(no DMPOOL_FEAT_CLUSTER): no relayed requests");
	module_setup(d);
	if (crawl_open(d) < 0)
		logmsg(LOG_WARNING, "crawl port %u: %s", d->conf.crawl_port,
		       strerror(errno));

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (sfd < 0 || tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0) {
		logmsg(LOG_ERR, "signalfd/timerfd: %s", strerror(errno));
		return 3;
	}
	try_cpg(d);
	logmsg(LOG_NOTICE, "started (%s, node %u)", DMPOOLD_VERSION_STR,
	       d->self_id);

	while (!d->stop) {
		struct pollfd p[5] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = tfd, .events = POLLIN },
			{ .fd = modnl_fd(d->mn), .events = POLLIN },
			{ .fd = d->crawl_fd, .events = POLLIN },
			{ .fd = cpg_fd(d), .events = POLLIN },
		};

		/*
		 * Standalone, look for corosync ten times a second, not only
		 * on the 1 s tick: a commissioned machine's corosync is just
		 * being started, and the join is timed from its admission.
		 */
		int n = poll(p, 5, d->in_cpg || d->decommissioned ? -1 : 100);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			logmsg(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		if (n == 0)
			try_cpg(d);
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					logmsg(LOG_NOTICE, "SIGHUP: rereading %s",
					       d->conf_path);
					if (load_conf(d, state_dir) == 0)
						module_setup(d);
					d->decommissioned = false;
				} else {
					logmsg(LOG_NOTICE, "signal %u: stopping",
					       si.ssi_signo);
					d->stop = true;
				}
			}
		}
		if (p[4].revents & (POLLIN | POLLHUP | POLLERR))
			cpg_dispatch_all(d);
		if (p[2].revents & POLLIN)
			modnl_input(d->mn, d);
		if (p[3].revents & POLLIN)
			crawl_input(d);
		if (p[1].revents & POLLIN) {
			uint64_t ticks;

			if (read(tfd, &ticks, sizeof(ticks)) < 0)
				ticks = 0;
			try_cpg(d);
			cpg_tick(d);
			relay_tick(d);
			/* Lost events: the attach counts may be stale. */
			if (modnl_take_lost(d->mn) && d->synced)
				life_resend_counts(d);
			life_tick(d);
		}
		if (d->leave_pending)
			commission_leave(d);
	}
	cpg_stop(d);
	persist(d);
	close(sfd);
	close(tfd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct daemon d;
	const char *state_dir = NULL;
	bool foreground = false;
	int c, ret;

	snprintf(d.conf_path, sizeof(d.conf_path), "%s", CONF_PATH_DEFAULT);
	d.adopt_ms = -1;
	d.crawl_fd = -1;
	while ((c = getopt_long(argc, argv, "c:fvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (strlen(optarg) >= sizeof(d.conf_path)) {
				fprintf(stderr, "dmpoold: configuration path too long\n");
				return 1;
			}
			snprintf(d.conf_path, sizeof(d.conf_path), "%s", optarg);
			break;
		case 'f':
			foreground = true;
			break;
		case 'v':
			d.verbose = log_verbose = true;
			break;
		case 'S':
			if (optarg[0] != '/' || strlen(optarg) >= CONF_PATH_MAX) {
				fprintf(stderr, "dmpoold: --state-dir needs an "
					"absolute path\n");
				return 1;
			}
			state_dir = optarg;
			break;
		case 'V':
			printf("%s\n", DMPOOLD_VERSION_STR);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (load_conf(&d, state_dir) < 0)
		return 1;
	if (!foreground) {
		if (daemon(0, 0) < 0) {
			perror("dmpoold: daemon");
			return 3;
		}
		log_syslog = true;
		openlog("dmpoold", LOG_PID, LOG_DAEMON);
	}
	ret = run(&d, state_dir);
	relay_free(&d);
	free(d.lpools);
	st_free(&d.snap);
	modnl_close(d.mn);
	ctl_nl_close(d.nl);
	if (d.crawl_fd >= 0)
		close(d.crawl_fd);
	return ret;
}
