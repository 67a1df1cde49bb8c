"""The synthetic-board benchmark: `python -m benchmarks.run` prints measured tables (not a test)."""
