// SPDX-License-Identifier: GPL-2.0
/*
 * Commissioning and decommissioning nodes.
 *
 * Commission (DMPOOL_REQ_NODE_COMMISSION: ADDR [, NODE_ID, PORT]):
 *
 *  1. the origin probes ADDR with the crawl protocol: a dmpoold must
 *     answer there, uncommissioned (standalone); the node ID is NODE_ID,
 *     else the one the machine reports (its node_id setting), else the
 *     lowest free one;
 *  2. COMMISSION goes through CPG: every daemon adds the node (JOINING)
 *     and, with manage_corosync, rewrites corosync.conf's nodelist
 *     (cc_replace_nodelist, written atomically) and runs
 *     "corosync-cfgtool -R";
 *  3. once every member applied it, the origin hands the new machine its
 *     corosync.conf over the crawl port: HELLO -> CHALLENGE (32 random
 *     bytes, valid 10 s) -> JOIN (node ID, port, the challenge, the conf,
 *     HMAC-SHA256 with the cluster key) -> JOINED.  The cluster key is
 *     what admins install on a new machine, like corosync's authkey; a
 *     JOIN without the right MAC or challenge is refused;
 *  4. the target writes corosync.conf atomically and runs join_command;
 *     its corosync joins, its daemon joins CPG and adopts the snapshot by
 *     the sync rule, and logs how long that took.
 *
 * Decommission is a CPG change (refused with EBUSY while the node homes
 * extents): the node leaves the snapshot and, with manage_corosync, the
 * nodelists; the modules drop it as a peer (apply.c); its own daemon runs
 * leave_command and goes standalone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <openssl/crypto.h>

#include "corosync_conf.h"
#include "crawlproto.h"
#include "daemon.h"

#define CHALLENGE_MS	10000
#define JOIN_WAIT_MS	3000

/* Run @cmd through sh in the background, detached (no zombie). */
/*
 * In a child, before exec: the daemon blocks SIGTERM/INT/HUP (signalfd)
 * and ignores SIGPIPE; both survive exec, so a command would not stop on
 * SIGTERM and would see EPIPE instead of dying.  Give it the defaults.
 */
