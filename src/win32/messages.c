/* messages.c - Windows' English message texts (FormatMessage FROM_SYSTEM), for every code in
 * include/win32/winerror.h. Texts are Windows', character for character, "\r\n" included. */
#include "messages.h"

#include <stddef.h>

#include <windows.h>

static const struct {
	uint32_t code;
	const char *text;
} messages[] = {
	{ ERROR_SUCCESS, "The operation completed successfully.\r\n" },
	{ ERROR_INVALID_FUNCTION, "Incorrect function.\r\n" },
	{ ERROR_FILE_NOT_FOUND, "The system cannot find the file specified.\r\n" },
	{ ERROR_PATH_NOT_FOUND, "The system cannot find the path specified.\r\n" },
	{ ERROR_TOO_MANY_OPEN_FILES, "The system cannot open the file.\r\n" },
	{ ERROR_ACCESS_DENIED, "Access is denied.\r\n" },
	{ ERROR_INVALID_HANDLE, "The handle is invalid.\r\n" },
	{ ERROR_NOT_ENOUGH_MEMORY,
	  "Not enough memory resources are available to process this command.\r\n" },
	{ ERROR_INVALID_DATA, "The data is invalid.\r\n" },
	{ ERROR_OUTOFMEMORY,
	  "Not enough memory resources are available to complete this operation.\r\n" },
	{ ERROR_NO_MORE_FILES, "There are no more files.\r\n" },
	{ ERROR_NOT_READY, "The device is not ready.\r\n" },
	{ ERROR_BAD_LENGTH,
	  "The program issued a command but the command length is incorrect.\r\n" },
	{ ERROR_GEN_FAILURE, "A device attached to the system is not functioning.\r\n" },
	{ ERROR_HANDLE_EOF, "Reached the end of the file.\r\n" },
	{ ERROR_NOT_SUPPORTED, "The request is not supported.\r\n" },
	{ ERROR_NETWORK_ACCESS_DENIED, "Network access is denied.\r\n" },
	{ ERROR_INVALID_PARAMETER, "The parameter is incorrect.\r\n" },
	{ ERROR_CALL_NOT_IMPLEMENTED, "This function is not supported on this system.\r\n" },
	{ ERROR_INSUFFICIENT_BUFFER, "The data area passed to a system call is too small.\r\n" },
	{ ERROR_BUSY, "The requested resource is in use.\r\n" },
	{ ERROR_ALREADY_EXISTS, "Cannot create a file when that file already exists.\r\n" },
	{ ERROR_NO_DATA, "The pipe is being closed.\r\n" },
	{ ERROR_MORE_DATA, "More data is available.\r\n" },
	{ ERROR_NO_MORE_ITEMS, "No more data is available.\r\n" },
	{ ERROR_PARTIAL_COPY,
	  "Only part of a ReadProcessMemory or WriteProcessMemory request was completed.\r\n" },
	{ ERROR_MR_MID_NOT_FOUND, "The system cannot find message text for message number 0x%1 "
				  "in the message file for %2.\r\n" },
	{ ERROR_ARITHMETIC_OVERFLOW, "Arithmetic result exceeded 32 bits.\r\n" },
	{ ERROR_DEVICE_NOT_CONNECTED, "The device is not connected.\r\n" },
	{ ERROR_NOT_FOUND, "Element not found.\r\n" },
	{ ERROR_CONNECTION_REFUSED, "The remote computer refused the network connection.\r\n" },
	{ ERROR_CONNECTION_ABORTED, "The network connection was aborted by the local system.\r\n" },
	{ ERROR_RETRY, "The operation could not be completed. A retry should be performed.\r\n" },
	{ ERROR_NO_SYSTEM_RESOURCES,
	  "Insufficient system resources exist to complete the requested service.\r\n" },
	{ ERROR_TIMEOUT, "This operation returned because the timeout period expired.\r\n" },
	{ ERROR_INVALID_USER_BUFFER,
	  "The supplied user buffer is not valid for the requested operation.\r\n" },
	{ ERROR_RESOURCE_LANG_NOT_FOUND, "The specified resource language ID cannot be found in "
					 "the image file.\r\n" },
	/* ntdll's text: Windows' FormatMessage finds it only with FROM_HMODULE(ntdll); it is
	 * here because the table functions can return this code (libtcptable's -EAGAIN). */
	{ STATUS_UNSUCCESSFUL, "{Operation Failed}\r\nThe requested operation was unsuccessful.\r\n" },
	{ WSAEFAULT, "The system detected an invalid pointer address in attempting to use a "
		     "pointer argument in a call.\r\n" },
	{ WSAEINVAL, "An invalid argument was supplied.\r\n" },
	{ WSAEAFNOSUPPORT,
	  "An address incompatible with the requested protocol was used.\r\n" },
	{ WSASYSNOTREADY, "WSAStartup cannot function at this time because the underlying system "
			  "it uses to provide network services is currently unavailable.\r\n" },
	{ WSAVERNOTSUPPORTED, "The Windows Sockets version requested is not supported.\r\n" },
	{ WSANOTINITIALISED, "Either the application has not called WSAStartup, or WSAStartup "
			     "failed.\r\n" },
};

const char *messages_lookup(uint32_t code)
{
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (messages[i].code == code)
			return messages[i].text;
	return NULL;
}
