/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmpool: distributed memory pools — the user-space contract.
 *
 * Two interfaces:
 *
 *  - the character device /dev/dmpool, used by applications: an open file
 *    description attaches to one pool (DMPOOL_IOC_ATTACH) and then maps it
 *    with mmap(MAP_SHARED) or reads and writes it with pread/pwrite;
 *
 *  - the generic netlink family "dmpool", used by dmpoolctl and (later)
 *    dmpoold to create, list, show and destroy pools.
 *
 * Rules of this file: fields are __u32/__u64 only, pointers travel as
 * __u64, every "flags" and "reserved" field must be zero on input (else
 * -EINVAL), and nothing here is ever renumbered: new things are appended.
 * DMPOOL_ABI_VERSION changes only on an incompatible change; tools refuse a
 * module whose ABI version differs from theirs.
 */
#ifndef _UAPI_LINUX_DMPOOL_H
#define _UAPI_LINUX_DMPOOL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define DMPOOL_DEVICE_PATH	"/dev/dmpool"
#define DMPOOL_ABI_VERSION	1

/* Feature bits reported by DMPOOL_IOC_VERSION and DMPOOL_CMD_VERSION_GET. */
#define DMPOOL_FEAT_LOCAL_POOLS	(1ULL << 0)	/* pools held in this node's store */
#define DMPOOL_FEAT_TRANSPORT	(1ULL << 1)	/* nodes, peers, authenticated TCP */
#define DMPOOL_FEAT_REMOTE	(1ULL << 2)	/* placed pools, exposed memory, stats */
#define DMPOOL_FEAT_FILES	(1ULL << 3)	/* files in pools, cluster locks */
#define DMPOOL_FEAT_CLUSTER	(1ULL << 4)	/* dmpoold relay, cluster state, events */
#define DMPOOL_FEAT_POLICY	(1ULL << 5)	/* owner, group, mode, grants enforced */

/* Limits. */
#define DMPOOL_POOL_NAME_MAX	63		/* bytes, without the NUL */
#define DMPOOL_POOL_SIZE_MIN	4096ULL		/* one page */
#define DMPOOL_POOL_SIZE_MAX	(1ULL << 40)	/* 1 TiB */
#define DMPOOL_POOLS_MAX	1024		/* pools per node */
#define DMPOOL_NODES_MAX	64		/* node IDs are 1..DMPOOL_NODES_MAX */
#define DMPOOL_KEY_MIN		16		/* cluster key bytes */
#define DMPOOL_KEY_MAX		64
#define DMPOOL_PORT_DEFAULT	7470		/* TCP port of the transport */
#define DMPOOL_EXTENT_SIZE_MIN	(64ULL << 10)	/* bytes, a power of two */
#define DMPOOL_EXTENT_SIZE_MAX	(1ULL << 30)
#define DMPOOL_REPLICAS_MAX	4		/* homes per extent in a map */
#define DMPOOL_MAP_ENTRIES_MAX	8192		/* extents x replicas */
#define DMPOOL_LAT_BUCKETS	24		/* latency histogram buckets */
#define DMPOOL_FILE_NAME_MAX	255		/* bytes, without the NUL */
#define DMPOOL_DIR_SIZE		(64ULL << 10)	/* a pool's first bytes: its directory */
#define DMPOOL_FILES_MAX	127		/* files per pool */
#define DMPOOL_PERMITS_MAX	64		/* semaphore permits per file */

/*
 * A pool name is 1..DMPOOL_POOL_NAME_MAX bytes of [A-Za-z0-9._-] and does
 * not start with '.' or '-'.  Pool IDs are nonzero and never reused while
 * the module stays loaded.
 */

/* ------------------------------------------------------------------------
 * ioctls on /dev/dmpool
 */
#define DMPOOL_IOC_MAGIC	0xD7

/**
 * struct dmpool_version - DMPOOL_IOC_VERSION
 * @abi_version: out: DMPOOL_ABI_VERSION of the module
 * @flags:       in: must be 0
 * @features:    out: DMPOOL_FEAT_* bits
 * @reserved:    in: must be 0
 *
 * Allowed before and after attach.
 */
struct dmpool_version {
	__u32 abi_version;
	__u32 flags;
	__u64 features;
	__u64 reserved[2];
};

/* dmpool_attach.flags */
#define DMPOOL_ATTACH_BY_NAME	(1U << 0)	/* look up @name, not @pool_id */
#define DMPOOL_ATTACH_FLAGS_ALL	DMPOOL_ATTACH_BY_NAME

/**
 * struct dmpool_attach - DMPOOL_IOC_ATTACH
 * @pool_id:  in: the pool to attach; must be 0 with DMPOOL_ATTACH_BY_NAME;
 *            out: the ID of the pool attached
 * @name:     in: user pointer to the pool name (DMPOOL_ATTACH_BY_NAME),
 *            not NUL-terminated; must be 0 otherwise
 * @name_len: in: bytes at @name, 1..DMPOOL_POOL_NAME_MAX; 0 otherwise
 * @flags:    in: DMPOOL_ATTACH_* bits
 * @size:     out: the pool size in bytes (a multiple of the page size)
 * @reserved: in: must be 0
 *
 * An open file description attaches to one pool, once; close() detaches.
 * Errors: -ENOENT no such pool (or one being destroyed), -EBUSY this fd
 * is already attached, -EINVAL bad flags/reserved/name, -EFAULT bad
 * pointer, -EACCES no read right on the pool (DMPOOL_FEAT_POLICY).
 */
struct dmpool_attach {
	__u64 pool_id;
	__u64 name;
	__u32 name_len;
	__u32 flags;
	__u64 size;
	__u64 reserved[2];
};

/**
 * struct dmpool_info - DMPOOL_IOC_INFO: the pool this fd is attached to
 * @pool_id:  out
 * @size:     out: bytes
 * @flags:    in: must be 0
 * @attached: out: attachments to this pool on this node, this one included
 * @reserved: in: must be 0
 *
 * -EBADFD before attach.
 */
struct dmpool_info {
	__u64 pool_id;
	__u64 size;
	__u32 flags;
	__u32 attached;
	__u64 reserved[2];
};

/*
 * Files (DMPOOL_FEAT_FILES).  A pool holds named files: ranges of its bytes
 * listed in a directory kept in the pool's first DMPOOL_DIR_SIZE bytes
 * (so a pool with files must be larger than that, and those bytes must not
 * be written through the pool directly).  A file name is
 * 1..DMPOOL_FILE_NAME_MAX bytes without NUL or '/', not "." or "..".
 * File IDs are nonzero and never reused in a pool.  An application maps a
 * file by mapping the pool at the file's offset (page-aligned).
 *
 * Every file has a mutex and a counting semaphore of @permits permits,
 * cluster-wide (the kernel DLM; dlm_controld must run on the node).  Locks
 * belong to the open file description that took them: one description
 * holds a file's mutex at most once and at most one permit of its
 * semaphore; closing it (or the process dying) releases them.  Data
 * written under a file's mutex is written home when it is released and
 * is seen by the next holder on any node; see the application guide.
 *
 * Errors of all file ioctls: -EBADFD before attach, -EINVAL bad flags,
 * reserved fields or name, -EFAULT, -ENOTCONN no cluster lock manager on
 * this node, -ENOSPC the pool is too small for files, -EUCLEAN the pool's
 * first bytes are not a directory, -EINTR interrupted, -ENXIO the pool was
 * destroyed, -EIO a page of the directory could not be read or written,
 * -EACCES (DMPOOL_FEAT_POLICY) CREATE, GROW or DELETE without the admin
 * right on the pool, OPEN without the read right on the file.
 */

