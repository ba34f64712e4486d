/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the unit tests of dmpoolctl's command line: parse() runs
 * cli_parse() on a NULL-terminated list of words after "dmpoolctl", and
 * CHECK_USAGE() expects a usage error whose message contains a text.
 */
#ifndef DMPOOL_UNIT_CLI_H
#define DMPOOL_UNIT_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "unit.h"

#define MAX_ARGS 16

static char err[512];

static enum cli_result parse(struct cli *cli, const char *first, ...)
{
	char *argv[MAX_ARGS + 2];
	const char *a;
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"dmpoolctl";
	va_start(ap, first);
	for (a = first; a && argc < MAX_ARGS; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(argc, argv, cli, err, sizeof(err));
}

#define CHECK_USAGE(want, ...)						\
	do {								\
		struct cli c_;						\
		CHECK(parse(&c_, __VA_ARGS__, NULL) == CLI_USAGE);	\
		if (!strstr(err, (want))) {				\
			printf("#   message \"%s\" lacks \"%s\"\n", err, (want)); \
			unit_point_failed = 1;				\
		}							\
	} while (0)

#endif /* DMPOOL_UNIT_CLI_H */
