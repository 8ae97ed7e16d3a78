/* resolve.c - a small pool of threads running getaddrinfo(3) and getnameinfo(3).
 *
 * Every lookup is a job in one array, which is also the cache (a hash on the address finds
 * the job of an address asked for before). Workers copy a job's inputs, look up without the
 * lock and store the answer by index, so the array may grow meanwhile. The owner only ever
 * waits until the deadline; a worker still blocked in the resolver after it keeps the pool
 * alive (a reference each) and the last one out frees it. */
#include "resolve.h"
#include "grow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum { MAX_WORKERS = 16 };

enum job_kind { JOB_REVERSE, JOB_FORWARD };

struct job {
	enum job_kind kind;
	bool done;
	int family;
	uint8_t addr[16];
	char *query;               /* forward: the host name */
	char *name;                /* reverse: the answer; NULL when there is none */
	struct tcpt_prefix *addrs; /* forward: the answer */
	int naddrs;                /* forward: how many, or a negative errno */
};

struct resolver {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job was queued, or the owner left */
	pthread_cond_t done; /* a job finished */
	struct job *jobs;
	size_t count, cap;
	size_t next;         /* the first job no worker has taken */
	size_t unfinished;
	size_t *slots;       /* reverse jobs by address: index + 1, 0 empty */
	size_t nslots;       /* a power of two, at least twice the jobs */
	unsigned workers, idle;
	int refs;            /* the owner's and one per worker */
	bool closing;
	unsigned budget_ms;
	bool started;
	struct timespec deadline;
	char **services;     /* by port, once looked up */
	uint8_t *services_known;
};

/* --- the lookups themselves --------------------------------------------------------------- */

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static char *reverse_lookup(int family, const uint8_t addr[16])
{
	struct sockaddr_storage ss = {0};
	socklen_t len;
	if (family == AF_INET6 && memcmp(addr, v4_mapped, 12) != 0) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, family == AF_INET6 ? addr + 12 : addr, 4);
		len = sizeof(*s4);
	}
	char host[NI_MAXHOST];
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0, NI_NAMEREQD))
		return NULL;
	return strdup(host);
}

static bool seen(const struct tcpt_prefix *p, int n, const struct tcpt_prefix *x)
{
	for (int i = 0; i < n; i++)
		if (p[i].family == x->family && memcmp(p[i].addr, x->addr, 16) == 0)
			return true;
	return false;
}

static int forward_lookup(const char *name, struct tcpt_prefix **ret)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	int e = getaddrinfo(name, NULL, &hints, &res);
	if (e == EAI_MEMORY)
		return -ENOMEM;
	if (e)
		return 0;
	int n = 0;
	for (struct addrinfo *a = res; a; a = a->ai_next)
		n++;
	struct tcpt_prefix *out = calloc((size_t)n + 1, sizeof(*out));
	if (!out) {
		freeaddrinfo(res);
		return -ENOMEM;
	}
	int k = 0;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		struct tcpt_prefix p = {.family = (uint8_t)a->ai_family};
		if (a->ai_family == AF_INET) {
			memcpy(p.addr, &((struct sockaddr_in *)a->ai_addr)->sin_addr, 4);
			p.bits = 32;
		} else if (a->ai_family == AF_INET6) {
			memcpy(p.addr, &((struct sockaddr_in6 *)a->ai_addr)->sin6_addr, 16);
			p.bits = 128;
		} else {
			continue;
		}
		if (!seen(out, k, &p))
			out[k++] = p;
	}
	freeaddrinfo(res);
	*ret = out;
	return k;
}

/* --- the pool ----------------------------------------------------------------------------- */

static void destroy(struct resolver *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->jobs[i].query);
		free(r->jobs[i].name);
		free(r->jobs[i].addrs);
	}
	free(r->jobs);
	free(r->slots);
	if (r->services)
		for (size_t p = 0; p < 65536; p++)
			free(r->services[p]);
	free(r->services);
	free(r->services_known);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->work);
	pthread_cond_destroy(&r->done);
	free(r);
}

static void *worker(void *arg)
{
	struct resolver *r = arg;
	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->closing && r->next == r->count) {
			r->idle++;
			pthread_cond_wait(&r->work, &r->lock);
			r->idle--;
		}
		if (r->closing)
			break;
		size_t i = r->next++;
		struct job in = r->jobs[i];
		pthread_mutex_unlock(&r->lock);
		if (in.kind == JOB_REVERSE)
			in.name = reverse_lookup(in.family, in.addr);
		else
			in.naddrs = forward_lookup(in.query, &in.addrs);
		pthread_mutex_lock(&r->lock);
		struct job *j = &r->jobs[i];
		j->name = in.name;
		j->addrs = in.addrs;
		j->naddrs = in.naddrs;
		j->done = true;
		r->unfinished--;
		pthread_cond_broadcast(&r->done);
	}
	bool last = --r->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (last)
		destroy(r);
	return NULL;
}

int resolver_new(unsigned budget_ms, struct resolver **ret)
{
	struct resolver *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->work, NULL);
	pthread_cond_init(&r->done, &ca);
	pthread_condattr_destroy(&ca);
	r->refs = 1;
	r->budget_ms = budget_ms;
	*ret = r;
	return 0;
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->closing = true;
	pthread_cond_broadcast(&r->work);
	bool last = --r->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (last)
		destroy(r);
}

