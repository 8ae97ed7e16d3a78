/* log.h - one line per event on stderr, in the logfmt Prometheus's own programs write. */
#ifndef TCPT_EXPORTER_LOG_H
#define TCPT_EXPORTER_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

/* Lines below LEVEL are dropped from now on (set once, before any thread starts). */
void log_set_level(enum log_level level);

/* The level named NAME ("debug", "info", "warn", "error"); -1 for another name. */
int log_level_from_name(const char *name);

/* Write `ts=... level=LEVEL msg="MSG" KEY=VALUE...`: FMT formats the key=value pairs (may be
 * NULL). Safe from any thread; one write(2) per line. */
void log_line(enum log_level level, const char *msg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
