#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves that dmpoolctl creates, lists, shows and destroys pools with the
# right output (aligned text, valid JSON), and reports every error with its
# own message and exit code: usage errors (2), module refusals with the
# kernel's extack text, unknown pools, attached pools, missing privilege and
# a missing module (1).
#
# Runs in VM node 1 with dmpool.ko loaded and dmpoolctl, dmpool-demo and jq
# in PATH (tools/vm/run-suite).  DMPOOL_KO names the module file for the
# test that unloads and reloads it (default /lib/modules/dmpool.ko).
# Every pool a test makes is named after the test and destroyed in
# teardown, so a failing test does not leak into the next.

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

# Poll until "$@" succeeds or $DEADLINE seconds pass.  Never a fixed sleep.
wait_until() {
	local deadline=$((SECONDS + ${DEADLINE:-20}))

	until "$@"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "timed out waiting for: $*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# Start `dmpool-demo hold NAME` in the background; wait until it attached.
hold_pool() {
	local log=$BATS_TEST_TMPDIR/hold-$1.log

	dmpool-demo hold "$1" >"$log" 2>&1 3>&- &
	HOLD_PIDS+=("$!")
	wait_until grep -q '^attached' "$log" || {
		cat "$log" >&2
		return 1
	}
}

# Stop the holders started by this test and reap them.
release_pools() {
	local pid

	for pid in "${HOLD_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	HOLD_PIDS=()
}

# Run a command as an unprivileged user (uid/gid 65534, no capabilities).
as_nobody() {
	if setpriv --help 2>&1 | grep -q -- '--reuid'; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	elif grep -q '^nobody:' /etc/passwd 2>/dev/null; then
		# busybox su: the command line through sh -c, quoted.
		su -s /bin/sh nobody -c "$(printf '%q ' "$@")"
	else
		echo "as_nobody: need util-linux setpriv or a 'nobody' user" >&2
		return 127
	fi
}

# The named field of pool $1 from `pool show -j`.
pool_field() {
	dmpoolctl -j pool show "$1" | jq -er ".$2"
}

setup_file() {
	command -v dmpoolctl >/dev/null || { echo "dmpoolctl not in PATH" >&2; return 1; }
	command -v dmpool-demo >/dev/null || { echo "dmpool-demo not in PATH" >&2; return 1; }
	command -v jq >/dev/null || { echo "jq not in PATH" >&2; return 1; }
	module_loaded || { echo "dmpool module not loaded" >&2; return 1; }
}

setup() {
	HOLD_PIDS=()
	CLEANUP=()	# pools outside the bt<N>- pattern that teardown destroys
}

teardown() {
	local name

	release_pools
	if [ -n "${SAVED_MODPROBE:-}" ]; then
		printf '%s\n' "$SAVED_MODPROBE" >/proc/sys/kernel/modprobe
	fi
	if ! module_loaded; then
		insmod "$KO"
	fi
	# Whatever this test created, destroyed even if the test failed.
	for name in $(dmpoolctl -j pool list | jq -r '.pools[].name'); do
		case $name in
		"bt${BATS_TEST_NUMBER}-"*) dmpoolctl pool destroy --force -- "$name" ;;
		esac
	done
	for name in "${CLEANUP[@]}"; do
		dmpoolctl pool destroy --force --name -- "$name" 2>/dev/null || true
	done
}

# ---- version ------------------------------------------------------------

@test "version shows dmpoolctl's and the module's ABI, equal" {
	# Proves: `version` talks to the module and prints both ABI versions.
	run -0 dmpoolctl version
	[[ ${lines[0]} =~ ^dmpoolctl\ +[0-9]+\.[0-9]+\.[0-9]+\ \(ABI\ ([0-9]+)\)$ ]]
	tool_abi=${BASH_REMATCH[1]}
	[[ ${lines[1]} =~ ^module\ +ABI\ ([0-9]+)$ ]]
	[ "${BASH_REMATCH[1]}" = "$tool_abi" ]
	[[ $output == *"local_pools"* ]]
}

@test "version -j is valid JSON with the same facts" {
	# Proves: the JSON version output parses and carries ABI and features.
	run -0 dmpoolctl -j version
	echo "$output" | jq -e '.dmpoolctl.abi_version == .module.abi_version'
	echo "$output" | jq -e '.module.features | index("local_pools") != null'
	echo "$output" | jq -e '.module.store_capacity > 0 and .module.store_committed >= 0'
}

# ---- create / list / show / destroy ---------------------------------------