/* With the lock held: the deadline starts with the first lookup. */
static void start_clock(struct resolver *r)
{
	if (r->started)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->deadline);
	r->deadline.tv_sec += r->budget_ms / 1000;
	r->deadline.tv_nsec += (long)(r->budget_ms % 1000) * 1000000L;
	if (r->deadline.tv_nsec >= 1000000000L) {
		r->deadline.tv_sec++;
		r->deadline.tv_nsec -= 1000000000L;
	}
	r->started = true;
}

/* With the lock held: a worker for the queued job, unless one is idle. */
static void wake_worker(struct resolver *r)
{
	if (r->idle) {
		pthread_cond_signal(&r->work);
		return;
	}
	if (r->workers == MAX_WORKERS)
		return;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	if (pthread_create(&t, &attr, worker, r) == 0) {
		r->workers++;
		r->refs++;
	}
	pthread_attr_destroy(&attr);
}

/* With the lock held: append JOB and start it. Returns its index, or -1 without memory. */
static long queue(struct resolver *r, struct job job)
{
	if (grow_array((void **)&r->jobs, &r->cap, r->count + 1, sizeof(*r->jobs)) < 0)
		return -1;
	r->jobs[r->count] = job;
	r->unfinished++;
	start_clock(r);
	wake_worker(r);
	return (long)r->count++;
}

/* With the lock held: wait for job I, or for every job when I is -1, until the deadline. */
static void wait_until_deadline(struct resolver *r, long i)
{
	while (i >= 0 ? !r->jobs[i].done : r->unfinished > 0)
		if (pthread_cond_timedwait(&r->done, &r->lock, &r->deadline) == ETIMEDOUT)
			break;
}

int resolver_host_addresses(void *ctx, const char *name, struct tcpt_prefix *out, size_t max)
{
	struct resolver *r = ctx;
	char *query = strdup(name);
	if (!query)
		return -ENOMEM;
	pthread_mutex_lock(&r->lock);
	long i = queue(r, (struct job){.kind = JOB_FORWARD, .query = query});
	if (i < 0) {
		pthread_mutex_unlock(&r->lock);
		free(query);
		return -ENOMEM;
	}
	wait_until_deadline(r, i);
	const struct job *j = &r->jobs[i];
	int n = !j->done ? -ETIMEDOUT : j->naddrs;
	if (n > 0) {
		n = (size_t)n < max ? n : (int)max;
		memcpy(out, j->addrs, (size_t)n * sizeof(*out));
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

/* --- the cache of reverse lookups --------------------------------------------------------- */

static size_t hash_addr(int family, const uint8_t addr[16])
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)family;
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 1099511628211ULL;
	return (size_t)h;
}

static size_t *find_slot(struct resolver *r, int family, const uint8_t addr[16])
{
	size_t mask = r->nslots - 1;
	for (size_t s = hash_addr(family, addr) & mask;; s = (s + 1) & mask) {
		size_t k = r->slots[s];
		if (!k)
			return &r->slots[s];
		const struct job *j = &r->jobs[k - 1];
		if (j->family == family && memcmp(j->addr, addr, 16) == 0)
			return &r->slots[s];
	}
}

static bool grow_slots(struct resolver *r)
{
	if (r->nslots >= 2 * (r->count + 1))
		return true;
	size_t n = r->nslots ? r->nslots * 2 : 128;
	size_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	size_t *old = r->slots;
	r->slots = slots;
	r->nslots = n;
	for (size_t i = 0; i < r->count; i++)
		if (r->jobs[i].kind == JOB_REVERSE)
			*find_slot(r, r->jobs[i].family, r->jobs[i].addr) = i + 1;
	free(old);
	return true;
}

void resolver_want(struct resolver *r, int family, const uint8_t addr[16])
{
	pthread_mutex_lock(&r->lock);
	if (grow_slots(r)) {
		size_t *slot = find_slot(r, family, addr);
		if (!*slot) {
			struct job j = {.kind = JOB_REVERSE, .family = family};
			memcpy(j.addr, addr, 16);
			long i = queue(r, j);
			if (i >= 0)
				*slot = (size_t)i + 1;
		}
	}
	pthread_mutex_unlock(&r->lock);
}

void resolver_wait(struct resolver *r)
{
	pthread_mutex_lock(&r->lock);
	wait_until_deadline(r, -1);
	pthread_mutex_unlock(&r->lock);
}

const char *resolver_name(struct resolver *r, int family, const uint8_t addr[16])
{
	const char *name = NULL;
	pthread_mutex_lock(&r->lock);
	if (r->nslots) {
		size_t k = *find_slot(r, family, addr);
		if (k && r->jobs[k - 1].done)
			name = r->jobs[k - 1].name;
	}
	pthread_mutex_unlock(&r->lock);
	return name;
}

size_t resolver_unanswered(struct resolver *r)
{
	size_t n = 0;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->count; i++)
		n += r->jobs[i].kind == JOB_REVERSE && !r->jobs[i].done;
	pthread_mutex_unlock(&r->lock);
	return n;
}

const char *resolver_service(struct resolver *r, uint16_t port)
{
	if (!r->services) {
		r->services = calloc(65536, sizeof(*r->services));
		r->services_known = calloc(65536 / 8, 1);
		if (!r->services || !r->services_known) {
			free(r->services);
			free(r->services_known);
			r->services = NULL;
			r->services_known = NULL;
			return NULL;
		}
	}
	if (!(r->services_known[port / 8] & (1u << (port % 8)))) {
		struct servent se, *found = NULL;
		char buf[1024];
		if (getservbyport_r(htons(port), "tcp", &se, buf, sizeof(buf), &found) == 0 &&
		    found)
			r->services[port] = strdup(found->s_name);
		r->services_known[port / 8] |= (uint8_t)(1u << (port % 8));
	}
	return r->services[port];
}
