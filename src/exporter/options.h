/* options.h - the exporter's flags, in Prometheus's spelling (--web.listen-address=...). */
#ifndef TCPT_EXPORTER_OPTIONS_H
#define TCPT_EXPORTER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXPORTER_DEFAULT_PORT 10120
#define EXPORTER_MAX_NETNS 64

struct options {
	const char *listen_address;  /* --web.listen-address, ":10120" */
	const char *telemetry_path;  /* --web.telemetry-path, "/metrics" */
	const char *web_config_file; /* --web.config.file, NULL: plain HTTP, no auth */
	unsigned max_connections;    /* --web.max-connections */
	unsigned threads;            /* --web.threads */
	unsigned timeout_s;          /* --web.timeout: idle connections are closed after it */
	int64_t min_interval_ns;     /* --scrape.min-interval */
	size_t top_k;                /* --metrics.top-k */
	bool processes;              /* --[no-]collector.processes */
	bool udp;                    /* --[no-]collector.udp */
	bool all_netns;              /* --all-netns */
	const char *netns[EXPORTER_MAX_NETNS]; /* --netns, repeatable */
	size_t netns_count;
	int log_level;               /* --log.level */
	bool help, version;
};

/*
 * Parse ARGV into *ret (defaults first). On a bad flag, writes one line to ERR_MSG (SIZE
 * bytes) and returns -EINVAL; otherwise 0. ARGV strings are referenced, not copied.
 */
int options_parse(int argc, char **argv, struct options *ret, char *err_msg, size_t size);

/* A duration in Prometheus's spelling ("500ms", "1s", "2m", "1h", "0") in nanoseconds, or
 * -1 when S is not one. */
int64_t options_duration(const char *s);

/* The --help text. */
extern const char options_usage[];

#endif
