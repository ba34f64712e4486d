/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpool cluster locks (lock.c): cached kernel DLM locks, one lockspace per
 * pool.  Used by files.c only.
 */
#ifndef _DMPOOL_LOCK_H
#define _DMPOOL_LOCK_H

#include <linux/completion.h>
#include <linux/dlm.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* Bytes of a lock value block (a multiple of 8, as the DLM wants). */
#define DMPOOL_LVB_LEN		32

/**
 * struct dmpool_lockspace - a pool's DLM lockspace on this node
 * @dlm: the DLM's handle, NULL until joined
 */
struct dmpool_lockspace {
	dlm_lockspace_t *dlm;
};

/**
 * struct dmpool_glock - one DLM resource as this node holds it
 * @ls:      the lockspace; immutable
 * @name:    resource name, @namelen bytes; immutable
 * @lock:    protects @owner, @busy, @blocked, @unseen and @mode
 * @owner:   the local owner, NULL if none
 * @busy:    a DLM request of this glock is in flight (by whoever set it)
 * @blocked: another node asked for the resource: demote once unowned
 * @unseen:  a DLM grant won the race with its cancel: no owner has seen
 *           its fresh LVB yet; the next acquire reports it as fresh
 * @mode:    the mode of our DLM lock: DLM_LOCK_IV (none), _NL or _EX;
 *           changes only while @busy
 * @lksb:    the DLM status block; used by the request in flight
 * @lvb:     the lock value block: read from the resource on each DLM
 *           grant, written back on demotion and unlock; the owner may
 *           read and change it
 * @ast:     completed by the completion AST of the request in flight
 * @wq:      local acquirers waiting for @owner or @busy to clear
 * @demote_work: converts to NL after a blocking AST
 */
struct dmpool_glock {
	struct dmpool_lockspace *ls;
	char name[DLM_RESNAME_MAXLEN + 1];
	unsigned int namelen;
	spinlock_t lock;	/* see above */
	void *owner;
	bool busy;
	bool blocked;
	bool unseen;
	int mode;
	struct dlm_lksb lksb;
	char lvb[DMPOOL_LVB_LEN];
	struct completion ast;
	wait_queue_head_t wq;
	struct work_struct demote_work;
};

/**
 * struct dmpool_plock - a plain DLM lock: taken, held, unlocked; no cache
 * @name: resource name, NUL-terminated
 * @mode: granted mode, DLM_LOCK_IV when not locked
 * @lksb: DLM status block
 * @ast:  completed by its ASTs
 */
struct dmpool_plock {
	char name[DLM_RESNAME_MAXLEN + 1];
	int mode;
	struct dlm_lksb lksb;
	struct completion ast;
};

int dmpool_plock_lock(struct dmpool_lockspace *ls, struct dmpool_plock *pl,
		      int mode, bool try);
void dmpool_plock_unlock(struct dmpool_lockspace *ls, struct dmpool_plock *pl);

int dmpool_lockspace_join(struct dmpool_lockspace *ls, u64 pool_id,
			  bool local);
void dmpool_lockspace_leave(struct dmpool_lockspace *ls);
void dmpool_glock_init(struct dmpool_glock *gl, struct dmpool_lockspace *ls,
		       const char *name);
void dmpool_glock_destroy(struct dmpool_glock *gl);
int dmpool_glock_anchor(struct dmpool_glock *gl);
/* dmpool_glock_acquire() @how */
#define DMPOOL_GLOCK_TRY	BIT(0)
#define DMPOOL_GLOCK_NOINTR	BIT(1)

int dmpool_glock_acquire(struct dmpool_glock *gl, void *owner,
			 unsigned int how, unsigned long deadline, bool *fresh);
int dmpool_glock_release(struct dmpool_glock *gl, void *owner);
bool dmpool_glock_held(struct dmpool_glock *gl, void *owner);

/* The lock value block of a glock was lost with a holder's node. */
static inline bool dmpool_glock_lvb_lost(const struct dmpool_glock *gl)
{
	return gl->lksb.sb_flags & DLM_SBF_VALNOTVALID;
}

int dmpool_lock_init(void);
void dmpool_lock_exit(void);

#endif /* _DMPOOL_LOCK_H */
