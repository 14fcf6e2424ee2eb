"""Format detection by signature, and documents that cannot be read say why."""

import io

import pytest
from reportlab.pdfgen import canvas

from fixture_portal.forms import render_forms
from fixture_portal.reports import synthetic_report
from pipelines.extract import extract
from pipelines.extract.sniff import sniff_format

REPORT = synthetic_report("临江市教育局", 2022, "2021", seed=7)
FORMS = render_forms(REPORT)


@pytest.mark.parametrize(
    ("form", "fmt"),
    [("html", "html"), ("docx", "docx"), ("xlsx", "xlsx"), ("pdf", "pdf"), ("text_tab_rows", "text")],
)
def test_sniff_by_signature(form, fmt):
    assert sniff_format(FORMS[form]) == fmt


def test_signature_beats_extension(tmp_path):
    # A PDF served as .doc is still read as PDF.
    assert extract(FORMS["pdf"]).format == "pdf"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "ole"


def _black_page_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(50, 50, 400, 600, fill=1)  # an image-only page: no text layer
    page.save()
    return out.getvalue()


def test_scan_without_tables_says_ocr_found_none():
    report = extract(_black_page_pdf())
    assert report.status == "unrecognised_layout" and report.cells == []
    assert "OCR" in report.reason


def test_scan_without_ocr_installed_stays_needs_ocr_naming_the_package(monkeypatch):
    from pipelines.extract import read_scan

    monkeypatch.setattr(read_scan, "TESSDATA_DIRS", ())
    monkeypatch.delenv("XXGK_TESSDATA", raising=False)
    report = extract(_black_page_pdf())
    assert report.status == "needs_ocr" and "tesseract-ocr-chi-sim" in report.reason


