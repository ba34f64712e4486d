// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster snapshot.
 *
 * Every daemon holds the same snapshot: the cluster's name, its epoch (one
 * more for every change applied), its quorum generation (one more for
 * every change applied with quorum), the next pool sequence number, the
 * commissioned nodes and the pools with their placement maps and
 * per-node attach counts.  It is replicated by applying the same CPG
 * messages in the same order (see cpgproto.h) and compared by checksum:
 * the SHA-256 of its canonical encoding below.  Local facts (timers, when
 * a pool became idle on this daemon's clock) are not in it.
 *
 * Encoding (all little-endian):
 *	u32 magic "DMPS", u32 version, u64 body length, then the body:
 *	str name, u64 epoch, u64 qgen, u64 next_seq,
 *	u32 nnodes, per node: u32 id, u32 state, u8 addr_len, addr_len
 *	  bytes, u16 port, u64 capacity, u64 committed, str version;
 *	u32 npools, per pool: u64 id, str name, u64 size, u64 extent,
 *	  u32 replicas, u64 ttl_ms, u64 idle_epoch, policy (dpolicy.h: u32
 *	  uid, u32 gid, u32 mode, u8 ngrants, ngrants (u32 uid, u32 rights)
 *	  sorted by uid), u32 nmap, nmap u32, u32 nattach, nattach (u32
 *	  node, u32 count) of nonzero counts.
 * Version 1 had neither the quorum generation nor policies; it is still
 * decoded, with qgen 0 and the module's default policy (root:root 0666, no
 * grants), and saved as 3.  (Version 2 was never released.)
 * Nodes and pools are kept sorted by ID, so equal snapshots encode to
 * equal bytes.  Decoding bounds every count and length before use and
 * refuses trailing bytes.
 *
 * Persistence: state.tmp, fsync, rename over "state", fsync the directory:
 * a crash leaves the old or the new snapshot, never a mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "state.h"
#include "wire.h"
#include "place.h"

int st_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->next_seq = 1;
	s->pools = calloc(DMPOOL_POOLS_MAX, sizeof(*s->pools));
	return s->pools ? 0 : -1;
}

void st_free(struct snapshot *s)
{
	size_t i;

	if (!s->pools)
		return;
	for (i = 0; i < s->npools; i++)
		free(s->pools[i].map);
	free(s->pools);
	s->pools = NULL;
	s->npools = 0;
}

int st_reset(struct snapshot *s)
{
	st_free(s);
	return st_init(s);
}

int st_copy(struct snapshot *dst, const struct snapshot *src)
{
	size_t i;

	st_free(dst);
	if (st_init(dst) < 0)
		return -1;
	memcpy(dst->name, src->name, sizeof(dst->name));
	dst->epoch = src->epoch;
	dst->qgen = src->qgen;
	dst->next_seq = src->next_seq;
	dst->nnodes = src->nnodes;
	memcpy(dst->nodes, src->nodes, sizeof(dst->nodes));
	for (i = 0; i < src->npools; i++) {
		if (st_pool_add(dst, &src->pools[i]) < 0) {
			st_free(dst);
			return -1;
		}
	}
	return 0;
}

struct st_node *st_node(struct snapshot *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		if (s->nodes[i].id == id)
			return &s->nodes[i];
	return NULL;
}

const struct st_node *st_node_c(const struct snapshot *s, uint32_t id)
{
	return st_node((struct snapshot *)s, id);
}

struct st_node *st_node_add(struct snapshot *s, uint32_t id)
{
	struct st_node *n = st_node(s, id);
	size_t i;

	if (n)
		return n;
	if (id < 1 || id > DMPOOL_NODES_MAX || s->nnodes >= DMPOOL_NODES_MAX)
		return NULL;
	for (i = s->nnodes; i > 0 && s->nodes[i - 1].id > id; i--)
		s->nodes[i] = s->nodes[i - 1];
	memset(&s->nodes[i], 0, sizeof(s->nodes[i]));
	s->nodes[i].id = id;
	s->nodes[i].state = DMPOOL_NODE_JOINING;
	s->nnodes++;
	return &s->nodes[i];
}

void st_node_remove(struct snapshot *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		if (s->nodes[i].id != id)
			continue;
		memmove(&s->nodes[i], &s->nodes[i + 1],
			(s->nnodes - i - 1) * sizeof(s->nodes[0]));
		s->nnodes--;
		return;
	}
}

struct st_pool *st_pool_by_id(struct snapshot *s, uint64_t id)
{
	size_t i;

