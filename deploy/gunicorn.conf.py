"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py "vetting:create_app()"``.

Several worker processes (SQLite in WAL mode serves concurrent readers; writers queue on the
busy timeout), a few threads each for requests that wait on the database, JSON access logs on
stdout. Environment: VETTING_BIND, VETTING_WEB_WORKERS, VETTING_WEB_THREADS.
"""
import multiprocessing
import os

bind = os.environ.get("VETTING_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("VETTING_WEB_WORKERS", str(min(8, multiprocessing.cpu_count() * 2))))
worker_class = "gthread"
threads = int(os.environ.get("VETTING_WEB_THREADS", "4"))
timeout = 60  # a PDF report of a large procurement takes seconds, never a minute
graceful_timeout = 30
max_requests = 5000  # recycle workers now and then; jitter so they do not restart together
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# One JSON object per request (the app's own logs are JSON too with VETTING_LOG_FORMAT=json).
access_log_format = ('{"time": "%(t)s", "logger": "access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
                     '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "agent": "%(a)s"}')
