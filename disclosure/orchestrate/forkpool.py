"""Forked worker pools that stay quiet when the build is stopped.

Ctrl+C in a terminal sends SIGINT to every process of the group, workers included: each would
raise KeyboardInterrupt in the middle of its task and print a traceback of its own. The workers
therefore ignore SIGINT and die silently on SIGTERM; only the build's own process reacts, and
leaving the pool's `with` block ends them. SIGTERM sent to the whole group kills them wherever
they are, even holding a lock of the pool's queues: the teardown copes with that.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
import weakref
from multiprocessing.reduction import ForkingPickler as _ForkingPickler

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

    def _setup_queues(self):
        super()._setup_queues()
        self._quick_get = _Results(self._outqueue._reader, weakref.ref(self))

    def _task_function(self, function):
        return functools.partial(_call_shared, function) if self._with_shared else function

    def map(self, function, iterable, chunksize=None):
        return super().map(self._task_function(function), iterable, chunksize)

    def imap(self, function, iterable, chunksize=1):
        return super().imap(self._task_function(function), iterable, chunksize)

    def imap_unordered(self, function, iterable, chunksize=1):
        return super().imap_unordered(self._task_function(function), iterable, chunksize)

    @classmethod
    def _terminate_pool(cls, taskqueue, inqueue, outqueue, pool, change_notifier, worker_handler, task_handler,
                        result_handler, cache):
        # A worker waiting for a task holds the task queue's lock while it reads, one writing a result
        # the result queue's. SIGTERM to the whole group (a CI job cancelled) can kill it there, and
        # Pool's teardown would then wait for that lock forever. So the parent's side of both locks
        # stops waiting once no worker is alive; no worker is started again; every worker is ended.
        # Only then does Pool's own teardown run. The workers' results are no longer wanted here.
        inqueue._rlock = _LockOfTheLiving(inqueue._rlock, pool)
        outqueue._wlock = _LockOfTheLiving(outqueue._wlock, pool)
        worker_handler._state = multiprocessing.pool.TERMINATE
        change_notifier.put(None)
        if threading.current_thread() is not worker_handler:
            worker_handler.join()
        for worker in pool:
            if worker.exitcode is None:
                worker.kill()
        for worker in pool:
            worker.join()
        super()._terminate_pool(taskqueue, inqueue, outqueue, pool, change_notifier, worker_handler, task_handler,
                                result_handler, cache)

    @staticmethod
    def _help_stuff_finish(inqueue, task_handler, size) -> None:
        # Pool's own empties the task queue (so that its task thread, maybe blocked writing, can
        # end) by reading whole tasks. But the workers are ended first (above), one perhaps halfway
        # through reading a task: what is left may begin mid-message, and reading it as tasks raised
        # EOFError in place of the Ctrl+C that stopped the build, or waited for bytes that never
        # come. No one reads the tasks any more, so they are emptied as bytes, for as long as the
        # task thread lives: a large task goes into the pipe a piece at a time. That thread ends
        # once it can write: it is told to stop, and the worker thread (joined above) has left it
        # its end-of-tasks sentinel.
        inqueue._rlock.acquire()
        reader = inqueue._reader
        while task_handler.is_alive():
            if reader.poll(0.01):
                os.read(reader.fileno(), 1 << 16)


class _Results:
    """How the parent's result thread reads the workers' results: Connection.recv, but reading only
    what the pipe holds and waiting in short polls. A worker ended at teardown may have written
    part of a large result (a batch of pages); recv would then read the rest of the pipe as that
    message, or wait for good for bytes no one will write, and the teardown with it. Once Pool's
    teardown has told the result thread to stop and no worker is alive, whatever is left is
    dropped: the pipe has ended, as far as the pool is concerned, and no result is wanted."""

    def __init__(self, reader, pool: "weakref.ref[ForkPool]"):
        self.reader, self.pool, self.held = reader, pool, bytearray()

    def _ended(self) -> bool:
        # Pool's _terminate_pool marks its result thread (this one) TERMINATE once it has checked
        # that thread is alive, and then sends it the sentinel.
        if getattr(threading.current_thread(), "_state", None) != multiprocessing.pool.TERMINATE:
            return False
        pool = self.pool()
        return pool is None or all(worker.exitcode is not None for worker in pool._pool)

    def _message(self) -> bytes | None:
        """The first whole message held, taken out; None if not all of it has come yet."""
        held = self.held
        if len(held) < 4:
            return None
        size, start = int.from_bytes(held[:4], "big", signed=True), 4
        if size == -1:  # Connection's header for a message over 2 GiB: -1, then the size in 8 bytes
            if len(held) < 12:
                return None
            size, start = int.from_bytes(held[4:12], "big"), 12
        if len(held) < start + size:
            return None
        message = bytes(held[start:start + size])
        del held[:start + size]
        return message

    def __call__(self):
        while True:
            if self._ended():
                raise EOFError
            message = self._message()
            if message is not None:
                return _ForkingPickler.loads(message)
            if self.reader.poll(0.05):
                data = os.read(self.reader.fileno(), 1 << 20)
                if not data:
                    raise EOFError
                self.held += data


class _LockOfTheLiving:
    """A queue's lock as the parent takes it while tearing a pool down: held only against live
    workers. A dead worker may have died holding it; with every worker dead no process can use
    the queue but the parent, which may then go on without it."""

    def __init__(self, lock, workers: list):
        self.lock, self.workers, self.mine = lock, workers, threading.local()  # two threads of the parent use it

    def acquire(self) -> bool:
        while not self.lock.acquire(timeout=0.05):
            if all(worker.exitcode is not None for worker in self.workers):
                self.mine.held = False
                return True
        self.mine.held = True
        return True

    def release(self) -> None:
        if getattr(self.mine, "held", False):
            self.mine.held = False
            self.lock.release()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exception) -> None:
        self.release()


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