	for (i = 0; i < s->npools; i++)
		if (s->pools[i].id == id)
			return &s->pools[i];
	return NULL;
}

struct st_pool *st_pool_by_name(struct snapshot *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->npools; i++)
		if (!strcmp(s->pools[i].name, name))
			return &s->pools[i];
	return NULL;
}

int st_pool_add(struct snapshot *s, const struct st_pool *p)
{
	uint32_t *map = NULL;
	size_t i;

	if (s->npools >= DMPOOL_POOLS_MAX || st_pool_by_id(s, p->id) ||
	    p->nmap > DMPOOL_MAP_ENTRIES_MAX)
		return -1;
	if (p->nmap) {
		map = malloc(p->nmap * sizeof(*map));
		if (!map)
			return -1;
		memcpy(map, p->map, p->nmap * sizeof(*map));
	}
	for (i = s->npools; i > 0 && s->pools[i - 1].id > p->id; i--)
		s->pools[i] = s->pools[i - 1];
	s->pools[i] = *p;
	s->pools[i].map = map;
	s->npools++;
	return 0;
}

void st_pool_remove(struct snapshot *s, uint64_t id)
{
	size_t i;

	for (i = 0; i < s->npools; i++) {
		if (s->pools[i].id != id)
			continue;
		free(s->pools[i].map);
		memmove(&s->pools[i], &s->pools[i + 1],
			(s->npools - i - 1) * sizeof(s->pools[0]));
		s->npools--;
		return;
	}
}

uint64_t st_pool_attached(const struct st_pool *p)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < DMPOOL_NODES_MAX; i++)
		sum += p->attach[i];
	return sum;
}

void st_recompute_committed(struct snapshot *s)
{
	size_t i, j;

	for (i = 0; i < s->nnodes; i++) {
		uint64_t c = 0;

		for (j = 0; j < s->npools; j++) {
			const struct st_pool *p = &s->pools[j];

			c += place_share(p->size, p->extent, p->map, p->nmap,
					 s->nodes[i].id);
		}
		s->nodes[i].committed = c;
	}
}

int st_encode(const struct snapshot *s, uint8_t **buf, size_t *len)
{
	struct wbuf w = { 0 };
	size_t i, j;

	wb_u32(&w, ST_MAGIC);
	wb_u32(&w, ST_VERSION);
	wb_u64(&w, 0);			/* body length, below */
	wb_str(&w, s->name);
	wb_u64(&w, s->epoch);
	wb_u64(&w, s->qgen);
	wb_u64(&w, s->next_seq);
	wb_u32(&w, (uint32_t)s->nnodes);
	for (i = 0; i < s->nnodes; i++) {
		const struct st_node *n = &s->nodes[i];

		wb_u32(&w, n->id);
		wb_u32(&w, n->state);
		wb_u8(&w, n->addr_len);
		wb_put(&w, n->addr, n->addr_len);
		wb_u16(&w, n->port);
		wb_u64(&w, n->capacity);
		wb_u64(&w, n->committed);
		wb_str(&w, n->version);
	}
	wb_u32(&w, (uint32_t)s->npools);
	for (i = 0; i < s->npools; i++) {
		const struct st_pool *p = &s->pools[i];
		uint32_t nattach = 0;

		wb_u64(&w, p->id);
		wb_str(&w, p->name);
		wb_u64(&w, p->size);
		wb_u64(&w, p->extent);
		wb_u32(&w, p->replicas);
		wb_u64(&w, p->ttl_ms);
		wb_u64(&w, p->idle_epoch);
		dpolicy_put(&w, &p->policy);
		wb_u32(&w, p->nmap);
		for (j = 0; j < p->nmap; j++)
			wb_u32(&w, p->map[j]);
		for (j = 0; j < DMPOOL_NODES_MAX; j++)
			nattach += p->attach[j] != 0;
		wb_u32(&w, nattach);
		for (j = 0; j < DMPOOL_NODES_MAX; j++) {
			if (!p->attach[j])
				continue;
			wb_u32(&w, (uint32_t)j + 1);
			wb_u32(&w, p->attach[j]);
		}
	}
	if (w.failed) {
		free(w.p);
		return -1;
	}
	/* The body length, in place (bytes 8..15). */
	for (i = 0; i < 8; i++)
		w.p[8 + i] = (uint8_t)((uint64_t)(w.len - 16) >> (8 * i));
	*buf = w.p;
	*len = w.len;
	return 0;
}

static bool addr_len_ok(uint8_t n)
{
	return n == 0 || n == 4 || n == 16;
}

