"""Deterministic workflow code: no I/O here, only decisions, timers and activity calls."""
