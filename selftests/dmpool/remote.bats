#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves remote memory on the 3-VM cluster: nodes report their exposed
# memory to each other; a pool placed over all three nodes and written on
# node 1 is read back checksummed on node 2, while node 1 is still attached
# (after msync) and after it detached; pages written through a mapping go
# home at munmap and close without msync; a pool three times node 3's RAM,
# homed on nodes 1 and 2, is written and verified end to end from node 3
# without OOM; a home that goes silent makes its pages fail with -EIO and
# SIGBUS within the request timeout while pages elsewhere keep working,
# rmmod with that dead peer is prompt, and the data comes back with it.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  run-suite gives
# node 3 less RAM than the others (VM_MEM_3).  It reloads dmpool.ko on every
# node first and again at the end, so it leaves every node as it found it.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
KEYFILE=/tmp/dmpool-remote.key
PAT=$BATS_TEST_DIRNAME/helpers/dmpool-pattern
TIMEOUT_MS=2000
MiB=$((1024 * 1024))
load cluster_lib

# ---- helpers ------------------------------------------------------------

# Node $1's view of node $2's exposed memory, field $3 (`mem show -j`).
mem_field() {
	on "$1" "dmpoolctl -j mem show" |
		jq -er ".nodes[] | select(.id == $2) | .$3"
}

# Node 1 sees node $1 exposing $2 bytes.
exposed_is() {
	[ "$(mem_field 1 "$1" exposed 2>/dev/null)" = "$2" ]
}

# Node 1 has memory reports from every peer.
all_reported() {
	on 1 "dmpoolctl -j mem show" |
		jq -e --argjson n "$NODES" '.nodes | length == $n' >/dev/null
}

# Counter $3 of pool $2 on node $1 (`pool stats -j`).
pool_ctr() {
	on "$1" "dmpoolctl -j pool stats $2" | jq -er ".$3"
}

# Run the pattern tool on node $1 with the remaining arguments.
pat() {
	local k=$1

	shift
	on "$k" "$PAT $*"
}

# Milliseconds of a pattern run's result line ("ok BYTES MS", or a
# failure ending in "after MS ms").
ms_of() {
	sed -n -e 's/^ok [0-9]* \([0-9]*\)$/\1/p' \
		-e 's/.* after \([0-9]*\) ms$/\1/p' <<<"$1"
}

setup_file() {
	local k key

	need_cluster "$PAT" || return 1

	key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	for ((k = 1; k <= NODES; k++)); do
		reload "$k"
		on "$k" "printf %s $key >$KEYFILE"
		on "$k" "echo $TIMEOUT_MS >/sys/module/dmpool/parameters/request_timeout_ms"
	done
	for ((k = 1; k <= NODES; k++)); do
		configure "$k"
	done
	wait_until all_connected
}

teardown_file() {
	local k

	for ((k = NODES; k >= 1; k--)); do
		# A node in an outage comes back by itself.
		DEADLINE=60 wait_until on "$k" true || true
		on "$k" "ip link set eth0 up; rm -f $KEYFILE /tmp/dmpool-hold" || true
		reload "$k" || true
	done
}

# ---- tests ----------------------------------------------------------------

@test "every node learns what the others expose, and a change within seconds" {
	# Proves: MEM reports flow between peers once a second, and
	# mem expose changes what this node lends (and what peers see).
	wait_until all_reported
	on 2 "dmpoolctl mem expose 100M"
	wait_until exposed_is 2 $((100 * MiB))
	[ "$(mem_field 1 1 self)" = true ]
	[ "$(mem_field 1 3 state)" = connected ]
	run -0 dmpoolctl mem show
	[[ ${lines[0]} =~ NODE ]]
	[ "${#lines[@]}" -eq 4 ]
	on 2 "dmpoolctl mem expose 200M"
}

