/* server.h - HTTP through libmicrohttpd: a thread pool, a connection limit, an idle timeout,
 * TLS and basic auth from the web config, and the routes (/metrics, /, 404, 405). */
#ifndef TCPT_EXPORTER_SERVER_H
#define TCPT_EXPORTER_SERVER_H

#include "collect.h"
#include "options.h"
#include "shared.h"
#include "webconfig.h"

struct MHD_Daemon;

struct server {
	const struct options *opt;
	const struct web_config *web;
	struct collect_config collect;
	struct shared shared;
	struct MHD_Daemon *daemon;
	/* the snapshot counters; written only by the one scrape producing a result */
	uint64_t snapshots;
	uint64_t failures;
	double snapshot_seconds;
};

/*
 * Listen on opt->listen_address and serve until server_stop(). OPT and WEB must outlive the
 * server. Returns 0, or a negative errno with one line in ERR (SIZE bytes).
 */
int server_start(struct server *s, const struct options *opt, const struct web_config *web,
		 char *err, size_t size);

/* Stop serving (connections in progress are closed) and release everything. */
void server_stop(struct server *s);

#endif
