"""`make bench`: measured figures, written into BENCHMARKS.md (not timed tests)."""
