/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the unit tests of dmpoolctl's output: capture what a printer
 * writes to a FILE in memory, and CHECK_OUT() that a call writes exactly
 * a text.
 */
#ifndef DMPOOL_UNIT_CAPTURE_H
#define DMPOOL_UNIT_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static inline const char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

/* The call @fn(FILE, ...) succeeds and writes exactly @want. */
#define CHECK_OUT(want, fn, ...)					\
	do {								\
		struct capture c_;					\
									\
		CHECK(fn(cap_open(&c_), __VA_ARGS__) == 0);		\
		CHECK_STR(cap_close(&c_), (want));			\
		free(c_.buf);						\
	} while (0)

#endif /* DMPOOL_UNIT_CAPTURE_H */
