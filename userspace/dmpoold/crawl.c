// SPDX-License-Identifier: GPL-2.0
/*
 * Crawling: the UDP responder every dmpoold runs on crawl_port, and the
 * crawler behind DMPOOL_REQ_CRAWL.
 *
 * The responder answers a PROBE with this node's ID, state (MEMBER, DOWN,
 * JOINING when commissioned, UNCOMMISSIONED while standalone), exposed
 * capacity, committed bytes, version and cluster name; a standalone
 * daemon (a machine not yet commissioned) answers too.
 *
 * The crawler probes every target from one unconnected socket with
 * IP_RECVERR: an answer marks "dmpoold runs there"; an ICMP port
 * unreachable, read from the socket's error queue with the address it
 * was sent to, marks "the host answers, no dmpoold" (what a connected
 * socket reports as ECONNREFUSED, without one socket per target, so a /16
 * stays within the file limit).  Probes go out twice, the wait is bounded
 * by CRAWL_WAIT_MS in all, and the loop is blocked meanwhile (queries are
 * rare; the request's own timeout is far longer).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "crawlproto.h"
#include "daemon.h"
#include "modnl.h"

#define CRAWL_WAIT_MS	2000

int crawl_open(struct daemon *d)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_port = htons(d->conf.crawl_port),
	};
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	d->crawl_fd = fd;
	return 0;
}

static void fill_answer(struct daemon *d, struct crawl_msg *a)
{
	const struct st_node *n = d->self_id ? st_node_c(&d->snap, d->self_id) :
				  NULL;

	a->type = CRAWL_ANSWER;
	a->node_id = d->self_id;
	a->state = n && d->in_cpg ? n->state : DMPOOL_NODE_UNCOMMISSIONED;
	a->capacity = module_capacity(d);
	a->committed = n ? n->committed : 0;
	snprintf(a->version, sizeof(a->version), "%s", DMPOOLD_VERSION_STR);
	if (n && d->in_cpg)
		snprintf(a->cluster, sizeof(a->cluster), "%s", d->snap.name);
}

void crawl_input(struct daemon *d)
{
	uint8_t buf[CRAWL_DGRAM_MAX + 1];
	struct sockaddr_in from;
	socklen_t flen;
	struct crawl_msg m, a;
	ssize_t n;
	int len;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(d->crawl_fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (crawl_decode(&m, buf, (size_t)n) < 0)
			continue;
		if (m.type == CRAWL_HELLO || m.type == CRAWL_JOIN) {
			commission_datagram(d, d->crawl_fd, &m, &from, flen);
			continue;
		}
		if (m.type != CRAWL_PROBE)
			continue;
		memset(&a, 0, sizeof(a));
		fill_answer(d, &a);
		a.nonce = m.nonce;
		len = crawl_encode(&a, buf, sizeof(buf));
		if (len > 0)
			sendto(d->crawl_fd, buf, (size_t)len, 0,
			       (struct sockaddr *)&from, flen);
	}
}

struct host {
	uint32_t addr;			/* host byte order */
	int state;			/* -1 none, else DMPOOL_CRAWL_* */
	struct crawl_msg ans;
};

static struct host *find_host(struct host *h, size_t n, uint32_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {		/* sorted by crawl_parse_targets */
		size_t mid = (lo + hi) / 2;

		if (h[mid].addr == addr)
			return &h[mid];
		if (h[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void send_probes(int fd, struct host *h, size_t n, uint16_t port,
			uint64_t nonce)
{
	struct crawl_msg p = { .type = CRAWL_PROBE, .nonce = nonce };
	uint8_t buf[64];
	int len = crawl_encode(&p, buf, sizeof(buf));
	size_t i;

	for (i = 0; i < n && len > 0; i++) {
		struct sockaddr_in sa = {
			.sin_family = AF_INET, .sin_port = htons(port),
			.sin_addr.s_addr = htonl(h[i].addr),
		};

		if (h[i].state < 0)
			sendto(fd, buf, (size_t)len, MSG_DONTWAIT,
			       (struct sockaddr *)&sa, sizeof(sa));
	}
}

static void read_replies(int fd, struct host *h, size_t n, uint64_t nonce)
{
	uint8_t buf[CRAWL_DGRAM_MAX + 1];
	char cbuf[512];

	for (;;) {
		struct sockaddr_in from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		struct crawl_msg m;
		struct host *x;
		ssize_t got = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (got < 0)
			break;
		x = find_host(h, n, ntohl(from.sin_addr.s_addr));
		if (!x || crawl_decode(&m, buf, (size_t)got) < 0 ||
		    m.type != CRAWL_ANSWER || m.nonce != nonce)
			continue;
		x->state = DMPOOL_CRAWL_DAEMON;
		x->ans = m;
	}
	for (;;) {
		struct sockaddr_in to;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &to, .msg_namelen = sizeof(to),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *c;
		struct host *x;

		if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			struct sock_extended_err ee;

			if (c->cmsg_level != SOL_IP || c->cmsg_type != IP_RECVERR)
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (ee.ee_errno != ECONNREFUSED)
				continue;
			x = find_host(h, n, ntohl(to.sin_addr.s_addr));
			if (x && x->state < 0)
				x->state = DMPOOL_CRAWL_NO_DAEMON;
		}
	}
}

/*
 * Wait for answers, serving our own responder meanwhile (a crawl that
 * covers this node's own address probes this very daemon).
 */
static void wait_replies(struct daemon *d, int fd, struct host *h, size_t n,
			 uint64_t nonce, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = d->crawl_fd, .events = POLLIN },
		};
		uint64_t now = now_ms();

		if (now >= end)
			break;
		if (poll(p, 2, (int)(end - now)) < 0)
			break;
		if (p[1].revents & POLLIN)
			crawl_input(d);
		if (p[0].revents)
			read_replies(fd, h, n, nonce);
	}
}

