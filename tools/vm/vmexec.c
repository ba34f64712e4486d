// SPDX-License-Identifier: GPL-2.0
/*
 * vmexec.c - run one command in a dmpool test VM through its exec agent.
 *
 *	vmexec [-i] [-t SECONDS] [-c SECONDS] [-p PORT] ADDRESS COMMAND...
 *
 * The words of COMMAND are joined with spaces (as ssh does) and run by the
 * agent as "/bin/sh -c COMMAND".  The command's stdout and stderr arrive on
 * ours; with -i our stdin is forwarded to it, otherwise it reads end of file.
 * We exit with the command's exit code, or 128 + N if a signal N killed it,
 * 124 if it ran longer than -t SECONDS (the agent then kills it), and 255 on
 * any connection or protocol error, so callers can tell the cases apart.
 *
 * The cluster script runs us inside the harness's network namespace; tests
 * inside a VM can use the copy in the guest image to reach the other VMs.
 *
 * Design: one non-blocking socket and one poll() loop.  Outgoing frames are
 * staged in a one-frame buffer and stdin is read only when that buffer is
 * empty; incoming bytes are collected until a whole frame is present.  So
 * we never block on the agent while the agent waits for us.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vmproto.h"

#define EXIT_TIMEOUT	124
#define EXIT_ERROR	255

static const char *prog = "vmexec";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-i] [-t SECONDS] [-c SECONDS] [-p PORT] ADDRESS COMMAND...\n"
		"  -i          forward stdin to the command (default: empty stdin)\n"
		"  -t SECONDS  kill the command after SECONDS (default 600, 0 = never)\n"
		"  -c SECONDS  connect timeout (default 5)\n"
		"  -p PORT     agent port (default %d)\n",
		prog, VMP_PORT);
	exit(EXIT_ERROR);
}

static void fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(EXIT_ERROR);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Milliseconds left until @deadline for poll(); -1 if there is none. */
static int ms_left(long long deadline)
{
	long long left;

	if (!deadline)
		return -1;
	left = deadline - now_ms();
	return left < 0 ? 0 : (left > 60000 ? 60000 : (int)left);
}

static unsigned long parse_seconds(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 86400 * 7)
		fail("bad number of seconds: %s", s);
	return v;
}

/* Connect to @addr:@port within @timeout_s seconds, or exit. */
static int connect_agent(const char *addr, int port, unsigned long timeout_s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
	struct pollfd p;
	int fd, err = 0, one = 1;
	socklen_t len = sizeof(err);

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		fail("not an IPv4 address: %s", addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EINPROGRESS)
			fail("connect: %s", strerror(errno));
		p = (struct pollfd){ .fd = fd, .events = POLLOUT };
		if (poll(&p, 1, timeout_s * 1000) != 1)
			fail("connect to %s: timed out", addr);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err)
			fail("connect: %s", strerror(err));
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/*
	 * Whenever this socket is closed (done, timeout, or we are killed)
	 * reset the connection instead of a FIN: a FIN queued behind stdin
	 * bytes the command never reads would never reach the agent, which
	 * would then not know to kill the command.
	 */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close,
		   sizeof(abort_on_close));
	return fd;
}

static void write_out(int fd, const uint8_t *p, size_t len)
{
	static bool broken[3];

	while (len && !broken[fd]) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, -1);
			continue;
		}
		if (n <= 0) {		/* e.g. EPIPE: reader went away */
			broken[fd] = true;
			return;
		}
		p += n;
		len -= n;
	}
}

/* The connection state: one staged outgoing frame, a partial incoming one. */
struct conn {
	int sock;
	uint8_t out[VMP_HDR_LEN + VMP_MAX_DATA];
	size_t out_len, out_off;
	bool send_closed;	/* the agent no longer takes our input */
	uint8_t in[VMP_HDR_LEN + VMP_MAX_DATA];
	size_t in_len;
};

static void stage_frame(struct conn *c, uint8_t type, const void *data,
			size_t len)
{
	vmp_put_hdr(c->out, type, len);
	memcpy(c->out + VMP_HDR_LEN, data, len);
	c->out_len = VMP_HDR_LEN + len;
	c->out_off = 0;
}

static void flush_some(struct conn *c)
{
	ssize_t n = send(c->sock, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
		/* The agent stopped reading: the command has ended. */
		c->out_len = c->out_off = 0;
		c->send_closed = true;
		return;
	}
	if (n < 0)
		fail("send: %s", strerror(errno));
	c->out_off += n;
	if (c->out_off == c->out_len)
		c->out_len = c->out_off = 0;
}

