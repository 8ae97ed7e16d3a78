/* watch.c - -w/--watch: the live full-screen view. This file owns the terminal and the
 * loop: wait in poll(2) for a key, a destroy notification or the next refresh, then let the
 * session and the screen do the rest. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "watch_screen.h"
#include "watch_session.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGINT/SIGTERM end the loop, so the terminal is restored; without SA_RESTART poll(2)
 * returns EINTR at once. */
static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct loop {
	struct watch_session s;
	bool dirty; /* something on screen changed */
	bool quit;
};

static void run_command(struct loop *l, enum watch_cmd cmd)
{
	struct watch_session *s = &l->s;
	switch (cmd) {
	case CMD_QUIT: l->quit = true; return;
	case CMD_REARRANGE: watch_session_rearrange(s); break;
	case CMD_REFRESH: watch_session_settings(s, true); break;
	case CMD_SETTINGS: watch_session_settings(s, false); break;
	case CMD_ASK_KILL: watch_session_ask_kill(s); break;
	case CMD_KILL:
		watch_session_kill(s);
		if (!s->ui.paused) /* show the connection go at once */
			watch_session_settings(s, true);
		break;
	case CMD_PROC_FILTER: watch_session_proc_filter(s); break;
	case CMD_REDRAW:
	case CMD_NONE:
	default: break;
	}
	l->dirty = l->dirty || cmd != CMD_NONE;
}

static void read_keys(struct loop *l)
{
	int key;
	while (!l->quit && (key = watch_screen_key()) >= 0) {
		struct watch_session *s = &l->s;
		size_t page = watch_screen_page();
		watch_ui_clamp(&s->ui, s->frame->table.shown, page);
		s->selection_gone = false; /* a key chose what to look at again */
		run_command(l, watch_ui_key(&s->ui, key, s->frame->table.shown, page));
	}
}

/* Wait for a key or the worker's next frame. Returns -1 when the terminal is gone or a stop
 * signal came. */
static int wait_for_something(struct loop *l)
{
	struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
			      {.fd = watch_session_fd(&l->s), .events = POLLIN}};
	int r = poll(p, 2, -1);
	if (stop_requested)
		return -1;
	if (r < 0)
		return errno == EINTR ? 0 : -1; /* EINTR: SIGWINCH, curses queues KEY_RESIZE */
	if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		return -1;
	if ((p[1].revents & POLLIN) && watch_session_update(&l->s))
		l->dirty = true;
	return 0;
}

static void draw(struct loop *l)
{
	struct watch_session *s = &l->s;
	watch_ui_clamp(&s->ui, s->frame->table.shown, watch_screen_page());
	watch_screen_draw(s);
	l->dirty = false;
}

static void run(struct loop *l)
{
	l->dirty = true;
	while (!l->quit) {
		if (l->dirty)
			draw(l);
		if (wait_for_something(l) < 0)
			return;
		read_keys(l);
	}
}

int action_watch(const struct cli_options *o)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "tcptable: --watch needs a terminal\n");
		return 1;
	}
	static struct loop l; /* static: the session is large, and there is one loop */
	memset(&l, 0, sizeof(l));
	int status = 1;
	if (watch_session_init(&l.s, o) == 0 && watch_screen_open() == 0) {
		catch_stop_signals();
		run(&l);
		watch_screen_close();
		status = 0;
	}
	watch_session_free(&l.s);
	return status;
}
