// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1
/*
 * libdmpool: the pool name rule, shared by the library and dmpoolctl.
 *
 * A pool name is 1..DMPOOL_POOL_NAME_MAX bytes of [A-Za-z0-9._-] and does
 * not start with '.' or '-' (include/uapi/linux/dmpool.h).  The kernel
 * enforces the same rule; checking it here too lets tools reject a bad
 * name with a precise message before any system call, and keeps names
 * safe to print in columns, JSON and shell scripts without quoting.
 */
#include <stddef.h>

#include <linux/dmpool.h>

#include "dmpool.h"

_Static_assert(DMP_NAME_MAX == DMPOOL_POOL_NAME_MAX,
	       "public name limit must match the kernel's");

static int name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int dmp_name_valid(const char *name)
{
	size_t i;

	if (!name || name[0] == '\0' || name[0] == '.' || name[0] == '-')
		return 0;
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= DMPOOL_POOL_NAME_MAX || !name_char_ok(name[i]))
			return 0;
	}
	return 1;
}
