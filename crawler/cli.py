"""The ``xxgk`` console script: Scrapy's command line with the project's settings (``xxgk
reextract`` runs without it where its arguments allow: crawler/rerun.py).

Errors a user can act on (``crawler.exitcodes.XxgkError``) print one line and exit with their
documented code; anything else prints one line too, exit code 1. ``--debug`` (anywhere on the
command line) shows the traceback instead.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

from crawler.exitcodes import CONFIGURATION, error_line

COMMANDS = ("demo", "crawl", "recrawl", "status", "extract", "reextract", "export", "serve", "db")


def usage() -> str:
    """``xxgk --help``: xxgk's commands, each with its line of help."""
    lines = ["Usage: xxgk <command> [options]   (xxgk <command> -h for its options)", "", "Commands:"]
    for name in COMMANDS:
        command = import_module(f"crawler.commands.{name}").Command()
        lines.append(f"  {name:<11}{command.short_desc()}")
    lines += ["", "--debug (anywhere) shows tracebacks. Exit codes: 0 ok, 2 could not start, 3 some documents",
              "failed, 4 run failed, 5 interrupted (README 'Exit codes'). Scrapy's own commands (shell, fetch,",
              "list, …) still work, as `xxgk <command>` or `scrapy <command>`."]
    return "\n".join(lines)


def _xxgk_usage(cmdline) -> None:
    """Per-command help says ``xxgk crawl``, not ``scrapy crawl``; a mistyped option is an error
    (Scrapy's command line ignores options it does not know: ``status --dtabase URL`` read the
    default database), and a command-line error is one line naming the command's help."""
    base = cmdline.ScrapyArgumentParser

    class Parser(base):
        def __init__(self, *args, usage: str | None = None, **kwargs) -> None:
            if usage and usage.startswith("scrapy "):
                usage = "xxgk " + usage[len("scrapy "):]
            super().__init__(*args, usage=usage, **kwargs)

        def parse_known_args(self, args=None, namespace=None):
            opts, rest = super().parse_known_args(args, namespace)
            unknown = [arg for arg in rest if arg.startswith("-") and arg != "-"]
            if unknown:
                self.error(f"unknown option {unknown[0]}")
            return opts, rest

        def error(self, message: str):
            command = (self.usage or "").split()[1:2]
            hint = f" (`xxgk {command[0]} -h` lists its options)" if command else ""
            self.exit(CONFIGURATION, f"xxgk: error: {message}{hint}\n")

    cmdline.ScrapyArgumentParser = Parser


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    if debug:
        os.environ["XXGK_DEBUG"] = "1"  # crawler.runs keeps Scrapy's tracebacks in the log
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        sys.exit(0)
    sys.argv[0] = "xxgk"  # argparse's errors name the program by it
    if not args[0].startswith("-") and not _known(args[0]):
        print(f"xxgk: error: unknown command {args[0]!r} (`xxgk --help` lists the commands)", file=sys.stderr)
        sys.exit(CONFIGURATION)
    try:
        if args[0] == "reextract":
            from crawler import rerun  # without Scrapy's command line where its arguments allow

            if rerun.main(args[1:]):
                from crawler.forks import leave

                leave(0)  # its pool shut and its connections closed
        _scrapy(args)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        line, code = error_line(exc)
        print(line, file=sys.stderr)
        sys.exit(code)


def _known(name: str) -> bool:
    """xxgk's commands, and Scrapy's own (shell, fetch, …), which it still runs."""
    from importlib.util import find_spec

    return name in COMMANDS or (name.isidentifier() and find_spec(f"scrapy.commands.{name}") is not None)


def _scrapy(args: list[str]) -> None:
    """The command through Scrapy's command line (which exits)."""
    from scrapy import cmdline
    from scrapy.cmdline import execute

    if args[0] in ("crawl", "recrawl", "demo"):
        # Scrapy's HTTP handler builds deprecated aliases with inspect.stack(), whose cost grows with
        # the stack's depth and the modules loaded: imported here, at the top, it costs ~0.1 s instead
        # of the ~1 s it takes when the engine loads it deep inside the crawl.
        import scrapy.core.downloader.handlers.http11  # noqa: F401

    _xxgk_usage(cmdline)
    execute(["xxgk", *args])


if __name__ == "__main__":
    main()
