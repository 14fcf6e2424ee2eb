"""Redirects with loops named: a redirect back to a URL of its own chain fails at once with
the chain as its reason (Scrapy's duplicate filter would otherwise drop it without a word)."""

from __future__ import annotations

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, redirected.url])}"[:300])
        return super()._redirect(redirected, request, reason)
