"""The size cap shared by every way a page or a file comes in: fetched, read from disk or stdin, attached.

Its own module so that reading a local file does not import the fetcher and its network stack.
"""
MAX_BYTES = 20 * 1024 * 1024
