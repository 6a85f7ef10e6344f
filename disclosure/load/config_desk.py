"""config.yaml's `desk:` section: where the editing desk at /admin/ commits (render/desk.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config_values import Reader, base_url_problem, shown
from .source import Mapping


DESK_BACKENDS = ("github", "gitlab", "gitea")
REPO = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+\Z")
BRANCH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\Z")


@dataclass(frozen=True)
class DeskOptions:
    """Where the editing desk commits: a repository on GitHub, GitLab or Gitea. `host` is the
    address of a self-hosted GitLab or Gitea (empty: gitlab.com, or github.com)."""

    backend: str
    repo: str
    branch: str = "main"
    host: str = ""
    app_id: str = ""  # the OAuth application's client id, for signing in to GitLab or Gitea (PKCE)
    oauth: str = ""  # GitHub: the address of the OAuth gateway that signs editors in (Decap's base_url)


def read_desk(read: Reader, data: Mapping) -> DeskOptions | None:
    node = read.section(data, "desk", "编辑台设置", set(DeskOptions.__dataclass_fields__))
    if node is None:
        return None
    where = "编辑台设置 desk"
    backend = read.text(node, "backend", where)
    if backend and backend not in DESK_BACKENDS:
        read.error(node, "backend", f"{where}的 backend“{shown(backend)}”不认识", "可选：" + "、".join(DESK_BACKENDS))
    repo = read.text(node, "repo", where)
    if repo and not REPO.match(repo):
        read.error(node, "repo", f"{where}的 repo“{shown(repo)}”不是仓库名", "写成 所有者/仓库名，如 xxgk/zhuanlan")
    branch = read.text(node, "branch", where, required=False, default="main")
    if not BRANCH.match(branch) or ".." in branch:
        read.error(node, "branch", f"{where}的 branch“{shown(branch)}”不是分支名", "写成 branch: main")
    host = read.text(node, "host", where, required=False).rstrip("/")
    problem = host and base_url_problem(host)
    if problem:
        read.error(node, "host", f"{where}的 host“{shown(host)}”{problem}", "写成 host: https://git.example.gov.cn")
    if host and backend == "github":
        read.error(node, "host", f"{where}的 host 只用于自建的 GitLab 或 Gitea", "backend 是 github 时删去 host")
    app_id = read.text(node, "app_id", where, required=False)
    if app_id and not re.fullmatch(r"[A-Za-z0-9_.-]{1,200}", app_id):
        read.error(node, "app_id", f"{where}的 app_id“{shown(app_id)}”不合规", "照抄 GitLab 或 Gitea 中 OAuth 应用的 Client ID")
    oauth = read.text(node, "oauth", where, required=False).rstrip("/")
    problem = oauth and base_url_problem(oauth)
    if problem:
        read.error(node, "oauth", f"{where}的 oauth“{shown(oauth)}”{problem}", "写成 oauth: https://oauth.example.gov.cn")
        oauth = ""
    if oauth and backend != "github":
        read.error(node, "oauth", f"{where}的 oauth 只用于 GitHub", "GitLab、Gitea 用 app_id 登录，删去 oauth")
    return DeskOptions(backend, repo, branch, host, app_id, oauth)
