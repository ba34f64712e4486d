#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves the access policies of files across nodes, and dmpoolctl's policy
# commands, on the 3-VM cluster with the kernel DLM under corosync:
#  - file set on node 1 is enforced at the next open on node 2: a user
#    without read is refused (EACCES); after a read grant the open works,
#    the mutex can be taken, but writing the file's bytes (pwrite, a
#    writable mapping) is EACCES; after a write grant both work; the owner
#    gets the owner's bits;
#  - file show on every node reports the grants (text and JSON);
#  - pool create/set and pool show print owner, group, mode and grants;
#    usage errors exit 2, the module's refusals (no CAP_NET_ADMIN, no such
#    file, a bad value) exit 1.
#
# Runs in VM node 1 and drives node 2 with vmexec.  Starts the cluster
# stack (so run-suite runs it last) and leaves it running.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
KEYFILE=/tmp/dmpool-policy.key
FT=$BATS_TEST_DIRNAME/helpers/dmpool-file
POOL=polpool
load cluster_lib

setup_file() {
	files_setup $POOL || return 1
	stack_start_all
}

teardown_file() {
	on_all_anyway "rm -f $KEYFILE"
}

# dmpool-file's access report for uid 65534 on node $1: "open: ..." lines.
access_nobody() {
	ft "$1" access "$2" 65534
}

@test "file set on node 1 is enforced at open on node 2" {
	run -0 dmpoolctl file create $POOL secret 4096 --mode 0600
	[[ $output == *$'\ngrants:   none'* ]]

	# Neither owner nor group nor others may read: refused.
	run -0 access_nobody 2 secret
	[ "$output" = "open: Permission denied" ]

	# A read grant, set on node 1, seen at the next open on node 2.
	run -0 dmpoolctl file set $POOL secret --grant 65534:r
	[[ $output =~ $'\n'grants:\ +(nobody|65534):r($'\n'|$) ]]
	run -0 access_nobody 2 secret
	[ "${lines[0]}" = "open: ok" ]
	[ "${lines[1]}" = "lock: ok" ]
	[ "${lines[2]}" = "write: Permission denied" ]
	[ "${lines[3]}" = "map: Permission denied" ]

	# Read and write: the bytes may be written.
	run -0 dmpoolctl file set $POOL secret --no-grants --grant 65534:rw
	run -0 access_nobody 2 secret
	[ "$output" = $'open: ok\nlock: ok\nwrite: ok\nmap: ok' ]

	# Node 2 shows what node 1 set, in text and JSON.
	run -0 on 2 "dmpoolctl file show $POOL secret"
	[[ $output =~ $'\n'grants:\ +(nobody|65534):rw($'\n'|$) ]]
	run -0 on 2 "dmpoolctl -j file show $POOL secret"
	echo "$output" | jq -e '.mode == 384 and (.grants | length) == 1 and
		.grants[0].uid == 65534 and .grants[0].rights == "rw"'

	# Owner 65534 with u=r, no grants: open, but no write.
	run -0 dmpoolctl file set $POOL secret --owner 65534 --mode 0400 --no-grants
	[[ $output == *$'\nmode:     0400\nuid:      65534\n'* ]]
	run -0 access_nobody 2 secret
	[ "$output" = $'open: ok\nlock: ok\nwrite: Permission denied\nmap: Permission denied' ]
	run -0 on 2 "dmpoolctl -j file show $POOL secret"
	echo "$output" | jq -e '.uid == 65534 and .mode == 256 and .grants == []'
}

@test "file set: refusals and usage errors" {
	run -2 dmpoolctl file set $POOL secret
	[[ $output == *"nothing to set"* ]]
	run -2 dmpoolctl file set $POOL secret --grant 65534:x
	[[ $output == *"invalid rights 'x'"* ]]
	run -1 dmpoolctl file set $POOL nosuch --mode 0600
	[[ $output == *"no file of this name"* ]]
	run -1 as_nobody dmpoolctl file set $POOL secret --mode 0666
	[[ $output == *"permission denied"* ]]
}

@test "pool create, set and show: owner, group, mode, grants" {
	local p=polshow

	run -0 dmpoolctl pool create $p 1M --owner 65534 --group 4242 --mode 0640 --grant root:rwa
	run -0 dmpoolctl pool show $p
	[[ $output =~ $'\n'owner:\ +(nobody\ \(65534\)|65534)$'\n' ]]
	[[ $output =~ $'\n'group:\ +4242$'\n'mode:\ +0640$'\n'grants:\ +root:rwa$ ]]
	run -0 dmpoolctl -j pool show $p
	echo "$output" | jq -e '.uid == 65534 and .gid == 4242 and .mode == 416 and
		.grants == [{"uid": 0, "user": "root", "rights": "rwa"}]'

	run -0 dmpoolctl pool set $p --mode 0600 --no-grants
	[[ $output == *$'\nmode:     0600\ngrants:   none'* ]]
	# Listed too, though created after a placed pool with a higher ID.
	run -0 dmpoolctl -j pool list
	echo "$output" | jq -e "[.pools[] | select(.name == \"$p\")] | length == 1 and
		.[0].mode == 384 and .[0].uid == 65534 and .[0].grants == []"

	run -2 dmpoolctl pool set $p
	[[ $output == *"nothing to set"* ]]
	run -2 dmpoolctl pool set $p --owner no-such-user-xyz
	[[ $output == *"unknown user 'no-such-user-xyz'"* ]]
	run -1 as_nobody dmpoolctl pool set $p --mode 0666
	[[ $output == *"permission denied"* ]]
	run -1 dmpoolctl pool set no-such-pool --mode 0666
	run -0 dmpoolctl pool destroy $p
}
