"""The whole system on one machine: embedded PostgreSQL, a Temporal dev server, the worker and the API."""
