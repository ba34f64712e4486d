// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl output of the file commands: the files of a pool as a table
 * (file list), one file as "key: value" lines (file show, file create);
 * JSON with -j (file delete's confirmation is output.c's, with pool
 * destroy's).  Same rules as output.c:
 * sizes for people in the text, exact numbers in JSON.  A file name may
 * hold any byte but NUL and '/': the text escapes control characters so
 * a name cannot break a table or fake a line; JSON escapes them anyway.
 */
#include <inttypes.h>

#include "json.h"
#include "output.h"
#include "size.h"
#include "table.h"

static int finish(FILE *out)
{
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

const char *name_escape(const char *name, char *buf, size_t len)
{
	size_t used = 0;
	const unsigned char *p;

	buf[0] = '\0';
	for (p = (const unsigned char *)name; *p && used + 1 < len; p++) {
		int n;

		if (*p == '\n')
			n = snprintf(buf + used, len - used, "\\n");
		else if (*p == '\t')
			n = snprintf(buf + used, len - used, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			n = snprintf(buf + used, len - used, "\\x%02x", *p);
		else
			n = snprintf(buf + used, len - used, "%c", *p);
		if (n < 0 || (size_t)n >= len - used)
			break;		/* an escape that does not fit: stop */
		used += (size_t)n;
	}
	buf[used] = '\0';
	return buf;
}

static void json_file_fields(struct json_writer *w, const void *item)
{
	const struct ctl_file *f = item;

	json_kv_u64(w, "pool_id", f->pool_id);
	json_kv_u64(w, "id", f->id);
	json_kv_string(w, "name", f->name);
	json_kv_u64(w, "offset", f->offset);
	json_kv_u64(w, "size", f->size);
	json_kv_u64(w, "permits", f->permits);
	json_kv_u64(w, "mode", f->mode);
	json_kv_u64(w, "uid", f->uid);
	json_kv_u64(w, "gid", f->gid);
	policy_json_grants(w, &f->policy);
}

enum { FC_ID, FC_NAME, FC_OFFSET, FC_SIZE, FC_PERMITS, FC_MODE, FC_UID,
       FC_GID, NFCOLS };

static const char *const fcol_title[NFCOLS] = {
	"ID", "NAME", "OFFSET", "SIZE", "PERMITS", "MODE", "UID", "GID",
};

/* Numbers right-aligned; the name and the mode left-aligned. */
static const bool fcol_right[NFCOLS] = {
	[FC_ID] = true, [FC_OFFSET] = true, [FC_SIZE] = true,
	[FC_PERMITS] = true, [FC_UID] = true, [FC_GID] = true,
};

/* The offset in bytes (to map the file), the size for people. */
static void fill_file_row(char *const *cell, size_t max, const void *items,
			  size_t i)
{
	const struct ctl_file *f = (const struct ctl_file *)items + i;

	snprintf(cell[FC_ID], max, "%" PRIu64, f->id);
	name_escape(f->name, cell[FC_NAME], max);
	snprintf(cell[FC_OFFSET], max, "%" PRIu64, f->offset);
	size_format(f->size, cell[FC_SIZE], max);
	snprintf(cell[FC_PERMITS], max, "%u", f->permits);
	snprintf(cell[FC_MODE], max, "%04o", f->mode);
	snprintf(cell[FC_UID], max, "%u", f->uid);
	snprintf(cell[FC_GID], max, "%u", f->gid);
}

int out_file_list(FILE *out, const struct ctl_file *files, size_t n,
		  bool json)
{
	struct table t = {
		.ncols = NFCOLS, .shown = NFCOLS, .title = fcol_title,
		.right = fcol_right, .cell_max = NAME_ESC_MAX,
		.fill = fill_file_row, .items = files,
	};

	if (!json)
		return table_print(out, &t, n);
	return json_list(out, "files", files, n, sizeof(*files),
			 json_file_fields);
}

int out_file_show(FILE *out, const struct ctl_file *f, bool json)
{
	char name[NAME_ESC_MAX];

	if (!json) {
		fprintf(out, "%-9s %" PRIu64 "\n", "id:", f->id);
		fprintf(out, "%-9s %s\n", "name:",
			name_escape(f->name, name, sizeof(name)));
		fprintf(out, "%-9s %" PRIu64 "\n", "pool id:", f->pool_id);
		show_bytes(out, "offset:", f->offset);
		show_bytes(out, "size:", f->size);
		fprintf(out, "%-9s %u\n", "permits:", f->permits);
		fprintf(out, "%-9s %04o\n", "mode:", f->mode);
		fprintf(out, "%-9s %u\n", "uid:", f->uid);
		fprintf(out, "%-9s %u\n", "gid:", f->gid);
		policy_show(out, &f->policy, 9);
		return finish(out);
	}
	return json_one(out, f, json_file_fields);
}
