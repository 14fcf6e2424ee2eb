"""The ``xxgk`` console script: Scrapy's command line with the project's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.cmdline import execute

    execute(["xxgk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