@test "a pool striped over three nodes: written on node 1, read on node 2 attached and detached" {
	# Proves: placement spreads extents over every node, pages travel to
	# their homes on msync, another node reads them (checksummed) while the
	# writer is attached and after it detached, and the counters say so.
	local args len=$((24 * MiB))

	wait_until all_reported
	run -0 dmpoolctl pool create stripe 24M --cluster --extent-size 1M
	args=$(dmpoolctl pool export stripe)
	# Every node homes a part.
	dmpoolctl -j pool export stripe | jq -e '.map | unique == [1, 2, 3]'
	on 2 "dmpoolctl pool install $args"
	on 3 "dmpoolctl pool install $args"

	rm -f /tmp/dmpool-hold /tmp/dmpool-w.out
	DMPOOL_PATTERN_HOLD=/tmp/dmpool-hold "$PAT" write stripe 0 "$len" 11 \
		>/tmp/dmpool-w.out 2>&1 &
	wait_until grep -q '^ok' /tmp/dmpool-w.out
	# Node 1 still holds the pool attached and mapped.
	[ "$(dmpoolctl -j pool show stripe | jq -r .attached)" = 1 ]
	run -0 pat 2 verify stripe 0 "$len" 11
	touch /tmp/dmpool-hold
	wait
	[ "$(dmpoolctl -j pool show stripe | jq -r .attached)" = 0 ]
	# Detached: node 2 reads everything again from the homes.
	on 2 "echo 1 >/proc/sys/vm/drop_caches"
	run -0 pat 2 pread stripe 0 "$len" 11

	[ "$(pool_ctr 1 stripe pages_out_remote)" -gt 0 ]
	[ "$(pool_ctr 1 stripe pages_out_local)" -gt 0 ]
	[ "$(pool_ctr 2 stripe pages_in_remote)" -gt 0 ]
	[ "$(pool_ctr 2 stripe io_errors)" = 0 ]
	[ "$(peer_field 2 1 pages_in)" -gt 0 ]
	# The same counters in debugfs.
	on 2 "grep -E ' stripe .*in_remote=[1-9]' /sys/kernel/debug/dmpool/pools"
	on 2 "grep -E '^1 state=1 .*pages_in=[1-9].* lat_us_log2=' /sys/kernel/debug/dmpool/peers"
	for k in 3 2 1; do on "$k" "dmpoolctl pool destroy stripe"; done
}

# Node $1 reads pattern $5 at [$3, $3 + $4) of pool $2 from the homes.
reads_back() {
	on "$1" "echo 1 >/proc/sys/vm/drop_caches; $PAT pread $2 $3 $4 $5" \
		>/dev/null
}

@test "pages written through a mapping go home at munmap and at close, without msync" {
	# Proves: munmap starts write-back at once (well before the flusher's
	# 30 s expiry: the wait is bounded at 15 s), and close() writes back
	# before it returns, so another node reads the data right after.
	local args

	wait_until all_reported
	run -0 dmpoolctl pool create closing 8M --cluster --nodes 2 \
		--extent-size 1M
	args=$(dmpoolctl pool export closing)
	on 2 "dmpoolctl pool install $args"

	rm -f /tmp/dmpool-hold /tmp/dmpool-w.out
	DMPOOL_PATTERN_NOSYNC=1 DMPOOL_PATTERN_HOLD=/tmp/dmpool-hold \
		"$PAT" write closing 0 $((4 * MiB)) 21 >/tmp/dmpool-w.out 2>&1 &
	wait_until grep -q '^ok' /tmp/dmpool-w.out
	DEADLINE=15 wait_until reads_back 2 closing 0 $((4 * MiB)) 21
	touch /tmp/dmpool-hold
	wait

	DMPOOL_PATTERN_NOSYNC=1 run -0 "$PAT" write closing $((4 * MiB)) \
		$((4 * MiB)) 22
	reads_back 2 closing $((4 * MiB)) $((4 * MiB)) 22
	for k in 2 1; do on "$k" "dmpoolctl pool destroy closing"; done
}

