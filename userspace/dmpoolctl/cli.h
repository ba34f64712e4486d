/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoolctl command line: what the user asked for, parsed and validated.
 */
#ifndef DMPOOLCTL_CLI_H
#define DMPOOLCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/dmpool.h>

enum cli_command {
	CMD_NONE,
	CMD_POOL_CREATE,
	CMD_POOL_LIST,
	CMD_POOL_SHOW,
	CMD_POOL_DESTROY,
	CMD_VERSION,
};

/* A pool named on the command line: by ID (all digits) or by name. */
struct pool_sel {
	bool by_id;
	uint64_t id;
	char name[DMPOOL_POOL_NAME_MAX + 1];
};

struct cli {
	enum cli_command cmd;
	bool json;		/* -j, --json */
	bool force;		/* pool destroy --force */
	struct pool_sel sel;	/* create (name only), show, destroy */
	uint64_t size;		/* create: bytes */
};

enum cli_result {
	CLI_OK,		/* *cli is ready to run */
	CLI_HELP,	/* -h/--help: print cli_usage() to stdout, exit 0 */
	CLI_USAGE,	/* bad command line: print the message, exit 2 */
};

/*
 * Parse @argc/@argv (argv[0] is the program name).  Options may appear
 * anywhere before "--".  On CLI_USAGE, @err holds a one-line reason.
 * Pure: touches nothing but its arguments.
 */
enum cli_result cli_parse(int argc, char *const argv[], struct cli *cli,
			  char *err, size_t errlen);

/* The --help text. */
void cli_usage(FILE *out);

/* Describe @sel for messages: "foo" or "ID 7". */
const char *pool_sel_str(const struct pool_sel *sel, char *buf, size_t len);

#endif /* DMPOOLCTL_CLI_H */
