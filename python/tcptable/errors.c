/* errors.c - the library's negative errno values as Python exceptions. OSError(errno, msg)
 * picks its subclass from the errno (EPERM and EACCES: PermissionError, ENOENT:
 * FileNotFoundError, ...); EINVAL is a ValueError (a bad argument), ENOMEM a MemoryError. The
 * message is the library's own (tcpt_strerror()). */
#include "module.h"

PyObject *error_raise(int err)
{
	if (err == -ENOMEM)
		return PyErr_NoMemory();
	const char *msg = tcpt_strerror(err);
	if (err == -EINVAL) {
		PyErr_SetString(PyExc_ValueError, msg);
		return NULL;
	}
	PyObject *exc = PyObject_CallFunction(PyExc_OSError, "is", -err, msg);
	if (exc) {
		PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
		Py_DECREF(exc);
	}
	return NULL;
}
