"""Command line: `python build.py [build|check|serve|new] [options]`."""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import os
import re
import signal
import sys
import threading
import traceback
from dataclasses import replace
from pathlib import Path

from . import scaffold
from ..load.config_values import BASE_PATH_EXAMPLE, BASE_URL_EXAMPLE, base_path_problem, base_url_problem, shown
from ..errors import BuildFailed, Problems, display_path
from ..orchestrate.pipeline import BuildOptions, build, check_site
from ..orchestrate.progress import working_on
from ..orchestrate.write import replaced

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_CRASH, EXIT_WARNINGS = 0, 1, 2, 3, 4
MAX_JOBS = 256  # more worker processes than this is a typo, not a machine


class _Parser(argparse.ArgumentParser):
    """argparse, with its complaints in Chinese like everything else the build says."""

    MESSAGES = (
        (r"argument (\S+): (.*)", lambda m: f"参数 {m[1]}：{_chinese(m[2])}"),
        (r"unrecognized arguments: (.*)", lambda m: f"不认识的参数：{m[1]}"),
        (r"expected one argument", lambda m: "后面缺少要填写的值"),
        (r"invalid (\w+) value: (.*)", lambda m: f"{m[2]} 不是{'整数' if m[1] == 'int' else '有效的值'}"),
        (r"invalid choice: (.*) \(choose from (.*)\)", lambda m: f"不能是 {m[1]}，只能是 {m[2]} 之一"),
        (r"ambiguous option: (\S+) could match (.*)", lambda m: f"{m[1]} 不完整，可能是 {m[2]}"),
        (r"ignored explicit argument (.*)", lambda m: f"这个参数后面不写值（多了 {m[1]}）"),
    )

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：命令行参数有误：{_chinese(message)}\n")


def _chinese(message: str) -> str:
    for pattern, say in _Parser.MESSAGES:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return say(match)
    return message


def _integer(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what}应是 {low} 到 {high} 之间的整数，不能是“{shown(text)}”")
    return value


def _port(text: str) -> int:
    return _integer(text, 1, 65535, "端口")


def _jobs(text: str) -> int:
    return _integer(text, 1, MAX_JOBS, "进程数")


def _checked(problem, example: str):
    def check(text: str) -> str:
        reason = problem(text)
        if reason:
            raise argparse.ArgumentTypeError(f"“{shown(text)}”{reason}。{example}")
        return text.strip()
    return check


def _parser() -> argparse.ArgumentParser:
    defaults = BuildOptions()
    parser = _Parser(
        prog="build.py", description="政府信息公开专栏静态网站生成器：校验内容并生成网站。")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "serve", "new"],
                        help="build：校验并生成网站（默认）；check：只校验，不生成；"
                             "serve：本地预览，修改后自动刷新；new：新建文件、解读或任务分解表")
    parser.add_argument("--content", type=Path, default=defaults.content, help="内容目录（默认 content/）")
    parser.add_argument("--output", type=Path, default=defaults.output, help="输出目录（默认 site/）")
    parser.add_argument("--config", type=Path, default=defaults.config, help="配置文件（默认 config.yaml）")
    parser.add_argument("--templates", type=Path, default=defaults.templates, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", type=_checked(base_url_problem, BASE_URL_EXAMPLE),
                        help="覆盖 config.yaml 中的 base_url，如 https://www.example.gov.cn")
    parser.add_argument("--base-path", type=_checked(base_path_problem, BASE_PATH_EXAMPLE),
                        help="覆盖 config.yaml 中的 base_path，如 /xxgk/")
    parser.add_argument("--no-search", action="store_true", help="不生成搜索索引（快速预览时使用）")
    parser.add_argument("--previous", metavar="文件或网址",
                        help="上一次构建的 api/documents.json（文件路径、site 目录或 http(s) 网址），"
                             "用来生成变化清单 api/changes.json")
    parser.add_argument("--jobs", type=_jobs, help="生成页面时使用的进程数（默认每个处理器核心一个）")
    parser.add_argument("--cache", type=Path, default=BuildOptions().cache, metavar="目录",
                        help="缓存目录（默认 .cache/；CI 可以保存并恢复它，使构建只重做改动的部分）")
    parser.add_argument("--no-cache", action="store_true",
                        help="不使用 .cache/ 中的缓存，全部重新生成（结果与使用缓存时完全相同）")
    parser.add_argument("--debug", action="store_true", help="程序出错时显示完整的 Python 错误信息")
    parser.add_argument("--port", type=_port, default=8000, help="serve 的端口（默认 8000）")
    scaffold.add_arguments(parser)
    return parser


