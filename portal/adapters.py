from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied

from portal.middleware import client_ip
from portal.services.notifications import notify_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """Rate limits and user sessions see the client's address by our one rule (TRUSTED_PROXY_COUNT)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account e-mails (verification, password reset) go through the outbox like every other."""
        request = allauth_context.request
        msg = self.render_mail(
            template_prefix, email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        html = next((content for content, mime in getattr(msg, "alternatives", []) if mime == "text/html"), "")
        notify_address(email=email, kind="account", subject=msg.subject, body=msg.body, html_body=html)
