"""Many threads at once, the GIL released during the library's work, and no leak (Python
heap by tracemalloc, C heap by RSS, descriptors, threads) over 10,000 calls."""
import collections
import gc
import os
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


def test_many_threads_at_once(world):
    want_psutil = multiset(psutil.net_connections("tcp"))
    want_native = collections.Counter(r[:8] for r in tcptable.connections(owners=True))

    def body(i):
        for k in range(15):
            got = tcptable.net_connections("tcp")
            assert multiset(got) == want_psutil, diff(got, list(want_psutil.elements()))
            assert collections.Counter(r[:8] for r in tcptable.connections(owners=True)) \
                == want_native
            assert collections.Counter(r[:8] for r in tcptable.iter_connections()) \
                == want_native
            tcptable.stats()
    run_threads(8, body)


def test_gil_released_while_the_library_works(world):
    """A Python thread runs while another is inside the library: during a long call (one
    snapshot over 1,000 copies of this namespace, ~0.3 s), it records times that fall in
    the middle of the call, which it could not if the call held the GIL."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    fd = os.open("/proc/self/ns/net", os.O_RDONLY)
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
            tcptable.connections(netns=[fd] * 1000)
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
    """n calls of every entry point, errors and early stops included; one in ten scans
    /proc for owners (the expensive part, a few ms each)."""
    done = 0
    for i in range(n):
        k = i % 20
        if k < 10:
            tcptable.connections(tcp_info=True, states=None if i % 2 else ["LISTEN"])
        elif k == 10:
            tcptable.net_connections("tcp")
        elif k == 11:
            if i % 40 == 11:
                tcptable.connections(owners=True, processes=True, local_addrs=["127.0.0.0/8"])
            else:
                list(tcptable.iter_connections(owners=True))
        elif k in (12, 13):
            it = tcptable.iter_connections(tcp_info=True)
            next(it) if k == 12 else list(it)
            del it
        elif k in (14, 15):
            tcptable.stats()
        else:
            try:
                if k == 16:
                    tcptable.connections(netns=["/dev/null"])
                elif k == 17:
                    tcptable.net_connections("inet")
                elif k == 18:
                    tcptable.connections(states=["bogus"])
                else:
                    list(tcptable.iter_connections(states=[20]))
            except ValueError:
                pass
            else:
                raise AssertionError("no ValueError")
        done += 1
    return done


def test_no_leak_over_10000_calls(world):
    some_calls(200)  # warm-up: caches, interned strings, lazily imported modules
    gc.collect()
    fds = sorted(os.listdir("/proc/self/fd"))
    tracemalloc.start()
    heap_before = tracemalloc.get_traced_memory()[0]
    rss_before = resident_kib()
    t0 = time.monotonic()
    assert some_calls(10_000) == 10_000
    seconds = time.monotonic() - t0
    gc.collect()
    heap_after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rss_after = resident_kib()
    assert heap_after - heap_before < 64 * 1024, (heap_before, heap_after)
    assert rss_after - rss_before < 8 * 1024, (rss_before, rss_after)  # KiB
    assert sorted(os.listdir("/proc/self/fd")) == fds
    assert len(os.listdir("/proc/self/task")) == 1
    print("10,000 calls in %.1f s" % seconds)
