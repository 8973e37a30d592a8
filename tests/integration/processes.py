"""The production processes, started as separate programs for the scale-out test: gunicorn with
gunicorn.conf.py, Celery workers on the `celery` and `mail` queues, and beat. Every wait is bounded."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.integration.conftest import BASE_DIR, CELERY, wait_for

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
START_SECONDS = 45


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def details(self) -> str:
        return f"--- log of {self.name} (exit code {self.popen.poll()}) ---\n{self.log()[-6000:]}"

    def stop(self) -> None:
        """SIGTERM the process group (a warm shutdown), then SIGKILL whatever is left after 20 s."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)


class Processes:
    """Starts programs with one shared environment and stops them all at the end."""

    def __init__(self, environment: dict[str, str], folder: Path) -> None:
        self.environment = environment
        self.folder = folder
        self.started: list[Process] = []

    def _start(self, name: str, command: list[str], **extra: str) -> Process:
        log_path = self.folder / f"{name}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(command, cwd=BASE_DIR, env={**self.environment, **extra}, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        process = Process(name, popen, log_path)
        self.started.append(process)
        return process

    def web(self, name: str, port: int) -> Process:
        """gunicorn as the Procfile starts it, on a loopback port; ready once /healthz answers 200."""
        process = self._start(name, [GUNICORN, "--config", "gunicorn.conf.py", "portal.wsgi"],
                              PORT=str(port), GUNICORN_BIND_HOST="127.0.0.1", GUNICORN_WORKERS="1",
                              GUNICORN_THREADS="4", PROMETHEUS_MULTIPROC_DIR=str(self.folder / f"metrics-{name}"))

        def healthy() -> bool:
            if process.popen.poll() is not None:
                return True  # reported below
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False

        wait_for(healthy, timeout=START_SECONDS, what=f"{name} to answer /healthz", details=process.details)
        assert process.popen.poll() is None, process.details()
        return process

    def worker(self, name: str, *, queues: str = "celery,mail") -> Process:
        process = self._start(name, [CELERY, "-A", "portal", "worker", f"--queues={queues}", "--pool=prefork",
                                     "--concurrency=1", "--loglevel=INFO", f"--hostname={name}@%h",
                                     "--without-gossip", "--without-mingle", "--without-heartbeat"])
        wait_for(lambda: " ready." in process.log() or process.popen.poll() is not None, timeout=START_SECONDS,
                 what=f"worker {name} to start", details=process.details)
        assert process.popen.poll() is None, process.details()
        return process

    def beat(self) -> Process:
        process = self._start("beat", [CELERY, "-A", "portal", "beat", "--loglevel=INFO",
                                       f"--schedule={self.folder / 'beat-schedule'}"])
        wait_for(lambda: "beat: Starting" in process.log() or process.popen.poll() is not None,
                 timeout=START_SECONDS, what="beat to start", details=process.details)
        assert process.popen.poll() is None, process.details()
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()
