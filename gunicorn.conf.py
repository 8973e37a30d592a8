"""gunicorn settings for the web processes (Procfile: `web`). Each can be changed by its variable."""

from __future__ import annotations

import os
import shutil
import tempfile

import gunicorn.http.wsgi

# Threads share one psycopg connection pool per process (portal/settings.py, DATABASE_POOL):
# a request waits for a free connection rather than opening one of its own.
bind = f"{os.environ.get('GUNICORN_BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
os.environ.setdefault("DATABASE_POOL", "true")
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a request that hangs longer restarts its worker
graceful_timeout = 30  # on deploy, requests in flight finish before the worker leaves
keepalive = 5  # above the load balancer's idle timeout is not needed; below it costs reconnects
max_requests = 2000  # recycle workers now and then, against slow memory growth
max_requests_jitter = 200
# Each worker loads the application after the fork, so no database connection or pool is shared.
preload_app = False
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No product name and version in the Server header: gunicorn has no setting for it, and takes the
# value from this module's global for every response it writes (workers inherit it at the fork).
gunicorn.http.wsgi.SERVER = "portal"
control_socket_disable = True  # not used; two instances on one machine would share its path

# Access log lines go through the portal's JSON formatter; the request id is the response header.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Metrics from every worker process are added up by prometheus-client in this folder (one per
# gunicorn instance; emptied at start so the figures of an earlier run do not linger).
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"portal-metrics-{bind}"))


def on_starting(server) -> None:
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
