# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the bats files that run dmpoold on every node
# (daemon_policy.bats; daemon.bats has its own copy for now): start and
# stop the daemon of a node, and compare the nodes' snapshots.  A file
# that loads this (after cluster_lib) sets CONF (the daemon's
# configuration) and DAEMON_LOG (its log, appended).

# Start dmpoold on node $1, without bats's descriptors.
daemon_start() {
	on "$1" "dmpoold -f -c $CONF </dev/null >>$DAEMON_LOG 2>&1 3>&- 4>&- 5>&- &"
}

# Stop it (SIGTERM) and wait at most 5 s for it to exit.
daemon_stop() {
	on "$1" 'p=$(pidof dmpoold) && kill $p; i=0; while pidof dmpoold >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; ! pidof dmpoold'
}

# The SHA-256 of node $1's persisted snapshot (the checksum it reports).
checksum() {
	on "$1" "sha256sum /var/lib/dmpool/state" | cut -d' ' -f1
}

# Every node holds the same snapshot.
all_same_state() {
	local a b c

	a=$(checksum 1) && b=$(checksum 2) && c=$(checksum 3) || return 1
	[ -n "$a" ] && [ "$a" = "$b" ] && [ "$b" = "$c" ]
}
