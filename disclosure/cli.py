"""Command line: `python build.py [build|check|serve|new] [options]`."""

from __future__ import annotations

import argparse
import errno
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from . import scaffold
from .errors import BuildFailed, Problems, display_path
from .pipeline import BuildOptions, Progress, build, check_rendered

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_CRASH, EXIT_WARNINGS = 0, 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    defaults = BuildOptions()
    parser = argparse.ArgumentParser(
        prog="build.py", description="政府信息公开专栏静态网站生成器：校验内容并生成网站。")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "serve", "new"],
                        help="build：校验并生成网站（默认）；check：只校验，不生成；"
                             "serve：本地预览，修改后自动刷新；new：新建文件、解读或任务分解表")
    parser.add_argument("--content", type=Path, default=defaults.content, help="内容目录（默认 content/）")
    parser.add_argument("--output", type=Path, default=defaults.output, help="输出目录（默认 site/）")
    parser.add_argument("--config", type=Path, default=defaults.config, help="配置文件（默认 config.yaml）")
    parser.add_argument("--templates", type=Path, default=defaults.templates, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help="覆盖 config.yaml 中的 base_url，如 https://www.example.gov.cn")
    parser.add_argument("--base-path", help="覆盖 config.yaml 中的 base_path，如 /xxgk/")
    parser.add_argument("--no-search", action="store_true", help="不生成搜索索引（快速预览时使用）")
    parser.add_argument("--previous", metavar="文件或网址",
                        help="上一次构建的 api/documents.json（文件路径、site 目录或 http(s) 网址），"
                             "用来生成变化清单 api/changes.json")
    parser.add_argument("--jobs", type=int, help="生成页面时使用的进程数（默认每个处理器核心一个）")
    parser.add_argument("--cache", type=Path, default=BuildOptions().cache, metavar="目录",
                        help="缓存目录（默认 .cache/；CI 可以保存并恢复它，使构建只重做改动的部分）")
    parser.add_argument("--no-cache", action="store_true",
                        help="不使用 .cache/ 中的缓存，全部重新生成（结果与使用缓存时完全相同）")
    parser.add_argument("--debug", action="store_true", help="程序出错时显示完整的 Python 错误信息")
    parser.add_argument("--port", type=int, default=8000, help="serve 的端口（默认 8000）")
    scaffold.add_arguments(parser)
    return parser


_OS_REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有权限",
               errno.EPERM: "没有权限", errno.EROFS: "所在的文件系统是只读的", errno.EIO: "磁盘读写错误",
               errno.EMFILE: "同时打开的文件太多", errno.ENAMETOOLONG: "路径太长"}


def _os_reason(exc: OSError) -> str:
    reason = _OS_REASONS.get(exc.errno or 0)
    return f"{reason}（{exc.strerror}）" if reason else (exc.strerror or str(exc))


def _report(problems: Problems) -> None:
    for problem in problems.errors + problems.warnings:
        print(problem.format(), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.what and args.command != "new":
        parser.error(f"“{args.what}”只能跟在 new 后面，如 build.py new {args.what}")
    options = BuildOptions(content=args.content, output=args.output, config=args.config,
                           templates=args.templates, base_url=args.base_url, base_path=args.base_path,
                           search=not args.no_search, previous=args.previous, jobs=args.jobs,
                           cache=None if args.no_cache else args.cache)
    try:
        if args.command == "serve":
            from .serve import preview_dir, serve  # the preview server (tornado) is only loaded when asked for

            # The preview never writes site/: it builds into .cache/preview/ unless told otherwise.
            output = None if args.output.resolve() == BuildOptions().output.resolve() else args.output
            return serve(replace(options, output=output or preview_dir(options.config)), args.port, args.debug)
        if args.command == "new":
            return scaffold.run(args, options.content, options.config)
        if args.command == "check":
            problems = Problems()
            check_rendered(options, problems)
            _report(problems)
            if problems.errors:
                print(f"校验未通过：{len(problems.errors)} 个错误，{len(problems.warnings)} 个警告。", file=sys.stderr)
                return EXIT_ERRORS
            if problems.warnings:
                print(f"校验通过，但有 {len(problems.warnings)} 个警告。", file=sys.stderr)
                return EXIT_WARNINGS
            print("校验通过，没有发现问题。")
            return EXIT_OK
        result = build(options)
    except BuildFailed as failed:
        _report(failed.problems)
        print(f"构建失败：发现 {len(failed.problems.errors)} 个错误（另有 {len(failed.problems.warnings)} 个警告）。"
              f"网站没有更新，{display_path(options.output)}/ 保持原样。请按上面的提示逐条修改后重新构建。",
              file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("构建已中断，网站没有更新。", file=sys.stderr)
        return EXIT_CRASH
    except OSError as exc:  # the disk or its permissions, not the program: said in an operator's words
        if args.debug:
            traceback.print_exc()
        where = f"“{display_path(exc.filename)}”" if exc.filename else (Progress.current or "文件")
        print(f"构建失败：读写 {where} 时出错：{_os_reason(exc)}。网站没有更新，{display_path(options.output)}/ 保持原样。"
              "请检查磁盘空间和目录权限后重新构建。", file=sys.stderr)
        return EXIT_CRASH
    except Exception as exc:  # one clear line for editors; --debug for developers
        if args.debug:
            traceback.print_exc()
        where = f"（处理 {Progress.current} 时）" if Progress.current else ""
        print(f"构建失败{where}：{type(exc).__name__}: {exc}。网站没有更新，{display_path(options.output)}/ 保持原样。"
              "加 --debug 可查看详细错误信息。", file=sys.stderr)
        return EXIT_CRASH
    _report(result.problems)
    site = result.site
    print(f"构建完成：{len(site.documents)} 个文件、{len(site.content.interpretations)} 篇解读、"
          f"{sum(len(t.tasks) for t in site.task_tables)} 项任务，共 {result.pages} 个页面，"
          f"写入 {display_path(options.output)}/（构建日期 {site.build_date}，取自{result.date_source}）。")
    for note in result.notes:
        print(note)
    for line in result.stats.summary():
        print(line)
    return EXIT_OK
