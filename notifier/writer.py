"""A scan's database writes, in the background and in order, one job ahead of the caller.

A scan alternates between work of its own (reading a page of applications and computing its
reminders; rendering a digest and encoding it) and writes the database does (inserting a
page's outbox rows; marking a digest's rows sent). `Writer` runs each write on one worker
thread while the scan goes on with the next page or digest: the database (SQLite's engine
releases the interpreter lock while it works; PostgreSQL is another process) and the scan
then use the machine's two cores at once. The writes stay in submission order (one worker),
at most one is in flight (`submit` first waits for the previous one), and a job's result is
handed to its `then` on the caller's thread, so counts and log lines are the same as when
written inline. A failed job's exception is raised on the caller's thread by the next
`submit` or `wait`; leaving the `with` block always waits for the job in flight, so nothing
(e.g. releasing the run's claim after an error) overtakes it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any


class Writer:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notifier-writer")
        self._job: tuple[Future[Any], Callable[[Any], None]] | None = None

    def submit(self, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Wait for the job in flight (its `then` runs), then start `job` in the background."""
        self.wait()
        self._job = (self._pool.submit(job), then)

    def wait(self) -> None:
        """Wait for the job in flight, if any, and hand its result to its `then`."""
        job, self._job = self._job, None
        if job is not None:
            future, then = job
            then(future.result())

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None:
                self.wait()
        finally:
            self._pool.shutdown(wait=True)
