// SPDX-License-Identifier: GPL-2.0
/*
 * rr - TCP request/response latency: the baseline of the remote 4 KiB fault.
 *
 *   rr server [-p PORT] [-s SIZE] [-1]
 *   rr client [-p PORT] [-s SIZE] [-n ITERS] [-w WARMUP] [-t SECONDS]
 *             [-o SAMPLES_FILE] HOST
 *
 * The server accepts connections and echoes every SIZE-byte message back
 * (one connection at a time; with -1 it exits after the first one).  The
 * client connects (retrying until -t SECONDS, default 30, pass: the server
 * may still be starting), sets TCP_NODELAY, runs WARMUP untimed round trips
 * (default 100), then ITERS (default 10000) timed ones: send SIZE bytes
 * (default 4096), wait for SIZE bytes back.  It prints one line:
 *
 *   rr size=4096 iters=10000 p50_us=... p99_us=... mean_us=... min_us=... max_us=...
 *
 * and, with -o, every round trip in microseconds, one per line.  This is a
 * benchmark tool: it measures, it never judges.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

static _Noreturn void usage(void)
{
	fprintf(stderr,
		"usage: rr server [-p PORT] [-s SIZE] [-1]\n"
		"       rr client [-p PORT] [-s SIZE] [-n ITERS] [-w WARMUP] [-t SECONDS]\n"
		"                 [-o SAMPLES_FILE] HOST\n");
	exit(2);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1 on a complete message, 0 on EOF before any byte, -1 on error. */
static int read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)n;
	}
	return 1;
}

static void set_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		perror("rr: TCP_NODELAY");
}

static int serve(const char *port, size_t size, int once)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	int ls, one = 1, zero = 0;
	char *buf = malloc(size);

	if (!buf)
		return 1;
	a.sin6_port = htons((uint16_t)atoi(port));
	ls = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0) {
		perror("rr: socket");
		return 1;
	}
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 4) < 0) {
		perror("rr: bind/listen");
		return 1;
	}
	for (;;) {
		int c = accept(ls, NULL, NULL);
		int r;

		if (c < 0) {
			if (errno == EINTR)
				continue;
			perror("rr: accept");
			return 1;
		}
		set_nodelay(c);
		while ((r = read_all(c, buf, size)) == 1)
			if (write_all(c, buf, size) < 0)
				break;
		close(c);
		if (once)
			break;
	}
	close(ls);
	free(buf);
	return 0;
}

static int dial(const char *host, const char *port, double timeout_s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	double deadline = now_s() + timeout_s;
	int err;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		fprintf(stderr, "rr: %s: %s\n", host, gai_strerror(err));
		return -1;
	}
	for (;;) {
		for (ai = res; ai; ai = ai->ai_next) {
			int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
					ai->ai_protocol);

			if (fd < 0)
				continue;
			if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
				freeaddrinfo(res);
				return fd;
			}
			err = errno;
			close(fd);
		}
		if (now_s() >= deadline) {
			fprintf(stderr, "rr: connect to %s port %s: %s\n", host, port,
				strerror(err));
			freeaddrinfo(res);
			return -1;
		}
		/* The server may not listen yet: retry until the deadline. */
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
	}
}

static int client(const char *host, const char *port, size_t size, long iters,
		  long warmup, double timeout_s, const char *samples_file)
{
	double *lat = calloc((size_t)iters, sizeof(*lat));
	char *out = malloc(size), *in = malloc(size);
	struct stats st;
	long i;
	int fd;

	if (!lat || !out || !in) {
		fprintf(stderr, "rr: out of memory\n");
		return 1;
	}
	for (i = 0; i < (long)size; i++)
		out[i] = (char)(i * 131 + 7);
	fd = dial(host, port, timeout_s);
	if (fd < 0)
		return 1;
	set_nodelay(fd);
	for (i = -warmup; i < iters; i++) {
		double t0 = now_s();

		if (write_all(fd, out, size) < 0 || read_all(fd, in, size) != 1) {
			fprintf(stderr, "rr: connection lost after %ld round trips\n",
				i + warmup);
			return 1;
		}
		if (i >= 0)
			lat[i] = (now_s() - t0) * 1e6;
	}
	close(fd);
	if (memcmp(in, out, size) != 0) {
		fprintf(stderr, "rr: the echo differs from what was sent\n");
		return 1;
	}
	if (samples_file && write_samples(samples_file, lat, (size_t)iters) < 0)
		return 1;
	stats_of(lat, (size_t)iters, &st);
	printf("rr size=%zu iters=%ld p50_us=%.1f p99_us=%.1f mean_us=%.1f min_us=%.1f max_us=%.1f\n",
	       size, iters, st.p50, st.p99, st.mean, st.min, st.max);
	free(lat);
	free(out);
	free(in);
	return 0;
}

int main(int argc, char **argv)
{
	const char *port = "7471", *samples = NULL, *mode;
	long iters = 10000, warmup = 100;
	double timeout_s = 30;
	size_t size = 4096;
	int once = 0, opt;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "p:s:n:w:t:o:1")) != -1) {
		switch (opt) {
		case 'p': port = optarg; break;
		case 's': size = (size_t)parse_size(optarg); break;
		case 'n': iters = atol(optarg); break;
		case 'w': warmup = atol(optarg); break;
		case 't': timeout_s = atof(optarg); break;
		case 'o': samples = optarg; break;
		case '1': once = 1; break;
		default: usage();
		}
	}
	if (size == 0 || size > (64u << 20) || iters <= 0 || warmup < 0 || atoi(port) <= 0)
		usage();
	if (!strcmp(mode, "server") && optind == argc)
		return serve(port, size, once);
	if (!strcmp(mode, "client") && optind == argc - 1)
		return client(argv[optind], port, size, iters, warmup, timeout_s, samples);
	usage();
	return 2;
}
