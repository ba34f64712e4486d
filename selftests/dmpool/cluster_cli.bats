#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves dmpoolctl's cluster commands on one node, without dmpoold (the
# tests with the daemon are cluster.bats):
#  - cluster init writes a corosync.conf that lists the nodes given, to
#    stdout or atomically to a file it does not overwrite without --force,
#    and needs no module;
#  - cluster show says no dmpoold runs, cluster create and the other
#    relayed commands fail with that message and exit 1, status falls back
#    to this node's view;
#  - monitor --count prints the events of a pool created, attached,
#    detached and destroyed here;
#  - top --iterations 2 -j reports a nonzero fault rate while a pattern
#    writer runs;
#  - bad command lines are usage errors (exit 2).
# Tests that need DMPOOL_FEAT_CLUSTER in the module skip without it.
#
# Runs in VM node 1 with dmpool.ko loaded and dmpoolctl, jq and the
# helpers in PATH or beside this file; needs no other node.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
PAT=$BATS_TEST_DIRNAME/helpers/dmpool-pattern
NO_DAEMON="no dmpoold is running on this node"

module_loaded() {
	grep -q '^dmpool ' /proc/modules
}

has_cluster() {
	dmpoolctl -j version | jq -e '.module.features | index("cluster") != null' >/dev/null
}

need_cluster_feature() {
	has_cluster || skip "dmpool.ko lacks the 'cluster' feature"
}

# A pool name unique to this test.
pname() {
	echo "cc${BATS_TEST_NUMBER}-$1"
}

setup_file() {
	command -v dmpoolctl >/dev/null || { echo "dmpoolctl not in PATH" >&2; return 1; }
	command -v jq >/dev/null || { echo "jq not in PATH" >&2; return 1; }
	[ -x "$PAT" ] || { echo "no $PAT" >&2; return 1; }
	module_loaded || insmod "$KO"
}

setup() {
	TMPD=$(mktemp -d)
	BG=()
}

teardown() {
	local p name

	touch "$TMPD/stop"
	for p in "${BG[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	for name in $(dmpoolctl -j pool list | jq -r '.pools[].name'); do
		case $name in
		cc"${BATS_TEST_NUMBER}"-*) dmpoolctl pool destroy --force "$name" ;;
		esac
	done
	rm -rf "$TMPD"
	module_loaded || insmod "$KO"
}

# cluster init -o - prints a corosync.conf whose nodelist holds the nodes given.
@test "cluster init -o - renders the nodes given" {
	run -0 dmpoolctl cluster init --name lab --token 3000 -o - \
		1=10.0.0.1 2=10.0.0.2 5=10.0.0.5
	grep -q '^	cluster_name: lab$' <<<"$output"
	grep -q '^	token: 3000$' <<<"$output"
	[ "$(grep -c '^	node {$' <<<"$output")" -eq 3 ]
	[ "$(grep -o 'nodeid: [0-9]*' <<<"$output" | tr '\n' ' ')" = "nodeid: 1 nodeid: 2 nodeid: 5 " ]
	[ "$(grep -o 'ring0_addr: .*' <<<"$output" | tr '\n' ' ')" = "ring0_addr: 10.0.0.1 ring0_addr: 10.0.0.2 ring0_addr: 10.0.0.5 " ]
	# Braces balance: corosync can read it.
	[ "$(tr -cd '{' <<<"$output" | wc -c)" -eq "$(tr -cd '}' <<<"$output" | wc -c)" ]
}

# cluster init writes a file without the module, and keeps an existing one without --force.
@test "cluster init writes a file once, --force replaces it, no module needed" {
	rmmod dmpool
	run -0 dmpoolctl cluster init -o "$TMPD/c.conf" 10.0.0.1 10.0.0.2
	[[ $output == *"wrote $TMPD/c.conf: cluster dmpool, 2 nodes"* ]]
	grep -q 'ring0_addr: 10.0.0.2' "$TMPD/c.conf"
	run -1 dmpoolctl cluster init -o "$TMPD/c.conf" 10.0.0.3
	[[ $output == *"exists: use --force"* ]]
	grep -q 'ring0_addr: 10.0.0.2' "$TMPD/c.conf"
	run -0 dmpoolctl -j cluster init --force -o "$TMPD/c.conf" 7=10.0.0.3
	jq -e '.nodes == [{"id":7,"addr":"10.0.0.3"}]' <<<"$output"
	grep -q 'nodeid: 7' "$TMPD/c.conf"
	# Nothing left beside it.
	[ "$(ls "$TMPD")" = "c.conf" ]
}

