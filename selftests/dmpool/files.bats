#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves files and their cluster locks on the 3-VM cluster, with the kernel
# DLM under corosync: files created on one node are found on the others;
# of three nodes creating one name at once exactly one succeeds; processes
# on all nodes counting under a file's mutex reach the exact total; a
# 2-permit semaphore is never held by more than 2 (the holders count
# themselves in the pool); a value written under the mutex on one node is
# read by the next holder on another that had the old page cached; trylock,
# bounded waits, EINTR, close and kill -9 behave; a file open anywhere
# cannot be deleted; the netlink file commands work (files_nl_test); a
# write-back made under a permit after the mutex went elsewhere is not
# fenced.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  Starts the
# cluster stack (so run-suite runs it last) and leaves it running.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
KEYFILE=/tmp/dmpool-files.key
FT=$BATS_TEST_DIRNAME/helpers/dmpool-file
NLT=$BATS_TEST_DIRNAME/helpers/files_nl_test
POOL=fpool
load cluster_lib

setup_file() {
	files_setup $POOL || return 1
	stack_start_all
}

teardown_file() {
	on_all_anyway "touch /tmp/ft-release; kill \$(pidof dmpool-file) 2>/dev/null; rm -f $KEYFILE"
}

@test "files: created on one node, opened on the others, grown, deleted" {
	run -0 ft 1 create alpha 10000
	read -r id off size <<<"$output"
	[ "$size" = 10000 ]
	[ "$off" -ge 65536 ]
	[ $((off % 4096)) -eq 0 ]
	# Node 2 finds it at the same place; node 3 grows it in place.
	run -0 ft 2 grow alpha 10000
	[ "$output" = "$id $off 10000" ]
	run -0 ft 3 grow alpha 20000
	[ "$output" = "$id $off 20000" ]
	run -0 ft 2 grow alpha 20000
	[ "$output" = "$id $off 20000" ]
	# Shrinking is refused; a second file lands elsewhere.
	run -1 ft 1 grow alpha 100
	run -0 ft 2 create beta 4096
	read -r id2 off2 _ <<<"$output"
	[ "$id2" -gt "$id" ]
	[ "$off2" -ge $((off + 20480)) ]
	# A name exists once, cluster-wide.
	run -2 ft 3 create alpha 4096
	[[ $output == *"File exists"* ]]
	run -0 ft 3 delete beta
	run -1 ft 1 delete beta
	[[ $output == *"No such file"* ]]
}

@test "files: three nodes create one name at once: one wins, two get EEXIST" {
	local k

	for ((k = 1; k <= NODES; k++)); do
		on "$k" "$FT $POOL create race 4096 >/tmp/ft-race.out 2>&1; echo rc=\$? >>/tmp/ft-race.out" &
	done
	wait
	local wins=0 exists=0
	for ((k = 1; k <= NODES; k++)); do
		run on "$k" "cat /tmp/ft-race.out"
		[[ $output == *rc=0* ]] && wins=$((wins + 1))
		[[ $output == *rc=2* ]] && exists=$((exists + 1))
	done
	[ "$wins" -eq 1 ]
	[ "$exists" -eq $((NODES - 1)) ]
}

@test "mutex: processes on three nodes count to the exact total" {
	local k n=150

	run -0 ft 1 create counter 4096
	run -0 ft 1 put counter 0
	for ((k = 1; k <= NODES; k++)); do
		on "$k" "$FT $POOL count counter $n; $FT $POOL count counter $n" >/dev/null &
		on "$k" "$FT $POOL count counter $n" >/dev/null &
	done
	wait
	for ((k = 1; k <= NODES; k++)); do
		run -0 ft "$k" get counter
		[ "$output" = $((3 * n * NODES)) ]
	done
}

@test "mutex: a write past the size a descriptor first saw reaches the next holder after a grow" {
	# A process on node 2 opened the file before node 3 grew it; it
	# opens it again through the same descriptor, learns the new size and
	# writes past the old one under the mutex.  Its release must flush
	# that page too (the descriptor stays open: its close would).
	run -0 ft 1 create grown 4096
	on 2 "rm -f /tmp/ft-grown"
	on 2 "$FT $POOL late grown /tmp/ft-grown 512 77 </dev/null >/tmp/ft-late.out 2>&1 3>&- 4>&- 5>&- &"
	wait_until node_file_has 2 /tmp/ft-late.out "opened size=4096"
	run -0 ft 3 grow grown 8192
	on 2 "touch /tmp/ft-grown"
	wait_until node_file_has 2 /tmp/ft-late.out stored
	run -0 ft 1 get grown 512
	on 2 "rm -f /tmp/ft-grown"
	[ "$output" = 77 ]
}

@test "mutex: the next holder on another node sees the value, not its cached page" {
	run -0 ft 1 create coherent 4096
	run -0 ft 2 put coherent 7
	# Node 3 caches the page holding 7; node 1 changes it.
	run -0 ft 3 get coherent
	[ "$output" = 7 ]
	run -0 ft 1 put coherent 4242
	run -0 ft 3 get coherent
	[ "$output" = 4242 ]
	run -0 ft 2 get coherent
	[ "$output" = 4242 ]
}

