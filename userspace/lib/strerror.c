// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1
/*
 * libdmpool: dmp_strerror() - what an errno means when dmpool returned it.
 *
 * The kernel reports dmpool conditions with ordinary errno values
 * (include/uapi/linux/dmpool.h lists them); strerror() would call ENODEV
 * "No such device" and EPROTO "Protocol error", which does not tell an
 * application's user what to do.  Values without a dmpool meaning fall
 * back to strerror().
 */
#include <errno.h>
#include <string.h>

#include "dmpool.h"

const char *dmp_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
	case ENODEV:
		return "no dmpool device: the dmpool module is not loaded (modprobe dmpool)";
	case EPROTO:
		return "the dmpool module speaks another ABI version than libdmpool";
	case ENOTTY:
		return "not a dmpool device";
	case ENOENT:
		return "no such pool";
	case EBUSY:
		return "already attached, or the pool is being destroyed";
	case EBADFD:
		return "not attached to a pool";
	case ENXIO:
		return "outside the pool, or the pool was destroyed";
	case EACCES:
	case EPERM:
		return "permission denied on the dmpool device";
	case EINVAL:
		return "invalid argument (pool name, ID, length or protection)";
	default:
		return strerror(err);
	}
}
