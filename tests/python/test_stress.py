"""Many threads at once, the GIL released during the library's work, and no leak (Python
heap by tracemalloc, C heap by RSS, descriptors, threads) over 10,000 calls."""
import collections
import gc
import os
import socket
import sys
import threading
import time
import tracemalloc

import psutil
import pytest

import tcptable
from conftest import diff, multiset


def run_threads(n, fn):
    errors = []

    def body(i):
        try:
            fn(i)
        except BaseException as e:  # noqa: B902 - reported below
            errors.append(repr(e))
    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:5]


def lasting(rows):
    """Rows without the TIME-WAIT ones, which expire while the threads run."""
    return [r for r in rows if r[5 if len(r) == 7 else 2] not in ("TIME_WAIT", "TIME-WAIT")]


def test_many_threads_at_once(world):
    want_psutil = multiset(lasting(psutil.net_connections("tcp")))
    want_native = collections.Counter(r[:8] for r in lasting(tcptable.connections(owners=True)))

    def body(i):
        for k in range(5):
            got = lasting(tcptable.net_connections("tcp"))
            assert multiset(got) == want_psutil, diff(got, list(want_psutil.elements()))
            assert collections.Counter(
                r[:8] for r in lasting(tcptable.connections(owners=True))) == want_native
            assert collections.Counter(
                r[:8] for r in lasting(tcptable.iter_connections())) == want_native
            tcptable.stats()
    run_threads(8, body)


def test_gil_released_while_the_library_works(world):
    """A Python thread runs while another is inside the library: during a long call (one
    snapshot over enough copies of this namespace to take ~0.3 s), it records times that
    fall in the middle of the call, which it could not if the call held the GIL. (Each
    namespace's dump walks the kernel's one table of every namespace's sockets: how many
    copies make 0.3 s depends on what else the host holds.)"""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    fd = os.open("/proc/self/ns/net", os.O_RDONLY)
    t0 = time.monotonic()
    tcptable.connections(netns=[fd] * 10)
    copies = max(10, min(2000, int(10 * 0.3 / max(time.monotonic() - t0, 1e-6))))
    stamps, stop = [], [False]

    def spin():
        while not stop[0]:
            stamps.append(time.monotonic())
            time.sleep(0.001)
    t = threading.Thread(target=spin)
    t.start()
    inside = []
    try:
        for _ in range(5):
            t0 = time.monotonic()
            tcptable.connections(netns=[fd] * copies)
            t1 = time.monotonic()
            lo, hi = t0 + (t1 - t0) * 0.2, t1 - (t1 - t0) * 0.2
            inside.append(sum(1 for x in stamps if lo < x < hi))
            if inside[-1]:
                break
    finally:
        stop[0] = True
        t.join()
        os.close(fd)
    assert inside[-1] > 0, inside


def resident_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE") // 1024


def some_calls(n):
    """n calls of every entry point, errors and early stops included. One in 32 dumps
    the kernel's table (a dump walks the one table of every namespace's sockets: on a host
    holding 400k sockets of other people's benchmarks, ~70 ms each), taking each dumping
    path (net_connections with its owner scan; connections with tcp_info, owners, names,
    the sort; the iterator exhausted, dropped mid-stream and closed at once); the others
    take every path that does not dump: stats, the errors raised before or instead of a
    dump, the library's own refusals."""
    done = 0
    closed = os.open("/dev/null", os.O_RDONLY)
    os.close(closed)
    for i in range(n):
        k, d = i % 32, (i // 32) % 6
        if k == 0:
            [lambda: tcptable.net_connections("tcp"),
             lambda: tcptable.connections(tcp_info=True, states=["LISTEN", "ESTABLISHED"]),
             lambda: tcptable.connections(processes=True, local_addrs=["127.0.0.0/8"],
                                          order="address"),
             lambda: list(tcptable.iter_connections(tcp_info=True, owners=True)),
             lambda: next(tcptable.iter_connections(tcp_info=True)),  # dropped mid-stream
             lambda: tcptable.iter_connections(families=[socket.AF_INET6]).close()][d]()
        elif k < 6 or k >= 16:
            tcptable.stats()
        elif k == 6:
            tcptable._tcptable.state_from_name("time-wait")
        else:
            bad = [lambda: tcptable.net_connections("unix"),
                   lambda: tcptable.connections(states=["bogus"]),
                   lambda: tcptable.connections(ports=[70000]),
                   lambda: tcptable.connections(protocols=["sctp"]),
                   lambda: tcptable.connections(families=[99]),
                   lambda: tcptable.connections(netns=["/dev/null"]),  # the library's EINVAL
                   lambda: tcptable.connections(netns=[closed]),       # EBADF
                   lambda: list(tcptable.iter_connections(states=[20])),  # EINVAL, in next()
                   lambda: tcptable.connections(local_ports=[(9, 3)])][k - 7]
            try:
                bad()
            except (ValueError, OSError):
                pass
            else:
                raise AssertionError("no error from case %d" % k)
        done += 1
    return done


def heap_in_use():
    """Bytes the C allocator has handed out (glibc mallinfo2: arenas and mmapped blocks)."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(f, ctypes.c_size_t) for f in ("arena", "ordblks", "smblks", "hblks",
                                                   "hblkhd", "usmblks", "fsmblks",
                                                   "uordblks", "fordblks", "keepcost")]
    fn = ctypes.CDLL(None).mallinfo2
    fn.restype = MallInfo2
    m = fn()
    return m.uordblks + m.hblkhd


def test_no_leak_over_10000_calls(world):
    some_calls(1000)  # warm-up: caches, interned strings, lazily imported modules
    gc.collect()
    fds = sorted(os.listdir("/proc/self/fd"))
    tracemalloc.start()
    snap_before = tracemalloc.take_snapshot()
    heap_before = tracemalloc.get_traced_memory()[0]
    rss_before = resident_kib()
    c_before = heap_in_use()
    t0 = time.monotonic()
    assert some_calls(10_000) == 10_000
    seconds = time.monotonic() - t0
    gc.collect()
    heap_after = tracemalloc.get_traced_memory()[0]
    grown = tracemalloc.take_snapshot().compare_to(snap_before, "lineno")[:5]
    tracemalloc.stop()
    rss_after = resident_kib()
    c_after = heap_in_use()
    print("10,000 calls: Python heap %+d B, C heap %+d B, RSS %+d KiB"
          % (heap_after - heap_before, c_after - c_before, rss_after - rss_before))
    assert heap_after - heap_before < 8 * 1024, (heap_before, heap_after,
                                                 [str(g) for g in grown])
    assert c_after - c_before < 64 * 1024, (c_before, c_after)
    assert rss_after - rss_before < 8 * 1024, (rss_before, rss_after)  # KiB
    assert sorted(os.listdir("/proc/self/fd")) == fds
    assert len(os.listdir("/proc/self/task")) == 1
    print("10,000 calls in %.1f s" % seconds)
