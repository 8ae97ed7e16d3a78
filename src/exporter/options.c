/* options.c - flags parsed without globals: --name=value or --name value. */
#include "options.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char options_usage[] =
	"usage: tcptable-exporter [flags]\n"
	"Serve the host's connections as Prometheus metrics.\n"
	"\n"
	"  --web.listen-address=ADDR   where to listen: [HOST]:PORT (default \":10120\")\n"
	"  --web.telemetry-path=PATH   path of the metrics (default \"/metrics\")\n"
	"  --web.config.file=FILE      TLS and basic auth, in exporter-toolkit's format\n"
	"  --web.max-connections=N     connections served at once (default 512)\n"
	"  --web.threads=N             threads serving connections (default 4)\n"
	"  --web.timeout=DURATION      idle connections are closed after it (default 10s)\n"
	"  --scrape.min-interval=DURATION\n"
	"                              scrapes closer together share a snapshot (default 1s)\n"
	"  --metrics.top-k=N           series kept per metric before \"other\" (default 100)\n"
	"  --[no-]collector.processes  owners and process names (default on)\n"
	"  --[no-]collector.udp        UDP sockets and counters (default on)\n"
	"  --netns=NAME                a namespace under /run/netns, or a path (repeatable)\n"
	"  --all-netns                 every network namespace of the host\n"
	"  --log.level=LEVEL           debug, info, warn or error (default info)\n"
	"  --log.format=logfmt         the only format\n"
	"  --version, -h/--help\n";

int64_t options_duration(const char *s)
{
	if (strcmp(s, "0") == 0)
		return 0;
	static const struct {
		const char *unit;
		int64_t ns;
	} units[] = { { "ms", 1000000 }, { "s", 1000000000 }, { "m", 60000000000 },
		      { "h", 3600000000000 } };
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0 || s[0] == '-' || s[0] == '+')
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0)
			return v > INT64_MAX / units[i].ns ? -1 : v * units[i].ns;
	return -1;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return -1;
	*ret = v;
	return 0;
}

enum kind { K_STRING, K_UINT, K_DURATION, K_FLAG, K_LEVEL };

struct flag {
	const char *name;
	enum kind kind;
	size_t offset;   /* into struct options */
	unsigned long min, max;
};

#define OPT(f) offsetof(struct options, f)
static const struct flag flags[] = {
	{ "web.listen-address", K_STRING, OPT(listen_address), 0, 0 },
	{ "web.telemetry-path", K_STRING, OPT(telemetry_path), 0, 0 },
	{ "web.config.file", K_STRING, OPT(web_config_file), 0, 0 },
	{ "web.max-connections", K_UINT, OPT(max_connections), 1, 65536 },
	{ "web.threads", K_UINT, OPT(threads), 1, 256 },
	{ "web.timeout", K_DURATION, OPT(timeout_s), 1, 3600 },
	{ "scrape.min-interval", K_DURATION, OPT(min_interval_ns), 0, 0 },
	{ "metrics.top-k", K_UINT, OPT(top_k), 1, 100000 },
	{ "log.level", K_LEVEL, OPT(log_level), 0, 0 },
};

static int set_value(const struct flag *f, const char *v, struct options *o, char *err,
		     size_t size)
{
	char *base = (char *)o + f->offset;
	unsigned long n;
	int64_t d;
	switch (f->kind) {
	case K_STRING:
		*(const char **)(void *)base = v;
		return 0;
	case K_UINT:
		if (parse_uint(v, f->max, &n) < 0 || n < f->min)
			break;
		if (f->offset == OPT(top_k))
			o->top_k = n;
		else
			*(unsigned *)(void *)base = (unsigned)n;
		return 0;
	case K_DURATION:
		d = options_duration(v);
		if (d < 0)
			break;
		if (f->offset == OPT(timeout_s)) {
			if (d < 1000000000 || d > 3600000000000)
				break;
			o->timeout_s = (unsigned)(d / 1000000000);
		} else {
			o->min_interval_ns = d;
		}
		return 0;
	case K_LEVEL:
		if (log_level_from_name(v) < 0)
			break;
		o->log_level = log_level_from_name(v);
		return 0;
	case K_FLAG:
		return 0;
	}
	snprintf(err, size, "invalid value '%s' for --%s", v, f->name);
	return -EINVAL;
}

