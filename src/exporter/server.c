/* server.c - libmicrohttpd set up, the request handler, results as shared responses. */
#include "server.h"

#include "accept.h"
#include "auth.h"
#include "listen.h"
#include "log.h"
#include "metrics.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A finished snapshot, as one response per format (MHD counts their users itself). */
struct scrape_result {
	struct result base;
	struct MHD_Response *resp[EXPO_FORMATS];
	unsigned status;
};

static void destroy_result(struct result *r)
{
	struct scrape_result *s = (struct scrape_result *)r;
	for (int f = 0; f < EXPO_FORMATS; f++)
		if (s->resp[f])
			MHD_destroy_response(s->resp[f]);
	free(s);
}

static struct MHD_Response *text_response(char *text, size_t len, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, text,
										     free);
	if (!r) {
		free(text);
		return NULL;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return r;
}

static struct MHD_Response *static_response(const char *text, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return r;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int render_all(struct server *s, struct aggregate *a, struct exporter_meta *meta,
		      struct scrape_result *res)
{
	for (int f = 0; f < EXPO_FORMATS; f++) {
		struct sbuf text;
		if (metrics_render(a, meta, s->opt->top_k, (enum expo_format)f, &text) < 0)
			return -ENOMEM;
		res->resp[f] = text_response(text.data, text.len,
					     expo_content_type((enum expo_format)f));
		if (!res->resp[f])
			return -ENOMEM;
	}
	return 0;
}

static int fail_all(struct scrape_result *res, int err)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "snapshot failed: %s\n", tcpt_strerror(err));
	for (int f = 0; f < EXPO_FORMATS; f++) {
		char *copy = strdup(msg);
		res->resp[f] = copy ? text_response(copy, strlen(copy), "text/plain; charset=utf-8")
				    : NULL;
		if (!res->resp[f])
			return -ENOMEM;
	}
	res->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	return 0;
}

/* The one scrape that takes the snapshot runs this (see shared.h). */
static struct result *produce(void *ctx)
{
	struct server *s = ctx;
	struct scrape_result *res = calloc(1, sizeof(*res));
	if (!res)
		return NULL;
	res->base.refs = 1;
	res->base.destroy = destroy_result;
	res->status = MHD_HTTP_OK;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct aggregate a;
	int r = collect(&s->collect, &a);
	struct exporter_meta meta = { .duration_s = seconds_since(&t0) };
	s->snapshots++;
	s->snapshot_seconds += meta.duration_s;
	if (r < 0)
		s->failures++;
	meta.snapshots = s->snapshots;
	meta.snapshot_seconds = s->snapshot_seconds;
	meta.failures = s->failures;
	if (r < 0) {
		log_line(LOG_ERROR, "snapshot failed", "err=\"%s\"", tcpt_strerror(r));
		r = fail_all(res, r);
	} else {
		r = render_all(s, &a, &meta, res);
		log_line(LOG_DEBUG, "snapshot", "sockets=%zu duration_seconds=%.6f", a.rows,
			 meta.duration_s);
	}
	aggregate_free(&a);
	if (r < 0) {
		destroy_result(&res->base);
		return NULL;
	}
	return &res->base;
}

