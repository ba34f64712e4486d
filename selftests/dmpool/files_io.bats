#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Proves dmpoolctl file load, dump, append and update on the 3-VM cluster,
# with the kernel DLM under corosync, in a pool of 32 MiB placed over all
# three nodes in extents of 1 MiB:
#  - a random 3-5 MiB file loaded on node 1 is written to its remote homes
#    and read back from them (pool counters), with the checksum line;
#  - node 2 and node 3 dump it byte-identical;
#  - an append on node 2 and an update on node 3 are seen by the next
#    dump on another node;
#  - dump to stdout equals dump to a file, --offset/--length cut it;
#  - -j prints the result as JSON, --progress draws a bar on stderr;
#  - a too-small file, a missing pool or file, data past the end, an
#    unreadable local file and a user without access to /dev/dmpool get
#    clear errors (exit 1), and bad arguments are usage errors (exit 2).
#
# Runs in VM node 1 and drives nodes 2 and 3 with vmexec.  Starts the
# cluster stack (so run-suite runs it last) and leaves it running.
# Summary lines (throughput) go to the TAP output as comments.

bats_require_minimum_version 1.5.0

KO=${DMPOOL_KO:-/lib/modules/dmpool.ko}
KEYFILE=/tmp/dmpool-files-io.key
FT=$BATS_TEST_DIRNAME/helpers/dmpool-file
POOL=iopool
W=/tmp/fio		# work directory on every node, readable by anyone
SRC=$W/src
load cluster_lib

# Copy file $2 of node $1 to $3 here (base64: vmexec carries text).
fetch() {
	on "$1" "base64 $2" | base64 -d >"$3"
}

# Counter $2 of $POOL on node $1 (pool stats -j), and its stored bytes.
pool_counter() {
	on "$1" "dmpoolctl -j pool stats $POOL" | jq -er ".$2"
}

pool_stored() {
	on "$1" "dmpoolctl -j pool show $POOL" | jq -er .stored
}

# Bytes of file $1 of $POOL whose extent is homed on node $2 (the map).
homed_bytes() {
	local f p

	f=$(dmpoolctl -j file show $POOL "$1") || return 1
	p=$(dmpoolctl -j pool export $POOL) || return 1
	jq -n --argjson f "$f" --argjson p "$p" --argjson k "$2" '
		$p.extent_size as $x | $f.offset as $o | ($f.offset + $f.size) as $stop
		| [range($o / $x | floor; (($stop - 1) / $x | floor) + 1) as $e
		   | select($p.map[$e] == $k)
		   | ([($e + 1) * $x, $stop] | min) - ([$e * $x, $o] | max)]
		| add // 0'
}

sha_of() {
	sha256sum <"$1" | cut -d' ' -f1
}

# A TAP comment: shown by bats, kept in the suite's results.
note() {
	echo "# $*" >&3
}

setup_file() {
	files_setup $POOL 32M || return 1
	stack_start_all
	on_all_anyway "rm -rf $W; mkdir -p $W; chmod 755 $W"
	# 3 MiB to 5 MiB, not a multiple of anything.
	SIZE=$((3 * 1048576 + RANDOM * 64 + RANDOM % 4096))
	head -c $SIZE /dev/urandom >$SRC
	chmod 644 $SRC
	export SIZE
}

teardown_file() {
	on_all_anyway "rm -rf $W $KEYFILE"
}

# Proves: a load on node 1 writes each remote home's share there (node 1's
# pages_out_remote, nodes 2 and 3's stored bytes) and its check reads them
# back from the homes (pages_in_remote), ending with the checksum line.
@test "load: the data goes to the remote homes and is read back from them; checksum line" {
	local out1 in1 st2 st3 h2 h3

	out1=$(pool_counter 1 pages_out_remote)
	in1=$(pool_counter 1 pages_in_remote)
	st2=$(pool_stored 2)
	st3=$(pool_stored 3)
	run -0 dmpoolctl file load $POOL data $SRC --no-progress
	note "$output"
	[[ $output =~ ^loaded\ $SIZE\ bytes\ into\ $POOL/data\ in\ [0-9.]+\ s\ \([0-9.]+\ MB/s\),\ sha256\ OK$ ]]
	h2=$(homed_bytes data 2)
	h3=$(homed_bytes data 3)
	# The 1 MiB extents alternate 1,2,3: both remote nodes home some.
	[ "$h2" -gt 0 ] && [ "$h3" -gt 0 ]
	# Whole pages homed remotely were written there and read back.
	[ $(($(pool_counter 1 pages_out_remote) - out1)) -ge $(((h2 + h3) / 4096 - 2)) ]
	[ $(($(pool_counter 1 pages_in_remote) - in1)) -ge $(((h2 + h3) / 4096 - 2)) ]
	[ $(($(pool_stored 2) - st2)) -ge $((h2 / 4096 * 4096 - 4096)) ]
	[ $(($(pool_stored 3) - st3)) -ge $((h3 / 4096 * 4096 - 4096)) ]
	run -0 dmpoolctl -j file show $POOL data
	echo "$output" | jq -e --argjson n "$SIZE" '.size == $n'
}

