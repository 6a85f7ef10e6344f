"""The worker pools' teardown after Ctrl+C (orchestrate/forkpool.py): the workers are ended before
the task queue is emptied, one of them perhaps halfway through reading a task, so what is left in
the queue may be a torn message. Emptying it must neither fail nor wait: an exception there took
the place of the KeyboardInterrupt, and the build said 构建失败 …EOFError instead of 构建已中断
(tests/build/test_cli_process.py, about one run in ten on a busy machine)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import pickle

import pytest

from disclosure.orchestrate.forkpool import ForkPool


class _Running:
    """The pool's task thread, still alive (it may be blocked writing a task)."""

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


@pytest.mark.parametrize("left", [
    pytest.param([_frame(TASK[:5])], id="a task cut short"),
    pytest.param([TASK[3:], _frame(TASK)], id="the rest of a task whose length a worker read, then a whole one"),
    pytest.param([_frame(TASK)] * 3, id="whole tasks"),
])
def test_what_is_left_of_the_tasks_is_emptied_without_reading_them(left):
    queue = _queue_holding(*left)
    ForkPool._help_stuff_finish(queue, _Running(), 2)
    assert not queue._reader.poll()


def test_read_as_tasks_a_torn_one_fails_as_it_did():
    """The case above that the standard library's teardown turns into an exception."""
    queue = _queue_holding(_frame(TASK[:5]))
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        multiprocessing.pool.Pool._help_stuff_finish(queue, _Running(), 2)
