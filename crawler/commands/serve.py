"""``xxgk serve [--port N] [--host H] [--database URL]``: Datasette over the SQLite database, with
the codebook's descriptions, facets and canned queries (``storage.browse``). A PostgreSQL corpus
is browsed through a SQLite copy: ``xxgk export --format sqlite --out corpus.sqlite``."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from scrapy.commands import ScrapyCommand
from sqlalchemy.engine import make_url

from crawler.exitcodes import ConfigurationError
from crawler.preflight import check_database


def check_listen(host: str, port: int) -> None:
    """That Datasette can listen on ``host:port``, said in one line when it cannot (the address
    is taken, or not this machine's) rather than in the web server's log after it started."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ConfigurationError(f"--host {host!r}: {exc.strerror or exc}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server itself binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Browse the corpus in Datasette: facets, a report's tables with flags, canned queries"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--database", help="SQLite database URL or file (default: DATABASE_URL)")
        parser.add_argument("--port", type=int, default=8001, help="port (default 8001)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")

    def run(self, args, opts) -> None:
        url = opts.database or self.settings.get("DATABASE_URL")
        if url and "://" not in url:
            url = f"sqlite:///{url}"
        if not url.startswith("sqlite"):
            raise ConfigurationError("xxgk serve browses a SQLite database; for PostgreSQL make a copy first: "
                                     "xxgk export --format sqlite --out corpus.sqlite, then "
                                     "xxgk serve --database corpus.sqlite")
        if not 1 <= opts.port <= 65535:
            raise ConfigurationError(f"--port {opts.port}: a port is a number from 1 to 65535")
        check_listen(opts.host, opts.port)
        check_database(url, write=True, create=False).close()  # the views and the codebook at the current revision
        path = Path(make_url(url).database)
        try:
            import datasette  # noqa: F401
        except ImportError as exc:
            raise ConfigurationError("xxgk serve needs Datasette: pip install datasette") from exc
        from storage.browse import metadata

        with tempfile.TemporaryDirectory() as folder:
            meta = Path(folder) / "metadata.json"
            meta.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), encoding="utf-8")
            print(f"xxgk serve: {path} at http://{opts.host}:{opts.port}/{path.stem} (Ctrl-C stops)", flush=True)
            command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata", str(meta),
                       "--host", opts.host, "--port", str(opts.port), "--setting", "sql_time_limit_ms", "5000"]
            child = subprocess.Popen(command)
            stopped = []

            def forward(signum, frame) -> None:  # a stop of xxgk serve stops Datasette with it
                stopped.append(signum)
                child.send_signal(signum)

            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, forward)
            code = child.wait()
            self.exitcode = 0 if stopped else code
