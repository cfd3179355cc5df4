"""Benchmark helpers for the matching engine (variant generator, scale test)."""
