/* destroy.h - closing one socket with netlink SOCK_DESTROY. */
#ifndef TCPT_DESTROY_H
#define TCPT_DESTROY_H

#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

/* Room for the request: a netlink header and an inet_diag_req_v2, aligned. */
#define DESTROY_REQ_SIZE 128

/*
 * Write the SOCK_DESTROY request for ROW into BUF (DESTROY_REQ_SIZE bytes), sequence SEQ:
 * family, IPPROTO_TCP, addresses and ports in network order, interface = ROW->scope_id, and
 * the cookie (or INET_DIAG_NOCOOKIE when ROW->cookie is 0, so the kernel does not check it).
 * Returns the request's length, or -EINVAL for a family other than AF_INET/AF_INET6.
 */
int destroy_build_request(const struct tcpt_conn *row, uint32_t seq, void *buf);

/* The errno tcpt_conn_destroy() reports for the kernel's answer ERR (a positive errno):
 * ESTALE (the cookie names another socket now) becomes ENOENT; others pass through. */
int destroy_map_error(int err);

#endif
