"""A source's agency (sources.yaml) reaches the extractor: in the crawl and from stored bytes."""

from pipelines.extract import hints_for, metadata
from pipelines.model import RawDocument
from storage.repository import Repository


def test_the_source_agency_is_a_hint_in_the_crawl_and_in_reextraction(tmp_path):
    raw = RawDocument(url="http://a.gov.cn/nb.html", source="linjiang", agency="临江市教育局", status=200,
                      body="<html><title>2023年政府信息公开工作年度报告</title></html>".encode())
    assert hints_for(raw).source_agency == "临江市教育局"
    # a title that names no body takes the source's agency
    assert metadata.agency_of("2023年政府信息公开工作年度报告", hints_for(raw).source_agency) == "临江市教育局"
    repo = Repository.from_url(f"sqlite:///{tmp_path}/x.sqlite")
    repo.create_schema()
    repo.upsert_sources("trs_wcm", [{"name": "linjiang", "agency": "临江市教育局", "region": None,
                                     "start_urls": ["http://a.gov.cn/"]}])
    stored = repo.record(raw)
    again = repo.load_raw(stored.document_id)
    repo.close()
    assert hints_for(again).source_agency == "临江市教育局"
