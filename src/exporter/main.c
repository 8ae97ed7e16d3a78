/* main.c - tcptable-exporter: flags, web config, serve until SIGINT or SIGTERM. */
#include "log.h"
#include "options.h"
#include "server.h"
#include "webconfig.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <tcptable.h>

static int fatal(const char *msg, const char *detail)
{
	log_line(LOG_ERROR, msg, "err=\"%s\"", detail);
	return 1;
}

static int serve(const struct options *o, const struct web_config *web)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* blocked before the server's threads start, so that they inherit the mask and only
	 * sigwait() below sees these signals */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct server s;
	char err[512];
	if (server_start(&s, o, web, err, sizeof(err)) < 0)
		return fatal("cannot serve", err);
	log_line(LOG_INFO, "Listening on", "address=%s tls=%s auth=%s", o->listen_address,
		 web->cert_pem ? "true" : "false", web->user_count ? "true" : "false");
	int sig = 0;
	sigwait(&set, &sig);
	log_line(LOG_INFO, "Shutting down", "signal=%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
	server_stop(&s);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	char err[512];
	if (options_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcptable-exporter: %s (see --help)\n", err);
		return 2;
	}
	if (o.help) {
		fputs(options_usage, stdout);
		return 0;
	}
	if (o.version) {
		printf("tcptable-exporter %s\n", tcpt_version());
		return 0;
	}
	log_set_level((enum log_level)o.log_level);
	/* A snapshot's big buffers (the library's, the port tables) are mmapped and go back to
	 * the system after each snapshot instead of staying in the heap; few threads, few
	 * arenas. This keeps RSS near what one snapshot needs. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_ARENA_MAX, 2);
	struct web_config web = {0};
	if (o.web_config_file && web_config_load(o.web_config_file, &web, err, sizeof(err)) < 0) {
		web_config_free(&web);
		return fatal("bad --web.config.file", err);
	}
	log_line(LOG_INFO, "Starting tcptable-exporter", "version=%s", tcpt_version());
	int status = serve(&o, &web);
	web_config_free(&web);
	return status;
}
