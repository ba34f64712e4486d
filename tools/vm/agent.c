// SPDX-License-Identifier: GPL-2.0
/*
 * agent.c - the exec agent that runs inside every dmpool test VM.
 *
 * It listens on TCP port VMP_PORT (7000) of the VM's private network and
 * runs one command per connection, speaking the framed protocol described
 * in vmproto.h.  Design:
 *
 *  - the listening process only accepts and forks; each connection is served
 *    by its own handler process, so a hung command never blocks the next one;
 *  - the handler runs "/bin/sh -c CMD" in a new session (its own process
 *    group) with pipes for stdin, stdout and stderr, and multiplexes them
 *    with the socket in one poll() loop;
 *  - stdin is forwarded only as fast as the command reads it (at most one
 *    frame is buffered), so neither side can deadlock the other;
 *  - the command's end is seen through a pidfd; after it, output still in
 *    the pipes is forwarded until both pipes reach end of file, stay quiet
 *    for DRAIN_MS, or DRAIN_MAX_MS have passed (a background job that keeps
 *    the pipes open must not hold the answer forever), then the exit status
 *    goes back in a VMP_EXIT frame;
 *  - if the client disconnects first (timeout, Ctrl-C on the host), the
 *    whole process group of the command is killed.
 *
 * It is built static (no shared libraries needed in the guest) and started
 * and respawned by the guest's init.  There is no authentication: the port is
 * only reachable on the harness's private bridge inside a network namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmproto.h"

#define DRAIN_MS	200	/* quiet time after exit before we stop reading */
#define DRAIN_MAX_MS	2000	/* and at most this long after the exit */
#define LINGER_MS	5000	/* wait for the client to close after exit */

