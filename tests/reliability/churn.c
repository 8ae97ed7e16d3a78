/* churn.c - see churn.h. Most closes are aborts (SO_LINGER 0) so that TIME-WAIT does not use
 * up the ports; every 128th is orderly, leaving FIN-WAIT and TIME-WAIT rows behind. */
#include "churn.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rel.h"

#define MAX_CLIENTS 8

static atomic_bool stop;
static atomic_ulong opened;
static int listeners[2];
static pthread_t threads[2 + MAX_CLIENTS];
static int nthreads;
static struct timespec started;

static void sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, value, strlen(value));
		close(fd);
	}
}

static void *acceptor(void *arg)
{
	int l = *(int *)arg;
	while (!atomic_load(&stop)) {
		int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (s >= 0)
			close(s);
	}
	return NULL;
}

static void *client(void *arg)
{
	(void)arg;
	for (unsigned long i = 0; !atomic_load(&stop); i++) {
		int c = rel_connect(listeners[i & 1]);
		if (c < 0)
			continue;
		if (i % 128) {
			struct linger lg = {1, 0};
			setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		}
		close(c);
		atomic_fetch_add(&opened, 1);
	}
	return NULL;
}

int churn_start(int clients)
{
	sysctl("/proc/sys/net/ipv4/ip_local_port_range", "1024 65000");
	sysctl("/proc/sys/net/ipv4/tcp_tw_reuse", "1");
	listeners[0] = rel_listen(AF_INET, "127.0.0.1", 0);
	listeners[1] = rel_listen(AF_INET6, "::1", 0);
	if (listeners[0] < 0 || listeners[1] < 0)
		return -1;
	atomic_store(&stop, false);
	atomic_store(&opened, 0);
	clock_gettime(CLOCK_MONOTONIC, &started);
	nthreads = 0;
	for (int i = 0; i < 2; i++)
		if (pthread_create(&threads[nthreads], NULL, acceptor, &listeners[i]) == 0)
			nthreads++;
	for (int i = 0; i < clients && i < MAX_CLIENTS; i++)
		if (pthread_create(&threads[nthreads], NULL, client, NULL) == 0)
			nthreads++;
	return nthreads == 2 + (clients < MAX_CLIENTS ? clients : MAX_CLIENTS) ? 0 : -1;
}

void churn_stop(unsigned long *ret_connections, double *ret_seconds)
{
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++)
		shutdown(listeners[i], SHUT_RDWR);
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < 2; i++)
		close(listeners[i]);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	*ret_seconds = (double)(now.tv_sec - started.tv_sec) +
		       (double)(now.tv_nsec - started.tv_nsec) / 1e9;
	*ret_connections = atomic_load(&opened);
}
