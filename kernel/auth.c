// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool transport: the cluster key and the connection handshake.
 *
 * Every node of a cluster holds the same secret key (16 to 64 bytes, set
 * with DMPOOL_CMD_KEY_SET).  A connection is used only after both ends
 * proved they hold it, without sending it:
 *
 *	both ends:  send HELLO { version, own node ID, features, nonce }
 *	            receive the peer's HELLO, check it
 *	both ends:  send AUTH { HMAC-SHA256(key, label | own HELLO | peer's HELLO) }
 *	            receive the peer's AUTH, compare with crypto_memneq()
 *
 * Both ends send before they receive, so neither waits for the other and
 * the exchange takes two round trips at most.  The nonces are fresh
 * random bytes (get_random_bytes()) for each connection, so a recorded
 * AUTH is useless later; putting the sender's HELLO first makes a node's
 * proof differ from the one it expects back, so reflecting it fails; the
 * proof covers both node IDs and both feature sets, so nobody can change
 * them in flight.  The connection is not encrypted: confidentiality is a
 * later issue (kTLS sockets handed in from user space, see tcp.c).
 *
 * Between the two steps the caller's check function sees the peer's
 * claimed node ID and may refuse it (unknown node, wrong direction) before
 * we spend a MAC on it.
 *
 * Failure reasons, for the caller's counters:
 *   -EKEYREJECTED  the peer's proof is wrong (it holds another key);
 *   -ENOKEY        we have no key;
 *   -EPROTO        malformed: bad header, wrong type or size, bad version,
 *                  a node ID of 0 or past DMPOOL_NODES_MAX, missing
 *                  required features;
 *   -ECONNRESET, -ETIMEDOUT  the peer went away or stalled (a truncated
 *                  frame ends in one of these: the caller counts it as
 *                  malformed once the first byte arrived);
 *   whatever the check function returned.
 *
 * Locking: dmpool_auth_key_lock (a mutex) protects the key and the HMAC
 * transform keyed with it; a handshake takes it only to compute a MAC.
 * The key is freed with kfree_sensitive() (zeroized) when replaced and at
 * exit, and the transform's copy goes with crypto_free_shash(), which
 * zeroizes its context too.
 */

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "transport.h"

/*
 * A whole handshake ends within this time, however slowly the other end
 * sends or reads: every send and receive is bounded by the time left
 * (dmpool_tcp_send_by(), _recv_by()).
 */
#define DMPOOL_AUTH_TIMEOUT_MS	5000

static DEFINE_MUTEX(dmpool_auth_key_lock);
/* The HMAC transform, keyed with the cluster key; protected by the lock. */
static struct crypto_shash *dmpool_auth_tfm;
static bool dmpool_auth_keyed;

/**
 * dmpool_auth_init - allocate the HMAC-SHA256 transform
 *
 * Return: 0 or -errno (the kernel lacks hmac(sha256)).
 */
int dmpool_auth_init(void)
{
	struct crypto_shash *tfm;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if (crypto_shash_digestsize(tfm) != DMPOOL_WIRE_MAC_LEN) {
		crypto_free_shash(tfm);
		return -EINVAL;
	}
	dmpool_auth_tfm = tfm;
	return 0;
}

/* Free the transform, and the key with it (zeroized by the crypto API). */
void dmpool_auth_exit(void)
{
	crypto_free_shash(dmpool_auth_tfm);
	dmpool_auth_tfm = NULL;
	dmpool_auth_keyed = false;
}

/**
 * dmpool_auth_set_key - set or replace the cluster key
 * @key: the key bytes (copied; the caller's buffer is not kept)
 * @len: DMPOOL_KEY_MIN..DMPOOL_KEY_MAX
 *
 * Return: 0 or -errno.
 */
int dmpool_auth_set_key(const u8 *key, size_t len)
{
	int err;

	if (len < DMPOOL_KEY_MIN || len > DMPOOL_KEY_MAX)
		return -EINVAL;
	mutex_lock(&dmpool_auth_key_lock);
	/* setkey copies the key into the transform's (zeroized) context. */
	err = crypto_shash_setkey(dmpool_auth_tfm, key, len);
	if (!err)
		dmpool_auth_keyed = true;
	mutex_unlock(&dmpool_auth_key_lock);
	return err;
}

/* Whether a key is set (for NODE_GET and PEER_ADD). */
bool dmpool_auth_has_key(void)
{
	bool keyed;

	mutex_lock(&dmpool_auth_key_lock);
	keyed = dmpool_auth_keyed;
	mutex_unlock(&dmpool_auth_key_lock);
	return keyed;
}

/* mac = HMAC(key, label | first | second); -ENOKEY without a key. */
static int dmpool_auth_mac(const struct dmpool_wire_hello *first,
			   const struct dmpool_wire_hello *second, u8 *mac)
{
	int err;

	mutex_lock(&dmpool_auth_key_lock);
	if (!dmpool_auth_keyed) {
		err = -ENOKEY;
		goto out_unlock;
	}
	{
		SHASH_DESC_ON_STACK(desc, dmpool_auth_tfm);

		desc->tfm = dmpool_auth_tfm;
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, DMPOOL_WIRE_AUTH_LABEL,
					  sizeof(DMPOOL_WIRE_AUTH_LABEL) - 1) ?:
		      crypto_shash_update(desc, (const u8 *)first,
					  sizeof(*first)) ?:
		      crypto_shash_update(desc, (const u8 *)second,
					  sizeof(*second)) ?:
		      crypto_shash_final(desc, mac);
		shash_desc_zero(desc);
	}
out_unlock:
	mutex_unlock(&dmpool_auth_key_lock);
	return err;
}

static int dmpool_auth_send(struct socket *sock, u16 type, const void *payload,
			    u32 len, unsigned long deadline)
{
	struct dmpool_wire_hdr hdr;

	dmpool_wire_hdr_init(&hdr, type, 0, len, 0, 0);
	return dmpool_tcp_send_by(sock, &hdr, sizeof(hdr), payload, len,
				  deadline);
}

/*
 * Receive one set-up frame of @type with exactly @len payload bytes by
 * @deadline.  Anything else is -EPROTO; a peer that closes or stalls is
 * -ECONNRESET or -ETIMEDOUT.
 */
static int dmpool_auth_recv(struct socket *sock, u16 type, void *payload,
			    u32 len, unsigned long deadline)
{
	struct dmpool_wire_hdr hdr;
	u32 got;
	int err;

	err = dmpool_tcp_recv_by(sock, &hdr, sizeof(hdr), deadline);
	if (err)
		return err == -EBADMSG ? -EPROTO : err;
	if (dmpool_wire_hdr_check(&hdr, &got) ||
	    dmpool_wire_get16(&hdr.type) != type ||
	    dmpool_wire_get16(&hdr.flags) != 0 ||
	    dmpool_wire_get64(&hdr.tag) != 0 || got != len)
		return -EPROTO;
	err = dmpool_tcp_recv_by(sock, payload, len, deadline);
	/* The header promised @len bytes: anything less is truncated. */
	if (err == -EBADMSG || err == -ECONNRESET || err == -ETIMEDOUT)
		return -EPROTO;
	return err;
}

/**
 * dmpool_auth_handshake - run the set-up exchange on a connected socket
 * @sock:  the socket, connected or accepted, not used by anyone else yet
 * @my_id: this node's ID
 * @check: called with the peer's claimed node ID after its HELLO; returns
 *         0 to go on or -errno to refuse
 * @arg:   for @check
 * @res:   out: the peer's node ID and the negotiated features; on
 *         failure after the check, the node ID the peer claimed (else 0):
 *         unproven, so only a caller that chose the peer (the connecting
 *         side) may charge the failure to it
 *
 * The whole exchange ends within DMPOOL_AUTH_TIMEOUT_MS (-ETIMEDOUT, or
 * -EPROTO for a frame cut short), however slowly the other end sends or
 * reads; it changes the socket's timeouts.
 *
 * Return: 0 if both ends proved the key, else -errno (see the top of this
 * file).
 */
int dmpool_auth_handshake(struct socket *sock, u32 my_id,
			  dmpool_auth_check_t check, void *arg,
			  struct dmpool_auth_result *res)
{
	struct dmpool_wire_hello mine, theirs;
	struct dmpool_wire_auth proof, got, expect;
	unsigned long deadline;
	u64 features;
	u32 peer_id;
	int err;

	res->peer_id = 0;
	/* One deadline for every step, not a timeout per step. */
	deadline = jiffies + msecs_to_jiffies(DMPOOL_AUTH_TIMEOUT_MS);

	memset(&mine, 0, sizeof(mine));
	dmpool_wire_put32(&mine.version, DMPOOL_WIRE_VERSION);
	dmpool_wire_put32(&mine.node_id, my_id);
	dmpool_wire_put64(&mine.features, DMPOOL_WIRE_FEAT_ALL);
	get_random_bytes(mine.nonce, sizeof(mine.nonce));

	err = dmpool_auth_send(sock, DMPOOL_WIRE_HELLO, &mine, sizeof(mine),
			       deadline);
	if (err)
		goto out;
	err = dmpool_auth_recv(sock, DMPOOL_WIRE_HELLO, &theirs,
			       sizeof(theirs), deadline);
	if (err)
		goto out;

	peer_id = dmpool_wire_get32(&theirs.node_id);
	features = dmpool_wire_get64(&theirs.features) & DMPOOL_WIRE_FEAT_ALL;
	if (dmpool_wire_get32(&theirs.version) != DMPOOL_WIRE_VERSION ||
	    peer_id == 0 || peer_id > DMPOOL_NODES_MAX || peer_id == my_id ||
	    (features & DMPOOL_WIRE_FEAT_REQUIRED) != DMPOOL_WIRE_FEAT_REQUIRED) {
		err = -EPROTO;
		goto out;
	}
	err = check(peer_id, arg);
	if (err)
		goto out;
	/*
	 * The claimed ID, not a proven one: only the connecting side, which
	 * chose whom to dial, may charge failures from here on to it.
	 */
	res->peer_id = peer_id;

	err = dmpool_auth_mac(&mine, &theirs, proof.mac);
	if (err)
		goto out;
	err = dmpool_auth_send(sock, DMPOOL_WIRE_AUTH, &proof, sizeof(proof),
			       deadline);
	if (err)
		goto out;
	err = dmpool_auth_recv(sock, DMPOOL_WIRE_AUTH, &got, sizeof(got),
			       deadline);
	if (err)
		goto out;
	err = dmpool_auth_mac(&theirs, &mine, expect.mac);
	if (err)
		goto out;
	if (crypto_memneq(got.mac, expect.mac, sizeof(expect.mac))) {
		err = -EKEYREJECTED;
		goto out;
	}

	res->features = features;
out:
	memzero_explicit(&expect, sizeof(expect));
	return err;
}
