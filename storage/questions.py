"""The research questions of the README, as canned queries (``xxgk serve``) and as the tests run them;
a test keeps them and the README's SQL the same."""

QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("county_requests", "How many information requests did county-level bodies receive, by province and year?",
     """SELECT r.year, r.province, SUM(c.value) AS requests
FROM reports r JOIN cells c ON c.report_id = r.id
WHERE r.admin_level = 'county' AND c.table_name = 'applications'
  AND c.row_key = 'new_received' AND c.column_key = 'total'
GROUP BY r.year, r.province
ORDER BY r.year, r.province;
"""),
    ("process_information_share", "What share of handled requests was refused as process information (过程性信息)?",
     """SELECT year,
       SUM(CASE WHEN row_key = 'withheld_process_information' THEN value END) AS refused,
       SUM(CASE WHEN row_key = 'total_handled' THEN value END) AS handled
FROM v_harmonised
WHERE table_name = 'applications' AND column_key = 'total'
GROUP BY year
ORDER BY year;
"""),
    ("tables_that_do_not_add_up", "Which bodies' tables do not add up?",
     """SELECT r.agency, r.year, f.code, f.location, f.detail
FROM flags f JOIN reports r ON r.id = f.report_id
WHERE f.code IN ('identity_broken', 'total_handled_mismatch',
                 'applicant_total_mismatch', 'review_total_mismatch')
ORDER BY r.agency, r.year, f.location;
"""),
    ("review_and_litigation",
     "How many review and litigation cases were there each year, and how many ended corrected?",
     """SELECT year, SUM(CASE WHEN column_key = 'total' THEN value END) AS cases,
       SUM(CASE WHEN column_key = 'corrected' THEN value END) AS corrected
FROM v_harmonised
WHERE table_name = 'review_litigation'
GROUP BY year
ORDER BY year;
"""),
    ("enterprises_2021", "Under the 2021 template, how many requests came from commercial enterprises, by year?",
     """SELECT year, SUM(commercial_enterprise) AS from_enterprises, SUM(total) AS all_requests
FROM v_applications_2021
WHERE row_key = 'new_received'
GROUP BY year
ORDER BY year;
"""),
)
