"""Real servers a fault test starts and stops itself: a Redis of its own, and SMTP servers on loopback.

- `RedisServer`: redis-server on a port of its own, stopped and started again by the test.
- `SmtpSink`: aiosmtpd, keeping every message it takes; it may wait before it answers the end of DATA
  (the message is taken, the answer is slow: a sender cut off then cannot know it was delivered).
- `HungSmtpServer`: accepts connections and never says a word, as a mail server that hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import logging
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from email.message import EmailMessage

from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command otherwise

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """A loopback port nothing listens on now (runs of the suite side by side must not collide)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _wait_for_port(port: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing listens on port {port} after {timeout}s")
        time.sleep(0.05)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        await asyncio.sleep(self.sink.delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port: int | None = None, *, delay: float = 0.0) -> None:
        self.port = port or free_port()
        self.delay = delay
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def notification_ids(self) -> Counter:
        """How many e-mails each notification got (by the header render_email sets)."""
        with self.lock:
            return Counter(m["X-Portal-Notification"] for m in self.messages)


class HungSmtpServer:
    """Takes TCP connections and holds them open without a greeting, until stopped."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _address = self.listener.accept()
                self.connections.append(connection)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for connection in self.connections:
            connection.close()
