"""Where tasks run: in this process (the default), on a local Dask cluster (``--workers N``) or on a
running ``dask.distributed`` scheduler (``--scheduler ADDRESS``). Results come back in task order,
so whatever runs them, the linking step sees the same sequence."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from ..errors import PolicytextError
from .extras import require

CONNECT_TIMEOUT = "20s"
TASK_RETRIES = 2            # a task whose worker died is run again elsewhere, at most this often


class Runner(Protocol):
    description: str

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """``fn(task)`` for every task, yielded in task order."""


class InProcess:
    description = "in this process"

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        for task in tasks:
            yield fn(task)


class DaskRunner:
    def __init__(self, client, description: str):
        self.client = client
        self.description = description

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        tasks = list(tasks)
        if not tasks:
            return
        futures = self.client.map(fn, tasks, pure=False, retries=TASK_RETRIES)
        try:
            for future in futures:
                try:
                    result = future.result()
                except PolicytextError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a worker's failure becomes one line
                    raise PolicytextError(f"a task failed on the Dask cluster: {exc.__class__.__name__}: "
                                          f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
                future.release()
                yield result
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def peak_memory(self) -> dict[str, float]:
        """Peak resident memory of each worker process so far, in MiB."""
        return {address: value / 1024 for address, value in self.client.run(_peak_rss_kib).items()}


def _check_listening(address: str) -> None:
    """Fail at once, not after the client's timeout, when nothing listens at a tcp:// address."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        return
    if parts.scheme != "tcp" or not host or not port:
        return
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise PolicytextError(f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}") from None


def _peak_rss_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@contextmanager
def runner(scheduler: str | None = None, workers: int | None = None) -> Iterator[InProcess | DaskRunner]:
    """A runner for the command-line choice: a scheduler's address, a number of local workers, or neither."""
    if not scheduler and not workers:
        yield InProcess()
        return
    require("dask", "--scheduler and --workers")
    distributed = require("distributed", "--scheduler and --workers")
    if scheduler:
        _check_listening(scheduler)
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise PolicytextError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        except ValueError as exc:
            raise PolicytextError(f"not a Dask scheduler address: {scheduler} ({exc})") from None
        try:
            yield DaskRunner(client, f"on the Dask cluster at {scheduler}")
        finally:
            client.close()
        return
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    try:
        yield DaskRunner(client, f"on a local Dask cluster of {workers} workers")
    finally:
        client.close()
        cluster.close()
