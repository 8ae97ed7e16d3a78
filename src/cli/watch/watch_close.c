/* watch_close.c - 'k' in the live view: close the selected connection after a y/n. */
#include <errno.h>
#include <stdio.h>

#include "endpoint.h"
#include "watch_session.h"

static void say(struct watch_session *s, const char *text)
{
	snprintf(s->ui.status, sizeof(s->ui.status), "%s", text);
}

/* "tcp 127.0.0.1:80 -> 127.0.0.1:41234 ESTABLISHED" */
static void describe(struct watch_session *s, const struct tcpt_conn *r, char *out,
		     size_t size)
{
	char local[ENDPOINT_MAX], remote[ENDPOINT_MAX];
	endpoint_format(r, true, &s->view.ifnames, local);
	endpoint_format(r, false, &s->view.ifnames, remote);
	snprintf(out, size, "%s %s -> %s %s", view_proto_name(r), local, remote,
		 tcpt_conn_state_name(r));
}

void watch_session_ask_kill(struct watch_session *s)
{
	const struct watch_line *l = watch_session_selected(s);
	if (!l) {
		say(s, "no connection selected");
		return;
	}
	if (l->mark == WATCH_CLOSED) {
		say(s, "that connection has already closed");
		return;
	}
	if (l->row->protocol == TCPT_PROTO_NUMBER_UDP) {
		say(s, "only TCP connections can be closed, not UDP sockets");
		return;
	}
	/* SOCK_DESTROY acts in the caller's namespace; --all-netns shows others too */
	if (s->opts->all_netns && l->row->netns != s->own_netns) {
		say(s, "only connections of tcptable's own network namespace can be closed "
		       "(use --netns)");
		return;
	}
	/* a listener is a service, not a connection: closing it needs the intent of -l */
	if (l->row->state == TCPT_LISTEN && !s->opts->listening) {
		say(s, "k closes connections, not listeners (start the view with -l to close "
		       "listeners)");
		return;
	}
	char what[3 * ENDPOINT_MAX], question[WATCH_STATUS_MAX];
	describe(s, l->row, what, sizeof(what));
	if (l->process[0])
		snprintf(question, sizeof(question), "Close %s of %.*s? (y/n)", what, 200,
			 l->process);
	else
		snprintf(question, sizeof(question), "Close %s? (y/n)", what);
	watch_ui_confirm(&s->ui, l->row, question);
}

static const char *why_not(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES: return "needs CAP_NET_ADMIN (run as root)";
	case -ENOENT: return "it has already closed";
	case -EOPNOTSUPP: return "the kernel was built without CONFIG_INET_DIAG_DESTROY";
	default: return tcpt_strerror(err);
	}
}

void watch_session_kill(struct watch_session *s)
{
	char what[3 * ENDPOINT_MAX];
	describe(s, &s->ui.target, what, sizeof(what));
	int r = tcpt_conn_destroy(&s->ui.target);
	if (r == 0)
		snprintf(s->ui.status, sizeof(s->ui.status), "closed %s", what);
	else
		snprintf(s->ui.status, sizeof(s->ui.status), "cannot close %s: %s", what,
			 why_not(r));
}
