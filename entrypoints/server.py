"""Running the HTTP server: one process, or several sharing one listening socket.

``serve`` configures the logs, binds, migrates once or checks that the database is migrated
(before forking, so processes never race on it, and a database that cannot serve stops the start
with one line: ``CommandError``), prepares shared metrics when there are several processes, forks,
and runs ``running`` in each process until SIGTERM/SIGINT, on uvloop's event loop where it is
installed (``run``). ``running`` is the service of one process: the facade with its business
events logged and counted, the Tornado app, and the background jobs.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import ctypes.util
import gc
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

import attrs
import structlog
import tornado.httpserver
import tornado.netutil
import tornado.process

from adapters.events import StructlogEvents
from adapters.storage_url import Backend, backend_of, shown
from application.hamyon import Hamyon
from entrypoints.command_error import CommandError
from entrypoints.database import label
from entrypoints.jobs import JobLocks, JobScheduler, LocalLocks, standard_jobs
from entrypoints.logging import configure_logging
from entrypoints.runtime import (
    build_hamyon,
    inbound_protocols,
    migrate_and_seed,
    open_checked_storage,
    webhook_deliverer,
)
from entrypoints.settings import Settings

log = structlog.get_logger("hamyon.server")
PR_SET_PDEATHSIG = 1
T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on uvloop's event loop (a dependency on Linux and macOS: the same asyncio,
    with its sockets driven by libuv, which costs the server less CPU per request), or on the
    standard loop where uvloop is not installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


@attrs.frozen
class Running:
    hamyon: Hamyon
    settings: Settings
    metrics: Any
    scheduler: JobScheduler


def serve(settings: Settings, *, host: str | None = None, port: int | None = None,
          workers: int = 1, jobs: bool = True) -> None:
    """Bind, migrate once (or check the database is migrated), fork ``workers`` processes, and
    serve until SIGTERM. ``host`` and ``port`` override the settings' when given."""
    if workers < 1:
        raise CommandError("--workers must be at least 1")
    settings = attrs.evolve(settings, host=settings.host if host is None else host,
                            port=settings.port if port is None else port)
    configure_logging(production=settings.is_production)
    if workers > 1:
        share_metrics()
    sockets = listen(settings.host, settings.port)
    asyncio.run(prepare_storage(settings))
    if workers > 1:
        # The parent only waits for its workers: on SIGTERM it exits through SystemExit, so that its
        # exit hooks (the shared metrics directory) run; each worker installs its own handler.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        tornado.process.fork_processes(workers, max_restarts=100)
        die_with_parent()
    run(_serve_until_stopped(settings, sockets, jobs=jobs))


def share_metrics() -> None:
    """Metrics summed over the forked processes, in ``PROMETHEUS_MULTIPROC_DIR`` (a fresh
    temporary directory when unset, removed when the parent process exits)."""
    from entrypoints.http.metrics import MULTIPROC_ENV, enable_multiprocess

    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        directory, parent = tempfile.mkdtemp(prefix="hamyon-metrics-"), os.getpid()

        def remove() -> None:  # the forked workers inherit this hook: only the parent acts on it
            if os.getpid() == parent:
                shutil.rmtree(directory, ignore_errors=True)

        atexit.register(remove)
    enable_multiprocess(directory)


