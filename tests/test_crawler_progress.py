"""Long commands show progress on a terminal and print nothing extra elsewhere."""

import os
import pty
import subprocess
import sys

from crawler.progress import progress_bar
from fixture_portal.server import PortalServer
from fixture_portal.site import build_portal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _on_a_terminal(args: list[str], cwd, **environ) -> tuple[int, bytes]:
    """Runs a command with a pseudo-terminal as its standard streams; its exit code and all it drew."""
    main, child = pty.openpty()
    env = dict(os.environ, PYTHONPATH=ROOT, TERM="xterm", XXGK_AUTOTHROTTLE="0", **environ)
    process = subprocess.Popen(args, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd)
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return process.wait(timeout=120), seen


def test_no_bar_off_a_terminal(capsys):
    with progress_bar("working", 10) as advance:
        advance(5)
    assert capsys.readouterr().err == ""


def test_bar_on_a_terminal(tmp_path):
    script = ("from crawler.progress import progress_bar\n"
              "with progress_bar('re-extracting', 4) as advance:\n"
              "    [advance(1) for _ in range(4)]\n")
    code, seen = _on_a_terminal([sys.executable, "-c", script], tmp_path)
    assert code == 0 and b"re-extracting" in seen and b"4/4" in seen


def _crawl(base: str, portal, tmp_path) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", base + portal.start_paths["main"],
            "--family", "trs_wcm"]


def test_crawl_shows_its_progress_on_a_terminal(tmp_path):
    portal = build_portal()
    with PortalServer(portal) as server:
        code, seen = _on_a_terminal(_crawl(server.url, portal, tmp_path), tmp_path, XXGK_LOG_LEVEL="ERROR",
                                    DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite")
    text = seen.decode("utf-8", "replace")
    assert code in (0, 3), text[-2000:]  # 3: the portal fails some documents on purpose
    assert "pages/s" in text and "documents stored" in text and "reports" in text
    export = [sys.executable, "-m", "crawler.cli", "export", "--out", str(tmp_path / "cells.csv")]
    code, seen = _on_a_terminal(export, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite")
    assert code == 0 and b"exporting" in seen and b"cells written" in seen


def test_crawl_draws_nothing_off_a_terminal(tmp_path):
    portal = build_portal()
    with PortalServer(portal) as server:
        done = subprocess.run(_crawl(server.url, portal, tmp_path), cwd=tmp_path, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=ROOT, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="ERROR",
                                       DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite"),
                              timeout=120)
    assert "pages/s" not in done.stderr + done.stdout
