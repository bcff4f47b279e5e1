"""Benchmarks: `python -m benchmarks` times every page's data work on the large demo
warehouse (benchmarks/pages.py); `python benchmarks/refresh_benchmark.py` times a refresh."""
