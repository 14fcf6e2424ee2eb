"""Serve the fixture portal on a free loopback port, in a background thread."""

from __future__ import annotations

import contextlib
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .site import Portal, build_portal

log = logging.getLogger(__name__)


def _handler(portal: Portal):
    class Handler(BaseHTTPRequestHandler):
        server_version = "nginx"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            resource = portal.resources.get(path)
            if resource is None:
                body, status, ctype = b"<html><body>404 Not Found</body></html>", 404, "text/html"
            else:
                body, status, ctype = resource.body, resource.status, resource.content_type
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            log.debug("fixture portal: " + format, *args)

    return Handler


@contextlib.contextmanager
def serve(portal: Portal | None = None, host: str = "127.0.0.1", port: int = 0):
    """Yield the base URL (``http://127.0.0.1:PORT``) while the portal is served."""
    portal = portal or build_portal()
    server = ThreadingHTTPServer((host, port), _handler(portal))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fixture-portal", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Serve the xxgk fixture portal")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serve(port=args.port) as url:
        portal = build_portal()
        for name, path in portal.start_paths.items():
            print(f"{name}: {url}{path}")
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
