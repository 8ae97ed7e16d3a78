/* resolve.h - host and service names without blocking the listing: lookups run concurrently
 * in a few threads (glibc's getaddrinfo(3) and getnameinfo(3): /etc/hosts, DNS, whatever
 * nsswitch says), each address is looked up once, and every wait is bounded by one deadline
 * per listing. An address whose lookup has not finished by then stays numeric. */
#ifndef TCPT_CLI_RESOLVE_H
#define TCPT_CLI_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

struct resolver;

/* How long the lookups of one listing (or of the host names of one command line) may take
 * in all. */
enum { RESOLVE_BUDGET_MS = 2000 };

/* A resolver whose waits end BUDGET_MS after the first one starts. Returns 0 or -ENOMEM. */
int resolver_new(unsigned budget_ms, struct resolver **ret);

/* Release R. Lookups still running finish in their threads and free what is theirs; their
 * answers are dropped. NULL is accepted. */
void resolver_free(struct resolver *r);

/*
 * The addresses of host NAME (IPv4 and IPv6; every address the name has), as full-length
 * prefixes into OUT (at most MAX), waiting at most until the deadline. Returns the count;
 * 0 when the name has no address; -ETIMEDOUT when the lookup did not finish in time; -ENOMEM.
 * Has the shape of filter_resolve_fn (CTX is the resolver).
 */
int resolver_host_addresses(void *ctx, const char *name, struct tcpt_prefix *out, size_t max);

/* Ask for the name of ADDR (FAMILY AF_INET or AF_INET6, network order): the lookup starts at
 * once in the background unless the address was asked for before. */
void resolver_want(struct resolver *r, int family, const uint8_t addr[16]);

/* Wait, until the deadline at most, for every lookup resolver_want() started. */
void resolver_wait(struct resolver *r);

/* The host name of ADDR, or NULL when it has none, was not asked for or did not answer by
 * the deadline. Valid until resolver_free(). */
const char *resolver_name(struct resolver *r, int family, const uint8_t addr[16]);

/* How many of the addresses asked for had not answered by the deadline. */
size_t resolver_unanswered(struct resolver *r);

/* The service name of TCP port PORT from the services database ("http"), or NULL. Valid
 * until resolver_free(). Local: never waits on the network. */
const char *resolver_service(struct resolver *r, uint16_t port);

#endif
