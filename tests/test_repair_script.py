from pipelines.repair.script import to_simplified

SIMPLIFIED = "怀化市民族宗教事务局2020年政府信息公开工作年度报告，（一）予以公开。"


def test_traditional_converted():
    text, converted = to_simplified("懷化市民族宗教事務局2020年政府信息公開工作年度報告，（一）予以公開。")
    assert converted and text == SIMPLIFIED


def test_simplified_passes_through_unchanged():
    text, converted = to_simplified(SIMPLIFIED)
    assert not converted and text == SIMPLIFIED
