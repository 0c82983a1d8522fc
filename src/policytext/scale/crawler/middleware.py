"""Every request a Scrapy crawler makes (redirect hops and robots.txt included) obeys the address
rules of the built-in crawl: http(s) on the site's ``allowed_domains`` (a host entry covers the
default port only), and only public addresses unless the site sets ``allow_private_addresses``."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from ...errors import FetchError
from ...fetch import check_public_host


class AddressRules:
    """Downloader middleware: refuse a request off its site, or to an address that is not public."""

    def process_request(self, request):
        site = self.crawler.spider.site_for(request)
        if site is None or not site.allows(request.url):
            raise IgnoreRequest(f"redirect_offsite: {request.url} is not on an allowed domain")
        if not site.policy.allow_private_addresses:
            try:
                check_public_host(request.url)
            except FetchError as exc:
                raise IgnoreRequest(f"private_address: {exc}") from None
        return None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls()
        middleware.crawler = crawler
        return middleware
