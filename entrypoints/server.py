"""Running the HTTP server: one process, or several sharing one listening socket."""

from __future__ import annotations

import asyncio
import signal

import attrs
import tornado.httpserver
import tornado.netutil
import tornado.process

from entrypoints.runtime import build_hamyon, inbound_protocols
from entrypoints.settings import Settings


def serve(settings: Settings, *, host: str | None = None, port: int | None = None,
          workers: int = 1) -> None:
    """Bind, migrate once (before forking), fork ``workers`` processes, and serve until SIGTERM."""
    if workers < 1:
        raise SystemExit("--workers must be at least 1")
    settings = attrs.evolve(settings, host=host or settings.host, port=port or settings.port)
    sockets = tornado.netutil.bind_sockets(settings.port, settings.host)
    if settings.auto_migrate:
        asyncio.run(_migrate_once(settings))
    if workers > 1:
        tornado.process.fork_processes(workers, max_restarts=100)
    asyncio.run(_run(settings, sockets))


async def _migrate_once(settings: Settings) -> None:
    hamyon = await build_hamyon(settings, migrate=True)
    await hamyon.close()


async def _run(settings: Settings, sockets: list) -> None:  # type: ignore[type-arg]
    from entrypoints.http.app import make_app, make_server_options

    hamyon = await build_hamyon(settings, migrate=False)
    app = make_app(hamyon, settings, inbound=inbound_protocols(settings, hamyon))
    server = tornado.httpserver.HTTPServer(app, **make_server_options())
    server.add_sockets(sockets)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"hamyon listening on {settings.base_url} ({settings.database_url.split('@')[-1]})",
          flush=True)
    await stop.wait()
    server.stop()
    await server.close_all_connections()
    await hamyon.close()
