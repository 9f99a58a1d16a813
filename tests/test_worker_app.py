"""The consumer's threads share one application, built once even when their first tasks start together."""
from __future__ import annotations

import threading

from vetting import tasks


def test_concurrent_first_tasks_build_the_worker_application_once(monkeypatch):
    built: list[object] = []

    def slow_create_app():
        built.append(object())
        threading.Event().wait(0.05)  # long enough for every thread to arrive while the first one builds
        return built[-1]

    monkeypatch.setattr(tasks, "create_app", slow_create_app)
    monkeypatch.setattr(tasks, "_worker_apps", [])
    start = threading.Barrier(4)
    got: list[object] = []

    def first_task():
        start.wait()
        got.append(tasks._worker_app())

    threads = [threading.Thread(target=first_task) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert got == [built[0]] * 4
