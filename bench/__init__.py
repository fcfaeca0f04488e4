"""The benchmark: ``python -m bench --scale demo|national``. See docs/benchmarks.md."""
