#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves dmpoold on the 3-VM cluster, with corosync and the kernel DLM:
#  - three daemons sync one snapshot: the same epoch and checksum on every
#    node, in the module (cluster show) and on disk (the SHA-256 of
#    /var/lib/dmpool/state), and every module gets the others as peers;
#  - a pool created through node 1's module is placed on the cluster's
#    free memory, given to every node with the same map, usable from nodes
#    2 and 3, listed by status; one that does not fit is refused clearly;
#  - a restarted daemon re-adopts the snapshot without disturbing an
#    attached pool, which outlives its TTL; idle, a pool is dissolved
#    everywhere after its TTL and its memory returned; re-attached within
#    the TTL it keeps its data;
#  - file load then dump through a cluster pool is byte-identical;
#  - without a daemon, a cluster request fails at once with a clear error.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  The stack stays
# up until the suite ends (see stack_start_all); the daemons stop at the
# end of this file, so the files after it see no dmpoold.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
PAT=$BATS_TEST_DIRNAME/helpers/dmpool-pattern
load cluster_lib

setup_file() {
	need_cluster "$PAT" || return 1
	command -v dmpoold >/dev/null || { echo "dmpoold not in PATH" >&2; return 1; }
	daemons_setup
}

teardown_file() {
	on_all_anyway "if [ -f /tmp/hold.pid ]; then kill \$(cat /tmp/hold.pid); rm -f /tmp/hold.pid; fi"
	daemons_stop_all
}

# Pool $2 is in node $1's module.
pool_here() {
	on "$1" "dmpoolctl pool show $2" >/dev/null 2>&1
}

pool_gone_everywhere() {
	! pool_here 1 "$1" && ! pool_here 2 "$1" && ! pool_here 3 "$1"
}

# Node $1's module has committed nothing of its store to pools.
nothing_committed() {
	on "$1" "dmpoolctl -j mem show" |
		jq -e '.nodes[] | select(.self) | .committed == 0' >/dev/null
}

# "epoch E checksum C" of node $1's module (cluster show).
epoch_line() {
	on "$1" "dmpoolctl cluster show" | grep '^epoch '
}

same_epoch_line() {
	local a

	a=$(epoch_line 1) || return 1
	[ "$(epoch_line 2)" = "$a" ] && [ "$(epoch_line 3)" = "$a" ]
}

@test "dmpoold: three daemons sync one snapshot, reported by every module" {
	local k sum

	for ((k = 1; k <= NODES; k++)); do
		wait_until daemon_log_has "$k" "joined cluster dmpool as node $k: state adopted in"
	done
	DEADLINE=30 wait_until same_state
	DEADLINE=30 wait_until same_epoch_line
	# The module's checksum is the SHA-256 of the persisted snapshot.
	sum=$(daemon_checksum 2)
	run -0 on 2 "dmpoolctl -j cluster show"
	echo "$output" | jq -e --arg sum "$sum" '.checksum == $sum and
		.quorate == true and .daemon == true and .members == [1, 2, 3]'
}

@test "dmpoold: every module has the other nodes as connected peers" {
	DEADLINE=30 wait_until all_connected
}

