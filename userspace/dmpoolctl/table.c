// SPDX-License-Identifier: GPL-2.0
/*
 * dmpoolctl's aligned tables (pool list, peer list, mem show, file list):
 * two passes over the rows, one to measure every column, one to print.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

static void print_row(FILE *out, const struct table *t,
		      const char *const *cell, const int *width)
{
	int c;

	for (c = 0; c < t->shown; c++) {
		const char *sep = c + 1 < t->shown ? "  " : "\n";

		if (t->right[c])
			fprintf(out, "%*s%s", width[c], cell[c], sep);
		else if (c + 1 == t->shown)
			fprintf(out, "%s%s", cell[c], sep);
		else
			fprintf(out, "%-*s%s", width[c], cell[c], sep);
	}
}

int table_print(FILE *out, const struct table *t, size_t n)
{
	char *buf, *cell[TABLE_COLS_MAX];
	int width[TABLE_COLS_MAX];
	size_t i;
	int c;

	if (t->ncols > TABLE_COLS_MAX || t->shown > t->ncols)
		return -1;
	buf = malloc((size_t)t->ncols * t->cell_max);
	if (!buf)
		return -1;
	for (c = 0; c < t->ncols; c++) {
		cell[c] = buf + (size_t)c * t->cell_max;
		width[c] = (int)strlen(t->title[c]);
	}
	for (i = 0; i < n; i++) {
		t->fill(cell, t->cell_max, t->items, i);
		for (c = 0; c < t->ncols; c++) {
			int l = (int)strlen(cell[c]);

			if (l > width[c])
				width[c] = l;
		}
	}
	print_row(out, t, t->title, width);
	for (i = 0; i < n; i++) {
		t->fill(cell, t->cell_max, t->items, i);
		print_row(out, t, (const char *const *)cell, width);
	}
	free(buf);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
