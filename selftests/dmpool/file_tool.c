// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool-file: drives the files and cluster locks of a pool for the
 * multi-node tests (files.bats), through the raw ioctls of /dev/dmpool.
 *
 *   dmpool-file POOL create NAME SIZE [PERMITS]   print "id offset size"
 *   dmpool-file POOL delete NAME
 *   dmpool-file POOL grow NAME SIZE
 *   dmpool-file POOL count NAME N     N times: lock the mutex, add 1 to the
 *                                     u64 at the file's start, unlock
 *   dmpool-file POOL get NAME [K]     print the K-th (default 0th) u64 of
 *                                     the file, read under the mutex
 *   dmpool-file POOL put NAME VALUE   store it under the mutex
 *   dmpool-file POOL late NAME PATH K VALUE
 *                                     open NAME, print "opened size=S",
 *                                     wait for PATH to exist,
 *                                     open NAME again through the same
 *                                     descriptor (learning its size now),
 *                                     store VALUE as its K-th u64 under
 *                                     the mutex, print "stored", exit
 *                                     once PATH is gone
 *   dmpool-file POOL sem NAME N       N times: take a permit; under the
 *                                     mutex count holders (u64 at +8) and
 *                                     keep their maximum (u64 at +16);
 *                                     yield; count down; post
 *   dmpool-file POOL twolock NAME     while another description holds
 *                                     the mutex, two threads lock it
 *                                     through one description: one gets
 *                                     EDEADLK at once, an unlock meanwhile
 *                                     EPERM, the other the mutex once the
 *                                     holder lets go; print "ok"
 *   dmpool-file POOL scribble NAME VALUE
 *                                     store VALUE WITHOUT the mutex and
 *                                     msync; print "synced" or the error
 *   dmpool-file POOL hold NAME [-s] [-t] [-w MS] [-h PATH] [-W VALUE]
 *                           [-A VALUE]
 *                                     take the mutex (-s: a permit), print
 *                                     "granted token=T status=S", with -W
 *                                     store VALUE in the mapping, wait for
 *                                     PATH to exist, unlock, print
 *                                     "released" (or the unlock error);
 *                                     SIGUSR1 interrupts the wait.  With
 *                                     -A, after the wait store VALUE and
 *                                     msync, print "synced" or "msync:
 *                                     ERROR"; after an error keep the lock
 *                                     and wait to be killed (a node cut off
 *                                     is fenced next)
 *
 *   dmpool-file POOL access NAME UID  attach (as root), become UID (its
 *                                     group UID, no other groups), open
 *                                     NAME, lock and unlock its mutex,
 *                                     pwrite its first byte, map it
 *                                     PROT_WRITE; print "open: ok" or
 *                                     "open: ERROR", then "lock: ...",
 *                                     "write: ..." and "map: ..."
 *
 * Exit status: 0, 1 usage or an unexpected error, 3 busy (-t), 4 timed
 * out (-w), 5 interrupted, 6 the write-back was refused as stale.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/dmpool.h>

static int fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "dmpool-file: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void attach(const char *pool)
{
	struct dmpool_attach a = {
		.name = (uintptr_t)pool,
		.name_len = strlen(pool),
		.flags = DMPOOL_ATTACH_BY_NAME,
	};

	fd = open(DMPOOL_DEVICE_PATH, O_RDWR);
	if (fd < 0)
		die("open " DMPOOL_DEVICE_PATH);
	if (ioctl(fd, DMPOOL_IOC_ATTACH, &a))
		die("attach");
}

static int file_req(unsigned long cmd, const char *name,
		    struct dmpool_file_req *r)
{
	r->name = (uintptr_t)name;
	r->name_len = strlen(name);
	return ioctl(fd, cmd, r);
}

static struct dmpool_file_req open_file(const char *name)
{
	struct dmpool_file_req r = { 0 };

	if (file_req(DMPOOL_IOC_FILE_OPEN, name, &r))
		die("open file");
	return r;
}

