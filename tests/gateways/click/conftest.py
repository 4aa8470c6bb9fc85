"""Click's webhooks through a real Tornado server, with a manual clock.

``click`` is a factory: ``async with click() as world:`` starts the app (memory storage unless a
``storage`` is given; ``configured=False`` leaves Click out, ``credentials`` replace the test
ones, ``protocol`` replaces the SHOP-API object, or builds it from the facade when callable)
and gives a client that posts form-encoded, signed calls as Click does:
``await world.prepare(payment, "7001")`` → the decoded flat answer (the HTTP status is checked to
be 200 on every call).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import tornado.httpclient
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.click import (
    COMPLETE,
    PREPARE,
    ClickCredentials,
    ClickShopApi,
    Step,
    click_gateways,
    sign_string,
)
from application.config import ServiceConfig
from application.hamyon import Hamyon
from application.payments import CreatePayment
from domain.money import Currency, Money
from domain.payments import Payment
from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, make_app
from ports.storage import Storage
from tests.backends import memory, postgres, sqlite
from tests.http.loopback import serving_with_client

SECRET, SERVICE_ID, MERCHANT_ID, MERCHANT_USER_ID = "click-test-secret", "30001", "40001", "50001"
CREDENTIALS = ClickCredentials(SERVICE_ID, MERCHANT_ID, SECRET, MERCHANT_USER_ID)
ENV = {"HAMYON_CLICK_SERVICE_ID": SERVICE_ID, "HAMYON_CLICK_MERCHANT_ID": MERCHANT_ID,
       "HAMYON_CLICK_SECRET_KEY": SECRET, "HAMYON_CLICK_MERCHANT_USER_ID": MERCHANT_USER_ID}
PATHS = {"prepare": "/api/payments/click/prepare/", "complete": "/api/payments/click/complete/"}
SIGN_TIME = "2026-01-15 12:00:00"
BACKENDS = {"memory": memory, "sqlite": sqlite, "postgres": postgres}
StorageFactory = Callable[[], AbstractAsyncContextManager[Storage]]


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), Currency.UZS)


@define
class Reply:
    status: int
    answer: dict[str, Any]

    @property
    def error(self) -> int:
        return int(self.answer["error"])


@define
class World:
    url: str
    hamyon: Hamyon
    clock: ManualClock
    client: tornado.httpclient.AsyncHTTPClient
    paydocs: Any

    async def topup(self, user: str = "alice", amount: str = "10000", gateway: str = "click") -> Payment:
        created = await self.hamyon.payments.create(CreatePayment(user, gateway, Decimal(amount)))
        return created.payment

    async def balance(self, user: str = "alice") -> Money:
        return (await self.hamyon.wallets.get(user, "UZS")).balance

    async def status(self, payment: Payment) -> str:
        return (await self.hamyon.admin.payment(payment.id)).status.value

    def form(self, step: Step, order: Payment | str, click_trans_id: str, *, amount: str | None = None,
             error: str = "0", prepare_id: object = None, **overrides: str) -> dict[str, str]:
        """A call as Click sends it, signed with the shared secret unless ``sign_string`` is given."""
        fields = {"click_trans_id": click_trans_id, "service_id": SERVICE_ID,
                  "click_paydoc_id": str(next(self.paydocs)),
                  "merchant_trans_id": order if isinstance(order, str) else str(order.id),
                  "amount": amount if amount is not None else _total(order),
                  "action": step.action, "error": error,
                  "error_note": "Success" if error == "0" else "Payment failed",
                  "sign_time": SIGN_TIME}
        if step is COMPLETE:
            fields["merchant_prepare_id"] = str(prepare_id)
        fields.update({k: v for k, v in overrides.items() if k != "sign_string"})
        fields["sign_string"] = overrides.get("sign_string") or sign_string(SECRET, fields, step)
        return fields

    async def post(self, step: str, form: dict[str, str] | None = None, *, body: bytes | str | None = None,
                   headers: dict[str, str] | None = None, method: str = "POST") -> Reply:
        sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        if body is None and method == "POST":
            body = urlencode(form or {})
        response = await self.client.fetch(self.url + PATHS[step], method=method, body=body,
                                           headers=sent, raise_error=False,
                                           allow_nonstandard_methods=True)
        return Reply(response.code, json.loads(response.body))

    async def prepare(self, order: Payment | str, click_trans_id: str, **options: Any) -> dict[str, Any]:
        reply = await self.post("prepare", self.form(PREPARE, order, click_trans_id, **options))
        assert reply.status == 200
        return reply.answer

    async def complete(self, order: Payment | str, click_trans_id: str, prepare_id: object,
                       **options: Any) -> dict[str, Any]:
        reply = await self.post("complete", self.form(COMPLETE, order, click_trans_id,
                                                      prepare_id=prepare_id, **options))
        assert reply.status == 200
        return reply.answer

    async def paid(self, order: Payment, click_trans_id: str) -> dict[str, Any]:
        """Prepare then Complete, as a payer who pays."""
        prepared = await self.prepare(order, click_trans_id)
        assert prepared["error"] == 0, prepared
        return await self.complete(order, click_trans_id, prepared["merchant_prepare_id"])


def _total(order: Payment | str) -> str:
    return format(order.total_amount.amount, "f") if isinstance(order, Payment) else "10250.00"


async def _hamyon(clock: ManualClock, storage: Storage | None, **config: Any) -> Hamyon:
    return await bootstrap("memory://", storage=storage, clock=clock, config=ServiceConfig(**config),
                           gateways=click_gateways(ENV), active_gateways={"click", "uzcard", "humo"},
                           retry=None)


@pytest.fixture
def click(io_loop: Any) -> Callable[..., AbstractAsyncContextManager[World]]:
    @asynccontextmanager
    async def start(storage: Storage | None = None, configured: bool = True,
                    credentials: ClickCredentials = CREDENTIALS, protocol: Any = None,
                    **config: Any) -> AsyncIterator[World]:
        clock = ManualClock()
        hamyon = await _hamyon(clock, storage, **config)
        if callable(protocol):  # built on this world's facade
            protocol = protocol(hamyon)
        inbound = {"click": protocol or ClickShopApi(hamyon, credentials)} if configured else {}
        app = make_app(hamyon, HttpConfig(jwt_secret="click-tests-jwt-secret-long-enough-0123456789"),
                       inbound=inbound)
        try:
            async with serving_with_client(app, max_clients=16) as (url, client):
                yield World(url, hamyon, clock, client, itertools.count(900_001))
        finally:
            if storage is None:  # a given storage is closed by whoever opened it
                await hamyon.close()

    return start


@pytest.fixture(params=list(BACKENDS), ids=list(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StorageFactory:
    """Opens a fresh storage of each kind (Postgres skips without HAMYON_TEST_POSTGRES_URL)."""
    factory: StorageFactory = BACKENDS[request.param].storage_factory(tmp_path)
    return factory

