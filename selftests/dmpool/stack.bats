#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves the cluster stack the file locks will run on works in the 3-VM
# cluster: dmpool-stack brings corosync (knet) into one quorate membership
# of all nodes and dlm_controld up on each; a kernel DLM lock (through
# libdlm) held on node 1 is refused to a trylock on node 2, makes a bounded
# wait on node 2 time out, and is granted to a waiter on node 3 once node 1
# releases it.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  The stack and
# the lockspace stay up until the suite ends (stack_start_all says why).

bats_require_minimum_version 1.5.0

LOCK=$BATS_TEST_DIRNAME/helpers/dmpool-dlm-lock
load cluster_lib

# Node $1 sees all $NODES nodes as members (corosync-quorumtool -l).
members_all() {
	[ "$(on "$1" "corosync-quorumtool -l" | grep -c ' node[0-9]')" -eq "$NODES" ]
}

setup_file() {
	need_cluster "$LOCK"
	stack_start_all
}

teardown_file() {
	on 1 "touch /tmp/dlm-release" || true	# a holder left by a failure
}

@test "corosync: every node is in one quorate membership of all nodes" {
	local k

	for ((k = 1; k <= NODES; k++)); do
		run on "$k" "corosync-quorumtool -s"
		[ "$status" -eq 0 ]
		[[ $output == *"Quorate:          Yes"* ]]
		members_all "$k"
	done
}

@test "dlm_controld: every node sees every node as a member" {
	local k

	for ((k = 1; k <= NODES; k++)); do
		run on "$k" "dlm_tool status"
		[ "$status" -eq 0 ]
		[ "$(grep -c '^node [0-9]* M ' <<<"$output")" -eq "$NODES" ]
	done
}

@test "DLM: a lock held on node 1 is busy on node 2 and granted to node 3 after release" {
	on 1 "rm -f /tmp/dlm-release; $LOCK -h /tmp/dlm-release dmpool_stack r1 </dev/null >/tmp/dlm-1.out 2>&1 3>&- &"
	wait_until node_file_has 1 /tmp/dlm-1.out granted

	# Trylock: refused at once while node 1 holds it.
	run on 2 "$LOCK -t dmpool_stack r1"
	[ "$status" -eq 3 ]
	[[ $output == *busy ]]
	# A bounded wait: times out, and cancels its request.
	run on 2 "$LOCK -w 1 dmpool_stack r1"
	[ "$status" -eq 4 ]
	[[ $output == *timeout ]]
	# Another resource of the same lockspace is free.
	run on 2 "$LOCK -t dmpool_stack r2"
	[ "$status" -eq 0 ]

	# A queued waiter on node 3 gets it once node 1 lets go.
	on 3 "($LOCK -w 60 dmpool_stack r1 >/tmp/dlm-3.out 2>&1; echo rc=\$? >>/tmp/dlm-3.out) &"
	wait_until node_file_has 3 /tmp/dlm-3.out requested
	run on 3 "$LOCK -t dmpool_stack r1"
	[ "$status" -eq 3 ]
	run on 3 "cat /tmp/dlm-3.out"
	[[ $output != *granted* ]]
	on 1 "touch /tmp/dlm-release"
	wait_until node_file_has 1 /tmp/dlm-1.out released
	wait_until node_file_has 3 /tmp/dlm-3.out rc=0
	run on 3 "cat /tmp/dlm-3.out"
	[[ $output == *granted* ]]
}