static volatile uint64_t *map_file(const struct dmpool_file_req *r)
{
	void *p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       r->offset);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static int lock(uint64_t id, uint32_t kind, uint32_t flags, uint64_t ns,
		struct dmpool_lock *l)
{
	memset(l, 0, sizeof(*l));
	l->file_id = id;
	l->kind = kind;
	l->flags = flags;
	l->timeout_ns = ns;
	return ioctl(fd, DMPOOL_IOC_LOCK, l);
}

static int unlock(uint64_t id, uint32_t kind)
{
	struct dmpool_lock l = { .file_id = id, .kind = kind };

	return ioctl(fd, DMPOOL_IOC_UNLOCK, &l);
}

static void must_lock(uint64_t id, uint32_t kind)
{
	struct dmpool_lock l;

	if (lock(id, kind, 0, 0, &l))
		die("lock");
}

static void must_unlock(uint64_t id, uint32_t kind)
{
	if (unlock(id, kind))
		die("unlock");
}

static int exit_code(int err)
{
	switch (err) {
	case EBUSY:
		return 3;
	case ETIMEDOUT:
		return 4;
	case EINTR:
		return 5;
	case ESTALE:
		return 6;
	default:
		return 1;
	}
}

static void on_usr1(int sig)
{
	(void)sig;
}

static int hold(const char *name, int argc, char **argv)
{
	const char *path = NULL, *value = NULL, *after = NULL;
	uint32_t kind = DMPOOL_LOCK_MUTEX, flags = 0;
	struct dmpool_file_req r = open_file(name);
	volatile uint64_t *p = map_file(&r);
	uint64_t ns = 0;
	struct dmpool_lock l;
	int opt;

	while ((opt = getopt(argc, argv, "stw:h:W:A:")) != -1) {
		switch (opt) {
		case 's':
			kind = DMPOOL_LOCK_SEM;
			break;
		case 't':
			flags |= DMPOOL_LOCK_TRY;
			break;
		case 'w':
			flags |= DMPOOL_LOCK_TIMED;
			ns = strtoull(optarg, NULL, 0) * 1000000ULL;
			break;
		case 'h':
			path = optarg;
			break;
		case 'W':
			value = optarg;
			break;
		case 'A':
			after = optarg;
			break;
		default:
			return 1;
		}
	}
	/* SIGUSR1 interrupts the wait (no SA_RESTART): -EINTR. */
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	printf("requested\n");
	fflush(stdout);
	if (lock(r.file_id, kind, flags, ns, &l)) {
		int err = errno;

		printf("%s\n", strerror(err));
		return exit_code(err);
	}
	printf("granted token=%" PRIu64 " status=%u\n", (uint64_t)l.token,
	       l.status);
	fflush(stdout);
	if (value)
		p[0] = strtoull(value, NULL, 0);
	while (path && access(path, F_OK))
		usleep(20000);
	if (after) {
		p[0] = strtoull(after, NULL, 0);
		if (msync((void *)p, r.size, MS_SYNC)) {
			printf("msync: %s\n", strerror(errno));
			fflush(stdout);
			for (;;)
				pause();
		}
		printf("synced\n");
		fflush(stdout);
	}
	if (unlock(r.file_id, kind)) {
		int err = errno;

		printf("unlock: %s\n", strerror(err));
		return exit_code(err);
	}
	printf("released\n");
	return 0;
}

/* A mutex LOCK or UNLOCK of file @id through description @f: 0 or errno. */
static int mutex_ioc(int f, uint64_t id, unsigned long cmd)
{
	struct dmpool_lock l = { .file_id = id, .kind = DMPOOL_LOCK_MUTEX };

	return ioctl(f, cmd, &l) ? errno : 0;
}

struct locker {
	int fd;
	uint64_t id;
	int err;
	int done;		/* atomic */
	pthread_t t;
};

