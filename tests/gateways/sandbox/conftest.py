"""Hamyon's real HTTP server with the sandbox gateway on (its checkout pages point at this server),
a manual clock, and a tiny "shop" app standing for the merchant's site that payers return to.

``sandbox`` is a factory: ``async with sandbox() as world:``; ``sandbox(on=False)`` runs the
server with the sandbox off, as production does; ``sandbox(merchant="Kitobxon")`` names the
merchant its checkout shows. ``browser`` is a headless Chromium (``chromium``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import tornado.httpclient
import tornado.httpserver
import tornado.testing
import tornado.web
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from application.gateways.redirect import RedirectFlow
from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, TokenIssuer, make_app
from tests.gateways.sandbox.chromium import chromium
from tests.http.conftest import SECRET, Server
from tests.http.loopback import close, listen


class ThanksPage(tornado.web.RequestHandler):
    def get(self) -> None:
        self.finish("<!doctype html><title>Shop</title><h1 id='thanks'>Thanks for shopping</h1>")


@define
class World:
    server: Server
    gateway: SandboxGateway
    shop_url: str

    async def create(self, amount: str = "50000", **extra: str) -> dict[str, Any]:
        reply = await self.server.post("/api/payments/create/",
                                       {"gateway": "sandbox", "amount": amount, **extra})
        assert reply.status == 201, reply.text
        return reply.json["payment"]  # type: ignore[no-any-return]

    async def press(self, payment_id: str, action: str, query: str = "",
                    **headers: str) -> Any:
        return await self.server.client.fetch(
            f"{self.server.url}/sandbox/pay/{payment_id}{query}", method="POST",
            body=f"action={action}", follow_redirects=False, raise_error=False,
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers})

    async def page(self, path: str, **headers: str) -> Any:
        """A sandbox page as a browser asks for it (``Accept: text/html``), unless told otherwise."""
        return await self.server.get(path, user=None, headers={"Accept": "text/html", **headers})

    async def charge_commission(self, percentage: str) -> None:
        reply = await self.server.call("PATCH", "/api/admin/gateways/sandbox/", user="root",
                                       admin=True, json_body={"commission_percentage": percentage})
        assert reply.status == 200, reply.text

    async def balance(self, user: str = "alice") -> Decimal:
        return (await self.server.hamyon.wallets.get(user, "UZS")).balance.amount

    async def status(self, payment_id: str) -> str:
        return (await self.server.hamyon.admin.payment(UUID(payment_id))).status.value


@pytest.fixture
def sandbox(io_loop: Any) -> Callable[..., AbstractAsyncContextManager[World]]:
    @asynccontextmanager
    async def start(*, on: bool = True, merchant: str = "Hamyon") -> AsyncIterator[World]:
        sock, port = tornado.testing.bind_unused_port()
        url = f"http://127.0.0.1:{port}"
        gateway = SandboxGateway(url, "a-secret-key-for-the-sandbox-tests-0123456789",
                                 merchant_name=merchant)
        clock = ManualClock()
        hamyon = await bootstrap("memory://", clock=clock, gateways=[gateway],
                                 active_gateways={"sandbox"}, retry=None)
        inbound = {"sandbox": RedirectFlow(hamyon, gateway)} if on else {}
        server = tornado.httpserver.HTTPServer(make_app(hamyon, HttpConfig(jwt_secret=SECRET),
                                                        inbound=inbound))
        server.add_socket(sock)
        shop, shop_url = listen(tornado.web.Application([(r"/thanks", ThanksPage)]))
        client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
        try:
            yield World(Server(url, hamyon, clock, TokenIssuer(SECRET), client), gateway,
                        f"{shop_url}/thanks")
        finally:
            client.close()
            for stopped in (server, shop):
                await close(stopped)
            await hamyon.close()

    return start


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver
