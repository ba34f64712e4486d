/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmpoold's own netlink to the module: the "daemon" and "events"
 * multicast groups, and the commands only the daemon sends (CLUSTER_SET,
 * REQ_ACCEPT, REQ_DONE).  Ordinary commands go through dmpoolctl's client
 * (nlclient.c).
 */
#ifndef DMPOOLD_MODNL_H
#define DMPOOLD_MODNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/dmpool.h>

struct daemon;
struct modnl;

/* Open both sockets and join the groups that exist; 0 or -1 (why). */
int modnl_open(struct modnl **out, char *why, size_t len);
void modnl_close(struct modnl *mn);
/* The multicast socket's fd (non-blocking), for poll(). */
int modnl_fd(const struct modnl *mn);
/* Whether the module has the "daemon" group (DMPOOL_FEAT_CLUSTER). */
bool modnl_has_relay(const struct modnl *mn);
/* Read what arrived; dispatches to relay_notify() and life_event(). */
void modnl_input(struct modnl *mn, struct daemon *d);

/* Whether multicasts were lost since the last call (and clear it). */
bool modnl_take_lost(struct modnl *mn);

/* 0 or a negative errno. */
int modnl_cluster_set(struct modnl *mn, const char *name, uint64_t epoch,
		      const uint8_t sum[DMPOOL_CHECKSUM_LEN], uint64_t members,
		      bool quorate);
int modnl_req_accept(struct modnl *mn, uint64_t req);

/* Puts the result's attributes into the open REQ_RESULT nest; 0 or -1. */
typedef int (*modnl_result_fn)(struct nl_msg *msg, void *arg);
/* REQ_DONE; @msg may be NULL or ""; @fn may be NULL (no result). */
int modnl_req_done(struct modnl *mn, uint64_t req, int status,
		   const char *message, modnl_result_fn fn, void *arg);

#endif /* DMPOOLD_MODNL_H */
