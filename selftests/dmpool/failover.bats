#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves what a node's failure does to the cluster locks of a pool's
# files, on the 3-VM cluster with the kernel DLM under corosync, by
# stopping and powering off VMs through the host (host_ctl):
#   - a holder's VM stopped past the membership timeout: another node gets
#     the mutex and is told the owner died; the stopped VM, resumed, writes
#     back under its old token before the new holder wrote anything and is
#     refused as stale (both sides count it), the data stays intact, and
#     the new holder's writes land;
#   - a holder's VM powered off: another node gets the mutex after
#     recovery and is told the owner died, the next holder is not, and the
#     semaphore permit the dead node held comes back.
# The pool lives on node 1 only, so no data is lost with the nodes.  The
# file runs last (tools/vm/run-suite): it leaves nodes 2 and 3 powered off.
# Runs in VM node 1 (tools/vm/run-suite), like files.bats.
# run-suite: last

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
KEYFILE=/tmp/dmpool-failover.key
FT=$BATS_TEST_DIRNAME/helpers/dmpool-file
POOL=fopool
load cluster_lib

# Counter $2 of the pool's stats on node $1.
stat_of() {
	on "$1" "dmpoolctl -j pool stats $POOL" | jq -er ".$2"
}

# Node 1's corosync membership is quorate.
quorate() {
	corosync-quorumtool -s | grep -Eq '^Quorate: +Yes'
}

setup_file() {
	local k args

	need_cluster "$FT" || return 1
	host_ctl ping || return 1
	fresh_cluster
	stack_start_all

	# Every byte of the pool (its directory too) lives on node 1.
	dmpoolctl pool create $POOL 4M --cluster --extent-size 1M --nodes 1
	args=$(dmpoolctl pool export $POOL)
	for ((k = 2; k <= NODES; k++)); do
		on "$k" "dmpoolctl pool install $args"
	done
}

teardown_file() {
	rm -f "$KEYFILE"
}

@test "failover: a holder stopped past the membership timeout is refused as stale when it resumes" {
	run -0 ft 1 create stale 4096
	run -0 ft 1 put stale 1
	hold_bg 3 /tmp/fo-3.out stale -h /tmp/fo-go -A 33
	wait_until node_file_has 3 /tmp/fo-3.out granted

	# Node 3's membership daemons are frozen first, so that its return
	# cannot disturb the others: dlm_controld expels one side, at random,
	# when a node comes back with lockspace state from before it was
	# dropped (in production, node fencing deals with that node).  Its
	# kernel, the lock holder in it and the data path come back.
	on 3 'kill -STOP $(pidof corosync) $(pidof dlm_controld)'
	host_ctl stop 3
	# Node 2 waits until corosync drops node 3 and the DLM recovers, and
	# holds the mutex without writing anything yet.
	on 2 "rm -f /tmp/fo-go2"
	hold_bg 2 /tmp/fo-2.out stale -w 120000 -h /tmp/fo-go2
	DEADLINE=150 wait_until node_file_has 2 /tmp/fo-2.out granted
	run on 2 "cat /tmp/fo-2.out"
	[[ $output == *"status=1"* ]]

	# Resumed, node 3 still believes it holds the mutex: it writes and
	# flushes, and the home refuses its old token: node 2's grant told
	# the home about node 2's token.
	host_ctl cont 3
	DEADLINE=60 wait_until on 3 "touch /tmp/fo-go"
	wait_until node_file_has 3 /tmp/fo-3.out "msync: Stale"
	[ "$(stat_of 3 stale_writes)" -ge 1 ]
	[ "$(stat_of 1 stale_refused)" -ge 1 ]
	on 2 "touch /tmp/fo-go2"
	wait_until node_file_has 2 /tmp/fo-2.out released

	# A node cut off is fenced before the cluster goes on.
	host_ctl poweroff 3
	run -0 ft 1 get stale
	[ "$output" = 1 ]
	run -0 ft 2 put stale 22
	run -0 ft 1 get stale
	[ "$output" = 22 ]
}

@test "failover: a holder powered off: the next holder is told the owner died, its permit comes back" {
	run -0 ft 1 create dead 4096 1
	hold_bg 2 /tmp/fo-m.out dead -h /tmp/fo-never
	hold_bg 2 /tmp/fo-s.out dead -s -h /tmp/fo-never
	wait_until node_file_has 2 /tmp/fo-m.out granted
	wait_until node_file_has 2 /tmp/fo-s.out granted
	run -3 ft 1 hold dead -s -t

	host_ctl poweroff 2
	# Node 1 is left alone of three: not quorate, so the DLM waits.  The
	# admin, knowing nodes 2 and 3 are off, lets it go on alone.
	wait_until eval '! quorate'
	corosync-quorumtool -e 1
	wait_until quorate
	run -0 ft 1 hold dead -w 120000
	[[ $output == *"status=1"* ]]
	[[ $output == *released* ]]
	# Told once: the next holder finds the value block it left.
	run -0 ft 1 hold dead -t
	[[ $output == *"status=0"* ]]
	run -0 ft 1 hold dead -s -w 60000
	[[ $output == *released* ]]
}
