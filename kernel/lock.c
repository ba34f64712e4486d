// SPDX-License-Identifier: GPL-2.0
/*
 * dmpool cluster locks: cached locks of the kernel DLM ("glocks", after
 * GFS2's), one DLM lockspace per pool.
 *
 * A glock is one DLM resource as this node sees it: at most one DLM lock
 * (in mode EX or NL, or none yet) and at most one local owner.  The layer
 * above (files.c) names the resources and says who the owner is (an open
 * file description of /dev/dmpool, or a task for the pool directory);
 * this file only moves the DLM lock and the lock value block (LVB).
 *
 * Caching.  Releasing a glock does not talk to the DLM: the node keeps its
 * EX lock, so the next acquire on this node is granted locally, without
 * the network.  When another node asks for the resource, the DLM sends this
 * node a blocking AST; the glock is then marked @blocked and, as soon as
 * it has no owner, a work item converts the lock down to NL, which writes
 * the LVB back to the resource.  An acquire that finds the glock blocked
 * waits for that demotion and then queues behind the remote request, so a
 * busy node cannot starve the others.
 *
 * One request in flight.  Every DLM request on a glock (convert up, cancel,
 * demote, unlock) is made by the one task or work item that set @busy,
 * and its completion AST is awaited before @busy is cleared; everyone else
 * waits on @wq for the state to change.  The ASTs themselves (called from
 * the DLM's callback work queue) only record, complete and wake.
 *
 * Waiting.  An acquire waits interruptibly and up to a deadline, first for
 * the local owner to go, then for the DLM.  A DLM wait that ends early is
 * cancelled; if the grant won the race with the cancel, the lock stays
 * cached here and is demoted on request as usual.
 *
 * The lockspace is joined on the first use of a pool's locks (dlm_controld
 * must run; without it -ENOTCONN) and left when the pool goes.  Its name is
 * "dmpool-" and the pool ID in hex, the same on every node (a pool that is
 * not placed adds a number of this node's); its cluster is the corosync
 * cluster "dmpool".
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dlm.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "dmpool.h"
#include "lock.h"

#define DMPOOL_DLM_CLUSTER	"dmpool"

/* Demotions: a work queue with a rescuer, as they may run under reclaim. */
static struct workqueue_struct *dmpool_lock_wq;

/* Names the lockspaces of this node's local pools (see join). */
static u32 dmpool_local_tag;

/*
 * Keep released locks cached (the default).  Off, every release converts
 * the DLM lock down to NL at once: for measuring what an uncached lock
 * costs (tools/bench), and for comparison.
 */
static bool lock_cache = true;
module_param(lock_cache, bool, 0644);
MODULE_PARM_DESC(lock_cache,
		 "keep released cluster locks cached on this node (default: on)");

/* Whether an unowned EX glock should be demoted now. */
static bool dmpool_glock_should_demote(struct dmpool_glock *gl)
{
	lockdep_assert_held(&gl->lock);
	return gl->mode == DLM_LOCK_EX && !gl->owner && !gl->busy &&
	       (gl->blocked || !READ_ONCE(lock_cache));
}

/**
 * dmpool_lockspace_join() - join the DLM lockspace of a pool
 * @ls:      the pool's lockspace holder, zeroed or left
 * @pool_id: the pool's ID, names the lockspace
 * @local:   the pool lives on this node only: its ID is not unique in the
 *           cluster, so the name also carries a number drawn at module
 *           load, and no other node joins
 *
 * Context: process, may sleep (until dlm_controld has added this node to
 * the lockspace's group on every member).
 *
 * Return: 0, -ENOTCONN when the DLM has no cluster to work in (no
 * dlm_controld on this node), or an error of dlm_new_lockspace().
 */
