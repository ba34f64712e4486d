/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The aligned tables of dmpoolctl's list commands: a title row and one
 * row per item, each column as wide as its widest cell.
 */
#ifndef DMPOOLCTL_TABLE_H
#define DMPOOLCTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_COLS_MAX 16

struct table {
	int ncols;			/* columns, at most TABLE_COLS_MAX */
	int shown;			/* of which the first @shown print */
	const char *const *title;	/* @ncols titles */
	const bool *right;		/* right-aligned (numbers) or left */
	size_t cell_max;		/* bytes of each cell, NUL included */
	/* Write row @i's cells, cell[c] of @cell_max bytes, from @items. */
	void (*fill)(char *const *cell, size_t cell_max, const void *items,
		     size_t i);
	const void *items;
};

/*
 * Print @t with @n rows: right-aligned cells padded on the left, left
 * ones on the right, except a left-aligned last column (no trailing
 * blanks); two spaces between columns.  Each row is filled twice (to
 * measure, then to print).  Returns 0, or -1 if out of memory or writing
 * failed.
 */
int table_print(FILE *out, const struct table *t, size_t n);

#endif /* DMPOOLCTL_TABLE_H */
