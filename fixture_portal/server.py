"""Serve the fixture portal on a free loopback port, in a background thread.

Static resources answer conditional GETs (ETag, Last-Modified, 304) as real portals'
web servers do; dynamic ones (list APIs) take GET queries and POST forms.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .site import Portal, Resource, build_portal

log = logging.getLogger(__name__)
LAST_MODIFIED = 1_700_000_000  # a fixed time for unchanged resources


def etag(resource: Resource) -> str:
    return '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'


def _handler(portal: Portal, hits: list[tuple[str, str, int]], asked: list[tuple[str, str]]):
    class Handler(BaseHTTPRequestHandler):
        server_version = "nginx"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def _resolve(self, method: str, body: bytes) -> tuple[Resource | None, bool]:
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            if path in portal.handlers:
                return portal.handlers[path](method, query, body), True
            if path in portal.redirects:
                return Resource(b"", status=302, headers={"Location": portal.redirects[path]}), True
            for prefix, handler in portal.prefix_handlers.items():
                if path.startswith(prefix):
                    return handler(method, query, body, path[len(prefix):]), True
            return portal.resources.get(path), False

        def _guarded(self, path: str) -> Resource | None:
            """An anti-bot wall's answer in place of the page, where one stands and is not passed."""
            for prefix, guard in portal.guards.items():
                if path.startswith(prefix):
                    return guard(path[len(prefix):], self.headers)
            return None

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            asked.append((method, self.path))
            path = unquote(urlsplit(self.path).path)
            delay = portal.delays.get(path)
            if delay:  # a slow server, for tests that stop a crawl while a request is in flight
                time.sleep(delay)
            resource, dynamic = self._guarded(path), True
            if resource is None:
                resource, dynamic = self._resolve(method, body)
            if resource is None:
                resource = Resource(b"<html><body>404 Not Found</body></html>", status=404)
            headers = {"Content-Type": resource.content_type}
            if not dynamic and resource.status == 200:
                tag = etag(resource)
                modified = resource.modified or LAST_MODIFIED
                headers["ETag"] = tag
                headers["Last-Modified"] = formatdate(modified, usegmt=True)
                if self._not_modified(tag, modified):
                    hits.append((method, self.path, 304))
                    self.send_response(304)
                    for key in ("ETag", "Last-Modified"):
                        self.send_header(key, headers[key])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            hits.append((method, self.path, resource.status))
            self.send_response(resource.status)
            for key, value in {**headers, **resource.headers}.items():
                self.send_header(key, value)
            if "Content-Length" not in resource.headers:  # a lying length is sent as it lies
                self.send_header("Content-Length", str(len(resource.body)))
            else:
                self.close_connection = True
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(resource.body)

        def _not_modified(self, tag: str, modified: float) -> bool:
            if self.headers.get("If-None-Match"):
                return tag in [t.strip() for t in self.headers["If-None-Match"].split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return parsedate_to_datetime(since).timestamp() >= int(modified)
                except (TypeError, ValueError):
                    return False
            return False

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET")

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer("HEAD")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            log.debug("fixture portal: " + format, *args)

    return Handler


class PortalHTTPServer(ThreadingHTTPServer):
    """A threaded server whose listen backlog takes a crawl's burst of connections (the default
    of 5 drops handshakes, and the crawler's requests then hang until they time out)."""

    daemon_threads = True
    request_queue_size = 1024


class PortalServer:
    """A running fixture portal: its base URL, the portal (mutable) and the requests it saw."""

    def __init__(self, portal: Portal, host: str = "127.0.0.1", port: int = 0) -> None:
        self.portal = portal
        self.hits: list[tuple[str, str, int]] = []  # (method, path, status) of every answer
        self.asked: list[tuple[str, str]] = []  # (method, path) of every request, as it arrives
        self.httpd = PortalHTTPServer((host, port), _handler(portal, self.hits, self.asked))
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="fixture-portal", daemon=True)

    def __enter__(self) -> PortalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def serve(portal: Portal | None = None, host: str = "127.0.0.1", port: int = 0):
    """Yield the base URL (``http://127.0.0.1:PORT``) while the portal is served."""
    with PortalServer(portal or build_portal(), host, port) as server:
        yield server.url


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve the xxgk fixture portal")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    portal = build_portal()
    with serve(portal, port=args.port) as url:
        for name, path in portal.start_paths.items():
            print(f"{name:<10} {portal.families[name]:<14} {url}{path}")
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