int dmpool_lockspace_join(struct dmpool_lockspace *ls, u64 pool_id,
			  bool local)
{
	char name[DLM_LOCKSPACE_LEN];
	int ops_result, err;

	might_sleep();
	if (local)
		snprintf(name, sizeof(name), "dmpool-%llx-%08x", pool_id,
			 dmpool_local_tag);
	else
		snprintf(name, sizeof(name), "dmpool-%llx", pool_id);
	err = dlm_new_lockspace(name, DMPOOL_DLM_CLUSTER, DLM_LSFL_NEWEXCL,
				DMPOOL_LVB_LEN, NULL, NULL, &ops_result,
				&ls->dlm);
	if (err == -EUNATCH)	/* "dlm user daemon not available" */
		return -ENOTCONN;
	if (err == -EEXIST)	/* a leftover of ours: cannot happen */
		return -EBUSY;
	return err;
}

/**
 * dmpool_lockspace_leave() - leave a pool's lockspace
 * @ls: a joined lockspace whose glocks were all destroyed
 *
 * The other members recover the resources as if this node had died; since
 * every lock was unlocked first, with its LVB written back, nothing is
 * lost.
 */
void dmpool_lockspace_leave(struct dmpool_lockspace *ls)
{
	int err;

	might_sleep();
	err = dlm_release_lockspace(ls->dlm, 2);
	if (err)
		pr_warn("dmpool: leaving DLM lockspace: %d\n", err);
	ls->dlm = NULL;
}

/* Completion AST: the DLM finished the request in flight. */
static void dmpool_glock_ast(void *arg)
{
	struct dmpool_glock *gl = arg;

	complete(&gl->ast);
}

/* Completion AST of a plain lock: its argument is the completion. */
static void dmpool_plock_ast(void *arg)
{
	complete(arg);
}

/*
 * Unlock a DLM lock whose ASTs complete @ast, and wait for the DLM.
 * @astarg: the lock's AST argument (dlm_unlock() sets it anew, even NULL).
 */
static void dmpool_dlm_unlock_sync(struct dmpool_lockspace *ls,
				   struct dlm_lksb *lksb,
				   struct completion *ast, void *astarg,
				   const char *name, u32 flags)
{
	int err;

	reinit_completion(ast);
	err = dlm_unlock(ls->dlm, lksb->sb_lkid, flags, lksb, astarg);
	if (!err) {
		wait_for_completion(ast);
		err = lksb->sb_status == -DLM_EUNLOCK ? 0 : lksb->sb_status;
	}
	if (err)
		pr_warn("dmpool: unlocking %s: %d\n", name, err);
}

/*
 * Blocking AST: another node wants a mode our lock blocks.  Demote at once
 * if nobody here holds the glock and no request is in flight; otherwise
 * whoever finishes (release, acquire) sees @blocked.  The DLM may call
 * this right after the grant's completion AST, before the acquirer has
 * recorded the new mode: while a request is in flight, always record it.
 */
static void dmpool_glock_bast(void *arg, int mode)
{
	struct dmpool_glock *gl = arg;
	bool demote;

	spin_lock(&gl->lock);
	if (!gl->busy && gl->mode != DLM_LOCK_EX) {
		/* A late AST for a mode we no longer hold. */
		spin_unlock(&gl->lock);
		return;
	}
	gl->blocked = true;
	demote = !gl->owner && !gl->busy;
	spin_unlock(&gl->lock);
	if (demote)
		queue_work(dmpool_lock_wq, &gl->demote_work);
}

/*
 * Make a DLM request of @gl.  dlm_lock() refuses one on a lock whose
 * earlier cancel still waits for its reply (-EBUSY: validate_lock_args()
 * in fs/dlm/lock.c), as after a grant that won the race with our cancel;
 * the reply is on its way, so try again shortly, unless @how says TRY, or
 * a signal or @deadline (jiffies, 0: none) comes first without NOINTR.
 * Caller set @busy.  Return: dlm_lock()'s, -EINTR or -ETIMEDOUT.
 */