static enum MHD_Result queue_static(struct MHD_Connection *c, unsigned status,
				    const char *text, const char *allow)
{
	struct MHD_Response *r = static_response(text, "text/plain; charset=utf-8");
	if (!r)
		return MHD_NO;
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static bool authorized(struct server *s, struct MHD_Connection *c)
{
	if (!s->web->user_count)
		return true;
	char *pass = NULL;
	char *user = MHD_basic_auth_get_username_password(c, &pass);
	bool ok = auth_check(s->web, user, pass);
	if (user)
		MHD_free(user);
	if (pass)
		MHD_free(pass);
	return ok;
}

static enum MHD_Result queue_unauthorized(struct MHD_Connection *c)
{
	struct MHD_Response *r = static_response("Unauthorized\n", "text/plain; charset=utf-8");
	if (!r)
		return MHD_NO;
	enum MHD_Result ok = MHD_queue_basic_auth_fail_response(c, "tcptable-exporter", r);
	MHD_destroy_response(r);
	return ok;
}

static const char landing[] =
	"<html><head><title>tcptable exporter</title></head><body>"
	"<h1>tcptable exporter</h1><p><a href=\"%s\">Metrics</a></p></body></html>\n";

static enum MHD_Result queue_landing(struct server *s, struct MHD_Connection *c)
{
	size_t len = sizeof(landing) + strlen(s->opt->telemetry_path);
	char *html = malloc(len);
	if (!html)
		return MHD_NO;
	snprintf(html, len, landing, s->opt->telemetry_path);
	struct MHD_Response *r = text_response(html, strlen(html), "text/html; charset=utf-8");
	if (!r)
		return MHD_NO;
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

/* One request's state, from its first call to the completion notice. */
struct request {
	struct waiter w;          /* first: the waiter is the request */
	struct MHD_Connection *c;
	struct scrape_result *res;
	bool waited;              /* on_result() ran: res is this request's answer */
};

/* From the snapshot thread (or at once): the answer is there; wake the connection. */
static void on_result(struct waiter *w, struct result *r)
{
	struct request *q = (struct request *)w;
	q->res = (struct scrape_result *)r;
	q->waited = true;
	MHD_resume_connection(q->c);
}

static enum MHD_Result queue_result(struct MHD_Connection *c, struct request *q,
				    struct scrape_result *res)
{
	if (!res)
		return queue_static(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no snapshot\n", NULL);
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);
	enum MHD_Result ok = MHD_queue_response(c, res->status, res->resp[accept_format(accept)]);
	result_unref(&res->base);
	if (q->res == res)
		q->res = NULL;
	return ok;
}

/* Answer from a result at hand, or park the connection until the next snapshot. */
static enum MHD_Result queue_metrics(struct server *s, struct MHD_Connection *c,
				     struct request *q)
{
	if (q->waited)
		return queue_result(c, q, q->res);
	struct scrape_result *res = (struct scrape_result *)shared_try(&s->shared);
	if (res)
		return queue_result(c, q, res);
	q->c = c;
	q->w.fn = on_result;
	MHD_suspend_connection(c);
	shared_wait(&s->shared, &q->w);
	return MHD_YES;
}

static void request_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			      enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	struct request *q = *req_cls;
	if (q) {
		result_unref(q->res ? &q->res->base : NULL);
		free(q);
		*req_cls = NULL;
	}
}

static bool is_get_or_head(const char *method)
{
	return strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req_cls)
{
	(void)version;
	(void)upload;
	struct server *s = cls;
	struct request *q = *req_cls;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		*req_cls = q;
		if (is_get_or_head(method))
			return MHD_YES; /* the headers are in; answer on the next call */
	} else if (*upload_size) {
		*upload_size = 0; /* a body after GET is read and dropped */
		return MHD_YES;
	}
	if (q->waited)
		return queue_metrics(s, c, q);
	log_line(LOG_DEBUG, "request", "method=%s path=\"%s\"", method, url);
	if (!authorized(s, c))
		return queue_unauthorized(c);
	/* other methods are answered before their body is read (MHD then closes) */
	if (!is_get_or_head(method))
		return queue_static(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed\n",
				    "GET, HEAD");
	if (strcmp(url, s->opt->telemetry_path) == 0)
		return queue_metrics(s, c, q);
	if (strcmp(url, "/") == 0)
		return queue_landing(s, c);
	return queue_static(c, MHD_HTTP_NOT_FOUND, "Not Found\n", NULL);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '"'))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++)
		if (*p == '"')
			*p = '\'';
	log_line(LOG_DEBUG, "http", "detail=\"%s\"", msg);
}

static int start_daemon(struct server *s, int fd, char *err, size_t size)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	const struct web_config *w = s->web;
	if (w->cert_pem)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, w->cert_pem },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, w->key_pem },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)w->priorities },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_OptionItem none[] = { { MHD_OPTION_END, 0, NULL } };
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
		MHD_OPTION_THREAD_POOL_SIZE, s->opt->threads,
		MHD_OPTION_CONNECTION_LIMIT, s->opt->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, s->opt->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
		MHD_OPTION_ARRAY, w->cert_pem ? tls : none,
		MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, size, "the HTTP server did not start (%s)",
			 w->cert_pem ? "check the certificate and key" : "libmicrohttpd refused");
		return -EINVAL;
	}
	return 0;
}

int server_start(struct server *s, const struct options *opt, const struct web_config *web,
		 char *err, size_t size)
{
	*s = (struct server){
		.opt = opt, .web = web,
		.collect = { .netns = opt->netns, .netns_count = opt->netns_count,
			     .all_netns = opt->all_netns, .processes = opt->processes,
			     .udp = opt->udp, .top_k = opt->top_k },
	};
	if (web->cert_pem && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		snprintf(err, size, "this libmicrohttpd was built without TLS");
		return -ENOTSUP;
	}
	int r = tcpt_context_new(&s->collect.context);
	if (r == 0)
		r = shared_start(&s->shared, opt->min_interval_ns, produce, s);
	if (r < 0) {
		tcpt_context_free(s->collect.context);
		s->collect.context = NULL;
		snprintf(err, size, "%s", strerror(-r));
		return r;
	}
	int fd = listen_on(opt->listen_address, err, size);
	if (fd >= 0) {
		r = start_daemon(s, fd, err, size);
		if (r < 0)
			close(fd);
	}
	if (fd < 0 || r < 0) {
		shared_stop(&s->shared);
		shared_destroy(&s->shared);
		tcpt_context_free(s->collect.context);
		s->collect.context = NULL;
	}
	return fd < 0 ? fd : r;
}

void server_stop(struct server *s)
{
	if (!s->daemon)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	/* suspended connections must be resumed before the daemon stops: stopping the snapshot
	 * thread answers them (503), and any later scrape at once */
	shared_stop(&s->shared);
	MHD_stop_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	s->daemon = NULL;
	shared_destroy(&s->shared);
	tcpt_context_free(s->collect.context); /* the snapshot thread, its user, is gone */
	s->collect.context = NULL;
}
