"""``policytext crawl --engine scrapy``: crawler processes on any number of machines share one
frontier and duplicate filter in Redis (scrapy-redis), fetch with Scrapy under the rules of the
SITES.toml profiles, and extract with policytext's pipeline into spool parts and WARC files in the
data directory; the linking step makes them records.

Scrapy, scrapy-redis and redis are imported only here (the ``scale`` extra).
"""
