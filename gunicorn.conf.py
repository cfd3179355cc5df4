"""gunicorn settings for the web tier (`gunicorn mobility.wsgi`; gunicorn reads this file from the
working directory, or pass `--config gunicorn.conf.py`). Every value can be set from the
environment; docs/operations.md explains the choices."""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.getenv(name, "").strip()
    return int(value) if value else default


bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the pages and the API are short database-bound requests. Default: 2 per core + 1.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# A request taking longer than this is killed (the worker restarts); the matcher's ranking and
# the PDF renders finish in well under a second, bulk writes in a few seconds.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows; the jitter keeps them from all
# restarting at once.
# The longest request line gunicorn takes (its maximum); longer ones get its own 414 page, which
# the OpenAPI schema declares. Keep the proxy's limit at least as large (nginx:
# large_client_header_buffers 4 16k).
limit_request_line = 8190
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# No preload: each worker loads the matcher's index on its first ranking call. The index's
# arrays are memory-mapped `.npy` files, so the workers of a machine share one copy in the page
# cache anyway, and each worker needs its own refresher thread and database connection, which
# do not survive a fork from a preloaded master.
preload_app = False

# The reverse proxy terminates TLS and is the only peer (docs/operations.md, NUM_PROXIES).
forwarded_allow_ips = os.getenv("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log on stdout with the request id the service answered with (X-Request-ID), so a line
# of the access log meets the application's own log lines of the same request.
accesslog = os.getenv("GUNICORN_ACCESS_LOG", "-")
errorlog = os.getenv("GUNICORN_ERROR_LOG", "-")
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s ua="%(a)s"'
    if os.getenv("GUNICORN_ACCESS_LOG_FORMAT", "text") == "text"
    else (
        '{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(B)s", '
        '"duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
    )
)
