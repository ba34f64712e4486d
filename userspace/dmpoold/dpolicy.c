// SPDX-License-Identifier: GPL-2.0
/*
 * Cluster pools' access policies: checks, canonical order, encoding.
 * See dpolicy.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpolicy.h"
#include "policy.h"

void dpolicy_default(struct dpolicy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = DPOLICY_MODE_DEFAULT;
}

int dpolicy_check(const struct dpolicy *p, char *why, size_t len)
{
	if (p->uid == UINT32_MAX || p->gid == UINT32_MAX) {
		snprintf(why, len, "%s 4294967295 is not an ID (0 to 4294967294)",
			 p->uid == UINT32_MAX ? "owner" : "group");
		return -1;
	}
	if (p->mode > 0777) {
		snprintf(why, len, "mode %#o is above 0777", p->mode);
		return -1;
	}
	return policy_check_grants(p->grants, p->ngrants, why, len);
}

static int grant_cmp(const void *a, const void *b)
{
	const struct dmpool_grant *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

void dpolicy_sort(struct dpolicy *p)
{
	if (p->ngrants > 1 && p->ngrants <= DMPOOL_GRANTS_MAX)
		qsort(p->grants, p->ngrants, sizeof(p->grants[0]), grant_cmp);
}

bool dpolicy_equal(const struct dpolicy *a, const struct dpolicy *b)
{
	struct dpolicy x = *a, y = *b;

	if (x.uid != y.uid || x.gid != y.gid || x.mode != y.mode ||
	    x.ngrants != y.ngrants || x.ngrants > DMPOOL_GRANTS_MAX)
		return false;
	dpolicy_sort(&x);
	dpolicy_sort(&y);
	return !memcmp(x.grants, y.grants, x.ngrants * sizeof(x.grants[0]));
}

void dpolicy_put(struct wbuf *w, const struct dpolicy *p)
{
	uint32_t i, n = p->ngrants <= DMPOOL_GRANTS_MAX ? p->ngrants : 0;

	if (p->ngrants > DMPOOL_GRANTS_MAX)
		w->failed = true;
	wb_u32(w, p->uid);
	wb_u32(w, p->gid);
	wb_u32(w, p->mode);
	wb_u8(w, (uint8_t)n);
	for (i = 0; i < n; i++) {
		wb_u32(w, p->grants[i].uid);
		wb_u32(w, p->grants[i].rights);
	}
}

void dpolicy_get(struct rbuf *r, struct dpolicy *p)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->uid = rb_u32(r);
	p->gid = rb_u32(r);
	p->mode = rb_u32(r);
	p->ngrants = rb_u8(r);
	if (p->ngrants > DMPOOL_GRANTS_MAX) {
		r->short_read = true;
		p->ngrants = 0;
		return;
	}
	for (i = 0; i < p->ngrants; i++) {
		p->grants[i].uid = rb_u32(r);
		p->grants[i].rights = rb_u32(r);
	}
}

const char *dpolicy_str(const struct dpolicy *p, char *buf, size_t len)
{
	snprintf(buf, len, "%u:%u %04o, %u grant%s", p->uid, p->gid, p->mode,
		 p->ngrants, p->ngrants == 1 ? "" : "s");
	return buf;
}
