import pytest

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
