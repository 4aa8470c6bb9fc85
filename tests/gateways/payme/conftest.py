"""Payme's Merchant API through a real Tornado server, with a manual clock.

``payme`` is a factory: ``async with payme() as world:`` starts the app (memory storage unless a
``storage`` is given; ``keys`` builds the key store from the facade; service settings as
keywords) and gives a client that speaks JSON-RPC as Payme does:
``await world.rpc("CheckTransaction", {"id": ...})`` → ``Rpc`` (HTTP status, decoded answer).
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tornado.httpclient
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.payme import (
    MemoryKeyStore,
    PaymeCredentials,
    PaymeGateway,
    PaymeKeyStore,
    PaymeMerchantApi,
    to_ms,
)
from application.config import ServiceConfig
from application.hamyon import Hamyon
from application.payments import CreatePayment
from domain.payments import Payment
from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, make_app
from ports.storage import Storage
from tests.backends import memory, postgres, sqlite
from tests.fakes import CardGateway
from tests.http.loopback import serving_with_client

MERCHANT, KEY, TEST_KEY = "5e730e8e0b852a417aa49ceb", "production-key-#1", "sandbox-key-#1"
WEBHOOK = "/api/payments/payme/webhook/"
HOUR_MS = 3_600_000
BACKENDS = {"memory": memory, "sqlite": sqlite, "postgres": postgres}


def basic(key: str, login: str = "Paycom") -> str:
    return "Basic " + base64.b64encode(f"{login}:{key}".encode()).decode()


@define
class Rpc:
    status: int
    answer: dict[str, Any]

    @property
    def result(self) -> Any:
        assert "error" not in self.answer, self.answer
        return self.answer["result"]

    @property
    def code(self) -> int | None:
        return self.answer["error"]["code"] if "error" in self.answer else None


@define
class World:
    url: str
    hamyon: Hamyon
    clock: ManualClock
    api: PaymeMerchantApi | None
    client: tornado.httpclient.AsyncHTTPClient
    ids: Any

    @property
    def now_ms(self) -> int:
        return to_ms(self.clock.now())

    def payme_id(self) -> str:
        return f"{next(self.ids):024x}"  # Payme's ids are 24 hex digits

    async def send(self, body: bytes | str, *, method: str = "POST",
                   authorization: str | None = None) -> Rpc:
        headers = {"Content-Type": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        response = await self.client.fetch(
            self.url + WEBHOOK, method=method, headers=headers, raise_error=False,
            body=body if method in ("POST", "PUT", "PATCH") else None, allow_nonstandard_methods=True)
        text = response.body.decode("utf-8")
        return Rpc(response.code, json.loads(text, parse_float=Decimal) if text else {})

    async def rpc(self, method: str, params: Any, *, key: str = KEY, call_id: Any = 7) -> Rpc:
        body = json.dumps({"jsonrpc": "2.0", "id": call_id, "method": method, "params": params})
        return await self.send(body, authorization=basic(key))

    async def order(self, amount: str = "10000", user: str = "alice", gateway: str = "payme") -> Payment:
        created = await self.hamyon.payments.create(CreatePayment(user, gateway, Decimal(amount)))
        return created.payment

    async def balance(self, user: str = "alice") -> Decimal:
        return (await self.hamyon.wallets.get(user)).balance.amount


def account(payment: Payment) -> dict[str, str]:
    return {"order_id": str(payment.id)}


def tiyin(payment: Payment) -> int:
    return payment.total_amount.minor


@asynccontextmanager
async def serve(hamyon: Hamyon, clock: ManualClock,
                api: PaymeMerchantApi | None) -> AsyncIterator[World]:
    """The app on a free port; without ``api`` it is a server with no Payme credentials."""
    app = make_app(hamyon, HttpConfig(jwt_secret="x" * 40), inbound={"payme": api} if api else {})
    async with serving_with_client(app) as (url, client):
        yield World(url, hamyon, clock, api, client, itertools.count(1))


@pytest.fixture
def payme(io_loop: Any) -> Callable[..., AbstractAsyncContextManager[World]]:
    @asynccontextmanager
    async def start(storage: Storage | None = None,
                    keys: Callable[[Hamyon], PaymeKeyStore] | None = None,
                    test_key: str = TEST_KEY, **config: Any) -> AsyncIterator[World]:
        clock = ManualClock()
        hamyon = await bootstrap(
            "memory://", storage=storage, clock=clock, config=ServiceConfig(**config),
            gateways=[PaymeGateway(MERCHANT), CardGateway("click")], active_gateways={"payme", "click"})
        api = PaymeMerchantApi(hamyon, PaymeCredentials(MERCHANT, KEY, test_key),
                               key_store=keys(hamyon) if keys else MemoryKeyStore())
        try:
            async with serve(hamyon, clock, api) as world:
                yield world
        finally:
            if storage is None:
                await hamyon.close()

    return start


@pytest.fixture(params=list(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[
        [], AbstractAsyncContextManager[Storage]]:
    """Opened storages of one backend (Postgres skips without HAMYON_TEST_POSTGRES_URL)."""
    return BACKENDS[request.param].storage_factory(tmp_path)
