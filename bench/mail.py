"""An e-mail backend for the fan-out benchmark: each message is built and encoded to bytes as the SMTP
backend does before it writes to the server, then counted and dropped (no copy kept, no network)."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

taken = 0


class CountingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        global taken
        for message in email_messages:
            message.message().as_bytes(linesep="\r\n")
        taken += len(email_messages)
        return len(email_messages)