@test "a pool three times node 3's RAM is written and verified end to end" {
	# Proves: reclaim and write-back keep a mapping far larger than the
	# node's RAM working: every page goes home and comes back intact, and
	# the node never runs out of memory.  Node 3 (the small one) maps a
	# pool homed on nodes 1 and 2.
	local ram args len share

	ram=$(on 3 "awk '/^MemTotal:/ { print \$2 * 1024 }' /proc/meminfo")
	len=$(((ram * 3 / MiB + 1) * MiB))
	share=$((len / 2 / MiB + 8))
	on 1 "dmpoolctl mem expose ${share}M"
	on 2 "dmpoolctl mem expose ${share}M"
	DEADLINE=30 wait_until on 3 "dmpoolctl -j mem show | jq -e '[.nodes[] | select(.id != 3 and .exposed == $((share * MiB)))] | length == 2'" >/dev/null
	on 3 "dmpoolctl pool create big $len --cluster --nodes 1,2"
	args=$(on 3 "dmpoolctl pool export big")
	on 1 "dmpoolctl pool install $args"
	on 2 "dmpoolctl pool install $args"

	run -0 pat 3 write big 0 "$len" 5
	echo "write of $((len / MiB)) MiB: $output" >&2
	on 3 "echo 1 >/proc/sys/vm/drop_caches"
	run -0 pat 3 verify big 0 "$len" 5
	echo "verify: $output" >&2
	! on 3 "dmesg | grep -iE 'out of memory|oom-kill'"
	[ "$(pool_ctr 3 big io_errors)" = 0 ]
	[ "$(pool_ctr 3 big pages_out_remote)" -ge $((len / 4096)) ]
	for k in 2 1 3; do on "$k" "dmpoolctl pool destroy big"; done
	on 1 "dmpoolctl mem expose 200M"
	on 2 "dmpoolctl mem expose 200M"
}

@test "a silent home: -EIO and SIGBUS within the timeout, others work, rmmod is prompt, data returns" {
	# Proves: page requests to an unreachable home end within
	# request_timeout_ms (with -EIO for pread, SIGBUS for a fault), pages
	# on other homes keep working meanwhile, unload with the dead peer is
	# prompt, and once the home is back its data is intact.  Node 3 takes
	# its link down for a bounded 30 s outage (the length of the fault).
	local spec="out 3M --id 4242 --extent-size 1M --map 1,2,3" t

	wait_until all_connected
	for k in 1 2 3; do on "$k" "dmpoolctl pool install $spec"; done
	run -0 pat 1 write out 0 $((3 * MiB)) 7
	echo 1 >/proc/sys/vm/drop_caches

	on 3 "(ip link set eth0 down; sleep 30; ip link set eth0 up) >/dev/null 2>&1 </dev/null &"
	# The outage starts in the background: wait until node 3 is silent.
	DEADLINE=20 wait_until node_silent 3
	run -4 pat 1 pread out $((2 * MiB)) 4096 7
	echo "pread: $output" >&2
	[[ $output == *"Input/output error"* ]]
	[ "$(ms_of "$output")" -lt $((3 * TIMEOUT_MS)) ]
	run -3 pat 1 verify out $((2 * MiB)) 4096 7
	echo "fault: $output" >&2
	[ "$(ms_of "$output")" -lt $((3 * TIMEOUT_MS)) ]
	# Node 2's extent and node 1's own keep working.
	run -0 pat 1 pread out "$MiB" "$MiB" 7
	run -0 pat 1 verify out 0 "$MiB" 7
	[ "$(pool_ctr 1 out io_errors)" -ge 2 ]

	# Unload with the dead peer: prompt.
	t=$(s=$(cut -d" " -f1 /proc/uptime); rmmod dmpool
		e=$(cut -d" " -f1 /proc/uptime)
		awk -v s="$s" -v e="$e" 'BEGIN { printf "%d", (e - s) * 1000 }')
	echo "rmmod took $t ms" >&2
	[ "$t" -lt 2000 ]
	reload 1
	echo $TIMEOUT_MS >/sys/module/dmpool/parameters/request_timeout_ms
	configure 1
	DEADLINE=120 wait_until all_connected
	# The homes kept their extents through node 1's reload.
	dmpoolctl pool install $spec
	run -0 pat 1 pread out "$MiB" $((2 * MiB)) 7
	for k in 3 2 1; do on "$k" "dmpoolctl pool destroy out"; done
}