/**
 * struct dmpool_file_req - DMPOOL_IOC_FILE_CREATE, _OPEN, _GROW, _DELETE
 * @name:     in: user pointer to the file name, not NUL-terminated
 *            (CREATE, OPEN, DELETE); 0 for GROW
 * @name_len: in: bytes at @name; 0 for GROW
 * @flags:    in: must be 0
 * @file_id:  out: the file (CREATE, OPEN, GROW); in: the file to grow
 * @offset:   out: the file's first byte in the pool, page-aligned
 * @size:     in: bytes (CREATE: at least 1; GROW: the new size); out
 * @permits:  in (CREATE): semaphore permits, 0 meaning 1; out
 * @mode:     in (CREATE): permission bits, at most 0777; out
 * @uid:      out: the creator's user ID
 * @gid:      out: the creator's group ID
 * @reserved: in: must be 0
 *
 * CREATE makes a file (not opened): -EEXIST the name exists (two nodes
 * creating one name at once: one wins), -ENOSPC no free range of @size in
 * the pool or DMPOOL_FILES_MAX files.
 * OPEN opens a file by name for this file description, until it is closed
 * (opening it again is harmless): -ENOENT no such file.
 * GROW makes an open file larger in place: -ENOENT not open here, -EINVAL
 * smaller than now, -ENOSPC the bytes after it are taken.
 * DELETE removes a file: -ENOENT no such file, -EBUSY open (and so maybe
 * mapped or locked) on some node.  Its bytes are not cleared.
 */
struct dmpool_file_req {
	__u64 name;
	__u32 name_len;
	__u32 flags;
	__u64 file_id;
	__u64 offset;
	__u64 size;
	__u32 permits;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u64 reserved[2];
};

/* struct dmpool_lock.kind */
#define DMPOOL_LOCK_MUTEX	0
#define DMPOOL_LOCK_SEM		1

/* struct dmpool_lock.flags */
#define DMPOOL_LOCK_TRY		(1U << 0)	/* do not wait: -EBUSY */
#define DMPOOL_LOCK_TIMED	(1U << 1)	/* wait at most @timeout_ns */
#define DMPOOL_LOCK_FLAGS_ALL	(DMPOOL_LOCK_TRY | DMPOOL_LOCK_TIMED)

/* struct dmpool_lock.status */
#define DMPOOL_LOCK_OWNER_DIED	(1U << 0)	/* see below */

/**
 * struct dmpool_lock - DMPOOL_IOC_LOCK, DMPOOL_IOC_UNLOCK
 * @file_id:    in: a file open through this file description
 * @kind:       in: DMPOOL_LOCK_MUTEX or DMPOOL_LOCK_SEM (one permit)
 * @flags:      in: DMPOOL_LOCK_* flags (LOCK only; 0 for UNLOCK)
 * @timeout_ns: in: with DMPOOL_LOCK_TIMED, how long to wait; else 0
 * @token:      out (LOCK of a mutex): the fencing token of this grant,
 *              larger than any earlier grant's of the file on other
 *              nodes (a re-lock where the lock was cached keeps it)
 * @status:     out: DMPOOL_LOCK_OWNER_DIED: the node of the previous
 *              holder died while holding the lock (or its cached copy):
 *              writes it had not released may be missing from the file
 * @reserved0:  in: must be 0
 * @reserved:   in: must be 0
 *
 * LOCK waits (interruptibly) until granted: -EDEADLK this description
 * holds it (or, for the semaphore, a permit) already, or another thread
 * is locking it through this description, -EBUSY with
 * DMPOOL_LOCK_TRY and not free at once, -ETIMEDOUT, -EINTR, -ENOENT the
 * file is not open here, -EOVERFLOW the file's fencing tokens are used
 * up (2^62, never in practice).  A try may fail once while another node keeps
 * the lock cached, unused: it asks that node to let go.
 * UNLOCK writes the file's dirty pages home, then releases the lock (also
 * when the write-back failed, whose error it returns): -EPERM not held by
 * this description (or another thread is locking or unlocking that mutex
 * through it), -ESTALE the home refused the pages because a newer
 * holder of the mutex wrote the file since this node's grant (fencing:
 * the stale pages are dropped; fsync and msync report it too).
 */
struct dmpool_lock {
	__u64 file_id;
	__u32 kind;
	__u32 flags;
	__u64 timeout_ns;
	__u64 token;
	__u32 status;
	__u32 reserved0;
	__u64 reserved[2];
};

#define DMPOOL_IOC_VERSION	_IOWR(DMPOOL_IOC_MAGIC, 0x00, struct dmpool_version)
#define DMPOOL_IOC_ATTACH	_IOWR(DMPOOL_IOC_MAGIC, 0x01, struct dmpool_attach)
#define DMPOOL_IOC_INFO		_IOWR(DMPOOL_IOC_MAGIC, 0x02, struct dmpool_info)
#define DMPOOL_IOC_FILE_CREATE	_IOWR(DMPOOL_IOC_MAGIC, 0x03, struct dmpool_file_req)
#define DMPOOL_IOC_FILE_OPEN	_IOWR(DMPOOL_IOC_MAGIC, 0x04, struct dmpool_file_req)
#define DMPOOL_IOC_FILE_GROW	_IOWR(DMPOOL_IOC_MAGIC, 0x05, struct dmpool_file_req)
#define DMPOOL_IOC_FILE_DELETE	_IOWR(DMPOOL_IOC_MAGIC, 0x06, struct dmpool_file_req)
#define DMPOOL_IOC_LOCK		_IOWR(DMPOOL_IOC_MAGIC, 0x07, struct dmpool_lock)
#define DMPOOL_IOC_UNLOCK	_IOWR(DMPOOL_IOC_MAGIC, 0x08, struct dmpool_lock)

/*
 * Errors of the data path on /dev/dmpool:
 *  - read/write/mmap/DMPOOL_IOC_INFO before attach: -EBADFD;
 *  - mmap without MAP_SHARED: -EINVAL; a range (offset + length) past the
 *    end of the pool: -ENXIO; mremap() growing a mapping: -EFAULT (map
 *    again instead);
 *  - pread at or past the end: 0 bytes; pwrite at or past the end: -ENOSPC,
 *    a write crossing the end is cut short; writes obey RLIMIT_FSIZE as for
 *    a file (-EFBIG and SIGXFSZ at or past it, cut short across it);
 *  - after a forced destroy of an attached pool: read, write, fsync and
 *    DMPOOL_IOC_INFO -ENXIO, mapped pages raise SIGBUS.
 */

/* ------------------------------------------------------------------------
 * Generic netlink family
 */
