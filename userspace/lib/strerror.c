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
		return "no such pool or file";
	case EBUSY:
		return "busy: already attached, the pool is being destroyed, the lock is held, or the file is open";
	case EBADFD:
		return "not attached to a pool";
	case ENXIO:
		return "outside the pool, or the pool was destroyed";
	case EACCES:
		return "permission denied: the device, or the pool's or file's access policy (owner, group, mode, grants)";
	case EPERM:
		return "permission denied on the dmpool device";
	case EINVAL:
		return "invalid argument (pool name, ID, length or protection)";
	case ENOTCONN:
		return "no cluster lock manager on this node (start corosync and dlm_controld)";
	case EUCLEAN:
		return "the pool's first 64 KiB are not a file directory";
	case EDEADLK:
		return "this handle holds the lock already";
	case EOWNERDEAD:
		return "lock taken, but its previous holder's node died: unreleased writes may be lost";
	case ESTALE:
		return "write-back refused: a newer lock holder wrote the file";
	default:
		return strerror(err);
	}
}
