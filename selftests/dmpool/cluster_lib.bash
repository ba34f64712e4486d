# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the multi-node bats files (transport.bats,
# remote.bats, stack.bats, files.bats, files_cli.bats, files_io.bats,
# failover.bats):
# addresses of the VM nodes, running commands on them, deadline-bounded
# waits, the module set-up of a node, the cluster stack (corosync,
# dlm_controld), a pool placed over all nodes, the file-lock helpers of
# dmpool-file, and asking the host to stop, resume or power off a node
# (host_ctl), and running dmpoold (daemon_*).  A file that loads this sets
# KO and KEYFILE first (and FT for files_setup, FT and POOL for ft and
# hold_bg).

# Node K's address: word K of DMPOOL_NODE_ADDRS.
read -r -a ADDRS <<<"${DMPOOL_NODE_ADDRS:-10.213.0.11 10.213.0.12 10.213.0.13}"
NODES=${#ADDRS[@]}

addr() {
	echo "${ADDRS[$(($1 - 1))]}"
}

# Run a shell command on node $1 (this node directly, others by vmexec).
on() {
	local k=$1

	shift
	if [ "$k" = "${DMPOOL_NODE:-1}" ]; then
		sh -c "$*"
	else
		vmexec "$(node_addr "$k")" "$*"
	fi
}

# Poll until "$@" succeeds or $DEADLINE seconds pass.  Never a fixed sleep.
wait_until() {
	local deadline=$((SECONDS + ${DEADLINE:-60}))

	until "$@"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "timed out waiting for: $*" >&2
			return 1
		fi
		sleep 0.2
	done
}

# Field $3 of peer $2 as node $1 sees it (`peer list -j`).
peer_field() {
	on "$1" "dmpoolctl -j peer list" |
		jq -er ".peers[] | select(.id == $2) | .$3"
}

# Field $2 of node $1 (`node show -j`).
node_field() {
	on "$1" "dmpoolctl -j node show" | jq -er ".$2"
}

peer_state_is() {
	[ "$(peer_field "$1" "$2" state 2>/dev/null)" = "$3" ]
}

# Every node sees every other one connected with a measured RTT.
all_connected() {
	local out k

	for ((k = 1; k <= NODES; k++)); do
		out=$(on "$k" "dmpoolctl -j peer list") || return 1
		echo "$out" | jq -e --argjson n $((NODES - 1)) \
			'[.peers[] | select(.state == "connected" and .rtt_ns > 0)]
			 | length == $n' >/dev/null || return 1
	done
}

# Output file $2 on node $1 holds "$3".
node_file_has() {
	on "$1" "grep -q '$3' $2 2>/dev/null"
}

# Run a command as an unprivileged user (uid/gid 65534, no capabilities).
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# Node $1 does not answer a ping within a second (its link is down).
node_silent() {
	! ping -c 1 -W 1 "$(addr "$1")" >/dev/null 2>&1
}

# Load a fresh module on node $1 (rmmod first if loaded).
reload() {
	on "$1" "if grep -q '^dmpool ' /proc/modules; then rmmod dmpool; fi; insmod $KO"
}

# Give node $1 the key in $2, its identity and every other node as peer.
configure() {
	local k=$1 keyfile=${2:-$KEYFILE} j

	on "$k" "dmpoolctl key set --file $keyfile && dmpoolctl node set $k $(addr "$k")"
	for ((j = 1; j <= NODES; j++)); do
		[ "$j" = "$k" ] && continue
		on "$k" "dmpoolctl peer add $j $(addr "$j")"
	done
}

# Every node: a fresh module, the cluster key (a new random one, written
# to $KEYFILE on each node), its identity and all peers; wait until all
# are connected.
fresh_cluster() {
	local k key

	key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	for ((k = 1; k <= NODES; k++)); do
		reload "$k"
		on "$k" "printf %s $key >$KEYFILE"
	done
	for ((k = 1; k <= NODES; k++)); do
		configure "$k"
	done
	wait_until all_connected
}

# Fail (in setup_file) unless the tools and the 3 nodes the files need exist;
# $1 is a helper program the file needs too.
need_cluster() {
	command -v jq >/dev/null || { echo "jq not in PATH" >&2; return 1; }
	command -v vmexec >/dev/null || { echo "vmexec not in PATH" >&2; return 1; }
	[ -x "$1" ] || { echo "$1 not built" >&2; return 1; }
	[ "$NODES" -ge 3 ] || { echo "needs 3 nodes, DMPOOL_NODE_ADDRS has $NODES" >&2; return 1; }
}

# Every node runs the cluster stack: quorate, dlm_controld answering.
stack_up_everywhere() {
	local k

	for ((k = 1; k <= NODES; k++)); do
		on "$k" "dmpool-stack status" || return 1
	done
}

# Start corosync and dlm_controld on every node, all at once (a lone node
# is never quorate), and wait until every node has both (at most 300 s:
# the debug kernel's first start of corosync can take two minutes).
# Starting them again is harmless.  Nothing stops them before the suite
# ends: a node leaving a lockspace runs into two bugs of the 6.1 kernel's
# fs/dlm that the debug kernel reports (see Documentation/testing.rst).
stack_start_all() {
	local k

	for ((k = 1; k <= NODES; k++)); do
		# The daemons must not keep bats's descriptors (its TAP
		# output is fd 3): they outlive the test file.
		on "$k" "dmpool-stack start 280 </dev/null >/tmp/dmpool-stack.log 2>&1 3>&- 4>&- 5>&- &"
	done
	DEADLINE=300 wait_until stack_up_everywhere
}

# Run dmpool-file ($FT) on node $1 with the remaining arguments, pool
# $POOL first.
ft() {
	local k=$1

	shift
	on "$k" "$FT $POOL $*"
}

# What the file tests need (in setup_file): the tools and $FT, a fresh
# cluster, and pool $1 of $2 bytes (default 8 MiB) placed over all nodes in
# extents of 1 MiB (its file directory is homed on node 1), created here
# and installed on the others.  The caller starts the stack itself, after
# this: run-suite runs last the files that call stack_start_all.
files_setup() {
	local k args

	need_cluster "$FT" || return 1
	fresh_cluster
	dmpoolctl pool create "$1" "${2:-8M}" --cluster --extent-size 1M
	args=$(dmpoolctl pool export "$1")
	for ((k = 2; k <= NODES; k++)); do
		on "$k" "dmpoolctl pool install $args"
	done
}

# Run a shell command on every node, whatever it returns (clean-ups).
on_all_anyway() {
	local k

	for ((k = 1; k <= NODES; k++)); do
		on "$k" "$*" || true
	done
}

# Start "$FT $POOL hold ARGS..." (dmpool-file) on node $1 in the
# background, its output in $2 and its PID in $2.pid.
hold_bg() {
	local k=$1 out=$2

	shift 2
	on "$k" "rm -f $out; $FT $POOL hold $* </dev/null >$out 2>&1 3>&- 4>&- 5>&- & echo \$! >$out.pid"
}

# Ask the host (tools/vm/hostctl, started by the suite) to act on a node:
#   host_ctl ping | stop K | cont K | poweroff K | boot
# (boot prints the new node's number).
# A file that calls it runs after every other file (tools/vm/run-suite):
# the nodes it powers off stay off.  Fails with the host's message.
host_ctl() {
	local fd reply

	exec {fd}<>"/dev/tcp/${DMPOOL_HOST_ADDR:?}/${DMPOOL_CTL_PORT:?}" || return 1
	printf '%s\n' "$*" >&"$fd"
	if ! read -r -t 120 reply <&"$fd"; then
		reply="error: no answer from the host"
	fi
	exec {fd}>&-
	case $reply in
	ok) return 0 ;;
	"ok "*)
		echo "${reply#ok }"
		return 0
		;;
	esac
	echo "host_ctl $*: ${reply#error: }" >&2
	return 1
}