static int dmpool_glock_dlm_lock(struct dmpool_glock *gl, int mode, u32 flags,
				 unsigned int how, unsigned long deadline)
{
	int err;

	for (;;) {
		reinit_completion(&gl->ast);
		err = dlm_lock(gl->ls->dlm, mode, &gl->lksb, flags, gl->name,
			       gl->namelen, 0, dmpool_glock_ast, gl,
			       dmpool_glock_bast);
		if (err != -EBUSY || (how & DMPOOL_GLOCK_TRY))
			return err;
		if (!(how & DMPOOL_GLOCK_NOINTR)) {
			if (signal_pending(current))
				return -EINTR;
			if (deadline && time_after_eq(jiffies, deadline))
				return -ETIMEDOUT;
		}
		usleep_range(1000, 2000);
	}
}

/*
 * Make a DLM request and wait for its AST, uninterruptibly.  Used for the
 * requests that must finish (demote, cancel, unlock).  Caller set @busy.
 */
static int dmpool_glock_request_sync(struct dmpool_glock *gl, int mode,
				     u32 flags)
{
	int err;

	err = dmpool_glock_dlm_lock(gl, mode, flags, DMPOOL_GLOCK_NOINTR, 0);
	if (err)
		return err;
	wait_for_completion(&gl->ast);
	return gl->lksb.sb_status;
}

/* Leave the busy state and let local waiters look again. */
static void dmpool_glock_idle(struct dmpool_glock *gl)
{
	bool demote;

	spin_lock(&gl->lock);
	gl->busy = false;
	if (gl->mode != DLM_LOCK_EX)
		gl->blocked = false;	/* nothing of ours blocks anyone */
	demote = dmpool_glock_should_demote(gl);
	spin_unlock(&gl->lock);
	if (demote)
		queue_work(dmpool_lock_wq, &gl->demote_work);
	wake_up_all(&gl->wq);
}

/*
 * Another node asked for the resource and nobody here holds it: convert to
 * NL, which writes our LVB (the data the owners left in it) back.
 */
static void dmpool_glock_demote(struct dmpool_glock *gl)
{
	int err;

	spin_lock(&gl->lock);
	if (!dmpool_glock_should_demote(gl)) {
		spin_unlock(&gl->lock);
		return;
	}
	gl->busy = true;
	spin_unlock(&gl->lock);

	err = dmpool_glock_request_sync(gl, DLM_LOCK_NL,
					DLM_LKF_CONVERT | DLM_LKF_VALBLK);
	spin_lock(&gl->lock);
	if (!err) {
		gl->mode = DLM_LOCK_NL;
		gl->blocked = false;
	}
	spin_unlock(&gl->lock);
	if (err)
		pr_warn_ratelimited("dmpool: demoting lock %s: %d\n",
				    gl->name, err);
	dmpool_glock_idle(gl);
}

static void dmpool_glock_demote_work(struct work_struct *work)
{
	dmpool_glock_demote(container_of(work, struct dmpool_glock,
					 demote_work));
}

/**
 * dmpool_glock_init() - set up a glock of a lockspace
 * @gl:   the glock, embedded in its user's object
 * @ls:   a joined lockspace that outlives the glock
 * @name: the resource name, at most DLM_RESNAME_MAXLEN bytes, copied
 */
void dmpool_glock_init(struct dmpool_glock *gl, struct dmpool_lockspace *ls,
		       const char *name)
{
	memset(gl, 0, sizeof(*gl));
	gl->ls = ls;
	gl->namelen = strscpy(gl->name, name, sizeof(gl->name));
	gl->lksb.sb_lvbptr = gl->lvb;
	gl->mode = DLM_LOCK_IV;
	spin_lock_init(&gl->lock);
	init_waitqueue_head(&gl->wq);
	init_completion(&gl->ast);
	INIT_WORK(&gl->demote_work, dmpool_glock_demote_work);
}

/**
 * dmpool_glock_destroy() - give up a glock's DLM lock
 * @gl: a glock without owner
 *
 * Unlocks the DLM lock (an EX lock writes its LVB back first), waiting for
 * the DLM.  Context: process, may sleep.
 */