#define DMPOOL_GENL_NAME	"dmpool"
#define DMPOOL_GENL_VERSION	1

/**
 * enum dmpool_cmd - generic netlink commands
 * @DMPOOL_CMD_VERSION_GET: reply: ABI_VERSION, FEATURES, STORE_CAPACITY,
 *	STORE_COMMITTED.  Anyone.
 * @DMPOOL_CMD_POOL_NEW: NAME, SIZE [, FLAGS=0]; reply: the pool as in
 *	POOL_GET.  Needs CAP_NET_ADMIN.  -EEXIST name taken, -ENOSPC the
 *	store cannot hold it (VERSION_GET tells how much is free), -EINVAL
 *	bad name or size (below DMPOOL_POOL_SIZE_MIN before rounding, or
 *	above DMPOOL_POOL_SIZE_MAX), -EMFILE too many pools.
 * @DMPOOL_CMD_POOL_DEL: ID or NAME [, FLAGS=DMPOOL_POOL_DEL_FORCE].  Needs
 *	CAP_NET_ADMIN.  -EBUSY while attached, unless forced.
 * @DMPOOL_CMD_POOL_GET: doit with ID or NAME: one pool; dumpit: all pools.
 *	Anyone.
 *
 * POOL_DEL and POOL_GET take exactly one of ID and NAME (-EINVAL for both
 * or neither).  Requests carry only NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO
 * and (for dumps) NLM_F_DUMP, and a zero genlmsghdr.reserved.  The family
 * validates strictly: any other header flag, unknown attributes,
 * output-only attributes, attributes the command does not use (any in a
 * VERSION_GET or a POOL_GET dump) and unknown flag bits are -EINVAL, with
 * an extended ack message naming the attribute.
 *
 * Nodes and peers (DMPOOL_FEAT_TRANSPORT):
 *
 * @DMPOOL_CMD_NODE_SET: NODE_ID (1..DMPOOL_NODES_MAX), ADDR [, PORT
 *	(default DMPOOL_PORT_DEFAULT)]: this node's identity and the address
 *	its transport listens on; (re)starts the listener.  Needs
 *	CAP_NET_ADMIN.  -EBUSY while peers exist, -EADDRINUSE /
 *	-EADDRNOTAVAIL the address cannot be listened on, -EINVAL bad input.
 * @DMPOOL_CMD_NODE_GET: reply: NODE_ID, ADDR, PORT (only once NODE_SET
 *	succeeded), KEY_SET, PEERS, REJECTED_AUTH, REJECTED_MALFORMED,
 *	REJECTED_UNKNOWN, REQ_TIMEOUT_MS.  Anyone.
 * @DMPOOL_CMD_KEY_SET: KEY (DMPOOL_KEY_MIN..DMPOOL_KEY_MAX bytes): the
 *	cluster key every peer proves it holds (HMAC-SHA256 challenge) at
 *	connect.  Kept in the kernel, never reported back, zeroized when
 *	replaced or unloaded.  Used by the next handshakes; established
 *	connections stay.  Needs CAP_NET_ADMIN.
 * @DMPOOL_CMD_PEER_ADD: NODE_ID, ADDR [, PORT]: a peer node.  The node
 *	with the lower ID connects, the other accepts; a dropped connection
 *	is retried with backoff.  Needs CAP_NET_ADMIN.  -ENOTCONN before
 *	NODE_SET, -ENOKEY before KEY_SET, -EEXIST ID known, -EINVAL bad input
 *	or this node's own ID.
 * @DMPOOL_CMD_PEER_DEL: NODE_ID.  Closes the connection.  Needs
 *	CAP_NET_ADMIN.  -ENOENT no such peer.
 * @DMPOOL_CMD_PEER_GET: doit with NODE_ID: one peer; dumpit: all peers,
 *	by ID.  Reply: NODE_ID, ADDR, PORT, PEER_STATE, PEER_RTT_NS,
 *	PEER_BYTES_IN, PEER_BYTES_OUT, PEER_FRAMES_IN, PEER_FRAMES_OUT,
 *	PEER_RECONNECTS, PEER_AUTH_FAILURES, PEER_MALFORMED, and
 *	(DMPOOL_FEAT_REMOTE) PEER_PAGES_IN, PEER_PAGES_OUT, PEER_IO_ERRORS,
 *	LAT_HIST (of this node's page requests to the peer).  Anyone.
 *
 * Exposed memory and placed pools (DMPOOL_FEAT_REMOTE):
 *
 * @DMPOOL_CMD_MEM_SET: STORE_CAPACITY: how many bytes of this node's RAM
 *	the store lends to pools (rounded down to the page size).  Needs
 *	CAP_NET_ADMIN.  -EBUSY below what is committed to pools, -EINVAL
 *	more than the node's RAM.
 * @DMPOOL_CMD_MEM_GET: dumpit only: this node first (MEM_SELF), then each
 *	peer whose figures arrived: NODE_ID (0 before NODE_SET),
 *	STORE_CAPACITY, STORE_COMMITTED, STORE_USED, and for peers
 *	PEER_STATE and MEM_AGE_MS (how old the peer's report is; peers
 *	report every second while connected).  Anyone.
 *
 * A placed pool is a POOL_NEW with POOL_MAP: the pool is cut into extents
 * of POOL_EXTENT_SIZE bytes (a power of two, DMPOOL_EXTENT_SIZE_MIN..
 * DMPOOL_EXTENT_SIZE_MAX), and POOL_MAP gives each extent
 * POOL_REPLICAS (default 1) homes, distinct node IDs, the first one
 * serving reads.  Every node that maps or homes the pool is given the same
 * pool (same ID, size and map) with POOL_NEW: with POOL_ID on all but the
 * first, which picks the ID (this node's ID in bits 48..55, so IDs picked
 * by different nodes never collide).  Each node commits, from its own
 * store, the bytes of the extents it homes (POOL_LOCAL_BYTES), and serves
 * them to its peers.  Choosing the map (in proportion to free exposed
 * memory) is policy: dmpoolctl does it today, the daemon later.
 *	-EINVAL a bad map (wrong length, unknown node, a node twice in one
 *	extent; the extack says which), -EOPNOTSUPP POOL_REPLICAS above 1
 *	(replication is not implemented yet), -ENOTCONN a map without
 *	NODE_SET, -EEXIST ID or name taken, -ENOSPC this node's share does
 *	not fit its store.
 * Files (DMPOOL_FEAT_FILES), the same files as the ioctls', for admins:
 *
 * @DMPOOL_CMD_FILE_NEW: POOL_ID or POOL_NAME, FILE_NAME, FILE_SIZE
 *	[, FILE_PERMITS (1..DMPOOL_PERMITS_MAX, default 1), FILE_MODE (at
 *	most 0777, default 0644)]; reply: the file as in FILE_GET.  Needs
 *	CAP_NET_ADMIN.  Errors as DMPOOL_IOC_FILE_CREATE.
 * @DMPOOL_CMD_FILE_DEL: POOL_ID or POOL_NAME, FILE_NAME.  Needs
 *	CAP_NET_ADMIN.  -EBUSY open on some node, -ENOENT.
 * @DMPOOL_CMD_FILE_GET: doit with POOL_ID or POOL_NAME and FILE_NAME: one
 *	file; dumpit with POOL_ID or POOL_NAME: every file of the pool.
 *	Reply: POOL_ID, FILE_ID, FILE_NAME, FILE_OFFSET, FILE_SIZE,
 *	FILE_PERMITS, FILE_MODE, FILE_UID, FILE_GID.  Anyone.
 * These read and change the pool's directory under its cluster lock, so
 * they need the cluster lock manager on this node (-ENOTCONN without).
 *
 * The cluster (DMPOOL_FEAT_CLUSTER), described at "The cluster" below:
 *
 * @DMPOOL_CMD_CLUSTER_REQ: a tool's request for the daemon: REQ_KIND
 *	[, REQ_ARGS]; reply REQ_ID, REQ_STATUS [, REQ_MESSAGE, REQ_RESULT].
 * @DMPOOL_CMD_REQ_NOTIFY: (multicast only, "daemon" group) the request.
 * @DMPOOL_CMD_REQ_ACCEPT: the daemon takes a request: REQ_ID.  Needs
 *	CAP_NET_ADMIN.
 * @DMPOOL_CMD_REQ_DONE: the daemon ends a request: REQ_ID, REQ_STATUS
 *	[, REQ_MESSAGE, REQ_RESULT].  Needs CAP_NET_ADMIN.
 * @DMPOOL_CMD_CLUSTER_SET: the daemon's cluster state.  Needs
 *	CAP_NET_ADMIN.
 * @DMPOOL_CMD_CLUSTER_GET: that state, and whether a daemon listens.
 *	Anyone.
 * @DMPOOL_CMD_EVENT: (multicast only, "events" group) something happened.
 *
 * POOL_GET replies carry POOL_EXTENT_SIZE, POOL_REPLICAS, POOL_LOCAL_BYTES
 * and the counters POOL_FAULTS, POOL_PAGES_IN_LOCAL, POOL_PAGES_IN_REMOTE,
 * POOL_PAGES_OUT_LOCAL, POOL_PAGES_OUT_REMOTE, POOL_IO_ERRORS, LAT_HIST
 * (remote reads), POOL_STALE_REFUSED and POOL_STALE_WRITES; POOL_MAP only
 * in doit replies (a map can be large).
 */
