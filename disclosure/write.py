"""Write stage: the whole site goes into a fresh folder that replaces site/ only on success,
so a failed or interrupted build leaves the previous site exactly as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


@contextlib.contextmanager
def staged(output: Path):
    """A fresh folder beside `output`; on a clean exit it becomes `output`, otherwise it is removed."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        _remove_later(leftover)
    for leftover in output.parent.glob(f".{output.name}.new-*"):
        # A build that was killed (it cannot clean up after itself); a day old, so never the
        # staging folder of a build running beside this one.
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 86400:
                _remove_later(leftover)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
    _remove_later(retired)


def _remove_later(folder: Path) -> None:
    """The retired site is already out of the way; deleting tens of thousands of files need not
    keep the editor waiting, so a detached `rm` does it (and the next build sweeps up leftovers)."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
