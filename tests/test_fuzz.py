"""Property-based and mutation tests: parsing, repair and extraction on random and damaged
input never raise outside their error type and never return a number the input lacks."""

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from fixture_portal.forms import render_forms
from fixture_portal.reports import synthetic_report
from pipelines import schema
from pipelines.extract import Report, extract
from pipelines.extract.values import clean_cell_text, parse_cell
from pipelines.repair.decode import decode
from pipelines.repair.mojibake import fix_mojibake
from pipelines.repair.pinyin import strip_annotations

EXAMPLES = int(os.environ.get("XXGK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CELL_TEXT = st.text(alphabet=st.sampled_from(list("0123456789０１２.-/—无驳回减少增加元万亿 \u3000件,")) |
                    st.characters(), max_size=20)
FORMS = render_forms(synthetic_report("临江市教育局", 2022, "2021", seed=7))
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@FUZZ
@given(CELL_TEXT, st.sampled_from([None, "元", "万元"]))
def test_parse_cell_only_reads_printed_digits(text, unit):
    parsed = parse_cell(text, unit)
    if parsed.value is not None:
        assert _DIGITS.search(clean_cell_text(text))
    else:
        assert parsed.kind in ("blank", "text")


@FUZZ
@given(st.integers(min_value=-10**9, max_value=10**9))
def test_parse_cell_integers_exact(number):
    assert parse_cell(str(number)).value == number


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([None, "text/html; charset=utf-8", "text/html; charset=gbk",
                                                  "text/html; charset=big5", "text/html; charset=bogus"]))
def test_decode_never_raises(body, content_type):
    decoded = decode(body, content_type)
    assert isinstance(decoded.text, str) and decoded.encoding and decoded.reason


@FUZZ
@given(st.text(max_size=500))
def test_text_repairs_never_raise(text):
    assert isinstance(fix_mojibake(text).text, str)
    stripped, removed = strip_annotations(text)
    assert len(stripped) <= len(text) and removed >= 0


def _zip_text(body: bytes) -> str | None:
    """The text of a DOCX or XLSX: its XML parts without tags (what is printed is compressed there)."""
    import io
    import re
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = []
            for name in archive.namelist():
                if name.endswith(".xml"):
                    try:
                        parts.append(archive.read(name).decode("utf-8", "replace"))
                    except Exception:  # noqa: BLE001 - a damaged member holds nothing readable
                        continue
    except Exception:  # noqa: BLE001 - not a readable archive
        return None
    return re.sub(r"<[^>]+>", "", "".join(parts))


def _printed_digits(body: bytes) -> str:
    """The document's text without white space (tags dropped, fragments joined)."""
    if body.startswith(b"PK"):
        text = _zip_text(body)
        if text is not None:
            return clean_cell_text(text)
    if body.startswith(b"%PDF"):
        try:
            import pypdfium2

            pdf = pypdfium2.PdfDocument(body)
            return clean_cell_text("".join(page.get_textpage().get_text_range() for page in pdf))
        except Exception:  # noqa: BLE001 - an unreadable PDF prints nothing
            return ""
    text = decode(body).text
    try:
        root = etree.fromstring(text, etree.HTMLParser())
        if root is not None:
            text = "".join(root.itertext())
    except (etree.ParserError, ValueError):
        pass
    return clean_cell_text(text)


def _check_report(report, body: bytes) -> None:
    assert isinstance(report, Report) and report.status
    if not report.cells:
        return
    printed = _printed_digits(body)
    for cell in report.cells:
        if cell.value is None:
            continue
        assert cell.text is not None
        assert parse_cell(cell.text, schema.COLUMN_UNITS.get(cell.column)).value == cell.value
        for digits in _DIGITS.findall(clean_cell_text(cell.text)):
            assert digits in printed, (cell, digits)


@FUZZ
@given(st.binary(max_size=5000))
def test_extract_random_bytes(body):
    _check_report(extract(body), body)


@FUZZ
@given(st.sampled_from(["html", "html_split_digits", "text_tab_rows", "text_cell_blocks", "docx", "xlsx", "pdf"]),
       st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=20),
       st.floats(0.05, 1.0))
def test_extract_mutated_documents(form, flips, keep):
    body = bytearray(FORMS[form])
    for where, value in flips:
        body[int(where * (len(body) - 1))] = value
    body = bytes(body[: max(1, int(len(body) * keep))])
    _check_report(extract(body), body)