enum dmpool_cmd {
	DMPOOL_CMD_UNSPEC,
	DMPOOL_CMD_VERSION_GET,
	DMPOOL_CMD_POOL_NEW,
	DMPOOL_CMD_POOL_DEL,
	DMPOOL_CMD_POOL_GET,
	DMPOOL_CMD_NODE_SET,
	DMPOOL_CMD_NODE_GET,
	DMPOOL_CMD_KEY_SET,
	DMPOOL_CMD_PEER_ADD,
	DMPOOL_CMD_PEER_DEL,
	DMPOOL_CMD_PEER_GET,
	DMPOOL_CMD_MEM_SET,
	DMPOOL_CMD_MEM_GET,
	DMPOOL_CMD_FILE_NEW,
	DMPOOL_CMD_FILE_DEL,
	DMPOOL_CMD_FILE_GET,
	DMPOOL_CMD_CLUSTER_REQ,
	DMPOOL_CMD_REQ_NOTIFY,
	DMPOOL_CMD_REQ_ACCEPT,
	DMPOOL_CMD_REQ_DONE,
	DMPOOL_CMD_CLUSTER_SET,
	DMPOOL_CMD_CLUSTER_GET,
	DMPOOL_CMD_EVENT,
	DMPOOL_CMD_POOL_SET,
	DMPOOL_CMD_FILE_SET,

	__DMPOOL_CMD_MAX,
	DMPOOL_CMD_MAX = __DMPOOL_CMD_MAX - 1
};

/* DMPOOL_A_POOL_FLAGS for DMPOOL_CMD_POOL_DEL */
#define DMPOOL_POOL_DEL_FORCE	(1U << 0)

