/* runtime.c - the kernel32 basics: last error, process id, heaps and local memory. */
#include <stdlib.h>
#include <unistd.h>

#include <windows.h>

/* Per thread, as on Windows. */
static _Thread_local DWORD last_error;

DWORD WINAPI GetLastError(void)
{
	return last_error;
}

void WINAPI SetLastError(DWORD dwErrCode)
{
	last_error = dwErrCode;
}

DWORD WINAPI GetCurrentProcessId(void)
{
	return (DWORD)getpid();
}

/* The one heap: any non-NULL constant identifies it. */
static const char process_heap_tag;
#define PROCESS_HEAP ((HANDLE)(void *)&process_heap_tag)

HANDLE WINAPI GetProcessHeap(void)
{
	return PROCESS_HEAP;
}

/* malloc()/calloc() with a unique block for 0 bytes; NULL with ERROR_NOT_ENOUGH_MEMORY. */
static void *allocate(SIZE_T bytes, int zero)
{
	size_t n = bytes ? bytes : 1;
	void *p = zero ? calloc(1, n) : malloc(n);
	if (!p)
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
	return p;
}

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
	if (hHeap != PROCESS_HEAP) {
		SetLastError(ERROR_INVALID_HANDLE);
		return NULL;
	}
	return allocate(dwBytes, (dwFlags & HEAP_ZERO_MEMORY) != 0);
}

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
	(void)dwFlags;
	if (hHeap != PROCESS_HEAP) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	free(lpMem);
	return TRUE;
}

/* LMEM_MOVEABLE: handles that are not pointers; not provided. */
#define LMEM_MOVEABLE_FLAG 0x0002

HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
	if (uFlags & LMEM_MOVEABLE_FLAG) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	return allocate(uBytes, (uFlags & LMEM_ZEROINIT) != 0);
}

HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
	free(hMem);
	return NULL;
}

HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes)
{
	return LocalAlloc(uFlags, dwBytes);
}

HGLOBAL WINAPI GlobalFree(HGLOBAL hMem)
{
	return LocalFree(hMem);
}