_OS_REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有权限",
               errno.EPERM: "没有权限", errno.EROFS: "所在的文件系统是只读的", errno.EIO: "磁盘读写错误",
               errno.EMFILE: "同时打开的文件太多", errno.ENAMETOOLONG: "路径太长"}


def _os_reason(exc: OSError) -> str:
    reason = _OS_REASONS.get(exc.errno or 0)
    return f"{reason}（{exc.strerror}）" if reason else (exc.strerror or str(exc))


def _site_state(options: BuildOptions) -> str:
    """What became of the output, as it is: the new site replaces the old one as the build's last
    step, and a failure can only come after it in an unlucky instant."""
    if replaced(options.output):
        return f"不过新网站已经完整写入 {display_path(options.output)}/。"
    return f"网站没有更新，{display_path(options.output)}/ 保持原样。"


def _report(problems: Problems) -> None:
    for problem in problems.errors + problems.warnings:
        print(problem.format(), file=sys.stderr)


class Interrupted(KeyboardInterrupt):
    """SIGTERM (a CI job cancelled, `kill`), handled as Ctrl+C is: staging removed, workers stopped."""

    signum = signal.SIGTERM


def _interrupted(stop: KeyboardInterrupt) -> int:
    return 128 + getattr(stop, "signum", signal.SIGINT)  # as a shell reports a process stopped by the signal


def _terminated(signum, frame):
    raise Interrupted()


RESEND_SECONDS = 0.01


def _redeliver_lost_interruptions(otherwise, unraisable) -> None:
    """sys.unraisablehook; `otherwise` is the hook it replaced. A signal's handler runs wherever the
    main thread is, and when that is a weakref callback or a __del__ (the garbage collector's),
    Python prints the KeyboardInterrupt raised there as "Exception ignored" and carries on: the
    interruption is lost, and the preview server, say, keeps running after SIGTERM until it is
    killed. So the signal is sent to the main thread again, from another thread a moment later:
    sent from here, its handler would run here and be lost again. Anything else goes to
    `otherwise`."""
    stop = unraisable.exc_value
    signum = getattr(stop, "signum", signal.SIGINT)
    # Only to a handler of Python's: a signal left to the system (SIG_DFL) would end the process.
    if isinstance(stop, KeyboardInterrupt) and callable(signal.getsignal(signum)):
        again = threading.Timer(RESEND_SECONDS, signal.pthread_kill, (threading.main_thread().ident, signum))
        again.daemon = True
        again.start()
    else:
        otherwise(unraisable)