static bool state_ok(uint32_t st)
{
	return st == DMPOOL_NODE_MEMBER || st == DMPOOL_NODE_DOWN ||
	       st == DMPOOL_NODE_JOINING;
}

static int decode_pool(struct rbuf *r, uint32_t version, struct st_pool *p,
		       char *why, size_t len)
{
	char pwhy[160];
	uint32_t i, nattach;

	memset(p, 0, sizeof(*p));
	p->id = rb_u64(r);
	rb_str(r, p->name, sizeof(p->name));
	p->size = rb_u64(r);
	p->extent = rb_u64(r);
	p->replicas = rb_u32(r);
	p->ttl_ms = rb_u64(r);
	p->idle_epoch = rb_u64(r);
	if (version == ST_VERSION_V1)
		dpolicy_default(&p->policy);
	else
		dpolicy_get(r, &p->policy);
	p->nmap = rb_u32(r);
	if (r->short_read)
		goto truncated;
	if (dpolicy_check(&p->policy, pwhy, sizeof(pwhy)) < 0) {
		snprintf(why, len, "pool %#llx: %s", (unsigned long long)p->id,
			 pwhy);
		return -1;
	}
	for (i = 1; i < p->policy.ngrants; i++) {
		if (p->policy.grants[i - 1].uid >= p->policy.grants[i].uid) {
			snprintf(why, len, "pool %#llx: grants out of order",
				 (unsigned long long)p->id);
			return -1;
		}
	}
	if (!(p->id & DMPOOL_POOL_ID_CLUSTER) || !p->name[0] ||
	    p->size < DMPOOL_POOL_SIZE_MIN || p->size > DMPOOL_POOL_SIZE_MAX ||
	    !place_extent_valid(p->extent) || p->replicas < 1 ||
	    p->replicas > DMPOOL_REPLICAS_MAX ||
	    p->nmap != place_extents(p->size, p->extent) * p->replicas ||
	    p->nmap > DMPOOL_MAP_ENTRIES_MAX) {
		snprintf(why, len, "pool %#llx is malformed",
			 (unsigned long long)p->id);
		return -1;
	}
	p->map = malloc(p->nmap * sizeof(*p->map));
	if (!p->map) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (i = 0; i < p->nmap; i++) {
		p->map[i] = rb_u32(r);
		if (p->map[i] < 1 || p->map[i] > DMPOOL_NODES_MAX) {
			snprintf(why, len, "pool %#llx: bad node in its map",
				 (unsigned long long)p->id);
			return -1;
		}
	}
	nattach = rb_u32(r);
	if (nattach > DMPOOL_NODES_MAX) {
		snprintf(why, len, "pool %#llx: too many attach counts",
			 (unsigned long long)p->id);
		return -1;
	}
	for (i = 0; i < nattach; i++) {
		uint32_t node = rb_u32(r), count = rb_u32(r);

		if (r->short_read)
			goto truncated;
		if (node < 1 || node > DMPOOL_NODES_MAX) {
			snprintf(why, len, "pool %#llx: bad attach node",
				 (unsigned long long)p->id);
			return -1;
		}
		p->attach[node - 1] = count;
	}
	if (r->short_read)
		goto truncated;
	return 0;
truncated:
	snprintf(why, len, "truncated");
	return -1;
}