static void die(const char *what)
{
	fprintf(stderr, "dmpool-agent: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes; 0 on success, -1 on error or end of file. */
static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int send_frame(int sock, uint8_t type, const void *data, uint32_t len)
{
	uint8_t hdr[VMP_HDR_LEN];

	vmp_put_hdr(hdr, type, len);
	if (write_all(sock, hdr, sizeof(hdr)))
		return -1;
	return len ? write_all(sock, data, len) : 0;
}

/* Read one frame into @buf (VMP_MAX_DATA + 1 bytes); returns its length or -1. */
static long recv_frame(int sock, uint8_t *type, uint8_t *buf)
{
	uint8_t hdr[VMP_HDR_LEN];
	uint32_t len;

	if (read_full(sock, hdr, sizeof(hdr)))
		return -1;
	*type = hdr[0];
	len = vmp_get_le32(hdr + 1);
	if (len > VMP_MAX_DATA)
		return -1;
	if (len && read_full(sock, buf, len))
		return -1;
	return len;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die("fcntl");
}

/* The child side of the fork: become "/bin/sh -c cmd" in a new session. */
static void exec_command(const char *cmd, int in, int out, int err)
{
	sigset_t none;

	setsid();
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	/* Ignored signals stay ignored across exec: give the command defaults. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "dmpool-agent: exec /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

/* Everything one connection needs while its command runs. */
struct session {
	int sock;
	pid_t pid;
	int pidfd;		/* -1 once the command has been reaped */
	int in;			/* write end of the command's stdin, or -1 */
	int out, err;		/* read ends of stdout/stderr, or -1 */
	uint8_t *stdin_buf;	/* pending stdin bytes not yet written */
	size_t stdin_len, stdin_off;
	bool stdin_eof;		/* client said end of input */
	bool exited;
	int status;		/* wait status once exited */
	long long exit_ms;	/* when we saw the exit (CLOCK_MONOTONIC) */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Poll timeout: none while the command runs, bounded draining after it. */
static int poll_timeout(const struct session *s)
{
	long long left;

	if (!s->exited)
		return -1;
	left = s->exit_ms + DRAIN_MAX_MS - now_ms();
	if (left <= 0)
		return 0;
	return left < DRAIN_MS ? (int)left : DRAIN_MS;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Forward what one output pipe has; closes it on end of file. */
static int pump_output(struct session *s, int *fd, uint8_t type, uint8_t *buf)
{
	ssize_t n = read(*fd, buf, VMP_MAX_DATA);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close_fd(fd);
		return 0;
	}
	return send_frame(s->sock, type, buf, n);
}

/* Take one frame from the client; -1 means the client is gone. */
static int take_client_frame(struct session *s)
{
	uint8_t type;
	long len = recv_frame(s->sock, &type, s->stdin_buf);

	if (len < 0 || type != VMP_STDIN)
		return -1;
	if (len == 0) {
		s->stdin_eof = true;
		if (!s->stdin_len)
			close_fd(&s->in);
		return 0;
	}
	if (s->in < 0)		/* the command closed its stdin: drop input */
		return 0;
	s->stdin_len = len;
	s->stdin_off = 0;
	return 0;
}

static void feed_stdin(struct session *s)
{
	ssize_t n = write(s->in, s->stdin_buf + s->stdin_off,
			  s->stdin_len - s->stdin_off);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {			/* EPIPE: the command stopped reading */
		close_fd(&s->in);
		s->stdin_len = 0;
		return;
	}
	s->stdin_off += n;
	if (s->stdin_off == s->stdin_len) {
		s->stdin_len = 0;
		if (s->stdin_eof)
			close_fd(&s->in);
	}
}

static void reap(struct session *s)
{
	while (waitpid(s->pid, &s->status, 0) < 0 && errno == EINTR)
		;
	s->exited = true;
	s->exit_ms = now_ms();
	close_fd(&s->pidfd);
}

static void kill_command(struct session *s)
{
	if (s->exited)
		return;
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
	reap(s);
}

/* The poll loop of one connection.  Returns 0 when the command finished. */
static int run_session(struct session *s, uint8_t *outbuf)
{
	for (;;) {
		struct pollfd p[5];
		int np = 0, i_sock, i_in = -1, i_out = -1, i_err = -1;
		int i_pid = -1, n;

		if (s->exited && s->out < 0 && s->err < 0)
			return 0;
		/*
		 * While stdin bytes are pending, read no new frame but still
		 * notice a client that hangs up (POLLRDHUP).
		 */
		i_sock = np;
		p[np++] = (struct pollfd){
			.fd = s->sock,
			.events = POLLRDHUP | (s->stdin_len ? 0 : POLLIN),
		};
		if (s->stdin_len && s->in >= 0) {
			i_in = np;
			p[np++] = (struct pollfd){ .fd = s->in, .events = POLLOUT };
		}
		if (s->out >= 0) {
			i_out = np;
			p[np++] = (struct pollfd){ .fd = s->out, .events = POLLIN };
		}
		if (s->err >= 0) {
			i_err = np;
			p[np++] = (struct pollfd){ .fd = s->err, .events = POLLIN };
		}
		if (s->pidfd >= 0) {
			i_pid = np;
			p[np++] = (struct pollfd){ .fd = s->pidfd, .events = POLLIN };
		}

		n = poll(p, np, poll_timeout(s));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("poll");
		if (n == 0 || (s->exited && !poll_timeout(s)))
			return 0;	/* exited, and quiet or drained long enough */

		if (p[i_sock].revents & POLLIN) {
			if (take_client_frame(s) < 0)
				return -1;
		} else if (p[i_sock].revents) {
			return -1;	/* hung up (or error) */
		}
		if (i_in >= 0 && p[i_in].revents)
			feed_stdin(s);
		if (i_out >= 0 && p[i_out].revents &&
		    pump_output(s, &s->out, VMP_STDOUT, outbuf) < 0)
			return -1;
		if (i_err >= 0 && p[i_err].revents &&
		    pump_output(s, &s->err, VMP_STDERR, outbuf) < 0)
			return -1;
		if (i_pid >= 0 && p[i_pid].revents)
			reap(s);
	}
}

static void send_exit(struct session *s)
{
	uint8_t data[8];

	if (WIFSIGNALED(s->status)) {
		vmp_put_le32(data, VMP_SIGNALED);
		vmp_put_le32(data + 4, WTERMSIG(s->status));
	} else {
		vmp_put_le32(data, VMP_EXITED);
		vmp_put_le32(data + 4, WEXITSTATUS(s->status));
	}
	if (send_frame(s->sock, VMP_EXIT, data, sizeof(data)))
		return;
	/*
	 * Stdin the command never read may still be on its way.  Closing a
	 * socket with unread data sends a reset, which can destroy the exit
	 * frame before the client reads it: half-close instead and discard
	 * input until the client closes (bounded by LINGER_MS).
	 */
	shutdown(s->sock, SHUT_WR);
	for (;;) {
		struct pollfd p = { .fd = s->sock, .events = POLLIN };

		if (poll(&p, 1, LINGER_MS) <= 0 ||
		    read(s->sock, s->stdin_buf, VMP_MAX_DATA) <= 0)
			break;
	}
}

/* Serve one connection: read the command, run it, report how it ended. */
static void serve(int sock)
{
	static uint8_t inbuf[VMP_MAX_DATA + 1], outbuf[VMP_MAX_DATA];
	struct session s = { .sock = sock, .stdin_buf = inbuf };
	int pin[2], pout[2], perr[2];
	uint8_t type;
	long len;

	len = recv_frame(sock, &type, inbuf);
	if (len <= 0 || type != VMP_CMD)
		return;
	inbuf[len] = '\0';

	if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) ||
	    pipe2(perr, O_CLOEXEC))
		die("pipe2");
	s.pid = fork();
	if (s.pid < 0)
		die("fork");
	if (s.pid == 0) {
		close(sock);
		exec_command((char *)inbuf, pin[0], pout[1], perr[1]);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	s.in = pin[1];
	s.out = pout[0];
	s.err = perr[0];
	set_nonblock(s.in);
	set_nonblock(s.out);
	set_nonblock(s.err);
	s.pidfd = syscall(SYS_pidfd_open, s.pid, 0);
	if (s.pidfd < 0) {
		/* Do not leave the command running behind our back. */
		kill(-s.pid, SIGKILL);
		kill(s.pid, SIGKILL);
		die("pidfd_open");
	}

	if (run_session(&s, outbuf) < 0) {
		kill_command(&s);	/* the client went away */
		return;
	}
	if (!s.exited)
		reap(&s);
	send_exit(&s);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_ANY),
		.sin_port = htons(VMP_PORT),
	};
	int one = 1, lsock;

	if (argc > 1)
		addr.sin_port = htons(atoi(argv[1]));

	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);	/* handlers are reaped automatically */
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);
	setenv("TERM", "dumb", 1);
	if (chdir("/root") && chdir("/"))
		die("chdir");

	lsock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lsock < 0)
		die("socket");
	setsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lsock, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	if (listen(lsock, 64))
		die("listen");
	fprintf(stderr, "dmpool-agent: listening on port %d\n",
		ntohs(addr.sin_port));

	for (;;) {
		int sock = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
		pid_t pid;

		if (sock < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		pid = fork();
		if (pid == 0) {
			close(lsock);
			signal(SIGCHLD, SIG_DFL);
			setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one,
				   sizeof(one));
			serve(sock);
			_exit(0);
		}
		if (pid < 0)
			fprintf(stderr, "dmpool-agent: fork: %s\n",
				strerror(errno));
		close(sock);
	}
}
