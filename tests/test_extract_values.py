import pytest

from pipelines.extract.values import BLANK, NUMBER, TEXT, parse_cell


@pytest.mark.parametrize(
    ("text", "unit", "value", "kind"),
    [
        ("", None, None, BLANK),
        ("  \u3000", None, None, BLANK),
        ("0", None, 0, NUMBER),
        ("０", None, 0, NUMBER),
        ("１２", None, 12, NUMBER),
        ("1 2", None, 12, NUMBER),
        ("/", None, None, TEXT),
        ("-", None, None, TEXT),
        ("—", None, None, TEXT),
        ("无", None, None, TEXT),
        ("不适用", None, None, TEXT),
        ("驳回1", None, 1, NUMBER),
        ("-3", None, -3, NUMBER),
        ("减少3", None, -3, NUMBER),
        ("10.22亿", "元", 1022000000, NUMBER),
        ("766202元", "元", 766202, NUMBER),
        ("4068.208万元", "万元", 4068.208, NUMBER),
        ("4068.208", "万元", 4068.208, NUMBER),
        ("50000元", "万元", 5, NUMBER),
        ("1,234", None, 1234, NUMBER),
        ("1（另2件）", None, None, TEXT),
    ],
)
def test_parse_cell(text, unit, value, kind):
    parsed = parse_cell(text, unit)
    assert parsed.kind == kind
    assert parsed.value == value


def test_blank_and_zero_differ():
    assert parse_cell("").value is None and parse_cell("0").value == 0


def test_note_kept_for_text_around_number():
    assert parse_cell("驳回1").note
