"""The README's screenshots of a document page: default, care mode (关怀版: toolbar open, 2倍 text,
high contrast) and a 360 px phone. Not a test; run it after building the site:

    .venv/bin/python build.py && .venv/bin/python tests/screenshots.py site docs
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from a11y import PAGE_TYPES, open_page, set_care  # noqa: E402
from browser import chromium, serve  # noqa: E402

SHOTS = {
    "screenshot-document.png": ({"width": 1280, "height": 1300}, None),
    "screenshot-care-mode.png": ({"width": 1280, "height": 2000}, {"size": 200, "contrast": True, "open": True}),
    "screenshot-phone.png": ({"width": 360, "height": 1400}, None),
}


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as origin, chromium() as browser:
        for name, (viewport, care) in SHOTS.items():
            page = browser.new_page(viewport=viewport)
            set_care(page, origin, care)
            open_page(page, origin, PAGE_TYPES["document"])
            page.screenshot(path=str(out / name))
            page.close()
            print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "site"), Path(sys.argv[2] if len(sys.argv) > 2 else "docs"))
