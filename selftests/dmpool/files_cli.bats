#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves dmpoolctl's file commands on the 3-VM cluster, with the kernel DLM
# under corosync:
#  - a file created on node 1 is shown with the same fields on nodes 1 and
#    2, by pool name and by pool ID, in text and in valid JSON;
#  - file list is an aligned table and a JSON array of every file, on nodes
#    1 and 2, with control characters of names escaped in the text;
#  - a name exists once (exit 1, the module's words), bad names, sizes,
#    modes and permits are usage errors (exit 2), a file larger than the
#    pool or in no pool is the module's refusal (exit 1);
#  - a deleted file is gone on every node: show and delete say "no file of
#    this name";
#  - a file open on another node is not deleted ("open on some node") until
#    it is closed;
#  - an unprivileged user may list and show files but not create or delete.
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  Starts the
# cluster stack (so run-suite runs it last) and leaves it running.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
KEYFILE=/tmp/dmpool-files-cli.key
FT=$BATS_TEST_DIRNAME/helpers/dmpool-file
POOL=clipool
HOLD=/tmp/fc-hold.out
load cluster_lib

# The ID of $POOL (the same on every node).
pool_id() {
	dmpoolctl -j pool show $POOL | jq -er .id
}

setup_file() {
	files_setup $POOL || return 1
	stack_start_all
}

teardown_file() {
	on_all_anyway "touch /tmp/fc-release; if [ -f $HOLD.pid ]; then kill \$(cat $HOLD.pid); fi; rm -f $HOLD.pid $KEYFILE"
}

@test "file create: shown alike on nodes 1 and 2, by name and by ID, text and JSON" {
	local id pid created k

	run -0 dmpoolctl -j version
	echo "$output" | jq -e '.module.features | index("files") != null'
	run -0 dmpoolctl file create $POOL alpha 10000 --permits 3 --mode 0640
	created=$output
	[[ ${lines[0]} =~ ^id:\ +([0-9]+)$ ]]
	id=${BASH_REMATCH[1]}
	[ "${lines[1]}" = "name:     alpha" ]
	[ "${lines[2]}" = "pool id:  $(pool_id)" ]
	[[ ${lines[3]} =~ ^offset:\ +.*\ \(([0-9]+)\ bytes\)$ ]]
	# The size is kept as given, not rounded; the offset is page-aligned
	# past the directory.
	[ "${lines[4]}" = "size:     9.8 KiB (10000 bytes)" ]
	[ "${lines[5]}" = "permits:  3" ]
	[ "${lines[6]}" = "mode:     0640" ]
	[ "${lines[7]}" = "uid:      0" ]
	[ "${lines[8]}" = "gid:      0" ]
	pid=$(pool_id)
	for ((k = 1; k <= 2; k++)); do
		run -0 on "$k" "dmpoolctl file show $POOL alpha"
		[ "$output" = "$created" ]
		run -0 on "$k" "dmpoolctl -j file show $pid alpha"
		echo "$output" | jq -e --argjson id "$id" --argjson pid "$pid" \
			'.id == $id and .pool_id == $pid and .name == "alpha" and
			 .size == 10000 and .permits == 3 and .mode == 416 and
			 .uid == 0 and .gid == 0 and .offset >= 65536 and
			 .offset % 4096 == 0'
	done
	# -j create prints the same object as -j show; defaults 1 and 0644.
	run -0 on 2 "dmpoolctl -j file create $POOL alpha2 1"
	echo "$output" | jq -e '.name == "alpha2" and .size == 1 and
				.permits == 1 and .mode == 420'
	[ "$(echo "$output" | jq -c .)" = "$(dmpoolctl -j file show $POOL alpha2 | jq -c .)" ]
}

@test "file list: a table and a JSON array of every file, on nodes 1 and 2" {
	local k

	dmpoolctl file create $POOL list-a 1M
	dmpoolctl file create $POOL list-b 4096 --mode 600 --permits 2
	dmpoolctl file create $POOL $'tab\there' 1
	for ((k = 1; k <= 2; k++)); do
		run -0 on "$k" "dmpoolctl file list $POOL"
		[[ ${lines[0]} =~ ^ID\ +NAME\ +OFFSET\ +SIZE\ +PERMITS\ +MODE\ +UID\ +GID$ ]]
		[[ $output =~ $'\n'\ *[0-9]+\ \ list-a\ +[0-9]+\ +1\ MiB\ +1\ \ 0644\ +0\ +0($'\n'|$) ]]
		[[ $output =~ $'\n'\ *[0-9]+\ \ list-b\ +[0-9]+\ +4\ KiB\ +2\ \ 0600\ +0\ +0($'\n'|$) ]]
		[[ $output == *' tab\there '* ]]
		# Aligned: every row as long as the title (names are padded).
		[ "$(echo "$output" | awk '{ print length($0) }' | sort -u | wc -l)" -eq 1 ]
		run -0 on "$k" "dmpoolctl -j file list $POOL"
		echo "$output" | jq -e '.files | type == "array"'
		echo "$output" | jq -e '[.files[].name] | index("list-a") != null and
					 index("list-b") != null and
					 index("tab\there") != null'
		echo "$output" | jq -e '.files[] | select(.name == "list-b") |
					.size == 4096 and .mode == 384 and .permits == 2'
	done
	# The list matches what show says of each file.
	[ "$(dmpoolctl -j file list $POOL | jq -c '.files[] | select(.name == "list-a")')" = \
	  "$(dmpoolctl -j file show $POOL list-a | jq -c .)" ]
	run -1 dmpoolctl file list nopool
	[ "$output" = "dmpoolctl: pool nopool: no pool with this name" ]
}

