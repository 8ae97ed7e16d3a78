/* actions.h - what the command does once its options are parsed; each returns the exit
 * status (0, or 1 after saying on stderr what failed). */
#ifndef TCPT_CLI_ACTIONS_H
#define TCPT_CLI_ACTIONS_H

#include "options.h"

/* The table, JSON or CSV of the selected sockets on stdout. */
int action_list(const struct cli_options *o);

/* Counts per state and family, and the kernel's TCP counters. */
int action_summary(const struct cli_options *o);

/* Close the selected connections, after listing them and asking unless --yes. */
int action_kill(const struct cli_options *o);

/* The live full-screen view. */
int action_watch(const struct cli_options *o);

/* When O shows owners or selects rows by them, say on stderr why some may be missing:
 * UNREADABLE processes could not be inspected, GAPS as tcpt_snapshot_owner_gaps(). */
void explain_missing_owners(const struct cli_options *o, size_t unreadable, unsigned gaps);

/* Take the snapshot O asks for, saying on stderr why when it fails, and why owners are
 * missing when they are (explain_missing_owners()). Returns 0 or -1. */
int take_snapshot(const struct cli_options *o, struct tcpt_snapshot **ret);

#endif