# Proves: what node 1 loaded under the mutex is what nodes 2 and 3 read.
@test "dump on nodes 2 and 3: byte-identical to the loaded file" {
	local k

	for k in 2 3; do
		run -0 on $k "dmpoolctl file dump $POOL data $W/d$k --no-progress"
		note "node $k: $output"
		[[ $output == "dumped $SIZE bytes of $POOL/data to $W/d$k in "*", sha256 $(sha_of $SRC)" ]]
		fetch $k $W/d$k $W/got$k
		cmp $SRC $W/got$k
	done
}

# Proves: an append on node 2 grows the file in place and node 3 then
# dumps the old data followed by the new.
@test "append on node 2: node 3 dumps both parts" {
	on 2 "head -c 300000 /dev/urandom >$W/tail"
	fetch 2 $W/tail $W/tail
	run -0 on 2 "dmpoolctl file append $POOL data $W/tail --no-progress"
	[[ $output == "appended 300000 bytes to $POOL/data at offset $SIZE in "*", sha256 OK" ]]
	# And from stdin.
	run -0 on 2 "printf 'the end' | dmpoolctl file append $POOL data - --no-progress"
	[[ $output == "appended 7 bytes to $POOL/data at offset $((SIZE + 300000)) in "* ]]
	{ cat $SRC $W/tail; printf 'the end'; } >$W/want
	run -0 on 3 "dmpoolctl file dump $POOL data $W/d3 --no-progress"
	fetch 3 $W/d3 $W/got3
	cmp $W/want $W/got3
	run -0 dmpoolctl -j file show $POOL data
	echo "$output" | jq -e --argjson n $((SIZE + 300007)) '.size == $n'
}

# Proves: an update at an offset on node 3 changes exactly those bytes,
# as node 1's next dump shows.
@test "update at an offset on node 3: node 1's dump matches the patched copy" {
	local off=$((SIZE / 2 + 123))

	on 3 "head -c 70000 /dev/urandom >$W/patch"
	fetch 3 $W/patch $W/patch
	run -0 on 3 "dmpoolctl file update $POOL data $off $W/patch --no-progress"
	[[ $output == "updated 70000 bytes of $POOL/data at offset $off in "*", sha256 OK" ]]
	run -0 on 3 "printf HELLO | dmpoolctl file update $POOL data 0 - --no-progress"
	cp $W/want $W/patched
	dd if=$W/patch of=$W/patched bs=1 seek=$off conv=notrunc 2>/dev/null
	printf HELLO | dd of=$W/patched conv=notrunc 2>/dev/null
	run -0 dmpoolctl file dump $POOL data $W/d1 --no-progress
	cmp $W/patched $W/d1
	run -1 cmp -s $W/want $W/d1
}

# Proves: dump to stdout gives the same bytes as dump to a file (its
# summary on stderr), and --offset/--length take the right slice.
@test "dump to stdout equals dump to a file; --offset and --length" {
	dmpoolctl file dump $POOL data $W/f --no-progress
	dmpoolctl file dump $POOL data --no-progress >$W/s 2>$W/s.err
	cmp $W/f $W/s
	grep -q "^dumped $((SIZE + 300007)) bytes of $POOL/data to stdout in .*, sha256 $(sha_of $W/f)\$" $W/s.err
	dmpoolctl file dump $POOL data - --offset 1000 --length 5000 \
		--no-progress >$W/part 2>/dev/null
	dd if=$W/f bs=1000 skip=1 count=5 2>/dev/null | cmp - $W/part
	# A length past the end is cut at the end; an offset there is empty.
	dmpoolctl file dump $POOL data - --offset $((SIZE + 300000)) \
		--length 1M --no-progress >$W/end 2>/dev/null
	[ "$(cat $W/end)" = "the end" ]
	run -1 dmpoolctl file dump $POOL data - --offset 1T
	[[ $output == *"--offset 1099511627776 is past the end of the file ($((SIZE + 300007)) bytes)" ]]
	# The target is replaced atomically: no temporary file stays behind.
	[ "$(find $W -name '.f.*' | wc -l)" -eq 0 ]
}

