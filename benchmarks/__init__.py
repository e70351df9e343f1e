"""Benchmarks of the archive generator and site: a synthetic corpus, the timing harness,
and the search measurements. Run with ``make bench``; results go to docs/performance.md."""
