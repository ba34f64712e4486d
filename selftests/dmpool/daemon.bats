#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves dmpoold forms a cluster in the 3-VM cluster: with the stack up, a
# daemon on every node syncs one snapshot (the same epoch and checksum
# everywhere: the SHA-256 of /var/lib/dmpool/state is the checksum the
# daemon reports), adds the other nodes as peers of its module, and a
# restarted daemon re-adopts the same snapshot quickly without disturbing
# an attached pool.  With a module that relays requests (the "daemon"
# group, DMPOOL_FEAT_CLUSTER): a relayed POOL_CREATE on node 1 gives nodes
# 2 and 3 the same pool and map, and without a daemon a request fails with
# ENOTCONN.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  The stack stays
# up until the suite ends (see stack_start_all); the daemons stop at the
# end of this file, so the files after it see no dmpoold.

bats_require_minimum_version 1.5.0

KEYFILE=/tmp/dmpool-daemon.key
CONF=/tmp/dmpoold-test.conf
load cluster_lib

# Start dmpoold on node $1 (its log in /tmp/dmpoold.log, appended).
daemon_start() {
	on "$1" "dmpoold -f -c $CONF </dev/null >>/tmp/dmpoold.log 2>&1 3>&- 4>&- 5>&- &"
}

daemon_stop() {
	on "$1" 'p=$(pidof dmpoold) && kill $p; i=0; while pidof dmpoold >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; ! pidof dmpoold'
}

# The snapshot's checksum on node $1.
checksum() {
	on "$1" "sha256sum /var/lib/dmpool/state" | cut -d' ' -f1
}

# Every node holds the same snapshot, which knows all nodes.
all_same_state() {
	local a b c

	a=$(checksum 1) && b=$(checksum 2) && c=$(checksum 3) || return 1
	[ -n "$a" ] && [ "$a" = "$b" ] && [ "$b" = "$c" ]
}

# Every node's module has the others as connected peers.
peers_connected() {
	all_connected
}

log_has() {
	on "$1" "grep -q '$2' /tmp/dmpoold.log"
}

# The module relays requests (the daemon found its "daemon" group) and
# dmpoolctl has the cluster commands.
has_relay() {
	! on 1 "grep -q 'no .daemon. group' /tmp/dmpoold.log" &&
		dmpoolctl --help 2>&1 | grep -q 'cluster create'
}

setup_file() {
	local k key

	need_cluster "$(command -v dmpoold)"
	key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	for ((k = 1; k <= NODES; k++)); do
		on "$k" "grep -q '^dmpool ' /proc/modules || insmod $DMPOOL_KO"
		on "$k" "printf %s $key >$KEYFILE; rm -rf /var/lib/dmpool; printf 'memory = 64M\nkey_file = $KEYFILE\ndefault_ttl = 1h\n' >$CONF; : >/tmp/dmpoold.log"
	done
	stack_start_all
	for ((k = 1; k <= NODES; k++)); do
		daemon_start "$k"
	done
	DEADLINE=60 wait_until all_same_state
}

teardown_file() {
	local k

	for ((k = 1; k <= NODES; k++)); do
		daemon_stop "$k" || true
	done
}

@test "dmpoold: three daemons sync one snapshot and log their join" {
	local k

	for ((k = 1; k <= NODES; k++)); do
		wait_until log_has "$k" "joined cluster dmpool as node $k: state adopted in"
	done
	DEADLINE=30 wait_until all_same_state
}

@test "dmpoold: every module has the other nodes as connected peers" {
	DEADLINE=30 wait_until peers_connected
}

@test "dmpoold: a restarted daemon re-adopts the cluster's snapshot" {
	local before

	daemon_stop 2
	before=$(checksum 1)
	daemon_start 2
	wait_until log_has 2 "signal 15: stopping"
	DEADLINE=30 wait_until all_same_state
	[ "$(on 2 "grep -c 'state adopted in' /tmp/dmpoold.log")" -ge 2 ]
	[ -n "$before" ]
}

@test "dmpoold: a relayed pool create gives every node the same pool and map" {
	local m1 m2 m3

	has_relay || skip "no relay in the module or no cluster commands in dmpoolctl yet"
	run dmpoolctl cluster create dpool 24M
	echo "$output"
	[ "$status" -eq 0 ]
	# "pool export" prints NAME SIZE --id ID --extent-size E --map LIST.
	m1=$(on 1 "dmpoolctl pool export dpool")
	m2=$(on 2 "dmpoolctl pool export dpool")
	m3=$(on 3 "dmpoolctl pool export dpool")
	[[ $m1 == *"--map "* ]]
	[ "$m1" = "$m2" ] && [ "$m2" = "$m3" ]
	DEADLINE=30 wait_until all_same_state
}

# Pool $2 is in node $1's module, or (with "!") is not.
pool_here() {
	on "$1" "dmpoolctl pool show $2" >/dev/null 2>&1
}

pool_gone_everywhere() {
	! pool_here 1 "$1" && ! pool_here 2 "$1" && ! pool_here 3 "$1"
}

@test "dmpoold: an attached pool outlives daemon restarts and its TTL; idle, it expires" {
	has_relay || skip "no relay in the module or no cluster commands in dmpoolctl yet"
	run dmpoolctl cluster create held 4M --ttl 3s
	echo "$output"
	[ "$status" -eq 0 ]
	on 2 "rm -f /tmp/hold.out; dmpool-demo hold held </dev/null >/tmp/hold.out 2>&1 3>&- 4>&- 5>&- & echo \$! >/tmp/hold.pid"
	wait_until node_file_has 2 /tmp/hold.out attached
	on 2 "dmpool-demo write held 0 kept-through-restarts"
	# Restart the daemons of the holder's node and of the TTL's timer.
	daemon_stop 2
	daemon_stop 1
	daemon_start 1
	daemon_start 2
	DEADLINE=30 wait_until all_same_state
	# Past the TTL while attached (a wait for something that must not
	# happen has to be a fixed one): the pool stays everywhere.
	sleep 5
	pool_here 1 held && pool_here 2 held && pool_here 3 held
	on 2 'kill -0 $(cat /tmp/hold.pid)'
	run on 2 "dmpool-demo read held 0 21"
	[ "$output" = kept-through-restarts ]
	# Idle: dissolved on every node after its TTL.
	on 2 'kill $(cat /tmp/hold.pid)'
	DEADLINE=30 wait_until pool_gone_everywhere held
	DEADLINE=30 wait_until all_same_state
}

@test "dmpoold: without a daemon a relayed request fails with ENOTCONN" {
	has_relay || skip "no relay in the module or no cluster commands in dmpoolctl yet"
	daemon_stop 3
	run on 3 "dmpoolctl cluster create nodaemon 1M"
	daemon_start 3
	[ "$status" -ne 0 ]
	[[ $output == *"no dmpoold is running on this node"* ]]
	DEADLINE=30 wait_until all_same_state
}
