"""Open311 GeoReport v2: municipal request systems polled over HTTP into raw snapshots.

parse.py judges request objects (pure), client.py speaks HTTP with retries and a rate limit, reader.py
reads a window page by page, poll.py stores windows and moves the cursor, server.py is a local server
with injected faults for `make run` and the tests.
"""