void dmpool_glock_destroy(struct dmpool_glock *gl)
{
	might_sleep();
	/* Wait out a demotion in flight. */
	spin_lock(&gl->lock);
	while (gl->busy) {
		spin_unlock(&gl->lock);
		wait_event(gl->wq, !READ_ONCE(gl->busy));
		spin_lock(&gl->lock);
	}
	WARN_ON(gl->owner);
	gl->busy = true;
	spin_unlock(&gl->lock);
	cancel_work_sync(&gl->demote_work);
	if (gl->mode == DLM_LOCK_IV)
		return;
	dmpool_dlm_unlock_sync(gl->ls, &gl->lksb, &gl->ast, gl, gl->name,
			       gl->mode == DLM_LOCK_EX ? DLM_LKF_VALBLK : 0);
	gl->mode = DLM_LOCK_IV;
	/*
	 * A blocking AST that sampled !busy before we set it may have queued
	 * the work after the cancel above; none can come after the unlock's
	 * completion AST (one lock's callbacks run in order).
	 */
	cancel_work_sync(&gl->demote_work);
}

/**
 * dmpool_glock_anchor() - hold a new glock's resource at NL
 * @gl: a glock without a DLM lock that nobody else uses yet
 *
 * An NL lock keeps the resource, and its value block, alive in the DLM for
 * as long as a node that took it lives.  Without one, a resource whose
 * only lock died with its node, when that node was its master too, would
 * be made anew by the next request: its value block zeroed and not marked
 * invalid, so the death would go unnoticed.  With one, the new master
 * rebuilds the resource from the survivors' locks and marks the block
 * invalid.
 *
 * Context: process, may sleep, uninterruptibly (an NL request is granted
 * at once, after a lockspace recovery in progress).
 * Return: 0 or an error of the DLM.
 */
int dmpool_glock_anchor(struct dmpool_glock *gl)
{
	int err;

	might_sleep();
	spin_lock(&gl->lock);
	if (WARN_ON_ONCE(gl->busy || gl->mode != DLM_LOCK_IV)) {
		spin_unlock(&gl->lock);
		return -EINVAL;
	}
	gl->busy = true;
	spin_unlock(&gl->lock);

	err = dmpool_glock_request_sync(gl, DLM_LOCK_NL, DLM_LKF_VALBLK);
	spin_lock(&gl->lock);
	if (!err)
		gl->mode = DLM_LOCK_NL;
	spin_unlock(&gl->lock);
	dmpool_glock_idle(gl);
	return err;
}

/*
 * What an acquire may do now, under @gl->lock: 0 take the cached EX lock,
 * 1 ask the DLM, -EAGAIN wait for the local state to change, -EDEADLK.
 */
static int dmpool_glock_may(struct dmpool_glock *gl, void *owner)
{
	lockdep_assert_held(&gl->lock);
	if (gl->owner == owner)
		return -EDEADLK;
	if (gl->owner || gl->busy)
		return -EAGAIN;
	if (gl->mode == DLM_LOCK_EX)
		return gl->blocked ? -EAGAIN : 0;
	return 1;
}

/* An acquire need not wait any longer for the local state. */
static bool dmpool_glock_settled(struct dmpool_glock *gl, void *owner)
{
	bool settled;

	spin_lock(&gl->lock);
	settled = dmpool_glock_may(gl, owner) != -EAGAIN;
	spin_unlock(&gl->lock);
	return settled;
}

/*
 * Ask the DLM for EX and wait for the answer until @deadline (jiffies;
 * 0: forever) or a signal.  Caller set @busy.  Return: 0 granted,
 * -EBUSY (@try and not grantable at once), -ETIMEDOUT, -EINTR, or a DLM
 * error.
 */
