"""The application for `uvicorn api.main:app`, configured from the environment."""

from api.app import create_app
from common import startup_heap

app = create_app()
startup_heap.freeze()
