"""Page-speed benchmark: seeds a large data set, serves it with gunicorn as production does and drives wrk.

`make bench` runs it (README.md, "Benchmarks"). Nothing here is imported by the portal itself.
"""
