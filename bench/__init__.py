"""Benchmarks of the ziett SDK against raw httpx and the openai client (``make bench``).

``bench.server`` is a minimal HTTP/1.1 server speaking just enough of the Ziett API,
run in its own process; ``bench.run`` drives the scenarios and writes
``bench/RESULTS.md`` and ``bench/results.json``.
"""