def test_truncated_pdf_is_unreadable_not_a_crash():
    report = extract(FORMS["pdf"][: len(FORMS["pdf"]) // 3])
    assert report.status in ("unreadable", "unrecognised_layout")
    assert report.reason


def test_corrupt_docx_is_unreadable():
    body = bytearray(FORMS["docx"])
    body[200:400] = b"\0" * 200
    report = extract(bytes(body))
    assert report.status == "unreadable" and report.reason


def test_unruled_pdf_never_invents_numbers():
    from fixture_portal.render_pdf import render_pdf
    from fixture_portal.reports import prose

    report = extract(render_pdf(REPORT, prose(REPORT), ruled=False))
    got = report.tables()
    for table, rows in got.items():
        for row, cols in rows.items():
            for col, value in cols.items():
                assert value is None or value == REPORT["tables"][table][row][col], (table, row, col)


def test_isolated_parser_killed_after_its_time():
    import os
    import time

    from pipelines.extract.isolate import run_isolated
    from pipelines.extract.limits import UnsafeDocument

    started = time.perf_counter()
    with pytest.raises(UnsafeDocument, match="longer than"):
        run_isolated(time.sleep, (30,), 0.5)
    assert time.perf_counter() - started < 10
    with pytest.raises(UnsafeDocument, match="died"):
        run_isolated(os._exit, (3,), 5)
    assert run_isolated(len, (b"abc",), 5) == 3


def test_the_kept_parser_child_serves_documents_in_turn_and_is_replaced_when_killed():
    import os
    import time

    from pipelines.extract.isolate import run_kept
    from pipelines.extract.limits import UnsafeDocument

    first = run_kept(os.getpid, (), 30)
    assert run_kept(os.getpid, (), 5) == first != os.getpid()  # the same child, the next document
    held = run_kept(os.listdir, ("/proc/self/fd",), 5)
    assert len(held) <= 5  # its standard streams and its pipe (and listdir's own): none of the parent's files
    started = time.perf_counter()
    with pytest.raises(UnsafeDocument, match="longer than"):
        run_kept(time.sleep, (30,), 0.5)
    assert time.perf_counter() - started < 10
    second = run_kept(os.getpid, (), 30)
    assert second != first
    with pytest.raises(UnsafeDocument, match="died"):
        run_kept(os._exit, (3,), 5)
    with pytest.raises(ValueError, match="ZeroDivisionError"):
        run_kept(divmod, (1, 0), 30)
    assert run_kept(len, (b"abc",), 5) == 3


def test_the_kept_parser_child_is_replaced_by_its_memory_not_after_a_few_documents(monkeypatch):
    """A child serves document after document while its memory stays low (a new one costs a
    start), and is replaced once it holds more than MAX_CHILD_MIB, or after MAX_JOBS."""
    import itertools
    import os

    from pipelines.extract import isolate

    first = isolate.run_kept(os.getpid, (), 30)
    assert {isolate.run_kept(os.getpid, (), 5) for _ in range(300)} == {first}
    monkeypatch.setattr(isolate, "MAX_CHILD_MIB", 1)  # every child holds more than that
    second = isolate.run_kept(os.getpid, (), 30)
    assert second != first and isolate.run_kept(os.getpid, (), 30) not in (first, second)
    monkeypatch.setattr(isolate, "MAX_CHILD_MIB", 10**6)
    monkeypatch.setattr(isolate, "MAX_JOBS", 3)
    served = [isolate.run_kept(os.getpid, (), 30) for _ in range(8)]
    runs = [len(list(same)) for _pid, same in itertools.groupby(served)]
    assert len(set(served)) == len(runs) >= 3 and max(runs) == runs[1] == 3  # a child for every 3


def test_a_fork_starts_its_own_kept_parser_child_and_leaves_the_parents_alone():
    """``xxgk reextract``'s workers are forks of a process that may hold a kept child already:
    each fork parses with a child of its own (to the fork, the parent's child is not a child it
    can wait for: it counts as ended), and the parent's child goes on serving it."""
    import os

    from pipelines.extract import isolate

    parents = isolate.run_kept(os.getpid, (), 30)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the fork: its documents go to a child of its own
        try:
            os.write(write, str(isolate.run_kept(os.getppid, (), 30)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        forks_child_parent = int(answer.read() or 0)
    os.waitpid(pid, 0)
    assert forks_child_parent == pid  # the fork's child is the fork's, not the parent's
    assert isolate.run_kept(os.getpid, (), 5) == parents  # the parent's child is untouched


@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM"])
def test_the_kept_parser_child_leaves_a_stop_to_its_parent(signum):
    """Ctrl-C and ``systemctl stop`` signal the crawl's whole process group: the parser child
    finishes the document it holds (the crawl stops gracefully and stores it), instead of dying
    and leaving it recorded as a parser's failure."""
    import os
    import signal
    import threading
    import time

    from pipelines.extract.isolate import run_kept

    child = run_kept(os.getpid, (), 30)
    threading.Timer(0.3, os.kill, (child, getattr(signal, signum))).start()
    assert run_kept(time.sleep, (1.0,), 10) is None
    assert run_kept(os.getpid, (), 5) == child


def test_the_kept_parser_child_ends_with_the_crawl_process():
    """A crawl killed with SIGKILL leaves no parser behind, even one in the middle of a document
    (a file it would parse for ever)."""
    from conftest import child_ends_with_killed_parent

    assert child_ends_with_killed_parent(
        "import os, time\nfrom pipelines.extract.isolate import run_kept\n"
        "print(run_kept(os.getpid, (), 30), flush=True)\nrun_kept(time.sleep, (60,), 120)\n")


def test_a_script_without_a_main_guard_reads_pdfs_and_runs_once(tmp_path):
    """A researcher's script calling ``extract`` at its top level: the kept PDF child is a new
    interpreter that never runs the script again (multiprocessing's fork server did, once for
    every child, the script's own documents read inside it first)."""
    import subprocess
    import sys
    from pathlib import Path

    pdf = Path(__file__).parent / "gold" / "real" / "shanghai_2019_office.libreoffice.pdf"
    script = tmp_path / "count.py"
    script.write_text("from pipelines.extract import extract\n"
                      f"report = extract(open({str(pdf)!r}, 'rb').read())\n"
                      "print('ran', report.status, len(report.cells), flush=True)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["ran ok 198"], done.stdout + done.stderr


@pytest.mark.parametrize(("head", "fmt"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"), (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
    (b"GIF89a\x01\x00\x01\x00", "gif"), (b"II*\x00\x08\x00\x00\x00", "tiff"), (b"MM\x00*\x00\x00\x00\x08", "tiff"),
    (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", "bmp"), (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
])
def test_images_are_recognised_by_signature_and_broken_ones_said_so(head, fmt):
    body = head + bytes(range(256)) * 8
    assert sniff_format(body) == fmt
    report = extract(body)
    assert report.status == "unreadable" and "image" in report.reason and report.format == fmt


def test_random_bytes_are_binary_not_text():
    import random

    body = random.Random(7).randbytes(5000)
    assert sniff_format(body) == "binary"
    assert extract(body).status == "unsupported_format"
    # Text stays text: GBK, UTF-8 and UTF-16 with its mark.
    line = "二〇二三年政府信息公开工作年度报告\n本年新收申请数量 12\t件\r\n"
    for text in (line.encode("gbk"), line.encode("utf-8")):
        assert sniff_format(text) == "text"
    assert sniff_format("年度报告".encode("utf-16")) == "text"


def test_scan_without_the_digits_model_stays_needs_ocr_naming_its_package(monkeypatch, tmp_path):
    from pipelines.extract import read_scan

    (tmp_path / "chi_sim.traineddata").write_bytes(b"")  # the Chinese model alone, as Debian may leave it
    monkeypatch.setattr(read_scan, "TESSDATA_DIRS", ())
    monkeypatch.setenv("XXGK_TESSDATA", str(tmp_path))
    report = extract(_black_page_pdf())
    assert report.status == "needs_ocr" and "tesseract-ocr-eng" in report.reason
    assert "tesseract-ocr-chi-sim" not in report.reason