# Proves: -j prints bytes, seconds, sha256 and verified; a load into an
# existing, larger file overwrites it from byte 0 and keeps its size;
# --progress draws the bar on stderr even when it is not a terminal.
@test "load -j into an existing file; --progress" {
	local n=$((SIZE + 300007))

	head -c 10000 /dev/urandom >$W/small
	run -0 dmpoolctl -j file load $POOL data $W/small
	note "$output"
	echo "$output" | jq -e --arg sha "$(sha_of $W/small)" \
		'.bytes == 10000 and .sha256 == $sha and .verified == true and
		 .created == false and (.seconds | type) == "number" and
		 .still_cached_pages == 0'
	dmpoolctl file dump $POOL data $W/f2 --no-progress
	[ "$(stat -c %s $W/f2)" -eq $n ]
	head -c 10000 $W/f2 | cmp - $W/small
	dd if=$W/f2 bs=10000 skip=1 2>/dev/null | cmp - <(dd if=$W/f bs=10000 skip=1 2>/dev/null)
	run -0 --separate-stderr dmpoolctl file load $POOL prog $SRC --progress
	[[ $stderr == *"100%"*"MB/s"* ]]
	[[ $output == "loaded $SIZE bytes into $POOL/prog in "*", sha256 OK" ]]
}

# Proves: each way a data command can fail says why, with exit 1 (or 2
# for a bad command line), and a failed load leaves no file behind.
@test "clear errors: too small, no pool, no file, past the end, unreadable, no access" {
	dmpoolctl file create $POOL tiny 4096
	run -1 dmpoolctl file load $POOL tiny $SRC --no-progress
	[ "$output" = "dmpoolctl: pool $POOL, file tiny: the file is too small: 4096 bytes, $SRC has $SIZE (delete it first, or load into a new name)" ]
	run -1 dmpoolctl file load nopool x $SRC
	[ "$output" = "dmpoolctl: pool nopool, file x: no pool with this name" ]
	run -1 dmpoolctl file dump $POOL nofile $W/x
	[ "$output" = "dmpoolctl: pool $POOL, file nofile: no file of this name" ]
	[ ! -e $W/x ]
	run -1 dmpoolctl file append $POOL nofile $W/small
	[ "$output" = "dmpoolctl: pool $POOL, file nofile: no file of this name" ]
	run -1 dmpoolctl file update $POOL tiny 4000 $W/small
	[ "$output" = "dmpoolctl: pool $POOL, file tiny: the data does not fit: 10000 bytes at offset 4000 pass the end of the file (4096 bytes)" ]
	run -1 dmpoolctl file load $POOL y $W/missing
	[ "$output" = "dmpoolctl: pool $POOL, file y: cannot read $W/missing: No such file or directory" ]
	: >$W/empty
	run -1 dmpoolctl file load $POOL y $W/empty
	[[ $output == *"$W/empty is empty: nothing to load"* ]]
	run -1 as_nobody dmpoolctl file load $POOL y $SRC
	[ "$output" = "dmpoolctl: pool $POOL, file y: cannot open /dev/dmpool: permission denied (the dmpool device is root's only)" ]
	run -1 as_nobody dmpoolctl file dump $POOL data $W/nobody
	[[ $output == *"permission denied"* ]]
	run -1 dmpoolctl file show $POOL y
	# More than the whole pool: no room to grow.
	dd if=/dev/zero of=$W/huge bs=1 count=0 seek=40000000 2>/dev/null
	run -1 dmpoolctl file append $POOL tiny $W/huge
	[ "$output" = "dmpoolctl: pool $POOL, file tiny: cannot grow the file by 40000000 bytes: the bytes after it in the pool are taken, or the pool ends" ]
	rm -f $W/huge
	run -2 dmpoolctl file update $POOL tiny 1.5K $W/small
	[[ $output == "dmpoolctl: invalid offset '1.5K'"* ]]
	run -2 dmpoolctl file dump $POOL data --offset x
	run -2 dmpoolctl -j file dump $POOL data
}