@test "pool create, show by name and by ID, list, destroy" {
	# Proves: the basic life cycle works and each step says what it did.
	p=$(pname a)
	run -0 dmpoolctl pool create "$p" 64M
	[[ $output =~ ^created\ pool\ $p:\ ID\ ([0-9]+),\ 64\ MiB$ ]]
	id=${BASH_REMATCH[1]}

	run -0 dmpoolctl pool show "$p"
	[[ $output == *"id:       $id"* ]]
	[[ $output == *"name:     $p"* ]]
	[[ $output == *"size:     64 MiB (67108864 bytes)"* ]]
	[[ $output == *"attached: 0"* ]]
	[[ $output == *"cached:   "* ]]
	[[ $output == *"stored:   "* ]]

	by_name=$(dmpoolctl -j pool show "$p")
	by_id=$(dmpoolctl -j pool show "$id")
	[ "$by_name" = "$by_id" ]

	run -0 dmpoolctl pool list
	[[ $output == *"$p"* ]]

	run -0 dmpoolctl pool destroy "$p"
	[ "$output" = "destroyed pool $p" ]
	run -1 dmpoolctl pool show "$p"
	[[ $output == *"pool $p: "*"no pool"* ]]
}

@test "pool destroy by ID" {
	# Proves: a pool can be named by its numeric ID.
	p=$(pname a)
	id=$(dmpoolctl -j pool create "$p" 1M | jq -er .id)
	run -0 dmpoolctl pool destroy "$id"
	[ "$output" = "destroyed pool ID $id" ]
	run -1 dmpoolctl pool show "$id"
	[[ $output == *"pool ID $id: "*"no pool"* ]]
}

@test "sizes are rounded up to whole pages" {
	# Proves: 5000 bytes become 8192, as the uapi says.
	p=$(pname a)
	run -0 dmpoolctl pool create "$p" 5000
	[ "$(pool_field "$p" size)" = 8192 ]
}

@test "binary units are accepted" {
	# Proves: 4096, 64K and 3M mean 4096, 65536 and 3 MiB; G and T reach the
	# module as multiples of 2^30 and 2^40 bytes (seen in its ENOSPC message,
	# as such pools do not fit a test VM's store).
	dmpoolctl pool create "$(pname b)" 4096
	dmpoolctl pool create "$(pname k)" 64K
	dmpoolctl pool create "$(pname m)" 3M
	[ "$(pool_field "$(pname b)" size)" = 4096 ]
	[ "$(pool_field "$(pname k)" size)" = 65536 ]
	[ "$(pool_field "$(pname m)" size)" = 3145728 ]
	cap=$(dmpoolctl -j version | jq -er .module.store_capacity)
	g=$((cap / (1 << 30) + 1))	# more GiB than the store holds
	run -1 dmpoolctl pool create "$(pname g)" "${g}G"
	[[ $output == *" $((g << 30)) bytes requested"* ]]
	run -1 dmpoolctl pool create "$(pname t)" 1T
	[[ $output == *" 1099511627776 bytes requested"* ]]
}

@test "pool list is an aligned table" {
	# Proves: every line of the table has the same width (columns line up).
	dmpoolctl pool create "$(pname short)" 4K
	dmpoolctl pool create "$(pname a-much-longer-pool-name)" 12M
	run -0 dmpoolctl pool list
	[[ ${lines[0]} =~ ^\ *ID\ +NAME\ +SIZE\ +ATTACHED\ +CACHED\ +STORED$ ]]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ print length($0) }' | sort -u | wc -l)" -eq 1 ]
	[[ $output =~ $(pname a-much-longer-pool-name)\ +12\ MiB ]]
	[[ $output =~ $(pname short)\ +4\ KiB ]]
}

@test "pool list shows every pool when the dump spans many messages" {
	# Proves: the multi-part dump is read to its end, nothing lost or doubled.
	long=$(printf 'x%.0s' $(seq 50))
	for i in $(seq 150); do
		dmpoolctl pool create "$(pname "$i-$long")" 4K >/dev/null
	done
	run -0 dmpoolctl -j pool list
	echo "$output" | jq -e --arg pre "bt${BATS_TEST_NUMBER}-" \
		'[.pools[] | select(.name | startswith($pre))] | length == 150'
	echo "$output" | jq -e '[.pools[].id] | length == (unique | length)'
	[ "$(dmpoolctl pool list | grep -c "bt${BATS_TEST_NUMBER}-")" -eq 150 ]
}

