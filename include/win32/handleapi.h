/*
 * handleapi.h - closing the handles this library hands out (OpenProcess(),
 * CreateToolhelp32Snapshot()). Every handle is a small object of the C heap, owned by the
 * caller until CloseHandle().
 */
#ifndef TCPT_WIN32_HANDLEAPI_H
#define TCPT_WIN32_HANDLEAPI_H

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Release HOBJECT, a handle from OpenProcess() or CreateToolhelp32Snapshot(). Returns TRUE;
 * FALSE with the last error ERROR_INVALID_HANDLE for NULL, INVALID_HANDLE_VALUE or a handle
 * already closed (as far as it can tell: a closed handle's memory is freed, so using it is
 * undefined here as on Windows, where the value may be reused). */
WINBASEAPI BOOL WINAPI CloseHandle(HANDLE hObject);

#ifdef __cplusplus
}
#endif

#endif
