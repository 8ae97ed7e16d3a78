/* wsock.h - sockets for the win32 tests, behind plain C types: the tests include the Windows
 * headers, which replace the Linux socket headers, so the sockets are made in wsock.c. */
#ifndef TCPT_TEST_WSOCK_H
#define TCPT_TEST_WSOCK_H

#include <stdbool.h>
#include <stdint.h>

/* A listening socket on ADDR (text, IPv4 or IPv6) and PORT (0: any); IP_FREEBIND lets a test
 * listen on an address the namespace does not have. *ret_port gets the port. Fails the
 * test on error. Returns the fd. */
int wsock_listen(const char *addr, uint16_t port, uint16_t *ret_port);

/* The same, bound to device DEV (SO_BINDTODEVICE) before binding. */
int wsock_listen_dev(const char *addr, const char *dev, uint16_t *ret_port);

/* Connect to ADDR:PORT; *ret_port gets the local port. Returns the fd. */
int wsock_connect(const char *addr, uint16_t port, uint16_t *ret_port);

/* accept() on a listener. Returns the fd. */
int wsock_accept(int lfd);

/* An established pair to ADDR's listener LFD: the client fd in *ret_client, the server's in
 * *ret_server, the client's port in *ret_port. */
void wsock_pair(int lfd, const char *addr, uint16_t port, int *ret_client, int *ret_server,
		uint16_t *ret_port);

/* Fresh private network namespace for one test (lo up). Skips or fails per CI. */
void wsock_fresh_netns(void);

/* For the group setup: remember whether namespaces work here. */
int wsock_group_setup(void **state);

/* Wait up to a second for the socket FD to see an error; returns the errno it got, 0 if none. */
int wsock_wait_error(int fd);

/* Drop CAP_NET_ADMIN from the calling thread's effective set. */
void wsock_drop_net_admin(void);

/* A UDP socket bound to ADDR:PORT (0: any port; IPv6 sockets v6-only, IP_FREEBIND), to
 * device DEV first when not NULL, connected to PEER:PEER_PORT when PEER is not NULL.
 * *ret_port (may be NULL) gets the local port. Fails the test on error. Returns the fd. */
int wsock_udp(const char *addr, const char *dev, uint16_t port, const char *peer,
	      uint16_t peer_port, uint16_t *ret_port);

/* A dual-stack UDP socket bound to [::]:any. */
int wsock_udp_dual(uint16_t *ret_port);

/* Network-order bytes of the text address ADDR (4 or 16) into OUT. */
void wsock_addr(const char *addr, uint8_t *out);

void wsock_close(int fd);

#endif
