"""The tables' own arithmetic, checked and reported, never corrected."""

from __future__ import annotations

from pipelines.model import Cell, Issue

from .. import schema

Values = dict[str, dict[str, dict[str, int | float | None]]]


def _sum_check(code: str, where: str, total, parts: list, label: str) -> Issue | None:
    """Compare a printed total with its parts; blanks count as 0 once anything is printed."""
    if total is None and all(p is None for p in parts):
        return None
    found = sum(p or 0 for p in parts)
    if abs((total or 0) - found) > 1e-6:
        return Issue(code, where, f"{label}: printed {total}, parts add up to {found}")
    return None


def check_report(cells: list[Cell], template: str) -> list[Issue]:
    values: Values = {}
    for cell in cells:
        values.setdefault(cell.table, {}).setdefault(cell.row, {})[cell.column] = cell.value
    issues: list[Issue] = []
    apps = values.get("applications", {})
    if apps:
        handling = [r for r in schema.HANDLING_ROWS[template] if r in apps]
        handling += ["other_handling"] if template == "2021" and "other_handling" in apps else []
        for column in schema.APPLICANT_COLUMNS:

            def get(row: str, column: str = column):
                return apps.get(row, {}).get(column)

            left = [get("new_received"), get("carried_over")]
            right = [get("total_handled"), get("carried_forward")]
            if any(v is not None for v in left + right):
                l_sum, r_sum = sum(v or 0 for v in left), sum(v or 0 for v in right)
                if abs(l_sum - r_sum) > 1e-6:
                    issues.append(Issue("identity_broken", f"applications.{column}",
                                        f"new_received + carried_over = {l_sum}, "
                                        f"total_handled + carried_forward = {r_sum}"))
            issue = _sum_check("total_handled_mismatch", f"applications.total_handled.{column}",
                               get("total_handled"), [get(r) for r in handling],
                               "total_handled vs handling rows")
            if issue:
                issues.append(issue)
        for row, cols in apps.items():
            issue = _sum_check("applicant_total_mismatch", f"applications.{row}.total",
                               cols.get("total"), [cols.get(c) for c in schema.APPLICANT_COLUMNS[:-1]],
                               "total vs applicant columns")
            if issue:
                issues.append(issue)
    for row, cols in values.get("review_litigation", {}).items():
        issue = _sum_check("review_total_mismatch", f"review_litigation.{row}.total",
                           cols.get("total"), [cols.get(c) for c in schema.REVIEW_COLUMNS[:-1]],
                           "total vs results")
        if issue:
            issues.append(issue)
    return issues
