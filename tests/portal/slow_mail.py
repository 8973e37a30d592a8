"""E-mail backends for outbox tests: one that is slow to send, one that always fails."""

import time
from smtplib import SMTPException

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SlowLocmemBackend(LocmemBackend):
    def send_messages(self, messages):
        time.sleep(1)  # long enough for a second worker to arrive while the first is sending
        return super().send_messages(messages)


class BrokenBackend(LocmemBackend):
    def send_messages(self, messages):
        raise SMTPException("SMTP server refused the message")