# Bad command lines of the new commands exit 2 with a reason, before any netlink.
@test "cluster command lines: usage errors exit 2" {
	run -2 dmpoolctl cluster init
	[[ $output == *"missing nodes"* ]]
	run -2 dmpoolctl cluster init 1=10.0.0.1 10.0.0.2
	run -2 dmpoolctl cluster create big 1G --ttl soon
	[[ $output == *"invalid --ttl"* ]]
	run -2 dmpoolctl cluster set big
	[[ $output == *"nothing to set"* ]]
	run -2 dmpoolctl crawl 10.0.0.0/8
	run -2 dmpoolctl node commission host
	run -2 dmpoolctl top --interval 0
	run -2 dmpoolctl monitor --count 0
}

# A module without the cluster feature is named as too old; with it, cluster show says no daemon runs.
@test "cluster show without dmpoold says so" {
	if ! has_cluster; then
		run -1 dmpoolctl cluster show
		[[ $output == *"no cluster support"*"load a newer dmpool.ko"* ]]
		skip "dmpool.ko lacks the 'cluster' feature (checked the refusal)"
	fi
	run -0 dmpoolctl cluster show
	[[ $output == *"no dmpoold running on this node"* ]]
	run -0 dmpoolctl -j cluster show
	jq -e '.daemon == false' <<<"$output"
}

# Relayed commands fail at once with the no-daemon message and exit 1.
@test "cluster create without dmpoold fails with a clear message" {
	need_cluster_feature
	run -1 dmpoolctl cluster create "$(pname big)" 64M
	[ "$output" = "dmpoolctl: $NO_DAEMON (start it: systemctl start dmpoold)" ]
	run -1 dmpoolctl cluster destroy "$(pname big)"
	[[ $output == *"$NO_DAEMON"* ]]
	run -1 dmpoolctl node decommission 3
	[[ $output == *"$NO_DAEMON"* ]]
	run -1 dmpoolctl crawl 127.0.0.1
	[[ $output == *"$NO_DAEMON"* ]]
}

# status without dmpoold prints this node's pools and says the cluster view needs the daemon.
@test "status without dmpoold shows this node's view" {
	local p

	p=$(pname st)
	dmpoolctl pool create "$p" 1M
	run -0 dmpoolctl status
	[[ $output == *"the cluster view needs dmpoold"* ]]
	[[ $output == *"$p"* ]]
	run -0 dmpoolctl -j status
	jq -e --arg p "$p" '.daemon == false and ([.pools[].name] | index($p) != null)' <<<"$output"
}

# monitor --count 4 prints POOL_NEW, ATTACH, DETACH, POOL_DEL for a pool used here.
@test "monitor prints the events of a local pool" {
	local p id mon

	need_cluster_feature
	p=$(pname ev)
	timeout 30 dmpoolctl -j monitor --count 4 >"$TMPD/ev" 2>"$TMPD/ev.err" &
	mon=$!
	sleep 1		# joined the group
	dmpoolctl pool create "$p" 1M
	id=$(dmpoolctl -j pool show "$p" | jq -er .id)
	"$PAT" write "$p" 0 4096 7
	dmpoolctl pool destroy "$p"
	wait "$mon"	# exits 0 after 4 events (timeout: 124)
	cat "$TMPD/ev" "$TMPD/ev.err"
	[ "$(jq -r .kind "$TMPD/ev" | tr '\n' ' ')" = "POOL_NEW ATTACH DETACH POOL_DEL " ]
	[ "$(jq -r .pool_id "$TMPD/ev" | sort -u)" = "$id" ]
	jq -se --arg p "$p" '.[0].pool == $p and .[1].attached == 1 and
		.[2].attached == 0 and .[3].pool == $p' "$TMPD/ev"
}

# top -j reports faults per second on a pool a pattern writer keeps faulting.
@test "top --iterations 2 -j reports the fault rate of a busy pool" {
	local p

	p=$(pname top)
	dmpoolctl pool create "$p" 8M
	(while [ ! -e "$TMPD/stop" ]; do "$PAT" write "$p" 0 $((8 << 20)) 1 >/dev/null; done) &
	BG+=($!)
	run -0 dmpoolctl -j top --iterations 2 --interval 1
	echo "$output"
	[ "$(wc -l <<<"$output")" -eq 2 ]
	jq -e --arg p "$p" '.pools[] | select(.name == $p) | .faults_per_s > 0' <<<"$(tail -n 1 <<<"$output")"
	jq -e '.sample == 2 and .interval_ms >= 900' <<<"$(tail -n 1 <<<"$output")"
	# Not a terminal: no ANSI clear in the text output.
	run -0 dmpoolctl top --iterations 1 --interval 200ms
	[[ $output != *$'\033'* ]]
	[[ $output == *"FAULTS/S"* ]]
}