static void *locker_run(void *arg)
{
	struct locker *k = arg;

	k->err = mutex_ioc(k->fd, k->id, DMPOOL_IOC_LOCK);
	__atomic_store_n(&k->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int twolock_fail(const char *why)
{
	printf("%s\n", why);
	return 1;
}

static int twolock(const char *pool, const char *name)
{
	struct dmpool_file_req r = open_file(name);
	struct locker k[2], *first = NULL, *other;
	int one = fd, holder, i, ms;

	/* Another description of this process holds the mutex. */
	attach(pool);
	holder = fd;
	open_file(name);
	if (mutex_ioc(holder, r.file_id, DMPOOL_IOC_LOCK))
		return twolock_fail("the holder's lock failed");
	for (i = 0; i < 2; i++) {
		k[i] = (struct locker){ .fd = one, .id = r.file_id };
		pthread_create(&k[i].t, NULL, locker_run, &k[i]);
	}
	for (ms = 0; ms < 20000 && !first; ms++) {
		for (i = 0; i < 2 && !first; i++)
			if (__atomic_load_n(&k[i].done, __ATOMIC_ACQUIRE))
				first = &k[i];
		usleep(1000);
	}
	if (!first)
		return twolock_fail("both threads wait: no EDEADLK");
	other = first == &k[0] ? &k[1] : &k[0];
	if (first->err != EDEADLK)
		return twolock_fail("the first answer is not EDEADLK");
	if (__atomic_load_n(&other->done, __ATOMIC_ACQUIRE))
		return twolock_fail("the other thread did not wait");
	if (mutex_ioc(one, r.file_id, DMPOOL_IOC_UNLOCK) != EPERM)
		return twolock_fail("an unlock during the lock is not EPERM");
	if (mutex_ioc(holder, r.file_id, DMPOOL_IOC_UNLOCK))
		return twolock_fail("the holder's unlock failed");
	pthread_join(other->t, NULL);
	pthread_join(first->t, NULL);
	if (other->err)
		return twolock_fail("the waiting thread did not get the mutex");
	if (mutex_ioc(one, r.file_id, DMPOOL_IOC_UNLOCK))
		return twolock_fail("the unlock after the grant failed");
	printf("ok\n");
	return 0;
}

/* What access NAME UID prints: see the top of the file. */
static int access_as(const char *name, uid_t uid)
{
	struct dmpool_file_req r = { 0 };
	struct dmpool_lock l;
	char c = 'p';
	void *m;

	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		die("dropping privileges");
	if (file_req(DMPOOL_IOC_FILE_OPEN, name, &r)) {
		printf("open: %s\n", strerror(errno));
		return 0;
	}
	printf("open: ok\n");
	if (lock(r.file_id, DMPOOL_LOCK_MUTEX, 0, 0, &l) ||
	    unlock(r.file_id, DMPOOL_LOCK_MUTEX))
		printf("lock: %s\n", strerror(errno));
	else
		printf("lock: ok\n");
	if (pwrite(fd, &c, 1, (off_t)r.offset) == 1)
		printf("write: ok\n");
	else
		printf("write: %s\n", strerror(errno));
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)r.offset);
	if (m == MAP_FAILED) {
		printf("map: %s\n", strerror(errno));
	} else {
		printf("map: ok\n");
		munmap(m, 4096);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct dmpool_file_req r = { 0 };
	volatile uint64_t *p;
	const char *cmd;
	long n, i;

	if (argc < 4) {
		fprintf(stderr, "usage: see the comment at the top of file_tool.c\n");
		return 1;
	}
	attach(argv[1]);
	cmd = argv[2];

	if (!strcmp(cmd, "create") && argc >= 5) {
		r.size = strtoull(argv[4], NULL, 0);
		r.permits = argc > 5 ? strtoul(argv[5], NULL, 0) : 0;
		r.mode = 0644;
		if (file_req(DMPOOL_IOC_FILE_CREATE, argv[3], &r)) {
			int err = errno;

			printf("%s\n", strerror(err));
			return err == EEXIST ? 2 : 1;
		}
		printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       (uint64_t)r.file_id, (uint64_t)r.offset,
		       (uint64_t)r.size);
		return 0;
	}
	if (!strcmp(cmd, "delete")) {
		if (file_req(DMPOOL_IOC_FILE_DELETE, argv[3], &r)) {
			int err = errno;

			printf("%s\n", strerror(err));
			return err == EBUSY ? 3 : 1;
		}
		return 0;
	}
	if (!strcmp(cmd, "hold"))
		return hold(argv[3], argc - 3, argv + 3);
	if (!strcmp(cmd, "twolock"))
		return twolock(argv[1], argv[3]);
	if (!strcmp(cmd, "access") && argc >= 5)
		return access_as(argv[3], (uid_t)strtoul(argv[4], NULL, 0));

	r = open_file(argv[3]);
	if (!strcmp(cmd, "grow") && argc >= 5) {
		r.size = strtoull(argv[4], NULL, 0);
		r.name = 0;
		r.name_len = 0;
		if (ioctl(fd, DMPOOL_IOC_FILE_GROW, &r)) {
			printf("%s\n", strerror(errno));
			return 1;
		}
		printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       (uint64_t)r.file_id, (uint64_t)r.offset,
		       (uint64_t)r.size);
		return 0;
	}
	if (!strcmp(cmd, "late") && argc >= 7) {
		printf("opened size=%" PRIu64 "\n", (uint64_t)r.size);
		fflush(stdout);
		/* Learn the size only now, through the same descriptor. */
		while (access(argv[4], F_OK))
			usleep(20000);
		r = open_file(argv[3]);
		p = map_file(&r);
		i = strtol(argv[5], NULL, 0);
		must_lock(r.file_id, DMPOOL_LOCK_MUTEX);
		p[i] = strtoull(argv[6], NULL, 0);
		must_unlock(r.file_id, DMPOOL_LOCK_MUTEX);
		printf("stored\n");
		fflush(stdout);
		/* Keep the descriptor (whose close writes back) till told. */
		while (!access(argv[4], F_OK))
			usleep(20000);
		return 0;
	}
	p = map_file(&r);
	if (!strcmp(cmd, "get")) {
		i = argc > 4 ? strtol(argv[4], NULL, 0) : 0;
		must_lock(r.file_id, DMPOOL_LOCK_MUTEX);
		printf("%" PRIu64 "\n", p[i]);
		must_unlock(r.file_id, DMPOOL_LOCK_MUTEX);
		return 0;
	}
	if (!strcmp(cmd, "put") && argc >= 5) {
		must_lock(r.file_id, DMPOOL_LOCK_MUTEX);
		p[0] = strtoull(argv[4], NULL, 0);
		must_unlock(r.file_id, DMPOOL_LOCK_MUTEX);
		return 0;
	}
	if (!strcmp(cmd, "scribble") && argc >= 5) {
		p[0] = strtoull(argv[4], NULL, 0);
		if (msync((void *)p, r.size, MS_SYNC)) {
			int err = errno;

			printf("%s\n", strerror(err));
			return exit_code(err);
		}
		printf("synced\n");
		return 0;
	}
	if (!strcmp(cmd, "count") && argc >= 5) {
		n = strtol(argv[4], NULL, 0);
		for (i = 0; i < n; i++) {
			must_lock(r.file_id, DMPOOL_LOCK_MUTEX);
			p[0]++;
			must_unlock(r.file_id, DMPOOL_LOCK_MUTEX);
		}
		printf("done\n");
		return 0;
	}
	if (!strcmp(cmd, "sem") && argc >= 5) {
		n = strtol(argv[4], NULL, 0);
		for (i = 0; i < n; i++) {
			must_lock(r.file_id, DMPOOL_LOCK_SEM);
			must_lock(r.file_id, DMPOOL_LOCK_MUTEX);
			p[1]++;
			if (p[1] > p[2])
				p[2] = p[1];
			must_unlock(r.file_id, DMPOOL_LOCK_MUTEX);
			sched_yield();
			must_lock(r.file_id, DMPOOL_LOCK_MUTEX);
			p[1]--;
			must_unlock(r.file_id, DMPOOL_LOCK_MUTEX);
			must_unlock(r.file_id, DMPOOL_LOCK_SEM);
		}
		printf("done\n");
		return 0;
	}
	fprintf(stderr, "dmpool-file: bad command\n");
	return 1;
}
