"""API throttles that tell clients apart by the portal's one rule for the client address."""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from portal.middleware import client_ip


class _ClientAddress:
    def get_ident(self, request) -> str:
        # DRF's own reading trusts X-Forwarded-For whole unless NUM_PROXIES is set; ours never does.
        return client_ip(request) or "unknown"


class AnonThrottle(_ClientAddress, AnonRateThrottle):
    pass


class UserThrottle(_ClientAddress, UserRateThrottle):
    pass
