"""The ``xxgk`` console script: Scrapy's command line with the project's settings.

Errors a user can act on (``crawler.exitcodes.XxgkError``) print one line and exit with their
documented code; anything else prints one line too, exit code 1. ``--debug`` (anywhere on the
command line) shows the traceback instead.
"""

from __future__ import annotations

import os
import sys

from crawler.exitcodes import UNEXPECTED, XxgkError


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.cmdline import execute

    try:
        execute(["xxgk", *args])
    except XxgkError as exc:
        if debug:
            raise
        print(f"xxgk: error: {exc}", file=sys.stderr)
        sys.exit(exc.code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        print(f"xxgk: unexpected error: {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
              file=sys.stderr)
        sys.exit(UNEXPECTED)


if __name__ == "__main__":
    main()
