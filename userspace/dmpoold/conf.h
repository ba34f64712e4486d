/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoold's configuration file (key = value; see dmpoold(8)).
 */
#ifndef DMPOOLD_CONF_H
#define DMPOOLD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_PATH_DEFAULT	"/etc/dmpool/dmpoold.conf"
#define CONF_PATH_MAX		256
#define CONF_CMD_MAX		512

struct conf {
	uint32_t node_id;		/* 0: corosync's nodeid */
	bool has_addr;			/* else ring0_addr from corosync */
	int addr_family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port;
	char key_file[CONF_PATH_MAX];
	uint64_t memory;		/* 0: leave the module's as it is */
	uint64_t default_ttl_ms;	/* DMPOOL_TTL_FOREVER: never */
	char state_dir[CONF_PATH_MAX];
	uint16_t crawl_port;
	char corosync_conf[CONF_PATH_MAX];
	bool manage_corosync;
	char join_command[CONF_CMD_MAX];
	char leave_command[CONF_CMD_MAX];
};

/* The defaults. */
void conf_defaults(struct conf *c);

/*
 * Parse configuration text (the whole file) into @c (defaults first, from
 * the caller).  Blank lines and '#' comments are skipped.  Unknown keys
 * and bad values are errors: -1 with "line N: ..." in @why.
 */
int conf_parse(struct conf *c, const char *text, char *why, size_t len);
/* Read and parse @path; a missing file is fine when !@must_exist. */
int conf_load(struct conf *c, const char *path, bool must_exist, char *why,
	      size_t len);

/*
 * A duration: digits and a unit ms, s, m, h, d (none: seconds), or
 * "forever"/"never" (DMPOOL_TTL_FOREVER).  0 or -1.
 */
int conf_duration(const char *s, uint64_t *ms);

#endif /* DMPOOLD_CONF_H */
