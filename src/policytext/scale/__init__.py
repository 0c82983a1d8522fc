"""Scaling out on engines people already run: extraction on Dask, crawling on Scrapy + scrapy-redis.

Workers anywhere extract pages into *spool parts* (Parquet files of extracted pages and their
fingerprints, each written whole or not at all); the machine that holds the data directory links
them into records, in its state, the same way the single-machine crawl and reprocess do. Dask,
Scrapy and Redis come with the ``scale`` extra and are imported only by the commands that use them.
"""