@test "-j output of create, list, show and destroy is valid JSON" {
	# Proves: every command's JSON parses and has the documented keys.
	p=$(pname a)
	run -0 dmpoolctl -j pool create "$p" 2M
	echo "$output" | jq -e --arg p "$p" '.name == $p and .size == 2097152 and .id > 0'
	run -0 dmpoolctl pool list --json
	echo "$output" | jq -e --arg p "$p" '[.pools[] | select(.name == $p)] | length == 1'
	echo "$output" | jq -e '.pools | all(has("id") and has("name") and has("size") and has("attached") and has("cached") and has("stored"))'
	run -0 dmpoolctl pool show -j "$p"
	echo "$output" | jq -e '.attached == 0 and (.cached | type) == "number" and (.stored | type) == "number"'
	run -0 dmpoolctl -j pool destroy "$p"
	echo "$output" | jq -e --arg p "$p" '.destroyed.name == $p'
}

@test "creating and destroying a pool moves the store's committed bytes" {
	# Proves: version reports store accounting that follows pool life.
	before=$(dmpoolctl -j version | jq -er .module.store_committed)
	dmpoolctl pool create "$(pname a)" 8K
	during=$(dmpoolctl -j version | jq -er .module.store_committed)
	dmpoolctl pool destroy "$(pname a)"
	after=$(dmpoolctl -j version | jq -er .module.store_committed)
	[ $((during - before)) -eq 8192 ]
	[ "$after" -eq "$before" ]
}

# ---- errors from the module ------------------------------------------------

@test "a duplicate name is refused with the module's message" {
	# Proves: EEXIST reaches the user with the extack text, exit 1.
	p=$(pname a)
	dmpoolctl pool create "$p" 1M
	run -1 dmpoolctl pool create "$p" 2M
	[ "$output" = "dmpoolctl: pool $p: a pool with this name exists" ]
	[ "$(pool_field "$p" size)" = 1048576 ]
}

@test "a size below one page is refused by the module" {
	# Proves: the kernel's extack text is printed verbatim (exit 1).
	run -1 dmpoolctl pool create "$(pname a)" 1
	[ "$output" = "dmpoolctl: pool $(pname a): pool size must be at least 4096 bytes" ]
}

@test "a pool larger than the store is refused with how much is free" {
	# Proves: ENOSPC gives the module's reason and the store's figures
	# (requested, free, capacity).
	cap=$(dmpoolctl -j version | jq -er .module.store_capacity)
	size=$(((cap / 4096 + 1) * 4096))
	if [ "$size" -gt $((1 << 40)) ]; then
		size=$((1 << 40))
	fi
	run -1 dmpoolctl pool create "$(pname a)" "$size"
	[[ $output == *"not enough free memory in this node's store for the pool"* ]]
	[[ $output == *"$size bytes requested, "*" bytes free of $cap"* ]]
	run -1 dmpoolctl pool show "$(pname a)"
}

@test "unknown pools: show and destroy fail with 'no pool'" {
	# Proves: ENOENT by name and by ID is reported, exit 1, stdout empty.
	run -1 --separate-stderr dmpoolctl pool show "$(pname ghost)"
	[ -z "$output" ]
	# shellcheck disable=SC2154 # $stderr comes from run --separate-stderr
	[[ $stderr == "dmpoolctl: pool $(pname ghost): no pool with this name" ]]
	run -1 dmpoolctl pool show 18446744073709551615
	[[ $output == *"pool ID 18446744073709551615: no pool with this ID"* ]]
	run -1 dmpoolctl pool destroy "$(pname ghost)"
	[[ $output == *"no pool with this name"* ]]
	run -1 dmpoolctl -j pool destroy --force "$(pname ghost)"
	[[ $output == *"no pool with this name"* ]]
}

@test "an all-digit name is a name with --name" {
	# Proves: --name reaches pools whose names look like IDs.
	p="${BATS_TEST_NUMBER}00777"
	CLEANUP+=("$p")
	dmpoolctl pool create "$p" 4K
	run -0 dmpoolctl pool show --name "$p"
	[[ $output == *"name:     $p"* ]]
	run -0 dmpoolctl pool destroy --name "$p"
	run -1 dmpoolctl pool show --name "$p"
}

# ---- errors caught by dmpoolctl itself (exit 2) -----------------------------