/**
 * enum dmpool_attr - generic netlink attributes
 * @DMPOOL_A_PAD: padding for 64-bit attributes
 * @DMPOOL_A_ABI_VERSION: u32
 * @DMPOOL_A_FEATURES: u64, DMPOOL_FEAT_*
 * @DMPOOL_A_POOL_ID: u64, nonzero
 * @DMPOOL_A_POOL_NAME: NUL-terminated string, 1..DMPOOL_POOL_NAME_MAX bytes
 * @DMPOOL_A_POOL_SIZE: u64, bytes; rounded up to the page size on create
 * @DMPOOL_A_POOL_FLAGS: u32, command-specific flags
 * @DMPOOL_A_POOL_ATTACHED: u32, attachments on this node
 * @DMPOOL_A_POOL_CACHED: u64, bytes of the pool in this node's page cache
 * @DMPOOL_A_POOL_STORED: u64, bytes of the pool held by the store
 * @DMPOOL_A_STORE_CAPACITY: u64, bytes this node's store may hold
 * @DMPOOL_A_STORE_COMMITTED: u64, bytes promised to pools
 * @DMPOOL_A_NODE_ID: u32, a node ID, 1..DMPOOL_NODES_MAX
 * @DMPOOL_A_ADDR: binary, an IPv4 (4 bytes) or IPv6 (16 bytes) address in
 *	network byte order; multicast, broadcast and IPv6 link-local
 *	addresses are refused; only NODE_SET accepts the wildcard (0.0.0.0,
 *	::)
 * @DMPOOL_A_PORT: u16, TCP port in host byte order, nonzero
 * @DMPOOL_A_KEY: binary, the cluster key (input only)
 * @DMPOOL_A_KEY_SET: u32 (output), 1 if a cluster key is set
 * @DMPOOL_A_PEERS: u32 (output), peers known to this node
 * @DMPOOL_A_REJECTED_AUTH: u64 (output), connections refused for a wrong or
 *	missing key proof (incoming and outgoing)
 * @DMPOOL_A_REJECTED_MALFORMED: u64 (output), connections dropped for a
 *	malformed, truncated or late frame
 * @DMPOOL_A_REJECTED_UNKNOWN: u64 (output), authenticated-looking incoming
 *	connections from a node ID that is no peer of ours or that should not
 *	connect to us (its ID is higher)
 * @DMPOOL_A_REQ_TIMEOUT_MS: u32 (output), the per-request timeout (module
 *	parameter request_timeout_ms)
 * @DMPOOL_A_PEER_STATE: u32 (output), DMPOOL_PEER_*
 * @DMPOOL_A_PEER_RTT_NS: u64 (output), last PING round trip; 0 = none yet
 * @DMPOOL_A_PEER_BYTES_IN: u64 (output), bytes received (frames, headers
 *	included)
 * @DMPOOL_A_PEER_BYTES_OUT: u64 (output), bytes sent
 * @DMPOOL_A_PEER_FRAMES_IN: u64 (output)
 * @DMPOOL_A_PEER_FRAMES_OUT: u64 (output)
 * @DMPOOL_A_PEER_RECONNECTS: u64 (output), connections established after
 *	the first one
 * @DMPOOL_A_PEER_AUTH_FAILURES: u64 (output), handshakes this node
 *	started with this peer that failed authentication (incoming ones
 *	prove no identity until they succeed, so they count node-wide, in
 *	REJECTED_AUTH)
 * @DMPOOL_A_PEER_MALFORMED: u64 (output), connections with this peer
 *	dropped for a malformed frame
 * @DMPOOL_A_POOL_EXTENT_SIZE: u64, bytes per extent of a placed pool
 * @DMPOOL_A_POOL_REPLICAS: u32, homes per extent, 1..DMPOOL_REPLICAS_MAX
 * @DMPOOL_A_POOL_MAP: binary, __u32 node IDs in host byte order: extent
 *	e's homes are entries e * REPLICAS .. e * REPLICAS + REPLICAS - 1;
 *	exactly ceil(SIZE / EXTENT_SIZE) * REPLICAS entries, at most
 *	DMPOOL_MAP_ENTRIES_MAX
 * @DMPOOL_A_POOL_LOCAL_BYTES: u64 (output), bytes of the pool homed on this
 *	node (the size of a pool that is not placed)
 * @DMPOOL_A_POOL_FAULTS: u64 (output), page faults on the pool's mappings
 * @DMPOOL_A_POOL_PAGES_IN_LOCAL: u64 (output), pages read from this node's
 *	store into the page cache
 * @DMPOOL_A_POOL_PAGES_IN_REMOTE: u64 (output), pages fetched from peers
 * @DMPOOL_A_POOL_PAGES_OUT_LOCAL: u64 (output), pages written back to this
 *	node's store
 * @DMPOOL_A_POOL_PAGES_OUT_REMOTE: u64 (output), pages written back to peers
 * @DMPOOL_A_POOL_IO_ERRORS: u64 (output), page requests to peers that
 *	failed (timeout, no connection, an error from the home)
 * @DMPOOL_A_LAT_HIST: binary (output), __u64[DMPOOL_LAT_BUCKETS]: request
 *	round trips; bucket i counts those of 2^i to 2^(i+1) - 1 us (bucket 0
 *	also those under 1 us, the last one all longer)
 * @DMPOOL_A_STORE_USED: u64 (output), bytes of store pages allocated
 * @DMPOOL_A_MEM_SELF: u32 (output), 1 on the entry of this node
 * @DMPOOL_A_MEM_AGE_MS: u32 (output), age of a peer's memory report
 * @DMPOOL_A_PEER_PAGES_IN: u64 (output), pages fetched from the peer
 * @DMPOOL_A_PEER_PAGES_OUT: u64 (output), pages written back to the peer
 * @DMPOOL_A_PEER_IO_ERRORS: u64 (output), page requests to the peer that
 *	failed
 * @DMPOOL_A_POOL_STALE_REFUSED: u64 (output), write-backs this node, as the
 *	pages' home, refused because their fencing token was older than the
 *	newest of their file (DMPOOL_FEAT_FILES)
 * @DMPOOL_A_POOL_STALE_WRITES: u64 (output), pages of this node's
 *	write-backs refused as stale by their home
 * @DMPOOL_A_FILE_ID: u64 (output), a file's ID
 * @DMPOOL_A_FILE_NAME: NUL-terminated string, 1..DMPOOL_FILE_NAME_MAX
 *	bytes without '/', not "." or ".."
 * @DMPOOL_A_FILE_OFFSET: u64 (output), the file's first byte in the pool
 * @DMPOOL_A_FILE_SIZE: u64, bytes, at least 1
 * @DMPOOL_A_FILE_PERMITS: u32, semaphore permits
 * @DMPOOL_A_FILE_MODE: u32, permission bits
 * @DMPOOL_A_FILE_UID: u32, the file's owner (its creator's user ID unless
 *	changed); output only, except in FILE_SET
 * @DMPOOL_A_FILE_GID: u32, the file's group; output only, except in
 *	FILE_SET
 *
 * The cluster (DMPOOL_FEAT_CLUSTER; see "The cluster" below):
 * @DMPOOL_A_REQ_ID: u64, a relayed request's ID, nonzero, picked by the
 *	module
 * @DMPOOL_A_REQ_KIND: u32, enum dmpool_req_kind
 * @DMPOOL_A_REQ_ARGS: nested, the request's arguments: attributes of this
 *	family, validated by the family policy; which ones a kind takes is
 *	listed at enum dmpool_req_kind
 * @DMPOOL_A_REQ_UID: u32 (output), the requester's fsuid (initial user
 *	namespace)
 * @DMPOOL_A_REQ_GID: u32 (output), the requester's fsgid
 * @DMPOOL_A_REQ_STATUS: u32, 0 or a positive errno: how the request ended
 * @DMPOOL_A_REQ_MESSAGE: NUL-terminated string, at most 255 bytes: the
 *	daemon's explanation, for the admin to read
 * @DMPOOL_A_REQ_RESULT: nested, the request's result (attributes of this
 *	family, including repeated CLUSTER_NODE, CLUSTER_POOL, CRAWL_HOST
 *	nests); at most DMPOOL_REQ_RESULT_MAX bytes
 * @DMPOOL_A_CLUSTER_NAME: NUL-terminated string, 1..DMPOOL_CLUSTER_NAME_MAX
 *	bytes, the corosync cluster name
 * @DMPOOL_A_CLUSTER_EPOCH: u64, the snapshot's epoch: how many changes it
 *	has seen
 * @DMPOOL_A_CLUSTER_CHECKSUM: binary, DMPOOL_CHECKSUM_LEN bytes: SHA-256
 *	of the snapshot's canonical encoding (equal on nodes that agree)
 * @DMPOOL_A_CLUSTER_MEMBERS: u64, bit (K - 1) set for each node K in the
 *	daemon's current corosync membership
 * @DMPOOL_A_CLUSTER_QUORATE: u32, 1 if the membership is quorate
 * @DMPOOL_A_CLUSTER_DAEMON: u32 (output), 1 if a daemon listens on the
 *	"daemon" group now
 * @DMPOOL_A_CLUSTER_AGE_MS: u32 (output), ms since the last CLUSTER_SET;
 *	absent before the first
 * @DMPOOL_A_EVENT_KIND: u32, enum dmpool_event_kind
 * @DMPOOL_A_POOL_TTL_MS: u64, how long a pool nobody attaches is kept
 *	(0: the daemon's default; DMPOOL_TTL_FOREVER: never dissolved)
 * @DMPOOL_A_POOL_STATE: u32, enum dmpool_pool_state (cluster view)
 * @DMPOOL_A_POOL_IDLE_MS: u64, ms since the last detach anywhere, while
 *	idle
 * @DMPOOL_A_NODE_STATE: u32, enum dmpool_node_state
 * @DMPOOL_A_CLUSTER_NODE: nested, one node of the snapshot: NODE_ID, ADDR,
 *	PORT, NODE_STATE, STORE_CAPACITY, STORE_COMMITTED, VERSION
 * @DMPOOL_A_CLUSTER_POOL: nested, one pool of the snapshot: POOL_ID,
 *	POOL_NAME, POOL_SIZE, POOL_REPLICAS, POOL_EXTENT_SIZE, POOL_TTL_MS,
 *	POOL_UID, POOL_GID, POOL_MODE, GRANTS, POOL_STATE, POOL_ATTACHED (sum
 *	over nodes), POOL_IDLE_MS, POOL_MAP
 * @DMPOOL_A_CRAWL_TARGETS: NUL-terminated string, at most 1023 bytes:
 *	comma-separated IPv4 addresses and CIDR prefixes (/16 or longer)
 * @DMPOOL_A_CRAWL_HOST: nested, one crawled address that answered: ADDR,
 *	CRAWL_STATE and, with dmpoold, NODE_ID, NODE_STATE, STORE_CAPACITY,
 *	STORE_COMMITTED, VERSION, CLUSTER_NAME
 * @DMPOOL_A_CRAWL_STATE: u32, enum dmpool_crawl_state
 * @DMPOOL_A_VERSION: NUL-terminated string, at most 63 bytes: a daemon's
 *	software version
 *
 * Access policies (DMPOOL_FEAT_POLICY; see "Access policies" below):
 * @DMPOOL_A_POOL_UID: u32, the pool's owner (initial user namespace)
 * @DMPOOL_A_POOL_GID: u32, the pool's group
 * @DMPOOL_A_POOL_MODE: u32, the pool's permission bits, at most 0777
 * @DMPOOL_A_GRANTS: binary, struct dmpool_grant[0..DMPOOL_GRANTS_MAX],
 *	distinct uids, each with nonzero rights: per-user grants of a pool
 *	(POOL_NEW, POOL_SET, POOL_GET) or a file (FILE_SET, FILE_GET); an
 *	empty attribute removes all grants
 */
