/* stream.h - tcptable.iter_connections(): an iterator over tcpt_snapshot_stream(). The
 * library hands rows to a callback; here that callback runs on a thread of its own, which
 * copies rows into batches of BATCH_ROWS and waits while MAX_READY batches are waiting, so
 * memory stays a few batches however many sockets there are. __next__ turns the rows of the
 * oldest batch into Connection records (with the GIL) and waits for the next batch without
 * it. close(), the end of a with block, or dropping the iterator stops the thread. */
#ifndef TCPT_PY_STREAM_H
#define TCPT_PY_STREAM_H

#include "module.h"

/* The iterator type, ready (PyType_Ready) for the module; NULL with an exception. */
PyTypeObject *stream_type(void);

/* A new iterator for the normalised query SPEC (see query.h) of MODULE. Its thread starts
 * now; errors of the library are raised by the __next__ that meets them. */
PyObject *stream_new(PyObject *module, PyObject *spec);

#endif
