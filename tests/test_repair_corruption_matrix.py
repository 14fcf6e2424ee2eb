"""Every real report and a fixture page, corrupted each way portals corrupt text, repairs to
the clean simplified text and extracts to the same cells; lossy damage says it is lossy."""

import difflib
import random
from importlib import resources

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import opencc
import pytest
from gold.gold_set import score, wrong_numbers
from pypinyin import Style, pinyin

from fixture_portal.forms import render_forms
from fixture_portal.reports import SHARED, synthetic_report
from pipelines.extract import extract, read, repair

TO_TRADITIONAL = opencc.OpenCC("s2t.json").convert
TO_TAIWAN = opencc.OpenCC("s2tw.json").convert  # what Big5 pages hold (為, not 爲)
REPORTS = resources.files("fixture_portal") / "reports"


def _annotate(text: str, every: int = 3) -> str:
    """What conversion widgets do: a tone-marked reading after some characters."""
    rng = random.Random(5)
    out = []
    for ch in text:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.randrange(every) == 0:
            out.append(f"({pinyin(ch, style=Style.TONE)[0][0]})")
    return "".join(out)


def _clean_sources():
    for stem in SHARED:
        text = (REPORTS / f"{stem}.txt").read_text(encoding="utf-8")
        if stem.startswith("001_"):  # the published edition is itself traditional with pinyin
            text = repair(read(text.encode("utf-8"))).text
            continue
        yield stem, text, "text/plain"
    report = synthetic_report("临江市教育局", 2022, "2021", seed=7)
    yield "fixture-html", render_forms(report)["html"].decode("utf-8"), "text/html"


CORRUPTIONS = {
    # name: (function text -> (bytes, content-type suffix), lossy)
    "gbk_unlabelled": (lambda t: (t.encode("gb18030"), ""), False),
    "gbk_labelled_utf8": (lambda t: (t.encode("gb18030"), "; charset=utf-8"), False),
    "big5_labelled_utf8": (lambda t: (TO_TAIWAN(t).replace("\xa0", " ").encode("big5hkscs", "strict"),
                                       "; charset=utf-8"), False),
    "utf8_labelled_gb2312": (lambda t: (t.encode("utf-8"), "; charset=gb2312"), False),
    "double_encoded_utf8": (lambda t: (t.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"), ""), False),
    "gbk_read_as_latin1": (lambda t: (t.encode("gb18030").decode("latin-1").encode("utf-8"), ""), False),
    "utf8_read_as_gbk": (lambda t: (t.encode("utf-8").decode("gbk", "replace").encode("utf-8"), ""), True),
    "traditional": (lambda t: (TO_TRADITIONAL(t).encode("utf-8"), ""), False),
    "traditional_pinyin": (lambda t: (_annotate(TO_TRADITIONAL(t)).encode("utf-8"), ""), False),
}
SOURCES = list(_clean_sources())


def _meta_charset_free(text: str) -> str:
    return text.replace('charset=utf-8"', '"').replace("charset=utf-8", "")


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
@pytest.mark.parametrize("source", SOURCES, ids=[s[0] for s in SOURCES])
def test_repairs_to_clean_text_and_same_cells(source, corruption):
    name, clean_text, mime = source
    clean_text = _meta_charset_free(clean_text)
    corrupt, lossy = CORRUPTIONS[corruption]
    try:
        body, label = corrupt(clean_text)
    except UnicodeEncodeError:
        pytest.skip("text not encodable in this charset")
    clean_bytes = clean_text.encode("utf-8")
    clean_doc = repair(read(clean_bytes, mime + "; charset=utf-8"))
    doc = repair(read(body, mime + label))
    ratio = difflib.SequenceMatcher(None, doc.text, clean_doc.text, autojunk=False).ratio()
    expected = extract(clean_bytes, mime + "; charset=utf-8")
    got = extract(body, mime + label)
    if lossy:
        assert "lossy" in got.repairs, got.repairs
        _, _, wrong = score(got, {"tables": expected.tables()})
        assert wrong_numbers(wrong) == []
        return
    assert ratio >= 0.999, (ratio, doc.repairs, doc.encoding_reason)
    assert got.tables() == expected.tables()
    assert (got.agency, got.year, got.template) == (expected.agency, expected.year, expected.template)


@pytest.mark.parametrize("source", SOURCES, ids=[s[0] for s in SOURCES])
def test_clean_text_passes_unchanged(source):
    name, text, mime = source
    text = _meta_charset_free(text)
    doc = read(text.encode("utf-8"), mime)
    before = doc.text
    repaired = repair(doc)
    assert repaired.repairs == []
    assert repaired.text == before
