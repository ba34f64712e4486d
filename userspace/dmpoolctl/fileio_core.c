// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of dmpoolctl file load, dump, append and update: see
 * fileio.h.  No I/O here but writing to a given stream (fio_json()).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../lib/dmpool.h"
#include "fileio.h"
#include "json.h"
#include "size.h"

void fio_groups_free(struct fio_group *groups, size_t n)
{
	size_t i;

	for (i = 0; groups && i < n; i++)
		free(groups[i].seg);
	free(groups);
}

/* The group of @node in @g[0..*n), added (sorted by node) if missing. */
static struct fio_group *group_of(struct fio_group **g, size_t *n,
				  uint32_t node)
{
	struct fio_group *grown;
	size_t i;

	for (i = 0; i < *n && (*g)[i].node < node; i++)
		;
	if (i < *n && (*g)[i].node == node)
		return &(*g)[i];
	grown = realloc(*g, (*n + 1) * sizeof(**g));
	if (!grown)
		return NULL;
	*g = grown;
	memmove(&grown[i + 1], &grown[i], (*n - i) * sizeof(*grown));
	memset(&grown[i], 0, sizeof(*grown));
	grown[i].node = node;
	(*n)++;
	return &grown[i];
}

/* Append @len bytes at @pos to @grp, merging with its last segment. */
static int group_add(struct fio_group *grp, uint64_t pos, uint64_t len)
{
	struct fio_seg *seg;

	grp->bytes += len;
	if (grp->nseg) {
		seg = &grp->seg[grp->nseg - 1];
		if (seg->pos + seg->len == pos) {
			seg->len += len;
			return 0;
		}
	}
	seg = realloc(grp->seg, (grp->nseg + 1) * sizeof(*seg));
	if (!seg)
		return -1;
	grp->seg = seg;
	grp->seg[grp->nseg].pos = pos;
	grp->seg[grp->nseg].len = len;
	grp->nseg++;
	return 0;
}

int fio_split(uint64_t off, uint64_t len, uint64_t extent, uint32_t replicas,
	      const uint32_t *map, size_t map_len, struct fio_group **groups,
	      size_t *ngroups)
{
	struct fio_group *g = NULL, *grp;
	uint64_t pos = 0;
	size_t n = 0;

	*groups = NULL;
	*ngroups = 0;
	if (!len)
		return 0;
	if (off + len < off) {
		errno = EINVAL;
		return -1;
	}
	if (!extent || !map_len) {
		grp = group_of(&g, &n, 0);
		if (!grp || group_add(grp, 0, len))
			goto nomem;
		*groups = g;
		*ngroups = n;
		return 0;
	}
	if (!replicas) {
		errno = EINVAL;
		return -1;
	}
	while (pos < len) {
		uint64_t at = off + pos, e = at / extent;
		uint64_t chunk = (e + 1) * extent - at;

		if (chunk > len - pos)
			chunk = len - pos;
		if (e >= map_len / replicas) {
			fio_groups_free(g, n);
			errno = EINVAL;
			return -1;
		}
		grp = group_of(&g, &n, map[e * replicas]);
		if (!grp || group_add(grp, pos, chunk))
			goto nomem;
		pos += chunk;
	}
	*groups = g;
	*ngroups = n;
	return 0;

nomem:
	fio_groups_free(g, n);
	errno = ENOMEM;
	return -1;
}

double fio_rate(uint64_t bytes, double secs)
{
	return secs > 0 ? (double)bytes / secs / 1e6 : 0;
}

const char *fio_progress_format(char *buf, size_t len, uint64_t done,
				uint64_t total, double secs, int width)
{
	char bar[64], a[SIZE_FMT_MAX], b[SIZE_FMT_MAX];
	int fill, i, pct;

	if (width < 1)
		width = 1;
	if (width > (int)sizeof(bar) - 1)
		width = (int)sizeof(bar) - 1;
	if (done > total)
		done = total;
	pct = total ? (int)(done * 100 / total) : 100;
	fill = total ? (int)(done * (uint64_t)width / total) : width;
	for (i = 0; i < width; i++)
		bar[i] = i < fill ? '=' : ' ';
	if (fill < width && fill > 0)
		bar[fill - 1] = '>';
	else if (fill == 0)
		bar[0] = '>';
	bar[width] = '\0';
	snprintf(buf, len, "[%s] %3d%%  %s / %s  %.1f MB/s", bar, pct,
		 size_format(done, a, sizeof(a)),
		 size_format(total, b, sizeof(b)), fio_rate(done, secs));
	return buf;
}

/* ---- SHA-256 ------------------------------------------------------------ */

struct fio_sha {
	EVP_MD_CTX *ctx;
};

