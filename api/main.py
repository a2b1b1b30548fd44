"""The application for `uvicorn api.main:app`, configured from the environment."""

from api.app import create_app
from common import startup_heap

app = create_app()
# An API request's objects die with it: at CPython's default young threshold (700) the collector ran every few
# requests, only to find the requests in flight alive, and took ~6 % of the API's CPU over a bench day; at 10,000
# about 0.1 % (docs/performance-log.md).
# The worker keeps the default: its workflows' state outlives a task, and there a larger young generation traded
# a little CPU for longer pauses.
startup_heap.freeze(young_threshold=10_000)
