"""A webhook receiver on loopback: a real HTTP server in a thread, on a port of its own (port 0).

It answers with the statuses it is given, in turn (then 200), records every request, and verifies
signatures as a subscriber would, with nothing but the standard library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, headers: dict[str, str], body: bytes, *, tolerance: int = 300,
           now: float | None = None) -> dict:
    """What a subscriber runs (the README shows the same): check the signature and the timestamp, or raise."""
    event_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs((now or time.time()) - int(timestamp)) > tolerance:
        raise ValueError("timestamp outside the replay window")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    for candidate in headers["webhook-signature"].split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return json.loads(body)
    raise ValueError("no valid signature")


@dataclass
class Received:
    status: int
    headers: dict[str, str]
    body: bytes
    at: float  # when it arrived

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    answers: list[int] = field(default_factory=list)  # statuses to answer, in turn; 200 after them
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.requests.append(Received(status, {k.lower(): v for k, v in self.headers.items()}, body,
                                                      time.time()))
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"thanks" if status < 300 else b"try later")

            def log_message(self, *args) -> None:
                pass

        lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/portal-events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.status == 200]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