enum dmpool_attr {
	DMPOOL_A_UNSPEC,
	DMPOOL_A_PAD,
	DMPOOL_A_ABI_VERSION,
	DMPOOL_A_FEATURES,
	DMPOOL_A_POOL_ID,
	DMPOOL_A_POOL_NAME,
	DMPOOL_A_POOL_SIZE,
	DMPOOL_A_POOL_FLAGS,
	DMPOOL_A_POOL_ATTACHED,
	DMPOOL_A_POOL_CACHED,
	DMPOOL_A_POOL_STORED,
	DMPOOL_A_STORE_CAPACITY,
	DMPOOL_A_STORE_COMMITTED,
	DMPOOL_A_NODE_ID,
	DMPOOL_A_ADDR,
	DMPOOL_A_PORT,
	DMPOOL_A_KEY,
	DMPOOL_A_KEY_SET,
	DMPOOL_A_PEERS,
	DMPOOL_A_REJECTED_AUTH,
	DMPOOL_A_REJECTED_MALFORMED,
	DMPOOL_A_REJECTED_UNKNOWN,
	DMPOOL_A_REQ_TIMEOUT_MS,
	DMPOOL_A_PEER_STATE,
	DMPOOL_A_PEER_RTT_NS,
	DMPOOL_A_PEER_BYTES_IN,
	DMPOOL_A_PEER_BYTES_OUT,
	DMPOOL_A_PEER_FRAMES_IN,
	DMPOOL_A_PEER_FRAMES_OUT,
	DMPOOL_A_PEER_RECONNECTS,
	DMPOOL_A_PEER_AUTH_FAILURES,
	DMPOOL_A_PEER_MALFORMED,
	DMPOOL_A_POOL_EXTENT_SIZE,
	DMPOOL_A_POOL_REPLICAS,
	DMPOOL_A_POOL_MAP,
	DMPOOL_A_POOL_LOCAL_BYTES,
	DMPOOL_A_POOL_FAULTS,
	DMPOOL_A_POOL_PAGES_IN_LOCAL,
	DMPOOL_A_POOL_PAGES_IN_REMOTE,
	DMPOOL_A_POOL_PAGES_OUT_LOCAL,
	DMPOOL_A_POOL_PAGES_OUT_REMOTE,
	DMPOOL_A_POOL_IO_ERRORS,
	DMPOOL_A_LAT_HIST,
	DMPOOL_A_STORE_USED,
	DMPOOL_A_MEM_SELF,
	DMPOOL_A_MEM_AGE_MS,
	DMPOOL_A_PEER_PAGES_IN,
	DMPOOL_A_PEER_PAGES_OUT,
	DMPOOL_A_PEER_IO_ERRORS,
	DMPOOL_A_POOL_STALE_REFUSED,
	DMPOOL_A_POOL_STALE_WRITES,
	DMPOOL_A_FILE_ID,
	DMPOOL_A_FILE_NAME,
	DMPOOL_A_FILE_OFFSET,
	DMPOOL_A_FILE_SIZE,
	DMPOOL_A_FILE_PERMITS,
	DMPOOL_A_FILE_MODE,
	DMPOOL_A_FILE_UID,
	DMPOOL_A_FILE_GID,
	DMPOOL_A_REQ_ID,
	DMPOOL_A_REQ_KIND,
	DMPOOL_A_REQ_ARGS,
	DMPOOL_A_REQ_UID,
	DMPOOL_A_REQ_GID,
	DMPOOL_A_REQ_STATUS,
	DMPOOL_A_REQ_MESSAGE,
	DMPOOL_A_REQ_RESULT,
	DMPOOL_A_CLUSTER_NAME,
	DMPOOL_A_CLUSTER_EPOCH,
	DMPOOL_A_CLUSTER_CHECKSUM,
	DMPOOL_A_CLUSTER_MEMBERS,
	DMPOOL_A_CLUSTER_QUORATE,
	DMPOOL_A_CLUSTER_DAEMON,
	DMPOOL_A_CLUSTER_AGE_MS,
	DMPOOL_A_EVENT_KIND,
	DMPOOL_A_POOL_TTL_MS,
	DMPOOL_A_POOL_STATE,
	DMPOOL_A_POOL_IDLE_MS,
	DMPOOL_A_NODE_STATE,
	DMPOOL_A_CLUSTER_NODE,
	DMPOOL_A_CLUSTER_POOL,
	DMPOOL_A_CRAWL_TARGETS,
	DMPOOL_A_CRAWL_HOST,
	DMPOOL_A_CRAWL_STATE,
	DMPOOL_A_VERSION,
	DMPOOL_A_POOL_UID,
	DMPOOL_A_POOL_GID,
	DMPOOL_A_POOL_MODE,
	DMPOOL_A_GRANTS,

	__DMPOOL_A_MAX,
	DMPOOL_A_MAX = __DMPOOL_A_MAX - 1
};

/* DMPOOL_A_PEER_STATE */
enum dmpool_peer_state {
	DMPOOL_PEER_CONNECTING,		/* added, no connection yet */
	DMPOOL_PEER_CONNECTED,		/* authenticated connection up */
	DMPOOL_PEER_DOWN,		/* connection lost or refused; retrying */
	DMPOOL_PEER_AUTH_FAILED,	/* last handshake this node started failed authentication */
};

