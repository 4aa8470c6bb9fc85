"""Tornado apps on a free loopback port, started inside the test's event loop: Hamyon's own app
with a client of its own, or a fake of someone else's server (a gateway, a shop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import tornado.httpclient
import tornado.httpserver
import tornado.testing
import tornado.web


def listen(app: tornado.web.Application) -> tuple[tornado.httpserver.HTTPServer, str]:
    """The app served on a free port: its server (``close`` it when done) and its base URL."""
    sock, port = tornado.testing.bind_unused_port()
    server = tornado.httpserver.HTTPServer(app)
    server.add_socket(sock)
    return server, f"http://127.0.0.1:{port}"


async def close(server: tornado.httpserver.HTTPServer) -> None:
    """Stop listening, then drop the connections still open."""
    server.stop()
    await server.close_all_connections()


@asynccontextmanager
async def serving(app: tornado.web.Application) -> AsyncIterator[str]:
    """``async with serving(app) as url``: the app on a free port until the block ends."""
    server, url = listen(app)
    try:
        yield url
    finally:
        await close(server)


@asynccontextmanager
async def serving_with_client(app: tornado.web.Application, **client: Any) -> AsyncIterator[
        tuple[str, tornado.httpclient.AsyncHTTPClient]]:
    """The app on a free port and a client of its own (``client`` options: ``max_clients``...);
    the client is closed before the server."""
    async with serving(app) as url:
        http = tornado.httpclient.AsyncHTTPClient(force_instance=True, **client)
        try:
            yield url, http
        finally:
            http.close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused)."""
    sock, port = tornado.testing.bind_unused_port()
    sock.close()
    return f"http://127.0.0.1:{port}"
