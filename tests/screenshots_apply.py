"""Screenshots of the 依申请公开 pages for docs/screenshots/: the application form on a 360 px
phone, the form as printed (the PDF Chromium makes, shown in its own PDF viewer), and the guide's
table of 受理机构 on a phone. Not a test; run it after building the site:

    .venv/bin/python build.py && .venv/bin/python tests/screenshots_apply.py site docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from a11y import open_page  # noqa: E402
from browser import chromium, serve  # noqa: E402


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as origin, chromium() as browser, tempfile.TemporaryDirectory() as folder:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        open_page(page, origin, "/apply/form/")
        page.screenshot(path=str(out / "apply-form-phone.png"), full_page=True)
        open_page(page, origin, "/apply/")
        page.locator("#apply-offices").scroll_into_view_if_needed()
        page.screenshot(path=str(out / "apply-guide-phone.png"), full_page=True, clip={
            "x": 0, "y": page.evaluate("document.getElementById('apply-offices').getBoundingClientRect().top + scrollY"),
            "width": 360, "height": 1400})
        page.close()

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_page(page, origin, "/apply/form/")
        page.get_by_label("姓名", exact=True).fill("张三")
        page.get_by_label("所需信息的内容描述（名称、文号或其他特征描述）").fill("济天政办发〔2022〕4号文件的附件")
        page.get_by_label("纸质文本").check()
        page.emulate_media(media="print")
        Path(folder, "form.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
        page.close()
        with serve(Path(folder)) as pdfs:
            page = browser.new_page(viewport={"width": 1000, "height": 2850})
            page.goto(pdfs + "/form.pdf#toolbar=0&navpanes=0&view=FitH")
            page.wait_for_timeout(3000)  # the viewer draws the pages after load
            page.screenshot(path=str(out / "apply-form-print.png"))
            page.close()
    for name in ("apply-form-phone.png", "apply-guide-phone.png", "apply-form-print.png"):
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "site"), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"))
