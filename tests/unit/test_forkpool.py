"""The worker pools' teardown after Ctrl+C (orchestrate/forkpool.py): the workers are ended first,
one of them perhaps halfway through reading a task or writing a result, so what is left in either
queue may be a torn message. Reading it must neither fail nor wait: an exception there took the
place of the KeyboardInterrupt, and the build said 构建失败 …EOFError instead of 构建已中断
(tests/build/test_cli_process.py, about one run in ten on a busy machine)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import pickle
import threading
import weakref

import pytest

from disclosure.orchestrate.forkpool import ForkPool, _Results


class _Running:
    """The pool's task thread, still alive (waiting for a task)."""

    def is_alive(self) -> bool:
        return True


def _queue_holding(*pieces: bytes):
    queue = multiprocessing.get_context("fork").SimpleQueue()
    for piece in pieces:
        os.write(queue._writer.fileno(), piece)
    return queue


def _frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + payload  # how a Connection sends a message


TASK = pickle.dumps((1, 0, len, ("abc",), {}))


def _task_thread(queue, *tasks: bytes) -> threading.Thread:
    """Pool's task thread, writing tasks into the queue until it is done; it blocks while the
    pipe is full."""
    thread = threading.Thread(target=lambda: [queue._writer.send_bytes(task) for task in tasks], daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("left", [
    pytest.param([_frame(TASK[:5])], id="a task cut short"),
    pytest.param([TASK[3:], _frame(TASK)], id="the rest of a task whose length a worker read, then a whole one"),
    pytest.param([_frame(TASK)] * 3, id="whole tasks"),
])
def test_what_is_left_of_the_tasks_is_emptied_without_reading_them(left):
    queue = _queue_holding(*left)
    writing = _task_thread(queue, TASK, pickle.dumps("任务" * 200_000))  # larger than a pipe holds: written in pieces
    failed = []

    def empty():
        try:
            ForkPool._help_stuff_finish(queue, writing, 2)
        except Exception as error:  # noqa: BLE001 - what Pool's teardown would have raised
            failed.append(error)

    emptying = threading.Thread(target=empty, daemon=True)
    emptying.start()
    emptying.join(10)
    assert not emptying.is_alive() and not writing.is_alive(), "the task thread could finish writing"
    assert failed == []


def test_read_as_tasks_a_torn_one_fails_as_it_did():
    """The case above that the standard library's teardown turns into an exception."""
    queue = _queue_holding(_frame(TASK[:5]))
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        multiprocessing.pool.Pool._help_stuff_finish(queue, _Running(), 2)


# --- the results, read by the parent's result thread ----------------------------------------------


class _Pool:
    """What the result reader looks at: its workers' exit codes."""

    def __init__(self):
        self._pool = [_Worker(), _Worker()]

    def workers_ended(self) -> None:
        for worker in self._pool:
            worker.exitcode = -9


class _Worker:
    exitcode = None


def _reader(pool: _Pool, *pieces: bytes):
    queue = _queue_holding(*pieces)
    return queue, _Results(queue._reader, weakref.ref(pool))


def _result_thread(results, got: list) -> threading.Thread:
    """A thread reading one result as Pool's result thread does, marked RUN as Pool marks it."""

    def read():
        try:
            got.append(results())
        except EOFError:
            got.append("EOFError")

    thread = threading.Thread(target=read)
    thread._state = multiprocessing.pool.RUN
    thread.start()
    return thread


def test_results_are_read_whole_and_in_order_however_they_arrive():
    big = pickle.dumps(b"x" * 100_000)  # sent as a header and then the body, as Connection does past 16 KiB
    small = pickle.dumps((1, 0, (True, "结果")))
    pool = _Pool()
    queue, results = _reader(pool, _frame(small) + _frame(big)[:7])
    got = []
    _result_thread(results, got).join(5)
    assert got == [(1, 0, (True, "结果"))]
    reading = _result_thread(results, got)
    reading.join(0.3)
    assert reading.is_alive(), "half a message is not a result"
    os.write(queue._writer.fileno(), _frame(big)[7:])
    reading.join(5)
    assert got[1:] == [b"x" * 100_000]


@pytest.mark.parametrize("ended_first", [True, False], ids=["workers-ended-then-told", "told-then-workers-ended"])
def test_a_torn_result_is_dropped_once_the_pool_is_torn_down(ended_first):
    pool = _Pool()
    _, results = _reader(pool, (1000).to_bytes(4, "big") + b"only ten b")  # a worker ended mid-write
    got = []
    reading = _result_thread(results, got)
    reading.join(0.3)
    assert reading.is_alive(), "while the pool runs, the reader waits for the rest"
    if ended_first:
        pool.workers_ended()
        reading.join(0.3)
        assert reading.is_alive(), "until Pool's teardown tells the thread to stop (it checks the thread is alive first)"
    reading._state = multiprocessing.pool.TERMINATE
    if not ended_first:
        reading.join(0.3)
        assert reading.is_alive(), "a worker still alive may yet write the rest"
        pool.workers_ended()
    reading.join(5)
    assert not reading.is_alive() and got == ["EOFError"], "the end of the pipe, for the pool's result thread"
