"""Configuration and small helpers shared by every process (API, worker, local stack)."""