/* ------------------------------------------------------------------------
 * The cluster (DMPOOL_FEAT_CLUSTER)
 *
 * dmpoold, the daemon on every node, decides cluster-wide changes: the
 * daemons agree on them through corosync (CPG, total order) and each
 * applies them to its own module with the commands above.  Tools ask only
 * the local module; the module relays a cluster-wide request to its
 * daemon, the way net/handshake hands work to tlshd:
 *
 *  1. A tool sends CLUSTER_REQ: REQ_KIND [, REQ_ARGS].  Kinds below
 *     DMPOOL_REQ_QUERY change the cluster and need CAP_NET_ADMIN (-EPERM);
 *     queries are open to anyone.  With no daemon listening on the
 *     "daemon" group the request fails at once: -ENOTCONN, extack "no
 *     dmpoold is running on this node".  -EBUSY when DMPOOL_REQS_MAX
 *     requests are waiting already.
 *  2. The module multicasts REQ_NOTIFY to the "daemon" group (CAP_NET_ADMIN
 *     to join): REQ_ID, REQ_KIND, REQ_UID, REQ_GID [, REQ_ARGS].
 *  3. The daemon takes it with REQ_ACCEPT: REQ_ID.  Not taken within
 *     DMPOOL_REQ_ACCEPT_MS: the tool gets -ETIMEDOUT ("dmpoold did not take
 *     the request"), and a late ACCEPT or DONE gets -ENOENT.
 *  4. The daemon ends it with REQ_DONE: REQ_ID, REQ_STATUS [, REQ_MESSAGE]
 *     [, REQ_RESULT], within DMPOOL_REQ_DONE_MS of the accept (else
 *     -ETIMEDOUT for the tool, "dmpoold did not finish the request": the
 *     change may still happen).  ACCEPT and DONE need CAP_NET_ADMIN; -ENOENT
 *     for an unknown ID, -EALREADY for an ACCEPT of an accepted request.
 *     A DONE without an ACCEPT counts as both (a quick query needs no
 *     ACCEPT); a second DONE gets -EALREADY, or -ENOENT once the tool has
 *     its reply.  REQ_ARGS and REQ_RESULT carry NLA_F_NESTED.
 *  5. The tool's CLUSTER_REQ succeeds with a reply: REQ_ID, REQ_STATUS
 *     [, REQ_MESSAGE] [, REQ_RESULT] as the daemon gave them.  A request
 *     the daemon refused is a successful CLUSTER_REQ with a nonzero
 *     REQ_STATUS (the tool prints REQ_MESSAGE).
 * The tool's wait ends on a signal (-EINTR); the request may still take
 * effect.  Every wait is bounded as above.  Unloading the module ends the
 * waits with -ESHUTDOWN.  A reply can be DMPOOL_REQ_RESULT_MAX bytes and
 * more: receive it with a buffer of 64 KiB.
 *
 * The daemon reports the cluster's state to its module with CLUSTER_SET
 * (CAP_NET_ADMIN): CLUSTER_NAME, CLUSTER_EPOCH, CLUSTER_CHECKSUM,
 * CLUSTER_MEMBERS, CLUSTER_QUORATE, all of them, after every change it
 * applies.  CLUSTER_GET (anyone) reads that back with CLUSTER_DAEMON and
 * CLUSTER_AGE_MS (only CLUSTER_DAEMON before the first CLUSTER_SET).
 *
 * The module multicasts EVENT messages on the "events" group (anyone may
 * join): EVENT_KIND and, by kind, POOL_ID, POOL_NAME, POOL_ATTACHED (this
 * node's attachments after the event), NODE_ID, PEER_STATE, CLUSTER_EPOCH.
 * Events are hints: a listener that lost some (ENOBUFS) dumps the state.
 */
#define DMPOOL_GENL_MCGRP_DAEMON	"daemon"
#define DMPOOL_GENL_MCGRP_EVENTS	"events"

#define DMPOOL_REQS_MAX		64		/* relayed requests waiting */
#define DMPOOL_REQ_ACCEPT_MS	5000
#define DMPOOL_REQ_DONE_MS	60000
#define DMPOOL_REQ_RESULT_MAX	(60U << 10)	/* bytes of REQ_RESULT */
#define DMPOOL_REQ_MESSAGE_MAX	255
#define DMPOOL_CLUSTER_NAME_MAX	63
#define DMPOOL_CHECKSUM_LEN	32		/* SHA-256 */
#define DMPOOL_TTL_FOREVER	(~0ULL)

/*
 * Pool IDs the daemon picks have bit 56 set (and no node ID in bits 48..55):
 * they never collide with IDs a node picks for a pool of its own, and the
 * daemon manages (creates, and destroys when they leave the snapshot) only
 * pools with this bit.
 */
#define DMPOOL_POOL_ID_CLUSTER	(1ULL << 56)

/**
 * enum dmpool_req_kind - DMPOOL_A_REQ_KIND
 * @DMPOOL_REQ_POOL_CREATE: args POOL_NAME, POOL_SIZE [, POOL_REPLICAS (1),
 *	POOL_TTL_MS, POOL_UID (0), POOL_GID (0), POOL_MODE (0666), GRANTS
 *	(none)]; the daemon places the pool on the members' free exposed
 *	memory and gives it, with its policy, to every node.  Result:
 *	POOL_ID, POOL_NAME, POOL_SIZE, POOL_EXTENT_SIZE, POOL_REPLICAS,
 *	POOL_TTL_MS, POOL_UID, POOL_GID, POOL_MODE, GRANTS, POOL_MAP,
 *	CLUSTER_EPOCH.  EINVAL: a bad policy (the message says why);
 *	ENOSPC: the cluster lacks room (the message says how much is free);
 *	EEXIST: the name is taken.
 * @DMPOOL_REQ_POOL_DESTROY: args POOL_ID or POOL_NAME [, POOL_FLAGS
 *	(DMPOOL_POOL_DEL_FORCE)]: dissolve the pool on every node.  EBUSY
 *	while attached anywhere, unless forced.
 * @DMPOOL_REQ_POOL_SET: args POOL_ID or POOL_NAME, and any of POOL_TTL_MS,
 *	POOL_UID, POOL_GID, POOL_MODE, GRANTS (at least one); every node's
 *	module gets the new policy.  Result: POOL_ID, POOL_TTL_MS, POOL_UID,
 *	POOL_GID, POOL_MODE, GRANTS, CLUSTER_EPOCH.
 * @DMPOOL_REQ_NODE_COMMISSION: args ADDR [, NODE_ID, PORT]: add the node at
 *	ADDR (running dmpoold) to the cluster.
 * @DMPOOL_REQ_NODE_DECOMMISSION: args NODE_ID: take the node out; EBUSY
 *	while it homes extents of a pool.
 * @DMPOOL_REQ_QUERY: the first query kind.
 * @DMPOOL_REQ_STATUS: no args.  Result: CLUSTER_NAME, CLUSTER_EPOCH,
 *	CLUSTER_CHECKSUM, CLUSTER_MEMBERS, CLUSTER_QUORATE, NODE_ID (this
 *	node), a CLUSTER_NODE per node and a CLUSTER_POOL per pool.
 * @DMPOOL_REQ_CRAWL: args CRAWL_TARGETS.  Result: a CRAWL_HOST per address
 *	that answered.  dmpoold refuses it with EPERM ("crawl needs root")
 *	unless REQ_UID is 0, though the module relays it from anyone.
 */
