"""Labels over several lines, labels cut or misprinted, and the tables' arithmetic choosing the
reading: rows built as the readers emit them (a line of a PDF, a row of a pipe table)."""

from pipelines import schema
from pipelines.extract import labels
from pipelines.extract.map_tables import map_tables, to_cells
from pipelines.model import GridCell

HEADER = [["三、收到和处理政府信息公开申请情况"], ["申请人情况"],
          ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]]


def _grid(rows):
    return [[GridCell(t) for t in row] for row in rows]


def _line(label, *values):
    return [label, *values] if values else [label, *[""] * 7]


def _apps(rows, template="2021", year=2022):
    mapping = map_tables([_grid(HEADER + rows)], year)
    cells = {(c.row, c.column): c.value for c in to_cells(mapping) if c.table == "applications"}
    return mapping, cells


def test_distinctive_words_find_a_cut_or_misprinted_label():
    assert labels.match_words("2.其他法律行政法规禁", labels.APPLICATION_ROWS) == "withheld_prohibited_by_law"
    misprinted = labels.match_words("3.补正后申请内容仍不名确", labels.APPLICATION_ROWS)
    assert misprinted == "unavailable_unclear_after_correction"
    assert labels.match_words("4.保护第三方合法权益", labels.APPLICATION_ROWS) == "withheld_third_party_rights"
    assert labels.match_words("办理", labels.APPLICATION_ROWS) is None  # two characters name nothing


def test_values_on_the_second_line_of_a_wrapped_label_reach_its_row():
    rows = [
        _line("一、本年新收政府信息公开申请数量", "10", "2", "", "", "", "", "12"),
        _line("（一）予以公开", "6", "1", "", "", "", "", "7"),
        _line("（二）部分公开（区分处理的，只"),  # the label's first line, blank beside it
        _line("计这一情形，不计其他情形）", "4", "1", "", "", "", "", "5"),
        _line("（七）总计", "10", "2", "", "", "", "", "12"),
    ]
    mapping, cells = _apps(rows)
    assert cells[("partially_granted", "natural_person")] == 4
    assert cells[("partially_granted", "total")] == 5
    assert mapping.reading.startswith("labels joined")


def test_a_label_wrapped_after_its_values_is_joined_and_the_next_label_is_not():
    rows = [
        _line("一、本年新收政府信息公开申请数量", "3", "", "", "", "", "", "3"),
        _line("（三）不予公开"),
        _line("2.其他法律行政法规禁", "3", "", "", "", "", "", "3"),
        _line("止公开"),
        _line("3.危及“三安全一稳定”", "", "", "", "", "", "", ""),
        _line("（七）总计", "3", "", "", "", "", "", "3"),
    ]
    mapping, cells = _apps(rows)
    assert cells[("withheld_prohibited_by_law", "natural_person")] == 3
    assert cells[("withheld_security_stability", "natural_person")] is None


def test_two_rows_never_take_the_same_label():
    rows = [
        _line("一、本年新收政府信息公开申请数量", "5", "", "", "", "", "", "5"),
        _line("（一）予以公开", "2", "", "", "", "", "", "2"),
        _line("（一）予以公开", "9", "", "", "", "", "", "9"),  # a second copy of the row
        _line("（七）总计", "2", "", "", "", "", "", "2"),
    ]
    _, cells = _apps(rows)
    assert cells[("granted", "natural_person")] == 2


def test_when_no_reading_adds_up_the_printed_figures_stay_and_are_flagged():
    from pipelines.extract import checks

    rows = [
        _line("一、本年新收政府信息公开申请数量", "5", "", "", "", "", "", "5"),
        _line("（一）予以公开", "2", "", "", "", "", "", "2"),
        _line("（七）总计", "4", "", "", "", "", "", "4"),  # misprinted: 2 handled, total 4
    ]
    mapping, cells = _apps(rows)
    assert cells[("total_handled", "natural_person")] == 4
    codes = {i.code for i in checks.check_report(to_cells(mapping), mapping.template)}
    assert "total_handled_mismatch" in codes


def test_review_table_as_three_small_tables_under_their_headings():
    rows = [["四、政府信息公开行政复议、行政诉讼情况"],
            ["行政复议"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], ["3", "1", "0", "0", "4"],
            ["行政诉讼（未经复议直接起诉）"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
            ["2", "0", "0", "1", "3"],
            ["行政诉讼（复议后起诉）"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
            ["0", "0", "0", "0", "0"]]
    mapping = map_tables([_grid([["本年制发件数"]] + rows)], 2022)
    found = mapping.found["review_litigation"]
    assert [found[r]["total"] for r in schema.REVIEW_ROWS] == ["4", "3", "0"]
    assert found["review"]["upheld"] == "3" and found["litigation_direct"]["pending"] == "1"