struct crawl_result {
	struct host *h;
	size_t n;
};

static int put_hosts(struct nl_msg *msg, void *arg)
{
	struct crawl_result *r = arg;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct host *x = &r->h[i];
		uint32_t a = htonl(x->addr);
		struct nlattr *nest;

		if (x->state < 0)
			continue;
		if (nlmsg_hdr(msg)->nlmsg_len + 400 > DMPOOL_REQ_RESULT_MAX)
			break;
		nest = nla_nest_start(msg, DMPOOL_A_CRAWL_HOST | NLA_F_NESTED);
		if (!nest || nla_put(msg, DMPOOL_A_ADDR, 4, &a) < 0 ||
		    nla_put_u32(msg, DMPOOL_A_CRAWL_STATE, (uint32_t)x->state) < 0)
			return -1;
		if (x->state == DMPOOL_CRAWL_DAEMON &&
		    ((x->ans.node_id &&
		      nla_put_u32(msg, DMPOOL_A_NODE_ID, x->ans.node_id) < 0) ||
		     nla_put_u32(msg, DMPOOL_A_NODE_STATE, x->ans.state) < 0 ||
		     nla_put_u64(msg, DMPOOL_A_STORE_CAPACITY, x->ans.capacity) < 0 ||
		     nla_put_u64(msg, DMPOOL_A_STORE_COMMITTED, x->ans.committed) < 0 ||
		     (x->ans.version[0] &&
		      nla_put_string(msg, DMPOOL_A_VERSION, x->ans.version) < 0) ||
		     (x->ans.cluster[0] &&
		      nla_put_string(msg, DMPOOL_A_CLUSTER_NAME, x->ans.cluster) < 0)))
			return -1;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/* Probe @addr (host byte order) once: 0 with *@ans filled, or -1. */
int crawl_probe_one(struct daemon *d, uint32_t addr, struct crawl_msg *ans)
{
	struct host h = { .addr = addr, .state = -1 };
	uint64_t nonce = 0;
	int fd, one = 1, round;

	getrandom(&nonce, sizeof(nonce), 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
	for (round = 0; round < 2 && h.state < 0; round++) {
		send_probes(fd, &h, 1, d->conf.crawl_port, nonce);
		wait_replies(d, fd, &h, 1, nonce, CRAWL_WAIT_MS / 2);
	}
	close(fd);
	if (h.state != DMPOOL_CRAWL_DAEMON)
		return -1;
	*ans = h.ans;
	return 0;
}

void crawl_request(struct daemon *d, uint64_t req, struct nlattr *targets)
{
	char why[DMPOOL_REQ_MESSAGE_MAX + 1], s[1024];
	struct crawl_result r = { 0 };
	uint32_t *addrs;
	uint64_t nonce = 0;
	int fd = -1, one = 1, round, ret;
	long n;
	size_t i, answered = 0;

	if (!targets || nla_len(targets) < 2 || nla_len(targets) > 1024 ||
	    ((char *)nla_data(targets))[nla_len(targets) - 1] != '\0') {
		modnl_req_done(d->mn, req, EINVAL, "crawl needs CRAWL_TARGETS: "
			       "addresses and /16 or longer prefixes", NULL, NULL);
		return;
	}
	memcpy(s, nla_data(targets), (size_t)nla_len(targets));
	addrs = calloc(CRAWL_TARGETS_MAX, sizeof(*addrs));
	if (!addrs) {
		modnl_req_done(d->mn, req, ENOMEM, "out of memory", NULL, NULL);
		return;
	}
	n = crawl_parse_targets(s, addrs, CRAWL_TARGETS_MAX, why, sizeof(why));
	if (n < 0) {
		free(addrs);
		modnl_req_done(d->mn, req, EINVAL, why, NULL, NULL);
		return;
	}
	r.h = calloc((size_t)n, sizeof(*r.h));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!r.h || fd < 0) {
		free(addrs);
		free(r.h);
		if (fd >= 0)
			close(fd);
		modnl_req_done(d->mn, req, ENOMEM, "out of resources", NULL, NULL);
		return;
	}
	r.n = (size_t)n;
	for (i = 0; i < r.n; i++) {
		r.h[i].addr = addrs[i];
		r.h[i].state = -1;
	}
	free(addrs);
	getrandom(&nonce, sizeof(nonce), 0);
	setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
	for (round = 0; round < 2; round++) {
		send_probes(fd, r.h, r.n, d->conf.crawl_port, nonce);
		wait_replies(d, fd, r.h, r.n, nonce, CRAWL_WAIT_MS / 2);
	}
	close(fd);
	for (i = 0; i < r.n; i++)
		answered += r.h[i].state >= 0;
	snprintf(why, sizeof(why), "%zu of %zu addresses answered", answered,
		 r.n);
	ret = modnl_req_done(d->mn, req, 0, why, put_hosts, &r);
	if (ret < 0)
		logmsg(LOG_WARNING, "REQ_DONE (crawl): %s", strerror(-ret));
	free(r.h);
}
