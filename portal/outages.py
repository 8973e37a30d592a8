"""Remember, per process, that a dependency is down, so that requests stop waiting on it for a while."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


class Outage:
    """After a failure, `active` is true for `seconds`: callers skip the dependency instead of each
    paying for a connection attempt (a broker or cache that is down costs every request a timeout)."""

    def __init__(self, name: str, *, seconds: float) -> None:
        self.name = name
        self.seconds = seconds
        self._until = 0.0

    @property
    def active(self) -> bool:
        return time.monotonic() < self._until

    def record(self, exc: BaseException) -> None:
        if not self.active:
            logger.warning("%s unreachable (%s: %s); skipping it for %gs", self.name, type(exc).__name__, exc,
                           self.seconds)
        self._until = time.monotonic() + self.seconds

    def clear(self) -> None:
        self._until = 0.0