static void exec_sh(const char *cmd)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Run @cmd (stdout/stderr to /dev/null) and wait: its status or -1. */
static int run_wait(const char *cmd)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		exec_sh(cmd);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static void run_detached(const char *what, const char *cmd)
{
	pid_t pid;

	if (!cmd[0])
		return;
	pid = fork();
	if (pid < 0) {
		logmsg(LOG_ERR, "%s: fork: %s", what, strerror(errno));
		return;
	}
	if (pid == 0) {
		setsid();
		if (fork() == 0) {
			int fd = open("/dev/null", O_RDWR);

			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
			}
			exec_sh(cmd);
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	logmsg(LOG_INFO, "%s started: %s", what, cmd);
}

static char *read_text(const char *path)
{
	char *text = calloc(1, CRAWL_CONF_MAX + 1);
	size_t n;
	FILE *f;

	if (!text)
		return NULL;
	f = fopen(path, "re");
	if (!f) {
		free(text);
		return NULL;
	}
	n = fread(text, 1, CRAWL_CONF_MAX + 1, f);
	fclose(f);
	if (n > CRAWL_CONF_MAX || memchr(text, '\0', n)) {
		free(text);
		errno = EFBIG;
		return NULL;
	}
	return text;
}

static int write_atomic(const char *path, const char *text)
{
	char tmp[CONF_PATH_MAX + 8];
	size_t len = strlen(text);
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ret = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 ? 0 : -1;
	close(fd);
	if (ret == 0)
		ret = rename(tmp, path);
	if (ret < 0)
		unlink(tmp);
	return ret;
}

/*
 * @conf with node @id at @addr added (@add) or removed; malloc'd text or
 * NULL.  A node already listed is kept as it is.
 */
static char *nodelist_edit(const char *conf, uint32_t id, const uint8_t *addr,
			   uint8_t addr_len, bool add)
{
	struct cc_node nodes[DMPOOL_NODES_MAX];
	int n = cc_parse_nodelist(conf, nodes, DMPOOL_NODES_MAX), i, k = 0;

	if (n < 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (nodes[i].id != id || add)
			nodes[k++] = nodes[i];
	if (add) {
		for (i = 0; i < k; i++)
			if (nodes[i].id == id)
				return cc_replace_nodelist(conf, nodes, (size_t)k);
		if (k >= DMPOOL_NODES_MAX || !inet_ntop(addr_len == 4 ? AF_INET :
							AF_INET6, addr, nodes[k].addr,
							sizeof(nodes[k].addr)))
			return NULL;
		nodes[k].id = id;
		snprintf(nodes[k].name, sizeof(nodes[k].name), "node%u", id);
		k++;
	}
	return cc_replace_nodelist(conf, nodes, (size_t)k);
}

static void manage_nodelist(struct daemon *d, const struct cpgp_msg *m,
			    bool add)
{
	char *conf, *next;
	int ret;

	if (!d->conf.manage_corosync)
		return;
	conf = read_text(d->conf.corosync_conf);
	next = conf ? nodelist_edit(conf, m->node, m->addr, m->addr_len, add) :
	       NULL;
	free(conf);
	if (!next || write_atomic(d->conf.corosync_conf, next) < 0) {
		logmsg(LOG_ERR, "rewriting %s for node %u: %s",
		       d->conf.corosync_conf, m->node, strerror(errno));
		free(next);
		return;
	}
	free(next);
	ret = run_wait("corosync-cfgtool -R");
	logmsg(ret ? LOG_WARNING : LOG_INFO, "%s: node %u %s; corosync-cfgtool "
	       "-R %s", d->conf.corosync_conf, m->node, add ? "added" : "removed",
	       ret ? "failed" : "done");
}

void commission_applied(struct daemon *d, const struct cpgp_msg *m,
			const struct cl_outcome *o)
{
	if (o->status)
		return;
	if (m->type == CPGP_COMMISSION) {
		manage_nodelist(d, m, true);
		return;
	}
	manage_nodelist(d, m, false);
	if (m->node == d->self_id) {
		logmsg(LOG_NOTICE, "this node was decommissioned: leaving the "
		       "cluster");
		d->leave_pending = true;
	}
}

void commission_leave(struct daemon *d)
{
	struct snapshot empty;

	d->leave_pending = false;
	d->decommissioned = true;
	cpg_stop(d);
	/* No longer this cluster's: forget its state (the module keeps its
	 * pools until the admin removes them). */
	if (st_init(&empty) == 0) {
		st_free(&d->snap);
		d->snap = empty;
		persist(d);
	}
	run_detached("leave_command", d->conf.leave_command);
	logmsg(LOG_NOTICE, "standalone: decommissioned (SIGHUP or a restart "
	       "joins corosync again)");
}

int commission_prepare(struct daemon *d, struct nlattr **tb,
		       struct cpgp_msg *m, char *why, size_t len)
{
	struct nlattr *a = tb[DMPOOL_A_ADDR];
	struct crawl_msg ans;
	uint32_t addr, id = 0;
	char s[INET6_ADDRSTRLEN];

	if (!a || (nla_len(a) != 4 && nla_len(a) != 16)) {
		snprintf(why, len, "commission needs the node's ADDR");
		return EINVAL;
	}
	if (nla_len(a) != 4) {
		snprintf(why, len, "commission by IPv6 address is not supported "
			 "yet: the crawl protocol is IPv4");
		return EOPNOTSUPP;
	}
	memcpy(&addr, nla_data(a), 4);
	inet_ntop(AF_INET, &addr, s, sizeof(s));
	if (tb[DMPOOL_A_NODE_ID]) {
		if (nla_len(tb[DMPOOL_A_NODE_ID]) != 4 ||
		    (id = nla_get_u32(tb[DMPOOL_A_NODE_ID])) < 1 ||
		    id > DMPOOL_NODES_MAX) {
			snprintf(why, len, "NODE_ID must be 1..%d", DMPOOL_NODES_MAX);
			return EINVAL;
		}
	}
	m->type = CPGP_COMMISSION;
	m->port = d->conf.port;
	if (tb[DMPOOL_A_PORT]) {
		if (nla_len(tb[DMPOOL_A_PORT]) != 2 ||
		    !nla_get_u16(tb[DMPOOL_A_PORT])) {
			snprintf(why, len, "bad PORT");
			return EINVAL;
		}
		m->port = nla_get_u16(tb[DMPOOL_A_PORT]);
	}
	if (crawl_probe_one(d, ntohl(addr), &ans) < 0) {
		snprintf(why, len, "no dmpoold answers at %s (UDP port %u)", s,
			 d->conf.crawl_port);
		return EHOSTUNREACH;
	}
	if (ans.state != DMPOOL_NODE_UNCOMMISSIONED) {
		snprintf(why, len, "%s runs dmpoold of cluster '%s' as node %u "
			 "already", s, ans.cluster, ans.node_id);
		return EEXIST;
	}
	if (!id)
		id = ans.node_id;
	if (!id)
		for (id = 1; id <= DMPOOL_NODES_MAX && st_node(&d->snap, id); id++)
			;
	if (id > DMPOOL_NODES_MAX || st_node(&d->snap, id)) {
		snprintf(why, len, "node ID %u is taken", id);
		return EEXIST;
	}
	m->node = id;
	m->addr_len = 4;
	memcpy(m->addr, &addr, 4);
	return 0;
}

/* Send @m to @to and wait for one answer of @type; 0 or -1. */
static int exchange(int fd, const struct sockaddr_in *to,
		    const struct crawl_msg *m, uint16_t type,
		    struct crawl_msg *ans, uint8_t *buf, size_t size)
{
	uint64_t end = now_ms() + JOIN_WAIT_MS;
	int len = crawl_encode(m, buf, size);

	if (len < 0 || sendto(fd, buf, (size_t)len, 0,
			      (const struct sockaddr *)to, sizeof(*to)) < 0)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		ssize_t n;

		if (now >= end || poll(&p, 1, (int)(end - now)) <= 0)
			return -1;
		n = recv(fd, buf, size, MSG_DONTWAIT);
		if (n < 0)
			return -1;
		if (crawl_decode(ans, buf, (size_t)n) == 0 && ans->type == type &&
		    ans->nonce == m->nonce)
			return 0;
	}
}

int commission_join(struct daemon *d, const struct pending_req *p,
		    char *why, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(d->conf.crawl_port) };
	uint8_t key[DMPOOL_KEY_MAX + 1], *buf;
	struct crawl_msg m = { .type = CRAWL_HELLO }, ans;
	char *conf, *next = NULL;
	size_t klen;
	int fd = -1, ret = EIO;

	buf = malloc(CRAWL_DGRAM_MAX + 1);
	conf = read_text(d->conf.corosync_conf);
	if (conf)
		next = nodelist_edit(conf, p->node, p->addr, p->addr_len, true);
	free(conf);
	if (!buf || !next) {
		snprintf(why, len, "node %u commissioned, but %s could not be "
			 "read or extended", p->node, d->conf.corosync_conf);
		goto out;
	}
	if (load_key(d->conf.key_file, key, &klen) < 0) {
		snprintf(why, len, "node %u commissioned, but the cluster key "
			 "(%s) is unreadable", p->node, d->conf.key_file);
		goto out;
	}
	memcpy(&to.sin_addr, p->addr, 4);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	getrandom(&m.nonce, sizeof(m.nonce), 0);
	if (fd < 0 || exchange(fd, &to, &m, CRAWL_CHALLENGE, &ans, buf,
			       CRAWL_DGRAM_MAX + 1) < 0) {
		snprintf(why, len, "node %u commissioned, but its dmpoold did "
			 "not answer the join", p->node);
		ret = EHOSTUNREACH;
		goto out_key;
	}
	m.type = CRAWL_JOIN;
	m.node_id = p->node;
	m.port = p->port;
	memcpy(m.challenge, ans.challenge, CRAWL_NONCE_LEN);
	m.conf = next;
	m.conf_len = strlen(next);
	if (crawl_join_mac(&m, key, klen, m.mac) < 0 ||
	    exchange(fd, &to, &m, CRAWL_JOINED, &ans, buf,
		     CRAWL_DGRAM_MAX + 1) < 0) {
		snprintf(why, len, "node %u commissioned, but its dmpoold did "
			 "not confirm the join", p->node);
		ret = EHOSTUNREACH;
		goto out_key;
	}
	ret = (int)ans.status;
	if (ret)
		snprintf(why, len, "node %u commissioned, but it refused to "
			 "join: %s", p->node, ans.message);
	else
		snprintf(why, len, "node %u commissioned: it is joining", p->node);
out_key:
	explicit_bzero(key, sizeof(key));
out:
	if (fd >= 0)
		close(fd);
	free(next);
	free(buf);
	return ret;
}