@test "file create: a name exists once; bad names, sizes, modes and permits are refused" {
	dmpoolctl file create $POOL dup 4096
	run -1 on 2 "dmpoolctl file create $POOL dup 4096"
	[ "$output" = "dmpoolctl: pool $POOL, file dup: a file of this name exists" ]
	# Usage errors: nothing is sent, exit 2.
	run -2 dmpoolctl file create $POOL bad 0
	[[ $output == "dmpoolctl: invalid size '0': size must not be zero"* ]]
	run -2 dmpoolctl file create $POOL bad 1.5K
	[[ $output == "dmpoolctl: invalid size '1.5K'"* ]]
	run -2 dmpoolctl file create $POOL bad 1 --mode 0800
	[[ $output == "dmpoolctl: invalid --mode '0800': use octal permission bits, 0 to 0777"* ]]
	run -2 dmpoolctl file create $POOL bad 1 --permits 65
	[[ $output == "dmpoolctl: invalid --permits '65': use 1-64"* ]]
	run -2 dmpoolctl file create $POOL bad 1 --permits 0
	run -2 dmpoolctl file create $POOL a/b 1
	[[ $output == "dmpoolctl: invalid file name 'a/b'"* ]]
	run -2 dmpoolctl file create $POOL .. 1
	run -2 dmpoolctl file list $POOL --mode 644
	# The module's refusals: exit 1 with its words.
	run -1 dmpoolctl file create $POOL bad 16M
	[ "$output" = "dmpoolctl: pool $POOL, file bad: no room: the pool lacks a free range of that size, or its directory is full" ]
	run -1 dmpoolctl file create nopool bad 1
	[ "$output" = "dmpoolctl: pool nopool, file bad: no pool with this name" ]
	run -1 dmpoolctl file show $POOL bad
}

@test "file delete: gone on every node; show and delete then say no such file" {
	local pid

	dmpoolctl file create $POOL gamma 4096
	run -0 on 2 "dmpoolctl file delete $POOL gamma"
	[ "$output" = "deleted file gamma from pool $POOL" ]
	run -1 dmpoolctl file show $POOL gamma
	[ "$output" = "dmpoolctl: pool $POOL, file gamma: no file of this name" ]
	run -1 on 3 "dmpoolctl file delete $POOL gamma"
	[ "$output" = "dmpoolctl: pool $POOL, file gamma: no file of this name" ]
	run -0 dmpoolctl -j file list $POOL
	echo "$output" | jq -e '[.files[].name] | index("gamma") == null'
	# By pool ID, with -j.
	pid=$(pool_id)
	dmpoolctl file create $POOL delta 1
	run -0 dmpoolctl -j file delete "$pid" delta
	echo "$output" | jq -e --argjson pid "$pid" \
		'.deleted.pool_id == $pid and .deleted.name == "delta"'
	run -1 on 2 "dmpoolctl file show $POOL delta"
}

@test "file delete: refused while the file is open on another node, done once closed" {
	dmpoolctl file create $POOL held 4096
	on 2 "rm -f /tmp/fc-release"
	hold_bg 2 $HOLD held -h /tmp/fc-release
	wait_until node_file_has 2 $HOLD granted
	run -1 dmpoolctl file delete $POOL held
	[ "$output" = "dmpoolctl: pool $POOL, file held: the file is open on some node" ]
	run -0 on 3 "dmpoolctl file show $POOL held"
	on 2 "touch /tmp/fc-release"
	wait_until node_file_has 2 $HOLD released
	on 2 "rm -f $HOLD.pid"
	# The holder exited; its node's open lock goes with its last close.
	DEADLINE=30 wait_until dmpoolctl file delete $POOL held
	run -1 on 2 "dmpoolctl file show $POOL held"
	[[ $output == *"no file of this name" ]]
}

@test "without CAP_NET_ADMIN: file list and show work, create and delete are refused" {
	dmpoolctl file create $POOL mine 4096
	run -1 as_nobody dmpoolctl file create $POOL theirs 4096
	[ "$output" = "dmpoolctl: permission denied: needs CAP_NET_ADMIN" ]
	run -1 as_nobody dmpoolctl file delete $POOL mine
	[ "$output" = "dmpoolctl: permission denied: needs CAP_NET_ADMIN" ]
	run -0 as_nobody dmpoolctl file list $POOL
	[[ $output == *"  mine  "* ]]
	run -0 as_nobody dmpoolctl -j file show $POOL mine
	echo "$output" | jq -e '.name == "mine" and .size == 4096'
	run -1 dmpoolctl file show $POOL theirs
	run -0 dmpoolctl file show $POOL mine
}
