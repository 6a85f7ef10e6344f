"""A failed build leaves the previous site exactly as it was; two builds are byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

from build_helpers import build_here, run_here
from conftest import EPOCH, run_build


def snapshot(site: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_failed_render_leaves_previous_site_untouched(project, site, tmp_path):
    """A template bug (not a content error) fails in one clear line and still changes nothing.
    (A content error: tests/build/test_failed_build.py.)"""
    import shutil

    from conftest import ROOT

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    published, site = site, project / "site"
    shutil.copytree(published, site)
    before = snapshot(site)
    page = templates / "document.html"
    page.write_text(page.read_text("utf-8").replace("{{ doc.title }}", "{{ doc.no_such_field }}", 1), "utf-8")
    result = run_build("--output", str(site), "--content", str(project / "content"),
                       "--config", str(project / "config.yaml"), "--templates", str(templates))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and "no_such_field" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(site) == before


def test_two_builds_are_byte_identical(site, tmp_path):
    """The session's site (built in a child process) and another build of the same content,
    elsewhere, without a cache, in this process."""
    second = tmp_path / "b"
    assert build_here(second, None, None, "--no-cache").returncode == 0
    a = {k: v[0] for k, v in snapshot(site).items()}
    b = {k: v[0] for k, v in snapshot(second).items()}
    assert a == b and len(a) > 100


def test_build_date_comes_from_source_date_epoch(tmp_path):
    # Before 2022-12-31 the 2020 sample with 有效期至 2022-12-31 is still valid; after it, 失效.
    early, late = tmp_path / "early", tmp_path / "late"
    assert run_here("--output", str(early), env_date="1640995200").returncode == 0  # 2022-01-01
    assert run_here("--output", str(late), env_date=EPOCH).returncode == 0
    import json

    def status(site):
        data = json.loads((site / "api/documents.json").read_text("utf-8"))
        return {d["id"]: d["validity"] for d in data["documents"] if d["expires"]}

    expiring = {k for k, v in status(late).items() if v == "失效"}
    assert expiring and all(status(early)[k] == "有效" for k in expiring)
