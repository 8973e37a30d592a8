"""A file e-mail backend that holds each message back, so that a test can kill a worker in the middle of a send.

A worker uses it with EMAIL_BACKEND=tests.integration.slow_backend.SlowFileBackend and
EMAIL_URL=filemail:////some/folder (the folder the messages are written to). Before it writes, it
leaves a marker in SLOW_EMAIL_MARKER_DIR, named after its process id and holding the ids of the
notifications it is sending: the test's sign that the worker is inside the send, with the row locked.
Then it waits until the file SLOW_EMAIL_RELEASE_FILE exists, or SLOW_EMAIL_SECONDS have passed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        marker_dir = os.environ.get("SLOW_EMAIL_MARKER_DIR")
        if marker_dir:
            ids = ",".join(m.extra_headers.get("X-Portal-Notification", "?") for m in email_messages)
            Path(marker_dir, f"sending-{os.getpid()}-{time.time_ns()}").write_text(ids)
        release = os.environ.get("SLOW_EMAIL_RELEASE_FILE")
        deadline = time.monotonic() + float(os.environ.get("SLOW_EMAIL_SECONDS", "5"))
        while time.monotonic() < deadline and not (release and Path(release).exists()):
            time.sleep(0.05)
        return super().send_messages(email_messages)
