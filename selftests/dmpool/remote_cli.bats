#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves that dmpoolctl's commands for exposed memory and placed pools
# (DMPOOL_FEAT_REMOTE) refuse bad input with their own message and exit
# code, on one node: bad sizes for mem expose (usage, 2), a bad --map or
# --extent-size for pool install (usage, 2), a map of the wrong length (the
# module's -EINVAL, 1), pool create --cluster without a node ID (1), a
# local pool given to pool export (1); and that mem show lists this node as
# self and a single-node placed pool exports what was created.
#
# Runs in VM node 1 with dmpool.ko loaded and dmpoolctl and jq in PATH
# (tools/vm/run-suite); needs no other node.  It reloads the module (no
# node ID, no peers) before the tests that need that, and at the end, so
# it leaves the node as the suite set it up.  The transport listens on
# loopback only.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}

# ---- helpers ------------------------------------------------------------

# A pool name unique to this test: bt<N>-<suffix>.
pname() {
	echo "bt${BATS_TEST_NUMBER}-$1"
}

module_loaded() {
	grep -q '^dmpool ' /proc/modules
}

# A fresh module: no node ID, no key, no peers, no pools.
reload() {
	if module_loaded; then
		rmmod dmpool
	fi
	insmod "$KO"
}

# This node gets ID 1 on loopback, and 64 MiB of exposed memory.
node_one() {
	dmpoolctl node set 1 127.0.0.1
	dmpoolctl mem expose 64M
}

# A pool ID as node 2 would pick it (node ID in bits 48..55).
foreign_id() {
	echo $(((2 << 48) + 1000 + BATS_TEST_NUMBER))
}

setup_file() {
	command -v dmpoolctl >/dev/null || { echo "dmpoolctl not in PATH" >&2; return 1; }
	command -v jq >/dev/null || { echo "jq not in PATH" >&2; return 1; }
	[ -e "$KO" ] || { echo "no module file at $KO (set DMPOOL_KO)" >&2; return 1; }
	reload
	dmpoolctl -j version | jq -e '.module.features | index("remote") != null' >/dev/null ||
		{ echo "dmpool.ko lacks the 'remote' feature" >&2; return 1; }
}

teardown() {
	local name

	module_loaded || insmod "$KO"
	for name in $(dmpoolctl -j pool list | jq -r '.pools[].name'); do
		case $name in
		"bt${BATS_TEST_NUMBER}-"*) dmpoolctl pool destroy --force -- "$name" ;;
		esac
	done
}

teardown_file() {
	reload
}

# ---- mem ------------------------------------------------------------------

@test "mem show on a single node lists this node as self, without an ID" {
	# Proves: MEM_GET's first entry is this node, shown as "self" with "-" for ID and age.
	reload
	run -0 dmpoolctl mem show
	[[ ${lines[0]} =~ ^NODE\ +STATE\ +EXPOSED\ +COMMITTED\ +FREE\ +ALLOCATED\ +AGE$ ]]
	[[ ${lines[1]} =~ ^\ *-\ +self\ +.*\ -$ ]]
	[ "${#lines[@]}" -eq 2 ]
	run -0 dmpoolctl -j mem show
	echo "$output" | jq -e '.nodes | length == 1'
	echo "$output" | jq -e '.nodes[0].self == true and .nodes[0].id == 0'
	echo "$output" | jq -e '.nodes[0] | .free == .exposed - .committed'
	echo "$output" | jq -e '.nodes[0] | has("age_ms") | not'
}

@test "mem show names this node once it has an ID, with what it exposes" {
	# Proves: mem expose sets STORE_CAPACITY and mem show reports it for node 1.
	reload
	node_one
	run -0 dmpoolctl -j mem show
	echo "$output" | jq -e '.nodes[0].id == 1 and .nodes[0].self == true'
	echo "$output" | jq -e '.nodes[0].exposed == 67108864'
	run -0 dmpoolctl mem show
	[[ ${lines[1]} =~ ^\ *1\ +self\ +64\ MiB\  ]]
}

