import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipelines.repair.decode import decode, looks_like_text, normalise_charset

TEXT = "怀化市民族宗教事务局2020年政府信息公开工作年度报告。本年新收政府信息公开申请数量为三十件，予以公开二十件。" * 4


@pytest.mark.parametrize(
    ("body", "content_type", "encoding"),
    [
        (TEXT.encode("gbk"), None, "gb18030"),  # GBK, no label at all
        (TEXT.encode("gbk"), "text/html; charset=utf-8", "gb18030"),  # GBK labelled UTF-8
        (TEXT.encode("utf-8"), "text/html; charset=gb2312", "utf-8"),  # UTF-8 labelled GB2312
        (TEXT.encode("utf-8"), None, "utf-8"),
        ("\ufeff".encode() + TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8"),  # BOM wins
        (f'<meta charset="gb2312">{TEXT}'.encode("gb18030"), "text/html", "gb18030"),
    ],
)
def test_decode_from_bytes(body, content_type, encoding):
    decoded = decode(body, content_type)
    assert decoded.encoding == encoding
    assert TEXT in decoded.text
    assert decoded.reason


def test_gb2312_label_reads_as_gb18030():
    # 镕 is outside GB2312; portals labelled gb2312 still serve it.
    body = ('<meta charset="gb2312">' + "朱镕基" + TEXT).encode("gb18030")
    decoded = decode(body, "text/html; charset=gb2312")
    assert decoded.encoding == "gb18030" and "朱镕基" in decoded.text


def test_big5_mislabelled_as_utf8():
    traditional = "懷化市民族宗教事務局政府信息公開工作年度報告，本年新收政府信息公開申請數量。" * 4
    decoded = decode(traditional.encode("big5"), "text/html; charset=utf-8")
    assert decoded.encoding == "big5hkscs"
    assert decoded.text == traditional


def test_undecodable_bytes_are_marked_lossy():
    decoded = decode(b"\xff\xfe\xfa" * 50 + TEXT.encode("utf-8"))
    assert decoded.text  # never raises, never empty


@pytest.mark.parametrize(("label", "codec"), [("GB2312", "gb18030"), ("gbk", "gb18030"),
                                              ("big5", "big5hkscs"), ("UTF8", "utf-8"), ("nonsense", None)])
def test_normalise_charset(label, codec):
    assert normalise_charset(label) == codec


MARKUP = "<p class=\"MsoNormal\" style=\"text-align:center\"><span lang=\"EN-US\">&nbsp;</span></p>\n" * 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MARKUP + TEXT, True),
        (MARKUP + TEXT + "\ufffd", False),  # a replacement character: a decode that lost bytes
        (MARKUP + TEXT + "\ue0a5", False),  # private use: the wrong table's codes
        (MARKUP + TEXT.encode("gbk").decode("big5hkscs", "ignore"), False),  # CJK, but not words
        (MARKUP + "\x01" * 3 + TEXT, True),  # a few stray controls in a long page pass
        (MARKUP + "\x01" * 40 + TEXT, False),  # many are binary
        ("报告" * 5, True),  # too little CJK to judge
    ],
)
def test_looks_like_text(text, expected):
    assert looks_like_text(text) is expected


# The text judgement written plainly, character by character over the whole sample: what the
# byte-level shortcuts of looks_like_text (controls counted on UTF-8 bytes, the rest looked for
# beyond ASCII, a prefix of the CJK counted first) must agree with on any string.
def _plain_judgement(text: str) -> bool:
    from pipelines.repair.decode import _COMMON, SAMPLE

    sample = text[:SAMPLE]
    if any(c == "\ufffd" or "\ue000" <= c <= "\uf8ff" for c in sample):
        return False
    controls = sum(1 for c in sample if c <= "\x08" or c == "\x0b" or "\x0e" <= c <= "\x1f" or c == "\x7f")
    if controls > len(sample) / 1000 + 1:
        return False
    cjk = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    common = sum(1 for c in cjk if c in _COMMON)
    return len(cjk) < 20 or common / len(cjk) >= 0.25


_COMMON_CJK, _RARE_CJK = "的一是在不了有和人这中大为上个国", "龘龖鬱釁爨齉鑫曌"


def _mixed(markup: int, common: int, rare: int, controls: int, odd: str, rng) -> str:
    chars = (list("<p class='x'>a\n\t&nbsp;") * (markup // 20 + 1))[:markup]
    chars += [rng.choice(_COMMON_CJK) for _ in range(common)] + [rng.choice(_RARE_CJK) for _ in range(rare)]
    chars += [rng.choice("\x00\x01\x08\x0b\x0e\x1f\x7f") for _ in range(controls)] + list(odd)
    rng.shuffle(chars)
    return "".join(chars)


@settings(max_examples=600, deadline=None)
@given(markup=st.integers(0, 30_000), common=st.integers(0, 300), rare=st.integers(0, 300),
       controls=st.integers(0, 40), odd=st.sampled_from(["", "\ufffd", "\ue000", "\uf8ff", "\ud800", "é，😀"]),
       rng=st.randoms(use_true_random=False))
@example(markup=100, common=25, rare=75, controls=0, odd="", rng=random.Random(0))  # a share of 0.25 exactly
@example(markup=100, common=24, rare=76, controls=0, odd="", rng=random.Random(0))  # just under
@example(markup=3000, common=30, rare=0, controls=4, odd="", rng=random.Random(0))  # controls at the limit
@example(markup=3000, common=30, rare=0, controls=5, odd="", rng=random.Random(0))  # one over
@example(markup=25_000, common=0, rare=300, controls=0, odd="", rng=random.Random(0))  # mostly past the sample
def test_looks_like_text_agrees_with_the_plain_judgement(markup, common, rare, controls, odd, rng):
    text = _mixed(markup, common, rare, controls, odd, rng)
    assert looks_like_text(text) == _plain_judgement(text)


def test_looks_like_text_on_real_pages_agrees_with_the_plain_judgement():
    from pathlib import Path

    for page in sorted(Path(__file__).parent.glob("gold/real/*.html")):
        body = page.read_bytes()
        for codec in ("utf-8", "gb18030", "big5hkscs", "latin-1"):
            text = body.decode(codec, errors="replace")
            assert looks_like_text(text) == _plain_judgement(text), (page.name, codec)
