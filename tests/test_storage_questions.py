"""The canned research questions of ``xxgk serve`` are the README's, word for word."""

from test_storage_research_queries import readme_queries

from storage.questions import QUESTIONS


def test_canned_questions_are_the_readme_queries():
    assert [sql.strip() for _, _, sql in QUESTIONS] == [sql.strip() for sql in readme_queries()]
