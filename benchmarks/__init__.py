"""Benchmarks: synthetic archives, a Transformer-base test package and the timed runs."""
