"""The editing desk's generated form, read once for its tests (tests/unit/test_desk*.py)."""

from __future__ import annotations

from conftest import ROOT
from disclosure.errors import Problems
from disclosure.load import loader
from disclosure.load.config import load_config
from disclosure.render import desk

CONFIG = load_config(ROOT / "config.yaml", Problems())
FORM = desk.desk_config(CONFIG)
COLLECTIONS = {collection["name"]: collection for collection in FORM["collections"]}
SCHEMAS = {"documents": loader.DOCUMENT, "interpretations": loader.INTERPRETATION, "tasks": loader.TASK_TABLE,
           "pages": loader.PAGE, "catalogue": loader.CATALOGUE, "reports": loader.REPORT}


def fields_of(collection: str) -> dict[str, dict]:
    return {field["name"]: field for field in COLLECTIONS[collection]["fields"]}
