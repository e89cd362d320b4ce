"""Parsing the command line, running one command, and mapping failures to exit codes."""

import argparse
import importlib
import json
import logging
import os
import sys
from pathlib import Path

from cli import COMMAND_MODULES
from core.errors import UserError

EXIT_OK = 0
EXIT_USER_ERROR = 2

log = logging.getLogger(__name__)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as one Chinese line and exit 2."""

    def error(self, message):
        command = self.prog.split(" ", 1)[1] + " " if " " in self.prog else ""
        raise UserError(f"命令行参数有误：{message}。运行 python main.py {command}--help 查看用法。")


class Context:
    """What a command needs: its arguments and a lazily opened database."""

    def __init__(self, args):
        self.args = args
        self._db = None

    @property
    def db_path(self) -> Path:
        from core.paths import default_db_path

        return Path(self.args.db) if getattr(self.args, "db", None) else default_db_path()

    @property
    def db(self):
        if self._db is None:
            from core.storage.startup import prepare
            from db.connection import open_db

            prepare(self.db_path)
            self._db = open_db(self.db_path)
        return self._db

    def print_json(self, value) -> None:
        sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None) + "\n")

    def close(self):
        if self._db is not None:
            self._db.conn.close()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件路径（默认：用户数据目录或 ZWGK_DB）")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="出错时显示详细信息")
    parser = ChineseArgumentParser(prog="main.py", description="政务公开工作台账", parents=[common])
    sub = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser, metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def _log_to_file(db_path, debug: bool) -> None:
    """Send log records to the rotating file beside the database, never to the terminal."""
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        from core.storage.logs import setup_logging

        setup_logging(db_path, logging.DEBUG if debug else logging.INFO)
    except OSError:
        pass  # an unwritable folder must not stop a command; the database open reports it


def run(argv) -> int:
    """Run one command; return its exit code."""
    debug = "--debug" in argv
    ctx = None
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USER_ERROR
        ctx = Context(args)
        _log_to_file(ctx.db_path, debug)
        result = args.func(ctx)
        return EXIT_OK if result is None else int(result)
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        if debug:
            import traceback

            traceback.print_exc()
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: never a bare traceback for a user
        log.exception("unexpected error")
        if debug:
            raise
        print(f"程序内部错误：{type(exc).__name__}: {exc}。请加 --debug 重试并将输出发给县政务公开科技术人员。", file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.close()
