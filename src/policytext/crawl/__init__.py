"""The nightly crawl: site profiles, frontier, state, raw snapshots, the run and reprocessing.

Nothing heavy is imported here; ``policytext crawl`` loads requests, pyarrow and the
extraction pipeline only when it runs.
"""
