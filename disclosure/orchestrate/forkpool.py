"""Forked worker pools that stay quiet when the build is stopped.

Ctrl+C in a terminal sends SIGINT to every process of the group, workers included: each would
raise KeyboardInterrupt in the middle of its task and print a traceback of its own. The workers
therefore ignore SIGINT and die silently on SIGTERM; only the build's own process reacts, and
leaving the pool's `with` block terminates them (SIGTERM).
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.pool
import signal
import weakref

_STOPPING = {signal.SIGINT, signal.SIGTERM}
_NOTHING = object()
_LIVE: weakref.WeakSet = weakref.WeakSet()


class ForkPool(multiprocessing.pool.Pool):
    """multiprocessing's Pool on forked workers. Given `shared`, its workers inherit it with the
    rest of the process's memory (never pickled: a closure over the whole site could not be) and
    its map, imap and imap_unordered call function(shared, task) instead of function(task)."""

    def __init__(self, processes: int, shared=_NOTHING, **options):
        self._with_shared = shared is not _NOTHING
        super().__init__(processes, initializer=_start_worker, initargs=(shared,),
                         context=multiprocessing.get_context("fork"), **options)

    def _task_function(self, function):
        return functools.partial(_call_shared, function) if self._with_shared else function

    def map(self, function, iterable, chunksize=None):
        return super().map(self._task_function(function), iterable, chunksize)

    def imap(self, function, iterable, chunksize=1):
        return super().imap(self._task_function(function), iterable, chunksize)

    def imap_unordered(self, function, iterable, chunksize=1):
        return super().imap_unordered(self._task_function(function), iterable, chunksize)


def fork_pool(processes: int, shared=_NOTHING, **options) -> ForkPool:
    """A ForkPool whose workers leave Ctrl+C and SIGTERM to the build."""
    # Blocked while the pool starts: its helper threads inherit the mask, so no worker (those it
    # forks later too) can take a signal in the instant before its initializer has run. A signal
    # that comes meanwhile waits, and is taken by this thread as soon as the mask is restored.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        pool = ForkPool(processes, shared, **options)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    _LIVE.add(pool)
    return pool


_SHARED = _NOTHING  # in a worker: what its pool was given to share


def _start_worker(shared) -> None:
    global _SHARED
    quiet_worker()
    _SHARED = shared


def _call_shared(function, task):
    return function(_SHARED, task)


def start_process(target, *args) -> multiprocessing.Process:
    """A forked daemon process running target(*args), which leaves Ctrl+C to its parent like the pools' workers."""
    process = multiprocessing.get_context("fork").Process(target=_quietly, args=(target, *args), daemon=True)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return process


def quiet_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent may have made SIGTERM an exception
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


def _quietly(target, *args) -> None:
    quiet_worker()
    target(*args)


def stop_all() -> None:
    """Terminate every pool still running (the preview stops while a rebuild is rendering in a thread)."""
    for pool in list(_LIVE):
        pool.terminate()