/* Handle one complete incoming frame; returns the exit code on VMP_EXIT. */
static int handle_frame(uint8_t type, const uint8_t *data, uint32_t len)
{
	uint32_t how, code;

	switch (type) {
	case VMP_STDOUT:
		write_out(1, data, len);
		return -1;
	case VMP_STDERR:
		write_out(2, data, len);
		return -1;
	case VMP_EXIT:
		if (len != 8)
			fail("protocol error: %s", "bad exit frame");
		how = vmp_get_le32(data);
		code = vmp_get_le32(data + 4);
		if (how == VMP_SIGNALED) {
			fprintf(stderr, "%s: command killed by signal %u (%s)\n",
				prog, code, strsignal(code));
			return 128 + (code & 0x7f);
		}
		return code & 0xff;
	default:
		fail("protocol error: %s", "unknown frame type");
	}
	return -1;
}

/* Read what the socket has and handle every complete frame. */
static int receive(struct conn *c)
{
	ssize_t n = recv(c->sock, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
	size_t off = 0;
	int code = -1;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return -1;
	if (n < 0)
		fail("recv: %s", strerror(errno));
	if (n == 0)
		fail("connection closed by the agent before the command %s",
		     "finished (VM powered off or crashed?)");
	c->in_len += n;
	while (code < 0 && c->in_len - off >= VMP_HDR_LEN) {
		uint32_t len = vmp_get_le32(c->in + off + 1);

		if (len > VMP_MAX_DATA)
			fail("protocol error: %s", "frame too long");
		if (c->in_len - off < VMP_HDR_LEN + len)
			break;
		code = handle_frame(c->in[off], c->in + off + VMP_HDR_LEN, len);
		off += VMP_HDR_LEN + len;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
	return code;
}

/* Join the command words with spaces, as ssh does. */
static char *join_words(int n, char **words)
{
	size_t len = 1;
	char *cmd;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	if (len - 1 > VMP_MAX_DATA)
		fail("command too long (%s)", "limit 64 KiB");
	cmd = calloc(1, len);
	if (!cmd)
		fail("%s", "out of memory");
	for (i = 0; i < n; i++) {
		if (i)
			strcat(cmd, " ");
		strcat(cmd, words[i]);
	}
	return cmd;
}

int main(int argc, char **argv)
{
	static struct conn c;
	unsigned long timeout_s = 600, connect_s = 5;
	bool fwd_stdin = false, stdin_done;
	long long deadline = 0;
	int port = VMP_PORT, opt, code = -1;
	char *cmd;

	while ((opt = getopt(argc, argv, "+it:c:p:h")) != -1) {
		switch (opt) {
		case 'i':
			fwd_stdin = true;
			break;
		case 't':
			timeout_s = parse_seconds(optarg);
			break;
		case 'c':
			connect_s = parse_seconds(optarg);
			break;
		case 'p':
			port = (int)parse_seconds(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	signal(SIGPIPE, SIG_IGN);
	cmd = join_words(argc - optind - 1, argv + optind + 1);
	if (!*cmd)
		fail("%s", "empty command");

	if (timeout_s && timeout_s < connect_s)
		connect_s = timeout_s;
	c.sock = connect_agent(argv[optind], port, connect_s);
	if (timeout_s)
		deadline = now_ms() + timeout_s * 1000;
	stage_frame(&c, VMP_CMD, cmd, strlen(cmd));
	stdin_done = false;

	while (code < 0) {
		struct pollfd p[2] = {
			{ .fd = c.sock,
			  .events = POLLIN | (c.out_len ? POLLOUT : 0) },
			{ .fd = 0, .events = POLLIN },
		};
		int np = (!stdin_done && !c.out_len && !c.send_closed) ? 2 : 1;
		int n;

		if (np == 2 && !fwd_stdin) {	/* the command gets no input */
			stage_frame(&c, VMP_STDIN, "", 0);
			stdin_done = true;
			continue;
		}
		n = poll(p, np, ms_left(deadline));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("poll: %s", strerror(errno));
		if (deadline && now_ms() >= deadline) {
			fprintf(stderr, "%s: timed out after %lu s, command killed\n",
				prog, timeout_s);
			return EXIT_TIMEOUT;
		}
		if (p[0].revents & POLLOUT)
			flush_some(&c);
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			code = receive(&c);
		if (np == 2 && p[1].revents) {
			uint8_t buf[VMP_MAX_DATA];
			ssize_t r = read(0, buf, sizeof(buf));

			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0)
				stdin_done = true;
			stage_frame(&c, VMP_STDIN, buf, r > 0 ? r : 0);
		}
	}
	return code;
}
