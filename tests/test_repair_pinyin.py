import pytest

from pipelines.repair.pinyin import strip_annotations


@pytest.mark.parametrize(
    ("text", "clean", "removed"),
    [
        ("事務(wù)局", "事務局", 1),
        ("政府信息公開(kāi)", "政府信息公開", 1),
        ("國(guó)家秘密", "國家秘密", 1),
        ("公开（kai）", "公开", 1),  # full-width brackets, no tone marks
        ("（一）予以公开", "（一）予以公开", 0),
        ("咖啡(café)", "咖啡(café)", 0),
        ("附件(a)", "附件(a)", 0),
        ("事務(kāi)局", "事務(kāi)局", 0),  # not a reading of 務: kept
    ],
)
def test_strip_annotations(text, clean, removed):
    assert strip_annotations(text) == (clean, removed)


def test_document_strings_repaired_each_on_its_own():
    """The stages look at a document's strings together but repair each one alone: a
    bookmark's brackets, an annotation and non-breaking spaces stay in their own string, and a
    string holding the joining character itself is cleaned as well."""
    from pipelines.repair import repair_strings

    texts = ["政府信息公開(kāi)工作", "[bookmark:", "a]\xa01", "\u200b２\xa0", "\x1f[bookmark:x]y", ""]
    repaired, repairs = repair_strings(texts)
    assert repaired == ["政府信息公开工作", "[bookmark:", "a] 1", "２ ", "\x1fy", ""]
    assert repairs == ["pinyin_annotations:1", "t2s"]
    plain = ["（一）予以公开", "12", "\xa0"]
    assert repair_strings(plain) == (["（一）予以公开", "12", " "], [])