static void reply_joined(int fd, const struct crawl_msg *req, uint32_t status,
			 const char *msg, const void *from, unsigned int fromlen)
{
	struct crawl_msg r = { .type = CRAWL_JOINED, .nonce = req->nonce,
			       .status = status };
	uint8_t buf[512];
	int len;

	snprintf(r.message, sizeof(r.message), "%s", msg);
	len = crawl_encode(&r, buf, sizeof(buf));
	if (len > 0)
		sendto(fd, buf, (size_t)len, 0, from, fromlen);
}

void commission_datagram(struct daemon *d, int fd, const struct crawl_msg *m,
			 const void *from, unsigned int fromlen)
{
	uint8_t key[DMPOOL_KEY_MAX + 1], mac[CRAWL_MAC_LEN];
	struct crawl_msg r = { .type = CRAWL_CHALLENGE, .nonce = m->nonce };
	char buf[CONF_PATH_MAX];
	char *conf, *slash;
	size_t klen;
	int len;

	if (m->type == CRAWL_HELLO) {
		if (getrandom(d->challenge, sizeof(d->challenge), 0) !=
		    (ssize_t)sizeof(d->challenge))
			return;
		d->challenge_ms = now_ms();
		memcpy(r.challenge, d->challenge, CRAWL_NONCE_LEN);
		len = crawl_encode(&r, (uint8_t *)buf, sizeof(buf));
		if (len > 0)
			sendto(fd, buf, (size_t)len, 0, from, fromlen);
		return;
	}
	if (d->in_cpg) {
		reply_joined(fd, m, EALREADY, "this node is in a cluster already",
			     from, fromlen);
		return;
	}
	if (!d->challenge_ms || now_ms() - d->challenge_ms > CHALLENGE_MS ||
	    CRYPTO_memcmp(m->challenge, d->challenge, CRAWL_NONCE_LEN)) {
		reply_joined(fd, m, EPERM, "no such challenge (expired?)", from,
			     fromlen);
		return;
	}
	d->challenge_ms = 0;	/* one JOIN per challenge */
	if (load_key(d->conf.key_file, key, &klen) < 0) {
		reply_joined(fd, m, ENOKEY, "no cluster key here", from, fromlen);
		return;
	}
	len = crawl_join_mac(m, key, klen, mac);
	explicit_bzero(key, sizeof(key));
	if (len < 0 || CRYPTO_memcmp(mac, m->mac, CRAWL_MAC_LEN)) {
		logmsg(LOG_WARNING, "JOIN refused: wrong MAC (another cluster key?)");
		reply_joined(fd, m, EPERM, "authentication failed: the cluster "
			     "keys differ", from, fromlen);
		return;
	}
	conf = strndup(m->conf, m->conf_len);
	/* A fresh machine may have no /etc/corosync yet. */
	snprintf(buf, sizeof(buf), "%s", d->conf.corosync_conf);
	slash = strrchr(buf, '/');
	if (slash && slash != buf) {
		*slash = '\0';
		mkdir_p(buf);
	}
	if (!conf || write_atomic(d->conf.corosync_conf, conf) < 0) {
		reply_joined(fd, m, EIO, "cannot write corosync.conf", from,
			     fromlen);
		free(conf);
		return;
	}
	free(conf);
	/*
	 * Forget the snapshot of any cluster this machine was in before: it
	 * must not compete in the new cluster's sync (it could win it).
	 */
	if (d->snap.name[0] || d->snap.nnodes || d->snap.npools)
		logmsg(LOG_WARNING, "forgetting the snapshot of cluster '%s' "
		       "(epoch %llu, %zu nodes, %zu pools): joining another",
		       d->snap.name, (unsigned long long)d->snap.epoch,
		       d->snap.nnodes, d->snap.npools);
	if (st_reset(&d->snap) < 0) {
		logmsg(LOG_CRIT, "out of memory resetting the snapshot");
		exit(3);
	}
	d->snap_unknown = false;
	persist(d);
	logmsg(LOG_NOTICE, "commissioned as node %u: %s written, joining",
	       m->node_id, d->conf.corosync_conf);
	if (m->port != d->conf.port)
		logmsg(LOG_WARNING, "the cluster expects transport port %u, this "
		       "node uses %u", m->port, d->conf.port);
	reply_joined(fd, m, 0, "joining", from, fromlen);
	run_detached("join_command", d->conf.join_command);
}
