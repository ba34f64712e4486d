// SPDX-License-Identifier: GPL-2.0
/*
 * Links against libdmpool.so (not the objects), proving the shared
 * library exports the public API under its version script and loads by
 * its soname.
 */
#include <errno.h>

#include "dmpool.h"
#include "unit.h"

static void test_exports_work(void)
{
	CHECK(dmp_name_valid("cache"));
	CHECK(!dmp_name_valid(".x"));
	CHECK(strstr(dmp_strerror(EPROTO), "ABI") != NULL);
	errno = 0;
	CHECK(dmp_open_path("/nonexistent/dmpool") == NULL && errno == ENODEV);
	CHECK(dmp_close(NULL) == 0);
}

int main(void)
{
	RUN(test_exports_work);
	return unit_done();
}
