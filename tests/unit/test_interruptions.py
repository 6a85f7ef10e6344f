"""A signal that lands while the garbage collector runs a weakref callback or a __del__ is not
lost: Python prints the KeyboardInterrupt raised there as "Exception ignored" and goes on, so
cli._guarded_process sends the signal again, to interrupt the code that runs next. Found by the
preview server staying up after SIGTERM (tests/build/test_cli_process.py)."""

from __future__ import annotations

import signal
import sys
import threading
import time
import weakref

import pytest

from disclosure.commands import cli


class _Collected:
    pass


def _interrupted_while_collecting(stop: KeyboardInterrupt) -> None:
    """What a signal handler does when it runs inside a weakref callback: it raises there."""
    def callback(_):
        raise stop

    target = _Collected()
    keep = weakref.ref(target, callback)
    del target  # the callback runs here, and Python reports its exception as unraisable
    for _ in range(100):  # the code that runs next: the signal sent again lands in it
        time.sleep(0.005)
    del keep


@pytest.fixture
def python_sigint():
    """Ctrl+C as a program starts with it (Python's KeyboardInterrupt), whatever an earlier test in
    this process made of SIGINT."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
@pytest.mark.parametrize("stop", [cli.Interrupted(), KeyboardInterrupt()], ids=["SIGTERM", "Ctrl+C"])
def test_an_interruption_raised_where_python_ignores_it_is_raised_again(stop, capsys, python_sigint):
    with cli._guarded_process():
        with pytest.raises(KeyboardInterrupt) as raised:
            _interrupted_while_collecting(stop)
    assert type(raised.value) is type(stop)
    assert "Exception ignored" not in capsys.readouterr().err


def test_other_exceptions_in_callbacks_still_reach_the_hook_that_was_there(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)

    def callback(_):
        raise ValueError("broken callback")

    with cli._guarded_process():
        target = _Collected()
        keep = weakref.ref(target, callback)
        del target
        del keep
    assert [str(unraisable.exc_value) for unraisable in seen] == ["broken callback"]


def test_a_signal_left_to_the_system_is_not_sent_again(monkeypatch):
    """A KeyboardInterrupt some code raised itself, with SIGINT not Python's: sending SIGINT would
    end the process, so it goes to the hook that was there."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with cli._guarded_process():
            _interrupted_while_collecting(KeyboardInterrupt("raised by hand"))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [str(unraisable.exc_value) for unraisable in seen] == ["raised by hand"]


def test_the_hook_is_put_back_afterwards():
    before = sys.unraisablehook
    with cli._guarded_process():
        assert sys.unraisablehook is not before
    assert sys.unraisablehook is before
