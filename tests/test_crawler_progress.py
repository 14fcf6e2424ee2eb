"""Long commands show progress on a terminal and print nothing extra elsewhere."""

import os
import pty
import subprocess
import sys

from crawler.progress import progress_bar


def test_no_bar_off_a_terminal(capsys):
    with progress_bar("working", 10) as advance:
        advance(5)
    assert capsys.readouterr().err == ""


def test_bar_on_a_terminal():
    script = ("from crawler.progress import progress_bar\n"
              "with progress_bar('re-extracting', 4) as advance:\n"
              "    [advance(1) for _ in range(4)]\n")
    main, child = pty.openpty()
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), TERM="xterm")
    subprocess.run([sys.executable, "-c", script], stdin=child, stdout=child, stderr=child, env=env, timeout=60)
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
    assert b"re-extracting" in seen and b"4/4" in seen
