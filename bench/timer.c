/*
 * timer - run commands alternately and report each run's wall time and peak RSS.
 *
 * usage: timer SPEC
 * SPEC has one command per line: NAME <TAB> RUNS <TAB> ARGV0 [<TAB> ARG...]. Round r runs,
 * in SPEC order, every command with RUNS > r: A B C A B C ..., so that a burst of load on a
 * shared machine hits all commands alike instead of one command's runs. Each run's stdin,
 * stdout and stderr are /dev/null. After each run one line goes to stdout:
 *   NAME <TAB> ROUND <TAB> WALL_SECONDS <TAB> MAXRSS_KIB <TAB> STATUS <TAB> CPU_SECONDS
 * WALL is from just before posix_spawn() to the return of wait4(), whose rusage gives the
 * child's ru_maxrss and its user + system CPU time. STATUS is the exit code, or 128 + signal.
 * CPU time is reported because on a shared machine wall time also counts the time the child
 * waited for a CPU that others were using.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 64
#define MAX_ARGS 32

extern char **environ;

struct cmd {
	char *name;
	unsigned runs;
	char *argv[MAX_ARGS + 1];
};

/* Split LINE (modified in place) at tabs into CMD. Returns 0, or -1 for a bad line. */
static int parse_line(char *line, struct cmd *c)
{
	char *fields[MAX_ARGS + 2];
	size_t n = 0;
	char *save = NULL;
	for (char *f = strtok_r(line, "\t", &save); f; f = strtok_r(NULL, "\t", &save)) {
		if (n == MAX_ARGS + 2)
			return -1;
		fields[n++] = f;
	}
	if (n < 3)
		return -1;
	c->name = fields[0];
	c->runs = (unsigned)strtoul(fields[1], NULL, 10);
	for (size_t i = 2; i < n; i++)
		c->argv[i - 2] = fields[i];
	c->argv[n - 2] = NULL;
	return 0;
}

/* Read SPEC into CMDS (pointing into *ret_text, to be freed). Returns the count or -1. */
static int read_spec(const char *path, struct cmd *cmds, char **ret_text)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	char *text = NULL;
	size_t size = 0;
	ssize_t len = getdelim(&text, &size, '\0', f);
	fclose(f);
	*ret_text = text;
	if (len < 0)
		return -1;
	int n = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (n == MAX_CMDS || parse_line(l, &cmds[n]) < 0)
			return -1;
		n++;
	}
	return n;
}

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run C once; print its line. Returns 0, or -1 if it could not be started. */
static int run_once(const struct cmd *c, unsigned round, const posix_spawn_file_actions_t *fa)
{
	struct rusage ru;
	int st;
	pid_t pid;
	double t0 = now();
	int r = posix_spawnp(&pid, c->argv[0], fa, NULL, c->argv, environ);
	if (r != 0) {
		fprintf(stderr, "timer: %s: %s\n", c->argv[0], strerror(r));
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	double wall = now() - t0;
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	double cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
	printf("%s\t%u\t%.6f\t%ld\t%d\t%.6f\n", c->name, round, wall, ru.ru_maxrss, status, cpu);
	fflush(stdout);
	return 0;
}

static int run_rounds(const struct cmd *cmds, int n, const posix_spawn_file_actions_t *fa)
{
	unsigned rounds = 0;
	for (int i = 0; i < n; i++)
		rounds = cmds[i].runs > rounds ? cmds[i].runs : rounds;
	for (unsigned r = 0; r < rounds; r++)
		for (int i = 0; i < n; i++)
			if (cmds[i].runs > r && run_once(&cmds[i], r, fa) < 0)
				return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	char *text = NULL;
	if (argc != 2) {
		fprintf(stderr, "usage: timer SPEC\n");
		return 2;
	}
	int n = read_spec(argv[1], cmds, &text);
	if (n < 0) {
		fprintf(stderr, "timer: %s: unreadable or malformed\n", argv[1]);
		free(text);
		return 2;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	for (int fd = 0; fd <= 2; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
	int r = run_rounds(cmds, n, &fa);
	posix_spawn_file_actions_destroy(&fa);
	free(text);
	return r < 0 ? 1 : 0;
}