def die_with_parent() -> None:
    """In a forked worker: stop (SIGTERM, a clean shutdown) when the parent process dies, so
    that ``kill <parent>`` never leaves orphaned workers serving. Linux only; elsewhere the
    process manager (systemd, a container) stops the whole group."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the parent was gone before we asked
            os.kill(os.getpid(), signal.SIGTERM)


def job_locks(settings: Settings) -> JobLocks:
    """Advisory locks on Postgres, where several processes share the jobs; none elsewhere."""
    if backend_of(settings.database_url) is Backend.POSTGRES:
        from adapters.postgres.locks import PostgresJobLocks

        return PostgresJobLocks(settings.database_url)
    return LocalLocks()


def listen(host: str, port: int) -> list[Any]:
    """Sockets bound to ``host:port``; a port in use, or an address that is not this machine's,
    raises ``CommandError``."""
    try:
        return tornado.netutil.bind_sockets(port, host)
    except OSError as error:
        raise CommandError(f"cannot listen on {host}:{port}: {error.strerror or error} (is another "
                           "server there? choose another with --port)") from None


async def prepare_storage(settings: Settings) -> None:
    """Before any process serves: migrate with ``HAMYON_AUTO_MIGRATE``, else open the storage once
    to check that it can serve (reachable, existing, migrated)."""
    if settings.auto_migrate:
        await migrate_once(settings)
    else:
        await (await open_checked_storage(settings, migrate=False)).close()


async def migrate_once(settings: Settings) -> None:
    """Apply the pending migrations, logging which."""
    applied = await migrate_and_seed(settings)
    if applied:
        log.info("migrated", database=shown(settings.database_url),
                 applied=[label(migration) for migration in applied])


async def _serve_until_stopped(settings: Settings, sockets: list[Any], *, jobs: bool) -> None:
    async with running(settings, sockets, jobs=jobs):
        settle_collector()
        log.info("listening", url=settings.base_url, database=settings.database_url.split("@")[-1],
                 pid=os.getpid(), jobs=jobs)
        await until_signalled()


@contextlib.asynccontextmanager
async def running(settings: Settings, sockets: list[Any], *, jobs: bool = True) -> AsyncIterator[Running]:
    """One process's service on already bound ``sockets``; stopped cleanly on exit."""
    from entrypoints.http.app import make_app, make_server_options

    events = StructlogEvents()
    hamyon = await build_hamyon(settings, migrate=False, events=events)
    inbound = inbound_protocols(settings, hamyon)
    app = make_app(hamyon, settings, inbound=inbound)
    metrics = app.settings["hamyon_context"].metrics
    events.subscribe(metrics.record_event)
    deliverer = webhook_deliverer(settings, hamyon, metrics)
    scheduler = JobScheduler(standard_jobs(hamyon, inbound=inbound, metrics=metrics, deliverer=deliverer),
                             locks=job_locks(settings), metrics=metrics)
    server = tornado.httpserver.HTTPServer(app, **make_server_options())
    server.add_sockets(sockets)
    if jobs:
        scheduler.start()
    try:
        yield Running(hamyon, settings, metrics, scheduler)
    finally:
        server.stop()
        await scheduler.stop()
        await deliverer.close()
        await server.close_all_connections()
        await hamyon.close()


YOUNG_OBJECTS = 10_000  # the collector's first threshold (CPython's default: 700)


def settle_collector() -> None:
    """In a serving process, once it is ready: what start-up built (modules, classes, the app,
    the facade) lives as long as the process, so it leaves the garbage collector's reach and its
    full passes stop walking it again and again; and a young generation of 10,000 objects, so
    that most of a request's short-lived objects are freed by reference counting before a pass
    looks at them. On the charge path (SQLite, counted with ``gc.callbacks``) collection took
    36 µs of CPU per request, 4 µs after."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)


async def until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def work(settings: Settings, *, once: bool = False, metrics_port: int | None = None) -> int:
    """``hamyon worker``: the background jobs without HTTP, until SIGTERM (or one round with
    ``once``; exit 1 when a job failed)."""
    # One round is a command whose answer is stdout; a running worker logs to stdout.
    configure_logging(production=settings.is_production, stream=sys.stderr if once else None)
    return run(_work(settings, once=once, metrics_port=metrics_port))


async def _work(settings: Settings, *, once: bool, metrics_port: int | None) -> int:
    from entrypoints.http.metrics import Metrics

    events, metrics = StructlogEvents(), Metrics()
    events.subscribe(metrics.record_event)
    hamyon = await build_hamyon(settings, events=events)
    deliverer = webhook_deliverer(settings, hamyon, metrics)
    scheduler = JobScheduler(standard_jobs(hamyon, inbound=inbound_protocols(settings, hamyon),
                                           metrics=metrics, deliverer=deliverer),
                             locks=job_locks(settings), metrics=metrics)
    try:
        if once:
            outcomes = await scheduler.run_all_once()
            for name, outcome in outcomes.items():
                print(f"{name}: {outcome}", flush=True)
            return 1 if "failed" in outcomes.values() else 0
        if metrics_port:
            serve_metrics(metrics, settings.host, metrics_port)
        scheduler.start()
        log.info("worker_started", jobs=[job.name for job in scheduler.jobs], pid=os.getpid())
        await until_signalled()
        return 0
    finally:
        await scheduler.stop()
        await deliverer.close()
        await hamyon.close()


def serve_metrics(metrics: Any, host: str, port: int) -> None:
    """``/metrics`` on its own port; a port in use raises ``CommandError``."""
    try:
        metrics.serve(port, host)
    except OSError as error:
        raise CommandError(f"cannot serve metrics on {host}:{port}: {error.strerror or error} "
                           "(choose another --metrics-port)") from None