static void defaults(struct options *o)
{
	*o = (struct options){
		.listen_address = ":10120",
		.telemetry_path = "/metrics",
		.max_connections = 512,
		.threads = 4,
		.timeout_s = 10,
		.min_interval_ns = 1000000000,
		.top_k = 100,
		.processes = true,
		.udp = true,
		.log_level = LOG_INFO,
	};
}

/* Flags without a value. Returns 1 when NAME was one, 0 when not, -EINVAL on misuse. */
static int switch_flag(const char *name, const char *value, struct options *o)
{
	bool *target = NULL;
	bool on = true;
	if (strcmp(name, "collector.processes") == 0) {
		target = &o->processes;
	} else if (strcmp(name, "no-collector.processes") == 0) {
		target = &o->processes;
		on = false;
	} else if (strcmp(name, "collector.udp") == 0) {
		target = &o->udp;
	} else if (strcmp(name, "no-collector.udp") == 0) {
		target = &o->udp;
		on = false;
	} else if (strcmp(name, "all-netns") == 0) {
		target = &o->all_netns;
	} else if (strcmp(name, "help") == 0) {
		target = &o->help;
	} else if (strcmp(name, "version") == 0) {
		target = &o->version;
	} else {
		return 0;
	}
	if (value)
		return -EINVAL;
	*target = on;
	return 1;
}

static int value_flag(const char *name, const char *value, struct options *o, char *err,
		      size_t size)
{
	if (strcmp(name, "netns") == 0) {
		if (o->netns_count == EXPORTER_MAX_NETNS || !*value) {
			snprintf(err, size, "--netns: empty, or more than %d", EXPORTER_MAX_NETNS);
			return -EINVAL;
		}
		o->netns[o->netns_count++] = value;
		return 0;
	}
	if (strcmp(name, "log.format") == 0) {
		if (strcmp(value, "logfmt") == 0)
			return 0;
		snprintf(err, size, "--log.format: only logfmt is supported");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(name, flags[i].name) == 0)
			return set_value(&flags[i], value, o, err, size);
	snprintf(err, size, "unknown flag --%s", name);
	return -EINVAL;
}

static bool known_value_flag(const char *name)
{
	if (strcmp(name, "netns") == 0 || strcmp(name, "log.format") == 0)
		return true;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(name, flags[i].name) == 0)
			return true;
	return false;
}

static int check(struct options *o, char *err, size_t size)
{
	if (o->telemetry_path[0] != '/') {
		snprintf(err, size, "--web.telemetry-path must start with '/'");
		return -EINVAL;
	}
	if (o->all_netns && o->netns_count) {
		snprintf(err, size, "--netns and --all-netns exclude each other");
		return -EINVAL;
	}
	return 0;
}

int options_parse(int argc, char **argv, struct options *o, char *err, size_t size)
{
	defaults(o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0) {
			o->help = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || !a[2]) {
			snprintf(err, size, "unexpected argument '%s'", a);
			return -EINVAL;
		}
		char name[64];
		const char *eq = strchr(a + 2, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (len >= sizeof(name)) {
			snprintf(err, size, "unknown flag %s", a);
			return -EINVAL;
		}
		memcpy(name, a + 2, len);
		name[len] = '\0';
		int r = switch_flag(name, eq ? eq + 1 : NULL, o);
		if (r < 0) {
			snprintf(err, size, "--%s takes no value", name);
			return r;
		}
		if (r)
			continue;
		const char *value = eq ? eq + 1 : NULL;
		if (!known_value_flag(name)) {
			snprintf(err, size, "unknown flag --%s", name);
			return -EINVAL;
		}
		if (!value) {
			if (i + 1 >= argc) {
				snprintf(err, size, "--%s needs a value", name);
				return -EINVAL;
			}
			value = argv[++i];
		}
		r = value_flag(name, value, o, err, size);
		if (r < 0)
			return r;
	}
	return check(o, err, size);
}
