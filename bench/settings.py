"""The production settings, plus the bare view the benchmark compares every page with (bench/urls.py)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
