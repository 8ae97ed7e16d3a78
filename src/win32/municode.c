/*
 * municode.c - libiphlpapi-municode: the `main` of a program whose entry point is wmain, as
 * mingw-w64's -municode provides. It converts the arguments and the environment from UTF-8
 * to wide strings (invalid bytes become U+FFFD) and returns what wmain returns.
 * Link: cc prog.c $(pkg-config --cflags --libs iphlpapi-municode)
 */
#include <stdio.h>
#include <stdlib.h>

#include <windows.h>

int wmain(int argc, wchar_t **argv, wchar_t **envp);

extern char **environ;

/* Kept for the life of the process, as argv is. */
static wchar_t **wargv, **wenvp;

/* A NULL-terminated array of wide copies of the N strings of V; exits on no memory (there is
 * no caller to tell before wmain runs). */
static wchar_t **widen_all(char **v, size_t n)
{
	wchar_t **w = calloc(n + 1, sizeof(*w));
	if (!w)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		int len = MultiByteToWideChar(CP_UTF8, 0, v[i], -1, NULL, 0);
		if (len <= 0 || !(w[i] = malloc((size_t)len * sizeof(wchar_t))))
			goto oom;
		MultiByteToWideChar(CP_UTF8, 0, v[i], -1, w[i], len);
	}
	return w;
oom:
	fputs("out of memory before wmain\n", stderr);
	exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
	size_t envc = 0;
	while (environ && environ[envc])
		envc++;
	wargv = widen_all(argv, (size_t)argc);
	wenvp = widen_all(environ, envc);
	return wmain(argc, wargv, wenvp);
}