struct fio_sha *fio_sha_new(void)
{
	struct fio_sha *sha = calloc(1, sizeof(*sha));

	if (!sha)
		return NULL;
	sha->ctx = EVP_MD_CTX_new();
	if (!sha->ctx || EVP_DigestInit_ex(sha->ctx, EVP_sha256(), NULL) != 1) {
		fio_sha_free(sha);
		errno = ENOMEM;
		return NULL;
	}
	return sha;
}

int fio_sha_update(struct fio_sha *sha, const void *data, size_t len)
{
	if (!len)
		return 0;
	return EVP_DigestUpdate(sha->ctx, data, len) == 1 ? 0 : -1;
}

void fio_sha_free(struct fio_sha *sha)
{
	if (!sha)
		return;
	EVP_MD_CTX_free(sha->ctx);
	free(sha);
}

int fio_sha_final(struct fio_sha *sha, char hex[FIO_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	int ret = -1;

	hex[0] = '\0';
	if (EVP_DigestFinal_ex(sha->ctx, md, &n) == 1 && n == FIO_SHA256_LEN) {
		for (i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		ret = 0;
	}
	fio_sha_free(sha);
	return ret;
}

int fio_sha256_hex(const void *data, size_t len, char hex[FIO_SHA256_HEX])
{
	struct fio_sha *sha = fio_sha_new();

	if (!sha)
		return -1;
	if (fio_sha_update(sha, data, len)) {
		fio_sha_free(sha);
		return -1;
	}
	return fio_sha_final(sha, hex);
}

/* ---- what to print -------------------------------------------------------- */

const char *fio_summary(const struct fio_result *r, char *buf, size_t len)
{
	char what[1024], check[128];
	const char *to = strcmp(r->local, "-") ? r->local : "stdout";

	switch (r->cmd) {
	case CMD_FILE_LOAD:
		snprintf(what, sizeof(what), "loaded %" PRIu64 " bytes into %s/%s",
			 r->bytes, r->pool, r->name);
		break;
	case CMD_FILE_DUMP:
		snprintf(what, sizeof(what), "dumped %" PRIu64 " bytes of %s/%s to %s",
			 r->bytes, r->pool, r->name, to);
		break;
	case CMD_FILE_APPEND:
		snprintf(what, sizeof(what),
			 "appended %" PRIu64 " bytes to %s/%s at offset %" PRIu64,
			 r->bytes, r->pool, r->name, r->offset);
		break;
	default:
		snprintf(what, sizeof(what),
			 "updated %" PRIu64 " bytes of %s/%s at offset %" PRIu64,
			 r->bytes, r->pool, r->name, r->offset);
		break;
	}
	if (r->cmd == CMD_FILE_DUMP)
		snprintf(check, sizeof(check), "sha256 %s", r->sha256);
	else if (!r->verified)
		snprintf(check, sizeof(check), "sha256 MISMATCH");
	else if (r->still_cached)
		snprintf(check, sizeof(check),
			 "sha256 OK (%" PRIu64 " page%s read from this node's cache)",
			 r->still_cached, r->still_cached == 1 ? "" : "s");
	else
		snprintf(check, sizeof(check), "sha256 OK");
	snprintf(buf, len, "%s in %.2f s (%.1f MB/s), %s", what, r->secs,
		 fio_rate(r->bytes, r->secs), check);
	return buf;
}

int fio_json(FILE *out, const struct fio_result *r)
{
	struct json_writer w;

	json_begin(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "pool", r->pool);
	json_kv_string(&w, "name", r->name);
	json_kv_string(&w, r->cmd == CMD_FILE_DUMP ? "to" : "from", r->local);
	json_kv_u64(&w, "offset", r->offset);
	json_kv_u64(&w, "bytes", r->bytes);
	json_kv_fixed3(&w, "seconds", r->secs);
	json_kv_fixed3(&w, "mb_per_s", fio_rate(r->bytes, r->secs));
	json_kv_string(&w, "sha256", r->sha256);
	if (r->cmd != CMD_FILE_DUMP) {
		json_kv_bool(&w, "verified", r->verified);
		json_kv_u64(&w, "still_cached_pages", r->still_cached);
	}
	if (r->cmd == CMD_FILE_LOAD)
		json_kv_bool(&w, "created", r->created);
	json_object_end(&w);
	return json_end(&w);
}

const char *fio_errtext(int e)
{
	if (e < 0)
		e = -e;
	switch (e) {
	case ENOENT:
		return "no such file";
	case ENOSPC:
		return "no room in the pool";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EBUSY:
		return "busy";
	case ESTALE:
		return "write-back refused: a newer holder of the file's mutex wrote it (fencing)";
	default:
		return dmp_strerror(e);
	}
}
