"""A real Tornado server on the memory adapter, with a manual clock and fake gateways.

``api`` is a factory: ``async with api() as server:`` starts the app on a free local port and
gives a small client that signs tokens for any user (``user="alice"``, ``admin=True``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import tornado.httpclient
from attrs import define

from adapters.clock import ManualClock
from application.config import ServiceConfig
from application.hamyon import Hamyon
from domain.gateways import CheckoutSession
from domain.payments import Payment
from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, TokenIssuer, make_app
from tests.fakes import CardGateway, RefusingGateway
from tests.http.loopback import serving_with_client

SECRET = "test-jwt-secret-that-is-long-enough-for-hs256"
ACTIVE = {"click", "payme", "uzcard", "humo", "medogram", "sandbox"}


class RedirectGateway(CardGateway):
    """Like medogram: the gateway holds the payment from the create on (ids 123, 124, ...)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._ids: dict[UUID, int] = {}

    async def checkout(self, payment: Payment) -> CheckoutSession:
        self._ids[payment.id] = 123 + len(self._ids)
        return CheckoutSession(self.payment_url(payment), external_id=str(self._ids[payment.id]),
                               opens_attempt=True)

    def payment_url(self, payment: Payment) -> str:
        return f"https://api.medogram.ir/payment/gateway-{self._ids.get(payment.id, 0)}-get"


@define
class Reply:
    status: int
    headers: Any
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text, parse_float=Decimal)


@define
class Server:
    url: str
    hamyon: Hamyon
    clock: ManualClock
    issuer: TokenIssuer
    client: tornado.httpclient.AsyncHTTPClient

    def token(self, user: str = "alice", admin: bool = False) -> str:
        return self.issuer.issue(user, admin=admin)  # tokens live in real time, not the clock's

    async def call(self, method: str, path: str, *, user: str | None = "alice", admin: bool = False,
                   json_body: Any = None, body: bytes | str | None = None,
                   headers: dict[str, str] | None = None) -> Reply:
        sent = dict(headers or {})
        if user is not None and "Authorization" not in sent:
            sent["Authorization"] = f"Bearer {self.token(user, admin)}"
        if json_body is not None:
            body = json.dumps(json_body)
            sent.setdefault("Content-Type", "application/json")
        if body is None and method in ("POST", "PATCH", "PUT"):
            body = b""
        response = await self.client.fetch(self.url + path, method=method, body=body, headers=sent,
                                           raise_error=False, allow_nonstandard_methods=True)
        return Reply(response.code, response.headers, response.body.decode("utf-8"))

    async def get(self, path: str, **options: Any) -> Reply:
        return await self.call("GET", path, **options)

    async def post(self, path: str, json_body: Any = None, **options: Any) -> Reply:
        return await self.call("POST", path, json_body=json_body, **options)

    async def fund(self, user: str, amount: str, currency: str = "UZS") -> None:
        await self.hamyon.wallets.adjust(user, Decimal(amount), currency, "test funding", actor="root")


async def _hamyon(clock: ManualClock, **config: Any) -> Hamyon:
    gateways = [CardGateway("click"), CardGateway("payme"), RefusingGateway("uzcard"),
                RedirectGateway("medogram")]
    return await bootstrap("memory://", clock=clock, config=ServiceConfig(**config), gateways=gateways,
                           active_gateways=ACTIVE, retry=None)


@pytest.fixture
def api(io_loop: Any) -> Callable[..., AbstractAsyncContextManager[Server]]:
    @asynccontextmanager
    async def start(http: HttpConfig | None = None, **config: Any) -> AsyncIterator[Server]:
        clock = ManualClock()
        hamyon = await _hamyon(clock, **config)
        app = make_app(hamyon, http or HttpConfig(jwt_secret=SECRET))
        try:
            async with serving_with_client(app) as (url, client):
                yield Server(url, hamyon, clock, TokenIssuer(SECRET), client)
        finally:
            await hamyon.close()

    return start
