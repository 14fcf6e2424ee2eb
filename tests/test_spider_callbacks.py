"""The check Scrapy would make on every response, made once (``WARN_ON_GENERATOR_RETURN_VALUE`` is
off in crawler/settings.py): no spider method that is a generator returns a value, which Scrapy
would silently drop."""

from __future__ import annotations

import inspect

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings


def generator_methods():
    loader = SpiderLoader.from_settings(get_project_settings())
    for name in loader.list():
        spider = loader.load(name)
        for cls in spider.__mro__:
            if not cls.__module__.startswith("crawler."):
                continue
            for attribute, value in vars(cls).items():
                if inspect.isgeneratorfunction(value):
                    yield f"{cls.__module__}.{cls.__name__}.{attribute}", value


def test_the_spiders_have_generator_callbacks_to_check():
    assert len({name for name, _ in generator_methods()}) >= 5


def test_no_generator_method_of_a_spider_returns_a_value():
    returning = sorted({name for name, method in generator_methods() if is_generator_with_return_value(method)})
    assert returning == []


def test_the_check_finds_a_generator_that_returns_a_value():
    def parse(response):
        yield response
        return "dropped"

    assert is_generator_with_return_value(parse)