int st_decode(struct snapshot *s, const uint8_t *buf, size_t len,
	      char *why, size_t whylen)
{
	struct rbuf r = { .p = buf, .len = len };
	uint32_t magic, version, n, i;
	uint64_t body;

	st_free(s);
	if (st_init(s) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	magic = rb_u32(&r);
	version = rb_u32(&r);
	body = rb_u64(&r);
	if (r.short_read) {
		snprintf(why, whylen, "truncated header");
		goto fail;
	}
	if (magic != ST_MAGIC ||
	    (version != ST_VERSION && version != ST_VERSION_V1)) {
		snprintf(why, whylen, "not a dmpool snapshot of version %u or %u",
			 ST_VERSION_V1, ST_VERSION);
		goto fail;
	}
	if (body != len - 16 || len > ST_ENCODED_MAX) {
		snprintf(why, whylen, "length %llu does not match %zu bytes",
			 (unsigned long long)body, len - 16);
		goto fail;
	}
	rb_str(&r, s->name, sizeof(s->name));
	s->epoch = rb_u64(&r);
	if (version != ST_VERSION_V1)
		s->qgen = rb_u64(&r);
	s->next_seq = rb_u64(&r);
	n = rb_u32(&r);
	if (r.short_read || n > DMPOOL_NODES_MAX) {
		snprintf(why, whylen, r.short_read ? "truncated" :
			 "too many nodes");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		struct st_node nd = { 0 };

		nd.id = rb_u32(&r);
		nd.state = rb_u32(&r);
		nd.addr_len = rb_u8(&r);
		if (r.short_read || !addr_len_ok(nd.addr_len) ||
		    !state_ok(nd.state) || nd.id < 1 ||
		    nd.id > DMPOOL_NODES_MAX || st_node(s, nd.id) ||
		    (s->nnodes && s->nodes[s->nnodes - 1].id > nd.id)) {
			snprintf(why, whylen, "node %u is malformed", nd.id);
			goto fail;
		}
		if (nd.addr_len) {
			const uint8_t *a = rb_get(&r, nd.addr_len);

			if (a)
				memcpy(nd.addr, a, nd.addr_len);
		}
		nd.port = rb_u16(&r);
		nd.capacity = rb_u64(&r);
		nd.committed = rb_u64(&r);
		rb_str(&r, nd.version, sizeof(nd.version));
		if (r.short_read) {
			snprintf(why, whylen, "truncated");
			goto fail;
		}
		s->nodes[s->nnodes++] = nd;
	}
	n = rb_u32(&r);
	if (r.short_read || n > DMPOOL_POOLS_MAX) {
		snprintf(why, whylen, r.short_read ? "truncated" :
			 "too many pools");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		struct st_pool p;

		if (decode_pool(&r, version, &p, why, whylen) < 0) {
			free(p.map);
			goto fail;
		}
		if ((s->npools && s->pools[s->npools - 1].id >= p.id) ||
		    st_pool_by_name(s, p.name)) {
			free(p.map);
			snprintf(why, whylen, "pool %#llx out of order or twice",
				 (unsigned long long)p.id);
			goto fail;
		}
		s->pools[s->npools++] = p;	/* takes the map */
	}
	if (r.off != r.len) {
		snprintf(why, whylen, "%zu trailing bytes", r.len - r.off);
		goto fail;
	}
	return 0;
fail:
	st_free(s);
	st_init(s);
	return -1;
}

int st_checksum(const struct snapshot *s, uint8_t out[DMPOOL_CHECKSUM_LEN])
{
	unsigned int n = 0;
	uint8_t *buf;
	size_t len;
	int ret;

	if (st_encode(s, &buf, &len) < 0)
		return -1;
	ret = EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 &&
	      n == DMPOOL_CHECKSUM_LEN ? 0 : -1;
	free(buf);
	return ret;
}

const char *st_checksum_short(const uint8_t sum[DMPOOL_CHECKSUM_LEN],
			      char buf[17])
{
	int i;

	for (i = 0; i < 8; i++)
		snprintf(buf + 2 * i, 3, "%02x", sum[i]);
	return buf;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int st_save(const struct snapshot *s, const char *dir)
{
	char tmp[4096], path[4096];
	uint8_t *buf;
	size_t len;
	int fd, dfd, err;

	if (snprintf(tmp, sizeof(tmp), "%s/state.tmp", dir) >= (int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/state", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (st_encode(s, &buf, &len) < 0) {
		errno = ENOMEM;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		free(buf);
		errno = err;
		return -1;
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		err = errno;
		close(fd);
		unlink(tmp);
		free(buf);
		errno = err;
		return -1;
	}
	free(buf);
	if (close(fd) < 0 || rename(tmp, path) < 0)
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	err = fsync(dfd);
	close(dfd);
	return err;
}

int st_load(struct snapshot *s, const char *dir, char *why, size_t len)
{
	char path[4096];
	struct stat stb;
	uint8_t *buf;
	size_t got = 0;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/state", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &stb) < 0 || stb.st_size < 16 ||
	    (uint64_t)stb.st_size > ST_ENCODED_MAX) {
		snprintf(why, len, "%s: bad size", path);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)stb.st_size);
	if (!buf) {
		close(fd);
		snprintf(why, len, "out of memory");
		return -1;
	}
	while (got < (size_t)stb.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)stb.st_size - got);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	ret = st_decode(s, buf, got, why, len);
	free(buf);
	return ret;
}

size_t st_sync_pick(const uint64_t *qgens, const uint64_t *epochs,
		    const uint32_t *ids, size_t n)
{
	size_t best = 0, i;

	for (i = 1; i < n; i++) {
		if (qgens[i] != qgens[best]) {
			if (qgens[i] > qgens[best])
				best = i;
			continue;
		}
		if (epochs[i] > epochs[best] ||
		    (epochs[i] == epochs[best] && ids[i] < ids[best]))
			best = i;
	}
	return best;
}
