"""The build date: what "today" means for anything date-dependent (expiry), never the clock.

SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the date of the content's
last commit, else the newest date written in the content, so the same inputs give the same site.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timedelta, timezone

from ..load.models import Content

CHINA = timezone(timedelta(hours=8))


def _from_epoch(seconds: str) -> date:
    return datetime.fromtimestamp(int(seconds), CHINA).date()


def build_date(content: Content, environ=os.environ) -> tuple[date, str]:
    """The build date and where it came from (for the build log)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _from_epoch(epoch), "SOURCE_DATE_EPOCH"
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=content.root, capture_output=True, text=True, timeout=20, check=False,
        )
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return _from_epoch(result.stdout.strip()), "内容的最后一次提交"
    except (OSError, subprocess.SubprocessError):
        pass
    dates = [d for doc in content.documents for d in (doc.published, doc.written, doc.repealed) if d]
    dates += [i.published for i in content.interpretations]
    if dates:
        return max(dates), "内容中最新的日期"
    return date(1970, 1, 1), "默认值"


