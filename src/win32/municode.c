/*
 * municode.c - libiphlpapi-municode: the `main` of a program whose entry point is wmain, as
 * mingw-w64's -municode provides. It converts the arguments and the environment from UTF-8
 * to wide strings (invalid bytes become U+FFFD) and returns what wmain returns.
 * Link: cc prog.c $(pkg-config --cflags --libs iphlpapi-municode)
 */
#include <stdio.h>
#include <stdlib.h>

#include <windows.h>

/* The program's wmain: a C function, or a C++ one (g++ mangles wmain, which MSVC and mingw-w64
 * treat like main), with or without envp. Weak: whichever the program defines is called. */
extern int wmain_c(int argc, wchar_t **argv, wchar_t **envp) __asm__("wmain")
	__attribute__((weak));
extern int wmain_cxx(int argc, wchar_t **argv) __asm__("_Z5wmainiPPw") __attribute__((weak));
extern int wmain_cxx_env(int argc, wchar_t **argv, wchar_t **envp) __asm__("_Z5wmainiPPwS0_")
	__attribute__((weak));

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
	if (wmain_c)
		return wmain_c(argc, wargv, wenvp);
	if (wmain_cxx)
		return wmain_cxx(argc, wargv);
	if (wmain_cxx_env)
		return wmain_cxx_env(argc, wargv, wenvp);
	fputs("libiphlpapi-municode: the program defines no wmain\n", stderr);
	return EXIT_FAILURE;
}
