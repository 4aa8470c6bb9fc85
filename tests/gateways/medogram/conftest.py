"""Hamyon's real HTTP server with the medogram adapter pointed at a fake BitPay server, both on
127.0.0.1, with a manual clock and retries that do not wait.

``medogram`` is a factory: ``async with medogram() as world:`` gives ``world.server`` (the API
client of ``tests.http.conftest``), ``world.fake`` (the scripted gateway) and helpers.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.medogram import MedogramCredentials, MedogramGateway
from adapters.gateways.outgoing import OutgoingRetry
from adapters.retry import TransientRetry
from application.config import ServiceConfig
from application.gateways.redirect import RedirectFlow
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, TokenIssuer, make_app
from ports.storage import Storage
from tests.gateways.medogram.fake_bitpay import API_KEY, FakeBitPay, start_fake_bitpay
from tests.http.conftest import SECRET, Reply, Server
from tests.http.loopback import close, serving_with_client

CM = "/crazyminer/payment"
QUICK_RETRY = OutgoingRetry(attempts=3, first_wait=0, max_wait=0)


@define
class World:
    server: Server
    fake: FakeBitPay
    gateway: MedogramGateway

    @property
    def hamyon(self) -> Hamyon:
        return self.server.hamyon

    async def create(self, amount: int = 100000, user: str = "alice") -> dict[str, Any]:
        reply = await self.server.post(f"{CM}/create/", {"amount": amount}, user=user)
        assert reply.status == 201, reply.text
        return reply.json  # type: ignore[no-any-return]

    async def callback(self, id_get: object, trans_id: str = "T-1", **extra: str) -> Reply:
        return await self.server.post(f"{CM}/callback/", {"trans_id": trans_id, "id_get": id_get,
                                                          **extra}, user=None)

    async def balance(self, user: str = "alice") -> Decimal:
        return (await self.hamyon.wallets.get(user, "IRR")).balance.amount

    async def status(self, transaction_id: str) -> str:
        return (await self.hamyon.admin.payment(UUID(transaction_id))).status.value

    async def log_types(self, transaction_id: str) -> list[str]:
        return [log.type for log in await self.hamyon.admin.payment_logs(UUID(transaction_id))]


@pytest.fixture
def medogram(io_loop: Any) -> Callable[..., AbstractAsyncContextManager[World]]:
    @asynccontextmanager
    async def start(*, gateway_url: str | None = None, timeout: float = 5.0,
                    probe_ttl: float = 10.0, storage: Storage | None = None,
                    **config: Any) -> AsyncIterator[World]:
        fake, fake_server = start_fake_bitpay()
        credentials = MedogramCredentials(gateway_url or fake.url, API_KEY,
                                          "https://shop.example/payment-redirect/")
        gateway = MedogramGateway(credentials, retry=QUICK_RETRY, timeout=timeout, probe_ttl=probe_ttl)
        clock = ManualClock()
        hamyon = await bootstrap("memory://", clock=clock, config=ServiceConfig(**config),
                                 gateways=[gateway], active_gateways={"medogram"},
                                 retry=TransientRetry() if storage else None, storage=storage)
        app = make_app(hamyon, HttpConfig(jwt_secret=SECRET),
                       inbound={"medogram": RedirectFlow(hamyon, gateway)})
        try:
            async with serving_with_client(app) as (url, client):
                try:
                    yield World(Server(url, hamyon, clock, TokenIssuer(SECRET), client), fake, gateway)
                finally:
                    fake.released.set()  # a call the fake holds back ends before the servers stop
        finally:
            await close(fake_server)
            if storage is None:
                await hamyon.close()  # an opened storage is closed by whoever opened it

    return start


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Any]:
    """A fresh SQLite file or Postgres schema (Postgres skips without HAMYON_TEST_POSTGRES_URL)."""
    module = importlib.import_module(f"tests.backends.{request.param}")
    return module.storage_factory(tmp_path)  # type: ignore[no-any-return]