static int dmpool_glock_up(struct dmpool_glock *gl, unsigned int how,
			   unsigned long deadline)
{
	u32 flags = DLM_LKF_VALBLK;
	long left;
	int err;

	if (gl->mode == DLM_LOCK_NL)
		flags |= DLM_LKF_CONVERT;
	/* A try asks an idle holder elsewhere to let go, for the next try. */
	if (how & DMPOOL_GLOCK_TRY)
		flags |= DLM_LKF_NOQUEUE | DLM_LKF_NOQUEUEBAST;

	err = dmpool_glock_dlm_lock(gl, DLM_LOCK_EX, flags, how, deadline);
	if (err)
		return err;

	if (how & DMPOOL_GLOCK_NOINTR) {
		wait_for_completion(&gl->ast);
		left = 1;
	} else if (deadline) {
		left = (long)(deadline - jiffies);
		if (left > 0)
			left = wait_for_completion_interruptible_timeout(&gl->ast,
									 left);
	} else {
		left = wait_for_completion_interruptible(&gl->ast) ?: 1;
	}
	if (left <= 0) {
		/* Signal or deadline: cancel.  The grant may win the race. */
		err = dlm_unlock(gl->ls->dlm, gl->lksb.sb_lkid,
				 DLM_LKF_CANCEL, &gl->lksb, gl);
		if (err && err != -EBUSY)
			pr_warn_ratelimited("dmpool: cancel %s: %d\n",
					    gl->name, err);
		wait_for_completion(&gl->ast);
	}

	err = gl->lksb.sb_status;
	if (!err) {
		gl->mode = DLM_LOCK_EX;
		return left > 0 ? 0 : -ECANCELED;	/* granted anyway */
	}
	if (err == -DLM_ECANCEL)
		return left < 0 ? -EINTR : -ETIMEDOUT;
	if (err == -EAGAIN)
		return -EBUSY;
	/* A failed new request leaves no lock; a failed convert leaves NL. */
	return err;
}

/**
 * dmpool_glock_acquire() - become the local owner of a glock
 * @gl:       the glock
 * @owner:    who holds it (compared, never dereferenced)
 * @how:      DMPOOL_GLOCK_TRY: fail with -EBUSY rather than wait;
 *            DMPOOL_GLOCK_NOINTR: wait without regard to signals (and
 *            without deadline), for paths that must get the lock
 * @deadline: give up at this jiffies value (-ETIMEDOUT), 0 for never
 * @fresh:    out: the DLM granted the lock now (the LVB is fresh from the
 *            resource, sb_flags say whether it is valid); false when the
 *            lock was cached here
 *
 * A try fails when another local owner holds the glock, or the DLM cannot
 * grant it at once.  When another node merely caches the lock, a try asks
 * it to let go: a later try may succeed.
 *
 * Context: process, may sleep; interruptible (-EINTR) unless NOINTR.
 * Return: 0, -EDEADLK (@owner holds it already), -EBUSY, -ETIMEDOUT,
 * -EINTR, or an error of the DLM.
 */
int dmpool_glock_acquire(struct dmpool_glock *gl, void *owner,
			 unsigned int how, unsigned long deadline, bool *fresh)
{
	long left;
	int may, err;

	might_sleep();
	*fresh = false;
	for (;;) {
		spin_lock(&gl->lock);
		may = dmpool_glock_may(gl, owner);
		if (may == 0) {
			gl->owner = owner;
			*fresh = gl->unseen;
			gl->unseen = false;
		} else if (may == 1) {
			gl->busy = true;
		}
		spin_unlock(&gl->lock);
		if (may == 0)
			return 0;
		if (may == 1)
			break;
		if (may != -EAGAIN)
			return may;
		if (how & DMPOOL_GLOCK_TRY)
			return -EBUSY;

		if (how & DMPOOL_GLOCK_NOINTR) {
			wait_event(gl->wq, dmpool_glock_settled(gl, owner));
			continue;
		}
		left = deadline ? (long)(deadline - jiffies) : MAX_SCHEDULE_TIMEOUT;
		if (left <= 0)
			return -ETIMEDOUT;
		left = wait_event_interruptible_timeout(gl->wq,
							dmpool_glock_settled(gl, owner),
							left);
		if (left < 0)
			return -EINTR;
	}

	err = dmpool_glock_up(gl, how, deadline);
	spin_lock(&gl->lock);
	if (!err) {
		gl->owner = owner;
		*fresh = true;
		gl->unseen = false;
	} else if (err == -ECANCELED) {
		gl->unseen = true;	/* cached, its LVB not yet looked at */
	}
	spin_unlock(&gl->lock);
	if (err == -ECANCELED)
		err = signal_pending(current) ? -EINTR : -ETIMEDOUT;
	dmpool_glock_idle(gl);
	return err;
}

