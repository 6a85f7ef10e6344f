"""Write stage: the whole site goes into a fresh folder that replaces site/ only on success,
so a failed or interrupted build leaves the previous site exactly as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path


@contextlib.contextmanager
def staged(output: Path):
    """A fresh folder beside `output`; on a clean exit it becomes `output`, otherwise it is removed."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        remove_later(leftover)
    for leftover in output.parent.glob(f".{output.name}.new-*"):
        # A build that was killed (it cannot clean up after itself); a day old, so never the
        # staging folder of a build running beside this one.
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 86400:
                remove_later(leftover)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def atomic_write(path: Path | str, data: bytes, make_folder: bool = True) -> bool:
    """Replace a file in one step, so that no reader and no interrupted run ever sees half of it;
    False if it could not be written. Made for many small files: the folder is created only when
    missing (and `make_folder`), and the temporary's name is unique to the process and thread, so
    no name is searched for (parallel workers, and the preview's quick re-render beside a build)."""
    target = str(path)
    temporary = f"{target}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        try:
            stream = open(temporary, "wb")
        except FileNotFoundError:
            if not make_folder:
                raise
            os.makedirs(os.path.dirname(target), exist_ok=True)
            stream = open(temporary, "wb")
        with stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except BaseException:
        retired.rename(output)
        raise
    remove_later(retired)


def remove_later(folder: Path) -> None:
    """The retired site is already out of the way; deleting tens of thousands of files need not
    keep the editor waiting, so a detached `rm` does it (and the next build sweeps up leftovers)."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