@test "bad sizes are usage errors and create nothing" {
	# Proves: garbage, zero, negative, overflow and too large exit 2.
	p=$(pname a)
	for size in 0 -1 -64M 12Q 1.5G lots 64MB5 "" 99999999999999999999 2T 1099511627777; do
		run -2 dmpoolctl pool create "$p" "$size"
		[[ ${lines[0]} == "dmpoolctl: invalid size '$size': "* ]] ||
			{ echo "size '$size': $output"; false; }
	done
	run -1 dmpoolctl pool show "$p"
}

@test "bad names are usage errors" {
	# Proves: names outside [A-Za-z0-9._-]{1,63}, or starting with . or -, exit 2.
	long=$(printf 'n%.0s' $(seq 64))
	for name in "a b" ".hidden" "a/b" "$long" "caf$(printf '\xc3\xa9')" "x:y"; do
		run -2 dmpoolctl pool create "$name" 1M
		[[ ${lines[0]} == "dmpoolctl: invalid pool name"* ]] ||
			{ echo "name '$name': $output"; false; }
	done
	run -2 dmpoolctl pool create -- -dash 1M
	[[ ${lines[0]} == "dmpoolctl: invalid pool name '-dash'"* ]]
	run -2 dmpoolctl pool show 0
	[[ $output == *"pool ID 0"* ]]
}

@test "usage errors exit 2 and point to --help; --help exits 0" {
	# Proves: the command line is checked before any request.
	run -2 dmpoolctl
	[ "${lines[1]}" = "Try 'dmpoolctl --help'." ]
	run -2 dmpoolctl frobnicate
	[[ $output == *"unknown command 'frobnicate'"* ]]
	run -2 dmpoolctl pool
	run -2 dmpoolctl pool list extra
	run -2 dmpoolctl pool create onlyname
	run -2 dmpoolctl pool show x --force
	run -2 dmpoolctl --bogus version
	run -0 dmpoolctl --help
	[[ ${lines[0]} == "Usage: dmpoolctl"* ]]
	run -0 dmpoolctl pool create -h
}

# ---- attached pools ----------------------------------------------------------

@test "destroy refuses an attached pool; --force destroys it" {
	# Proves: EBUSY while attached (exit 1, pool kept), --force works.
	p=$(pname a)
	dmpoolctl pool create "$p" 1M
	hold_pool "$p"
	[ "$(pool_field "$p" attached)" = 1 ]

	run -1 dmpoolctl pool destroy "$p"
	[ "$output" = "dmpoolctl: pool $p: the pool is attached; force to destroy it anyway" ]
	run -0 dmpoolctl pool show "$p"

	run -0 dmpoolctl pool destroy --force "$p"
	run -1 dmpoolctl pool show "$p"
	release_pools
}

# attached_is POOL N: the pool's attachment count is N now (for wait_until).
attached_is() {
	[ "$(pool_field "$1" attached)" = "$2" ]
}

@test "attachments are counted per process" {
	# Proves: `attached` follows holders coming and going.
	p=$(pname a)
	dmpoolctl pool create "$p" 1M
	hold_pool "$p"
	hold_pool "$p"
	[ "$(pool_field "$p" attached)" = 2 ]
	release_pools
	DEADLINE=10 wait_until attached_is "$p" 0
	run -0 dmpoolctl pool destroy "$p"
}

@test "two processes see each other's writes, at unaligned offsets" {
	# Proves: libdmpool maps any byte offset and a pool is shared between processes.
	p=$(pname a)
	dmpoolctl pool create "$p" 64K
	# A new pool reads as zeros.
	[ "$(dmpool-demo read "$p" 4990 20 | od -An -v -tx1 | tr -d ' \n')" = "$(printf '00%.0s' $(seq 20))0a" ]
	run -0 dmpool-demo write "$p" 5000 "hello"
	run -0 dmpool-demo write "$p" 4999 "A"
	run -0 dmpool-demo read "$p" 4999 6
	[ "$output" = "Ahello" ]
	# A range across a page boundary.
	run -0 dmpool-demo write "$p" 8190 "across"
	run -0 dmpool-demo read "$p" 8190 6
	[ "$output" = "across" ]
	# The last byte is inside, one more is past the end: ENXIO.
	run -0 dmpool-demo write "$p" 65535 "z"
	run -1 dmpool-demo read "$p" 65530 7
	[[ $output == *"outside the pool"* ]]
}