/**
 * dmpool_glock_release() - stop being the local owner of a glock
 * @gl:    the glock
 * @owner: its owner
 *
 * Keeps the DLM lock cached unless another node asked for it (then a work
 * item demotes it) or the lock cache is off (then it is demoted here, and
 * this may sleep).
 *
 * Return: 0, -EPERM if @owner does not hold @gl.
 */
int dmpool_glock_release(struct dmpool_glock *gl, void *owner)
{
	bool demote;

	spin_lock(&gl->lock);
	if (gl->owner != owner) {
		spin_unlock(&gl->lock);
		return -EPERM;
	}
	gl->owner = NULL;
	demote = dmpool_glock_should_demote(gl);
	spin_unlock(&gl->lock);
	if (demote && !READ_ONCE(lock_cache))
		dmpool_glock_demote(gl);	/* uncached: give it back now */
	else if (demote)
		queue_work(dmpool_lock_wq, &gl->demote_work);
	wake_up_all(&gl->wq);
	return 0;
}

/**
 * dmpool_glock_held() - whether @owner holds @gl
 * @gl:    the glock
 * @owner: the owner to check
 *
 * Return: true if so.
 */
bool dmpool_glock_held(struct dmpool_glock *gl, void *owner)
{
	bool held;

	spin_lock(&gl->lock);
	held = gl->owner == owner;
	spin_unlock(&gl->lock);
	return held;
}

/**
 * dmpool_plock_lock() - take a plain (uncached) DLM lock and wait for it
 * @ls:   a joined lockspace
 * @pl:   the lock, with @name set and not locked (@mode DLM_LOCK_IV)
 * @mode: the DLM mode
 * @try:  fail with -EBUSY rather than queue behind an incompatible lock
 *
 * The wait is killable: a fatal signal cancels the request (-EINTR).
 * Context: process, may sleep.
 * Return: 0 or a negative errno.
 */
int dmpool_plock_lock(struct dmpool_lockspace *ls, struct dmpool_plock *pl,
		      int mode, bool try)
{
	int err;

	might_sleep();
	init_completion(&pl->ast);
	err = dlm_lock(ls->dlm, mode, &pl->lksb, try ? DLM_LKF_NOQUEUE : 0,
		       pl->name, strlen(pl->name), 0, dmpool_plock_ast,
		       &pl->ast, NULL);
	if (err)
		return err;
	if (wait_for_completion_killable(&pl->ast)) {
		dlm_unlock(ls->dlm, pl->lksb.sb_lkid, DLM_LKF_CANCEL,
			   &pl->lksb, &pl->ast);
		wait_for_completion(&pl->ast);
		if (!pl->lksb.sb_status)	/* granted before the cancel */
			dmpool_dlm_unlock_sync(ls, &pl->lksb, &pl->ast,
					       &pl->ast, pl->name, 0);
		return -EINTR;
	}
	err = pl->lksb.sb_status;
	if (err == -EAGAIN)
		return -EBUSY;
	if (!err)
		pl->mode = mode;
	return err;
}

/**
 * dmpool_plock_unlock() - unlock a plain lock taken by dmpool_plock_lock()
 * @ls: its lockspace
 * @pl: the lock; unlocked on return
 */
void dmpool_plock_unlock(struct dmpool_lockspace *ls, struct dmpool_plock *pl)
{
	might_sleep();
	if (pl->mode == DLM_LOCK_IV)
		return;
	dmpool_dlm_unlock_sync(ls, &pl->lksb, &pl->ast, &pl->ast, pl->name, 0);
	pl->mode = DLM_LOCK_IV;
}

int dmpool_lock_init(void)
{
	dmpool_local_tag = get_random_u32();
	dmpool_lock_wq = alloc_workqueue("dmpool_lock",
					 WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return dmpool_lock_wq ? 0 : -ENOMEM;
}

void dmpool_lock_exit(void)
{
	destroy_workqueue(dmpool_lock_wq);
}
