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
