from scrapy.http import HtmlResponse, Request
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.middlewares.charset import CharsetRepairMiddleware

TEXT = "<html><body><p>" + "临江市人民政府政府信息公开年度报告，本年新收申请三十件。" * 5 + "</p></body></html>"


def _middleware():
    crawler = get_crawler(settings_dict={"CHARSET_REPAIR_ENABLED": True})
    return build_from_crawler(CharsetRepairMiddleware, crawler)


def test_gbk_labelled_utf8_is_relabelled_and_body_kept():
    body = TEXT.encode("gbk")
    request = Request("http://127.0.0.1/a.html")
    response = HtmlResponse(request.url, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                            request=request)
    assert "临江市" not in response.text  # what Scrapy alone would read
    fixed = _middleware().process_response(request, response)
    assert "临江市人民政府" in fixed.text
    assert fixed.body == body
    assert request.meta["xxgk_encoding"][0] == "gb18030"


def test_correct_label_left_alone():
    request = Request("http://127.0.0.1/a.html")
    response = HtmlResponse(request.url, body=TEXT.encode("utf-8"),
                            headers={"Content-Type": "text/html; charset=utf-8"}, request=request)
    assert _middleware().process_response(request, response) is response


def test_the_text_decided_here_is_the_text_scrapy_would_decode():
    """The middleware hands its decoded text to the response: the same string Scrapy's own decode
    of the body with the decided codec gives, for each way a page comes (strict decodes only)."""
    cases = [(TEXT.encode("utf-8"), "text/html; charset=utf-8"), (TEXT.encode("gbk"), "text/html; charset=utf-8"),
             (TEXT.encode("gbk"), "text/html"), (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "text/html; charset=gbk"),
             (TEXT.encode("big5", "ignore"), "text/html; charset=big5"), (b"<p>plain ascii</p>", "text/html")]
    for body, content_type in cases:
        request = Request("http://127.0.0.1/a.html")
        response = HtmlResponse(request.url, body=body, headers={"Content-Type": content_type}, request=request)
        fixed = _middleware().process_response(request, response)
        fresh = HtmlResponse(request.url, body=body, headers={"Content-Type": content_type}, request=request,
                             encoding=fixed.encoding)
        assert fixed._cached_ubody is not None and fixed.text == fresh.text, content_type
