# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # settings are used by the sourcers
#
# common.sh - settings and helpers shared by the VM harness scripts
# (cluster, mkimage, run-suite).  Sourced, never run.
#
# Everything a cluster owns derives from one state directory,
# $DMPOOL_VM_DIR (default: build/vm of this checkout), so several people can
# run clusters side by side: the network namespace name is a hash of its
# path, and the pid files, monitor sockets, console logs and the image all
# live inside it.
#
# Overridable from the environment:
#   DMPOOL_VM_DIR  state directory             (default <repo>/build/vm)
#   KVER           guest kernel release        (default: newest /boot/vmlinuz-*)
#   KERNEL         guest kernel image          (default /boot/vmlinuz-$KVER)
#   MODDIR         its modules directory       (default /lib/modules/$KVER)
#   BUILD_DIR      where make put our binaries (default <repo>/build)
#   DMPOOL_KO_FILE the module to ship          (default <repo>/kernel/dmpool.ko)

VM_TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$VM_TOOLS_DIR/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build}
DMPOOL_VM_DIR=$(realpath -m "${DMPOOL_VM_DIR:-$BUILD_DIR/vm}")
DMPOOL_KO_FILE=${DMPOOL_KO_FILE:-$REPO_DIR/kernel/dmpool.ko}
export DMPOOL_VM_DIR

# The private network: bridge address on the host side, node K at .(10+K).
VM_NET_PREFIX=10.213.0
VM_HOST_ADDR=$VM_NET_PREFIX.1
# Where tools/vm/hostctl listens (on VM_HOST_ADDR) for the tests' requests.
VM_CTL_PORT=7399
VM_MAX_NODES=32

# Where things are inside the guest image.
GUEST_TESTS_DIR=/opt/dmpool/selftests
GUEST_DMPOOL_KO=/lib/modules/dmpool.ko

VMEXEC=$DMPOOL_VM_DIR/tools/vmexec
AGENT=$DMPOOL_VM_DIR/tools/agent
INITRD=$DMPOOL_VM_DIR/initrd.gz

die() {
	printf '%s: error: %s\n' "${PROG:-vm}" "$*" >&2
	exit 1
}

warn() {
	printf '%s: warning: %s\n' "${PROG:-vm}" "$*" >&2
}

info() {
	printf '%s: %s\n' "${PROG:-vm}" "$*" >&2
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "$c not found: run tools/setup (or apt-get install the package providing it)"
	done
}

need_root() {
	[[ $(id -u) -eq 0 ]] ||
		die "must run as root (network namespaces, tap devices)"
}

# Guest kernel selection: KVER, KERNEL and MODDIR can be overridden so a
# debug kernel built elsewhere (with its own modules directory) boots instead.
resolve_kernel() {
	if [[ -z ${KVER:-} ]]; then
		# The same kernel the module is built for (tools/kver).
		KVER=$("$REPO_DIR/tools/kver")
		[[ -n $KVER ]] ||
			die "no Debian 6.1 amd64 kernel with headers found: run tools/setup"
	fi
	KERNEL=${KERNEL:-/boot/vmlinuz-$KVER}
	MODDIR=${MODDIR:-/lib/modules/$KVER}
	[[ -r $KERNEL ]] || die "guest kernel $KERNEL not readable (set KERNEL= or KVER=)"
	[[ -r $MODDIR/modules.dep ]] ||
		die "no $MODDIR/modules.dep: set MODDIR= to the guest kernel's modules directory"
	export KVER KERNEL MODDIR
}

# The network namespace of this state directory: a short hash of its path.
netns_name() {
	printf 'dmpool-%s' "$(printf '%s' "$DMPOOL_VM_DIR" | sha1sum | cut -c1-10)"
}

node_addr() {
	printf '%s.%d' "$VM_NET_PREFIX" $((10 + $1))
}

# Number of nodes of the cluster that is (or was last) up, 0 if none.
cluster_size() {
	if [[ -r $DMPOOL_VM_DIR/nodes ]]; then
		cat "$DMPOOL_VM_DIR/nodes"
	else
		echo 0
	fi
}

# The recorded qemu pid of node K if that process is still our qemu (the
# pid could have been reused by an unrelated process), else nothing.
node_pid() {
	local k=$1 pidfile=$DMPOOL_VM_DIR/node$1.pid pid
	[[ -r $pidfile ]] || return 0
	pid=$(<"$pidfile")
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	[[ -r /proc/$pid/cmdline ]] || return 0
	# Our qemu has this node's monitor socket (unique per state dir) on its
	# command line.
	if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null |
		grep -qxF "unix:$DMPOOL_VM_DIR/node$k.mon,server=on,wait=off"; then
		printf '%s' "$pid"
	fi
}

# Run a command inside the cluster's network namespace.
in_netns() {
	ip netns exec "$(netns_name)" "$@"
}

# Run COMMAND in node K:  vm_exec [vmexec options] K COMMAND...
vm_exec() {
	local opts=()
	while [[ $# -gt 0 && $1 == -* ]]; do
		opts+=("$1")
		if [[ $1 == -[tcp] ]]; then
			opts+=("$2")
			shift
		fi
		shift
	done
	local k=$1
	shift
	in_netns "$VMEXEC" "${opts[@]}" "$(node_addr "$k")" "$@"
}

# Send one HMP command to node K's monitor, print its answer.
monitor() {
	local k=$1 cmd=$2 sock=$DMPOOL_VM_DIR/node$1.mon
	[[ -S $sock ]] || die "node $k has no monitor socket (not running?)"
	printf '%s\n' "$cmd" | socat -t 2 - "UNIX-CONNECT:$sock" |
		tr -d '\r' | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' |
		grep -v -e '^QEMU .* monitor' -e '^(qemu)' || true
}

log_tail() {
	local k=$1 lines=${2:-40}
	echo "---- last $lines lines of $DMPOOL_VM_DIR/node$k.log ----" >&2
	tail -n "$lines" "$DMPOOL_VM_DIR/node$k.log" >&2 2>/dev/null || true
	echo "----" >&2
}

# Seconds since the epoch with fractions, for timing reports.
now() {
	date +%s.%N
}

elapsed() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}
