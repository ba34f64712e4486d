#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves that cluster pools carry access policies end to end, in the 3-VM
# cluster with dmpoold on every node: `cluster create` on node 1 with
# --owner, --mode and --grant gives every node's module the same owner,
# group, mode and grants; the module on node 3 enforces them at attach (a
# user without read gets EACCES, a granted one attaches); `cluster set
# --mode/--grant` changes them on every node and enforcement follows; the
# snapshots stay equal (checksums); a bad policy is refused with a clear
# message (exit 1) and bad command lines exit 2.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  Starts the stack
# and the daemons itself (daemons_setup) and stops the daemons at the end,
# because later files reload the module.  /dev/dmpool is 0600, so the
# unprivileged user (uid 65534, setpriv) gets the device for this file:
# chmod 0666 on node 3 in setup_file, back to 0600 in teardown_file.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
POOL=dpol
load cluster_lib

# The policy of pool $2 in node $1's module, as one line of JSON.
policy_on() {
	on "$1" "dmpoolctl -j pool show $2" | jq -c '{uid, gid, mode, grants: [.grants[] | {uid, rights}]}'
}

# Every node's module has policy $2 (policy_on's JSON) for pool $1.
policy_everywhere() {
	local k

	for ((k = 1; k <= NODES; k++)); do
		[ "$(policy_on "$k" "$1")" = "$2" ] || return 1
	done
}

# Attach pool $2 on node $1 as uid $3 (no capabilities) and read 5 bytes.
# util-linux's setpriv by path: vmexec's busybox sh prefers its own applet.
attach_as() {
	on "$1" "/usr/bin/setpriv --reuid=$3 --regid=$3 --clear-groups -- dmpool-demo read $2 0 5"
}

setup_file() {
	need_cluster "$(command -v dmpoold)" || return 1
	dmpoolctl --help 2>&1 | grep -q -- '--grant USER:RIGHTS  pool/cluster create' ||
		{ echo "dmpoolctl has no cluster policy options" >&2; return 1; }
	daemons_setup
	on 3 "chmod 0666 /dev/dmpool"
}

teardown_file() {
	on_all_anyway "chmod 0600 /dev/dmpool"
	dmpoolctl cluster destroy $POOL --force >/dev/null 2>&1 || true
	daemons_stop_all
}

# cluster create with a policy: every module gets it, node 3 enforces it.
@test "cluster create --owner --mode --grant: same policy on every node, enforced on node 3" {
	local want

	run -0 dmpoolctl cluster create $POOL 8M --owner 4242 --group 4242 --mode 0600 --grant 4343:r
	echo "$output"
	[[ $output =~ $'\n'mode:\ +0600$'\n' ]]
	[[ $output =~ $'\n'grants:\ +4343:r$'\n' ]]
	want='{"uid":4242,"gid":4242,"mode":384,"grants":[{"uid":4343,"rights":"r"}]}'
	DEADLINE=30 wait_until policy_everywhere $POOL "$want"
	DEADLINE=30 wait_until same_state

	# uid 65534: neither owner, group nor granted, mode 0600: EACCES.
	run -1 attach_as 3 $POOL 65534
	[[ $output == *"cannot attach pool '$POOL': permission denied"* ]]
	# uid 4343 has the read grant: attaches and reads.
	run -0 attach_as 3 $POOL 4343

	# status reports the policy of the cluster pool (text and JSON).
	run -0 on 2 "dmpoolctl -j status"
	echo "$output" | jq -e ".pools[] | select(.name == \"$POOL\") |
		.uid == 4242 and .gid == 4242 and .mode == 384 and
		.grants == [{\"uid\": 4343, \"rights\": \"r\"}]"
	run -0 on 3 "dmpoolctl status"
	[[ $output == *"OWNER"*"MODE"*"GRANTS"* ]]
	[[ $output =~ $POOL\ .*\ 4242:4242\ +0600\ +4343:r ]]
}

# cluster set changes mode and grants everywhere; enforcement follows.
@test "cluster set --mode/--grant changes the policy everywhere and enforcement follows" {
	local want

	# Others may read now: uid 65534 attaches on node 3.
	run -0 dmpoolctl cluster set $POOL --mode 0604
	echo "$output"
	want='{"uid":4242,"gid":4242,"mode":388,"grants":[{"uid":4343,"rights":"r"}]}'
	DEADLINE=30 wait_until policy_everywhere $POOL "$want"
	run -0 attach_as 3 $POOL 65534

	# Back to 0600 and the grant moved from 4343 to 65534.
	run -0 dmpoolctl cluster set $POOL --mode 0600 --grant 65534:rw
	want='{"uid":4242,"gid":4242,"mode":384,"grants":[{"uid":65534,"rights":"rw"}]}'
	DEADLINE=30 wait_until policy_everywhere $POOL "$want"
	run -0 attach_as 3 $POOL 65534
	run -1 attach_as 3 $POOL 4343
	[[ $output == *"permission denied"* ]]

	# --no-grants with a TTL: nobody but the owner (and root) now.
	run -0 on 2 "dmpoolctl cluster set $POOL --no-grants --ttl 2h"
	want='{"uid":4242,"gid":4242,"mode":384,"grants":[]}'
	DEADLINE=30 wait_until policy_everywhere $POOL "$want"
	run -1 attach_as 3 $POOL 65534
	run -0 attach_as 3 $POOL 4242
	run -0 on 3 "dmpoolctl -j status"
	echo "$output" | jq -e ".pools[] | select(.name == \"$POOL\") | .ttl_ms == 7200000"
	DEADLINE=30 wait_until same_state
}

# A module pool whose policy was changed by hand gets the snapshot's back
# when the daemon re-adopts it after a restart.
@test "a restarted daemon puts the snapshot's policy back on its module" {
	local want='{"uid":4242,"gid":4242,"mode":384,"grants":[]}'

	daemon_stop 3
	on 3 "dmpoolctl pool set $POOL --mode 0666 --grant 65534:r"
	[ "$(policy_on 3 $POOL)" != "$want" ]
	daemon_start 3
	DEADLINE=30 wait_until policy_everywhere $POOL "$want"
	DEADLINE=30 wait_until same_state
	on 3 "grep -q \"pool '$POOL' .*: policy set here\" $DLOG"
}

# Bad policies are usage errors (exit 2, before any request); refusals
# of the daemon or the module exit 1 with their reason; nothing changes.
@test "bad policies are refused with a clear message" {
	local before

	before=$(daemon_checksum 1)
	run -2 dmpoolctl cluster create badpol 1M --owner 4294967295
	echo "$output"
	[[ $output == *"invalid user '4294967295': IDs are 0 to 4294967294"* ]]
	run -2 dmpoolctl cluster create badpol 1M --mode 1000
	[[ $output == *"invalid --mode '1000'"* ]]
	run -2 dmpoolctl cluster set $POOL --grant 65534:x
	[[ $output == *"invalid rights 'x'"* ]]
	run -2 dmpoolctl cluster set $POOL
	[[ $output == *"nothing to set"* ]]
	run -2 dmpoolctl cluster create badpol 1M --no-grants
	[[ $output == *"--no-grants only applies"* ]]
	run -1 dmpoolctl cluster set no-such-pool --mode 0600
	[[ $output == *"no pool 'no-such-pool'"* ]]
	run -1 as_nobody dmpoolctl cluster set $POOL --mode 0666
	! on 2 "dmpoolctl pool show badpol" >/dev/null 2>&1
	[ "$(daemon_checksum 1)" = "$before" ]
	DEADLINE=30 wait_until same_state
}