# ---------------------------------------------------------------- dmpoold
#
# The daemon files (daemon*.bats) run dmpoold on nodes 1..3, and daemon_join
# on a 4th node booted for it.  Every node gets the same configuration but
# its ID and address, the same cluster key, and its log in $DLOG.

DCONF=/etc/dmpool/dmpoold.conf
DKEY=/etc/dmpool/cluster.key
DLOG=/tmp/dmpoold.log

# Node $1's address, also for nodes beyond DMPOOL_NODE_ADDRS (booted later).
node_addr() {
	if [ "$1" -le "$NODES" ]; then
		addr "$1"
	else
		echo "${DMPOOL_HOST_ADDR%.*}.$((10 + $1))"
	fi
}

# Give node $1 dmpoold's configuration and the cluster key $2, and an empty
# log.
daemon_configure() {
	local k=$1 key=$2

	on "$k" "mkdir -p /etc/dmpool && : >$DLOG &&
		(umask 077 && printf %s $key >$DKEY) &&
		printf '%s\n' 'node_id = $k' 'addr = $(node_addr "$k")' \
			'memory = 64M' 'key_file = $DKEY' 'default_ttl = 1h' \
			'manage_corosync = yes' \
			'join_command = dmpool-stack start 120' \
			'leave_command = dmpool-stack stop' >$DCONF"
}