enum dmpool_req_kind {
	DMPOOL_REQ_UNSPEC,
	DMPOOL_REQ_POOL_CREATE,
	DMPOOL_REQ_POOL_DESTROY,
	DMPOOL_REQ_POOL_SET,
	DMPOOL_REQ_NODE_COMMISSION,
	DMPOOL_REQ_NODE_DECOMMISSION,

	DMPOOL_REQ_QUERY = 128,
	DMPOOL_REQ_STATUS = DMPOOL_REQ_QUERY,
	DMPOOL_REQ_CRAWL,
};

/**
 * enum dmpool_event_kind - DMPOOL_A_EVENT_KIND
 * @DMPOOL_EVENT_POOL_NEW: POOL_ID, POOL_NAME: a pool was created here
 * @DMPOOL_EVENT_POOL_DEL: POOL_ID, POOL_NAME: a pool was destroyed here
 * @DMPOOL_EVENT_ATTACH: POOL_ID, POOL_ATTACHED: a file attached
 * @DMPOOL_EVENT_DETACH: POOL_ID, POOL_ATTACHED: a file detached
 * @DMPOOL_EVENT_PEER: NODE_ID, PEER_STATE: a peer's connection changed:
 *	its PEER_STATE (as PEER_GET reports it) now, first CONNECTING when
 *	PEER_ADD added it.  Coalesced: changes that follow each other faster
 *	than the module sends them show as the last one only (a drop and
 *	reconnect may not show at all; PEER_RECONNECTS counts them), but the
 *	last state is always sent, and never twice in a row.  No event
 *	follows PEER_DEL (nor NODE_SET, unload): the peer is gone.
 * @DMPOOL_EVENT_CLUSTER: CLUSTER_EPOCH, CLUSTER_MEMBERS: the daemon
 *	reported a new cluster state
 */
enum dmpool_event_kind {
	DMPOOL_EVENT_UNSPEC,
	DMPOOL_EVENT_POOL_NEW,
	DMPOOL_EVENT_POOL_DEL,
	DMPOOL_EVENT_ATTACH,
	DMPOOL_EVENT_DETACH,
	DMPOOL_EVENT_PEER,
	DMPOOL_EVENT_CLUSTER,
};

/* DMPOOL_A_NODE_STATE */
enum dmpool_node_state {
	DMPOOL_NODE_MEMBER,		/* commissioned, in the membership */
	DMPOOL_NODE_DOWN,		/* commissioned, not in the membership */
	DMPOOL_NODE_JOINING,		/* commissioned, not yet seen */
	DMPOOL_NODE_UNCOMMISSIONED,	/* (crawl) runs dmpoold, not ours */
};

/* DMPOOL_A_POOL_STATE */
enum dmpool_pool_state {
	DMPOOL_POOL_ACTIVE,		/* attached somewhere */
	DMPOOL_POOL_IDLE,		/* nobody attached: kept for its TTL */
};

/* DMPOOL_A_CRAWL_STATE */
enum dmpool_crawl_state {
	DMPOOL_CRAWL_DAEMON,		/* dmpoold answered */
	DMPOOL_CRAWL_NO_DAEMON,		/* the host answered, dmpoold did not */
};

/* ------------------------------------------------------------------------
 * Access policies (DMPOOL_FEAT_POLICY)
 *
 * Every pool and every file has an owner, a group, permission bits (rwx of
 * owner, group, others; x is unused) and up to DMPOOL_GRANTS_MAX per-user
 * grants of DMPOOL_RIGHT_* bits, which add to what the bits give.  The
 * module enforces them against the caller's fsuid, fsgid and groups:
 *  - DMPOOL_IOC_ATTACH needs read on the pool (-EACCES);
 *  - pwrite, and mmap(MAP_SHARED) with PROT_WRITE (and mprotect to it
 *    later), need write on the pool (-EACCES);
 *  - DMPOOL_IOC_FILE_CREATE, _DELETE and _GROW need DMPOOL_RIGHT_ADMIN on
 *    the pool or its ownership;
 *  - DMPOOL_IOC_FILE_OPEN needs read on the file (-EACCES); a
 *    description that opened a file without write on it may lock it (to
 *    read coherently) but not write its bytes: pwrite into them and
 *    writable shared mappings over them get -EACCES.
 * CAP_DAC_OVERRIDE overrides them, as for files.  A pool created without
 * policy attributes is owned by root:root with mode 0666 (anyone may
 * attach and write: the behaviour before policies); a file gets its
 * creator as owner and the mode it was created with.
 *
 * @DMPOOL_CMD_POOL_SET: ID or NAME, and any of POOL_UID, POOL_GID,
 *	POOL_MODE, GRANTS (at least one).  Needs CAP_NET_ADMIN.  Attached
 *	files keep their access; new attaches and file ioctls see the new
 *	policy.  No reply but the ack.
 * @DMPOOL_CMD_FILE_SET: POOL_ID or POOL_NAME, FILE_NAME, and any of
 *	FILE_UID, FILE_GID, FILE_MODE, GRANTS (at least one).  Needs
 *	CAP_NET_ADMIN.  Under the pool's directory lock, so every node sees
 *	it at its next DMPOOL_IOC_FILE_OPEN of the file (descriptions that
 *	have it open keep their rights).  No reply but the ack; errors as
 *	FILE_GET's.
 * A uid or gid of (__u32)-1, a mode above 0777 and GRANTS that break the
 * rules above are -EINVAL with an extack message.  A grant's uid or an
 * owner need not exist.  Only descriptions that can open /dev/dmpool are
 * subject to policies at all: the device's own mode (0600 by default)
 * comes first.  The file grants live in the directory, which is pool
 * bytes: a description with the write right on the pool can write the
 * directory (and every file it did not open) directly.
 * POOL_NEW takes POOL_UID, POOL_GID, POOL_MODE, GRANTS too; POOL_GET and
 * FILE_GET report them.  The daemon's DMPOOL_REQ_POOL_CREATE and
 * DMPOOL_REQ_POOL_SET take them as args and give them to every node.
 */
#define DMPOOL_GRANTS_MAX	8

#define DMPOOL_RIGHT_READ	(1U << 0)	/* attach, read, open files */
#define DMPOOL_RIGHT_WRITE	(1U << 1)	/* write bytes (of the file) */
#define DMPOOL_RIGHT_ADMIN	(1U << 2)	/* create, delete, grow files */
#define DMPOOL_RIGHTS_ALL	(DMPOOL_RIGHT_READ | DMPOOL_RIGHT_WRITE | \
				 DMPOOL_RIGHT_ADMIN)

/**
 * struct dmpool_grant - one per-user grant (DMPOOL_A_GRANTS)
 * @uid:    a user ID (initial user namespace)
 * @rights: DMPOOL_RIGHT_* bits, nonzero
 */
struct dmpool_grant {
	__u32 uid;
	__u32 rights;
};

#endif /* _UAPI_LINUX_DMPOOL_H */