@test "the demo writes and reads a pool through libdmpool" {
	# Proves: mmap, a second mapping, pread and a second process agree.
	p=$(pname a)
	dmpoolctl pool create "$p" 4M
	run -0 dmpool-demo "$p"
	[[ $output == *"mapping 2 at "*"sees the same bytes: OK"* ]]
	[[ $output == *"pread(2) on the pool's fd sees the same bytes: OK"* ]]
	[[ $output == *"attached separately and read the same bytes: OK"* ]]
	[ "${lines[-1]}" = "demo passed" ]
	run -1 dmpool-demo "$(pname ghost)"
	[[ $output == *"no such pool"* ]]
}

# ---- privilege and module presence -------------------------------------------

@test "without CAP_NET_ADMIN: changes are refused, reading is allowed" {
	# Proves: GENL_ADMIN_PERM -> "permission denied: needs CAP_NET_ADMIN".
	p=$(pname a)
	dmpoolctl pool create "$p" 1M
	run -1 as_nobody dmpoolctl pool create "$(pname b)" 1M
	[ "$output" = "dmpoolctl: permission denied: needs CAP_NET_ADMIN" ]
	run -1 as_nobody dmpoolctl pool destroy --force "$p"
	[ "$output" = "dmpoolctl: permission denied: needs CAP_NET_ADMIN" ]
	run -0 as_nobody dmpoolctl pool list
	[[ $output == *"$p"* ]]
	run -0 as_nobody dmpoolctl version
	run -0 dmpoolctl pool show "$p"
}

@test "root of a user namespace has no CAP_NET_ADMIN over dmpool" {
	# Proves: the check is against the initial namespace, not any root.
	run -1 unshare -U -r dmpoolctl pool create "$(pname a)" 1M
	[ "$output" = "dmpoolctl: permission denied: needs CAP_NET_ADMIN" ]
	run -1 dmpoolctl pool show "$(pname a)"
}

@test "module not loaded: dmpoolctl and libdmpool say so" {
	# Proves: an unresolved family and a missing device node get clear messages.
	[ -e "$KO" ] || { echo "no module file at $KO (set DMPOOL_KO)" >&2; false; }
	dmpoolctl pool create "$(pname a)" 1M	# unloading with pools present is fine
	# No autoloading (the genl family alias would modprobe the module back):
	# as on a machine where dmpool is not installed.
	SAVED_MODPROBE=$(cat /proc/sys/kernel/modprobe)
	echo >/proc/sys/kernel/modprobe
	rmmod dmpool
	run -1 dmpoolctl pool list
	[ "$output" = "dmpoolctl: dmpool module not loaded (modprobe dmpool)" ]
	run -1 dmpoolctl version
	[ "$output" = "dmpoolctl: dmpool module not loaded (modprobe dmpool)" ]
	run -1 dmpool-demo "$(pname a)"
	[[ $output == *"the dmpool module is not loaded"* ]]
	run ! module_loaded

	insmod "$KO"
	DEADLINE=10 wait_until test -c /dev/dmpool
	run -0 dmpoolctl version
	run -1 dmpoolctl pool show "$(pname a)"	# pools went with the module
}

@test "store_mb above the node's RAM is refused at load" {
	# Proves: the module never promises pools more memory than the node has.
	[ -e "$KO" ] || { echo "no module file at $KO (set DMPOOL_KO)" >&2; false; }
	local ram_mib
	# MemTotal is totalram_pages(), which the module compares with.
	ram_mib=$(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo)
	rmmod dmpool
	run ! insmod "$KO" store_mb=$((ram_mib + 1))
	[[ $output == *"Invalid argument"* ]]
	run ! module_loaded
	dmesg | grep -q "dmpool: store_mb=$((ram_mib + 1)) is more than this node's $ram_mib MiB of RAM"

	# All of RAM is allowed (if unwise).
	insmod "$KO" store_mb="$ram_mib"
	run -0 dmpoolctl -j version
	[ "$(jq .module.store_capacity <<<"$output")" -eq $((ram_mib << 20)) ]
	rmmod dmpool
	insmod "$KO"
}

@test "/dev/dmpool is root's only" {
	# Proves: an unprivileged user can neither read nor write pools.
	[ "$(stat -c '%a %u %g' /dev/dmpool)" = "600 0 0" ]
	dmpoolctl pool create "$(pname a)" 1M
	run ! as_nobody dmpool-demo "$(pname a)"
	[[ $output == *"ermission denied"* ]]
}

@test "dmpoolctl loads an installed module on demand" {
	# Proves: MODULE_ALIAS_GENL_FAMILY lets the family's first user load dmpool.
	modinfo dmpool >/dev/null || { echo "dmpool is not installed for modprobe" >&2; false; }
	rmmod dmpool
	run -0 dmpoolctl version
	module_loaded
}