@test "mem expose refuses bad sizes as usage errors" {
	# Proves: garbage, negative, fractional and overflowing sizes exit 2 before any request.
	before=$(dmpoolctl -j mem show | jq -er '.nodes[0].exposed')
	for size in -1 -64M 12Q lots 1.5G 64MB5 "" 99999999999999999999; do
		run -2 dmpoolctl mem expose "$size"
		[[ ${lines[0]} == "dmpoolctl: invalid size '$size': "* ]] ||
			{ echo "size '$size': $output"; false; }
	done
	run -2 dmpoolctl mem expose
	[[ $output == *"missing argument: dmpoolctl mem expose SIZE"* ]]
	run -2 dmpoolctl mem expose 1M 2M
	[[ $output == *"unexpected argument '2M'"* ]]
	[ "$(dmpoolctl -j mem show | jq -er '.nodes[0].exposed')" = "$before" ]
}

@test "mem expose more than the node's RAM is refused by the module" {
	# Proves: -EINVAL from MEM_SET is exit 1 with a message, and nothing changes.
	before=$(dmpoolctl -j mem show | jq -er '.nodes[0].exposed')
	run -1 dmpoolctl mem expose 1E
	[[ $output == "dmpoolctl: "?* ]]
	[ "$(dmpoolctl -j mem show | jq -er '.nodes[0].exposed')" = "$before" ]
}

@test "mem expose below what pools hold is refused with the committed figure" {
	# Proves: -EBUSY from MEM_SET says how much is committed (exit 1).
	reload
	node_one
	dmpoolctl pool create "$(pname a)" 8M
	run -1 dmpoolctl mem expose 4M
	[[ $output == "dmpoolctl: "*"4 MiB requested, "*" committed to pools" ]]
	[ "$(dmpoolctl -j mem show | jq -er '.nodes[0].exposed')" = 67108864 ]
}

# ---- pool create --cluster ----------------------------------------------------

@test "pool create --cluster without a node ID says to run node set" {
	# Proves: placement needs this node's ID; the error names the fix and nothing is created.
	reload
	run -1 dmpoolctl pool create "$(pname a)" 1M --cluster
	[ "$output" = "dmpoolctl: cannot place pool '$(pname a)': this node has no node ID: run 'dmpoolctl node set ID ADDR' first" ]
	run -1 dmpoolctl pool show "$(pname a)"
}

@test "pool create --cluster --nodes refuses a node that is not a candidate" {
	# Proves: --nodes names a node that is neither this one nor a connected peer -> exit 1.
	reload
	node_one
	run -1 dmpoolctl pool create "$(pname a)" 1M --cluster --nodes 1,2
	[[ $output == "dmpoolctl: cannot place pool '$(pname a)': node 2 cannot take part: "* ]]
	run -1 dmpoolctl pool show "$(pname a)"
}

@test "pool create --cluster that does not fit says how much is free where" {
	# Proves: the placement's own "not enough space" message, with node 1's figure.
	reload
	node_one
	run -1 dmpoolctl pool create "$(pname a)" 1G --cluster
	[ "$output" = "dmpoolctl: cannot place pool '$(pname a)' of 1 GiB: the cluster has 64 MiB free in 4 MiB extents (node 1: 64 MiB)" ]
}

@test "pool create --cluster on one node places every extent here and exports it" {
	# Proves: MEM_GET -> placement -> POOL_NEW with a map works end to end, and
	# pool export prints the same pool as install arguments.
	reload
	node_one
	p=$(pname a)
	run -0 dmpoolctl pool create "$p" 8M --cluster
	[[ ${lines[0]} =~ ^created\ pool\ $p:\ ID\ ([0-9]+),\ 8\ MiB\ in\ 2\ extents\ of\ 4\ MiB:\ node\ 1:\ 2$ ]]
	id=${BASH_REMATCH[1]}
	[ "${#lines[@]}" -eq 1 ]	# no other node to install it on
	run -0 dmpoolctl pool export "$p"
	[ "$output" = "$p 8388608 --id $id --extent-size 4194304 --map 1*2" ]
	run -0 dmpoolctl -j pool show "$p"
	echo "$output" | jq -e '.extent_size == 4194304 and .local_bytes == 8388608'
	run -0 dmpoolctl pool stats "$p"
	[[ ${lines[0]} == "pool:"*"$p (ID $id)" ]]
}

# ---- pool install ---------------------------------------------------------------

@test "pool install refuses a bad map as a usage error" {
	# Proves: bad syntax, zero, IDs above 64, zero counts and too many entries exit 2, no crash.
	for map in "" "," "1," ",1" "1,,2" "x" "1;2" "1 2" "0" "65" "1,0" "-1" "1*" "1*0" "1*x" "1*2*3" "1*8193" "1*4294967297" "99999999999999999999"; do
		run -2 dmpoolctl pool install "$(pname a)" 1M --id "$(foreign_id)" --extent-size 64K --map "$map"
		[[ ${lines[0]} == "dmpoolctl: invalid --map: "* ]] ||
			{ echo "map '$map': $output"; false; }
	done
	run -2 dmpoolctl pool install "$(pname a)" 1M --id "$(foreign_id)" --extent-size 64K
	[[ $output == *"missing --map"* ]]
	run -1 dmpoolctl pool show "$(pname a)"
}

