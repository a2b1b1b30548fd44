"""Peak-day benchmark and fault-injection harness (apart from the tests: these measure, tests assert)."""
