"""The API's routers, one module per concern, mounted under /api/v1 by api.app."""
