"""Commands for people who run An Sinh: synthetic data, evaluations, benchmarks."""
