/* expo.h - the two exposition formats: Prometheus text 0.0.4 and OpenMetrics 1.0.0.
 *
 * The formats differ in how a counter is named: a counter family "x" is announced as
 * "x_total" in the text format and as "x" in OpenMetrics (its samples are "x_total" in both).
 * OpenMetrics ends with "# EOF". Info-like metrics ("x_info", value 1) are gauges in both, as
 * the text format has no info type (and promtool's parser rejects OpenMetrics' one). */
#ifndef TCPT_EXPORTER_EXPO_H
#define TCPT_EXPORTER_EXPO_H

#include "sbuf.h"

#include <stddef.h>
#include <stdint.h>

enum expo_format { EXPO_TEXT = 0, EXPO_OPENMETRICS = 1, EXPO_FORMATS = 2 };
enum expo_type { EXPO_GAUGE, EXPO_COUNTER };

struct expo_label {
	const char *name;
	const char *value; /* any bytes; escaped here as the format requires (\\, \", \n) */
};

struct expo {
	struct sbuf out;
	enum expo_format format;
	const char *family; /* the current family's name, set by expo_family() */
	enum expo_type type;
};

/* The Content-Type of FORMAT. */
const char *expo_content_type(enum expo_format format);

/* Start a family: its HELP and TYPE lines. NAME and HELP are constants of ours. */
void expo_family(struct expo *e, const char *name, enum expo_type type, const char *help);

/* One sample of the current family with N labels and an integer / a real value. */
void expo_sample_u(struct expo *e, const struct expo_label *labels, size_t n, uint64_t value);
void expo_sample_d(struct expo *e, const struct expo_label *labels, size_t n, double value);

/* End the exposition (OpenMetrics: "# EOF"). */
void expo_finish(struct expo *e);

#endif
