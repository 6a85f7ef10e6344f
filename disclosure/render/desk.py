"""The editing desk at /admin/: Decap CMS (vendored in vendor/decap-cms/ at a pinned version,
checked against its SHA256SUMS) with a configuration generated here from config.yaml and the
content schemas of load/loader.py, so the form asks for what the build checks and nothing is
written by hand. See docs/editing-desk.md.

The desk is a set of plan entries (render/plan.py, `desk_outputs`): admin/index.html with its own
Content-Security-Policy (Decap needs 'unsafe-eval' and inline styles, which the public pages never
allow), admin/config.yml, the preview script and styles, and the vendored bundle. None of them is an
HtmlPage, so the sitemap, the feeds and search never see them, and no public page links to them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import yaml

from ..load.config import Config
from ..load.config_desk import DeskOptions
from .desk_form import content_collections, vocabularies
from .desk_participation import participation_collections
from .desk_reports import reports


VENDOR = Path(__file__).with_name("vendor") / "decap-cms"
FILES = Path(__file__).with_name("desk_files")
PROXY = "http://127.0.0.1:8081/api/v1"  # decap-server, started by `make edit`
PROXY_ORIGINS = ("http://127.0.0.1:8081", "http://localhost:8081")


@functools.lru_cache(maxsize=None)
def vendored() -> tuple[tuple[str, str], ...]:
    """The vendored Decap files (name, SHA-256), each checked against SHA256SUMS."""
    checked = []
    for line in filter(None, (VENDOR / "SHA256SUMS").read_text("utf-8").split("\n")):
        digest, name = line.split()
        if hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() != digest:
            raise RuntimeError(f"编辑台的 Decap CMS 文件 {VENDOR / name} 与 SHA256SUMS 不符：请用 git 恢复，"
                               "或运行 scripts/vendor-decap 重新获取。")
        checked.append((name, digest))
    return tuple(checked)


def version() -> str:
    return json.loads((VENDOR / "decap-entry.json").read_text("utf-8"))["version"]



def collections(config: Config) -> list[dict]:
    v = vocabularies(config)
    return [*content_collections(v), reports(config), *participation_collections(v)]


def backend(desk: DeskOptions) -> dict:
    found = {"name": desk.backend, "repo": desk.repo, "branch": desk.branch}
    if desk.backend == "gitlab" and desk.host:
        found["api_root"] = desk.host + "/api/v4"
        found["base_url"] = desk.host
    if desk.backend == "gitea":
        host = desk.host or "https://gitea.com"
        found["api_root"] = host + "/api/v1"
        found["base_url"] = host
    if desk.app_id:
        found.update(auth_type="pkce", app_id=desk.app_id)
    if desk.oauth:  # GitHub has no PKCE: Decap signs in through an OAuth gateway at this address
        found["base_url"] = desk.oauth
    if desk.backend in ("github", "gitlab"):  # Decap's Gitea backend has no editorial workflow
        found["squash_merges"] = True
    return found


def api_origin(desk: DeskOptions) -> str:
    if desk.backend == "github":
        return "https://api.github.com"
    return desk.host or ("https://gitlab.com" if desk.backend == "gitlab" else "https://gitea.com")


def desk_config(config: Config) -> dict:
    desk = config.desk
    found = {
        "locale": "zh_Hans",
        "backend": backend(desk),
        # With decap-server on this machine (`make edit`) and the desk opened on 127.0.0.1, Decap
        # works on the local repository instead; on any other host it is ignored.
        "local_backend": {"url": PROXY, "allowed_hosts": ["127.0.0.1", "localhost"]},
        "site_url": config.site.origin_url,
        "display_url": config.site.origin_url,
        "media_folder": "content/files",
        "public_folder": "/files",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(config),
    }
    if desk.backend != "gitea":
        found["publish_mode"] = "editorial_workflow"
    return found


# libyaml's emitter where PyYAML has it (its wheels do): the same text as the pure-Python one in
# much less time (tests/unit/test_desk.py compares them). The text of the last form is kept, since
# a serve session rebuilds in one process on every save and the form changes only with config.yaml.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_last: dict[str, bytes] = {}


def config_yaml(config: Config) -> bytes:
    form = desk_config(config)
    key = json.dumps(form, ensure_ascii=False)
    if key not in _last:
        head = "# 由 config.yaml 和内容的字段表生成（disclosure/render/desk.py），请勿手工修改。\n"
        text = yaml.dump(form, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        _last.clear()
        _last[key] = (head + text).encode("utf-8")
    return _last[key]


def csp(config: Config) -> str:
    """The desk's own policy: Decap compiles its configuration schema at run time ('unsafe-eval')
    and styles its components inline; it talks to the git host's API and, on 127.0.0.1, to the proxy."""
    api = api_origin(config.desk)
    connect = " ".join(["'self'", "blob:", api, *PROXY_ORIGINS])
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob: {api}; media-src 'self' blob:; font-src 'self' data:; "
            f"connect-src {connect}; frame-src 'self' blob:; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")


def index_html(config: Config) -> bytes:
    template = (FILES / "index.html").read_text("utf-8")
    return (template.replace("{{csp}}", csp(config)).replace("{{site}}", config.site.name)
            .replace("{{version}}", version()).replace("{{base}}", config.site.base_path)).encode("utf-8")


def own_file(name: str) -> bytes:
    return (FILES / name).read_bytes()


def desk_files(config: Config) -> list[tuple[str, object]]:
    """(path in the site, function giving its bytes) for every file of the desk made by the build,
    in a fixed order; the vendored Decap files are `shipped_files`."""
    if config.desk is None:
        return []
    return [
        ("admin/index.html", lambda: index_html(config)),
        ("admin/config.yml", lambda: config_yaml(config)),
        ("admin/desk.js", lambda: own_file("desk.js")),
        ("admin/preview.css", lambda: own_file("preview.css")),
    ]


def shipped_files(config: Config) -> dict[str, Path]:
    """Path in the site → vendored file, for the desk's Decap files: shipped as they are, like the
    static files (copied, or linked from the previous site while unchanged), checked against
    SHA256SUMS once per process."""
    if config.desk is None:
        return {}
    return {f"admin/decap/{name}": VENDOR / name for name, _ in vendored() if name.endswith(".js")}