@test "semaphore: 2 permits are never held by more than 2 on 3 nodes" {
	local k

	run -0 ft 1 create sem2 4096 2
	for ((k = 1; k <= NODES; k++)); do
		on "$k" "$FT $POOL sem sem2 40" >/dev/null &
		on "$k" "$FT $POOL sem sem2 40" >/dev/null &
	done
	wait
	run -0 ft 2 get sem2 1
	[ "$output" = 0 ]
	run -0 ft 2 get sem2 2
	[ "$output" -ge 1 ]
	[ "$output" -le 2 ]
}

@test "mutex: trylock is busy elsewhere, a bounded wait times out, EINTR, kill -9 releases" {
	run -0 ft 1 create tl 4096
	on 1 "rm -f /tmp/ft-release"
	hold_bg 1 /tmp/ft-1.out tl -h /tmp/ft-release
	wait_until node_file_has 1 /tmp/ft-1.out granted

	run -3 ft 2 hold tl -t
	[[ $output == *"busy"* ]]
	run -4 ft 3 hold tl -w 500
	[[ $output == *"timed out"* ]]
	# Another process on the holder's node is refused too.
	run -3 ft 1 hold tl -t

	# A waiter interrupted by a signal gets EINTR.
	hold_bg 2 /tmp/ft-2.out tl
	wait_until node_file_has 2 /tmp/ft-2.out requested
	run on 2 "cat /tmp/ft-2.out"
	[[ $output != *granted* ]]
	on 2 'kill -USR1 $(cat /tmp/ft-2.out.pid)'
	wait_until node_file_has 2 /tmp/ft-2.out Interrupted

	# kill -9 of the holder releases it: a waiter on node 3 gets it.
	hold_bg 3 /tmp/ft-3.out tl -w 60000
	wait_until node_file_has 3 /tmp/ft-3.out requested
	on 1 'kill -9 $(cat /tmp/ft-1.out.pid)'
	wait_until node_file_has 3 /tmp/ft-3.out granted
	run on 1 "cat /tmp/ft-1.out"
	[[ $output != *released* ]]
}

@test "mutex: two threads of one descriptor lock and unlock one at a time" {
	run -0 ft 2 create twol 4096
	run -0 ft 2 twolock twol
	[ "$output" = ok ]
}

@test "semaphore: a try takes a free permit, close releases it" {
	run -0 ft 1 create s1 4096 1
	on 1 "rm -f /tmp/ft-release"
	hold_bg 1 /tmp/ft-s.out s1 -s -h /tmp/ft-release
	wait_until node_file_has 1 /tmp/ft-s.out granted
	run -3 ft 2 hold s1 -s -t
	run -4 ft 3 hold s1 -s -w 300
	on 1 "touch /tmp/ft-release"
	wait_until node_file_has 1 /tmp/ft-s.out released
	run -0 ft 2 hold s1 -s -w 60000
	[[ $output == *released* ]]
}

@test "files: a file open on another node cannot be deleted" {
	run -0 ft 1 create busy 4096
	on 2 "rm -f /tmp/ft-release"
	hold_bg 2 /tmp/ft-b.out busy -h /tmp/ft-release
	wait_until node_file_has 2 /tmp/ft-b.out granted
	run -3 ft 3 delete busy
	[[ $output == *"busy"* ]]
	on 2 "touch /tmp/ft-release"
	wait_until node_file_has 2 /tmp/ft-b.out released
	# The holder exited; its node's open lock goes with its last close.
	DEADLINE=30 wait_until ft 3 delete busy
}

@test "fencing: only write-backs under the mutex are fenced: a later permit holder's write lands" {
	# Proves the writer side's stamps end with the mutex: node w held the
	# mutex (token t), node n took it after (t+1) and wrote; node w's
	# later write under a semaphore permit is not refused as stale, even
	# after node w grew the file between the two.  (The
	# home's refusal of an older token is proved by serve_test.)
	local id off home w n

	run -0 ft 1 create fenced 4096 2
	read -r id off _ <<<"$output"
	home=$(dmpoolctl -j pool export $POOL | jq -r ".map[$((off >> 20))]")
	w=$((home % NODES + 1))
	n=$((w % NODES + 1))
	run -0 ft "$w" put fenced 11
	# A grow on node w after its release must not fence it again.
	run -0 ft "$w" grow fenced 8192
	run -0 ft "$n" put fenced 22
	run -0 ft "$w" hold fenced -s -W 33
	[[ $output == *released* ]]
	# It reached the home (node n's cached page is not coherent with a
	# permit's write: the application guide says so).
	run -0 ft "$home" get fenced
	[ "$output" = 33 ]
	[ "$(on "$w" "dmpoolctl -j pool stats $POOL" | jq -r .stale_writes)" = 0 ]
	[ "$(on "$home" "dmpoolctl -j pool stats $POOL" | jq -r .stale_refused)" = 0 ]
}

@test "netlink: FILE_NEW, FILE_GET (doit and dump), FILE_DEL and their errors" {
	run "$NLT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"# PASSED: 2 / 2 tests passed."* ]]
}