class _Output:
    """stdout or stderr as the build writes to them. What the build prints is a report, so a
    reader that went away (`build.py | head -1`, a closed terminal) must not fail or falsify a
    build, and a terminal that cannot show Chinese gets escapes instead of a crash."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except UnicodeEncodeError:
            encoding = self.stream.encoding or "ascii"
            return self.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except (OSError, ValueError):
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except (OSError, ValueError):
            self._gone()

    def _gone(self) -> None:
        # What is still buffered, and every later write, goes nowhere instead of failing again
        # (build.py flushes the real stream once more at exit).
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())
        except (OSError, ValueError, AttributeError):
            self.stream = open(os.devnull, "w", encoding="utf-8")

    def __getattr__(self, name):
        return getattr(self.stream, name)


@contextlib.contextmanager
def _guarded_process():
    """For one run of main: forgiving output streams and SIGTERM as an interruption."""
    saved = sys.stdout, sys.stderr
    # A stream closed before the start (`build.py >&-`) is None in Python; it stays a null device.
    sys.stdout, sys.stderr = (_Output(stream or open(os.devnull, "w", encoding="utf-8")) for stream in saved)
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread (main called from a test's thread): leave SIGTERM alone
        previous = None
    hook = sys.unraisablehook
    sys.unraisablehook = functools.partial(_redeliver_lost_interruptions, hook)
    try:
        yield
    finally:
        sys.unraisablehook = hook
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = (wrapped.stream if original is None else original
                                  for wrapped, original in zip((sys.stdout, sys.stderr), saved))


def _check_paths(parser: argparse.ArgumentParser, args) -> None:
    """Folders and files the command reads must exist and be what they should be (not a device or
    a pipe, which would be read forever). `new` may create the content folder."""
    wanted = [("--config", args.config, "file")]
    if args.command != "new":
        wanted += [("--content", args.content, "dir"), ("--templates", args.templates, "dir")]
    for option, path, kind in wanted:
        try:
            exists = path.exists()
        except (OSError, ValueError):
            exists = False
        if not exists:
            parser.error(f"{option}：“{shown(str(path))}”不存在")
        if kind == "dir" and not path.is_dir():
            parser.error(f"{option}：“{shown(str(path))}”不是目录，请给出{'内容' if option == '--content' else '模板'}目录")
        if kind == "file" and not path.is_file():
            parser.error(f"{option}：“{shown(str(path))}”不是普通文件，请给出 config.yaml 的路径")


def main(argv: list[str] | None = None) -> int:
    with _guarded_process():
        try:
            return _main(argv)
        except KeyboardInterrupt as stop:  # before the command started, or after it finished
            print("已中断。", file=sys.stderr)
            return _interrupted(stop)


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    for argument in sys.argv[1:] if argv is None else argv:
        # Bytes that are not UTF-8 (a name made on a GBK system) reach Python as lone surrogates,
        # which no file written by the build could carry.
        if any("\udc80" <= char <= "\udcff" for char in argument):
            parser.error(f"“{shown(argument)}”含有不是 UTF-8 编码的字节，请改用 UTF-8 的文件名或文字")
    args = parser.parse_args(argv)
    if args.what and args.command != "new":
        parser.error(f"“{args.what}”只能跟在 new 后面，如 build.py new {args.what}")
    _check_paths(parser, args)
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
            check_site(options, problems)
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
    except KeyboardInterrupt as stop:  # Ctrl+C, or SIGTERM (Interrupted)
        said = {"serve": "预览已停止。", "check": "校验已中断。", "new": "已中断，没有新建文件。"}
        built = "构建已中断，网站没有更新。"
        if replaced(options.output):
            built = f"构建已中断，但新网站已经写入 {display_path(options.output)}/。"
        print(said.get(args.command, built), file=sys.stderr)
        return _interrupted(stop)
    except OSError as exc:  # the disk or its permissions, not the program: said in an operator's words
        if args.debug:
            traceback.print_exc()
        where = f"“{display_path(exc.filename)}”" if exc.filename else (working_on(exc) or "文件")
        print(f"构建失败：读写 {where} 时出错：{_os_reason(exc)}。{_site_state(options)}"
              "请检查磁盘空间和目录权限后重新构建。", file=sys.stderr)
        return EXIT_CRASH
    except Exception as exc:  # one clear line for editors; --debug for developers
        if args.debug:
            traceback.print_exc()
        where = f"（处理 {working_on(exc)} 时）" if working_on(exc) else ""
        print(f"构建失败{where}：{type(exc).__name__}: {exc}。{_site_state(options)}"
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