# Start dmpoold on node $1 (foreground mode, its log appended to $DLOG).
daemon_start() {
	on "$1" "dmpoold -f -c $DCONF </dev/null >>$DLOG 2>&1 3>&- 4>&- 5>&- &"
}

# Stop dmpoold on node $1 (SIGTERM: it leaves CPG and persists) and wait
# until it is gone.
daemon_stop() {
	on "$1" 'p=$(pidof dmpoold) || exit 0; kill $p; i=0
		while pidof dmpoold >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		! pidof dmpoold'
}

# The snapshot's checksum on node $1: the SHA-256 of the persisted state.
daemon_checksum() {
	on "$1" "sha256sum /var/lib/dmpool/state" | cut -d' ' -f1
}

# Nodes "$@" (default 1..NODES) hold the same snapshot.
same_state() {
	local k sum first=

	[ $# -gt 0 ] || set -- $(seq 1 "$NODES")
	for k in "$@"; do
		sum=$(daemon_checksum "$k") && [ -n "$sum" ] || return 1
		[ -z "$first" ] && first=$sum
		[ "$sum" = "$first" ] || return 1
	done
}

# dmpoold's log on node $1 has a line matching $2 (grep -E).
daemon_log_has() {
	on "$1" "grep -qE '$2' $DLOG"
}

# The stack and dmpoold on nodes 1..NODES with the cluster key $1 (default:
# a new one); returns once every node holds the same snapshot.  A node's
# module is reloaded and its snapshot wiped, for a fresh start, unless the
# DLM holds a lockspace of a pool (leaving one is what the stack must not
# do, see stack_start_all): then the daemon finds the module and the
# snapshot of an earlier file and goes on with them.
daemons_setup() {
	local k key=${1:-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}

	for ((k = 1; k <= NODES; k++)); do
		daemon_stop "$k"
		on "$k" "dlm_tool ls 2>/dev/null | grep -q '^name' || {
				rm -rf /var/lib/dmpool
				if grep -q '^dmpool ' /proc/modules; then rmmod dmpool; fi
			}
			grep -q '^dmpool ' /proc/modules || insmod $KO"
		daemon_configure "$k" "$key"
	done
	stack_start_all
	for ((k = 1; k <= NODES; k++)); do
		daemon_start "$k"
	done
	DEADLINE=60 wait_until same_state
}

# Stop dmpoold wherever it runs: the files after the daemon files reload
# the module, which nobody must configure behind their back.
daemons_stop_all() {
	local k n=${1:-$NODES}

	for ((k = 1; k <= n; k++)); do
		daemon_stop "$k" || true
	done
}
