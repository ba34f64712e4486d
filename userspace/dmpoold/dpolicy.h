/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cluster pool's access policy as the daemons agree on it: owner,
 * group, mode and grants (DMPOOL_FEAT_POLICY), in the snapshot and in the
 * POOL_CREATE and POOL_SET messages.  Pure.
 *
 * Encoding (little-endian): u32 uid, u32 gid, u32 mode, u8 ngrants
 * (at most DMPOOL_GRANTS_MAX), ngrants (u32 uid, u32 rights).  Grants are
 * kept sorted by uid, so equal policies encode to equal bytes.
 */
#ifndef DMPOOLD_DPOLICY_H
#define DMPOOLD_DPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/dmpool.h>

#include "wire.h"

/* The module's defaults for a pool created without policy attributes. */
#define DPOLICY_MODE_DEFAULT	0666U

struct dpolicy {
	uint32_t uid, gid, mode;
	uint32_t ngrants;
	struct dmpool_grant grants[DMPOOL_GRANTS_MAX];
};

/* root:root 0666, no grants. */
void dpolicy_default(struct dpolicy *p);
/*
 * Whether the module would take it: uid and gid not (uint32_t)-1, mode at
 * most 0777, grants as policy_check_grants() wants.  0, or -1 with why.
 */
int dpolicy_check(const struct dpolicy *p, char *why, size_t len);
/* Sort the grants by uid (the canonical order). */
void dpolicy_sort(struct dpolicy *p);
/* Same owner, group, mode and set of grants (in any order). */
bool dpolicy_equal(const struct dpolicy *a, const struct dpolicy *b);

void dpolicy_put(struct wbuf *w, const struct dpolicy *p);
/* Reads one; more than DMPOOL_GRANTS_MAX grants marks the read short. */
void dpolicy_get(struct rbuf *r, struct dpolicy *p);

/* "uid:gid 0640, 2 grants" for logs. */
const char *dpolicy_str(const struct dpolicy *p, char *buf, size_t len);

#endif /* DMPOOLD_DPOLICY_H */