@test "dmpoold: a cluster pool gets the same map on every node and is usable from each" {
	local m1 m2 m3

	run -0 dmpoolctl cluster create dpool 24M
	echo "$output"
	# "pool export" prints NAME SIZE --id ID --extent-size E --map LIST.
	m1=$(on 1 "dmpoolctl pool export dpool")
	m2=$(on 2 "dmpoolctl pool export dpool")
	m3=$(on 3 "dmpoolctl pool export dpool")
	[[ $m1 == *"--map "* ]]
	[ "$m1" = "$m2" ] && [ "$m2" = "$m3" ]
	# Placed over all three nodes' free memory.
	[[ ${m1##*--map } == *1* && ${m1##*--map } == *2* && ${m1##*--map } == *3* ]]
	on 2 "$PAT write dpool 0 $((24 << 20)) 7"
	on 3 "$PAT verify dpool 0 $((24 << 20)) 7"
	run -0 on 3 "dmpoolctl -j status"
	echo "$output" | jq -e '[.nodes[] | select(.state == "member")] | length == 3'
	echo "$output" | jq -e '.pools[] | select(.name == "dpool") | .size == 25165824'
	DEADLINE=30 wait_until same_state
	run -0 dmpoolctl cluster destroy dpool
	DEADLINE=30 wait_until pool_gone_everywhere dpool
}

@test "dmpoold: a pool larger than the cluster's free memory is refused clearly" {
	run -1 on 2 "dmpoolctl cluster create toobig 1G"
	[[ $output == *"free"*"toobig"*"needs"* ]]
	! pool_here 1 toobig
}

@test "dmpoold: a restarted daemon re-adopts the snapshot; an attached pool outlives restarts and its TTL" {
	run -0 dmpoolctl cluster create held 4M --ttl 3s
	on 2 "rm -f /tmp/hold.out; dmpool-demo hold held </dev/null >/tmp/hold.out 2>&1 3>&- 4>&- 5>&- & echo \$! >/tmp/hold.pid"
	wait_until node_file_has 2 /tmp/hold.out attached
	on 2 "dmpool-demo write held 0 kept-through-restarts"
	# Restart the daemons of the holder's node and of node 1, the lowest
	# member, whose timer runs the TTLs.
	daemon_stop 2
	daemon_stop 1
	daemon_start 1
	daemon_start 2
	DEADLINE=30 wait_until same_state
	[ "$(on 2 "grep -c 'state adopted in' $DLOG")" -ge 2 ]
	# A pool nobody attaches, made now with the same TTL, expires: the
	# restarted timer runs, and "held" had the same chance to expire.
	run -0 dmpoolctl cluster create sentinel 4M --ttl 3s
	DEADLINE=60 wait_until pool_gone_everywhere sentinel
	pool_here 1 held && pool_here 2 held && pool_here 3 held
	on 2 'kill -0 $(cat /tmp/hold.pid)'
	run -0 on 2 "dmpool-demo read held 0 21"
	[ "$output" = kept-through-restarts ]
	# Idle: dissolved on every node after its TTL, its memory returned.
	on 2 'kill $(cat /tmp/hold.pid); rm -f /tmp/hold.pid'
	DEADLINE=60 wait_until pool_gone_everywhere held
	DEADLINE=30 wait_until same_state
	for k in 1 2 3; do
		wait_until nothing_committed "$k"
	done
}

@test "dmpoold: a pool re-attached within its TTL keeps its data" {
	run -0 dmpoolctl cluster create kept 4M --ttl 1h
	on 3 "dmpool-demo write kept 4096 still-here"
	# Detached now: idle, but within its TTL.
	run -0 on 2 "dmpool-demo read kept 4096 10"
	[ "$output" = still-here ]
	run -0 on 3 "dmpoolctl -j status"
	echo "$output" | jq -e '.pools[] | select(.name == "kept") | .state == "idle"'
	# A shorter TTL set now dissolves it everywhere.
	run -0 dmpoolctl cluster set kept --ttl 2s
	DEADLINE=60 wait_until pool_gone_everywhere kept
}

@test "dmpoold: file load on node 1 and dump on node 3 through a cluster pool are byte-identical" {
	run -0 dmpoolctl cluster create filepool 16M --ttl forever
	on 1 "head -c 3000000 /dev/urandom >/tmp/dload.in"
	run -0 dmpoolctl file load filepool data /tmp/dload.in
	[[ $output == *"sha256 OK"* ]]
	on 3 "rm -f /tmp/dload.out"
	run -0 on 3 "dmpoolctl file dump filepool data /tmp/dload.out"
	[ "$(on 3 "sha256sum </tmp/dload.out")" = "$(sha256sum </tmp/dload.in)" ]
	# The pool stays: destroying it would make every node leave its DLM
	# lockspace (see "cluster stack" in Documentation/testing.rst).
}

@test "dmpoold: without a daemon a cluster request fails at once with a clear error" {
	daemon_stop 3
	run -1 on 3 "dmpoolctl cluster create nodaemon 1M"
	daemon_start 3
	[[ $output == *"no dmpoold is running on this node"* ]]
	run -0 on 3 "dmpoolctl cluster show"
	DEADLINE=30 wait_until same_state
}
