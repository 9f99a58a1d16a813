"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py "vetting:create_app()"``.

Several worker processes (SQLite in WAL mode serves concurrent readers; writers queue on the
busy timeout), a few threads each for requests that wait on the database, JSON access logs on
stdout. Environment: VETTING_BIND, VETTING_WEB_WORKERS, VETTING_WEB_THREADS.
"""
import gc
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


def post_worker_init(worker):  # noqa: ARG001 (gunicorn's hook signature)
    """Keep the loaded app out of the garbage collector's full collections.

    A full collection walked every object of the app (about 73,000: Flask, Babel's locale data, the check
    catalogue) and took 40 to 90 ms, stalling each of the worker's threads, every 50 or so requests of the
    procurement list: 1.8 ms a request on average and the slowest requests' time. What exists once the app is
    loaded lives as long as the worker, so it is frozen (never collected, never walked again); requests'
    garbage is collected as before (measured with bench/load.py). What the first requests load lazily (templates,
    a locale's data) is frozen once more after WARM_REQUESTS requests.
    """
    gc.collect()
    gc.freeze()


WARM_REQUESTS = 200
_warm: list[bool] = []  # per worker process (the module's globals are copied at fork)


def post_request(worker, req, environ, resp):  # noqa: ARG001 (gunicorn's hook signature)
    if not _warm and worker.nr >= WARM_REQUESTS:
        _warm.append(True)
        gc.collect()
        gc.freeze()