@test "pool install refuses a bad extent size as a usage error" {
	# Proves: not a power of two, below 64 KiB, above 1 GiB and garbage exit 2.
	for ext in 100K 3M 65537 32K 4096 1 2G 0 x; do
		run -2 dmpoolctl pool install "$(pname a)" 1M --id "$(foreign_id)" --extent-size "$ext" --map 1
		[[ ${lines[0]} == "dmpoolctl: invalid extent size '$ext': "* ]] ||
			{ echo "extent size '$ext': $output"; false; }
	done
	run -2 dmpoolctl pool install "$(pname a)" 1M --id "$(foreign_id)" --extent-size 100K --map 1
	[[ $output == *"not a power of two"* ]]
	run -2 dmpoolctl pool install "$(pname a)" 1M --id "$(foreign_id)" --extent-size 32K --map 1
	[[ $output == *"less than 64 KiB"* ]]
}

@test "pool install with a map of the wrong length is refused by the module" {
	# Proves: the module's -EINVAL (1 MiB in 64 KiB extents needs 16 entries) is
	# exit 1 with a message about the pool, and no pool is made.
	reload
	node_one
	p=$(pname a)
	for map in 1 "1*15" "1*17"; do
		run dmpoolctl pool install "$p" 1M --id "$(foreign_id)" --extent-size 64K --map "$map"
		[ "$status" -ne 0 ] || { echo "map '$map' accepted"; false; }
		[[ $output == "dmpoolctl: pool $p: "?* ]] || { echo "map '$map': $output"; false; }
		run -1 dmpoolctl pool show "$p"
	done
}

@test "pool install with a good map makes the pool, and export gives it back" {
	# Proves: POOL_NEW with POOL_ID, EXTENT_SIZE and MAP keeps the ID, and the
	# export line is the install line.
	reload
	node_one
	p=$(pname a)
	id=$(foreign_id)
	run -0 dmpoolctl pool install "$p" 1M --id "$id" --extent-size 64K --map 1*16
	[ "$output" = "installed pool $p: ID $id, 1 MiB, 1 MiB homed on this node" ]
	run -0 dmpoolctl pool export "$p"
	[ "$output" = "$p 1048576 --id $id --extent-size 65536 --map 1*16" ]
	run -1 dmpoolctl pool install "$p" 1M --id "$id" --extent-size 64K --map 1*16
	[[ $output == "dmpoolctl: pool $p: "?* ]]
}

@test "pool install without a node ID is refused" {
	# Proves: a map needs NODE_SET (-ENOTCONN), exit 1 with the node set hint or the module's text.
	reload
	run -1 dmpoolctl pool install "$(pname a)" 1M --id "$(foreign_id)" --extent-size 64K --map 1*16
	[[ $output == "dmpoolctl: pool $(pname a): "?* ]]
	run -1 dmpoolctl pool show "$(pname a)"
}

# ---- export and stats of local pools ------------------------------------------------

@test "pool export refuses a pool that is not placed" {
	# Proves: a local pool has no extent size: exit 1 with a clear reason.
	p=$(pname a)
	dmpoolctl pool create "$p" 1M
	run -1 --separate-stderr dmpoolctl pool export "$p"
	[ -z "$output" ]
	# shellcheck disable=SC2154 # $stderr comes from run --separate-stderr
	[ "$stderr" = "dmpoolctl: pool $p is not placed (it lives in this node's store only): nothing to export" ]
	run -1 dmpoolctl pool export "$(pname ghost)"
	[[ $output == *"pool $(pname ghost): "* ]]
}

@test "pool stats of a local pool prints its counters, in text and JSON" {
	# Proves: POOL_GET's counters reach pool stats; JSON parses with the pool's identity.
	p=$(pname a)
	dmpoolctl pool create "$p" 1M
	run -0 dmpoolctl pool stats "$p"
	[[ ${lines[0]} == "pool:"*"$p (ID "*")" ]]
	run -0 dmpoolctl -j pool stats "$p"
	echo "$output" | jq -e --arg p "$p" '.name == $p and .id > 0'
}
