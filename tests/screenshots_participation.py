"""Screenshots of 意见征集 and the 重大行政决策事项目录 for docs/screenshots/: the open bundled
consultation (built on 2026-11-26, its window 2026-11-16 to 2026-12-31) on the home page and its
own page, on a 360 px phone and with 2倍 text (关怀版); and a 事项's trail in a copy of the project
where the consultation ended, reported back and became a document (all marked 示例). Not a test:

    .venv/bin/python tests/screenshots_participation.py docs/screenshots
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from a11y import CARE_MODE, open_page, set_care  # noqa: E402
from browser import chromium, serve  # noqa: E402
from conftest import EPOCH, ROOT  # noqa: E402

CONSULTATION = "content/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian.md"
RESULT = "content/documents/2027/2027-shili-laojiu-xiaoqu-gaizao-fangan.md"
LATER = "1800000000"  # 2027-01-15 in China: the window has closed and the feedback is out


def build(project: Path, epoch: str) -> Path:
    site = project / "site"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(project / "content"),
                    "--config", str(project / "config.yaml"), "--output", str(site), "--no-cache"],
                   check=True, env={"SOURCE_DATE_EPOCH": epoch, "PATH": "/usr/bin:/bin"}, capture_output=True)
    return site


def answered(project: Path) -> None:
    """The consultation closed, reported back and became a (示例) document, which the 事项 records."""
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "config.yaml", project / "config.yaml")
    path = project / CONSULTATION
    path.write_text(path.read_text("utf-8").replace("sample: true\n", """sample: true
feedback:
  published: 2027-01-12
  received: 12
  adopted: 5
  partly: 3
  not_adopted: 4
  summary: |
    【示例】共收到意见建议12条（示例数字），逐条研究后，采纳5条、部分采纳3条，据此修改了草案的第二部分。
  reasons: |
    【示例】4条意见涉及的事项不属于本方案范围，已转有关部门研究。
  result: 2027-shili-laojiu-xiaoqu-gaizao-fangan
"""), "utf-8")
    result = project / RESULT
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_text("""---
title: 【示例】天桥区老旧小区改造三年行动方案
issuer: 区住房城乡建设局
written: 2027-01-13
published: 2027-01-14
topic: 城乡建设、环境保护/城乡建设（含住房）
kind: 通知
validity: 有效
sample: true
---

【示例】本文件是为演示“意见征集—意见反馈—决策文件”的链接而编写的示例，不是真实公文。
""", "utf-8")
    catalogue = project / "content/decisions/2026.yaml"
    catalogue.write_text(catalogue.read_text("utf-8").replace("""      public: 进行中
      experts: 未开始
      risk: 未开始
      legality: 未开始
      collective: 未开始
    state: 推进中
    note: 公开征求意见期间（示例）""", """      public: 已完成
      experts: 已完成
      risk: 已完成
      legality: 已完成
      collective: 已完成
    state: 已决策
    result: 2027-shili-laojiu-xiaoqu-gaizao-fangan"""), "utf-8")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory() as folder:
        bundled = Path(folder, "bundled")
        bundled.mkdir()
        shutil.copytree(ROOT / "content", bundled / "content")
        shutil.copy(ROOT / "config.yaml", bundled / "config.yaml")
        later = Path(folder, "later")
        answered(later)
        with serve(build(bundled, EPOCH)) as origin, chromium() as browser:
            for suffix, care in (("phone", None), ("care-phone", {**CARE_MODE, "open": False})):
                page = browser.new_page(viewport={"width": 360, "height": 800})
                set_care(page, origin, care)
                open_page(page, origin, "/")
                top = page.evaluate("document.getElementById('open-consultations-heading').getBoundingClientRect().top + scrollY")
                name = out / f"consultation-home-{suffix}.png"
                page.screenshot(path=str(name), full_page=True, clip={"x": 0, "y": max(0, top - 20), "width": 360, "height": 900})
                shots.append(name)
                open_page(page, origin, "/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian/")
                top = page.evaluate("document.getElementById('main').getBoundingClientRect().top + scrollY")
                name = out / f"consultation-open-{suffix}.png"
                page.screenshot(path=str(name), full_page=True, clip={"x": 0, "y": top, "width": 360, "height": 2400})
                shots.append(name)
                page.close()
        with serve(build(later, LATER)) as origin, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_page(page, origin, "/decisions/2026/shili-laojiu-xiaoqu-gaizao/")
            name = out / "decision-trail-desktop.png"
            page.screenshot(path=str(name), full_page=True)
            shots.append(name)
            open_page(page, origin, "/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian/")
            top = page.evaluate("document.getElementById('feedback-heading').getBoundingClientRect().top + scrollY")
            name = out / "consultation-feedback-desktop.png"
            page.screenshot(path=str(name), full_page=True, clip={"x": 0, "y": top - 20, "width": 1280, "height": 800})
            shots.append(name)
            page.close()
            page = browser.new_page(viewport={"width": 360, "height": 800})
            open_page(page, origin, "/decisions/2026/shili-laojiu-xiaoqu-gaizao/")
            name = out / "decision-trail-phone.png"
            page.screenshot(path=str(name), full_page=True)
            shots.append(name)
            page.close()
    for name in shots:
        print(name)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
